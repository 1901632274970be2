import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { TCrmRemoval } from '../../domain/crm/crm-source.js';

/**
 * HubSpot webhooks (issue #10). Facts from HubSpot's documentation ("Validating requests from
 * HubSpot", https://developers.hubspot.com/docs/apps/legacy-apps/authentication/validating-requests,
 * and the changelog "Introducing version 3 of Webhook signatures"):
 * - `X-HubSpot-Signature-v3` = base64( HMAC-SHA256( app client secret,
 *   UTF-8( requestMethod + requestUri + requestBody + timestamp ) ) ), with the timestamp (epoch
 *   milliseconds) from `X-HubSpot-Request-Timestamp`;
 * - a request whose timestamp is older than 5 minutes is refused;
 * - the URI is the full URL HubSpot called (protocol, host, path, query), and the documentation's
 *   table lists URL-encoded characters to decode in it before hashing:
 *   %3A : · %2F / · %3F ? · %40 @ · %21 ! · %24 $ · %27 ' · %28 ( · %29 ) · %2A * · %2C , · %3B ;
 *   (nothing else is decoded: `%20`, `%26`, `%3D`… stay as they are).
 * The official client's `Signature.isValid` does the same hash but reads the wall clock and compares
 * with `===`; this one takes `now`, compares in constant time and says why it refused.
 */

/** HubSpot refuses to honour signatures older than this (5 minutes, in milliseconds). */
export const HUBSPOT_SIGNATURE_MAX_AGE_MS = 5 * 60 * 1000;

const DECODED_IN_URI: Readonly<Record<string, string>> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

/**
 * Decodes, in a request URI, exactly the percent-encodings HubSpot's v3 scheme lists (case-insensitive
 * hex), leaving every other escape untouched.
 *
 * @example
 * normalizeHubSpotUri('https://app.example.com/hooks/hubspot?portal=1%2C2&q=a%20b')
 * // → 'https://app.example.com/hooks/hubspot?portal=1,2&q=a%20b'
 */
export function normalizeHubSpotUri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODED_IN_URI[m.toUpperCase()] ?? m);
}

export type THubSpotVerification = { ok: true } | { ok: false; reason: string };

/**
 * Checks a HubSpot v3 webhook signature. `uri` is the full URL HubSpot called (as configured in the
 * app, e.g. `https://kpi.example.com/crm/hubspot/webhook`), `body` the raw request body, `timestamp`
 * and `signature` the `X-HubSpot-Request-Timestamp` / `X-HubSpot-Signature-v3` header values. The
 * reason never contains the body, the signature or the secret.
 *
 * @example
 * verifyHubSpotSignatureV3({ clientSecret: 's3cret', method: 'POST', uri: 'https://x.example/h',
 *   body: '[]', timestamp: '1700000000000', signature: 'AAAA', now: new Date(1_700_000_000_000) })
 * // → { ok: false, reason: 'signature mismatch' }
 */
export function verifyHubSpotSignatureV3(opts: {
  clientSecret: string;
  method: string;
  uri: string;
  body: string | Buffer;
  timestamp: string | undefined;
  signature: string | undefined;
  now: Date;
}): THubSpotVerification {
  const { timestamp, signature } = opts;
  if (!timestamp || !/^\d{1,15}$/.test(timestamp)) return { ok: false, reason: 'missing or malformed X-HubSpot-Request-Timestamp' };
  if (!signature || !/^[A-Za-z0-9+/]{43}=$/.test(signature)) return { ok: false, reason: 'missing or malformed X-HubSpot-Signature-v3' };
  const ageMs = opts.now.getTime() - Number(timestamp);
  if (ageMs > HUBSPOT_SIGNATURE_MAX_AGE_MS) return { ok: false, reason: `timestamp ${Math.round(ageMs / 1000)} s old, older than 5 minutes` };
  // HubSpot only documents the age limit; a timestamp far in the future is as replayable, so it is refused too.
  if (-ageMs > HUBSPOT_SIGNATURE_MAX_AGE_MS) return { ok: false, reason: `timestamp ${Math.round(-ageMs / 1000)} s in the future` };
  const body = typeof opts.body === 'string' ? opts.body : opts.body.toString('utf8');
  const source = `${opts.method.toUpperCase()}${normalizeHubSpotUri(opts.uri)}${body}${timestamp}`;
  const expected = createHmac('sha256', opts.clientSecret).update(source, 'utf8').digest();
  const given = Buffer.from(signature, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}

/**
 * Signs like HubSpot does (for the fake and for tests of the receiving route).
 *
 * @example
 * signHubSpotV3({ clientSecret: 's', method: 'POST', uri: 'https://x.example/h', body: '[]', timestamp: '1' }).length // → 44
 */
export function signHubSpotV3(opts: { clientSecret: string; method: string; uri: string; body: string; timestamp: string }): string {
  return createHmac('sha256', opts.clientSecret)
    .update(`${opts.method.toUpperCase()}${normalizeHubSpotUri(opts.uri)}${opts.body}${opts.timestamp}`, 'utf8')
    .digest('base64');
}

/** One event of a webhook batch (HubSpot posts a JSON array of up to 100 of them). */
export const ZHubSpotWebhookEvent = z.looseObject({
  eventId: z.union([z.number(), z.string()]).optional(),
  subscriptionType: z.string(),
  objectId: z.union([z.number(), z.string()]).optional(),
  /** Generic `object.*` subscriptions name the object type (`0-3` is deals). */
  objectTypeId: z.string().optional(),
  occurredAt: z.number().optional(),
  propertyName: z.string().optional(),
  propertyValue: z.string().optional(),
  /** deal.merge: the record that remains (`newObjectId`, when present, is the id it got). */
  primaryObjectId: z.union([z.number(), z.string()]).optional(),
  mergedObjectIds: z.array(z.union([z.number(), z.string()])).optional(),
  newObjectId: z.union([z.number(), z.string()]).optional(),
});
export type THubSpotWebhookEvent = z.infer<typeof ZHubSpotWebhookEvent>;

export interface THubSpotWebhookChanges {
  /** Deals to read again (created, changed, restored, or the survivor of a merge), each once. */
  refresh: string[];
  /** Deals that left: deleted, or merged into another. */
  removals: TCrmRemoval[];
  /** Events that were not about deals or could not be read (counted, never fatal). */
  ignored: number;
}

const DEAL_TYPE_ID = '0-3';

function dealAction(e: THubSpotWebhookEvent): string | null {
  const [object, action] = e.subscriptionType.split('.', 2);
  if (!action) return null;
  if (object === 'deal') return action;
  if (object === 'object' && e.objectTypeId === DEAL_TYPE_ID) return action;
  return null;
}

const idText = (v: number | string | undefined): string | null => (v === undefined || v === '' ? null : String(v));

/**
 * Turns a webhook batch into the deals to refresh and the removals, in event order; a deal deleted
 * after a change is only removed, a deal restored after a deletion is only refreshed.
 *
 * @example
 * parseHubSpotWebhookEvents([{ subscriptionType: 'deal.deletion', objectId: 7, occurredAt: 1700000000000 },
 *   { subscriptionType: 'deal.propertyChange', objectId: 8, propertyName: 'amount', propertyValue: '10' }])
 * // → { refresh: ['8'], removals: [{ crmId: '7', removedAt: 2023-11-14T22:13:20.000Z, mergedIntoCrmId: null }], ignored: 0 }
 */
export function parseHubSpotWebhookEvents(payload: unknown, fallbackNow: Date = new Date(0)): THubSpotWebhookChanges {
  const list = Array.isArray(payload) ? payload : [];
  const refresh = new Map<string, true>();
  const removals = new Map<string, TCrmRemoval>();
  let ignored = Array.isArray(payload) ? 0 : 1;
  for (const raw of list) {
    const parsed = ZHubSpotWebhookEvent.safeParse(raw);
    if (!parsed.success) {
      ignored += 1;
      continue;
    }
    const e = parsed.data;
    const action = dealAction(e);
    const at = e.occurredAt !== undefined ? new Date(e.occurredAt) : fallbackNow;
    const id = idText(e.objectId);
    switch (action) {
      case 'creation':
      case 'propertyChange':
      case 'associationChange':
      case 'restore':
        if (!id) {
          ignored += 1;
          break;
        }
        removals.delete(id);
        refresh.set(id, true);
        break;
      case 'deletion':
      case 'privacyDeletion':
        if (!id) {
          ignored += 1;
          break;
        }
        refresh.delete(id);
        removals.set(id, { crmId: id, removedAt: at, mergedIntoCrmId: null });
        break;
      case 'merge': {
        const survivor = idText(e.newObjectId) ?? idText(e.primaryObjectId) ?? id;
        if (!survivor) {
          ignored += 1;
          break;
        }
        const gone = new Set<string>((e.mergedObjectIds ?? []).map(String));
        const primary = idText(e.primaryObjectId);
        // HubSpot gives a merged deal a new id: the old primary is gone too.
        if (primary && primary !== survivor) gone.add(primary);
        for (const old of gone) {
          if (old === survivor) continue;
          refresh.delete(old);
          removals.set(old, { crmId: old, removedAt: at, mergedIntoCrmId: survivor });
        }
        removals.delete(survivor);
        refresh.set(survivor, true);
        break;
      }
      default:
        ignored += 1;
    }
  }
  return { refresh: [...refresh.keys()], removals: [...removals.values()], ignored };
}
