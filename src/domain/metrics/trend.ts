export type TTrend = 'growing' | 'shrinking' | 'flat' | 'insufficient-data';

export interface TTrendReading {
  readonly trend: TTrend;
  /** (last − baseline) / |baseline|, or null when it cannot be computed. */
  readonly change: number | null;
  /** Mean of the earlier values, or the pooled baseline given. */
  readonly baseline: number | null;
  readonly last: number | null;
  /** Values that took part (nulls dropped). */
  readonly points: number;
}

/**
 * Trend of a series ordered oldest → newest. Rule (chosen because it reads plainly in Slack,
 * "this period is 12% above the average of the 5 before"): nulls (periods without data) are
 * dropped; with fewer than 2 values → 'insufficient-data'; otherwise compare the last value with
 * the mean of the earlier ones: change = (last − mean) / |mean|; change > flatBand → 'growing',
 * change < −flatBand → 'shrinking', else 'flat'. A zero mean: last > 0 growing, < 0 shrinking, 0 flat.
 * KPI reports of a rate or an average pass `baseline`, the POOLED trailing average of the
 * comparison policy (`trailing-averages.ts`), so the trend reads against the very figure printed as
 * "the average of the 3 months before" (null baseline → 'insufficient-data').
 *
 * @example
 * readTrend([100, 100, 120]); // { trend: 'growing', change: 0.2, baseline: 100, last: 120, points: 3 }
 * readTrend([0.5, 0.2, 0.3], { baseline: 0.25 }).change; // 0.2 (against the pooled 0.25, not the mean 0.35)
 */
export function readTrend(
  values: ReadonlyArray<number | bigint | null>,
  { flatBand = 0.05, baseline: given }: { flatBand?: number; baseline?: number | bigint | null } = {},
): TTrendReading {
  const xs = values.filter((v): v is number | bigint => v !== null).map((v) => Number(v));
  if (xs.length < 2 || given === null) {
    return { trend: 'insufficient-data', change: null, baseline: null, last: xs.at(-1) ?? null, points: xs.length };
  }
  const last = xs[xs.length - 1] ?? 0;
  const earlier = xs.slice(0, -1);
  const baseline = given === undefined ? earlier.reduce((s, x) => s + x, 0) / earlier.length : Number(given);
  if (baseline === 0) {
    const trend: TTrend = last > 0 ? 'growing' : last < 0 ? 'shrinking' : 'flat';
    return { trend, change: null, baseline, last, points: xs.length };
  }
  const change = (last - baseline) / Math.abs(baseline);
  const trend: TTrend = change > flatBand ? 'growing' : change < -flatBand ? 'shrinking' : 'flat';
  return { trend, change, baseline, last, points: xs.length };
}

/**
 * The trend label only (see `readTrend` for the rule).
 *
 * @example
 * classifyTrend([100, 100, 120]); // 'growing'
 * classifyTrend([100, 103]); // 'flat' (within ±5%)
 * classifyTrend([100]); // 'insufficient-data'
 */
export function classifyTrend(values: ReadonlyArray<number | bigint | null>, opts: { flatBand?: number } = {}): TTrend {
  return readTrend(values, opts).trend;
}
