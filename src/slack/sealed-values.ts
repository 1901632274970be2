import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors.js';

/**
 * What a sealed value is for; part of the MAC, so a value made for one button or form is refused
 * by every other.
 */
export type TSealPurpose = 'undo' | 'deal-modal' | 'quota-modal' | 'kpi-share' | 'refund' | 'refund-undo' | 'refund-modal' | 'crm-connect' | 'crm-stages' | 'crm-disconnect';

/** Whom a value was made for: the workspace always, the user when only they may use it. */
export interface TSealBinding {
  teamId: string;
  userId?: string;
}

/** Fixed HKDF label: changing it invalidates every button and open form. */
const HKDF_INFO = 'sales-kpi/interactive-values/v1';
const SEP = '~';
/** 128 bits of HMAC-SHA256, base64url: 22 characters on every value. */
const MAC_CHARS = 22;
/** Characters sealing adds to a value: builders keep payloads this much under Slack's limits. */
export const SEAL_OVERHEAD = SEP.length + MAC_CHARS;

/**
 * The key sealed values are signed with: `APP_SECRET` when set, else one derived from the signing
 * secret (or, in Socket Mode, the bot token) with HKDF-SHA256 and a fixed label, so no secret is
 * used for two purposes as is.
 *
 * @example deriveSealKey({ SLACK_SIGNING_SECRET: 'abc…' }).length // 32
 */
export function deriveSealKey(config: { APP_SECRET?: string | undefined; SLACK_SIGNING_SECRET?: string | undefined; SLACK_BOT_TOKEN?: string | undefined }): Buffer {
  const ikm = config.APP_SECRET ?? config.SLACK_SIGNING_SECRET ?? config.SLACK_BOT_TOKEN;
  if (!ikm) throw new Error('No secret to derive the interactive-value key from (APP_SECRET, SLACK_SIGNING_SECRET or SLACK_BOT_TOKEN).');
  return Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), HKDF_INFO, 32));
}

/**
 * Signs and checks the values the app puts into buttons and `private_metadata`, so a crafted
 * payload cannot point a button or form at something it was not made for. A sealed value is
 * `payload~mac`; the MAC covers the purpose, the team, the user (when bound) and the payload.
 */
export class ValueSealer {
  constructor(private readonly key: Buffer) {}

  private mac(purpose: TSealPurpose, bind: TSealBinding, payload: string): string {
    return createHmac('sha256', this.key)
      .update(JSON.stringify([purpose, bind.teamId, bind.userId ?? '', payload]))
      .digest('base64url')
      .slice(0, MAC_CHARS);
  }

  /** @example sealer.seal('undo', { teamId: 'T1', userId: 'U1' }, '42') // '42~Xb3…' */
  seal(purpose: TSealPurpose, bind: TSealBinding, payload: string): string {
    return `${payload}${SEP}${this.mac(purpose, bind, payload)}`;
  }

  /** The payload when the value is intact and was made for this purpose, team and user; else null. */
  open(purpose: TSealPurpose, bind: TSealBinding, value: string | undefined | null): string | null {
    if (typeof value !== 'string') return null;
    const at = value.lastIndexOf(SEP);
    if (at < 0) return null;
    const payload = value.slice(0, at);
    const given = Buffer.from(value.slice(at + 1));
    const expected = Buffer.from(this.mac(purpose, bind, payload));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    return payload;
  }
}

/** The answer to a button or form whose sealed value does not check out; nothing is changed. */
export function staleValueError(what: 'button' | 'form' = 'button'): AppError {
  return new AppError(
    'INVALID_INPUT',
    what === 'button'
      ? 'This button is no longer valid, so nothing was changed. Run the command again for a fresh one.'
      : 'This form is no longer valid, so nothing was saved. Close it and open a new one.',
    { i18n: { key: what === 'button' ? 'error.button.stale' : 'error.form.stale' } },
  );
}
