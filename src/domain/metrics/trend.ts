export type TTrend = 'growing' | 'shrinking' | 'flat' | 'insufficient-data';

export interface TTrendReading {
  readonly trend: TTrend;
  /** (last − baseline) / |baseline|, or null when it cannot be computed. */
  readonly change: number | null;
  /** Mean of the earlier values. */
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
 *
 * @example
 * readTrend([100, 100, 120]); // { trend: 'growing', change: 0.2, baseline: 100, last: 120, points: 3 }
 */
export function readTrend(
  values: ReadonlyArray<number | bigint | null>,
  { flatBand = 0.05 }: { flatBand?: number } = {},
): TTrendReading {
  const xs = values.filter((v): v is number | bigint => v !== null).map((v) => Number(v));
  if (xs.length < 2) {
    return { trend: 'insufficient-data', change: null, baseline: null, last: xs.at(-1) ?? null, points: xs.length };
  }
  const last = xs[xs.length - 1] ?? 0;
  const earlier = xs.slice(0, -1);
  const baseline = earlier.reduce((s, x) => s + x, 0) / earlier.length;
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
