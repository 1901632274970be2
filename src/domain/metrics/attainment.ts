import { maxBig, ratioOf } from './bigint-math.js';

/** One rep's quota attainment (SPEC §1.1). */
export interface TRepAttainment {
  /** net won / quota (1 = 100%), or null without a positive quota. */
  readonly attainment: number | null;
  readonly netWonMinor: bigint;
  readonly quotaMinor: bigint | null;
  /** Quota still to win (never negative); null without a quota. */
  readonly gapMinor: bigint | null;
  /** net won >= quota (exact, in minor units); null without a quota. */
  readonly reached: boolean | null;
  readonly reason: string | null;
}

/**
 * Rep attainment = net won revenue in the period / quota for the period.
 *
 * @example
 * computeRepAttainment({ netWonMinor: 4_500n, quotaMinor: 4_000n }); // attainment 1.125, reached true, gap 0n
 * computeRepAttainment({ netWonMinor: 10n, quotaMinor: null }).reason; // 'no quota set for this period'
 */
export function computeRepAttainment({
  netWonMinor,
  quotaMinor,
}: {
  netWonMinor: bigint;
  quotaMinor: bigint | null;
}): TRepAttainment {
  if (quotaMinor === null || quotaMinor <= 0n) {
    return { attainment: null, netWonMinor, quotaMinor, gapMinor: null, reached: null, reason: 'no quota set for this period' };
  }
  return {
    attainment: ratioOf(netWonMinor, quotaMinor),
    netWonMinor,
    quotaMinor,
    gapMinor: maxBig(0n, quotaMinor - netWonMinor),
    reached: netWonMinor >= quotaMinor,
    reason: null,
  };
}

/** The article's headline figure. */
export interface TAttainmentRatio {
  /** Share (0..1) of reps with a quota whose attainment >= 100%; null when no rep has a quota. */
  readonly ratio: number | null;
  /** Reps with a positive quota in the period. */
  readonly withQuota: number;
  /** Of those, reps at or above 100%. */
  readonly atOrAbove: number;
  readonly reason: string | null;
}

/**
 * Attainment ratio = share of reps *with a quota in the period* whose attainment >= 100%.
 * Reps without a (positive) quota are left out of both counts.
 *
 * @example
 * computeAttainmentRatio([
 *   { netWonMinor: 5n, quotaMinor: 4n },
 *   { netWonMinor: 1n, quotaMinor: 4n },
 *   { netWonMinor: 9n, quotaMinor: null },
 * ]); // { ratio: 0.5, withQuota: 2, atOrAbove: 1, reason: null }
 */
export function computeAttainmentRatio(
  reps: ReadonlyArray<{ readonly netWonMinor: bigint; readonly quotaMinor: bigint | null }>,
): TAttainmentRatio {
  let withQuota = 0;
  let atOrAbove = 0;
  for (const r of reps) {
    if (r.quotaMinor === null || r.quotaMinor <= 0n) continue;
    withQuota++;
    if (r.netWonMinor >= r.quotaMinor) atOrAbove++;
  }
  if (withQuota === 0) return { ratio: null, withQuota, atOrAbove, reason: 'no rep has a quota for this period' };
  return { ratio: atOrAbove / withQuota, withQuota, atOrAbove, reason: null };
}

export type TAttainmentBand = 'unrealistic' | 'healthy' | 'too-easy';

export interface TAttainmentBandReading {
  /** null when the ratio is null. */
  readonly band: TAttainmentBand | null;
  /** SPEC §1.1 advice, null for the healthy band. */
  readonly advice: string | null;
  readonly lowBp: number;
  readonly highBp: number;
  readonly reason: string | null;
}

export const ATTAINMENT_ADVICE: Readonly<Record<TAttainmentBand, string | null>> = {
  unrealistic: 'quotas look unrealistic: hire, coach, or revisit pay and targets',
  healthy: null,
  'too-easy': 'quotas may be too easy: review target setting',
};

/**
 * Bands of the attainment ratio (workspace thresholds in basis points, defaults from the article):
 * ratio < lowBp → 'unrealistic'; lowBp <= ratio < highBp → 'healthy'; ratio >= highBp → 'too-easy'.
 * The comparison tolerates float noise below 1e-6 bp (so 0.6 is exactly 6000 bp).
 *
 * @example
 * classifyAttainmentRatio(0.599).band; // 'unrealistic'
 * classifyAttainmentRatio(0.6).band; // 'healthy'
 * classifyAttainmentRatio(0.899).band; // 'healthy'
 * classifyAttainmentRatio(0.9).band; // 'too-easy'
 */
export function classifyAttainmentRatio(
  ratio: number | null,
  { lowBp = 6000, highBp = 9000 }: { lowBp?: number; highBp?: number } = {},
): TAttainmentBandReading {
  if (ratio === null || !Number.isFinite(ratio)) {
    return { band: null, advice: null, lowBp, highBp, reason: 'no rep has a quota for this period' };
  }
  const bp = Math.round(ratio * 10_000 * 1_000_000) / 1_000_000;
  const band: TAttainmentBand = bp < lowBp ? 'unrealistic' : bp >= highBp ? 'too-easy' : 'healthy';
  return { band, advice: ATTAINMENT_ADVICE[band], lowBp, highBp, reason: null };
}

/** Team (or any group) attainment. */
export interface TTeamAttainment {
  readonly attainment: number | null;
  /** Sum of the members' net won revenue (members without a quota included). */
  readonly netWonMinor: bigint;
  /** The quota used: the team's own quota when given, else the sum of member quotas; null if none. */
  readonly quotaMinor: bigint | null;
  readonly quotaSource: 'team' | 'reps' | 'none';
  readonly gapMinor: bigint | null;
  readonly reason: string | null;
}

/**
 * Team attainment = sum of net won revenue / sum of quotas. A team-level quota, when one is set,
 * replaces the sum of member quotas.
 *
 * @example
 * computeTeamAttainment({ members: [
 *   { netWonMinor: 4_500n, quotaMinor: 4_000n },
 *   { netWonMinor: 1_000n, quotaMinor: 3_100n },
 * ] }); // attainment 5500/7100 ≈ 0.775, quotaSource 'reps'
 */
export function computeTeamAttainment({
  members,
  teamQuotaMinor = null,
}: {
  members: ReadonlyArray<{ readonly netWonMinor: bigint; readonly quotaMinor: bigint | null }>;
  teamQuotaMinor?: bigint | null;
}): TTeamAttainment {
  const netWonMinor = members.reduce((s, m) => s + m.netWonMinor, 0n);
  let quotaMinor: bigint | null = null;
  let quotaSource: TTeamAttainment['quotaSource'] = 'none';
  if (teamQuotaMinor !== null && teamQuotaMinor > 0n) {
    quotaMinor = teamQuotaMinor;
    quotaSource = 'team';
  } else {
    const sum = members.reduce((s, m) => s + (m.quotaMinor !== null && m.quotaMinor > 0n ? m.quotaMinor : 0n), 0n);
    if (sum > 0n) {
      quotaMinor = sum;
      quotaSource = 'reps';
    }
  }
  if (quotaMinor === null) {
    return { attainment: null, netWonMinor, quotaMinor, quotaSource, gapMinor: null, reason: 'no quota set for this period' };
  }
  return {
    attainment: ratioOf(netWonMinor, quotaMinor),
    netWonMinor,
    quotaMinor,
    quotaSource,
    gapMinor: maxBig(0n, quotaMinor - netWonMinor),
    reason: null,
  };
}
