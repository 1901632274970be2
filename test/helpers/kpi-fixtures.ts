import {
  classifyAttainmentRatio,
  compareLeakToTrailing,
  computeAttainmentRatio,
  computeAverageDealSize,
  computeAverageDiscount,
  computeConversionRate,
  computeFunnel,
  computeNetRevenue,
  computePacing,
  computeMrrMovements,
  computeRepAttainment,
  computeRetention,
  computeReversePlan,
  computeRevenueMix,
  computeTeamAttainment,
  computeWinRate,
  pooledAverageDealSize,
  pooledStepRate,
  pooledWinRate,
  readConversionTrend,
  readTrend,
  relativeChange,
  type TConversionFigures,
  type TConversionReport,
  type TDealSizeReport,
  type TFunnelReport,
  type TKpiReportBase,
  type TLeaderboardReport,
  type TMrrReport,
  type TOpenDeal,
  type TPlanReport,
  type TQuotaReport,
  type TRepQuotaLine,
  type TRepRef,
  type TRevenueReport,
  type TScope,
  type TWinRate,
  type TWinRateReport,
} from '../../src/domain/metrics/index.js';
import type { TKpiBlockContext } from '../../src/slack/blocks/kpi/common.js';

/**
 * Hand-built KPI reports for the pure Block Kit builders: the article's worked examples, empty
 * periods, and the largest realistic data (200 reps with 60-character names, an 8-stage funnel,
 * 50 oversized deals).
 */

const d = (iso: string) => new Date(iso);
export const NOV = { start: d('2026-11-01T00:00:00Z'), end: d('2026-12-01T00:00:00Z') };
export const OCT = { start: d('2026-10-01T00:00:00Z'), end: d('2026-11-01T00:00:00Z') };
export const TRAILING = [
  { start: d('2026-07-01T00:00:00Z'), end: d('2026-08-01T00:00:00Z') },
  { start: d('2026-08-01T00:00:00Z'), end: d('2026-09-01T00:00:00Z') },
  { start: d('2026-09-01T00:00:00Z'), end: d('2026-10-01T00:00:00Z') },
];

export const CTX: TKpiBlockContext = {
  periodLabel: 'November 2026',
  timeZone: 'Europe/Berlin',
  scopeLabel: 'all reps',
  previousLabel: 'October 2026',
  trailingLabel: 'the 3 months before',
  shareValue: '{"v":1,"k":"winrate","i":"","p":"2026-11","a":1795000000,"s":"w"}',
};

export function base(currency = 'USD', scope: TScope = { kind: 'workspace' }): TKpiReportBase {
  return { scope, range: NOV, previousRange: OCT, trailingRanges: TRAILING, currency, generatedAt: d('2026-11-20T12:00:00Z') };
}

export function rep(i: number, longName = false): TRepRef {
  const name = longName ? `Representative ${String(i).padStart(3, '0')} ${'Nguyễn Thị Minh Khai-Hernández '.repeat(3)}`.slice(0, 60) : `Rep ${i}`;
  return { repId: i, name, slackUserId: `U${String(i).padStart(6, '0')}`, teamId: 1 };
}

const pooled = (list: readonly TWinRate[]) => pooledWinRate(list);

export function winRateReport(opts: { won: number; lost: number; reps?: number; longNames?: boolean } = { won: 15, lost: 25 }): TWinRateReport {
  const current = computeWinRate({ won: opts.won, lost: opts.lost });
  const previous = computeWinRate({ won: 12, lost: 28 });
  const trailing = [computeWinRate({ won: 10, lost: 20 }), computeWinRate({ won: 12, lost: 24 }), computeWinRate({ won: 9, lost: 21 })];
  const trailingAverage = pooled(trailing);
  const byRep = Array.from({ length: opts.reps ?? 3 }, (_, i) => ({ rep: rep(i + 1, opts.longNames), winRate: computeWinRate({ won: (i % 7) + 1, lost: (i % 5) + 2 }) }));
  return {
    kind: 'winrate',
    ...base(),
    current,
    previous,
    trailing,
    trailingAverage,
    deltaVsPrevious: current.rate === null || previous.rate === null ? null : current.rate - previous.rate,
    deltaVsTrailing: current.rate === null || trailingAverage.rate === null ? null : current.rate - trailingAverage.rate,
    trend: readTrend([...trailing.map((t) => t.rate), current.rate]),
    byRep: opts.won + opts.lost === 0 ? [] : byRep,
  };
}

function figures(leads: number, converted: number): TConversionFigures {
  return { ...computeConversionRate({ leads, converted }), dealsCreated: leads, bulkLeads: 0, leadsSource: 'deals' };
}

/** The article: 500 leads in a month, 50 buy → 10%. Previous month 12% with the average deal up 30%. */
export function conversionReport(leads = 500, converted = 50): TConversionReport {
  const current = figures(leads, converted);
  const previous = figures(400, 48);
  const trailing = [figures(450, 45), figures(480, 50), figures(400, 44)];
  const trailingAverage = computeConversionRate({ leads: 1330, converted: 139 });
  return {
    kind: 'conversion',
    ...base(),
    current,
    previous,
    trailing,
    trailingAverage,
    deltaVsPrevious: current.rate === null ? null : current.rate - (previous.rate ?? 0),
    deltaVsTrailing: current.rate === null ? null : current.rate - (trailingAverage.rate ?? 0),
    winRate: computeWinRate({ won: 15, lost: 25 }),
    reading:
      current.rate === null
        ? readConversionTrend({ conversionDelta: null, dealsDelta: null, avgDealDelta: null })
        : readConversionTrend({ conversionDelta: (current.rate - 0.12) / 0.12, dealsDelta: 0, avgDealDelta: 0.3 }),
  };
}

/** A quota report whose attainment ratio is exactly `atOrAbove / withQuota`, with `reps` listed reps. */
export function quotaReport(opts: { atOrAbove: number; withQuota: number; reps?: number; longNames?: boolean; currency?: string }): TQuotaReport {
  const currency = opts.currency ?? 'USD';
  const n = opts.reps ?? 5;
  const elapsedShare = 0.6;
  const lines: TRepQuotaLine[] = Array.from({ length: n }, (_, i) => {
    const quotaMinor = i % 10 === 9 ? null : 1_000_000n + BigInt(i) * 10_000n;
    const netWonMinor = BigInt(200_000 + ((i * 137_913) % 1_500_000));
    return {
      rep: rep(i + 1, opts.longNames),
      wonMinor: netWonMinor,
      refundsMinor: 0n,
      netWonMinor,
      quota: quotaMinor === null ? null : { quotaMinor, method: 'inside', periodKind: 'month', rows: 1 },
      attainment: computeRepAttainment({ netWonMinor, quotaMinor }),
      pacing: computePacing({ netWonMinor, quotaMinor, elapsedShare }),
    };
  });
  const ratioValue = opts.withQuota === 0 ? null : opts.atOrAbove / opts.withQuota;
  const total = computeTeamAttainment({ members: lines.map((l) => ({ netWonMinor: l.netWonMinor, quotaMinor: l.quota?.quotaMinor ?? null })) });
  return {
    kind: 'quota',
    ...base(currency),
    elapsedShare,
    reps: lines,
    ratio: opts.withQuota === 0 ? computeAttainmentRatio([]) : { ratio: ratioValue, withQuota: opts.withQuota, atOrAbove: opts.atOrAbove, reason: null },
    band: classifyAttainmentRatio(ratioValue),
    total,
    totalPacing: computePacing({ netWonMinor: total.netWonMinor, quotaMinor: total.quotaMinor, elapsedShare }),
  };
}

export function dealSizeReport(opts: { wonCount: number; reps?: number; oversized?: number; longNames?: boolean; currency?: string } = { wonCount: 10 }): TDealSizeReport {
  const currency = opts.currency ?? 'USD';
  const current = computeAverageDealSize({ wonMinor: BigInt(opts.wonCount) * 1_200_000n, wonCount: opts.wonCount });
  const byRep = Array.from({ length: opts.reps ?? 4 }, (_, i) => ({
    rep: rep(i + 1, opts.longNames),
    average: computeAverageDealSize({ wonMinor: BigInt(500_000 + i * 100_000) * 3n, wonCount: 3 }),
    discount: computeAverageDiscount({ discountMinor: 30_000n, discountedDeals: 1, discountedWonMinor: 300_000n }),
  }));
  const groupAverageMinor = 1_200_000n;
  const openDeal = (i: number): TOpenDeal => ({
    dealId: 1000 + i,
    ownerId: i + 1,
    ownerName: rep(i + 1, opts.longNames).name,
    ownerSlackUserId: null,
    ownerTeamId: 1,
    customer: `Very Large Enterprise Customer Holdings International ${i}`,
    amountMinor: 10_000_000n + BigInt(i) * 100_000n,
    stage: 'proposal',
    maxStageIndex: 3,
    createdAt: d('2026-10-01T00:00:00Z'),
  });
  const oversizedDeals = Array.from({ length: opts.oversized ?? 1 }, (_, i) => {
    const deal = openDeal(i);
    return { deal, baselineMinor: 1_500_000n, baselineSource: 'rep' as const, multiple: Number(deal.amountMinor) / 1_500_000, gapMinor: 12_000_000n, carriesMostOfGap: true };
  });
  // Pooled: $300,000 over 30 deals = $10,000.
  const dealTrailing = [computeAverageDealSize({ wonMinor: 9_000_000n, wonCount: 9 }), computeAverageDealSize({ wonMinor: 10_000_000n, wonCount: 10 }), computeAverageDealSize({ wonMinor: 11_000_000n, wonCount: 11 })];
  const dealTrailingAverage = pooledAverageDealSize(dealTrailing);
  return {
    kind: 'dealsize',
    ...base(currency),
    current,
    previous: computeAverageDealSize({ wonMinor: 10_000_000n, wonCount: 10 }),
    changeVsPrevious: current.averageMinor === null ? null : 0.2,
    trailing: dealTrailing,
    trailingAverage: dealTrailingAverage,
    changeVsTrailing: relativeChange(current.averageMinor, dealTrailingAverage.averageMinor),
    trend: readTrend([1_000_000, 1_000_000, 1_000_000, current.averageMinor], { baseline: dealTrailingAverage.averageMinor }),
    discount: computeAverageDiscount({ discountMinor: 30_000n, discountedDeals: 1, discountedWonMinor: 300_000n }),
    groupScope: { kind: 'workspace' },
    groupAverageMinor: current.averageMinor === null ? null : groupAverageMinor,
    byRep,
    repsBelowAverage: byRep.filter((r) => (r.average.averageMinor ?? 0n) < groupAverageMinor),
    lookback: { start: d('2025-12-01T00:00:00Z'), end: NOV.end },
    oversizedDeals,
    openDealsAsOf: base(currency).generatedAt,
    oversizeMultiplePct: 400,
  };
}

export function revenueReport(opts: { currency?: string; empty?: boolean } = {}): TRevenueReport {
  const currency = opts.currency ?? 'USD';
  const k = currency === 'VND' ? 1n : 100n;
  const line = (count: number, won: bigint, refunds: bigint) => ({ count, wonMinor: won * k, refundsMinor: refunds * k, netMinor: (won - refunds) * k });
  const byType = opts.empty
    ? { new: line(0, 0n, 0n), upsell: line(0, 0n, 0n), renewal: line(0, 0n, 0n) }
    : { new: line(4, 40_000n, 5_000n), upsell: line(2, 10_000n, 0n), renewal: line(1, 5_000n, 0n) };
  const won = byType.new.wonMinor + byType.upsell.wonMinor + byType.renewal.wonMinor;
  const refunds = byType.new.refundsMinor;
  const current = computeNetRevenue({ wonMinor: won, refundsMinor: refunds });
  return {
    kind: 'revenue',
    ...base(currency),
    current,
    previous: computeNetRevenue({ wonMinor: 40_000n * k, refundsMinor: 0n }),
    changeVsPrevious: opts.empty ? -1 : 0.25,
    trailing: [computeNetRevenue({ wonMinor: 45_000n * k, refundsMinor: 0n }), computeNetRevenue({ wonMinor: 45_000n * k, refundsMinor: 0n }), computeNetRevenue({ wonMinor: 45_000n * k, refundsMinor: 0n })],
    trailingAverageNetMinor: 45_000n * k,
    changeVsTrailing: opts.empty ? -1 : 1 / 9,
    byType,
    unassignedRefundsMinor: 0n,
    mix: computeRevenueMix({ newMinor: byType.new.netMinor, upsellMinor: byType.upsell.netMinor, renewalMinor: byType.renewal.netMinor }),
    previousMix: computeRevenueMix({ newMinor: 30_000n * k, upsellMinor: 5_000n * k, renewalMinor: 5_000n * k }),
  };
}

/** The article: 30 subscriptions at 10,000,000 VND a month. */
export function mrrReport(subscriptions = 30): TMrrReport {
  const mrrMinor = BigInt(subscriptions) * 10_000_000n;
  // 25 customers at 10,000,000 at the start; `subscriptions` of them (or new ones) at the end.
  const customers = Array.from({ length: Math.max(25, subscriptions) }, (_, i) => ({
    customer: `c${i}`,
    startMinor: i < 25 ? 10_000_000n : 0n,
    endMinor: i < subscriptions ? 10_000_000n : 0n,
    subscribedBefore: i < 25,
  }));
  const movements = computeMrrMovements(customers);
  return {
    kind: 'mrr',
    ...base('VND'),
    current: { asOf: NOV.end, mrrMinor, arrMinor: mrrMinor * 12n, subscriptions },
    previous: { asOf: OCT.end, mrrMinor: 250_000_000n, arrMinor: 3_000_000_000n, subscriptions: 25 },
    changeVsPreviousMinor: mrrMinor - 250_000_000n,
    trailing: [],
    trailingAverageMrrMinor: null,
    changeVsTrailingMinor: null,
    movements,
    retention: computeRetention(movements),
  };
}

/** The article: 1,000 leads → 400 take the call → 200 reach the trial → 50 buy. */
export function funnelReport(opts: { stages?: string[]; counts?: number[] } = {}): TFunnelReport {
  const stages = opts.stages ?? ['lead', 'contacted', 'demo'];
  const counts = opts.counts ?? [1000, 400, 200, 50];
  const funnel = computeFunnel({ stages, reachedCounts: counts });
  const trailing = [0, 1, 2].map(() => computeFunnel({ stages, reachedCounts: counts.map((c, i) => (i === counts.length - 1 ? Math.round((counts[i - 1] ?? 0) * 0.3) : c)) }));
  const step = funnel.biggestLeak;
  return {
    kind: 'funnel',
    ...base(),
    funnel,
    previous: null,
    trailing,
    trailingOverallRate: pooledStepRate(trailing.map((f) => ({ reached: f.reachedCounts[0] ?? 0, advanced: f.reachedCounts[f.reachedCounts.length - 1] ?? 0 }))),
    leak: step ? { step, comparison: compareLeakToTrailing(step, trailing.map((f) => f.steps[step.index])) } : null,
  };
}

/** The article: quota 800,000,000 VND, average deal 10,000,000 VND, 10% conversion → 80 deals, 800 leads. */
export function planReport(opts: { target?: bigint | null } = {}): TPlanReport {
  const targetMinor = opts.target === undefined ? 800_000_000n : opts.target;
  const averageDeal = computeAverageDealSize({ wonMinor: 300_000_000n, wonCount: 30 });
  const conversion = computeConversionRate({ leads: 300, converted: 30 });
  const planFor = (t: bigint) => computeReversePlan({ quotaMinor: t, averageDealMinor: averageDeal.averageMinor, conversionRate: conversion.rate });
  const netWonToDateMinor = 200_000_000n;
  const remainingMinor = targetMinor === null ? null : targetMinor - netWonToDateMinor;
  return {
    kind: 'plan',
    ...base('VND'),
    targetMinor,
    targetSource: targetMinor === null ? 'none' : 'option',
    basis: { source: 'trailing', ranges: TRAILING, averageDeal, conversion },
    plan: targetMinor === null ? null : planFor(targetMinor),
    netWonToDateMinor,
    remainingMinor,
    remainingPlan: remainingMinor === null ? null : planFor(remainingMinor),
    reason: targetMinor === null ? 'no quota set for this period: give a target amount' : null,
  };
}

export function leaderboardReport(n = 3, longNames = false): TLeaderboardReport {
  const rows = Array.from({ length: n }, (_, i) => {
    const wonCount = Math.max(0, 20 - (i % 20));
    const netWonMinor = BigInt((n - i) * 1_000_000);
    const quotaMinor = 5_000_000n;
    return {
      rank: i + 1,
      rep: rep(i + 1, longNames),
      wonCount,
      lostCount: 3,
      wonMinor: netWonMinor,
      refundsMinor: 0n,
      netWonMinor,
      winRate: computeWinRate({ won: wonCount, lost: 3 }),
      averageDealMinor: wonCount > 0 ? netWonMinor / BigInt(wonCount) : null,
      quotaMinor,
      attainment: Number(netWonMinor) / Number(quotaMinor),
    };
  });
  return { kind: 'leaderboard', ...base(), rows };
}
