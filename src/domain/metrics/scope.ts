export type { TDateRange, TOpenDeal, TRepRef, TScope } from '../../shared/metric-scope.js';
import type { TDateRange } from '../../shared/metric-scope.js';

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

/** Where a period stands at an instant: not begun, running, or over (its end has passed). */
export type TPeriodPhase = 'upcoming' | 'running' | 'ended';

/**
 * The phase of `range` at `now`. An ended period is described as finished ("closed at …"), never
 * with pacing ("expected by now", "heading for"), which only means something while it runs.
 *
 * @example
 * periodPhase({ start: new Date(0), end: new Date(100) }, new Date(100)); // 'ended'
 * periodPhase({ start: new Date(0), end: new Date(100) }, new Date(50)); // 'running'
 */
export function periodPhase(range: TDateRange, now: Date): TPeriodPhase {
  if (now.getTime() >= range.end.getTime()) return 'ended';
  if (now.getTime() < range.start.getTime()) return 'upcoming';
  return 'running';
}
