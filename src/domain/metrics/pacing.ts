import { divRoundHalfUp, ratioOf, scaleByShare } from './bigint-math.js';

export type TPaceStatus = 'on-track' | 'behind' | 'at-risk';

export interface TPacing {
  /** null without a positive quota. */
  readonly status: TPaceStatus | null;
  /** quota × elapsed share, rounded half up; null without a quota. */
  readonly expectedToDateMinor: bigint | null;
  /** net won / expected-to-date (1 = exactly on pace); null when nothing is expected yet or no quota. */
  readonly paceRatio: number | null;
  /** Straight-line projection to the end of the period: net won / elapsed share; null at elapsed 0. */
  readonly projectedMinor: bigint | null;
  readonly elapsedShare: number;
  readonly reason: string | null;
}

/**
 * Pacing against quota (SPEC §1.1). expected-to-date = quota × elapsed share of the period.
 * Cut-offs (workspace settings, defaults shown), compared exactly in minor units:
 * - **on-track**: net won >= 95% (`onTrackBp` 9500) of expected-to-date, or the quota is already met,
 *   or nothing is expected yet (elapsed share 0);
 * - **behind**: between 75% and 95% of expected-to-date;
 * - **at-risk**: below 75% (`atRiskBp` 7500) of expected-to-date.
 *
 * @example
 * computePacing({ netWonMinor: 400n, quotaMinor: 1_000n, elapsedShare: 0.5 }).status; // 'behind' (80% of 500)
 * computePacing({ netWonMinor: 0n, quotaMinor: 1_000n, elapsedShare: 0 }).status; // 'on-track'
 */
export function computePacing({
  netWonMinor,
  quotaMinor,
  elapsedShare,
  onTrackBp = 9500,
  atRiskBp = 7500,
}: {
  netWonMinor: bigint;
  quotaMinor: bigint | null;
  elapsedShare: number;
  onTrackBp?: number;
  atRiskBp?: number;
}): TPacing {
  const share = Number.isFinite(elapsedShare) ? Math.min(1, Math.max(0, elapsedShare)) : 0;
  const projectedMinor = share > 0 ? divRoundHalfUp(netWonMinor * 1_000_000n, BigInt(Math.round(share * 1_000_000)) || 1n) : null;
  if (quotaMinor === null || quotaMinor <= 0n) {
    return { status: null, expectedToDateMinor: null, paceRatio: null, projectedMinor, elapsedShare: share, reason: 'no quota set for this period' };
  }
  const expected = scaleByShare(quotaMinor, share);
  const paceRatio = ratioOf(netWonMinor, expected);
  let status: TPaceStatus;
  if (expected <= 0n || netWonMinor >= quotaMinor || netWonMinor * 10_000n >= expected * BigInt(onTrackBp)) {
    status = 'on-track';
  } else if (netWonMinor * 10_000n < expected * BigInt(atRiskBp)) {
    status = 'at-risk';
  } else {
    status = 'behind';
  }
  return { status, expectedToDateMinor: expected, paceRatio, projectedMinor, elapsedShare: share, reason: null };
}
