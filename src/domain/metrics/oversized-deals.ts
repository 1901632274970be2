export interface TOversizedDeal<T> {
  readonly deal: T;
  /** The average won deal the deal was compared with. */
  readonly baselineMinor: bigint;
  readonly baselineSource: 'rep' | 'team';
  /** amount / baseline (e.g. 13.3 = 13.3×). */
  readonly multiple: number;
  /** The rep's remaining quota gap, when known (positive). */
  readonly gapMinor: bigint | null;
  /** The deal's amount is more than half of the rep's remaining quota gap. */
  readonly carriesMostOfGap: boolean;
}

/**
 * Oversized-deal risk (SPEC §1.2): an open deal whose amount >= multiplePct/100 × the owner's
 * average won deal (the team's average when the owner has no won history, i.e. no entry or a
 * non-positive one). Such deals have longer cycles and lower close rates. `carriesMostOfGap` is
 * set when the deal's amount > 50% of the owner's remaining quota gap (gap > 0). Biggest multiple first.
 *
 * @example
 * detectOversizedDeals({
 *   openDeals: [{ dealId: 8, ownerId: 3, amountMinor: 20_000n }],
 *   repAverages: new Map([[3, 1_500n]]),
 *   teamAverage: 1_517n,
 *   remainingGapByRep: new Map([[3, 30_000n]]),
 * }); // one flag: baseline 1_500n (rep), multiple ≈ 13.3, carriesMostOfGap true
 */
export function detectOversizedDeals<T extends { readonly ownerId: number; readonly amountMinor: bigint }>({
  openDeals,
  repAverages,
  teamAverage,
  multiplePct = 400,
  remainingGapByRep = new Map<number, bigint>(),
}: {
  openDeals: readonly T[];
  repAverages: ReadonlyMap<number, bigint | null>;
  teamAverage: bigint | null;
  multiplePct?: number;
  remainingGapByRep?: ReadonlyMap<number, bigint | null>;
}): Array<TOversizedDeal<T>> {
  const out: Array<TOversizedDeal<T>> = [];
  const mult = BigInt(Math.round(multiplePct));
  for (const deal of openDeals) {
    const repAvg = repAverages.get(deal.ownerId) ?? null;
    let baselineMinor: bigint;
    let baselineSource: 'rep' | 'team';
    if (repAvg !== null && repAvg > 0n) {
      baselineMinor = repAvg;
      baselineSource = 'rep';
    } else if (teamAverage !== null && teamAverage > 0n) {
      baselineMinor = teamAverage;
      baselineSource = 'team';
    } else {
      continue;
    }
    if (deal.amountMinor * 100n < baselineMinor * mult) continue;
    const gap = remainingGapByRep.get(deal.ownerId) ?? null;
    const gapMinor = gap !== null && gap > 0n ? gap : null;
    out.push({
      deal,
      baselineMinor,
      baselineSource,
      multiple: Number(deal.amountMinor) / Number(baselineMinor),
      gapMinor,
      carriesMostOfGap: gapMinor !== null && deal.amountMinor * 2n > gapMinor,
    });
  }
  return out.sort((a, b) => b.multiple - a.multiple);
}
