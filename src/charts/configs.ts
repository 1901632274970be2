import { formatCount, formatMoney, formatPercent, minorToMajor } from '../domain/money.js';
import { computeFunnel } from '../domain/metrics/funnel.js';
import { cleanText, LIMITS, truncate } from '../shared/block-kit-limits.js';

/**
 * Chart.js configs for the digest charts (SPEC §4), rendered by QuickChart's default Chart.js 2.9.
 *
 * Configs are plain JSON: no functions, short ASCII-friendly titles, integer values, named colours
 * (no `#`, which costs 3 URL characters). `chart-url.ts` turns them into image URLs and shrinks them
 * when a URL would pass Slack's 3,000-character `image_url` limit.
 *
 * Empty data (no weeks, no stages, no reps with a quota) is defined behaviour: the builder still
 * returns a config, with one category labelled `No data` and no values, `empty: true`, and an alt
 * text that says so. Callers that would rather leave the chart out check `empty`.
 */

/** A point on a linear/linear pair of axes (used for reference lines across a category axis). */
export interface TChartPoint {
  x: number;
  y: number;
}

export type TChartValue = number | null;

export interface TChartDataset {
  /** Overrides the chart type for a mixed chart (a line over bars). */
  type?: 'line' | 'bar';
  label: string;
  /** One value per category label, or `{x, y}` points (reference lines). */
  data: TChartValue[] | TChartPoint[];
  backgroundColor?: string | string[];
  borderColor?: string;
  borderWidth?: number;
  fill?: boolean;
  pointRadius?: number;
  yAxisID?: string;
}

export interface TChartAxis {
  id?: string;
  type?: 'linear' | 'category';
  display?: boolean;
  ticks?: { beginAtZero?: boolean; min?: number; max?: number };
}

/** The subset of a Chart.js v2 config these charts use. */
export interface TChartConfig {
  type: 'bar' | 'horizontalBar';
  data: { labels: string[]; datasets: TChartDataset[] };
  options?: {
    title?: { display: boolean; text: string };
    legend?: { display: boolean };
    scales?: { xAxes?: TChartAxis[]; yAxes?: TChartAxis[] };
  };
}

export interface TChart {
  config: TChartConfig;
  /** One sentence with the figure's numbers, at most 2,000 characters (Slack's `alt_text`). */
  altText: string;
  /** True when there was nothing to plot (the config shows a single `No data` category). */
  empty: boolean;
}

/** Label of the single category of an empty chart. */
export const NO_DATA_LABEL = 'No data';

/** Weeks the revenue trend shows (the last ones when more are given). */
export const TREND_WEEKS = 12;

export const COLORS = {
  bar: 'steelblue',
  highlight: 'crimson',
  average: 'orange',
  reference: 'crimson',
} as const;

/** The y axis id of the hidden 0–1 scale that carries full-height reference lines. */
export const REFERENCE_AXIS_ID = 'ref';

function alt(text: string): string {
  return truncate(text, LIMITS.altText);
}

function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

// ---------------------------------------------------------------------------------------------
// Revenue trend
// ---------------------------------------------------------------------------------------------

export interface TRevenueWeek {
  /** Short week label, e.g. `May 12` or `W20`. */
  label: string;
  netMinor: bigint;
  /**
   * Average net revenue of the weeks before this one, as the comparison policy defines it (the
   * caller computes it: the digest uses `averagePerPeriod` over the 4 weeks before); null or
   * absent: no point on the average line.
   */
  trailingAverageMinor?: bigint | null;
}

/**
 * Weekly net revenue as bars (whole major units) with, when the weeks carry one, each week's
 * trailing average as a line (named by `averageLabel`, the policy's words, e.g. `the 4 weeks
 * before`). Oldest week first; only the last 12 weeks are shown. Nothing is averaged here.
 *
 * @example
 * revenueTrendChart({ weeks: [{ label: 'W1', netMinor: 1200000n }], currency: 'USD' }).config.data.datasets[0]?.data; // [12000]
 */
export function revenueTrendChart({ weeks, currency, averageLabel = 'the weeks before' }: { weeks: readonly TRevenueWeek[]; currency: string; averageLabel?: string }): TChart {
  const shown = weeks.slice(-TREND_WEEKS);
  const title = `Net revenue per week (${currency})`;
  const options: TChartConfig['options'] = {
    title: { display: true, text: title },
    scales: { yAxes: [{ ticks: { beginAtZero: true } }] },
  };
  if (shown.length === 0) {
    return {
      config: {
        type: 'bar',
        data: { labels: [NO_DATA_LABEL], datasets: [{ label: 'Net revenue', data: [null], backgroundColor: COLORS.bar }] },
        options: { ...options, legend: { display: false } },
      },
      altText: alt(`Net revenue per week: no data for the last ${TREND_WEEKS} weeks.`),
      empty: true,
    };
  }

  const averagesMinor: Array<bigint | null> = shown.map((w) => w.trailingAverageMinor ?? null);
  const major = (minor: bigint) => Math.round(minorToMajor(minor, currency));
  const datasets: TChartDataset[] = [{ label: 'Net revenue', data: shown.map((w) => major(w.netMinor)), backgroundColor: COLORS.bar }];
  if (averagesMinor.some((a) => a !== null)) {
    datasets.push({
      type: 'line',
      label: `avg of ${averageLabel}`,
      data: averagesMinor.map((a) => (a === null ? null : major(a))),
      borderColor: COLORS.average,
      fill: false,
    });
  }

  const money = (minor: bigint) => formatMoney(minor, currency, { compact: true });
  const first = shown[0];
  const last = shown[shown.length - 1];
  const lastAverage = averagesMinor[averagesMinor.length - 1];
  let low = shown[0];
  let high = shown[0];
  for (const w of shown) {
    if (low === undefined || w.netMinor < low.netMinor) low = w;
    if (high === undefined || w.netMinor > high.netMinor) high = w;
  }
  const span = shown.length === 1 ? 'last week' : `last ${shown.length} weeks`;
  const parts = [`Net revenue per week, ${span}`];
  if (first && last && low && high) {
    let text = `: from ${money(first.netMinor)} (${first.label}) to ${money(last.netMinor)} (${last.label})`;
    if (shown.length > 2) text += `, low ${money(low.netMinor)} (${low.label}), high ${money(high.netMinor)} (${high.label})`;
    text += `; last week ${money(last.netMinor)}`;
    if (lastAverage !== null && lastAverage !== undefined) text += ` vs the average of ${averageLabel} ${money(lastAverage)}`;
    parts.push(text + '.');
  }
  return { config: { type: 'bar', data: { labels: shown.map((w) => w.label), datasets }, options }, altText: alt(parts.join('')), empty: false };
}

// ---------------------------------------------------------------------------------------------
// Funnel
// ---------------------------------------------------------------------------------------------

export interface TFunnelStage {
  label: string;
  /** Deals that reached this stage (or later). */
  count: number;
}

/**
 * The funnel as horizontal bars, first stage on top. The biggest leak is the step from stage
 * `leakIndex` to stage `leakIndex + 1` (the `TFunnelStep.index` of `computeFunnel`); its
 * destination bar is drawn in the highlight colour. Without a valid `leakIndex` it is computed the
 * same way as `computeFunnel` (lowest stage-to-stage rate, ties → earliest, steps from an empty
 * stage skipped). Percentages in the alt text are of the previous stage.
 *
 * @example
 * funnelChart({ stages: [{ label: 'Lead', count: 1000 }, { label: 'Won', count: 250 }] }).altText;
 * // 'Funnel: 1,000 Lead → 250 Won (25.0%); biggest leak Lead → Won (25.0%).'
 */
export function funnelChart({ stages, leakIndex }: { stages: readonly TFunnelStage[]; leakIndex?: number }): TChart {
  const options: TChartConfig['options'] = {
    title: { display: true, text: 'Funnel (biggest leak in red)' },
    legend: { display: false },
    scales: { xAxes: [{ ticks: { beginAtZero: true } }] },
  };
  if (stages.length === 0) {
    return {
      config: {
        type: 'horizontalBar',
        data: { labels: [NO_DATA_LABEL], datasets: [{ label: 'Deals', data: [null], backgroundColor: COLORS.bar }] },
        options: { ...options, title: { display: true, text: 'Funnel' } },
      },
      altText: alt('Funnel: no stages to show.'),
      empty: true,
    };
  }

  const counts = stages.map((s) => (Number.isFinite(s.count) ? Math.max(0, Math.round(s.count)) : 0));
  const funnel = computeFunnel({ stages: stages.map((s) => s.label), reachedCounts: counts });
  const validLeak = leakIndex !== undefined && Number.isInteger(leakIndex) && leakIndex >= 0 && leakIndex < funnel.steps.length;
  const leak = validLeak ? funnel.steps[leakIndex] : funnel.biggestLeak;
  const colors = stages.map((_, i) => (leak && i === leak.index + 1 ? COLORS.highlight : COLORS.bar));
  if (!leak) options.title = { display: true, text: 'Funnel' };

  const chain = stages
    .map((s, i) => {
      const step = funnel.steps[i - 1];
      const count = `${formatCount(counts[i] ?? 0)} ${s.label}`;
      return step ? `${count} (${formatPercent(step.rate)})` : count;
    })
    .join(' → ');
  const leakText = leak ? `; biggest leak ${leak.from} → ${leak.to} (${formatPercent(leak.rate)})` : '';
  return {
    config: {
      type: 'horizontalBar',
      data: { labels: stages.map((s) => s.label), datasets: [{ label: 'Deals', data: counts, backgroundColor: colors }] },
      options,
    },
    altText: alt(`Funnel: ${chain}${leakText}.`),
    empty: false,
  };
}

// ---------------------------------------------------------------------------------------------
// Attainment
// ---------------------------------------------------------------------------------------------

export interface TRepAttainmentBar {
  name: string;
  /** Ratio of quota, 1 = 100%; non-finite (no quota) reps are left out and counted in the alt text. */
  attainment: number;
}

/**
 * Attainment per rep as horizontal bars in whole percent, highest first, with a vertical 100% line.
 * The line is a second dataset of type `line` (no plugin needed): two points `{x: 100, y: 0}` and
 * `{x: 100, y: 1}` on a hidden 0–1 y axis (`ref`), which Chart.js 2.9 draws across the full height
 * of a horizontal bar chart (a plain per-category line dataset renders nothing there).
 *
 * All reps are in the config; `chart-url.ts` keeps the top and bottom ones when they do not fit.
 *
 * @example
 * attainmentChart({ reps: [{ name: 'Ana', attainment: 1.32 }] }).config.data.datasets[0]?.data; // [132]
 */
export function attainmentChart({ reps }: { reps: readonly TRepAttainmentBar[] }): TChart {
  // Rep names label the bars and fill the alt text: no bidi or control characters.
  const ranked = reps
    .filter((r) => Number.isFinite(r.attainment))
    .map((r) => ({ ...r, name: cleanText(r.name) }))
    .sort((a, b) => b.attainment - a.attainment);
  const withoutQuota = reps.length - ranked.length;
  const referenceLine: TChartDataset = {
    type: 'line',
    label: '100%',
    yAxisID: REFERENCE_AXIS_ID,
    data: [
      { x: 100, y: 0 },
      { x: 100, y: 1 },
    ],
    borderColor: COLORS.reference,
    fill: false,
    pointRadius: 0,
  };
  const options: TChartConfig['options'] = {
    title: { display: true, text: 'Quota attainment %' },
    scales: {
      xAxes: [{ ticks: { beginAtZero: true } }],
      yAxes: [{}, { id: REFERENCE_AXIS_ID, type: 'linear', display: false, ticks: { min: 0, max: 1 } }],
    },
  };
  const note = withoutQuota > 0 ? ` (${plural(withoutQuota, 'rep', 'reps')} without a quota not shown)` : '';
  if (ranked.length === 0) {
    return {
      config: {
        type: 'horizontalBar',
        data: { labels: [NO_DATA_LABEL], datasets: [{ label: 'Attainment %', data: [null], backgroundColor: COLORS.bar }, referenceLine] },
        options,
      },
      altText: alt(`Attainment: no reps with a quota${note}.`),
      empty: true,
    };
  }

  const atOrAbove = ranked.filter((r) => r.attainment >= 1).length;
  const top = ranked[0];
  const bottom = ranked[ranked.length - 1];
  const pct = (ratio: number) => formatPercent(ratio, 0);
  let text = `Attainment: ${formatCount(atOrAbove)} of ${plural(ranked.length, 'rep', 'reps')} at or above 100%`;
  if (top && bottom && ranked.length > 1) text += `; highest ${top.name} ${pct(top.attainment)}, lowest ${bottom.name} ${pct(bottom.attainment)}`;
  else if (top) text += `; ${top.name} ${pct(top.attainment)}`;
  return {
    config: {
      type: 'horizontalBar',
      data: {
        labels: ranked.map((r) => r.name),
        datasets: [{ label: 'Attainment %', data: ranked.map((r) => Math.round(r.attainment * 100)), backgroundColor: COLORS.bar }, referenceLine],
      },
      options,
    },
    altText: alt(`${text}${note}.`),
    empty: false,
  };
}
