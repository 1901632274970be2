export interface TNetRevenue {
  readonly wonMinor: bigint;
  readonly refundsMinor: bigint;
  /** won − refunds; can be negative in a period with more refunds than sales. */
  readonly netMinor: bigint;
}

/**
 * Net revenue (SPEC §1.4) = won amounts in the period − refunds recorded in the period. Discounts
 * are already off the won amount.
 *
 * @example
 * computeNetRevenue({ wonMinor: 7_500n, refundsMinor: 600n }).netMinor; // 6_900n
 */
export function computeNetRevenue({ wonMinor, refundsMinor }: { wonMinor: bigint; refundsMinor: bigint }): TNetRevenue {
  return { wonMinor, refundsMinor, netMinor: wonMinor - refundsMinor };
}
