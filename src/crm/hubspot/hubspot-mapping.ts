import { z } from 'zod';
import type { TCrmDeal, TCrmOwner, TCrmStage, TCrmStageEntry } from '../../domain/crm/crm-source.js';

/**
 * Pure mapping from HubSpot CRM v3 shapes onto the CRM port's plain types, and the connector's
 * cursor. Property values arrive as strings (or null) exactly as HubSpot returns them; date-times
 * are ISO 8601 text or epoch milliseconds.
 */

/** Deal properties the connector reads (HubSpot's internal names). */
export const HUBSPOT_DEAL_PROPERTIES = [
  'dealname',
  'amount',
  'deal_currency_code',
  'dealstage',
  'pipeline',
  'hubspot_owner_id',
  'closedate',
  'createdate',
  'hs_lastmodifieddate',
  'dealtype',
  'closed_lost_reason',
  'hs_mrr',
  'hs_is_closed_won',
  'hs_is_closed',
  'hs_merged_object_ids',
] as const;

/** The shape both the list and the search endpoints give each deal (the client's models, reduced). */
export interface THubSpotDealRecord {
  id: string;
  properties: Record<string, string | null | undefined>;
  createdAt?: Date;
  updatedAt?: Date;
  archived?: boolean;
  archivedAt?: Date;
  propertiesWithHistory?: Record<string, Array<{ value: string; timestamp: Date }>>;
}

/**
 * Reads a HubSpot date-time property: ISO 8601 text, or epoch milliseconds as text.
 *
 * @example
 * parseHubSpotTime('2024-03-01T10:00:00.000Z')?.toISOString() // → '2024-03-01T10:00:00.000Z'
 * parseHubSpotTime('1709287200000')?.toISOString() // → '2024-03-01T10:00:00.000Z'
 * parseHubSpotTime('') // → null
 */
export function parseHubSpotTime(value: string | null | undefined): Date | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const text = value.trim();
  const d = /^\d{1,15}$/.test(text) ? new Date(Number(text)) : new Date(text);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * `dealtype` onto new / upsell / renewal. HubSpot's defaults are `newbusiness` and
 * `existingbusiness`; portals often add their own option for renewals.
 *
 * @example
 * mapHubSpotDealType('newbusiness') // → 'new'
 * mapHubSpotDealType('existingbusiness') // → 'upsell'
 * mapHubSpotDealType('Renewal') // → 'renewal'
 * mapHubSpotDealType('partner') // → null
 */
export function mapHubSpotDealType(value: string | null | undefined): TCrmDeal['type'] {
  const v = (value ?? '').trim().toLowerCase();
  if (!v) return null;
  if (v.includes('renew')) return 'renewal';
  if (v === 'newbusiness' || v === 'new business' || v === 'new') return 'new';
  if (v === 'existingbusiness' || v === 'existing business' || v.includes('upsell') || v.includes('expansion')) return 'upsell';
  return null;
}

/**
 * A decimal property as the port wants it: trimmed text, or null when empty or not a number.
 *
 * @example
 * decimalText(' 12000.50 ') // → '12000.50'
 * decimalText('') // → null
 * decimalText('n/a') // → null
 */
export function decimalText(value: string | null | undefined): string | null {
  const v = (value ?? '').trim();
  return /^-?\d+(\.\d+)?$/.test(v) ? v : null;
}

const isTrue = (v: string | null | undefined): boolean => (v ?? '').trim().toLowerCase() === 'true';

/**
 * `hs_merged_object_ids` (`"12;34"`): the deals merged into this one.
 *
 * @example
 * mergedIds('12;34; ') // → ['12', '34']
 */
export function mergedIds(value: string | null | undefined): string[] {
  return (value ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter((s) => /^\d+$/.test(s));
}

/**
 * Stage history from `propertiesWithHistory.dealstage` (HubSpot lists it newest first), oldest
 * first, consecutive repeats folded.
 *
 * @example
 * stageHistoryOf([{ value: 'b', timestamp: new Date(2) }, { value: 'a', timestamp: new Date(1) }])
 * // → [{ stageId: 'a', enteredAt: 1970-01-01T00:00:00.001Z }, { stageId: 'b', enteredAt: 1970-01-01T00:00:00.002Z }]
 */
export function stageHistoryOf(entries: Array<{ value: string; timestamp: Date }> | undefined): TCrmStageEntry[] | null {
  if (!entries) return null;
  const sorted = entries
    .filter((e) => e.value !== '' && !Number.isNaN(new Date(e.timestamp).getTime()))
    .map((e) => ({ stageId: e.value, enteredAt: new Date(e.timestamp) }))
    .sort((a, b) => a.enteredAt.getTime() - b.enteredAt.getTime());
  const out: TCrmStageEntry[] = [];
  for (const e of sorted) if (out.at(-1)?.stageId !== e.stageId) out.push(e);
  return out;
}

/**
 * One HubSpot deal onto the port's deal. Status comes from HubSpot's calculated
 * `hs_is_closed_won` / `hs_is_closed`; the customer is the deal name (company look-ups cost a call
 * per page and are left to a later version); `url` needs the portal id.
 *
 * @example
 * mapHubSpotDeal({ id: '1', properties: { dealname: 'Acme', amount: '10', hs_is_closed_won: 'true',
 *   createdate: '2024-01-01T00:00:00Z', hs_lastmodifieddate: '2024-01-02T00:00:00Z' } }, null).status // → 'won'
 */
export function mapHubSpotDeal(record: THubSpotDealRecord, portalId: string | null): TCrmDeal {
  const p = record.properties;
  const won = isTrue(p.hs_is_closed_won);
  const closed = won || isTrue(p.hs_is_closed);
  const created = parseHubSpotTime(p.createdate) ?? record.createdAt ?? new Date(0);
  const modified = parseHubSpotTime(p.hs_lastmodifieddate) ?? record.updatedAt ?? created;
  const title = (p.dealname ?? '').trim() || `HubSpot deal ${record.id}`;
  const currency = (p.deal_currency_code ?? '').trim().toUpperCase();
  return {
    crmId: record.id,
    title,
    customer: title,
    amount: decimalText(p.amount),
    currency: /^[A-Z]{3}$/.test(currency) ? currency : null,
    pipelineId: p.pipeline?.trim() || null,
    stageId: p.dealstage?.trim() || null,
    status: won ? 'won' : closed ? 'lost' : 'open',
    ownerId: p.hubspot_owner_id?.trim() || null,
    createdAt: created,
    closedAt: closed ? parseHubSpotTime(p.closedate) : null,
    type: mapHubSpotDealType(p.dealtype),
    recurringMonthly: decimalText(p.hs_mrr),
    lostReason: !won && closed ? p.closed_lost_reason?.trim() || null : null,
    modifiedAt: modified,
    stageHistory: stageHistoryOf(record.propertiesWithHistory?.dealstage),
    url: portalId ? `https://app.hubspot.com/contacts/${encodeURIComponent(portalId)}/record/0-3/${encodeURIComponent(record.id)}` : null,
  };
}

/** A pipeline as `GET /crm/v3/pipelines/deals` returns it (stage metadata values are strings). */
export interface THubSpotPipeline {
  id: string;
  label: string;
  displayOrder: number;
  archived: boolean;
  stages: Array<{ id: string; label: string; displayOrder: number; archived: boolean; metadata?: Record<string, string> }>;
}

/**
 * Pipelines and their stages in display order (archived ones left out). A stage is won when
 * HubSpot marks it closed with probability 1.0.
 *
 * @example
 * mapHubSpotStages([{ id: 'default', label: 'Sales', displayOrder: 0, archived: false, stages: [
 *   { id: 'closedwon', label: 'Won', displayOrder: 1, archived: false, metadata: { isClosed: 'true', probability: '1.0' } },
 *   { id: 'appt', label: 'Appointment', displayOrder: 0, archived: false, metadata: { isClosed: 'false', probability: '0.2' } }] }])
 *   .map((s) => `${s.order}:${s.id}:${s.isWon}`) // → ['0:appt:false', '1:closedwon:true']
 */
export function mapHubSpotStages(pipelines: THubSpotPipeline[]): TCrmStage[] {
  const out: TCrmStage[] = [];
  const byOrder = <T extends { displayOrder: number; label: string }>(a: T, b: T): number => a.displayOrder - b.displayOrder || a.label.localeCompare(b.label);
  for (const pipeline of [...pipelines].filter((p) => !p.archived).sort(byOrder)) {
    const stages = pipeline.stages.filter((s) => !s.archived).sort(byOrder);
    stages.forEach((s, order) => {
      const isClosed = isTrue(s.metadata?.isClosed);
      const probability = Number(s.metadata?.probability ?? 'NaN');
      out.push({
        id: s.id,
        pipelineId: pipeline.id,
        pipelineLabel: pipeline.label,
        label: s.label,
        order,
        isClosed,
        isWon: isClosed && probability === 1,
      });
    });
  }
  return out;
}

/**
 * An owner (`GET /crm/v3/owners`): archived owners are listed as inactive.
 *
 * @example
 * mapHubSpotOwner({ id: '7', email: 'Ana@Example.com', firstName: 'Ana', lastName: 'Ruiz', archived: false })
 * // → { id: '7', email: 'ana@example.com', name: 'Ana Ruiz', active: true }
 */
export function mapHubSpotOwner(o: { id: string; email?: string; firstName?: string; lastName?: string; archived: boolean }): TCrmOwner {
  const name = [o.firstName, o.lastName].map((s) => (s ?? '').trim()).filter(Boolean).join(' ');
  const email = (o.email ?? '').trim().toLowerCase();
  return { id: o.id, email: email || null, name: name || null, active: !o.archived };
}

/**
 * The connector's resume point, stored by the sync as opaque text.
 * - `full`: list endpoint, `after` is HubSpot's page token; `startedAt` is when the load began
 *   (epoch ms, the caller's clock), `total` the deal count HubSpot reported at the start.
 * - `incremental`: search on `hs_lastmodifieddate >= windowStart`, ascending; `since` is the
 *   watermark this run started from; `maxSeen` the newest modification seen and `seenAtMax` the ids
 *   already delivered with exactly `windowStart` (skipped when a window restarts there); `after` is
 *   only used while a whole page shares one timestamp.
 * - `archived`: list endpoint with `archived=true`, keeping deals archived at or after
 *   `archivedSince`; `watermark` (and the ids already delivered at exactly that time) is where the
 *   next run's search starts, `maxArchived` moves the next run's `archivedSince`.
 * Between runs the cursor is `incremental` with `windowStart = since` and no `after`.
 */
export const ZHubSpotCursor = z.discriminatedUnion('phase', [
  z.object({ v: z.literal(1), phase: z.literal('full'), after: z.string().nullable(), startedAt: z.number(), total: z.number().nullable() }),
  z.object({
    v: z.literal(1),
    phase: z.literal('incremental'),
    since: z.number(),
    archivedSince: z.number(),
    windowStart: z.number(),
    after: z.string().nullable(),
    maxSeen: z.number().nullable(),
    seenAtMax: z.array(z.string()),
  }),
  z.object({
    v: z.literal(1),
    phase: z.literal('archived'),
    archivedSince: z.number(),
    after: z.string().nullable(),
    maxArchived: z.number().nullable(),
    watermark: z.number(),
    seenAtWatermark: z.array(z.string()),
  }),
]);
export type THubSpotCursor = z.infer<typeof ZHubSpotCursor>;

/**
 * Reads a stored cursor; null for a full load; throws on text this connector did not write.
 *
 * @example
 * decodeHubSpotCursor('{"v":1,"phase":"full","after":null,"startedAt":5,"total":null}')?.phase // → 'full'
 */
export function decodeHubSpotCursor(text: string | null): THubSpotCursor | null {
  if (text === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('HubSpot cursor is not JSON');
  }
  const parsed = ZHubSpotCursor.safeParse(json);
  if (!parsed.success) throw new Error('HubSpot cursor has an unknown shape');
  return parsed.data;
}

/**
 * @example
 * encodeHubSpotCursor({ v: 1, phase: 'full', after: null, startedAt: 5, total: null })
 * // → '{"v":1,"phase":"full","after":null,"startedAt":5,"total":null}'
 */
export function encodeHubSpotCursor(cursor: THubSpotCursor): string {
  return JSON.stringify(cursor);
}
