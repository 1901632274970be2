import { describe, expect, test } from 'vitest';
import {
  COLORS,
  NO_DATA_LABEL,
  attainmentChart,
  funnelChart,
  revenueTrendChart,
  type TChart,
  type TChartConfig,
  type TChartDataset,
  type TChartPoint,
  type TFunnelStage,
  type TRepAttainmentBar,
  type TRevenueWeek,
} from '../../src/charts/configs.js';
import { SHRINK_STEPS, buildChartBlock, chartImageUrl, fitChart, toChartJson } from '../../src/charts/chart-url.js';
import { averagePerPeriod } from '../../src/domain/metrics/trailing-averages.js';
import { LIMITS, findLimitViolations } from '../../src/slack/blocks/limits.js';

const DEFAULT_BASE = 'https://quickchart.io';
const LOCAL_BASE = 'http://127.0.0.1:3400';

/** The chart config a QuickChart URL carries (its `c` parameter is strict JSON). */
function decode(url: string): TChartConfig {
  const c = new URL(url).searchParams.get('c');
  if (c === null) throw new Error(`no c parameter in ${url}`);
  return JSON.parse(c) as TChartConfig;
}

function dataset(config: TChartConfig, index: number): TChartDataset {
  const ds = config.data.datasets[index];
  if (!ds) throw new Error(`no dataset ${index}`);
  return ds;
}

function mustUrl(url: string | null): string {
  if (url === null) throw new Error('expected a chart URL, got null');
  return url;
}

// --- Data ------------------------------------------------------------------------------------

/** Each week with the average of the 4 weeks before it (as the digest computes it, `averagePerPeriod`). */
const withTrailingAverages = (weeks: ReadonlyArray<Omit<TRevenueWeek, 'trailingAverageMinor'>>): TRevenueWeek[] =>
  weeks.map((w, i) => ({ ...w, trailingAverageMinor: i >= 4 ? averagePerPeriod(weeks.slice(i - 4, i).map((x) => x.netMinor)) : null }));

const USD_WEEKS: TRevenueWeek[] = withTrailingAverages(
  [12000, 13500, 11000, 14000, 15250, 14800, 16000, 15500, 17000, 16200, 15000, 18000].map((usd, i) => ({
    label: `W${i + 9}`,
    netMinor: BigInt(usd) * 100n,
  })),
);

/** A week label like `Tuần 10: 03/03 – 09/03/2025` for the week starting `weeks` after 3 March 2025. */
function vnWeekLabel(weeks: number): string {
  const day = (offset: number) => {
    const d = new Date(Date.UTC(2025, 2, 3 + weeks * 7 + offset));
    return `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  };
  return `Tuần ${weeks + 10}: ${day(0)} – ${day(6)}/2025`;
}

/** 12 weeks of large đồng amounts (hundreds of billions), long Vietnamese labels. */
const VND_WEEKS: TRevenueWeek[] = withTrailingAverages(
  Array.from({ length: 12 }, (_, i) => ({
    label: vnWeekLabel(i),
    netMinor: 123_456_789_012n + BigInt(i) * 7_654_321_987n,
  })),
);

const FUNNEL_4: TFunnelStage[] = [
  { label: 'Leads', count: 1000 },
  { label: 'Contacted', count: 400 },
  { label: 'Demo/Trial', count: 200 },
  { label: 'Won', count: 50 },
];

const LONG_STAGES = [
  'Khách hàng tiềm năng mới từ chiến dịch quảng cáo trực tuyến',
  'Đã liên hệ qua điện thoại và gửi email giới thiệu sản phẩm',
  'Đã xác nhận nhu cầu và ngân sách của khách hàng doanh nghiệp',
  'Buổi trình diễn sản phẩm trực tiếp với bộ phận kỹ thuật',
  'Đã gửi báo giá chi tiết và đề xuất hợp đồng dịch vụ',
  'Đang thương lượng điều khoản thanh toán và chiết khấu',
  'Chờ phê duyệt của ban giám đốc và bộ phận pháp chế',
  'Đã ký hợp đồng (thành công)',
];
const FUNNEL_8_LONG: TFunnelStage[] = LONG_STAGES.map((label, i) => ({ label, count: Math.round(25_000 / 1.9 ** i) }));

const REPS_8: TRepAttainmentBar[] = [
  { name: 'Bo', attainment: 0.41 },
  { name: 'Ana', attainment: 1.32 },
  { name: 'Chi', attainment: 1.0 },
  { name: 'Dan', attainment: 0.87 },
  { name: 'Eve', attainment: 1.05 },
  { name: 'Fay', attainment: 0.62 },
  { name: 'Gus', attainment: 0.95 },
  { name: 'Hai', attainment: 0.73 },
];

/** 200 reps with long names; attainment 0.05 … 1.75, all distinct. */
const REPS_200: TRepAttainmentBar[] = Array.from({ length: 200 }, (_, i) => ({
  name: `Nguyễn Thị Phương Thảo Hoàng-Trần ${String(i + 1).padStart(3, '0')}`,
  attainment: 0.05 + ((i * 37) % 200) * (1.7 / 199),
}));

// --- Every chart: URL under the limit, base honoured, block valid ------------------------------

const CASES: Array<[string, () => TChart]> = [
  ['revenue trend, 12 weeks USD', () => revenueTrendChart({ weeks: USD_WEEKS, currency: 'USD' })],
  ['revenue trend, 12 weeks of large VND amounts', () => revenueTrendChart({ weeks: VND_WEEKS, currency: 'VND' })],
  ['revenue trend, 40 weeks given (last 12 shown)', () => revenueTrendChart({ weeks: [...VND_WEEKS, ...VND_WEEKS, ...VND_WEEKS, ...VND_WEEKS.slice(0, 4)], currency: 'VND' })],
  ['revenue trend, no weeks', () => revenueTrendChart({ weeks: [], currency: 'USD' })],
  ['funnel, 4 stages', () => funnelChart({ stages: FUNNEL_4 })],
  ['funnel, 8 stages with long names', () => funnelChart({ stages: FUNNEL_8_LONG })],
  ['funnel, no stages', () => funnelChart({ stages: [] })],
  ['attainment, 8 reps', () => attainmentChart({ reps: REPS_8 })],
  ['attainment, 200 reps with long names', () => attainmentChart({ reps: REPS_200 })],
  ['attainment, no reps', () => attainmentChart({ reps: [] })],
];

describe('chart URLs and image blocks', () => {
  test.each(CASES)('%s: URL < 3,000 chars on the base URL, valid image block', (_name, make) => {
    const chart = make();
    for (const baseUrl of [DEFAULT_BASE, LOCAL_BASE]) {
      const url = mustUrl(chartImageUrl(chart.config, { baseUrl }));
      expect(url.length).toBeLessThan(LIMITS.imageUrl);
      expect(url.startsWith(`${baseUrl}/chart?`)).toBe(true);
      expect(decode(url).type).toBe(chart.config.type);

      const block = buildChartBlock({ ...chart, title: 'Weekly chart', baseUrl });
      expect(block).not.toBeNull();
      expect(findLimitViolations(block ? [block] : [])).toEqual([]);
      expect(block).toMatchObject({ type: 'image', image_url: url, alt_text: chart.altText, title: { type: 'plain_text', text: 'Weekly chart' } });
    }
    expect(chart.altText.length).toBeGreaterThan(0);
    expect(chart.altText.length).toBeLessThanOrEqual(LIMITS.altText);
  });

  test.each(CASES)('%s: never an over-long URL, whatever the base URL length', (_name, make) => {
    const { config } = make();
    for (let pad = 0; pad <= 3000; pad += 150) {
      const url = chartImageUrl(config, { baseUrl: `${LOCAL_BASE}/${'p'.repeat(pad)}` });
      if (url !== null) expect(url.length).toBeLessThan(LIMITS.imageUrl);
    }
  });

  test.each([
    ['http://127.0.0.1:3400', 'http://127.0.0.1:3400/chart?'],
    ['http://127.0.0.1:3400/', 'http://127.0.0.1:3400/chart?'],
    ['https://quickchart.io', 'https://quickchart.io/chart?'],
    ['https://charts.example.com/qc/', 'https://charts.example.com/qc/chart?'],
    ['https://user:secret@charts.example.com:8443/qc?x=1#y', 'https://charts.example.com:8443/qc/chart?'],
  ])('base URL %s → %s…', (baseUrl, prefix) => {
    const url = mustUrl(chartImageUrl(funnelChart({ stages: FUNNEL_4 }).config, { baseUrl }));
    expect(url.startsWith(prefix)).toBe(true);
    const parsed = new URL(url);
    expect(parsed.searchParams.get('w')).toBe('500');
    expect(parsed.searchParams.get('h')).toBe('300');
  });

  test.each(['ftp://charts.example.com', 'not a url', ''])('a base URL that is not http(s) (%j) gives null', (baseUrl) => {
    expect(chartImageUrl(funnelChart({ stages: FUNNEL_4 }).config, { baseUrl })).toBeNull();
    expect(buildChartBlock({ ...funnelChart({ stages: FUNNEL_4 }), title: 'Funnel', baseUrl })).toBeNull();
  });

  test('width and height are passed to QuickChart', () => {
    const url = mustUrl(chartImageUrl(attainmentChart({ reps: REPS_8 }).config, { baseUrl: LOCAL_BASE, width: 800, height: 600 }));
    expect(new URL(url).searchParams.get('w')).toBe('800');
    expect(new URL(url).searchParams.get('h')).toBe('600');
  });

  test('a base URL so long that nothing fits gives null, and no block', () => {
    const baseUrl = `${LOCAL_BASE}/${'x'.repeat(2950)}`;
    const chart = revenueTrendChart({ weeks: USD_WEEKS, currency: 'USD' });
    expect(chartImageUrl(chart.config, { baseUrl })).toBeNull();
    expect(fitChart(chart.config, { baseUrl })).toBeNull();
    expect(buildChartBlock({ ...chart, title: 'Net revenue', baseUrl })).toBeNull();
  });

  test('empty alt text falls back to the title; an empty title is left out', () => {
    const { config } = funnelChart({ stages: FUNNEL_4 });
    expect(buildChartBlock({ config, altText: '', title: 'Funnel', baseUrl: LOCAL_BASE })).toMatchObject({ alt_text: 'Funnel' });
    const block = buildChartBlock({ config, altText: 'Funnel: …', title: '  ', baseUrl: LOCAL_BASE });
    expect(block).not.toHaveProperty('title');
  });
});

// --- What the URLs carry ---------------------------------------------------------------------

describe('revenueTrendChart', () => {
  test('bars in whole dollars and the given trailing-average line, named by the policy', () => {
    const chart = revenueTrendChart({ weeks: USD_WEEKS, currency: 'USD', averageLabel: 'the 4 weeks before' });
    const config = decode(mustUrl(chartImageUrl(chart.config, { baseUrl: LOCAL_BASE })));
    expect(config.type).toBe('bar');
    expect(config.data.labels).toEqual(USD_WEEKS.map((w) => w.label));
    expect(dataset(config, 0).data).toEqual([12000, 13500, 11000, 14000, 15250, 14800, 16000, 15500, 17000, 16200, 15000, 18000]);
    // week i against the 4 weeks before it (i-4..i-1): (12000+13500+11000+14000)/4 = 12625 at W13, …
    expect(dataset(config, 1)).toMatchObject({ type: 'line', label: 'avg of the 4 weeks before' });
    expect(dataset(config, 1).data).toEqual([null, null, null, null, 12625, 13438, 13763, 15013, 15388, 15825, 16175, 15925]);
  });

  test('alt text states the figures', () => {
    expect(revenueTrendChart({ weeks: USD_WEEKS, currency: 'USD', averageLabel: 'the 4 weeks before' }).altText).toBe(
      'Net revenue per week, last 12 weeks: from $12k (W9) to $18k (W20), low $11k (W11), high $18k (W20); last week $18k vs the average of the 4 weeks before $15.9k.',
    );
  });

  test('large VND amounts travel exactly (integers, exponent form only for trailing zeros)', () => {
    const chart = revenueTrendChart({ weeks: VND_WEEKS, currency: 'VND' });
    const fitted = fitChart(chart.config, { baseUrl: LOCAL_BASE });
    expect(fitted?.step).toBe(SHRINK_STEPS[0]);
    const config = decode(mustUrl(fitted?.url ?? null));
    expect(dataset(config, 0).data).toEqual(VND_WEEKS.map((w) => Number(w.netMinor)));
    expect(chart.altText).toContain('from 123.5B ₫ (Tuần 10: 03/03 – 09/03/2025) to 207.7B ₫ (Tuần 21: 19/05 – 25/05/2025)');
    expect(chart.altText).toContain('vs the average of the weeks before');

    const round = revenueTrendChart({ weeks: [{ label: 'W1', netMinor: 1_500_000_000n }], currency: 'VND' });
    const url = mustUrl(chartImageUrl(round.config, { baseUrl: LOCAL_BASE }));
    expect(new URL(url).searchParams.get('c')).toContain('"data":[15e8]');
    expect(dataset(decode(url), 0).data).toEqual([1_500_000_000]);
    expect(round.config.data.datasets).toHaveLength(1); // no trailing average given: no average line
    expect(round.altText).toBe('Net revenue per week, last week: from 1.5B ₫ (W1) to 1.5B ₫ (W1); last week 1.5B ₫.');
  });

  test('more than 12 weeks: the last 12 are shown', () => {
    const weeks = [...USD_WEEKS.slice(0, 3).map((w) => ({ ...w, label: `old ${w.label}` })), ...USD_WEEKS];
    expect(revenueTrendChart({ weeks, currency: 'USD' }).config.data.labels).toEqual(USD_WEEKS.map((w) => w.label));
  });

  test('no weeks: one "No data" category, empty flag, alt text says so', () => {
    const chart = revenueTrendChart({ weeks: [], currency: 'USD' });
    expect(chart.empty).toBe(true);
    expect(chart.altText).toBe('Net revenue per week: no data for the last 12 weeks.');
    const config = decode(mustUrl(chartImageUrl(chart.config, { baseUrl: LOCAL_BASE })));
    expect(config.data.labels).toEqual([NO_DATA_LABEL]);
    expect(dataset(config, 0).data).toEqual([null]);
  });

  test('shrinking drops the average line first and keeps the labels', () => {
    const weeks = USD_WEEKS.map((w, i) => ({ ...w, label: `Week ${i + 1} of the quarter` }));
    const { config } = revenueTrendChart({ weeks, currency: 'USD' });
    const full = mustUrl(chartImageUrl(config, { baseUrl: DEFAULT_BASE }));
    // A path prefix that pushes the full URL to exactly 3,000 characters.
    const baseUrl = `${DEFAULT_BASE}/${'q'.repeat(LIMITS.imageUrl - full.length - 1)}`;
    const fitted = fitChart(config, { baseUrl });
    expect(fitted?.step).toBe('drop the average line');
    const shrunk = decode(mustUrl(fitted?.url ?? null));
    expect(shrunk.data.datasets).toHaveLength(1);
    expect(shrunk.data.labels).toEqual(weeks.map((w) => w.label));
    expect(config.data.datasets).toHaveLength(2); // the input is not modified
  });

  test('with little room it keeps the latest weeks, says so, and keeps labels distinct', () => {
    const { config } = revenueTrendChart({ weeks: VND_WEEKS, currency: 'VND' });
    const fitted = fitChart(config, { baseUrl: `${LOCAL_BASE}/${'q'.repeat(2120)}` });
    expect(fitted?.step).toBe('at most 8 bars');
    const shrunk = decode(mustUrl(fitted?.url ?? null));
    expect(shrunk.data.datasets).toHaveLength(1);
    expect(dataset(shrunk, 0).data).toEqual(VND_WEEKS.slice(-8).map((w) => Number(w.netMinor)));
    expect(shrunk.options?.title?.text).toBe('Net revenue per week (VND) (last 8 of 12)');
    // 'Tuần 21: 19/05 – 25/05/2025' → ASCII, the shared 'Tuan ' dropped, cut to 6 characters
    expect(shrunk.data.labels).toHaveLength(8);
    expect(new Set(shrunk.data.labels).size).toBe(8);
    expect(shrunk.data.labels.at(-1)).toBe('21: 1.');
  });
});

describe('funnelChart', () => {
  test('horizontal bars with the biggest leak highlighted', () => {
    const chart = funnelChart({ stages: FUNNEL_4 });
    const config = decode(mustUrl(chartImageUrl(chart.config, { baseUrl: LOCAL_BASE })));
    expect(config.type).toBe('horizontalBar');
    expect(config.data.labels).toEqual(['Leads', 'Contacted', 'Demo/Trial', 'Won']);
    expect(dataset(config, 0).data).toEqual([1000, 400, 200, 50]);
    // leak = step Demo/Trial → Won (25%): the Won bar is highlighted
    expect(dataset(config, 0).backgroundColor).toEqual([COLORS.bar, COLORS.bar, COLORS.bar, COLORS.highlight]);
    expect(chart.altText).toBe(
      'Funnel: 1,000 Leads → 400 Contacted (40.0%) → 200 Demo/Trial (50.0%) → 50 Won (25.0%); biggest leak Demo/Trial → Won (25.0%).',
    );
  });

  test.each([
    [0, 1, 'Leads → Contacted (40.0%)'],
    [1, 2, 'Contacted → Demo/Trial (50.0%)'],
    [99, 3, 'Demo/Trial → Won (25.0%)'],
    [-1, 3, 'Demo/Trial → Won (25.0%)'],
    [1.5, 3, 'Demo/Trial → Won (25.0%)'],
  ])('leakIndex %s highlights bar %i (invalid → computed)', (leakIndex, bar, text) => {
    const chart = funnelChart({ stages: FUNNEL_4, leakIndex });
    const colors = dataset(chart.config, 0).backgroundColor;
    expect(Array.isArray(colors) ? colors.indexOf(COLORS.highlight) : -1).toBe(bar);
    expect(chart.altText).toContain(`biggest leak ${text}`);
  });

  test('8 long Vietnamese stage names still fit, all stages kept', () => {
    const chart = funnelChart({ stages: FUNNEL_8_LONG });
    const config = decode(mustUrl(chartImageUrl(chart.config, { baseUrl: LOCAL_BASE })));
    expect(config.data.labels).toHaveLength(8);
    expect(dataset(config, 0).data).toEqual(FUNNEL_8_LONG.map((s) => s.count));
    expect(chart.altText).toContain('25,000 Khách hàng tiềm năng');
  });

  test('no stages, or no deals: defined output', () => {
    const none = funnelChart({ stages: [] });
    expect(none).toMatchObject({ empty: true, altText: 'Funnel: no stages to show.' });
    expect(none.config.data.labels).toEqual([NO_DATA_LABEL]);
    const zero = funnelChart({ stages: [{ label: 'Leads', count: 0 }, { label: 'Won', count: 0 }] });
    expect(zero.empty).toBe(false);
    expect(zero.altText).toBe('Funnel: 0 Leads → 0 Won (n/a).');
    expect(dataset(zero.config, 0).backgroundColor).toEqual([COLORS.bar, COLORS.bar]);
  });
});

describe('attainmentChart', () => {
  test('percent bars, highest first, and a full-height 100% line', () => {
    const chart = attainmentChart({ reps: REPS_8 });
    const config = decode(mustUrl(chartImageUrl(chart.config, { baseUrl: LOCAL_BASE })));
    expect(config.type).toBe('horizontalBar');
    expect(config.data.labels).toEqual(['Ana', 'Eve', 'Chi', 'Gus', 'Dan', 'Hai', 'Fay', 'Bo']);
    expect(dataset(config, 0).data).toEqual([132, 105, 100, 95, 87, 73, 62, 41]);
    const line = dataset(config, 1);
    expect(line).toMatchObject({ type: 'line', label: '100%', yAxisID: 'ref' });
    expect((line.data as TChartPoint[]).map((p) => p.x)).toEqual([100, 100]);
    expect(config.options?.scales?.yAxes?.[1]).toMatchObject({ id: 'ref', type: 'linear', display: false, ticks: { min: 0, max: 1 } });
    expect(chart.altText).toBe('Attainment: 3 of 8 reps at or above 100%; highest Ana 132%, lowest Bo 41%.');
  });

  test('200 reps with long names shrink to the top and bottom reps, not to null', () => {
    const chart = attainmentChart({ reps: REPS_200 });
    const fitted = fitChart(chart.config, { baseUrl: LOCAL_BASE });
    const url = mustUrl(fitted?.url ?? null);
    expect(url.length).toBeLessThan(LIMITS.imageUrl);
    const config = decode(url);
    const labels = config.data.labels;
    const values = dataset(config, 0).data as Array<number | null>;
    const gap = labels.findIndex((l) => /^\d+ more$/.test(l));
    expect(gap).toBeGreaterThan(0);
    const shown = labels.length - 1;
    expect(shown).toBeLessThanOrEqual(16);
    expect(labels[gap]).toBe(`${200 - shown} more`);
    expect(values[gap]).toBeNull();
    const sorted = [...REPS_200].sort((a, b) => b.attainment - a.attainment);
    expect(values[0]).toBe(Math.round((sorted[0]?.attainment ?? 0) * 100));
    expect(values.at(-1)).toBe(Math.round((sorted.at(-1)?.attainment ?? 0) * 100));
    expect(fitted?.step).toBe('as built'); // 16 readable rows at 300 px already fit
    expect(labels[0]).toBe(sorted[0]?.name);
    expect((dataset(config, 1).data as TChartPoint[]).map((p) => p.x)).toEqual([100, 100]);
    expect(chart.altText).toMatch(/^Attainment: \d+ of 200 reps at or above 100%; highest .+ 175%, lowest .+ 5%\.$/);
    expect(chart.config.data.labels).toHaveLength(200); // the input is not modified
  });

  test('200 reps with little room: fewer, shorter, ASCII labels, still a URL', () => {
    const { config } = attainmentChart({ reps: REPS_200 });
    const fitted = fitChart(config, { baseUrl: `${LOCAL_BASE}/${'q'.repeat(2000)}` });
    const url = mustUrl(fitted?.url ?? null);
    expect(url.length).toBeLessThan(LIMITS.imageUrl);
    const shrunk = decode(url);
    expect(shrunk.data.labels.length).toBeLessThan(17);
    expect(shrunk.data.labels.join('')).toMatch(/^[\x20-\x7e]+$/);
    expect(shrunk.data.labels.some((l) => /^\d+ more$/.test(l))).toBe(true);
    expect((dataset(shrunk, 1).data as TChartPoint[]).map((p) => p.x)).toEqual([100, 100]);
  });

  test('a taller image shows more reps', () => {
    const { config } = attainmentChart({ reps: REPS_200.map((r, i) => ({ ...r, name: `Rep ${i}` })) });
    const at = (height: number) => decode(mustUrl(chartImageUrl(config, { baseUrl: LOCAL_BASE, height }))).data.labels.length;
    expect(at(300)).toBe(17); // 8 top + "184 more" + 8 bottom
    expect(at(600)).toBeGreaterThan(30);
  });

  test('no reps, or none with a quota: defined output', () => {
    const none = attainmentChart({ reps: [] });
    expect(none).toMatchObject({ empty: true, altText: 'Attainment: no reps with a quota.' });
    expect(none.config.data.labels).toEqual([NO_DATA_LABEL]);
    const noQuota = attainmentChart({ reps: [{ name: 'Ana', attainment: Number.NaN }, { name: 'Bo', attainment: Number.POSITIVE_INFINITY }] });
    expect(noQuota).toMatchObject({ empty: true, altText: 'Attainment: no reps with a quota (2 reps without a quota not shown).' });
    const one = attainmentChart({ reps: [{ name: 'Ana', attainment: 0.5 }, { name: 'Bo', attainment: Number.NaN }] });
    expect(one.altText).toBe('Attainment: 0 of 1 rep at or above 100%; Ana 50% (1 rep without a quota not shown).');
  });
});

describe('toChartJson', () => {
  test.each([
    [1_500_000_000, '15e8'],
    [1000, '1e3'],
    [100, '100'],
    [-2000, '-2e3'],
    [123_456_789_012, '123456789012'],
    [0.5, '0.5'],
    [-0, '0'],
    [Number.NaN, 'null'],
  ])('%s → %s', (n, text) => {
    expect(toChartJson(n)).toBe(text);
  });

  test('is strict JSON that round-trips the config', () => {
    const { config } = attainmentChart({ reps: REPS_8 });
    expect(JSON.parse(toChartJson(config))).toEqual(JSON.parse(JSON.stringify(config)));
    expect(() => toChartJson({ f: () => 1 })).toThrow(TypeError);
  });
});
