import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { TCrmDeal, TCrmOwner, TCrmRemoval, TCrmStage, TCrmStageEntry } from '../../domain/crm/crm-source.js';

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

/** v1 `/users/me`: the token's user, with its company (`company_domain`: `acme` for acme.pipedrive.com). */
export const ZPipedriveCurrentUser = z.looseObject({
  success: z.boolean().optional(),
  data: z.looseObject({ company_domain: z.string().nullable().optional() }).nullable(),
});

/**
 * The company's Pipedrive web address from `/users/me`'s `company_domain`; null when it is absent or
 * not a plain DNS label (it becomes part of a link shown in Slack).
 *
 * @example
 * pipedriveAppUrl('acme') // → 'https://acme.pipedrive.com'
 * pipedriveAppUrl('evil.com/x') // → null
 */
export function pipedriveAppUrl(companyDomain: string | null | undefined): string | null {
  const label = companyDomain?.trim().toLowerCase() ?? '';
  return /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label) ? `https://${label}.pipedrive.com` : null;
}

const ZFlowValue = z.union([z.string(), z.number()]).nullable().optional();

/**
 * One item of v1 `GET /deals/{id}/flow` ("List updates about a deal"): `object` names the kind
 * (`dealChange`, `note`, `activity`, …); a `dealChange`'s `data` holds `field_key`, `old_value`,
 * `new_value` and `log_time` (`YYYY-MM-DD HH:MM:SS`, UTC).
 */
export const ZPipedriveFlowItem = z.looseObject({
  object: z.string(),
  timestamp: z.string().nullable().optional(),
  data: z
    .looseObject({ id: z.number().optional(), field_key: z.string().nullable().optional(), old_value: ZFlowValue, new_value: ZFlowValue, log_time: z.string().nullable().optional() })
    .nullable()
    .optional(),
});
export type TPipedriveFlowItem = z.infer<typeof ZPipedriveFlowItem>;

/** A v1 list page: offset paging in `additional_data.pagination` (some answers put it directly in `additional_data`). */
const ZV1Paging = z.looseObject({ more_items_in_collection: z.boolean().optional(), next_start: z.number().int().optional() });
export const ZPipedriveFlow = z.looseObject({
  success: z.boolean().optional(),
  data: z.array(ZPipedriveFlowItem).nullable(),
  additional_data: z.looseObject({ pagination: ZV1Paging.nullable().optional(), more_items_in_collection: z.boolean().optional(), next_start: z.number().int().optional() }).nullable().optional(),
});

/**
 * Where the next flow page starts, or null on the last page.
 *
 * @example flowNextStart({ data: [], additional_data: { pagination: { more_items_in_collection: true, next_start: 500 } } }, 0, 500) // → 500
 */
export function flowNextStart(body: z.infer<typeof ZPipedriveFlow>, start: number, received: number): number | null {
  const paging = body.additional_data?.pagination ?? body.additional_data ?? null;
  if (!paging?.more_items_in_collection || received === 0) return null;
  return paging.next_start ?? start + received;
}

const flowText = (v: string | number | null | undefined): string | null => (v === null || v === undefined || String(v).trim() === '' ? null : String(v).trim());

/**
 * A deal's stage history from its flow: the stage it was created in (the first stage change's
 * `old_value`, entered at `add_time`), then each `stage_id` change at its `log_time`, oldest
 * first; the current stage closes the list when the flow does not end there (at
 * `stage_change_time`). Null when `add_time` is unreadable.
 *
 * @example
 * flowStageHistory({ id: 7, stage_id: 3, add_time: '2025-01-02T09:00:00Z', … },
 *   [{ object: 'dealChange', data: { field_key: 'stage_id', old_value: '1', new_value: '3', log_time: '2025-01-09 10:00:00' } }])
 * // → [{ stageId: '1', enteredAt: 2025-01-02T09:00Z }, { stageId: '3', enteredAt: 2025-01-09T10:00Z }]
 */
export function flowStageHistory(deal: TPipedriveDeal, items: readonly TPipedriveFlowItem[]): TCrmStageEntry[] | null {
  const createdAt = parsePipedriveTime(deal.add_time);
  if (!createdAt) return null;
  const changes: Array<{ from: string | null; to: string; at: Date; seq: number }> = [];
  items.forEach((item, i) => {
    if (item.object !== 'dealChange' || item.data?.field_key !== 'stage_id') return;
    const to = flowText(item.data.new_value);
    const at = parsePipedriveTime(item.data.log_time ?? item.timestamp ?? null);
    if (to === null || at === null) return;
    // Pipedrive lists the newest first: equal times keep the later change (smaller index) last.
    changes.push({ from: flowText(item.data.old_value), to, at, seq: item.data.id ?? -i });
  });
  changes.sort((a, b) => a.at.getTime() - b.at.getTime() || a.seq - b.seq);
  const current = deal.stage_id ? String(deal.stage_id) : null;
  const first = changes[0]?.from ?? current;
  const history: TCrmStageEntry[] = first === null ? [] : [{ stageId: first, enteredAt: createdAt }];
  for (const c of changes) history.push({ stageId: c.to, enteredAt: c.at.getTime() < createdAt.getTime() ? createdAt : c.at });
  if (current !== null && history.at(-1)?.stageId !== current) {
    history.push({ stageId: current, enteredAt: parsePipedriveTime(deal.stage_change_time ?? null) ?? history.at(-1)?.enteredAt ?? createdAt });
  }
  return history;
}

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
    // is `/v1/deals/{id}/flow`, one call per deal: the connector adds it where it pays (a full
    // load, deals past their pipeline's first stage). A one-entry list would read as "the deal
    // only ever was in this stage", so without the flow the connector says it cannot tell.
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
  /**
   * Ids of the current deals page already delivered (a full load fetches each deal's flow, so a
   * page of 500 deals is delivered in parts; the page is listed again for the next part). Absent
   * between pages.
   */
  delivered: z.array(z.string()).optional(),
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
