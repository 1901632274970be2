// The vocabulary of a metrics question (scope, period range, rep and deal references), shared by
// domain/metrics (which computes) and storage/queries (which aggregates): a leaf, so storage needs
// nothing from the domain.

/**
 * What a KPI is computed over: the whole workspace, one sales team (its reps' deals, by the reps'
 * current team), or one rep (deals they own).
 *
 * @example
 * const scope: TScope = { kind: 'team', teamId: 3 };
 */
export type TScope = { kind: 'workspace' } | { kind: 'team'; teamId: number } | { kind: 'rep'; repId: number };

/**
 * A period as an instant range, end exclusive: `[start, end)`. Period parsing and time zones live
 * elsewhere; metrics only see instants.
 *
 * @example
 * const october: TDateRange = { start: new Date('2025-10-01T00:00:00Z'), end: new Date('2025-11-01T00:00:00Z') };
 */
export interface TDateRange {
  readonly start: Date;
  readonly end: Date;
}

/** Identity of a rep as shown next to a figure. */
export interface TRepRef {
  readonly repId: number;
  readonly name: string;
  readonly slackUserId: string | null;
  readonly teamId: number | null;
}

/** An open deal as listed by the metrics queries (amount in reporting currency). */
export interface TOpenDeal {
  readonly dealId: number;
  readonly ownerId: number;
  readonly ownerName: string;
  readonly ownerSlackUserId: string | null;
  readonly ownerTeamId: number | null;
  readonly customer: string;
  readonly amountMinor: bigint;
  readonly stage: string;
  readonly maxStageIndex: number;
  readonly createdAt: Date;
}

/** Kinds of deal revenue is split into, in display order. */
export type TDealType = 'new' | 'upsell' | 'renewal';
export const DEAL_TYPES: readonly TDealType[] = ['new', 'upsell', 'renewal'];

/**
 * The smallest range holding every range (the epoch instant for none).
 *
 * @example
 * hullOf([{ start: new Date('2026-03-01'), end: new Date('2026-04-01') }, { start: new Date('2026-01-01'), end: new Date('2026-02-01') }]);
 * // { start: 2026-01-01, end: 2026-04-01 }
 */
export function hullOf(ranges: readonly TDateRange[]): TDateRange {
  let start = ranges[0]?.start ?? new Date(0);
  let end = ranges[0]?.end ?? new Date(0);
  for (const r of ranges) {
    if (r.start < start) start = r.start;
    if (r.end > end) end = r.end;
  }
  return { start, end };
}
