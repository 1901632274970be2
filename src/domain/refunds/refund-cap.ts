/** An amount in its own currency and in the workspace's reporting currency. */
export interface TMoneyPair {
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly amountReportingMinor: bigint;
}

export interface TRefundCap {
  /** What can still be refunded without a confirmation, in `currency`. */
  readonly remainingMinor: bigint;
  /** The deal's currency when every earlier refund was in it, else the reporting currency. */
  readonly currency: string;
  /** True when the new refund is more than what is left: it needs an explicit confirmation. */
  readonly exceeds: boolean;
}

/**
 * The cap rule of refunds: never more than what was won on the deal, minus the refunds already
 * recorded against it, without an explicit confirmation. Compared exactly in the deal's own
 * currency when the deal, every earlier refund and the new one share it (so refunding exactly
 * what was won in the same currency never trips over a rounding of the conversion); otherwise in
 * the reporting currency, where every amount was converted when it was written.
 *
 * @example
 * const deal = { amountMinor: 200_000_000n, currency: 'USD', amountReportingMinor: 200_000_000n };
 * checkRefundCap({ deal, earlier: [], refund: deal, reportingCurrency: 'USD' }); // { remainingMinor: 200_000_000n, currency: 'USD', exceeds: false }
 * checkRefundCap({ deal, earlier: [deal], refund: { ...deal, amountMinor: 1n, amountReportingMinor: 1n }, reportingCurrency: 'USD' }).exceeds; // true
 */
export function checkRefundCap(o: { deal: TMoneyPair; earlier: readonly TMoneyPair[]; refund: TMoneyPair; reportingCurrency: string }): TRefundCap {
  const { deal, earlier, refund } = o;
  const sameCurrency = earlier.every((r) => r.currency === deal.currency);
  const sum = (xs: readonly bigint[]) => xs.reduce((s, x) => s + x, 0n);
  if (sameCurrency) {
    const remainingMinor = deal.amountMinor - sum(earlier.map((r) => r.amountMinor));
    if (refund.currency === deal.currency) return { remainingMinor, currency: deal.currency, exceeds: refund.amountMinor > remainingMinor };
  }
  const remainingReporting = deal.amountReportingMinor - sum(earlier.map((r) => r.amountReportingMinor));
  const exceeds = refund.amountReportingMinor > remainingReporting;
  if (sameCurrency) {
    // Told in the deal's currency, decided in the reporting one (the refund is in another currency).
    return { remainingMinor: deal.amountMinor - sum(earlier.map((r) => r.amountMinor)), currency: deal.currency, exceeds };
  }
  return { remainingMinor: remainingReporting, currency: o.reportingCurrency, exceeds };
}
