import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { CrmSourceError } from '../../domain/crm/crm-source.js';
import { ZPipedriveDeal, type TPipedriveDeal } from './pipedrive-mapping.js';

/**
 * Pipedrive webhooks v2 (pipedrive.readme.io, "Guide for Webhooks v2" and "Webhooks v2 migration
 * guide"; /work/shared/product/INTEGRATIONS.md):
 * - created with `POST /v1/webhooks` (`subscription_url`, `event_action`, `event_object`,
 *   `http_auth_user`, `http_auth_password`, `version: "2.0"`); a delivery is authenticated only by
 *   those HTTP basic credentials (no signature);
 * - the body is `{ meta, data, previous }`: `meta.action` is `create` / `change` / `delete`,
 *   `meta.entity` the object type (`deal`), `meta.entity_id` its id, `meta.version` `"2.0"`,
 *   `meta.timestamp` when it happened; `data` the object now (null once deleted), `previous` the
 *   values it had before the change;
 * - v2 has no `merged` action: a merge sends a `delete` of the merged deal, whose meta carries
 *   `merged_to_id`, and a `change` of the surviving one;
 * - one edit sends one `change` (no de-duplication needed), and `data` holds only the main fields:
 *   read the deal back (`fetchDeals`) or run an incremental pull rather than trusting it whole.
 */

/**
 * Whether an `Authorization` header carries the webhook's basic credentials. Compares SHA-256
 * digests of `user:password` with `timingSafeEqual`, so neither the content nor the length of the
 * expected credentials leaks through timing. Refuses everything when no credentials are configured.
 *
 * @example
 * verifyPipedriveWebhook({ authorizationHeader: 'Basic ' + Buffer.from('hook:s3cret').toString('base64'),
 *   username: 'hook', password: 's3cret' }) // → true
 * verifyPipedriveWebhook({ authorizationHeader: undefined, username: 'hook', password: 's3cret' }) // → false
 */
export function verifyPipedriveWebhook(opts: { authorizationHeader: string | undefined; username: string; password: string }): boolean {
  if (!opts.username || !opts.password) return false;
  const match = /^Basic ([A-Za-z0-9+/=]{1,1024})$/i.exec(opts.authorizationHeader?.trim() ?? '');
  if (!match) return false;
  // Node's base64 decoder skips stray characters; only the canonical encoding is accepted.
  const decoded = Buffer.from(match[1]!, 'base64');
  if (decoded.toString('base64') !== match[1]) return false;
  const given = createHash('sha256').update(decoded).digest();
  const expected = createHash('sha256').update(Buffer.from(`${opts.username}:${opts.password}`, 'utf8')).digest();
  return timingSafeEqual(given, expected);
}

const ZIdText = z.union([z.string().regex(/^\d{1,15}$/), z.number().int().positive()]).transform((v) => String(v));

const ZWebhookV2 = z.looseObject({
  meta: z.looseObject({
    action: z.string(),
    entity: z.string(),
    entity_id: ZIdText.optional(),
    version: z.string().optional(),
    timestamp: z.union([z.number(), z.string()]).optional(),
    merged_to_id: ZIdText.nullable().optional(),
  }),
  data: z.looseObject({ id: ZIdText.optional() }).nullable().optional(),
  previous: z.looseObject({ id: ZIdText.optional() }).nullable().optional(),
});

export interface TPipedriveWebhookEvent {
  /** The deal's id. */
  crmId: string;
  /** `create` and `change` are both a change here. */
  action: 'change' | 'delete';
  /** For a delete caused by a merge: the deal it was merged into. */
  mergedIntoCrmId: string | null;
  /** `meta.timestamp` (Unix seconds or RFC 3339), when present and readable. */
  occurredAt: Date | null;
  /** The deal as the payload states it (main fields only), when it reads as one. */
  data?: TPipedriveDeal;
}

function readTimestamp(value: number | string | undefined): Date | null {
  if (value === undefined) return null;
  const ms = typeof value === 'number' ? (value > 1e12 ? value : value * 1000) : /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms) : null;
}

/**
 * Reads a webhooks-v2 delivery (the parsed JSON body, or its text). Null for events about other
 * objects than deals (a webhook on `*.*` also reports persons, activities, …); a
 * `CrmSourceError('bad-response')` for a body that is not a v2 webhook or names no deal id.
 *
 * @example
 * parsePipedriveWebhook({ meta: { action: 'delete', entity: 'deal', entity_id: '42', version: '2.0',
 *   merged_to_id: '7' }, data: null, previous: { id: 42 } })
 * // → { crmId: '42', action: 'delete', mergedIntoCrmId: '7', occurredAt: null }
 */
export function parsePipedriveWebhook(body: unknown): TPipedriveWebhookEvent | null {
  let value = body;
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    try {
      value = JSON.parse(body.toString()) as unknown;
    } catch {
      throw new CrmSourceError('bad-response', 'the Pipedrive webhook body is not JSON');
    }
  }
  const parsed = ZWebhookV2.safeParse(value);
  if (!parsed.success) throw new CrmSourceError('bad-response', 'the body is not a Pipedrive webhooks v2 delivery');
  const { meta, data, previous } = parsed.data;
  if (meta.entity !== 'deal') return null;
  const crmId = meta.entity_id ?? data?.id ?? previous?.id;
  if (!crmId) throw new CrmSourceError('bad-response', 'the Pipedrive webhook names no deal id');
  const occurredAt = readTimestamp(meta.timestamp);
  if (meta.action === 'delete') {
    return { crmId, action: 'delete', mergedIntoCrmId: meta.merged_to_id ?? null, occurredAt };
  }
  if (meta.action !== 'create' && meta.action !== 'change') {
    throw new CrmSourceError('bad-response', 'the Pipedrive webhook action is not create, change or delete');
  }
  // The raw object, not `data` above, whose id the schema turned into text.
  const deal = ZPipedriveDeal.safeParse((value as { data?: unknown }).data);
  return { crmId, action: 'change', mergedIntoCrmId: null, occurredAt, ...(deal.success ? { data: deal.data } : {}) };
}
