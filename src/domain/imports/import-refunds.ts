import { customerKey } from '../../shared/customer-key.js';
import type { SqlRunner } from '../../storage/bulk-insert.js';
import {
  dealsByExternalIds,
  insertImportedRefunds,
  ratesOf,
  refundsByExternalIds,
  updateImportedRefunds,
  wonDealsByCustomerKeys,
  type TImportRefundRow,
  type TStoredImportRefund,
} from '../../storage/queries/refund-import.js';
import { convertMinor, exceedsReportingCap, formatMoney, MAX_REPORTING_MINOR } from '../money.js';
import type { TDealDraft, TRefundDraft, TRowIssue } from './types.js';

interface TPlannedRefund {
  line: number;
  draft: TRefundDraft;
  /** The refunded deal: its id when stored, and its external id when it has one (a deal of this file may not be stored yet). */
  dealId: number | null;
  dealExternalId: string | null;
  amountReportingMinor: bigint;
}

export interface TRefundPlan {
  inserts: TPlannedRefund[];
  updates: Array<TPlannedRefund & { existing: TStoredImportRefund }>;
  unchanged: number;
  issues: TRowIssue[];
}

export const EMPTY_REFUND_PLAN: TRefundPlan = { inserts: [], updates: [], unchanged: 0, issues: [] };

/**
 * What the refund rows of an import would do, read-only: each row's won deal (by
 * `deal_external_id` — a deal of this file wins over the stored one, the file being the source of
 * truth — or as the customer's only won deal), its reporting amount, and whether the refund stored
 * under that external id is new, changed or identical. Rows that cannot be resolved are issues.
 */
export async function planRefunds(
  run: SqlRunner,
  o: { workspaceId: number | null; reportingCurrency: string; refunds: ReadonlyArray<{ line: number; draft: TRefundDraft }>; fileDeals: ReadonlyArray<{ draft: TDealDraft }>; file: string },
): Promise<TRefundPlan> {
  if (o.refunds.length === 0) return EMPTY_REFUND_PLAN;
  const issues: TRowIssue[] = [];
  const fileDeals = new Map(o.fileDeals.map((d) => [d.draft.externalId, { status: d.draft.status, key: customerKey(d.draft.customer) }]));
  const named = o.refunds.flatMap((r) => (r.draft.dealExternalId ? [r.draft.dealExternalId] : []));
  const keys = o.refunds.flatMap((r) => (!r.draft.dealExternalId && r.draft.customer ? [customerKey(r.draft.customer)] : []));
  // Won deals of this file a refund may find by customer: their stored ids too (a re-import).
  const keySet = new Set(keys);
  const fileWonByKey = [...fileDeals.entries()].filter(([, d]) => d.status === 'won' && keySet.has(d.key)).map(([externalId]) => externalId);
  const stored = o.workspaceId === null ? [] : await dealsByExternalIds(run, o.workspaceId, [...named, ...fileWonByKey]);
  const storedById = new Map(stored.map((d) => [d.externalId ?? '', d]));
  const storedWon = o.workspaceId === null ? [] : await wonDealsByCustomerKeys(run, o.workspaceId, keys);
  const rates = o.workspaceId === null ? new Map<string, number>() : await ratesOf(run, o.workspaceId);

  const valid: TPlannedRefund[] = [];
  for (const { line, draft } of o.refunds) {
    let target: { dealId: number | null; dealExternalId: string | null } | null = null;
    if (draft.dealExternalId) {
      const inFile = fileDeals.get(draft.dealExternalId);
      const inDb = storedById.get(draft.dealExternalId);
      const status = inFile?.status ?? inDb?.status;
      if (status === undefined) {
        issues.push({ file: o.file, line, field: 'deal_external_id', kind: 'unknown deal', message: `deal_external_id ${draft.dealExternalId} is no deal of this file nor one imported before` });
        continue;
      }
      if (status !== 'won') {
        issues.push({ file: o.file, line, field: 'deal_external_id', kind: 'deal not won', message: `deal ${draft.dealExternalId} is ${status}: refunds are recorded against won deals` });
        continue;
      }
      target = { dealId: inDb?.id ?? null, dealExternalId: draft.dealExternalId };
    } else {
      const key = customerKey(draft.customer ?? '');
      // A stored deal that this file also carries counts as the file says.
      const fromDb = storedWon.filter((d) => d.customerKey === key && !(d.externalId !== null && fileDeals.has(d.externalId)));
      const fromFile = [...fileDeals.entries()].filter(([, d]) => d.status === 'won' && d.key === key).map(([externalId]) => externalId);
      const count = fromDb.length + fromFile.length;
      if (count !== 1) {
        issues.push({
          file: o.file,
          line,
          field: 'customer',
          kind: count === 0 ? 'no won deal' : 'several won deals',
          message: count === 0 ? `customer ${draft.customer ?? ''} has no won deal to refund` : `customer ${draft.customer ?? ''} has ${count} won deals: name one with deal_external_id`,
        });
        continue;
      }
      const externalId = fromFile[0] ?? fromDb[0]?.externalId ?? null;
      target = { dealId: fromDb[0]?.id ?? (externalId ? (storedById.get(externalId)?.id ?? null) : null), dealExternalId: externalId };
    }
    const rate = draft.currency === o.reportingCurrency ? 1 : rates.get(draft.currency);
    if (rate === undefined) {
      issues.push({ file: o.file, line, field: 'currency', kind: 'no conversion rate', message: `${draft.currency} amount, but the workspace reports in ${o.reportingCurrency} and has no ${draft.currency} rate (an admin sets one with /kpi rate ${draft.currency} …)` });
      continue;
    }
    const amountReportingMinor = draft.currency === o.reportingCurrency ? draft.amountMinor : convertMinor(draft.amountMinor, draft.currency, o.reportingCurrency, rate);
    if (exceedsReportingCap(amountReportingMinor)) {
      issues.push({ file: o.file, line, field: 'amount', kind: 'too large', message: `amount is worth more than ${formatMoney(MAX_REPORTING_MINOR, o.reportingCurrency)} in ${o.reportingCurrency}, the largest single amount the app records` });
      continue;
    }
    valid.push({ line, draft, ...target, amountReportingMinor });
  }

  const existing = o.workspaceId === null ? new Map<string, TStoredImportRefund>() : new Map((await refundsByExternalIds(run, o.workspaceId, valid.map((r) => r.draft.externalId))).map((r) => [r.externalId, r]));
  const inserts: TPlannedRefund[] = [];
  const updates: TRefundPlan['updates'] = [];
  let unchanged = 0;
  for (const r of valid) {
    const e = existing.get(r.draft.externalId);
    if (!e) inserts.push(r);
    else if (
      r.dealId !== e.dealId ||
      r.draft.amountMinor !== e.amountMinor ||
      r.draft.currency !== e.currency ||
      r.amountReportingMinor !== e.amountReportingMinor ||
      r.draft.reason !== e.reason ||
      r.draft.refundedAt.getTime() !== e.recordedAt.getTime()
    ) {
      updates.push({ ...r, existing: e });
    } else unchanged++;
  }
  return { inserts, updates, unchanged, issues };
}

/** Writes a refund plan inside the import's transaction, after its deals (so new deals have ids). */
export async function applyRefunds(run: SqlRunner, workspaceId: number, plan: TRefundPlan): Promise<void> {
  const planned = [...plan.inserts, ...plan.updates];
  if (planned.length === 0) return;
  const missing = planned.flatMap((r) => (r.dealId === null && r.dealExternalId ? [r.dealExternalId] : []));
  const ids = new Map((await dealsByExternalIds(run, workspaceId, missing)).map((d) => [d.externalId ?? '', d.id]));
  const row = (r: TPlannedRefund): TImportRefundRow => {
    const dealId = r.dealId ?? ids.get(r.dealExternalId ?? '');
    if (dealId === undefined) throw new Error(`import: deal ${r.dealExternalId ?? '?'} of refund ${r.draft.externalId} was not written`);
    return { dealId, amountMinor: r.draft.amountMinor, currency: r.draft.currency, amountReportingMinor: r.amountReportingMinor, reason: r.draft.reason, recordedAt: r.draft.refundedAt, externalId: r.draft.externalId };
  };
  await insertImportedRefunds(run, workspaceId, plan.inserts.map(row));
  await updateImportedRefunds(run, plan.updates.map((u) => ({ ...row(u), id: u.existing.id })));
}
