import type { Workspace } from '../../storage/models.js';
import type { Db } from '../../storage/db.js';
import { withClosedPeriodCache } from '../../storage/queries/closed-period-cache.js';
import { funnelStages } from '../deals/stages.js';
import {
  closedByOwner,
  closedDealSeries,
  discountByRep,
  funnelSeries,
  customerMrrBetween,
  mrrAtInstants,
  openDeals,
  refundSeries,
  refundsInRange,
  repsByIds,
  wonByRepOverLookback,
  wonByType,
  type TClosedTotals,
  type TOwnerClosed,
} from '../../storage/queries/metrics.js';
import { teamIdOfRep } from '../../storage/queries/lookups.js';
import { quotasInRange, type TQuotasInRange } from './allocated-figures.js';
import { countLeads, type TLeadTotal } from '../leads/count-leads.js';
import { leadTotalSeries } from '../leads/lead-series.js';
import { classifyAttainmentRatio, computeAttainmentRatio, computeRepAttainment, computeTeamAttainment } from './attainment.js';
import { divRoundHalfUp, maxBig } from './bigint-math.js';
import { computeConversionRate } from './conversion-rate.js';
import { readConversionTrend } from './conversion-trend.js';
import { computeAverageDealSize, repsBelowAverage } from './deal-size.js';
import { computeAverageDiscount } from './discount.js';
import { compareLeakToTrailing, computeFunnel } from './funnel.js';
import type {
  TConversionFigures,
  TConversionReport,
  TDealSizeReport,
  TFunnelReport,
  TKpi,
  TKpiReport,
  TKpiReportBase,
  TKpiReportOf,
  TLeaderboardReport,
  TLeaderboardRow,
  TMrrPoint,
  TMrrReport,
  TPlanReport,
  TQuotaReport,
  TRepDealSizeLine,
  TRepQuotaLine,
  TRevenueReport,
  TWinRateReport,
} from './kpi-report.js';
import { computeArr } from './mrr.js';
import { computeMrrMovements, computeRetention } from './mrr-movements.js';
import { detectOversizedDeals, type TOversizedDeal } from './oversized-deals.js';
import { computePacing } from './pacing.js';
import { computeReversePlan } from './reverse-plan.js';
import { computeNetRevenue } from './revenue.js';
import { computeRevenueMix } from './revenue-mix.js';
import { computeElapsedShare, periodPhase, type TDateRange, type TOpenDeal, type TRepRef, type TScope } from './scope.js';
import { readTrend } from './trend.js';
import { averagePerPeriod, pooledAverageDealSize, pooledConversionRate, pooledStepRate, pooledWinRate } from './trailing-averages.js';
import { computeWinRate } from './win-rate.js';

export interface TKpiReportOptions {
  /** plan: plan for this target instead of the scope's quota for the range. */
  readonly targetMinor?: bigint | null;
  /** dealsize: history for the per-rep average won deal (oversized-deal baseline); default the 365 days before `range.end`. */
  readonly lookback?: TDateRange;
  /** dealsize: open deals examined for oversize, biggest first; default 200. */
  readonly openDealsLimit?: number;
  /**
   * dealsize: which open deals are examined: `period-end` (default) those open at the end of an
   * ended range and today's for a running one; `now` today's whatever the range (alerts judge the
   * open pipeline as it is now).
   */
  readonly openDealsAt?: 'period-end' | 'now';
}

export interface TBuildKpiReportInput<K extends TKpi = TKpi> {
  readonly db: Db;
  /** The Prisma Workspace row (currency, thresholds, funnel stages). */
  readonly workspace: Workspace;
  readonly kpi: K;
  readonly range: TDateRange;
  /** The comparison period (e.g. last month for this month); optional. */
  readonly previousRange?: TDateRange | null;
  /** Periods for trailing averages and trends (e.g. the 4 weeks before); any order, should not partly overlap. */
  readonly trailingRanges?: readonly TDateRange[];
  readonly scope: TScope;
  /** Clock: pacing's elapsed share, MRR of a running period. */
  readonly now: Date;
  readonly options?: TKpiReportOptions;
}

const DAY_MS = 24 * 3600 * 1000;


/**
 * Relative change (a − b) / |b|; from b = 0 it is the sign of a (±1 = ±100%); null when either is unknown.
 *
 * @example
 * relativeChange(110, 100); // 0.1
 * relativeChange(5, 0); // 1
 */
export function relativeChange(a: number | bigint | null, b: number | bigint | null): number | null {
  if (a === null || b === null) return null;
  const x = Number(a);
  const y = Number(b);
  if (y === 0) return Math.sign(x);
  return (x - y) / Math.abs(y);
}

function diff(a: number | null, b: number | null | undefined): number | null {
  return a === null || b === null || b === undefined ? null : a - b;
}

interface TContext {
  readonly db: Db;
  readonly workspace: Workspace;
  readonly workspaceId: number;
  readonly range: TDateRange;
  readonly previousRange: TDateRange | null;
  readonly trailing: readonly TDateRange[];
  readonly scope: TScope;
  readonly now: Date;
  readonly options: TKpiReportOptions;
  readonly base: TKpiReportBase;
}

/** [range, previous?, ...trailing] and the indexes of each part in it. */
function allRanges(ctx: TContext): { ranges: TDateRange[]; prevIndex: number | null; trailingFrom: number } {
  const ranges = [ctx.range];
  let prevIndex: number | null = null;
  if (ctx.previousRange) {
    prevIndex = ranges.length;
    ranges.push(ctx.previousRange);
  }
  const trailingFrom = ranges.length;
  ranges.push(...ctx.trailing);
  return { ranges, prevIndex, trailingFrom };
}

/**
 * The one KPI use case every surface calls (slash command, App Home, digest, alerts): SQL
 * aggregation for the range, the previous range and the trailing ranges, then the pure metric
 * functions. Figures only; no formatting.
 *
 * @example
 * const report = await buildKpiReport({ db, workspace, kpi: 'winrate', range: thisMonth,
 *   previousRange: lastMonth, trailingRanges: last3Months, scope: { kind: 'workspace' }, now: new Date() });
 * if (report.kind === 'winrate') console.log(report.current.rate);
 */
export async function buildKpiReport<K extends TKpi>(input: TBuildKpiReportInput<K>): Promise<TKpiReportOf<K>> {
  const trailing = [...(input.trailingRanges ?? [])].sort((a, b) => a.start.getTime() - b.start.getTime());
  const previousRange = input.previousRange ?? null;
  const ctx: TContext = {
    // Closed periods' aggregates come from the cache while the workspace's past is unchanged.
    db: await withClosedPeriodCache(input.db, { workspaceId: input.workspace.id, now: input.now }),
    workspace: input.workspace,
    workspaceId: input.workspace.id,
    range: input.range,
    previousRange,
    trailing,
    scope: input.scope,
    now: input.now,
    options: input.options ?? {},
    base: {
      scope: input.scope,
      range: input.range,
      previousRange,
      trailingRanges: trailing,
      currency: input.workspace.currency,
      generatedAt: input.now,
    },
  };
  const report = await dispatch(input.kpi, ctx);
  return report as TKpiReportOf<K>;
}

function dispatch(kpi: TKpi, ctx: TContext): Promise<TKpiReport> {
  switch (kpi) {
    case 'winrate':
      return winRateReport(ctx);
    case 'conversion':
      return conversionReport(ctx);
    case 'quota':
      return quotaReport(ctx);
    case 'dealsize':
      return dealSizeReport(ctx);
    case 'revenue':
      return revenueReport(ctx);
    case 'mrr':
      return mrrReport(ctx);
    case 'funnel':
      return funnelReport(ctx);
    case 'plan':
      return planReport(ctx);
    case 'leaderboard':
      return leaderboardReport(ctx);
  }
}

const winRateOf = (t: TClosedTotals) => computeWinRate({ won: t.wonCount, lost: t.lostCount });
const avgOf = (t: TClosedTotals) => computeAverageDealSize({ wonMinor: t.wonMinor, wonCount: t.wonCount });
const repRef = (o: TRepRef): TRepRef => ({ repId: o.repId, name: o.name, slackUserId: o.slackUserId, teamId: o.teamId });

function sumTotals(list: readonly TClosedTotals[]): TClosedTotals {
  return {
    wonCount: list.reduce((s, t) => s + t.wonCount, 0),
    wonMinor: list.reduce((s, t) => s + t.wonMinor, 0n),
    lostCount: list.reduce((s, t) => s + t.lostCount, 0),
  };
}

// ---------------------------------------------------------------------------------------------

async function winRateReport(ctx: TContext): Promise<TWinRateReport> {
  const { ranges, prevIndex, trailingFrom } = allRanges(ctx);
  const args = { workspaceId: ctx.workspaceId, scope: ctx.scope };
  // The current range's totals are the sum of its per-owner totals (every deal has an owner, and
  // both reads take the scope's reps): the series reads only the other ranges.
  const [series, owners] = await Promise.all([
    closedDealSeries(ctx.db, { ...args, ranges: ranges.slice(1) }),
    closedByOwner(ctx.db, { ...args, range: ctx.range }),
  ]);
  const current = winRateOf(sumTotals(owners));
  const prevTotals = prevIndex === null ? undefined : series[prevIndex - 1];
  const previous = prevTotals ? winRateOf(prevTotals) : null;
  const trailingTotals = series.slice(trailingFrom - 1);
  const trailing = trailingTotals.map(winRateOf);
  const trailingAverage = pooledWinRate(trailing);
  const byRep = owners
    .map((o) => ({ rep: repRef(o), winRate: winRateOf(o) }))
    .sort((a, b) => (b.winRate.rate ?? -1) - (a.winRate.rate ?? -1) || b.winRate.closed - a.winRate.closed || a.rep.name.localeCompare(b.rep.name));
  return {
    kind: 'winrate',
    ...ctx.base,
    current,
    previous,
    trailing,
    trailingAverage,
    deltaVsPrevious: diff(current.rate, previous?.rate),
    deltaVsTrailing: trailing.length ? diff(current.rate, trailingAverage.rate) : null,
    trend: readTrend([...trailing.map((t) => t.rate), current.rate], { baseline: trailingAverage.rate }),
    byRep,
  };
}

// ---------------------------------------------------------------------------------------------

function conversionFigures(total: TLeadTotal): TConversionFigures {
  return {
    ...computeConversionRate({ leads: total.leads, converted: total.converted }),
    dealsCreated: total.dealsCreated,
    bulkLeads: total.bulkLeads,
    leadsSource: total.basis === 'bulk' ? 'lead-counts' : total.basis === 'mixed' ? 'mixed' : 'deals',
    loggedLeads: total.loggedLeads,
    coveredLogged: total.coveredLogged,
    raised: total.raised,
  };
}

async function conversionReport(ctx: TContext): Promise<TConversionReport> {
  const { ranges, prevIndex, trailingFrom } = allRanges(ctx);
  const args = { workspaceId: ctx.workspaceId, scope: ctx.scope, ranges };
  const [leads, closed] = await Promise.all([leadTotalSeries(ctx.db, args), closedDealSeries(ctx.db, args)]);
  const figures = leads.map(conversionFigures);
  const current = figures[0] ?? conversionFigures(countLeads({ range: ctx.range, bulk: [], logged: [] }));
  const previous = prevIndex === null ? null : (figures[prevIndex] ?? null);
  const trailing = figures.slice(trailingFrom);
  const trailingAverage = pooledConversionRate(trailing);
  const curClosed = closed[0] ?? sumTotals([]);
  const prevClosed = prevIndex === null ? null : (closed[prevIndex] ?? null);
  const reading = readConversionTrend({
    conversionDelta: previous ? relativeChange(current.rate, previous.rate) : null,
    dealsDelta: prevClosed ? relativeChange(curClosed.wonCount, prevClosed.wonCount) : null,
    avgDealDelta: prevClosed ? relativeChange(avgOf(curClosed).averageMinor, avgOf(prevClosed).averageMinor) : null,
  });
  return {
    kind: 'conversion',
    ...ctx.base,
    current,
    previous,
    trailing,
    trailingAverage,
    deltaVsPrevious: diff(current.rate, previous?.rate),
    deltaVsTrailing: trailing.length ? diff(current.rate, trailingAverage.rate) : null,
    winRate: winRateOf(curClosed),
    reading,
  };
}

// ---------------------------------------------------------------------------------------------

/** The scope's own quota: rep → theirs; team → the team's row, else its reps'; workspace → reps', else teams'. */
function scopeQuota(scope: TScope, quotas: TQuotasInRange): { repsMinor: bigint | null; teamMinor: bigint | null } {
  const repsSum = quotas.reps.reduce((s, q) => s + q.quotaMinor, 0n);
  const repsMinor = quotas.reps.length > 0 && repsSum > 0n ? repsSum : null;
  switch (scope.kind) {
    case 'rep':
      return { repsMinor: quotas.reps.find((q) => q.repId === scope.repId)?.quotaMinor ?? null, teamMinor: null };
    case 'team':
      return { repsMinor, teamMinor: quotas.teams.find((t) => t.teamId === scope.teamId)?.quotaMinor ?? null };
    case 'workspace': {
      const teamsSum = quotas.teams.reduce((s, q) => s + q.quotaMinor, 0n);
      return { repsMinor, teamMinor: repsMinor === null && teamsSum > 0n ? teamsSum : null };
    }
  }
}

interface TRepFigures {
  readonly rep: TRepRef;
  readonly owner: TOwnerClosed | null;
  readonly refundsMinor: bigint;
  readonly netWonMinor: bigint;
  readonly quota: TQuotasInRange['reps'][number] | null;
}

/** Per rep: closed deals, refunds and quota of the range, for reps with any of them. */
async function repFigures(ctx: TContext): Promise<{ reps: TRepFigures[]; quotas: TQuotasInRange; owners: TOwnerClosed[]; refundsTotal: bigint }> {
  const args = { workspaceId: ctx.workspaceId, scope: ctx.scope, range: ctx.range };
  const [owners, refunds, quotas] = await Promise.all([
    closedByOwner(ctx.db, args),
    refundsInRange(ctx.db, args),
    quotasInRange(ctx.db, args),
  ]);
  const ownerById = new Map(owners.map((o) => [o.repId, o]));
  const refundById = new Map(refunds.byOwner.map((r) => [r.repId, r.refundsMinor]));
  const quotaById = new Map(quotas.reps.map((q) => [q.repId, q]));
  const ids = [...new Set([...ownerById.keys(), ...refundById.keys(), ...quotaById.keys()])];
  const missing = ids.filter((id) => !ownerById.has(id));
  const named = new Map((await repsByIds(ctx.db, ctx.workspaceId, missing)).map((r) => [r.repId, r]));
  const reps: TRepFigures[] = [];
  for (const id of ids) {
    const owner = ownerById.get(id) ?? null;
    const ref = owner ? repRef(owner) : named.get(id);
    if (!ref) continue;
    const refundsMinor = refundById.get(id) ?? 0n;
    reps.push({ rep: ref, owner, refundsMinor, netWonMinor: (owner?.wonMinor ?? 0n) - refundsMinor, quota: quotaById.get(id) ?? null });
  }
  return { reps, quotas, owners, refundsTotal: refunds.totalMinor };
}

async function quotaReport(ctx: TContext): Promise<TQuotaReport> {
  const { reps, quotas, owners, refundsTotal } = await repFigures(ctx);
  const w = ctx.workspace;
  const elapsedShare = computeElapsedShare(ctx.range, ctx.now);
  const pace = (netWonMinor: bigint, quotaMinor: bigint | null) =>
    computePacing({ netWonMinor, quotaMinor, elapsedShare, onTrackBp: w.paceOnTrackBp, atRiskBp: w.paceAtRiskBp });
  const lines: TRepQuotaLine[] = reps.map((r) => {
    const quotaMinor = r.quota?.quotaMinor ?? null;
    return {
      rep: r.rep,
      wonMinor: r.owner?.wonMinor ?? 0n,
      refundsMinor: r.refundsMinor,
      netWonMinor: r.netWonMinor,
      quota: r.quota ? { quotaMinor: r.quota.quotaMinor, method: r.quota.method, periodKind: r.quota.periodKind, rows: r.quota.rows } : null,
      attainment: computeRepAttainment({ netWonMinor: r.netWonMinor, quotaMinor }),
      pacing: pace(r.netWonMinor, quotaMinor),
    };
  });
  lines.sort((a, b) => {
    const x = a.attainment.attainment;
    const y = b.attainment.attainment;
    if (x === null && y !== null) return 1;
    if (y === null && x !== null) return -1;
    if (x !== null && y !== null && x !== y) return y - x;
    return a.netWonMinor === b.netWonMinor ? a.rep.name.localeCompare(b.rep.name) : a.netWonMinor > b.netWonMinor ? -1 : 1;
  });
  const ratio = computeAttainmentRatio(lines.map((l) => ({ netWonMinor: l.netWonMinor, quotaMinor: l.quota?.quotaMinor ?? null })));
  const scopeNet = owners.reduce((s, o) => s + o.wonMinor, 0n) - refundsTotal;
  const sq = scopeQuota(ctx.scope, quotas);
  const total = computeTeamAttainment({ members: [{ netWonMinor: scopeNet, quotaMinor: sq.repsMinor }], teamQuotaMinor: sq.teamMinor });
  return {
    kind: 'quota',
    ...ctx.base,
    elapsedShare,
    reps: lines,
    ratio,
    band: classifyAttainmentRatio(ratio.ratio, { lowBp: w.attainmentLowBp, highBp: w.attainmentHighBp }),
    total,
    totalPacing: pace(scopeNet, total.quotaMinor),
  };
}

// ---------------------------------------------------------------------------------------------

async function groupScopeOf(ctx: TContext): Promise<TScope> {
  if (ctx.scope.kind !== 'rep') return ctx.scope;
  const teamId = await teamIdOfRep(ctx.db, ctx.workspaceId, ctx.scope.repId);
  return teamId ? { kind: 'team', teamId } : { kind: 'workspace' };
}

async function dealSizeReport(ctx: TContext): Promise<TDealSizeReport> {
  const { ranges, prevIndex, trailingFrom } = allRanges(ctx);
  const groupScope = await groupScopeOf(ctx);
  const lookback = ctx.options.lookback ?? { start: new Date(ctx.range.end.getTime() - 365 * DAY_MS), end: ctx.range.end };
  const w = ctx.workspace;
  const wid = ctx.workspaceId;
  const [series, groupOwners, discounts, history, refunds, quotas] = await Promise.all([
    closedDealSeries(ctx.db, { workspaceId: wid, scope: ctx.scope, ranges }),
    closedByOwner(ctx.db, { workspaceId: wid, scope: groupScope, range: ctx.range }),
    discountByRep(ctx.db, { workspaceId: wid, scope: groupScope, range: ctx.range }),
    wonByRepOverLookback(ctx.db, { workspaceId: wid, scope: groupScope, range: lookback }),
    refundsInRange(ctx.db, { workspaceId: wid, scope: ctx.scope, range: ctx.range }),
    quotasInRange(ctx.db, { workspaceId: wid, scope: ctx.scope, range: ctx.range }),
  ]);
  const current = avgOf(series[0] ?? sumTotals([]));
  const prevTotals = prevIndex === null ? undefined : series[prevIndex];
  const previous = prevTotals ? avgOf(prevTotals) : null;
  const trailing = series.slice(trailingFrom).map(avgOf);
  const trailingAverage = pooledAverageDealSize(trailing);

  // Reps vs the group average, and discounts.
  const discountById = new Map(discounts.map((d) => [d.repId, d]));
  const discountOf = (repId: number) => {
    const d = discountById.get(repId);
    return computeAverageDiscount({ discountMinor: d?.discountMinor ?? 0n, discountedDeals: d?.discountedDeals ?? 0, discountedWonMinor: d?.discountedWonMinor ?? 0n });
  };
  const groupAverageMinor = avgOf(sumTotals(groupOwners)).averageMinor;
  const byRep: TRepDealSizeLine[] = groupOwners
    .filter((o) => o.wonCount > 0)
    .map((o) => ({ rep: repRef(o), average: avgOf(o), discount: discountOf(o.repId) }));
  const below = repsBelowAverage(
    byRep.map((line) => ({ line, averageMinor: line.average.averageMinor })),
    groupAverageMinor,
  ).map((x) => x.line);
  const inScope = (repId: number, teamId: number | null) =>
    ctx.scope.kind === 'workspace' || (ctx.scope.kind === 'rep' ? repId === ctx.scope.repId : teamId === ctx.scope.teamId);
  const scopeDiscounts = discounts.filter((d) => groupOwners.some((o) => o.repId === d.repId && inScope(o.repId, o.teamId)));
  const discount = computeAverageDiscount({
    discountMinor: scopeDiscounts.reduce((s, d) => s + d.discountMinor, 0n),
    discountedDeals: scopeDiscounts.reduce((s, d) => s + d.discountedDeals, 0),
    discountedWonMinor: scopeDiscounts.reduce((s, d) => s + d.discountedWonMinor, 0n),
  });

  // Oversized open deals: baselines from the lookback.
  const repAverages = new Map<number, bigint | null>(history.reps.map((r) => [r.repId, divRoundHalfUp(r.wonMinor, BigInt(r.wonCount))]));
  const overall = history.total.wonCount > 0 ? divRoundHalfUp(history.total.wonMinor, BigInt(history.total.wonCount)) : null;
  const teamTotals = new Map<number, { n: number; sum: bigint }>();
  for (const r of history.reps) {
    if (r.teamId === null) continue;
    const t = teamTotals.get(r.teamId) ?? { n: 0, sum: 0n };
    teamTotals.set(r.teamId, { n: t.n + r.wonCount, sum: t.sum + r.wonMinor });
  }
  const teamAverage = (teamId: number | null): bigint | null => {
    const t = teamId === null ? undefined : teamTotals.get(teamId);
    return t && t.n > 0 ? divRoundHalfUp(t.sum, BigInt(t.n)) : overall;
  };
  const multiplePct = w.oversizeMultiplePct;
  // A past period looks at the deals open at its end; a running one at today's pipeline.
  const openAtPast = ctx.options.openDealsAt !== 'now' && periodPhase(ctx.range, ctx.now) === 'ended' ? ctx.range.end : null;
  const baselines = [...repAverages.values(), ...[...teamTotals.keys()].map(teamAverage), overall].filter(
    (b): b is bigint => b !== null && b > 0n,
  );
  let oversizedDeals: Array<TOversizedDeal<TOpenDeal>> = [];
  if (baselines.length > 0) {
    const minBaseline = baselines.reduce((m, b) => (b < m ? b : m));
    const minAmountMinor = (minBaseline * BigInt(multiplePct) + 99n) / 100n;
    const open = await openDeals(ctx.db, { workspaceId: wid, scope: ctx.scope, limit: ctx.options.openDealsLimit ?? 200, minAmountMinor, openAt: openAtPast });
    const refundById = new Map(refunds.byOwner.map((r) => [r.repId, r.refundsMinor]));
    const wonById = new Map(groupOwners.map((o) => [o.repId, o.wonMinor]));
    const remainingGapByRep = new Map<number, bigint | null>(
      quotas.reps.map((q) => [q.repId, maxBig(0n, q.quotaMinor - ((wonById.get(q.repId) ?? 0n) - (refundById.get(q.repId) ?? 0n)))]),
    );
    const byTeam = new Map<number | null, TOpenDeal[]>();
    for (const d of open) byTeam.set(d.ownerTeamId, [...(byTeam.get(d.ownerTeamId) ?? []), d]);
    for (const [teamId, deals] of byTeam) {
      oversizedDeals.push(
        ...detectOversizedDeals({ openDeals: deals, repAverages, teamAverage: teamAverage(teamId), multiplePct, remainingGapByRep }),
      );
    }
    oversizedDeals = oversizedDeals.sort((a, b) => b.multiple - a.multiple);
  }

  return {
    kind: 'dealsize',
    ...ctx.base,
    current,
    previous,
    changeVsPrevious: previous ? relativeChange(current.averageMinor, previous.averageMinor) : null,
    trailing,
    trailingAverage,
    changeVsTrailing: trailingAverage.averageMinor !== null && trailingAverage.averageMinor > 0n ? relativeChange(current.averageMinor, trailingAverage.averageMinor) : null,
    trend: readTrend([...trailing.map((t) => t.averageMinor), current.averageMinor], { baseline: trailingAverage.averageMinor }),
    discount,
    groupScope,
    groupAverageMinor,
    byRep,
    repsBelowAverage: below,
    lookback,
    oversizedDeals,
    openDealsAsOf: openAtPast ?? ctx.now,
    oversizeMultiplePct: multiplePct,
  };
}

// ---------------------------------------------------------------------------------------------

async function revenueReport(ctx: TContext): Promise<TRevenueReport> {
  const { ranges, prevIndex, trailingFrom } = allRanges(ctx);
  const args = { workspaceId: ctx.workspaceId, scope: ctx.scope };
  const prev = ctx.previousRange;
  const [closed, refundTotals, types, refunds, prevTypes, prevRefunds] = await Promise.all([
    closedDealSeries(ctx.db, { ...args, ranges }),
    refundSeries(ctx.db, { ...args, ranges }),
    wonByType(ctx.db, { ...args, range: ctx.range }),
    refundsInRange(ctx.db, { ...args, range: ctx.range }),
    prev ? wonByType(ctx.db, { ...args, range: prev }) : Promise.resolve(null),
    prev ? refundsInRange(ctx.db, { ...args, range: prev }) : Promise.resolve(null),
  ]);
  const nets = closed.map((c, i) => computeNetRevenue({ wonMinor: c.wonMinor, refundsMinor: refundTotals[i] ?? 0n }));
  const current = nets[0] ?? computeNetRevenue({ wonMinor: 0n, refundsMinor: 0n });
  const previous = prevIndex === null ? null : (nets[prevIndex] ?? null);
  const trailing = nets.slice(trailingFrom);
  const trailingAverageNetMinor = averagePerPeriod(trailing.map((n) => n.netMinor));
  const byType = {
    new: { count: types.new.count, wonMinor: types.new.wonMinor, refundsMinor: refunds.byType.new, netMinor: types.new.wonMinor - refunds.byType.new },
    upsell: { count: types.upsell.count, wonMinor: types.upsell.wonMinor, refundsMinor: refunds.byType.upsell, netMinor: types.upsell.wonMinor - refunds.byType.upsell },
    renewal: { count: types.renewal.count, wonMinor: types.renewal.wonMinor, refundsMinor: refunds.byType.renewal, netMinor: types.renewal.wonMinor - refunds.byType.renewal },
  };
  const mixOf = (t: typeof types, r: typeof refunds) =>
    computeRevenueMix({
      newMinor: t.new.wonMinor - r.byType.new,
      upsellMinor: t.upsell.wonMinor - r.byType.upsell,
      renewalMinor: t.renewal.wonMinor - r.byType.renewal,
    });
  return {
    kind: 'revenue',
    ...ctx.base,
    current,
    previous,
    changeVsPrevious: previous && previous.netMinor > 0n ? relativeChange(current.netMinor, previous.netMinor) : null,
    trailing,
    trailingAverageNetMinor,
    changeVsTrailing: trailingAverageNetMinor !== null && trailingAverageNetMinor > 0n ? relativeChange(current.netMinor, trailingAverageNetMinor) : null,
    byType,
    unassignedRefundsMinor: refunds.unassignedMinor,
    mix: mixOf(types, refunds),
    previousMix: prevTypes && prevRefunds ? mixOf(prevTypes, prevRefunds) : null,
  };
}

// ---------------------------------------------------------------------------------------------

/**
 * The instant a period's MRR is read at: its end, or `now` while it is still running (its start
 * when it has not begun).
 *
 * @example
 * mrrInstant(october, new Date('2025-10-16T12:00:00Z')); // 2025-10-16T12:00:00Z
 * mrrInstant(october, new Date('2025-12-01T00:00:00Z')); // 2025-11-01T00:00:00Z
 */
export function mrrInstant(range: TDateRange, now: Date): Date {
  if (now >= range.end) return range.end;
  if (now <= range.start) return range.start;
  return now;
}

async function mrrReport(ctx: TContext): Promise<TMrrReport> {
  const { ranges, prevIndex, trailingFrom } = allRanges(ctx);
  const instants = ranges.map((r) => mrrInstant(r, ctx.now));
  const at = instants[0] ?? ctx.range.end;
  const [atInstants, customers] = await Promise.all([
    mrrAtInstants(ctx.db, { workspaceId: ctx.workspaceId, scope: ctx.scope, instants }),
    customerMrrBetween(ctx.db, { workspaceId: ctx.workspaceId, scope: ctx.scope, from: ctx.range.start, to: at }),
  ]);
  const movements = computeMrrMovements(customers);
  const points: TMrrPoint[] = atInstants.map((m) => ({
    asOf: m.instant,
    mrrMinor: m.mrrMinor,
    arrMinor: computeArr(m.mrrMinor),
    subscriptions: m.subscriptions,
  }));
  const current = points[0] ?? { asOf: instants[0] ?? ctx.range.end, mrrMinor: 0n, arrMinor: 0n, subscriptions: 0 };
  const previous = prevIndex === null ? null : (points[prevIndex] ?? null);
  const trailing = points.slice(trailingFrom);
  const trailingAverageMrrMinor = averagePerPeriod(trailing.map((p) => p.mrrMinor));
  return {
    kind: 'mrr',
    ...ctx.base,
    current,
    previous,
    changeVsPreviousMinor: previous ? current.mrrMinor - previous.mrrMinor : null,
    trailing,
    trailingAverageMrrMinor,
    changeVsTrailingMinor: trailingAverageMrrMinor === null ? null : current.mrrMinor - trailingAverageMrrMinor,
    movements,
    retention: computeRetention(movements),
  };
}

// ---------------------------------------------------------------------------------------------

async function funnelReport(ctx: TContext): Promise<TFunnelReport> {
  const { ranges, prevIndex, trailingFrom } = allRanges(ctx);
  const stages = funnelStages(ctx.workspace.funnelStages);
  const counts = await funnelSeries(ctx.db, { workspaceId: ctx.workspaceId, scope: ctx.scope, ranges, stageCount: stages.length });
  const funnels = counts.map((reachedCounts) => computeFunnel({ stages, reachedCounts }));
  const funnel = funnels[0] ?? computeFunnel({ stages, reachedCounts: new Array<number>(stages.length + 1).fill(0) });
  const trailing = funnels.slice(trailingFrom);
  const step = funnel.biggestLeak;
  return {
    kind: 'funnel',
    ...ctx.base,
    funnel,
    previous: prevIndex === null ? null : (funnels[prevIndex] ?? null),
    trailing,
    trailingOverallRate: pooledStepRate(trailing.map((f) => ({ reached: f.reachedCounts[0] ?? 0, advanced: f.reachedCounts[f.reachedCounts.length - 1] ?? 0 }))),
    leak: step ? { step, comparison: compareLeakToTrailing(step, trailing.map((f) => f.steps[step.index])) } : null,
  };
}

// ---------------------------------------------------------------------------------------------

async function planReport(ctx: TContext): Promise<TPlanReport> {
  const source: TPlanReport['basis']['source'] = ctx.trailing.length > 0 ? 'trailing' : ctx.previousRange ? 'previous' : 'current';
  const basisRanges = source === 'trailing' ? [...ctx.trailing] : source === 'previous' && ctx.previousRange ? [ctx.previousRange] : [ctx.range];
  const wid = ctx.workspaceId;
  const args = { workspaceId: wid, scope: ctx.scope };
  const [closed, leads, quotas, current, refunds] = await Promise.all([
    closedDealSeries(ctx.db, { ...args, ranges: basisRanges }),
    leadTotalSeries(ctx.db, { ...args, ranges: basisRanges }),
    quotasInRange(ctx.db, { ...args, range: ctx.range }),
    closedDealSeries(ctx.db, { ...args, ranges: [ctx.range] }),
    refundsInRange(ctx.db, { ...args, range: ctx.range }),
  ]);
  const averageDeal = pooledAverageDealSize(closed);
  const conversion = pooledConversionRate(leads.map(conversionFigures));
  const sq = scopeQuota(ctx.scope, quotas);
  const quotaMinor = sq.teamMinor ?? sq.repsMinor;
  const option = ctx.options.targetMinor ?? null;
  const targetMinor = option ?? quotaMinor;
  const targetSource: TPlanReport['targetSource'] = option !== null ? 'option' : quotaMinor !== null ? 'quota' : 'none';
  const netWonToDateMinor = (current[0]?.wonMinor ?? 0n) - refunds.totalMinor;
  const planFor = (t: bigint) => computeReversePlan({ quotaMinor: t, averageDealMinor: averageDeal.averageMinor, conversionRate: conversion.rate });
  const remainingMinor = targetMinor === null ? null : maxBig(0n, targetMinor - netWonToDateMinor);
  return {
    kind: 'plan',
    ...ctx.base,
    targetMinor,
    targetSource,
    basis: { source, ranges: basisRanges, averageDeal, conversion },
    plan: targetMinor === null ? null : planFor(targetMinor),
    netWonToDateMinor,
    remainingMinor,
    remainingPlan: remainingMinor === null ? null : planFor(remainingMinor),
    reason: targetMinor === null ? 'no quota set for this period: give a target amount' : null,
  };
}

// ---------------------------------------------------------------------------------------------

async function leaderboardReport(ctx: TContext): Promise<TLeaderboardReport> {
  const { reps } = await repFigures(ctx);
  const sorted = [...reps].sort((a, b) => {
    if (a.netWonMinor !== b.netWonMinor) return a.netWonMinor > b.netWonMinor ? -1 : 1;
    const wa = a.owner?.wonCount ?? 0;
    const wb = b.owner?.wonCount ?? 0;
    return wb - wa || a.rep.name.localeCompare(b.rep.name) || a.rep.repId - b.rep.repId;
  });
  const rows: TLeaderboardRow[] = [];
  sorted.forEach((r, i) => {
    const prev = rows[i - 1];
    const wonCount = r.owner?.wonCount ?? 0;
    const rank = prev && prev.netWonMinor === r.netWonMinor && prev.wonCount === wonCount ? prev.rank : i + 1;
    const quotaMinor = r.quota?.quotaMinor ?? null;
    rows.push({
      rank,
      rep: r.rep,
      wonCount,
      lostCount: r.owner?.lostCount ?? 0,
      wonMinor: r.owner?.wonMinor ?? 0n,
      refundsMinor: r.refundsMinor,
      netWonMinor: r.netWonMinor,
      winRate: computeWinRate({ won: wonCount, lost: r.owner?.lostCount ?? 0 }),
      averageDealMinor: computeAverageDealSize({ wonMinor: r.owner?.wonMinor ?? 0n, wonCount }).averageMinor,
      quotaMinor,
      attainment: computeRepAttainment({ netWonMinor: r.netWonMinor, quotaMinor }).attainment,
    });
  });
  return { kind: 'leaderboard', ...ctx.base, rows };
}
