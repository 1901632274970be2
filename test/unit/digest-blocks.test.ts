import { describe, expect, test } from 'vitest';
import { computeTopMovers } from '../../src/domain/digests/top-movers.js';
import { parseDigestKpis, shortWeekLabel } from '../../src/domain/digests/build-weekly-digest.js';
import {
  classifyAttainmentRatio,
  compareLeakToTrailing,
  computeAttainmentRatio,
  computeAverageDealSize,
  computeAverageDiscount,
  computeFunnel,
  computeNetRevenue,
  computePacing,
  computeRepAttainment,
  computeTeamAttainment,
  computeWinRate,
  computeConversionRate,
  readConversionTrend,
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
import {
  arrowMoney,
  arrowPercent,
  arrowPoints,
  buildWeeklyDigestMessage,
  DIGEST_MESSAGE_BUDGET,
  type TDigestAlert,
  type TDigestKpi,
  type TWeeklyDigestData,
} from '../../src/slack/blocks/digest.js';
import { findLimitViolations, LIMITS } from '../../src/slack/blocks/limits.js';

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
const repName = (i: number) => `Nguyễn Thị Representative-With-A-Long-Name ${String(i).padStart(3, '0')}`;
const rep = (i: number): TRepRef => ({ repId: i, name: repName(i), slackUserId: `U${i}`, teamId: 1 });

function fixture(reps: number, opts: { late?: boolean; preview?: boolean; kpis?: TDigestKpi[]; alerts?: number; quickchartUrl?: string | null } = {}): TWeeklyDigestData {
  const trailing11 = weeksBefore(11);
  const trailing4 = weeksBefore(4);
  const nets = Array.from({ length: 11 }, (_, i) => computeNetRevenue({ wonMinor: BigInt(900_000_000 + i * 13_579_000), refundsMinor: BigInt(i * 1_000_000) }));
  const revenue: TRevenueReport = {
    kind: 'revenue',
    ...base(WEEK, trailing11),
    current: computeNetRevenue({ wonMinor: 1_234_567_800n, refundsMinor: 4_500_000n }),
    previous: nets[10] ?? null,
    changeVsPrevious: 0.2,
    trailing: nets,
    trailingAverageNetMinor: 1_000_000_000n,
    changeVsTrailing: 0.1,
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
  const dealsize: TDealSizeReport = {
    kind: 'dealsize',
    ...base(WEEK, trailing4),
    current: computeAverageDealSize({ wonMinor: 1_234_567_800n, wonCount: 22 }),
    previous: computeAverageDealSize({ wonMinor: 900_000_000n, wonCount: 30 }),
    changeVsPrevious: 0.5,
    trailing: trailing4.map((_, i) => computeAverageDealSize({ wonMinor: BigInt(800_000_000 + i), wonCount: 30 })),
    trend: readTrend([1, 2]),
    discount: computeAverageDiscount({ discountMinor: 0n, discountedDeals: 0, discountedWonMinor: 0n }),
    groupScope: { kind: 'workspace' },
    groupAverageMinor: 2_000_000n,
    byRep,
    repsBelowAverage: byRep.slice(0, Math.floor(reps / 2)),
    lookback: WEEK,
    oversizedDeals: [],
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
    leak: { step: leakStep, comparison: compareLeakToTrailing(leakStep, trailingFunnels.map((t) => t.steps[leakStep.index]?.rate ?? null)) },
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
  const mrr: TMrrReport = {
    kind: 'mrr',
    ...base(WEEK, trailing4),
    current: { asOf: WEEK.end, mrrMinor: 3_000_000_000n, arrMinor: 36_000_000_000n, subscriptions: 300 },
    previous: { asOf: PREV.end, mrrMinor: 2_900_000_000n, arrMinor: 34_800_000_000n, subscriptions: 290 },
    changeVsPreviousMinor: 100_000_000n,
    trailing: trailing4.map((r) => ({ asOf: r.end, mrrMinor: 2_800_000_000n, arrMinor: 33_600_000_000n, subscriptions: 280 })),
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
    scopeLabel: 'all reps',
    currency: 'USD',
    preview: opts.preview ?? false,
    late: opts.late ? { scheduledFor: d('2026-11-30T08:00:00Z') } : null,
    generatedAt: opts.late ? d('2026-11-30T11:30:00Z') : NOW,
    kpis: opts.kpis ?? ['winrate', 'revenue', 'dealsize', 'funnel', 'quota', 'conversion', 'mrr'],
    revenue,
    winrate,
    dealsize,
    funnel,
    conversion,
    mrr,
    revenueTrailingAverageMinor: 1_050_000_000n,
    quotaWeeks: { current: weekQuota, previous: weekQuota, trailingAverage: 0.8 },
    pacing: [
      { label: 'November 2026', report: mtd },
      { label: 'Q4 2026 (Oct 1 – Dec 31)', report: qtd },
    ],
    movers: computeTopMovers({ current: board, previous: prevBoard, limit: 3 }),
    charts: {
      revenueWeeks: [...nets, revenue.current].map((n, i) => ({ label: `Nov ${i + 1}`, netMinor: n.netMinor })),
      funnelStages: f.stages.map((s, i) => ({ label: s, count: f.reachedCounts[i] ?? 0 })),
      funnelLeakIndex: leakStep.index,
      attainment: mtd.reps.map((r) => ({ name: r.rep.name, attainment: r.attainment.attainment ?? Number.NaN })),
      attainmentLabel: 'November 2026 to date',
    },
    quickchartUrl: opts.quickchartUrl === undefined ? 'https://quickchart.io' : opts.quickchartUrl,
    alerts: { items: alertItems, snoozed: 2, failed: false },
  };
}

type TBlock = { type: string; text?: { text: string }; elements?: Array<{ text?: string }>; image_url?: string; alt_text?: string };
const blocksOf = (data: TWeeklyDigestData) => buildWeeklyDigestMessage(data).blocks as unknown as TBlock[];
const allText = (blocks: TBlock[]) => blocks.map((b) => [b.text?.text ?? '', ...(b.elements ?? []).map((e) => e.text ?? '')].join('\n')).join('\n');

describe('weekly digest blocks', () => {
  test.each([
    ['200 reps, every KPI, 200 alerts', 200, {}],
    ['200 reps, late, preview', 200, { late: true, preview: true }],
    ['200 reps, 1,000 alerts', 200, { alerts: 1000 }],
    ['1 rep', 1, {}],
    ['no reps, no alerts', 0, { alerts: 0 }],
    ['200 reps, no charts', 200, { quickchartUrl: null }],
    ['200 reps, only win rate', 200, { kpis: ['winrate'] as TDigestKpi[] }],
  ])('%s: within Block Kit limits and the message budget', (_name, reps, opts) => {
    const { text, blocks } = buildWeeklyDigestMessage(fixture(reps, opts));
    expect(findLimitViolations(blocks!)).toEqual([]);
    expect(blocks!.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
    expect(JSON.stringify(blocks).length).toBeLessThanOrEqual(DIGEST_MESSAGE_BUDGET);
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text).toContain('week of Nov 23, 2026');
    expect(text).toContain('Europe/Berlin');
  });

  test('header names the week and the zone; the context names scope and zone', () => {
    const blocks = blocksOf(fixture(200));
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: 'Weekly sales digest — week of Nov 23, 2026 (Europe/Berlin)' } });
    expect(allText([blocks[1]!])).toContain('all reps · weeks run Monday–Sunday in Europe/Berlin');
  });

  test('each subscribed KPI compares last week with the week before and the 4-week average', () => {
    const t = allText(blocksOf(fixture(200)));
    expect(t).toContain('*Net revenue* $12,300,678 ($12,345,678 won − $45,000 refunds)\n↑ 19.9% vs the week before ($10,257,900) · ↑ 17.1% vs the 4-week average ($10,500,000)');
    expect(t).toMatch(/\*Win rate\* 22\.0% \(22 won \/ 100 closed\)\n↓ 8\.0 pts vs the week before \(30\.0%\) · ↓ 13\.5 pts vs the 4-week average \(35\.5%\)/);
    expect(t).toMatch(/\*Lead conversion rate\* 10\.0% \(50 of 500 leads won\)/);
    expect(t).toMatch(/\*Average deal size\* \$561,167\.18 \(22 won\)\n↑ 87\.1% vs the week before \(\$300,000\) · ↑ 110\.4% vs the 4-week average \(\$266,666\.67\)/);
    expect(t).toMatch(/100 of 200 reps below the group average/);
    expect(t).toMatch(/\*Sales funnel\* 1,200 entered → 12 won \(1\.0%\)/);
    expect(t).toMatch(/Biggest leak: Proposal → Won 10\.0% \(↓ 23\.3 pts vs its 4-week average 33\.3%\)/);
    expect(t).toMatch(/\*MRR\* \$30,000,000 \(ARR \$360,000,000, 300 subscriptions\)\n↑ \$1,000,000 vs the week before/);
    expect(t).toMatch(/\*Quota attainment\* [\d.]+% .*pro-rated to the week\)\n→ 0\.0 pts vs the week before/);
  });

  test('month- and quarter-to-date pacing with the attainment ratio band', () => {
    const t = allText(blocksOf(fixture(200)));
    expect(t).toMatch(/\*Pacing against quota\*\n• \*November 2026\* to date \(97% elapsed\): \$[\d,]+ of \$10,000,000,000/);
    expect(t).toMatch(/• \*Q4 2026 \(Oct 1 – Dec 31\)\* to date \(66% elapsed\)/);
    expect(t).toMatch(/Attainment ratio [\d.]+% \(\d+ of 200 reps at 100%\+\), (below|inside|above) the 60%–90% band/);
  });

  test('top movers: three up and three down', () => {
    const t = allText(blocksOf(fixture(200)));
    const m = /\*Top movers\* \(net won vs the week before\)\n↑ (.*)\n↓ (.*)/.exec(t);
    expect(m).not.toBeNull();
    expect(m![1]!.split(' · ')).toHaveLength(3);
    expect(m![2]!.split(' · ')).toHaveLength(3);
  });

  test('three charts with alt text and URLs under 3,000 characters; none without a QuickChart URL', () => {
    const images = blocksOf(fixture(200)).filter((b) => b.type === 'image');
    expect(images).toHaveLength(3);
    for (const img of images) {
      expect(img.image_url!.length).toBeLessThan(3000);
      expect(img.image_url!.startsWith('https://quickchart.io/chart?')).toBe(true);
      expect(img.alt_text!.length).toBeGreaterThan(20);
    }
    expect(images[0]!.alt_text).toMatch(/^Net revenue per week, last 12 weeks/);
    expect(images[1]!.alt_text).toMatch(/^Funnel: /);
    expect(images[2]!.alt_text).toMatch(/^Attainment: \d+ of 200 reps at or above 100%/);
    expect(blocksOf(fixture(200, { quickchartUrl: null })).filter((b) => b.type === 'image')).toEqual([]);
  });

  test('alerts come last, new ones marked, the long list cut with a count', () => {
    const blocks = blocksOf(fixture(200));
    const alerts = blocks[blocks.length - 2]!;
    expect(alerts.text!.text).toMatch(/^\*Alerts\* \(100 new, 100 still active · 2 snoozed\)\n:rotating_light: \*Average deal below the group\*/);
    expect(alerts.text!.text).toMatch(/…and \d+ more$/);
    expect(allText(blocksOf(fixture(3, { alerts: 0 })))).toContain('*Alerts*: none this week · 2 snoozed.');
  });

  test.each([
    [false, false, null, null],
    [true, false, 'Posted late because the app was down; scheduled for Mon, Nov 30, 2026 09:00 (Europe/Berlin).', null],
    [false, true, null, 'Preview'],
  ])('late %s, preview %s: notes in blocks and text', (late, preview, lateNote, previewNote) => {
    const data = fixture(5, { late, preview });
    const { text } = buildWeeklyDigestMessage(data);
    const t = allText(blocksOf(data));
    if (lateNote) {
      expect(t).toContain(lateNote);
      expect(text).toContain(lateNote);
    } else expect(t).not.toContain('Posted late');
    if (previewNote) {
      expect(t).toContain('*Preview* — only you can see this');
      expect(text.startsWith('[Preview] ')).toBe(true);
    } else expect(text.startsWith('[Preview]')).toBe(false);
  });

  test('the fallback text states the headline figures, the period and the zone', () => {
    const { text } = buildWeeklyDigestMessage(fixture(200));
    expect(text).toMatch(/^Weekly sales digest — week of Nov 23, 2026 \(Europe\/Berlin\), all reps: /);
    for (const part of ['net revenue $12,300,678 (↑', 'win rate 22.0%', 'lead conversion 10.0%', 'average deal $561,167.18', 'funnel 1.0% won', 'MRR $30,000,000', 'November 2026 to date', '200 alerts']) {
      expect(text).toContain(part);
    }
  });

  test('only the subscribed KPIs are shown', () => {
    const t = allText(blocksOf(fixture(20, { kpis: ['winrate', 'funnel'] })));
    expect(t).toContain('*Win rate*');
    expect(t).toContain('*Sales funnel*');
    expect(t).not.toContain('*Net revenue*');
    expect(t).not.toContain('*MRR*');
  });
});

describe('digest wording helpers', () => {
  test.each([
    [0.2, '↑ 20.0%'],
    [-0.05, '↓ 5.0%'],
    [0.0001, '→ 0.0%'],
    [null, null],
  ])('arrowPercent(%s) = %s', (x, want) => expect(arrowPercent(x)).toBe(want));

  test.each([
    [0.025, '↑ 2.5 pts'],
    [-0.01, '↓ 1.0 pt'],
    [0, '→ 0.0 pts'],
    [null, null],
  ])('arrowPoints(%s) = %s', (x, want) => expect(arrowPoints(x)).toBe(want));

  test.each([
    [100_000n, '↑ $1,000'],
    [-25_000n, '↓ $250'],
    [0n, '→ $0'],
  ])('arrowMoney(%s) = %s', (x, want) => expect(arrowMoney(x, 'USD')).toBe(want));

  test.each([
    ['quota,winrate,dealsize,revenue,funnel', ['revenue', 'winrate', 'dealsize', 'quota', 'funnel']],
    ['mrr, Conversion ,bogus', ['conversion', 'mrr']],
    ['', ['revenue', 'winrate', 'conversion', 'dealsize', 'quota', 'funnel', 'mrr']],
  ])('parseDigestKpis(%j)', (input, want) => expect(parseDigestKpis(input)).toEqual(want));

  test.each([
    [{ label: 'week of Nov 23, 2026', key: '2026-W48' }, 'Nov 23'],
    [{ label: 'week of Jan 5, 2026', key: '2026-W02' }, 'Jan 5'],
    [{ label: 'odd', key: '2026-W02' }, '2026-W02'],
  ])('shortWeekLabel(%o) = %s', (p, want) => expect(shortWeekLabel(p)).toBe(want));

  test('top movers: up and down, zero changes left out, reps missing in one week count 0', () => {
    const a = { repId: 1, name: 'Ana', slackUserId: null, teamId: null };
    const b = { repId: 2, name: 'Bob', slackUserId: null, teamId: null };
    const c = { repId: 3, name: 'Cy', slackUserId: null, teamId: null };
    const m = computeTopMovers({ current: [{ rep: a, netWonMinor: 500n }, { rep: b, netWonMinor: 100n }, { rep: c, netWonMinor: 7n }], previous: [{ rep: b, netWonMinor: 400n }, { rep: c, netWonMinor: 7n }] });
    expect(m.up.map((x) => [x.rep.name, x.deltaMinor])).toEqual([['Ana', 500n]]);
    expect(m.down.map((x) => [x.rep.name, x.deltaMinor])).toEqual([['Bob', -300n]]);
  });
});
