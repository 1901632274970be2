import { computeTopMovers } from '../../src/domain/digests/top-movers.js';
import {
  classifyAttainmentRatio,
  compareLeakToTrailing,
  computeAttainmentRatio,
  computeAverageDealSize,
  computeAverageDiscount,
  computeFunnel,
  computeNetRevenue,
  computePacing,
  computeMrrMovements,
  computeRepAttainment,
  computeRetention,
  computeTeamAttainment,
  computeWinRate,
  computeConversionRate,
  averagePerPeriod,
  pooledAverageDealSize,
  pooledStepRate,
  readConversionTrend,
  relativeChange,
  readTrend,
  type TConversionReport,
  type TDateRange,
  type TDealSizeReport,
  type TFunnelReport,
  type TKpiReportBase,
  type TMrrReport,
  type TQuotaReport,
  type TRepQuotaLine,
  type TRepRef,
  type TRevenueReport,
  type TWinRateReport,
} from '../../src/domain/metrics/index.js';
import type { TDigestAlert, TDigestKpi, TWeeklyDigestData } from '../../src/domain/digests/digest-data.js';

const d = (iso: string) => new Date(iso);
// Week of Nov 23, 2026 in Europe/Berlin (CET, UTC+1).
const WEEK: TDateRange = { start: d('2026-11-22T23:00:00Z'), end: d('2026-11-29T23:00:00Z') };
const PREV: TDateRange = { start: d('2026-11-15T23:00:00Z'), end: d('2026-11-22T23:00:00Z') };
const weeksBefore = (n: number): TDateRange[] =>
  Array.from({ length: n }, (_, i) => ({ start: new Date(WEEK.start.getTime() - (n - i) * 7 * 86_400_000), end: new Date(WEEK.start.getTime() - (n - i - 1) * 7 * 86_400_000) }));
const NOW = d('2026-11-30T08:00:00Z');
const base = (range: TDateRange, trailing: TDateRange[] = []): TKpiReportBase => ({
  scope: { kind: 'workspace' },
  range,
  previousRange: PREV,
  trailingRanges: trailing,
  currency: 'USD',
  generatedAt: NOW,
});

/** A long, non-ASCII rep name, as real teams have. */
const defaultRepName = (i: number) => `Nguyễn Thị Representative-With-A-Long-Name ${String(i).padStart(3, '0')}`;

/**
 * A full week's digest data for `reps` reps; `repName` and `scopeLabel` let tests feed hostile
 * names through every section.
 */
export function digestFixture(
  reps: number,
  opts: { late?: boolean; preview?: boolean; kpis?: TDigestKpi[]; alerts?: number; quickchartUrl?: string | null; repName?: (i: number) => string; scopeLabel?: string } = {},
): TWeeklyDigestData {
  const repName = opts.repName ?? defaultRepName;
  const rep = (i: number): TRepRef => ({ repId: i, name: repName(i), slackUserId: `U${i}`, teamId: 1 });
  const trailing4 = weeksBefore(4);
  const nets = Array.from({ length: 11 }, (_, i) => computeNetRevenue({ wonMinor: BigInt(900_000_000 + i * 13_579_000), refundsMinor: BigInt(i * 1_000_000) }));
  // The revenue report compares with the policy's 4 weeks; the chart shows all 12.
  const revenueCurrent = computeNetRevenue({ wonMinor: 1_234_567_800n, refundsMinor: 4_500_000n });
  const trailingNets = [1_000_000_000n, 1_100_000_000n, 1_000_000_000n, 1_100_000_000n].map((netMinor) => computeNetRevenue({ wonMinor: netMinor, refundsMinor: 0n }));
  const trailingAverageNetMinor = averagePerPeriod(trailingNets.map((n) => n.netMinor));
  const revenue: TRevenueReport = {
    kind: 'revenue',
    ...base(WEEK, trailing4),
    current: revenueCurrent,
    previous: nets[10] ?? null,
    changeVsPrevious: 0.2,
    trailing: trailingNets,
    trailingAverageNetMinor,
    changeVsTrailing: relativeChange(revenueCurrent.netMinor, trailingAverageNetMinor),
    byType: {
      new: { count: 1, wonMinor: 1n, refundsMinor: 0n, netMinor: 1n },
      upsell: { count: 0, wonMinor: 0n, refundsMinor: 0n, netMinor: 0n },
      renewal: { count: 0, wonMinor: 0n, refundsMinor: 0n, netMinor: 0n },
    },
    unassignedRefundsMinor: 0n,
    mix: null,
    previousMix: null,
  };
  const trailingWin = [computeWinRate({ won: 40, lost: 60 }), computeWinRate({ won: 35, lost: 65 }), computeWinRate({ won: 38, lost: 62 }), computeWinRate({ won: 29, lost: 71 })];
  const winrate: TWinRateReport = {
    kind: 'winrate',
    ...base(WEEK, trailing4),
    current: computeWinRate({ won: 22, lost: 78 }),
    previous: computeWinRate({ won: 30, lost: 70 }),
    trailing: trailingWin,
    trailingAverage: computeWinRate({ won: 142, lost: 258 }),
    deltaVsPrevious: -0.08,
    deltaVsTrailing: -0.135,
    trend: readTrend([0.4, 0.35, 0.38, 0.29, 0.22]),
    byRep: [],
  };
  const byRep = Array.from({ length: reps }, (_, i) => ({
    rep: rep(i + 1),
    average: computeAverageDealSize({ wonMinor: BigInt(1_000_000 + i * 10_000) * 3n, wonCount: 3 }),
    discount: computeAverageDiscount({ discountMinor: 0n, discountedDeals: 0, discountedWonMinor: 0n }),
  }));
  const dealCurrent = computeAverageDealSize({ wonMinor: 1_234_567_800n, wonCount: 22 });
  const dealPrevious = computeAverageDealSize({ wonMinor: 900_000_000n, wonCount: 30 });
  const dealTrailing = trailing4.map((_, i) => computeAverageDealSize({ wonMinor: BigInt(800_000_000 + i), wonCount: 30 }));
  const dealTrailingAverage = pooledAverageDealSize(dealTrailing);
  const dealsize: TDealSizeReport = {
    kind: 'dealsize',
    ...base(WEEK, trailing4),
    current: dealCurrent,
    previous: dealPrevious,
    changeVsPrevious: relativeChange(dealCurrent.averageMinor, dealPrevious.averageMinor),
    trailing: dealTrailing,
    trailingAverage: dealTrailingAverage,
    changeVsTrailing: relativeChange(dealCurrent.averageMinor, dealTrailingAverage.averageMinor),
    trend: readTrend([1, 2]),
    discount: computeAverageDiscount({ discountMinor: 0n, discountedDeals: 0, discountedWonMinor: 0n }),
    groupScope: { kind: 'workspace' },
    groupAverageMinor: 2_000_000n,
    byRep,
    repsBelowAverage: byRep.slice(0, Math.floor(reps / 2)),
    lookback: WEEK,
    oversizedDeals: [],
    openDealsAsOf: NOW,
    oversizeMultiplePct: 400,
  };
  const stages = ['lead', 'contacted', 'demo', 'proposal'];
  const f = computeFunnel({ stages, reachedCounts: [1200, 480, 240, 120, 12] });
  const trailingFunnels = trailing4.map(() => computeFunnel({ stages, reachedCounts: [1000, 400, 200, 90, 30] }));
  const leakStep = f.biggestLeak!;
  const funnel: TFunnelReport = {
    kind: 'funnel',
    ...base(WEEK, trailing4),
    funnel: f,
    previous: computeFunnel({ stages, reachedCounts: [1100, 450, 220, 100, 20] }),
    trailing: trailingFunnels,
    trailingOverallRate: pooledStepRate(trailingFunnels.map((t) => ({ reached: t.reachedCounts[0] ?? 0, advanced: t.reachedCounts[4] ?? 0 }))),
    leak: { step: leakStep, comparison: compareLeakToTrailing(leakStep, trailingFunnels.map((t) => t.steps[leakStep.index])) },
  };
  const conversion: TConversionReport = {
    kind: 'conversion',
    ...base(WEEK, trailing4),
    current: { ...computeConversionRate({ leads: 500, converted: 50 }), dealsCreated: 500, bulkLeads: 0, leadsSource: 'deals' },
    previous: { ...computeConversionRate({ leads: 400, converted: 30 }), dealsCreated: 400, bulkLeads: 0, leadsSource: 'deals' },
    trailing: [],
    trailingAverage: computeConversionRate({ leads: 1600, converted: 120 }),
    deltaVsPrevious: 0.025,
    deltaVsTrailing: 0.025,
    winRate: computeWinRate({ won: 22, lost: 78 }),
    reading: readConversionTrend({ conversionDelta: 0.33, dealsDelta: -0.27, avgDealDelta: 0.87 }),
  };
  const mrrMovements = computeMrrMovements(
    Array.from({ length: 305 }, (_, i) => ({ customer: `c${i}`, startMinor: i < 290 ? 10_000_000n : 0n, endMinor: i < 5 ? 0n : 10_000_000n, subscribedBefore: i < 290 })),
  );
  const mrr: TMrrReport = {
    kind: 'mrr',
    ...base(WEEK, trailing4),
    current: { asOf: WEEK.end, mrrMinor: 3_000_000_000n, arrMinor: 36_000_000_000n, subscriptions: 300 },
    previous: { asOf: PREV.end, mrrMinor: 2_900_000_000n, arrMinor: 34_800_000_000n, subscriptions: 290 },
    changeVsPreviousMinor: 100_000_000n,
    trailing: trailing4.map((r) => ({ asOf: r.end, mrrMinor: 2_800_000_000n, arrMinor: 33_600_000_000n, subscriptions: 280 })),
    trailingAverageMrrMinor: 2_800_000_000n,
    changeVsTrailingMinor: 200_000_000n,
    // 290 customers at 10,000,000 a month at the start; 5 leave, 15 arrive.
    movements: mrrMovements,
    retention: computeRetention(mrrMovements),
  };
  const quota = (range: TDateRange, elapsed: number): TQuotaReport => {
    const lines: TRepQuotaLine[] = Array.from({ length: reps }, (_, i) => {
      const quotaMinor = 5_000_000_000n;
      const netWonMinor = BigInt(Math.round(((i * 37) % 150) / 100 * 5_000_000_000));
      return {
        rep: rep(i + 1),
        wonMinor: netWonMinor,
        refundsMinor: 0n,
        netWonMinor,
        quota: { quotaMinor, method: 'inside', periodKind: 'month', rows: 1 },
        attainment: computeRepAttainment({ netWonMinor, quotaMinor }),
        pacing: computePacing({ netWonMinor, quotaMinor, elapsedShare: elapsed }),
      };
    });
    const ratio = computeAttainmentRatio(lines.map((l) => ({ netWonMinor: l.netWonMinor, quotaMinor: l.quota?.quotaMinor ?? null })));
    const net = lines.reduce((s, l) => s + l.netWonMinor, 0n);
    const q = BigInt(reps) * 5_000_000_000n;
    const total = computeTeamAttainment({ members: [{ netWonMinor: net, quotaMinor: reps ? q : null }] });
    return {
      kind: 'quota',
      ...base(range),
      elapsedShare: elapsed,
      reps: lines,
      ratio,
      band: classifyAttainmentRatio(ratio.ratio),
      total,
      totalPacing: computePacing({ netWonMinor: net, quotaMinor: reps ? q : null, elapsedShare: elapsed }),
    };
  };
  const mtd = quota({ start: d('2026-10-31T23:00:00Z'), end: d('2026-11-30T23:00:00Z') }, 0.97);
  const qtd = quota({ start: d('2026-09-30T22:00:00Z'), end: d('2026-12-31T23:00:00Z') }, 0.66);
  const weekQuota = quota(WEEK, 1);
  const board = Array.from({ length: reps }, (_, i) => ({ rep: rep(i + 1), netWonMinor: BigInt(i * 1_000_000) }));
  const prevBoard = Array.from({ length: reps }, (_, i) => ({ rep: rep(i + 1), netWonMinor: BigInt(((i * 7919) % reps) * 1_000_000) }));
  const alertItems: TDigestAlert[] = Array.from({ length: opts.alerts ?? reps }, (_, i) => ({
    title: 'Average deal below the group',
    message: `${repName(i)}'s average deal $10,000 is 50.0% below the group average $20,000 (threshold: 20%; 3 won deals).`,
    isNew: i % 2 === 0,
  }));
  return {
    weekLabel: 'week of Nov 23, 2026',
    timeZone: 'Europe/Berlin',
    scopeLabel: opts.scopeLabel ?? 'all reps',
    currency: 'USD',
    preview: opts.preview ?? false,
    late: opts.late ? { scheduledFor: d('2026-11-30T08:00:00Z') } : null,
    generatedAt: opts.late ? d('2026-11-30T11:30:00Z') : NOW,
    kpis: opts.kpis ?? ['winrate', 'revenue', 'dealsize', 'funnel', 'quota', 'conversion', 'mrr'],
    comparison: { previousLabel: 'the week before', trailingLabel: 'the 4 weeks before' },
    revenue,
    winrate,
    dealsize,
    funnel,
    conversion,
    mrr,
    quotaWeeks: { current: weekQuota, previous: weekQuota, trailingAverage: 0.8 },
    pacing: [
      { label: 'November 2026', report: mtd },
      { label: 'Q4 2026 (Oct 1 – Dec 31)', report: qtd },
    ],
    movers: computeTopMovers({ current: board, previous: prevBoard, limit: 3 }),
    charts: {
      revenueWeeks: [...nets.slice(0, 7), ...trailingNets, revenue.current].map((n, i) => ({ label: `Nov ${i + 1}`, netMinor: n.netMinor })),
      funnelStages: f.stages.map((s, i) => ({ label: s, count: f.reachedCounts[i] ?? 0 })),
      funnelLeakIndex: leakStep.index,
      attainment: mtd.reps.map((r) => ({ name: r.rep.name, attainment: r.attainment.attainment ?? Number.NaN })),
      attainmentLabel: 'November 2026 to date',
    },
    quickchartUrl: opts.quickchartUrl === undefined ? 'https://quickchart.io' : opts.quickchartUrl,
    alerts: { items: alertItems, snoozed: 2, failed: false },
  };
}
