import type { Deal } from '../../storage/models.js';

/** JSON form of a deal for the audit trail (bigints as strings, dates as ISO). */
export type TDealSnapshot = Record<string, string | number | boolean | null>;

export function snapshotDeal(deal: Deal): TDealSnapshot {
  const out: TDealSnapshot = {};
  for (const [k, v] of Object.entries(deal)) {
    if (typeof v === 'bigint') out[k] = v.toString();
    else if (v instanceof Date) out[k] = v.toISOString();
    else if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}

const BIGINT_FIELDS = ['amountMinor', 'amountReportingMinor', 'discountMinor', 'discountReportingMinor', 'recurringMonthlyMinor', 'recurringReportingMinor'] as const;
const DATE_FIELDS = ['createdAt', 'closedAt', 'updatedAt', 'subscriptionStart', 'subscriptionEnd'] as const;

/** Inverse of snapshotDeal, for restoring a deal on undo. */
export function dealFromSnapshot(s: TDealSnapshot): Deal {
  const out: Record<string, unknown> = { ...s };
  for (const f of BIGINT_FIELDS) out[f] = s[f] === null || s[f] === undefined ? null : BigInt(String(s[f]));
  for (const f of DATE_FIELDS) out[f] = s[f] === null || s[f] === undefined ? null : new Date(String(s[f]));
  return out as unknown as Deal;
}
