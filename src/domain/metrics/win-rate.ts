/** Win rate (SPEC §1.3): won / (won + lost) among deals closed in the period. */
export interface TWinRate {
  /** 0..1, or null when nothing closed. */
  readonly rate: number | null;
  readonly won: number;
  readonly lost: number;
  /** won + lost */
  readonly closed: number;
  /** Why `rate` is null. */
  readonly reason: string | null;
}

/**
 * Win rate among deals closed in the period.
 *
 * @example
 * computeWinRate({ won: 15, lost: 25 }); // { rate: 0.375, won: 15, lost: 25, closed: 40, reason: null }
 * computeWinRate({ won: 0, lost: 0 }).reason; // 'no closed deals yet'
 */
export function computeWinRate({ won, lost }: { won: number; lost: number }): TWinRate {
  const closed = won + lost;
  if (closed <= 0) return { rate: null, won, lost, closed, reason: 'no closed deals yet' };
  return { rate: won / closed, won, lost, closed, reason: null };
}
