import { pooledStepRate } from './trailing-averages.js';

export interface TFunnelStep {
  /** Index of the step: from stage `index` to stage `index + 1`. */
  readonly index: number;
  readonly from: string;
  readonly to: string;
  /** Deals that reached `from`. */
  readonly reached: number;
  /** Deals that reached `to`. */
  readonly advanced: number;
  /** advanced / reached, null when no deal reached `from`. */
  readonly rate: number | null;
}

export interface TFunnel {
  /** Stage names, the last one being the won stage. */
  readonly stages: readonly string[];
  readonly reachedCounts: readonly number[];
  readonly steps: readonly TFunnelStep[];
  /** Lowest-conversion step (ties → earliest); null when no step has a rate. */
  readonly biggestLeak: TFunnelStep | null;
  /** won / first stage, null without deals. */
  readonly overallRate: number | null;
  readonly reason: string | null;
}

/**
 * Stage-to-stage conversion (SPEC §1.5). `reachedCounts[k]` = deals (of the cohort) that reached
 * stage k or later, the last entry being won. `stages` names either every entry (same length), or
 * only the open stages, in which case 'won' is appended.
 *
 * @example
 * computeFunnel({ stages: ['lead', 'call', 'trial'], reachedCounts: [1000, 400, 200, 50] }).biggestLeak;
 * // { index: 2, from: 'trial', to: 'won', reached: 200, advanced: 50, rate: 0.25 } (the article)
 */
export function computeFunnel({ stages, reachedCounts }: { stages: readonly string[]; reachedCounts: readonly number[] }): TFunnel {
  let names: string[];
  if (stages.length === reachedCounts.length) names = [...stages];
  else if (stages.length + 1 === reachedCounts.length) names = [...stages, 'won'];
  else throw new RangeError(`computeFunnel: ${reachedCounts.length} counts for ${stages.length} stages`);
  const steps: TFunnelStep[] = [];
  for (let k = 0; k + 1 < reachedCounts.length; k++) {
    const reached = reachedCounts[k] ?? 0;
    const advanced = reachedCounts[k + 1] ?? 0;
    steps.push({ index: k, from: names[k] ?? '', to: names[k + 1] ?? '', reached, advanced, rate: reached > 0 ? advanced / reached : null });
  }
  let biggestLeak: TFunnelStep | null = null;
  for (const s of steps) {
    if (s.rate === null) continue;
    if (biggestLeak === null || (biggestLeak.rate !== null && s.rate < biggestLeak.rate)) biggestLeak = s;
  }
  const first = reachedCounts[0] ?? 0;
  const last = reachedCounts[reachedCounts.length - 1] ?? 0;
  return {
    stages: names,
    reachedCounts: [...reachedCounts],
    steps,
    biggestLeak,
    overallRate: first > 0 ? last / first : null,
    reason: first > 0 ? null : 'no deals entered the funnel in this period',
  };
}

export interface TLeakComparison {
  readonly rate: number | null;
  /** The step's pooled rate over the trailing periods: Σadvanced / Σreached (null when none reached it). */
  readonly trailingAverage: number | null;
  /** rate − trailing average, in ratio points (−0.05 = 5 percentage points worse). */
  readonly delta: number | null;
  /** Within ±tolerance (default 1 percentage point) → 'same'. */
  readonly reading: 'worse' | 'better' | 'same' | 'no-history';
  /** Trailing periods in which some deal reached the step. */
  readonly periods: number;
}

/**
 * Compares a funnel step's conversion with its own trailing average (SPEC §1.5). The trailing
 * average is pooled (`pooledStepRate`): the deals that advanced over the deals that reached the
 * step, summed over the trailing periods (a missing step counts as nothing reached).
 *
 * @example
 * compareLeakToTrailing({ rate: 0.25 }, [{ reached: 10, advanced: 3 }, { reached: 30, advanced: 12 }, null]);
 * // trailingAverage 0.375 (15 of 40), delta −0.125, 'worse', periods 2
 */
export function compareLeakToTrailing(
  step: { readonly rate: number | null },
  trailingSteps: ReadonlyArray<{ readonly reached: number; readonly advanced: number } | null | undefined>,
  { tolerance = 0.01 }: { tolerance?: number } = {},
): TLeakComparison {
  const xs = trailingSteps.filter((s): s is { reached: number; advanced: number } => s !== null && s !== undefined && s.reached > 0);
  const trailingAverage = pooledStepRate(xs);
  if (trailingAverage === null || step.rate === null) {
    return { rate: step.rate, trailingAverage, delta: null, reading: 'no-history', periods: xs.length };
  }
  const delta = step.rate - trailingAverage;
  const reading = Math.abs(delta) <= tolerance ? 'same' : delta < 0 ? 'worse' : 'better';
  return { rate: step.rate, trailingAverage, delta, reading, periods: xs.length };
}
