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

/**
 * Length of a range in milliseconds (0 when end <= start).
 *
 * @example
 * rangeMs({ start: new Date(0), end: new Date(1000) }); // 1000
 */
export function rangeMs(range: TDateRange): number {
  return Math.max(0, range.end.getTime() - range.start.getTime());
}

/**
 * Share of `range` that has elapsed at `now`, clamped to [0, 1]. An empty range counts as fully
 * elapsed once `now` has reached its end.
 *
 * @example
 * computeElapsedShare({ start: new Date(0), end: new Date(100) }, new Date(25)); // 0.25
 */
export function computeElapsedShare(range: TDateRange, now: Date): number {
  const len = rangeMs(range);
  const t = now.getTime();
  if (len === 0) return t >= range.end.getTime() ? 1 : 0;
  const share = (t - range.start.getTime()) / len;
  return Math.min(1, Math.max(0, share));
}
