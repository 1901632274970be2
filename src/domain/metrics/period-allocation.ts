import { mulDivRoundHalfUp } from './bigint-math.js';
import type { TDateRange } from './scope.js';

/**
 * Milliseconds of `[a.start, a.end)` ∩ `[b.start, b.end)`.
 *
 * @example
 * overlapMs({ start: new Date(0), end: new Date(10) }, { start: new Date(5), end: new Date(20) }); // 5
 */
export function overlapMs(a: TDateRange, b: TDateRange): number {
  return Math.max(0, Math.min(a.end.getTime(), b.end.getTime()) - Math.max(a.start.getTime(), b.start.getTime()));
}

export interface TQuotaRow {
  readonly periodStart: Date;
  readonly periodEnd: Date;
  /** month | quarter | year (any string: rows are grouped by it). */
  readonly periodKind: string;
  readonly amountMinor: bigint;
}

export interface TQuotaAllocation {
  readonly quotaMinor: bigint;
  /** 'inside': only whole quotas inside the range were summed; 'prorated': at least one was pro-rated. */
  readonly method: 'inside' | 'prorated';
  readonly periodKind: string;
  readonly rows: number;
}

/**
 * The quota of one owner (rep or team) for a range. Rule:
 * 1. Quotas lying fully inside the range are summed whole (October inside Q4 → October's quota).
 * 2. A quota that only partly overlaps the range (e.g. a quarter containing a month, or two months
 *    under "last 30 days") counts pro-rata by time: amount × overlap / quota length, rounded half up.
 * 3. Rows are grouped by period kind and ONE kind is used, so monthly and quarterly quotas are never
 *    added together: the kind covering most of the range wins; on a tie, the kind with more
 *    whole-inside coverage (an explicit monthly quota beats a pro-rated quarter); then the coarser
 *    kind (a yearly quota beats 12 monthly ones for a year).
 * Returns null when no quota overlaps the range.
 *
 * @example
 * allocateQuota([{ periodKind: 'quarter', amountMinor: 9_200n,
 *   periodStart: new Date('2025-10-01T00:00:00Z'), periodEnd: new Date('2026-01-01T00:00:00Z') }],
 *   { start: new Date('2025-10-01T00:00:00Z'), end: new Date('2025-11-01T00:00:00Z') });
 * // { quotaMinor: 3_100n, method: 'prorated', periodKind: 'quarter', rows: 1 } (31 of 92 days)
 */
export function allocateQuota(rows: readonly TQuotaRow[], range: TDateRange): TQuotaAllocation | null {
  interface Group {
    kind: string;
    coverage: number;
    inside: number;
    totalLen: number;
    rows: number;
    amount: bigint;
    prorated: boolean;
  }
  const groups = new Map<string, Group>();
  const rs = range.start.getTime();
  const re = range.end.getTime();
  for (const row of rows) {
    const span = { start: row.periodStart, end: row.periodEnd };
    const ov = overlapMs(span, range);
    if (ov <= 0) continue;
    const len = row.periodEnd.getTime() - row.periodStart.getTime();
    const isInside = row.periodStart.getTime() >= rs && row.periodEnd.getTime() <= re;
    const g = groups.get(row.periodKind) ?? { kind: row.periodKind, coverage: 0, inside: 0, totalLen: 0, rows: 0, amount: 0n, prorated: false };
    g.coverage += ov;
    g.totalLen += len;
    g.rows += 1;
    if (isInside) {
      g.inside += ov;
      g.amount += row.amountMinor;
    } else {
      g.amount += mulDivRoundHalfUp(row.amountMinor, BigInt(ov), BigInt(len));
      g.prorated = true;
    }
    groups.set(row.periodKind, g);
  }
  let best: Group | null = null;
  for (const g of groups.values()) {
    if (best === null) {
      best = g;
      continue;
    }
    const better =
      g.coverage !== best.coverage
        ? g.coverage > best.coverage
        : g.inside !== best.inside
          ? g.inside > best.inside
          : g.totalLen / g.rows !== best.totalLen / best.rows
            ? g.totalLen / g.rows > best.totalLen / best.rows
            : g.kind < best.kind;
    if (better) best = g;
  }
  if (best === null) return null;
  return { quotaMinor: best.amount, method: best.prorated ? 'prorated' : 'inside', periodKind: best.kind, rows: best.rows };
}

