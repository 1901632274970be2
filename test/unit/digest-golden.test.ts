import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { attainmentChart, funnelChart, revenueTrendChart } from '../../src/charts/configs.js';
import type { TWeeklyDigestData } from '../../src/domain/digests/digest-data.js';
import { classifyAttainmentRatio, computeAverageDealSize, computeConversionRate, computeFunnel, computeWinRate } from '../../src/domain/metrics/index.js';
import type { TLocale } from '../../src/i18n/locales.js';
import { buildWeeklyDigestMessage } from '../../src/slack/blocks/digest.js';
import { kpiChartBlock } from '../../src/slack/blocks/kpi/chart.js';
import { parsePeriod, trailingPeriods } from '../../src/domain/periods.js';
import { findLimitViolations } from '../../src/slack/blocks/limits.js';
import { digestFixture } from '../helpers/digest-fixtures.js';
import { funnelReport, quotaReport, revenueReport } from '../helpers/kpi-fixtures.js';

/**
 * Golden output of the weekly digest and its charts in every language: fixed fixtures, built by
 * the one builder, compared byte for byte with the committed text in test/fixtures/golden/. The
 * expected files were written by the builders before the English and the Vietnamese/Chinese code
 * paths were folded into one, so English is the output the app printed before issue #12 and vi /
 * zh-CN are what they printed when translated.
 *
 * A deliberate wording change: `UPDATE_GOLDEN=1 npx vitest run test/unit/digest-golden.test.ts`,
 * then read the diff of the .txt files before committing it.
 */

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'golden');
const LOCALES = ['en', 'vi', 'zh-CN'] as const satisfies readonly TLocale[];

/** Labels as build-weekly-digest.ts hands them in each language (the builder does not make them). */
const LABELS: Record<TLocale, { week: string; previous: string; trailing: string; month: string; quarter: string; monthToDate: string; scope: string; short: (i: number) => string; stage: (s: string) => string }> = {
  en: {
    week: 'week of Nov 23, 2026',
    previous: 'the week before',
    trailing: 'the 4 weeks before',
    month: 'November 2026',
    quarter: 'Q4 2026 (Oct 1 – Dec 31)',
    monthToDate: 'November 2026 to date',
    scope: 'all reps',
    short: (i) => `Nov ${i + 1}`,
    stage: (s) => s,
  },
  vi: {
    week: 'tuần 48/2026 (23/11 – 29/11)',
    previous: 'tuần trước đó',
    trailing: '4 tuần trước đó',
    month: 'tháng 11/2026',
    quarter: 'Quý 4/2026 (1/10 – 31/12)',
    monthToDate: 'tháng 11/2026 đến nay',
    scope: 'tất cả nhân viên kinh doanh',
    short: (i) => `Tuần ${37 + i}`,
    stage: (s) => `Giai đoạn ${s.length}`,
  },
  'zh-CN': {
    week: '2026年第48周（11月23日–11月29日）',
    previous: '前一周',
    trailing: '此前 4 周',
    month: '2026年11月',
    quarter: '2026年第四季度（10月1日–12月31日）',
    monthToDate: '2026年11月至今',
    scope: '全体销售',
    short: (i) => `第${37 + i}周`,
    stage: (s) => `阶段${s.length}`,
  },
};

/** The fixture in `locale`: labels in the language, VND amounts outside English. */
function localized(f: TWeeklyDigestData, locale: TLocale): TWeeklyDigestData {
  const l = LABELS[locale];
  const currency = locale === 'en' ? f.currency : 'VND';
  return {
    ...f,
    ...(locale === 'en' ? {} : { locale }),
    currency,
    timeZone: locale === 'en' ? f.timeZone : 'Asia/Ho_Chi_Minh',
    weekLabel: l.week,
    scopeLabel: f.scopeLabel === 'all reps' ? l.scope : f.scopeLabel,
    comparison: { previousLabel: l.previous, trailingLabel: l.trailing },
    pacing: f.pacing.map((p, i) => ({ ...p, label: i === 0 ? l.month : l.quarter })),
    charts: {
      ...f.charts,
      revenueWeeks: f.charts.revenueWeeks.map((w, i) => ({ ...w, label: l.short(i) })),
      funnelStages: f.charts.funnelStages.map((s) => ({ ...s, label: l.stage(s.label) })),
      attainmentLabel: l.monthToDate,
    },
  };
}

const rn = (i: number) => (i % 2 ? `Nguyễn Văn ${i}` : `Trần Thị ${i}`);

/** Every branch the digest words: full week, late + preview + ended month + oversized, nothing at all, overflow, no charts. */
function scenarios(): Array<[string, TWeeklyDigestData]> {
  const full = digestFixture(6, { alerts: 5, repName: rn });

  const ended = digestFixture(1, { late: true, preview: true, alerts: 1, repName: rn });
  const after = new Date('2026-12-02T09:00:00Z');
  const deal = { dealId: 1, ownerId: 1, ownerName: 'Rep 1', ownerSlackUserId: null, ownerTeamId: null, customer: 'Mega', amountMinor: 10_000_000n, stage: 'proposal', maxStageIndex: 3, createdAt: new Date('2026-11-02T00:00:00Z') };
  const flag = { deal, baselineMinor: 1_000_000n, baselineSource: 'rep' as const, multiple: 10, gapMinor: null, carriesMostOfGap: false };
  const endedData: TWeeklyDigestData = {
    ...ended,
    generatedAt: after,
    dealsize: { ...ended.dealsize, oversizedDeals: [flag], openDealsAsOf: new Date('2026-11-30T00:00:00Z'), oversizeMultiplePct: 250 },
    pacing: [{ ...ended.pacing[0]!, report: { ...ended.pacing[0]!.report, generatedAt: after } }, ended.pacing[1]!],
    alerts: { items: ended.alerts.items, snoozed: 0, failed: false },
  };

  const none = digestFixture(0, { alerts: 0 });
  const emptyFunnel = computeFunnel({ stages: ['lead', 'won'], reachedCounts: [0, 0] });
  const noneData: TWeeklyDigestData = {
    ...none,
    revenue: { ...none.revenue, previous: null, trailingAverageNetMinor: null, changeVsTrailing: null },
    winrate: { ...none.winrate, current: computeWinRate({ won: 0, lost: 0 }), previous: null, trailingAverage: computeWinRate({ won: 0, lost: 0 }), deltaVsPrevious: null, deltaVsTrailing: null },
    conversion: { ...none.conversion!, current: { ...none.conversion!.current, ...computeConversionRate({ leads: 0, converted: 0 }) }, previous: null, trailingAverage: computeConversionRate({ leads: 0, converted: 0 }) },
    dealsize: { ...none.dealsize, current: computeAverageDealSize({ wonMinor: 0n, wonCount: 0 }), previous: null, trailingAverage: computeAverageDealSize({ wonMinor: 0n, wonCount: 0 }), changeVsPrevious: null, changeVsTrailing: null },
    funnel: { ...none.funnel, funnel: emptyFunnel, previous: null, trailingOverallRate: null, leak: null },
    mrr: null,
    alerts: { items: [], snoozed: 0, failed: true },
    movers: { up: [], down: [] },
    charts: { revenueWeeks: [], funnelStages: [], attainment: [], attainmentLabel: none.charts.attainmentLabel },
  };

  const b = digestFixture(4, { alerts: 2, repName: rn });
  const [mtd, qtd] = b.pacing;
  const bare: TWeeklyDigestData = {
    ...b,
    revenue: { ...b.revenue, previous: { ...b.revenue.previous!, netMinor: 0n }, changeVsTrailing: null },
    winrate: { ...b.winrate, deltaVsPrevious: null, deltaVsTrailing: 0.01 },
    dealsize: { ...b.dealsize, changeVsPrevious: null, changeVsTrailing: 0, oversizedDeals: [flag, flag], openDealsAsOf: b.generatedAt },
    mrr: { ...b.mrr!, changeVsPreviousMinor: null, changeVsTrailingMinor: 0n },
    pacing: [
      { ...mtd!, report: { ...mtd!.report, band: classifyAttainmentRatio(0.7), totalPacing: { ...mtd!.report.totalPacing, status: 'on-track' } } },
      { ...qtd!, report: { ...qtd!.report, band: classifyAttainmentRatio(0.95), totalPacing: { ...qtd!.report.totalPacing, status: null, expectedToDateMinor: null } } },
    ],
  };

  const quiet: TWeeklyDigestData = { ...digestFixture(2, { alerts: 0, repName: rn }), alerts: { items: [], snoozed: 0, failed: false } };
  return [
    ['full week', full],
    ['late, preview, month ended, one oversized deal', endedData],
    ['nothing happened, alerts failed', noneData],
    ['200 reps, 1,000 alerts', digestFixture(200, { alerts: 1000, repName: rn })],
    ['no charts, team scope with mrkdwn in its name, no snoozes', digestFixture(3, { quickchartUrl: null, scopeLabel: 'team <@U1> *East* & co', repName: rn })],
    ['comparisons without a change, 1 pt, bands inside and above, on track', bare],
    ['preview, no alerts', { ...quiet, preview: true }],
    ['no alerts', quiet],
  ];
}

const json = (x: unknown) => JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

function digestGolden(locale: TLocale): string {
  const out: string[] = [];
  for (const [name, data] of scenarios()) {
    const { text, blocks } = buildWeeklyDigestMessage(localized(data, locale));
    expect(findLimitViolations(blocks!)).toEqual([]);
    out.push(`### ${name}`, `text: ${text}`, ...blocks!.map((b) => json(b)), '');
  }
  return out.join('\n');
}

function chartsGolden(locale: TLocale): string {
  const l = LABELS[locale];
  const week = (i: number, netMinor: bigint, avg?: bigint | null) => ({ label: l.short(i), netMinor, ...(avg === undefined ? {} : { trailingAverageMinor: avg }) });
  const cases: Array<[string, unknown]> = [
    ['revenue: no weeks', revenueTrendChart({ weeks: [], currency: 'USD', locale })],
    ['revenue: one week, USD', revenueTrendChart({ weeks: [week(0, 120_000_000n)], currency: 'USD', locale })],
    ['revenue: two weeks, average', revenueTrendChart({ weeks: [week(0, 50_000n, null), week(1, 64_170_000_000n, 30_000_000_000n)], currency: 'VND', averageLabel: l.trailing, locale })],
    ['revenue: 14 weeks, VND, negative week', revenueTrendChart({ weeks: Array.from({ length: 14 }, (_, i) => week(i, i === 5 ? -2_500_000n : BigInt(400_000_000 + i * 37_000_000), i > 3 ? 450_000_000n : null)), currency: 'VND', averageLabel: l.trailing, locale })],
    ['revenue: small CNY', revenueTrendChart({ weeks: [week(0, 12_345n), week(1, 99_900n), week(2, 0n)], currency: 'CNY', locale })],
    ['revenue: default average label', revenueTrendChart({ weeks: [week(0, 100n, 90n)], currency: 'EUR', locale })],
    ['funnel: no stages', funnelChart({ stages: [], locale })],
    ['funnel: leak computed', funnelChart({ stages: [{ label: l.stage('lead'), count: 1000 }, { label: l.stage('demo'), count: 400 }, { label: l.stage('won'), count: 250 }], locale })],
    ['funnel: leak given, bad counts', funnelChart({ stages: [{ label: 'A', count: 1200.6 }, { label: 'B', count: Number.NaN }, { label: 'C', count: -3 }], leakIndex: 0, locale })],
    ['funnel: no leak (nothing entered)', funnelChart({ stages: [{ label: 'A', count: 0 }, { label: 'B', count: 0 }], locale })],
    ['attainment: nobody', attainmentChart({ reps: [], locale })],
    ['attainment: only reps without quota', attainmentChart({ reps: [{ name: 'Ana', attainment: Number.NaN }], locale })],
    ['attainment: one rep', attainmentChart({ reps: [{ name: 'Ana\u202e', attainment: 1.324 }], locale })],
    ['attainment: many, one without quota', attainmentChart({ reps: [{ name: 'Ana', attainment: 1.32 }, { name: 'Bo', attainment: 0.5 }, { name: 'Cy', attainment: 1 }, { name: 'Di', attainment: Number.NaN }], locale })],
    ['attainment: 1,200 reps', attainmentChart({ reps: Array.from({ length: 1200 }, (_, i) => ({ name: rn(i), attainment: (i % 17) / 10 })), locale })],
  ];
  return cases.map(([name, chart]) => `### ${name}\n${json(chart)}\n`).join('\n');
}

/** The chart of a `/kpi` answer (funnel, quota, revenue per period) in `locale`. */
function kpiChartsGolden(locale: TLocale): string {
  const pctx = { now: new Date('2026-11-20T12:00:00Z'), timeZone: 'Europe/Berlin', fiscalYearStartMonth: 1 };
  const opts = (input: string, kind: 'month' | 'quarter' | 'week') => {
    const period = parsePeriod(input, pctx);
    return { period, trailing: trailingPeriods(kind, 3, period, pctx), quickchartUrl: 'https://quickchart.io', locale };
  };
  const cases: Array<[string, unknown]> = [
    ['funnel, this month', kpiChartBlock(funnelReport(), opts('this month', 'month'))],
    ['quota, 200 reps with long names', kpiChartBlock(quotaReport({ atOrAbove: 120, withQuota: 180, reps: 200, longNames: true }), opts('this month', 'month'))],
    ['quota, 3 reps', kpiChartBlock(quotaReport({ atOrAbove: 1, withQuota: 2, reps: 3 }), opts('this month', 'month'))],
    ['revenue, this month', kpiChartBlock(revenueReport(), opts('this month', 'month'))],
    ['revenue, this quarter', kpiChartBlock(revenueReport(), opts('this quarter', 'quarter'))],
    ['revenue, this week', kpiChartBlock(revenueReport(), opts('this week', 'week'))],
    ['revenue, VND', kpiChartBlock(revenueReport({ currency: 'VND' }), opts('this month', 'month'))],
    ['funnel, a workspace stage', kpiChartBlock(funnelReport({ stages: ['lead', 'pilot', 'demo'] }), opts('this month', 'month'))],
  ];
  return cases.map(([name, block]) => `### ${name}\n${json(block)}\n`).join('\n');
}

function compare(file: string, actual: string): void {
  const path = join(GOLDEN_DIR, file);
  if (process.env['UPDATE_GOLDEN'] === '1') {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(path, actual);
  }
  expect(existsSync(path), `${path} is missing: UPDATE_GOLDEN=1 writes it`).toBe(true);
  const expected = readFileSync(path, 'utf8');
  // Section by section first: a failure names the scenario instead of one huge diff.
  const split = (s: string) => s.split(/^(?=### )/m);
  const a = split(actual);
  const e = split(expected);
  for (let i = 0; i < Math.max(a.length, e.length); i++) expect(a[i], `${file}, section ${i + 1}`).toBe(e[i]);
}

describe.each(LOCALES)('golden output in %s', (locale) => {
  test('weekly digest: text and blocks, byte for byte', () => compare(`digest.${locale}.txt`, digestGolden(locale)));
  test('digest charts: configs and alt text, byte for byte', () => compare(`charts.${locale}.txt`, chartsGolden(locale)));
  test('/kpi answer charts: image blocks, byte for byte', () => compare(`kpi-charts.${locale}.txt`, kpiChartsGolden(locale)));
});
