import type { ImageBlock, KnownBlock } from '@slack/types';
import QuickChartModule from 'quickchart-js';
import { cleanText, LIMITS, truncate } from '../shared/block-kit-limits.js';
import { COLORS, type TChartConfig, type TChartDataset, type TChartValue } from './configs.js';

/**
 * Chart configs → QuickChart image URLs (SPEC §4) that fit Slack's `image_url` limit.
 *
 * URLs come from quickchart-js `getUrl()` (a GET URL on `<base>/chart`, which a self-hosted
 * QuickChart serves too; `getShortUrl()` is never used, it only works on quickchart.io). The `c`
 * parameter is strict JSON, so it can be decoded and checked; numbers with trailing zeros are written
 * in exponent form (`18e8`), which is still JSON.
 *
 * When a URL would be 3,000 characters or more, the config is shrunk step by step (see
 * `SHRINK_STEPS`) and re-measured; when even the smallest form does not fit, the answer is `null`,
 * never an over-long URL, and the digest goes out with its text only.
 */

// The bundled declaration file is read as CommonJS (`exports.default`), while the ESM build that
// Node loads exports the class itself as default: accept both shapes.
type TQuickChartClass = typeof QuickChartModule.default;
const QuickChart: TQuickChartClass =
  (QuickChartModule as unknown as { default?: TQuickChartClass }).default ?? (QuickChartModule as unknown as TQuickChartClass);

/** QuickChart's default image size. */
export const DEFAULT_CHART_WIDTH = 500;
export const DEFAULT_CHART_HEIGHT = 300;
/** Slack's `image_title` limit (block `title` text). */
const IMAGE_TITLE_MAX = 2000;
/** Vertical pixels one horizontal bar needs for a readable 12px label, and what title and legend take. */
const ROW_PX = 14;
const CHROME_PX = 70;

export interface TChartUrlOptions {
  /** QuickChart base URL, e.g. `https://quickchart.io` or `http://127.0.0.1:3400` (a path prefix is kept). */
  baseUrl: string;
  width?: number;
  height?: number;
}

/** How far a config has been shrunk; each ladder step is the previous one plus one change. */
interface TShrink {
  /** Name of the last change, reported by `fitChart`. */
  step: string;
  /** Most categories shown (horizontal: top and bottom, with a `N more` row between; vertical: the last ones). */
  maxRows: number;
  /** Drop line datasets drawn over bars that carry one value per category (the 4-week average). */
  dropOverlay: boolean;
  /** Round category values to integers. */
  integers: boolean;
  /** Strip diacritics and typographic punctuation from labels (`Nguyễn` → `Nguyen`, `→` → `>`). */
  ascii: boolean;
  /** Longest category label, cut with a `.`. */
  labelMax: number | null;
  /** Significant digits of category values. */
  significant: number | null;
  /** No title, no legend, one bar colour, no dataset labels. */
  bare: boolean;
}

/**
 * The shrink ladder, in order; each step keeps all earlier ones. Before any step, horizontal bar
 * charts keep as many bars as the height can label (one per 14 px after 70 px of title and legend:
 * 16 at the default 300 px), top and bottom halves with a `N more` row between.
 */
export const SHRINK_STEPS = [
  'as built',
  'drop the average line',
  'round values to integers',
  'ASCII labels',
  'labels ≤ 16 chars',
  'labels ≤ 10 chars',
  'labels ≤ 6 chars',
  'at most 12 bars (top/bottom or latest) with a "N more" note',
  'at most 8 bars',
  'at most 4 bars',
  'at most 2 bars',
  '3 significant digits',
  '2 significant digits',
  'bare: no title, legend, colours',
] as const;

function ladder(readableRows: number): TShrink[] {
  const steps: TShrink[] = [];
  let s: TShrink = {
    step: SHRINK_STEPS[0],
    maxRows: readableRows,
    dropOverlay: false,
    integers: false,
    ascii: false,
    labelMax: null,
    significant: null,
    bare: false,
  };
  const push = (step: string, change: Partial<TShrink>) => {
    s = { ...s, ...change, step };
    steps.push(s);
  };
  steps.push(s);
  push(SHRINK_STEPS[1], { dropOverlay: true });
  push(SHRINK_STEPS[2], { integers: true });
  push(SHRINK_STEPS[3], { ascii: true });
  push(SHRINK_STEPS[4], { labelMax: 16 });
  push(SHRINK_STEPS[5], { labelMax: 10 });
  push(SHRINK_STEPS[6], { labelMax: 6 });
  push(SHRINK_STEPS[7], { maxRows: Math.min(readableRows, 12) });
  push(SHRINK_STEPS[8], { maxRows: Math.min(readableRows, 8) });
  push(SHRINK_STEPS[9], { maxRows: Math.min(readableRows, 4) });
  push(SHRINK_STEPS[10], { maxRows: Math.min(readableRows, 2) });
  push(SHRINK_STEPS[11], { significant: 3 });
  push(SHRINK_STEPS[12], { significant: 2 });
  push(SHRINK_STEPS[13], { bare: true });
  return steps;
}

// ---------------------------------------------------------------------------------------------
// Config transforms (pure; reference lines given as {x, y} points are never changed)
// ---------------------------------------------------------------------------------------------

function isCategoryData(data: TChartDataset['data']): data is TChartValue[] {
  return data.every((v) => v === null || typeof v === 'number');
}

function mapCategoryValues(config: TChartConfig, fn: (v: number) => number): void {
  for (const ds of config.data.datasets) {
    if (isCategoryData(ds.data)) ds.data = ds.data.map((v) => (v === null ? null : fn(v)));
  }
}

/**
 * Keeps `maxRows` categories: for horizontal (ranked) bars the first and last ones with a `N more`
 * row between (its index is returned), for vertical bars the last ones with a title note.
 */
function capRows(config: TChartConfig, maxRows: number): number | null {
  const n = config.data.labels.length;
  if (n <= maxRows) return null;
  const horizontal = config.type === 'horizontalBar';
  const head = horizontal ? Math.ceil(maxRows / 2) : 0;
  const tail = horizontal ? Math.floor(maxRows / 2) : maxRows;
  const pick = <T>(values: readonly T[], gap: T): T[] =>
    horizontal ? [...values.slice(0, head), gap, ...values.slice(n - tail)] : values.slice(n - tail);
  config.data.labels = pick(config.data.labels, `${n - head - tail} more`);
  const title = config.options?.title;
  if (!horizontal && title) title.text = `${title.text} (last ${maxRows} of ${n})`;
  for (const ds of config.data.datasets) {
    if (isCategoryData(ds.data) && ds.data.length === n) ds.data = pick<TChartValue>(ds.data, null);
    if (Array.isArray(ds.backgroundColor) && ds.backgroundColor.length === n) ds.backgroundColor = pick<string>(ds.backgroundColor, COLORS.bar);
  }
  return horizontal ? head : null;
}

function dropOverlayLines(config: TChartConfig): void {
  const hasBars = config.data.datasets.some((ds) => ds.type === undefined || ds.type === 'bar');
  if (!hasBars) return;
  const kept = config.data.datasets.filter((ds) => !(ds.type === 'line' && isCategoryData(ds.data)));
  if (kept.length === config.data.datasets.length) return;
  config.data.datasets = kept;
  if (kept.length === 1) config.options = { ...config.options, legend: { display: false } };
}

const PUNCTUATION: Readonly<Record<string, string>> = { '→': '>', '–': '-', '—': '-', '…': '.', '‘': "'", '’': "'", '“': '"', '”': '"', đ: 'd', Đ: 'D' };

function toAscii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[→–—…‘’“”đĐ]/g, (c) => PUNCTUATION[c] ?? c)
    .normalize('NFC');
}

/**
 * Cuts labels to `max` characters with a `.` (one URL character, where `…` costs nine): the end is
 * cut, or when that would make different labels equal (`Week 11`, `Week 12` → `Week.`), the middle,
 * keeping the shortest tail that tells them apart (`Wee.12`), or else without the leading words
 * they all share. Labels at `skip` (the `N more` row) are left alone.
 */
function shortenLabels(labels: readonly string[], max: number, skip: number | null): string[] {
  const keep = Math.max(1, max - 1);
  const cut = (tail: number) =>
    labels.map((l, i) => {
      if (i === skip || l.length <= max) return l;
      const head = l.slice(0, keep - tail).trimEnd();
      return tail === 0 ? `${head}.` : `${head}.${l.slice(-tail).trimStart()}`;
    });
  const originals = new Set(labels).size;
  for (let tail = 0; tail < keep; tail++) {
    const candidate = cut(tail);
    if (new Set(candidate).size === originals) return candidate;
  }
  // Still equal: drop the leading words every label shares (`Week 11 …`, `Week 12 …` → `11 …`, `12 …`).
  const shared = commonLeadingWords(labels.filter((_, i) => i !== skip));
  if (shared > 0) return shortenLabels(labels.map((l, i) => (i === skip ? l : l.slice(shared))), max, skip);
  return cut(0);
}

/** Length of the leading whole words (with their trailing spaces) that all labels share; 0 for fewer than 2 labels. */
function commonLeadingWords(labels: readonly string[]): number {
  const [first, ...rest] = labels;
  if (first === undefined || rest.length === 0) return 0;
  let n = 0;
  while (n < first.length && rest.every((l) => l[n] === first[n])) n++;
  const prefix = first.slice(0, n);
  const boundary = prefix.lastIndexOf(' ') + 1;
  return rest.every((l) => l.length > boundary) && first.length > boundary ? boundary : 0;
}

function significant(v: number, digits: number): number {
  return v === 0 ? 0 : Number(v.toPrecision(digits));
}

function shrink(original: TChartConfig, s: TShrink): TChartConfig {
  const config = structuredClone(original);
  const gap = capRows(config, s.maxRows);
  if (s.dropOverlay) dropOverlayLines(config);
  if (s.integers) mapCategoryValues(config, Math.round);
  if (s.ascii) {
    config.data.labels = config.data.labels.map(toAscii);
    for (const ds of config.data.datasets) ds.label = toAscii(ds.label);
    const title = config.options?.title;
    if (title) title.text = toAscii(title.text);
  }
  const labelMax = s.labelMax;
  if (labelMax !== null) config.data.labels = shortenLabels(config.data.labels, labelMax, gap);
  const digits = s.significant;
  if (digits !== null) mapCategoryValues(config, (v) => significant(v, digits));
  if (s.bare) {
    config.options = { ...config.options, legend: { display: false } };
    delete config.options.title;
    for (const ds of config.data.datasets) {
      ds.label = '';
      if (Array.isArray(ds.backgroundColor)) ds.backgroundColor = COLORS.bar;
    }
  }
  return config;
}

// ---------------------------------------------------------------------------------------------
// Serialisation and URLs
// ---------------------------------------------------------------------------------------------

/** A JSON number in its shortest form: integers with 3+ trailing zeros as `18e8` (valid JSON). */
function jsonNumber(n: number): string {
  if (!Number.isFinite(n)) return 'null';
  if (Object.is(n, -0)) return '0';
  const plain = String(n);
  if (!Number.isInteger(n) || /e/i.test(plain)) return plain;
  const m = /^(-?\d*?[1-9])(0+)$/.exec(plain);
  if (!m?.[1] || !m[2]) return plain;
  const exp = `${m[1]}e${m[2].length}`;
  return exp.length < plain.length ? exp : plain;
}

/** Compact strict JSON (`undefined` members left out, like JSON.stringify). */
export function toChartJson(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return jsonNumber(value);
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v: unknown) => (v === undefined ? 'null' : toChartJson(v))).join(',')}]`;
  if (typeof value === 'object') {
    const members = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}:${toChartJson(v)}`);
    return `{${members.join(',')}}`;
  }
  throw new TypeError(`chart configs are plain JSON; got a ${typeof value}`);
}

/** `{scheme, host}` for quickchart-js from a base URL (host keeps the port and any path prefix); null if not http(s). */
function parseBaseUrl(baseUrl: string): { scheme: string; host: string } | null {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // Credentials, query and fragment are dropped: the URL is posted to Slack for anyone to fetch.
  return { scheme: url.protocol.slice(0, -1), host: url.host + url.pathname.replace(/\/+$/, '') };
}

function dimension(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}

function urlFor(config: TChartConfig, base: { scheme: string; host: string }, width: number, height: number): string {
  return new QuickChart().setConfig(toChartJson(config)).setScheme(base.scheme).setHost(base.host).setWidth(width).setHeight(height).getUrl();
}

export interface TFittedChart {
  url: string;
  /** The config the URL carries (the input, or a shrunk copy). */
  config: TChartConfig;
  /** The last shrink step applied (`SHRINK_STEPS[0]` when none was needed). */
  step: string;
}

/**
 * The first form of `config` on the shrink ladder whose URL is under 3,000 characters, or null
 * when none is (or the base URL is not http(s)). The input config is never modified.
 */
export function fitChart(config: TChartConfig, opts: TChartUrlOptions): TFittedChart | null {
  const base = parseBaseUrl(opts.baseUrl);
  if (!base) return null;
  const width = dimension(opts.width, DEFAULT_CHART_WIDTH);
  const height = dimension(opts.height, DEFAULT_CHART_HEIGHT);
  const readableRows = config.type === 'horizontalBar' ? Math.max(2, Math.floor((height - CHROME_PX) / ROW_PX)) : Number.POSITIVE_INFINITY;
  for (const s of ladder(readableRows)) {
    const shrunk = shrink(config, s);
    const url = urlFor(shrunk, base, width, height);
    if (url.length < LIMITS.imageUrl) return { url, config: shrunk, step: s.step };
  }
  return null;
}

/**
 * A QuickChart GET URL for `config` under Slack's 3,000-character `image_url` limit, shrinking the
 * config when needed (`SHRINK_STEPS`); null when it cannot fit or the base URL is not http(s).
 *
 * @example
 * chartImageUrl(revenueTrendChart({ weeks, currency: 'USD' }).config, { baseUrl: 'http://127.0.0.1:3400' });
 * // 'http://127.0.0.1:3400/chart?c=%7B%22type%22...&w=500&h=300&ref=qc-js&bkg=%23ffffff&f=png&v=2.9.4'
 */
export function chartImageUrl(config: TChartConfig, opts: TChartUrlOptions): string | null {
  return fitChart(config, opts)?.url ?? null;
}

/**
 * A Slack `image` block for a chart, or null when no URL fits (the digest then goes out without
 * the image). Alt text and title are cut to 2,000 characters; an empty alt text falls back to the
 * title, and an empty title is left out.
 */
export function buildChartBlock({
  config,
  altText,
  title,
  baseUrl,
  width,
  height,
}: {
  config: TChartConfig;
  altText: string;
  title: string;
  baseUrl: string;
  width?: number;
  height?: number;
}): KnownBlock | null {
  const url = chartImageUrl(config, { baseUrl, width, height });
  if (url === null) return null;
  // alt_text and the plain_text title are never parsed for mentions; only cleaned.
  const cleanTitle = cleanText(title).trim();
  const block: ImageBlock = {
    type: 'image',
    image_url: url,
    alt_text: truncate(cleanText(altText).trim() || cleanTitle || 'Chart', LIMITS.altText),
  };
  if (cleanTitle) block.title = { type: 'plain_text', text: truncate(cleanTitle, IMAGE_TITLE_MAX), emoji: true };
  return block;
}
