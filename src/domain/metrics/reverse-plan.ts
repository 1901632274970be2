import { ceilDiv } from './bigint-math.js';

export interface TReversePlan {
  readonly targetMinor: bigint;
  /** ceil(target / average deal); null when the average is unknown or not positive. */
  readonly dealsNeeded: number | null;
  /** ceil(deals needed / conversion rate); null when deals or the rate are unknown, or the rate is 0. */
  readonly leadsNeeded: number | null;
  readonly averageDealMinor: bigint | null;
  readonly conversionRate: number | null;
  /** Why a figure is null. */
  readonly reason: string | null;
}

/**
 * Reverse plan (SPEC §1.3): deals needed = ceil(target / average deal size); leads needed =
 * ceil(deals needed / conversion rate). The leads division tolerates float noise of 1e-9
 * (80 / 0.1 is 800, not 801). A target <= 0 needs 0 deals and 0 leads.
 *
 * @example
 * computeReversePlan({ quotaMinor: 800_000_000n, averageDealMinor: 10_000_000n, conversionRate: 0.1 });
 * // dealsNeeded 80, leadsNeeded 800 (the article's example, VND)
 */
export function computeReversePlan({
  quotaMinor,
  averageDealMinor,
  conversionRate,
}: {
  quotaMinor: bigint;
  averageDealMinor: bigint | null;
  conversionRate: number | null;
}): TReversePlan {
  const base = { targetMinor: quotaMinor, averageDealMinor, conversionRate };
  if (quotaMinor <= 0n) return { ...base, dealsNeeded: 0, leadsNeeded: 0, reason: null };
  if (averageDealMinor === null || averageDealMinor <= 0n) {
    return { ...base, dealsNeeded: null, leadsNeeded: null, reason: 'no won deals yet to estimate the average deal size' };
  }
  const dealsNeeded = Number(ceilDiv(quotaMinor, averageDealMinor));
  if (conversionRate === null || !Number.isFinite(conversionRate) || conversionRate <= 0) {
    return { ...base, dealsNeeded, leadsNeeded: null, reason: 'no conversion rate yet (no leads, or none converted)' };
  }
  const leadsNeeded = Math.ceil(dealsNeeded / Math.min(1, conversionRate) - 1e-9);
  return { ...base, dealsNeeded, leadsNeeded, reason: null };
}
