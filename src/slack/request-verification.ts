import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's replay window: a signed request older or newer than this is refused. */
export const MAX_REQUEST_SKEW_SECONDS = 5 * 60;

export type TVerification = { ok: true } | { ok: false; reason: string };

/**
 * Checks a request's Slack signature (`v0=` HMAC-SHA256 of `v0:<timestamp>:<raw body>`) and that
 * its timestamp lies within five minutes of `nowMs` in either direction. Bolt's own check only
 * refuses old timestamps; a future one would let a captured request be replayed for as long as
 * its timestamp lies ahead. The reason never contains the body, the signature or the secret.
 *
 * @example
 * verifySlackSignature({ signingSecret: 's3cret', rawBody: Buffer.from('a=1'), timestamp: '1700000000',
 *   signature: 'v0=deadbeef', nowMs: 1_700_000_000_000 }) // → { ok: false, reason: 'signature mismatch' }
 */
export function verifySlackSignature(opts: {
  signingSecret: string;
  rawBody: Buffer;
  timestamp: string | undefined;
  signature: string | undefined;
  nowMs: number;
}): TVerification {
  const { timestamp, signature } = opts;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing or malformed x-slack-request-timestamp' };
  if (!signature || !/^v0=[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'missing or malformed x-slack-signature' };
  const skew = Math.floor(opts.nowMs / 1000) - Number(timestamp);
  if (Math.abs(skew) > MAX_REQUEST_SKEW_SECONDS) {
    return { ok: false, reason: `timestamp ${skew > 0 ? `${skew} s in the past` : `${-skew} s in the future`}, outside the ${MAX_REQUEST_SKEW_SECONDS} s window` };
  }
  const expected = createHmac('sha256', opts.signingSecret).update(`v0:${timestamp}:`).update(opts.rawBody).digest();
  const given = Buffer.from(signature.slice(3), 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}
