import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { alertPeriods } from '../../src/domain/alerts/evaluate-alerts.js';
import { comparisonPeriods, resolveKpiPeriods, TRAILING_COUNT } from '../../src/domain/metrics/kpi-periods.js';
import {
  averagePerPeriod,
  pooledAttainment,
  pooledAverageDealSize,
  pooledConversionRate,
  pooledStepRate,
  pooledWinRate,
  readTrend,
} from '../../src/domain/metrics/index.js';
import { parsePeriod, periodOf, type TPeriodContext } from '../../src/domain/periods.js';

/**
 * The one comparison policy (`comparisonPeriods`) and the pooled trailing averages every surface
 * uses (issue 8 item 2, issue 9: the same words mean the same number).
 */

const ctx: TPeriodContext = { now: new Date('2026-11-27T12:00:00Z'), timeZone: 'Europe/Berlin', fiscalYearStartMonth: 1 };

describe('comparisonPeriods: previous and trailing periods, and the words for them', () => {
  test.each([
    ['this week', '2026-W47', ['2026-W44', '2026-W45', '2026-W46', '2026-W47'], 'the week before', 'the 4 weeks before'],
    ['last week', '2026-W46', ['2026-W43', '2026-W44', '2026-W45', '2026-W46'], 'the week before', 'the 4 weeks before'],
    ['this month', '2026-10', ['2026-08', '2026-09', '2026-10'], 'the month before', 'the 3 months before'],
    ['2026-Q3', '2026-Q2', ['2025-Q4', '2026-Q1', '2026-Q2'], 'the quarter before', 'the 3 quarters before'],
    ['2025', '2024', ['2022', '2023', '2024'], 'the year before', 'the 3 years before'],
    ['today', '2026-11-26', ['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26'], 'the day before', 'the 7 days before'],
  ] as const)('%s → previous %s, trailing %j, %j / %j', (input, previousKey, trailingKeys, previousLabel, trailingLabel) => {
    const p = resolveKpiPeriods(input, ctx);
    expect(p.previous.key).toBe(previousKey);
    expect(p.trailing.map((t) => t.key)).toEqual(trailingKeys);
    expect(p.previousLabel).toBe(previousLabel);
    expect(p.trailingLabel).toBe(trailingLabel);
    // Back to back, the newest one ending where the period starts.
    for (let i = 1; i < p.trailing.length; i++) expect(p.trailing[i]?.start).toEqual(p.trailing[i - 1]?.end);
    expect(p.trailing[p.trailing.length - 1]?.end).toEqual(p.period.start);
  });

  test('the week of the digest is the "this week" answer a week on: one rule, same periods', () => {
    const lastWeek = resolveKpiPeriods('last week', ctx);
    const direct = comparisonPeriods(periodOf('week', new Date('2026-11-18T12:00:00Z'), ctx), ctx);
    expect(direct.trailing.map((p) => p.key)).toEqual(lastWeek.trailing.map((p) => p.key));
    expect(direct.trailingLabel).toBe(lastWeek.trailingLabel);
  });

  test('ytd and rolling windows: 3 same-length stretches before, named as such', () => {
    const ytd = resolveKpiPeriods('ytd', ctx);
    expect(ytd.trailing).toHaveLength(3);
    expect(ytd.trailingLabel).toBe('the same dates in the 3 years before');
    expect(ytd.previousLabel).toBe('the same dates a year before');
    const rolling = resolveKpiPeriods('last 30 days', ctx);
    expect(rolling.trailing).toHaveLength(3);
    expect(rolling.trailingLabel).toBe('the 3 stretches of 30 days before');
    expect(rolling.previousLabel).toBe('the 30 days before');
    // 30 local days each (one of them has the extra hour of the end of summer time)
    for (const t of rolling.trailing) expect(Math.round((t.end.getTime() - t.start.getTime()) / 86_400_000)).toBe(30);
  });

  test('the counts live in one table and every label states its count and unit', () => {
    for (const kind of Object.keys(TRAILING_COUNT) as Array<keyof typeof TRAILING_COUNT>) {
      const p = comparisonPeriods(periodOf(kind, ctx.now, ctx), ctx);
      expect(p.trailing).toHaveLength(TRAILING_COUNT[kind]);
      expect(p.trailingLabel).toMatch(new RegExp(`^the ${TRAILING_COUNT[kind]} ${kind}s before$`));
    }
  });

  test.each([
    ['week', '2026-W47', ['2026-W43', '2026-W44', '2026-W45', '2026-W46'], 'the 4 weeks before'],
    ['month', '2026-10', ['2026-07', '2026-08', '2026-09'], 'the 3 months before'],
  ] as const)('alerts for a %s use the %s policy', (kind, key, trailingKeys, label) => {
    const a = alertPeriods(kind, ctx);
    expect(a.period.key).toBe(key);
    expect(a.trailing.map((p) => p.key)).toEqual(trailingKeys);
    expect(a.trailingLabel).toBe(label);
    const policy = comparisonPeriods(a.period, ctx);
    expect(a.previous.key).toBe(policy.previous.key);
  });

  test('no other source file picks trailing periods itself', () => {
    const callers: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts') && /trailingPeriods\(/.test(readFileSync(path, 'utf8'))) callers.push(path.replaceAll('\\', '/'));
      }
    };
    walk('src');
    // periods.ts defines it, the policy uses it, and the digest's revenue chart (12 weeks, not a comparison).
    expect(callers.sort()).toEqual(['src/domain/digests/build-weekly-digest.ts', 'src/domain/metrics/kpi-periods.ts', 'src/domain/periods.ts']);
    expect(parsePeriod('this week', ctx).kind).toBe('week');
  });
});

describe('pooled trailing averages: total numerator ÷ total denominator', () => {
  test.each([
    // [periods, pooled rate, what a mean of the rates would have said]
    [[{ won: 1, lost: 0 }, { won: 1, lost: 3 }], 2 / 5, 0.625],
    [[{ won: 15, lost: 25 }], 0.375, 0.375],
    [[{ won: 0, lost: 0 }, { won: 3, lost: 1 }], 0.75, 0.75],
    [[{ won: 0, lost: 0 }], null, null],
    [[], null, null],
  ])('pooledWinRate(%j) = %s (mean of rates: %s)', (periods, pooled, _mean) => {
    const r = pooledWinRate(periods);
    expect(r.rate).toBe(pooled);
    expect(r.won).toBe(periods.reduce((s, p) => s + p.won, 0));
    expect(r.closed).toBe(periods.reduce((s, p) => s + p.won + p.lost, 0));
  });

  test.each([
    [[{ leads: 100, converted: 10 }, { leads: 10, converted: 5 }], 15 / 110],
    [[{ leads: 500, converted: 50 }], 0.1],
    [[{ leads: 0, converted: 0 }, { leads: 0, converted: 0 }], null],
  ])('pooledConversionRate(%j) = %s', (periods, rate) => {
    expect(pooledConversionRate(periods).rate).toBe(rate);
  });

  test.each([
    // $10,000 × 1 and $2,000 × 3: $16,000 / 4 = $4,000 (the mean of averages would say $6,000).
    [[{ wonMinor: 1_000_000n, wonCount: 1 }, { wonMinor: 600_000n, wonCount: 3 }], 400_000n],
    [[{ wonMinor: 9_100n, wonCount: 6 }], 1_517n],
    [[{ wonMinor: 0n, wonCount: 0 }, { wonMinor: 1_000n, wonCount: 3 }], 333n],
    [[{ wonMinor: 0n, wonCount: 0 }], null],
  ])('pooledAverageDealSize(%o) = %s', (periods, average) => {
    expect(pooledAverageDealSize(periods).averageMinor).toBe(average);
  });

  test.each([
    [[{ netWonMinor: 500n, quotaMinor: 1_000n }, { netWonMinor: 3_000n, quotaMinor: 2_000n }], 3_500 / 3_000],
    // a period without a quota adds neither revenue nor quota
    [[{ netWonMinor: 500n, quotaMinor: 1_000n }, { netWonMinor: 9_000n, quotaMinor: null }], 0.5],
    [[{ netWonMinor: 500n, quotaMinor: 0n }], null],
    [[], null],
  ])('pooledAttainment(%o) = %s', (periods, attainment) => {
    expect(pooledAttainment(periods)).toBe(attainment);
  });

  test.each([
    [[{ reached: 10, advanced: 5 }, { reached: 2, advanced: 0 }], 5 / 12],
    [[{ reached: 0, advanced: 0 }], null],
    [[], null],
  ])('pooledStepRate(%j) = %s', (periods, rate) => {
    expect(pooledStepRate(periods)).toBe(rate);
  });

  test.each([
    [[400_000n, 0n, 500_001n], 300_000n],
    [[100n, 101n], 101n],
    [[-100n, -101n], -101n],
    [[], null],
  ])('averagePerPeriod(%o) = %s (total ÷ number of periods)', (values, average) => {
    expect(averagePerPeriod(values)).toBe(average);
  });

  test.each([
    [[0.5, 0.2, 0.3], 0.25, 'growing'],
    [[0.5, 0.2, 0.3], 0.35, 'shrinking'],
    [[0.5, 0.2, 0.3], null, 'insufficient-data'],
  ] as const)('readTrend(%j) against the pooled baseline %s → %s', (values, baseline, trend) => {
    const t = readTrend(values, { baseline });
    expect(t.trend).toBe(trend);
    expect(t.baseline).toBe(baseline);
  });
});
