import { divRoundHalfUp, ratioOf } from './bigint-math.js';

export interface TAverageDiscount {
  /** Mean discount per won deal that has a discount recorded (0 counts as recorded). */
  readonly averageDiscountMinor: bigint | null;
  /** discount / list price, list price = won amount + discount, over deals with a recorded discount. */
  readonly discountRate: number | null;
  readonly discountedDeals: number;
  readonly discountMinor: bigint;
  readonly reason: string | null;
}

/**
 * Average discount (SPEC §1.2), over won deals where a discount was recorded. Won amounts are net
 * of discount, so the rate is discount / (won amount + discount).
 *
 * @example
 * computeAverageDiscount({ discountMinor: 300n, discountedDeals: 1, discountedWonMinor: 3_000n });
 * // averageDiscountMinor 300n, discountRate 300/3300 ≈ 0.0909
 */
export function computeAverageDiscount({
  discountMinor,
  discountedDeals,
  discountedWonMinor,
}: {
  discountMinor: bigint;
  discountedDeals: number;
  discountedWonMinor: bigint;
}): TAverageDiscount {
  if (discountedDeals <= 0) {
    return { averageDiscountMinor: null, discountRate: null, discountedDeals, discountMinor, reason: 'no discounts recorded' };
  }
  return {
    averageDiscountMinor: divRoundHalfUp(discountMinor, BigInt(discountedDeals)),
    discountRate: ratioOf(discountMinor, discountedWonMinor + discountMinor),
    discountedDeals,
    discountMinor,
    reason: null,
  };
}
