export interface TMrr {
  readonly mrrMinor: bigint;
  /** MRR × 12. */
  readonly arrMinor: bigint;
  readonly subscriptions: number;
}

/**
 * ARR = MRR × 12.
 *
 * @example
 * computeArr(300_000_000n); // 3_600_000_000n
 */
export function computeArr(mrrMinor: bigint): bigint {
  return mrrMinor * 12n;
}

/**
 * MRR (SPEC §1.4) = sum of the monthly recurring amounts of subscriptions active at the instant;
 * ARR = MRR × 12. An empty list gives 0 (not null: no subscriptions is a real 0).
 *
 * @example
 * computeMrr(Array.from({ length: 30 }, () => 10_000_000n));
 * // { mrrMinor: 300_000_000n, arrMinor: 3_600_000_000n, subscriptions: 30 } (the article, VND)
 */
export function computeMrr(subscriptionsMonthlyMinor: readonly bigint[]): TMrr {
  const mrrMinor = subscriptionsMonthlyMinor.reduce((s, x) => s + x, 0n);
  return { mrrMinor, arrMinor: computeArr(mrrMinor), subscriptions: subscriptionsMonthlyMinor.length };
}
