import { DEAL_TYPES, type TDealType } from '../../shared/metric-scope.js';

export { DEAL_TYPES, type TDealType };

export interface TRevenueMix {
  /** Shares in tenths of a percent (625 = 62.5%), summing to exactly 1000. */
  readonly tenths: Readonly<Record<TDealType, number>>;
  /** The same shares as percentages with one decimal (62.5), summing to 100.0 when printed. */
  readonly pct: Readonly<Record<TDealType, number>>;
  /** Amounts the shares were computed from (negative components counted as 0). */
  readonly amounts: Readonly<Record<TDealType, bigint>>;
  readonly totalMinor: bigint;
}

/**
 * Mix of net won revenue (SPEC §1.4): % new business, % upsell/expansion, % renewal. Shares are
 * rounded to one decimal with the largest-remainder method so they add up to exactly 100.0%
 * (ties go to new, then upsell, then renewal). A negative component (more refunds than sales of
 * that type) counts as 0. Null when the total is <= 0.
 *
 * @example
 * computeRevenueMix({ newMinor: 4_000n, upsellMinor: 2_000n, renewalMinor: 1_000n })?.pct;
 * // { new: 57.1, upsell: 28.6, renewal: 14.3 }
 */
export function computeRevenueMix({
  newMinor,
  upsellMinor,
  renewalMinor,
}: {
  newMinor: bigint;
  upsellMinor: bigint;
  renewalMinor: bigint;
}): TRevenueMix | null {
  const amounts: Record<TDealType, bigint> = {
    new: newMinor > 0n ? newMinor : 0n,
    upsell: upsellMinor > 0n ? upsellMinor : 0n,
    renewal: renewalMinor > 0n ? renewalMinor : 0n,
  };
  const total = amounts.new + amounts.upsell + amounts.renewal;
  if (total <= 0n) return null;
  const parts = DEAL_TYPES.map((type, order) => {
    const scaled = amounts[type] * 1000n;
    return { type, order, floor: scaled / total, rem: scaled % total };
  });
  let missing = 1000n - parts.reduce((s, p) => s + p.floor, 0n);
  const byRemainder = [...parts].sort((a, b) => (a.rem === b.rem ? a.order - b.order : a.rem > b.rem ? -1 : 1));
  for (const p of byRemainder) {
    if (missing <= 0n) break;
    p.floor += 1n;
    missing -= 1n;
  }
  const tenths = { new: 0, upsell: 0, renewal: 0 };
  const pct = { new: 0, upsell: 0, renewal: 0 };
  for (const p of parts) {
    tenths[p.type] = Number(p.floor);
    pct[p.type] = Number(p.floor) / 10;
  }
  return { tenths, pct, amounts, totalMinor: total };
}
