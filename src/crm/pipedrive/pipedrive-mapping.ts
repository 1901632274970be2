import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { TCrmDeal, TCrmOwner, TCrmRemoval, TCrmStage } from '../../domain/crm/crm-source.js';

/**
 * Pipedrive's records as its API answers them, and the pure mapping onto the CRM port's types.
 * Shapes checked against the official client's models (`pipedrive` v33: v2 `Deal`, `StageItem`,
 * pipelines, organizations; v1 users) and Pipedrive's API reference (developers.pipedrive.com,
 * "Get all deals" v2): timestamps are RFC 3339 (`2024-09-27T14:25:27Z`), `value` a JSON number,
 * `status` one of open / won / lost (deleted deals carry `is_deleted: true`; older payloads say
 * `status: "deleted"`), relations are ids only (`org_id`, `owner_id`, `stage_id`, `pipeline_id`).
 */

const ZId = z.number().int().positive();
const ZNullableId = ZId.nullable().optional();
const ZTime = z.string().min(1);

export const ZPipedriveDeal = z.looseObject({
  id: ZId,
  title: z.string(),
  value: z.number().nullable().optional(),
  currency: z.string().nullable().optional(),
  status: z.string(),
  is_deleted: z.boolean().optional(),
  stage_id: ZNullableId,
  pipeline_id: ZNullableId,
  owner_id: ZNullableId,
  org_id: ZNullableId,
  add_time: ZTime,
  update_time: ZTime,
  stage_change_time: ZTime.nullable().optional(),
  won_time: ZTime.nullable().optional(),
  lost_time: ZTime.nullable().optional(),
  close_time: ZTime.nullable().optional(),
  lost_reason: z.string().nullable().optional(),
  mrr: z.number().nullable().optional(),
});
export type TPipedriveDeal = z.infer<typeof ZPipedriveDeal>;

/** A list answer of the v2 API: `data` plus `additional_data.next_cursor` (null/absent on the last page). */
export function zPipedriveList<T extends z.ZodType>(item: T) {
  return z.looseObject({
    success: z.boolean().optional(),
    data: z.array(item).nullable(),
    additional_data: z.looseObject({ next_cursor: z.string().nullable().optional() }).nullable().optional(),
  });
}

export const ZPipedriveStage = z.looseObject({
  id: ZId,
  name: z.string(),
  order_nr: z.number().int(),
  pipeline_id: ZId,
  is_deleted: z.boolean().optional(),
});
export type TPipedriveStage = z.infer<typeof ZPipedriveStage>;

export const ZPipedrivePipeline = z.looseObject({
  id: ZId,
  name: z.string(),
  order_nr: z.number().int().optional(),
  is_deleted: z.boolean().optional(),
});
export type TPipedrivePipeline = z.infer<typeof ZPipedrivePipeline>;

export const ZPipedriveOrganization = z.looseObject({ id: ZId, name: z.string() });

/** v1 `/users`: `active_flag` tells whether the seat is active. */
export const ZPipedriveUser = z.looseObject({
  id: ZId,
  name: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  active_flag: z.boolean().optional(),
});
export const ZPipedriveUsers = z.looseObject({ success: z.boolean().optional(), data: z.array(ZPipedriveUser).nullable() });

/**
 * A Pipedrive timestamp as a Date: RFC 3339 (v2), or v1's `YYYY-MM-DD HH:MM:SS` in UTC; null when
 * empty or unreadable.
 *
 * @example
 * parsePipedriveTime('2024-09-27T14:25:27Z')?.toISOString() // → '2024-09-27T14:25:27.000Z'
 * parsePipedriveTime('2024-09-27 14:25:27')?.toISOString()  // → '2024-09-27T14:25:27.000Z'
 */
export function parsePipedriveTime(text: string | null | undefined): Date | null {
  if (!text) return null;
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text) ? `${text.replace(' ', 'T')}Z` : text;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/**
 * RFC 3339 text for Pipedrive's `updated_since` / `close_time`: whole seconds print without a
 * fraction, as Pipedrive writes them.
 *
 * @example
 * rfc3339(new Date('2025-03-01T10:20:00.000Z')) // → '2025-03-01T10:20:00Z'
 */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, 'Z');
}

/**
 * A JSON number as plain decimal text (never exponent notation). JavaScript prints the shortest
 * text that reads back as the same double, so any amount Pipedrive stored with at most 15
 * significant digits comes back exactly as typed.
 *
 * @example
 * decimalText(12000.5) // → '12000.5'
 * decimalText(1e21)    // → '1000000000000000000000'
 * decimalText(1e-7)    // → '0.0000001'
 */
export function decimalText(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError('not a finite amount');
  if (Number.isInteger(n)) return BigInt(n).toString();
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

/**
 * Decimal text as the number Pipedrive's `value` takes, refused when a double cannot carry it
 * exactly (more than 15 significant digits) rather than silently rounded.
 *
 * @example
 * amountNumber('1234.50') // → 1234.5
 * amountNumber('12.3.4')  // → null
 */
export function amountNumber(text: string): number | null {
  const t = text.trim();
  if (!/^-?\d+(\.\d+)?$/.test(t)) return null;
  const digits = t.replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  if (digits.length > 15) return null;
  return Number(t);
}

/** A deal the API lists that is gone: deleted (kept listable for 30 days with `status=deleted`). */
export function isDeletedDeal(deal: TPipedriveDeal): boolean {
  return deal.is_deleted === true || deal.status === 'deleted';
}

/**
 * Pipedrive's deal as the port's deal. `orgName` is the linked organization's name when known
 * (the v2 deal carries only `org_id`); the title stands in otherwise. Pipedrive has no won/lost
 * stages: the status says it, and the close date is `won_time` / `lost_time`, else `close_time`.
 * Null when the deal is deleted or its status or dates are unreadable.
 *
 * @example
 * toCrmDeal({ id: 7, title: 'Acme renewal', value: 1200.5, currency: 'EUR', status: 'won', stage_id: 3,
 *   pipeline_id: 1, owner_id: 11, org_id: null, add_time: '2025-01-02T09:00:00Z',
 *   update_time: '2025-02-01T10:00:00Z', won_time: '2025-02-01T10:00:00Z' }, { orgName: null, appUrl: null })
 * // → { crmId: '7', customer: 'Acme renewal', amount: '1200.5', status: 'won', closedAt: 2025-02-01T10:00:00Z, … }
 */
export function toCrmDeal(deal: TPipedriveDeal, ctx: { orgName: string | null; appUrl: string | null }): TCrmDeal | null {
  if (isDeletedDeal(deal)) return null;
  if (deal.status !== 'open' && deal.status !== 'won' && deal.status !== 'lost') return null;
  const createdAt = parsePipedriveTime(deal.add_time);
  const modifiedAt = parsePipedriveTime(deal.update_time);
  if (!createdAt || !modifiedAt) return null;
  const closedText = deal.status === 'won' ? (deal.won_time ?? deal.close_time) : deal.status === 'lost' ? (deal.lost_time ?? deal.close_time) : null;
  const currency = deal.currency?.trim().toUpperCase();
  const title = deal.title.trim();
  return {
    crmId: String(deal.id),
    title,
    customer: ctx.orgName?.trim() || title,
    amount: deal.value === null || deal.value === undefined ? null : decimalText(deal.value),
    currency: currency && /^[A-Z]{3}$/.test(currency) ? currency : null,
    pipelineId: deal.pipeline_id ? String(deal.pipeline_id) : null,
    stageId: deal.stage_id ? String(deal.stage_id) : null,
    status: deal.status,
    ownerId: deal.owner_id ? String(deal.owner_id) : null,
    createdAt,
    closedAt: parsePipedriveTime(closedText),
    type: null,
    recurringMonthly: deal.mrr === null || deal.mrr === undefined || deal.mrr === 0 ? null : decimalText(deal.mrr),
    lostReason: deal.status === 'lost' && deal.lost_reason?.trim() ? deal.lost_reason.trim() : null,
    modifiedAt,
    // The v2 list gives only `stage_change_time` (entry into the current stage); the full history
    // is `/v1/deals/{id}/flow`, one call per deal, too dear for a backfill. A one-entry list would
    // read as "the deal only ever was in this stage", so the connector says it cannot tell.
    stageHistory: null,
    // …but it does date the entry into the current stage: an observed move is recorded at that time.
    stageChangedAt: parsePipedriveTime(deal.stage_change_time ?? null),
    url: ctx.appUrl ? `${ctx.appUrl.replace(/\/+$/, '')}/deal/${deal.id}` : null,
  };
}

/**
 * A deleted deal as a removal, at its `update_time` (the deletion). The API does not say whether
 * a deletion was a merge (only the v2 webhook's `meta.merged_to_id` does).
 */
export function toCrmRemoval(deal: TPipedriveDeal, fallback: Date): TCrmRemoval {
  return { crmId: String(deal.id), removedAt: parsePipedriveTime(deal.update_time) ?? fallback, mergedIntoCrmId: null };
}

/**
 * Stages in display order with their pipeline: `order` is the 0-based position within the
 * pipeline by `order_nr` (Pipedrive's numbers need not start at 0 or be contiguous); deleted
 * stages and pipelines are left out. No stage is won or closed: Pipedrive keeps that in the deal's
 * status.
 *
 * @example
 * toCrmStages([{ id: 5, name: 'Demo', order_nr: 4, pipeline_id: 1 }, { id: 2, name: 'Lead', order_nr: 1, pipeline_id: 1 }],
 *   [{ id: 1, name: 'Sales' }])
 * // → [{ id: '2', order: 0, label: 'Lead', … }, { id: '5', order: 1, label: 'Demo', … }]
 */
export function toCrmStages(stages: TPipedriveStage[], pipelines: TPipedrivePipeline[]): TCrmStage[] {
  const livePipelines = pipelines.filter((p) => p.is_deleted !== true);
  const pipelineRank = new Map(
    [...livePipelines].sort((a, b) => (a.order_nr ?? 0) - (b.order_nr ?? 0) || a.id - b.id).map((p, i) => [p.id, { rank: i, name: p.name }]),
  );
  const byPipeline = new Map<number, TPipedriveStage[]>();
  for (const s of stages) {
    if (s.is_deleted === true || !pipelineRank.has(s.pipeline_id)) continue;
    const list = byPipeline.get(s.pipeline_id) ?? [];
    list.push(s);
    byPipeline.set(s.pipeline_id, list);
  }
  const out: Array<TCrmStage & { rank: number }> = [];
  for (const [pipelineId, list] of byPipeline) {
    const pipeline = pipelineRank.get(pipelineId)!;
    list.sort((a, b) => a.order_nr - b.order_nr || a.id - b.id);
    list.forEach((s, order) => {
      out.push({ id: String(s.id), pipelineId: String(pipelineId), pipelineLabel: pipeline.name, label: s.name, order, isWon: false, isClosed: false, rank: pipeline.rank });
    });
  }
  out.sort((a, b) => a.rank - b.rank || a.order - b.order);
  return out.map(({ rank: _rank, ...stage }) => stage);
}

/** v1 user as the port's owner. */
export function toCrmOwner(user: z.infer<typeof ZPipedriveUser>): TCrmOwner {
  const email = user.email?.trim().toLowerCase();
  return { id: String(user.id), email: email || null, name: user.name?.trim() || null, active: user.active_flag !== false };
}

/**
 * The resume point of a Pipedrive pull, stored by the sync as opaque text.
 * - `since`: the run's `updated_since` (null: a full load);
 * - `pageCursor`: Pipedrive's `next_cursor` inside a run (null: the run has not started a page);
 * - `maxUpdate`: the newest `update_time` this run has seen so far;
 * - `atMax`: fingerprints of the deals seen at `maxUpdate` (id → hash);
 * - `skip`: the previous run's `atMax`. `updated_since` is inclusive and has whole-second
 *   resolution, so a run re-lists the deals of the previous run's last second; those whose content
 *   is unchanged are skipped, and one edited again within that same second still comes through.
 */
export const ZPipedriveCursor = z.object({
  v: z.literal(1),
  since: z.string().nullable(),
  pageCursor: z.string().nullable(),
  maxUpdate: z.string().nullable(),
  atMax: z.record(z.string(), z.string()),
  skip: z.record(z.string(), z.string()),
});
export type TPipedriveCursor = z.infer<typeof ZPipedriveCursor>;

/** The boundary set stays small; past this many deals in one second they are simply re-sent. */
export const MAX_BOUNDARY_IDS = 1000;

export const START_CURSOR: TPipedriveCursor = { v: 1, since: null, pageCursor: null, maxUpdate: null, atMax: {}, skip: {} };

/** Parses a stored cursor; null when it is not one of ours. */
export function readCursor(text: string | null): TPipedriveCursor | null {
  if (text === null) return START_CURSOR;
  try {
    const parsed = ZPipedriveCursor.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * A short content hash of a listed deal, for the boundary de-duplication.
 *
 * @example
 * dealFingerprint({ id: 1, title: 'A', status: 'open', add_time: 'x', update_time: 'y' }).length // → 16
 */
export function dealFingerprint(deal: TPipedriveDeal): string {
  const keys = Object.keys(deal).sort();
  const canonical = JSON.stringify(deal, keys);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
