import { divRoundHalfUp } from './bigint-math.js';
import { computeConversionRate, type TConversionRate } from './conversion-rate.js';
import { computeAverageDealSize, type TAverageDealSize } from './deal-size.js';
import { computeWinRate, type TWinRate } from './win-rate.js';

/**
 * Averages over the trailing periods of the comparison policy (`comparisonPeriods`), the same on
 * every surface. A rate is POOLED: total numerator ÷ total denominator over the periods, never the
 * mean of the periods' rates (a week with 1 closed deal must not weigh as much as one with 40).
 * A money figure per period (net revenue, MRR) is the total ÷ the number of periods.
 */

/**
 * Pooled win rate: Σwon / Σ(won + lost).
 *
 * @example
 * pooledWinRate([{ won: 1, lost: 0 }, { won: 1, lost: 3 }]).rate; // 0.4 (2 of 5; the mean of rates would say 0.625)
 * pooledWinRate([]).rate; // null
 */
export function pooledWinRate(periods: ReadonlyArray<{ readonly won: number; readonly lost: number }>): TWinRate {
  return computeWinRate({ won: periods.reduce((s, p) => s + p.won, 0), lost: periods.reduce((s, p) => s + p.lost, 0) });
}

/**
 * Pooled lead conversion rate: Σconverted / Σleads.
 *
 * @example
 * pooledConversionRate([{ leads: 100, converted: 10 }, { leads: 10, converted: 5 }]).rate; // 0.13636… (15 of 110)
 */
export function pooledConversionRate(periods: ReadonlyArray<{ readonly leads: number; readonly converted: number }>): TConversionRate {
  return computeConversionRate({ leads: periods.reduce((s, p) => s + p.leads, 0), converted: periods.reduce((s, p) => s + p.converted, 0) });
}

/**
 * Pooled average deal size: Σwon amount / Σwon count (rounded half up to a minor unit).
 *
 * @example
 * pooledAverageDealSize([{ wonMinor: 1_000_000n, wonCount: 1 }, { wonMinor: 600_000n, wonCount: 3 }]).averageMinor;
 * // 400_000n ($16,000 over 4 deals; the mean of the two averages would say $6,000)
 */
export function pooledAverageDealSize(periods: ReadonlyArray<{ readonly wonMinor: bigint; readonly wonCount: number }>): TAverageDealSize {
  return computeAverageDealSize({ wonMinor: periods.reduce((s, p) => s + p.wonMinor, 0n), wonCount: periods.reduce((s, p) => s + p.wonCount, 0) });
}

/**
 * Pooled quota attainment: Σnet won / Σquota over the periods that have a quota (> 0); null when
 * none has one. A period without a quota adds neither its revenue nor a quota.
 *
 * @example
 * pooledAttainment([{ netWonMinor: 500n, quotaMinor: 1_000n }, { netWonMinor: 3_000n, quotaMinor: 2_000n }]); // 1.1666… (3,500 of 3,000)
 * pooledAttainment([{ netWonMinor: 500n, quotaMinor: null }]); // null
 */
export function pooledAttainment(periods: ReadonlyArray<{ readonly netWonMinor: bigint; readonly quotaMinor: bigint | null }>): number | null {
  let net = 0n;
  let quota = 0n;
  for (const p of periods) {
    if (p.quotaMinor === null || p.quotaMinor <= 0n) continue;
    net += p.netWonMinor;
    quota += p.quotaMinor;
  }
  return quota > 0n ? Number(net) / Number(quota) : null;
}

/**
 * Pooled stage-to-stage (or overall funnel) conversion: Σadvanced / Σreached; null when nothing
 * reached the stage in any period.
 *
 * @example
 * pooledStepRate([{ reached: 10, advanced: 5 }, { reached: 2, advanced: 0 }]); // 0.41666… (5 of 12)
 */
export function pooledStepRate(periods: ReadonlyArray<{ readonly reached: number; readonly advanced: number }>): number | null {
  const reached = periods.reduce((s, p) => s + p.reached, 0);
  return reached > 0 ? periods.reduce((s, p) => s + p.advanced, 0) / reached : null;
}

/**
 * Average of a money figure per period (net revenue, MRR): total ÷ number of periods, rounded half
 * away from zero; null without periods. Every period counts, an empty one as 0.
 *
 * @example
 * averagePerPeriod([400_000n, 0n, 500_001n]); // 300_000n
 * averagePerPeriod([]); // null
 */
export function averagePerPeriod(values: readonly bigint[]): bigint | null {
  if (values.length === 0) return null;
  return divRoundHalfUp(
    values.reduce((s, v) => s + v, 0n),
    BigInt(values.length),
  );
}
