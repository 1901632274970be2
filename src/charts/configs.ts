import { minorToMajor } from '../domain/money.js';
import { computeFunnel } from '../domain/metrics/funnel.js';
import { cleanText, LIMITS, truncate } from '../shared/block-kit-limits.js';
import { currencySymbol, formatCountL, formatMoneyL, formatPercentL } from '../i18n/format.js';
import type { TLocale } from '../i18n/locales.js';
import { translator } from '../i18n/t.js';

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
 *
 * Titles, legends and alt text come from the catalog (`chart.*`, src/i18n/catalog/digest) in the
 * `locale` given (English when absent), numbers in the locale's format; English is the wording and
 * config the charts had before the catalog, byte for byte (test/unit/digest-golden.test.ts).
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
  ticks?: { beginAtZero?: boolean; min?: number; max?: number; precision?: number };
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

// ---------------------------------------------------------------------------------------------
// Money axis
// ---------------------------------------------------------------------------------------------

type TLocal = Exclude<TLocale, 'en'>;

/** Units people read large amounts in: Vietnamese tỷ / tr / nghìn, Chinese 亿 / 万 (src/i18n/README.md). */
const AXIS_UNITS: Readonly<Record<TLocal, ReadonlyArray<{ readonly size: number; readonly word: string }>>> = {
  vi: [
    { size: 1e9, word: 'tỷ' },
    { size: 1e6, word: 'tr' },
    { size: 1e3, word: 'nghìn' },
  ],
  'zh-CN': [
    { size: 1e8, word: '亿' },
    { size: 1e4, word: '万' },
  ],
};

/**
 * The unit a money axis is scaled to: the largest one the highest bar reaches 5 of, so the ticks
 * Chart.js prints (plain numbers, no grouping) stay short whole numbers: `641,7 tr ₫` is drawn as
 * 642 on an axis titled in `tr ₫`. Configs are strict JSON (no tick callbacks), so the unit goes in
 * the title and the exact locale amounts in the alt text.
 *
 * @example
 * axisUnit('vi', 641_700_000, 'VND'); // { size: 1e6, label: 'tr ₫' }
 * axisUnit('zh-CN', 641_700_000, 'VND'); // { size: 1e8, label: '亿 ₫' }
 */
export function axisUnit(locale: TLocal, maxMajor: number, currency: string): { size: number; label: string } {
  const symbol = currencySymbol(locale, currency);
  const unit = AXIS_UNITS[locale].find((u) => Math.abs(maxMajor) >= 5 * u.size);
  if (!unit) return { size: 1, label: symbol };
  return { size: unit.size, label: `${unit.word} ${symbol}` };
}

/** How amounts are plotted: the axis title's unit, each value on the axis, and the value ticks. */
interface TMoneyAxis {
  readonly label: string;
  readonly plot: (major: number) => number;
  readonly ticks: NonNullable<TChartAxis['ticks']>;
}

/**
 * English plots whole major units under the ISO code (`USD`); Vietnamese and Chinese plot one
 * decimal of the unit their readers say (`axisUnit`) with whole-number ticks.
 */
function moneyAxis(locale: TLocale, maxMajor: number, currency: string): TMoneyAxis {
  if (locale === 'en') return { label: currency, plot: Math.round, ticks: { beginAtZero: true } };
  const unit = axisUnit(locale, maxMajor, currency);
  return { label: unit.label, plot: (major) => Math.round((major / unit.size) * 10) / 10, ticks: { beginAtZero: true, precision: 0 } };
}

/**
 * The unit a money axis over these amounts is titled in: the ISO code in English (whole units),
 * the scaled unit (`axisUnit`) in Vietnamese and Chinese. Lets a caller that retitles a chart
 * (the `/kpi revenue` answer) name the same unit the bars are plotted in.
 *
 * @example
 * moneyAxisLabel('vi', [641_700_000n], 'VND'); // 'tr ₫'
 * moneyAxisLabel('en', [120_000_000n], 'USD'); // 'USD'
 */
export function moneyAxisLabel(locale: TLocale, amountsMinor: readonly bigint[], currency: string): string {
  return moneyAxis(locale, maxMajorOf(amountsMinor, currency), currency).label;
}

/** The largest absolute amount, in major units (what the axis must reach). */
function maxMajorOf(amountsMinor: readonly bigint[], currency: string): number {
  return Math.max(0, ...amountsMinor.map((a) => Math.abs(minorToMajor(a, currency))));
}

/** Ticks of a count axis: Vietnamese and Chinese ask for whole numbers; English keeps its config. */
const countTicks = (locale: TLocale): NonNullable<TChartAxis['ticks']> => (locale === 'en' ? { beginAtZero: true } : { beginAtZero: true, precision: 0 });

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
 * Weekly net revenue as bars with, when the weeks carry one, each week's trailing average as a
 * line (named by `averageLabel`, the policy's words, e.g. `the 4 weeks before`). Oldest week
 * first; only the last 12 weeks are shown. Nothing is averaged here. English plots whole major
 * units; other languages scale the axis to the unit named in the title (`axisUnit`).
 *
 * @example
 * revenueTrendChart({ weeks: [{ label: 'W1', netMinor: 1200000n }], currency: 'USD' }).config.data.datasets[0]?.data; // [12000]
 * revenueTrendChart({ weeks: [{ label: 'Tuần 48', netMinor: 641700000n }], currency: 'VND', locale: 'vi' }).config.options?.title?.text; // 'Doanh thu thuần mỗi tuần (tr ₫)'
 */
export function revenueTrendChart({
  weeks,
  currency,
  averageLabel = 'the weeks before',
  locale = 'en',
}: {
  weeks: readonly TRevenueWeek[];
  currency: string;
  averageLabel?: string;
  /** Titles, legend, alt text and the axis unit in this language; English when absent. */
  locale?: TLocale;
}): TChart {
  const tr = translator(locale);
  const shown = weeks.slice(-TREND_WEEKS);
  const majors = shown.map((w) => minorToMajor(w.netMinor, currency));
  const averagesMinor: Array<bigint | null> = shown.map((w) => w.trailingAverageMinor ?? null);
  const axis = moneyAxis(locale, maxMajorOf([...shown.map((w) => w.netMinor), ...averagesMinor.filter((a): a is bigint => a !== null)], currency), currency);
  const options: TChartConfig['options'] = {
    title: { display: true, text: tr('chart.revenue.title', { unit: axis.label }) },
    scales: { yAxes: [{ ticks: axis.ticks }] },
  };
  const dataset = tr('chart.revenue.dataset');
  if (shown.length === 0) {
    return {
      config: {
        type: 'bar',
        data: { labels: [tr('chart.noData')], datasets: [{ label: dataset, data: [null], backgroundColor: COLORS.bar }] },
        options: { ...options, legend: { display: false } },
      },
      altText: alt(tr('chart.revenue.empty', { count: TREND_WEEKS })),
      empty: true,
    };
  }

  const datasets: TChartDataset[] = [{ label: dataset, data: majors.map(axis.plot), backgroundColor: COLORS.bar }];
  if (averagesMinor.some((a) => a !== null)) {
    datasets.push({
      type: 'line',
      label: tr('chart.revenue.average', { label: averageLabel }),
      data: averagesMinor.map((a) => (a === null ? null : axis.plot(minorToMajor(a, currency)))),
      borderColor: COLORS.average,
      fill: false,
    });
  }

  const money = (minor: bigint) => formatMoneyL(locale, minor, currency, { compact: true });
  const first = shown[0];
  const last = shown[shown.length - 1];
  const lastAverage = averagesMinor[averagesMinor.length - 1];
  let low = shown[0];
  let high = shown[0];
  for (const w of shown) {
    if (low === undefined || w.netMinor < low.netMinor) low = w;
    if (high === undefined || w.netMinor > high.netMinor) high = w;
  }
  let text = tr('chart.revenue.altHead', { count: shown.length });
  if (first && last && low && high) {
    text += tr('chart.revenue.altRange', { first: money(first.netMinor), firstLabel: first.label, last: money(last.netMinor), lastLabel: last.label });
    if (shown.length > 2) text += tr('chart.revenue.altLowHigh', { low: money(low.netMinor), lowLabel: low.label, high: money(high.netMinor), highLabel: high.label });
    text += tr('chart.revenue.altLast', { last: money(last.netMinor) });
    if (lastAverage !== null && lastAverage !== undefined) text += tr('chart.revenue.altAverage', { label: averageLabel, average: money(lastAverage) });
  }
  return { config: { type: 'bar', data: { labels: shown.map((w) => w.label), datasets }, options }, altText: alt(tr('chart.revenue.altEnd', { text })), empty: false };
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
export function funnelChart({ stages, leakIndex, locale = 'en' }: { stages: readonly TFunnelStage[]; leakIndex?: number; locale?: TLocale }): TChart {
  const tr = translator(locale);
  const options: TChartConfig['options'] = {
    title: { display: true, text: tr('chart.funnel.title') },
    legend: { display: false },
    scales: { xAxes: [{ ticks: countTicks(locale) }] },
  };
  const plainTitle = { display: true, text: tr('chart.funnel.titlePlain') };
  if (stages.length === 0) {
    return {
      config: {
        type: 'horizontalBar',
        data: { labels: [tr('chart.noData')], datasets: [{ label: tr('chart.funnel.dataset'), data: [null], backgroundColor: COLORS.bar }] },
        options: { ...options, title: plainTitle },
      },
      altText: alt(tr('chart.funnel.empty')),
      empty: true,
    };
  }

  const counts = stages.map((s) => (Number.isFinite(s.count) ? Math.max(0, Math.round(s.count)) : 0));
  const funnel = computeFunnel({ stages: stages.map((s) => s.label), reachedCounts: counts });
  const validLeak = leakIndex !== undefined && Number.isInteger(leakIndex) && leakIndex >= 0 && leakIndex < funnel.steps.length;
  const leak = validLeak ? funnel.steps[leakIndex] : funnel.biggestLeak;
  const colors = stages.map((_, i) => (leak && i === leak.index + 1 ? COLORS.highlight : COLORS.bar));
  if (!leak) options.title = plainTitle;

  const pct = (r: number | null) => formatPercentL(locale, r);
  const chain = stages
    .map((s, i) => {
      const step = funnel.steps[i - 1];
      const count = `${formatCountL(locale, counts[i] ?? 0)} ${s.label}`;
      return step ? `${count} (${pct(step.rate)})` : count;
    })
    .join(' → ');
  const leakText = leak ? tr('chart.funnel.altLeak', { from: leak.from, to: leak.to, rate: pct(leak.rate) }) : '';
  return {
    config: {
      type: 'horizontalBar',
      data: { labels: stages.map((s) => s.label), datasets: [{ label: tr('chart.funnel.dataset'), data: counts, backgroundColor: colors }] },
      options,
    },
    altText: alt(tr('chart.funnel.alt', { chain, leak: leakText })),
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
export function attainmentChart({ reps, locale = 'en' }: { reps: readonly TRepAttainmentBar[]; locale?: TLocale }): TChart {
  const tr = translator(locale);
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
    title: { display: true, text: tr('chart.attainment.title') },
    scales: {
      xAxes: [{ ticks: { beginAtZero: true } }],
      yAxes: [{}, { id: REFERENCE_AXIS_ID, type: 'linear', display: false, ticks: { min: 0, max: 1 } }],
    },
  };
  const note = withoutQuota > 0 ? tr('chart.attainment.withoutQuota', { count: withoutQuota }) : '';
  const dataset = tr('chart.attainment.dataset');
  if (ranked.length === 0) {
    return {
      config: { type: 'horizontalBar', data: { labels: [tr('chart.noData')], datasets: [{ label: dataset, data: [null], backgroundColor: COLORS.bar }, referenceLine] }, options },
      altText: alt(tr('chart.attainment.empty', { note })),
      empty: true,
    };
  }

  const atOrAbove = ranked.filter((r) => r.attainment >= 1).length;
  const top = ranked[0];
  const bottom = ranked[ranked.length - 1];
  const pct = (ratio: number) => formatPercentL(locale, ratio, 0);
  let detail = '';
  if (top && bottom && ranked.length > 1) detail = tr('chart.attainment.altRange', { top: top.name, topRate: pct(top.attainment), bottom: bottom.name, bottomRate: pct(bottom.attainment) });
  else if (top) detail = tr('chart.attainment.altOne', { name: top.name, rate: pct(top.attainment) });
  return {
    config: {
      type: 'horizontalBar',
      data: { labels: ranked.map((r) => r.name), datasets: [{ label: dataset, data: ranked.map((r) => Math.round(r.attainment * 100)), backgroundColor: COLORS.bar }, referenceLine] },
      options,
    },
    altText: alt(tr('chart.attainment.alt', { at: formatCountL(locale, atOrAbove), reps: tr('digest.reps', { count: ranked.length }), detail, note })),
    empty: false,
  };
}
