import { withClosedPeriodCache } from '../../storage/queries/closed-period-cache.js';
import type { Rep, Workspace } from '../../storage/models.js';
import type { Db } from '../../storage/db.js';
import { openDeals } from '../../storage/queries/metrics.js';
import { openDealTotalsOfRep, teamById } from '../../storage/queries/lookups.js';
import {
  buildKpiReport,
  computePacing,
  computeRepAttainment,
  computeReversePlan,
  type TAttainmentBandReading,
  type TAttainmentRatio,
  type TDateRange,
  type TNetRevenue,
  type TPacing,
  type TQuotaReport,
  type TRepAttainment,
  type TScope,
  type TTeamAttainment,
  type TWinRate,
} from '../metrics/index.js';
import { comparisonPeriods } from '../metrics/kpi-periods.js';
import { periodOf, type TPeriod, type TPeriodContext, type TPeriodKind } from '../periods.js';
import { canSetQuotas } from '../quotas/set-quota.js';
import { roleOf, type TRole } from '../workspaces/ensure-member.js';

/** My quota progress over one period. */
export interface THomeQuotaProgress {
  readonly period: TPeriod;
  /** The quota for the period; a quarterly or yearly quota is pro-rated into a month (`quotaMethod`). */
  readonly quotaMinor: bigint | null;
  readonly quotaMethod: 'inside' | 'prorated' | null;
  /** Kind of the quota rows used (month | quarter | year), null without a quota. */
  readonly quotaKind: string | null;
  readonly netWonMinor: bigint;
  readonly attainment: TRepAttainment;
  /** On track / behind / at risk, with the expected-to-date figure. */
  readonly pacing: TPacing;
}

/** Deals needed to close my remaining gap this month (reverse plan). */
export interface THomeGapPlan {
  readonly remainingMinor: bigint;
  readonly dealsNeeded: number | null;
  readonly leadsNeeded: number | null;
  readonly averageDealMinor: bigint | null;
  readonly conversionRate: number | null;
  /** Whose averages: mine, or my team's / the workspace's when I have no won deals yet. */
  readonly basis: 'rep' | 'team' | 'workspace';
  /** The history the averages come from: the comparison policy's trailing months (pooled averages). */
  readonly basisRange: TDateRange;
  /** That history as data (`the 3 months before` is the builder's words for 3 × month, in the reader's language). */
  readonly basisPeriods: { readonly count: number; readonly kind: TPeriodKind };
  /** Why the plan is incomplete (for logs and tests; the Home words it from the figures). */
  readonly reason: string | null;
}

export interface THomeOversize {
  /** amount / baseline (4.5 = 4.5×). */
  readonly multiple: number;
  readonly baselineMinor: bigint;
  readonly baselineSource: 'rep' | 'team';
  /** The deal is more than half of my remaining quota gap. */
  readonly carriesMostOfGap: boolean;
  readonly gapMinor: bigint | null;
}

export interface THomeOpenDeal {
  readonly dealId: number;
  readonly customer: string;
  /** In the reporting currency. */
  readonly amountMinor: bigint;
  readonly stage: string;
  readonly createdAt: Date;
  readonly oversize: THomeOversize | null;
}

export interface THomeTeamSummary {
  readonly scope: { readonly kind: 'team'; readonly teamId: number; readonly name: string } | { readonly kind: 'workspace' };
  readonly period: TPeriod;
  readonly winRate: TWinRate;
  readonly netRevenue: TNetRevenue;
  /** Share of reps with a quota at or above 100%, and its band (SPEC §1.1). */
  readonly ratio: TAttainmentRatio;
  readonly band: TAttainmentBandReading;
  readonly total: TTeamAttainment;
}

/** Everything the App Home shows for one viewer: figures only; words and formatting are the builder's, in the reader's language. */
export interface THomeSnapshot {
  readonly viewer: { readonly repId: number; readonly slackUserId: string; readonly name: string; readonly role: TRole; readonly canSetQuotas: boolean };
  readonly timeZone: string;
  readonly currency: string;
  readonly generatedAt: Date;
  readonly oversizeMultiplePct: number;
  /** Pacing cut-offs (basis points of expected-to-date): on track at or above, at risk below. */
  readonly paceCutoffs: { readonly onTrackBp: number; readonly atRiskBp: number };
  readonly month: THomeQuotaProgress;
  /** Shown when a quarterly (or yearly) quota covers the quarter, or all three months have one. */
  readonly quarter: THomeQuotaProgress | null;
  /** Null without a quota this month, or when the quota is already met. */
  readonly gapPlan: THomeGapPlan | null;
  readonly openDeals: { readonly total: number; readonly totalMinor: bigint; readonly shown: readonly THomeOpenDeal[] };
  readonly team: THomeTeamSummary;
}

export interface LoadHomeOptions {
  db: Db;
  workspace: Workspace;
  viewer: Rep;
  now: Date;
  /** Open deals listed, biggest first (default 15). */
  openDealsLimit?: number;
}

function progressOf(report: TQuotaReport, period: TPeriod, repId: number, workspace: Workspace): THomeQuotaProgress {
  const line = report.reps.find((r) => r.rep.repId === repId);
  const netWonMinor = line?.netWonMinor ?? 0n;
  const quotaMinor = line?.quota?.quotaMinor ?? null;
  return {
    period,
    quotaMinor,
    quotaMethod: line?.quota?.method ?? null,
    quotaKind: line?.quota?.periodKind ?? null,
    netWonMinor,
    attainment: line?.attainment ?? computeRepAttainment({ netWonMinor, quotaMinor }),
    pacing:
      line?.pacing ??
      computePacing({ netWonMinor, quotaMinor, elapsedShare: report.elapsedShare, onTrackBp: workspace.paceOnTrackBp, atRiskBp: workspace.paceAtRiskBp }),
  };
}

/**
 * The App Home read model for one viewer, from the shared metrics (`buildKpiReport`): my quota
 * progress and pace this month (and this quarter when a quarterly quota is set), the deals needed
 * to close my gap from my own averages (my team's when I have no won deals yet), my biggest open
 * deals with the oversized-deal warning, and my team's (or the workspace's) headline figures.
 * Periods are the workspace's, in its time zone.
 *
 * @example
 * const home = await loadHome({ db, workspace, viewer: rep, now: new Date() });
 * home.month.pacing.status; // 'behind'
 */
export async function loadHome(opts: LoadHomeOptions): Promise<THomeSnapshot> {
  const { workspace, viewer, now } = opts;
  // One history-version read for the home's many reports (see withClosedPeriodCache).
  const db = await withClosedPeriodCache(opts.db, { workspaceId: workspace.id, now });
  const ctx: TPeriodContext = { now, timeZone: workspace.timeZone, fiscalYearStartMonth: workspace.fiscalYearStartMonth };
  const month = periodOf('month', now, ctx);
  const quarter = periodOf('quarter', now, ctx);
  const mine: TScope = { kind: 'rep', repId: viewer.id };
  const teamScope: TScope = viewer.teamId ? { kind: 'team', teamId: viewer.teamId } : { kind: 'workspace' };
  // The gap plan's averages: this month's comparison policy (the 3 months before), as in `/kpi plan`.
  const policy = comparisonPeriods(month, ctx);
  const history = policy.trailing;
  const basisRange: TDateRange = { start: history[0]?.start ?? month.start, end: history[history.length - 1]?.end ?? month.start };
  const base = { db, workspace, now };
  const limit = Math.max(0, Math.floor(opts.openDealsLimit ?? 15));

  const [monthQuota, quarterQuota, plan, dealSize, shown, openTotals, teamWin, teamRevenue, teamQuota, team] = await Promise.all([
    buildKpiReport({ ...base, kpi: 'quota', range: month, scope: mine }),
    buildKpiReport({ ...base, kpi: 'quota', range: quarter, scope: mine }),
    buildKpiReport({ ...base, kpi: 'plan', range: month, scope: mine, previousRange: policy.previous, trailingRanges: history }),
    buildKpiReport({ ...base, kpi: 'dealsize', range: month, scope: mine, options: { openDealsLimit: 200 } }),
    openDeals(db, { workspaceId: workspace.id, scope: mine, limit }),
    openDealTotalsOfRep(db, workspace.id, viewer.id),
    buildKpiReport({ ...base, kpi: 'winrate', range: month, scope: teamScope }),
    buildKpiReport({ ...base, kpi: 'revenue', range: month, scope: teamScope }),
    buildKpiReport({ ...base, kpi: 'quota', range: month, scope: teamScope }),
    viewer.teamId ? teamById(db, viewer.workspaceId, viewer.teamId) : Promise.resolve(null),
  ]);

  const monthProgress = progressOf(monthQuota, month, viewer.id, workspace);
  const quarterProgress = progressOf(quarterQuota, quarter, viewer.id, workspace);
  const quarterSet = quarterProgress.quotaMinor !== null && (quarterProgress.quotaKind !== 'month' || (quarterQuota.reps.find((r) => r.rep.repId === viewer.id)?.quota?.rows ?? 0) >= 3);

  // Deals needed for the rest of my gap: my averages, else my team's (or the workspace's).
  let gapPlan: THomeGapPlan | null = null;
  const gap = monthProgress.attainment.gapMinor;
  if (gap !== null && gap > 0n) {
    let basis: THomeGapPlan['basis'] = 'rep';
    let averageDealMinor = plan.basis.averageDeal.averageMinor;
    let conversionRate = plan.basis.conversion.rate;
    if (averageDealMinor === null) {
      const group = await buildKpiReport({ ...base, kpi: 'plan', range: month, scope: teamScope, previousRange: policy.previous, trailingRanges: history, options: { targetMinor: gap } });
      basis = teamScope.kind === 'team' ? 'team' : 'workspace';
      averageDealMinor = group.basis.averageDeal.averageMinor;
      conversionRate = group.basis.conversion.rate;
    }
    const p = computeReversePlan({ quotaMinor: gap, averageDealMinor, conversionRate });
    gapPlan = { remainingMinor: gap, dealsNeeded: p.dealsNeeded, leadsNeeded: p.leadsNeeded, averageDealMinor, conversionRate, basis, basisRange, basisPeriods: { count: history.length, kind: history[0]?.kind ?? month.kind }, reason: p.reason };
  }

  const oversizeById = new Map(dealSize.oversizedDeals.map((o) => [o.deal.dealId, o]));
  const deals: THomeOpenDeal[] = shown.map((d) => {
    const o = oversizeById.get(d.dealId);
    return {
      dealId: d.dealId,
      customer: d.customer,
      amountMinor: d.amountMinor,
      stage: d.stage,
      createdAt: d.createdAt,
      oversize: o ? { multiple: o.multiple, baselineMinor: o.baselineMinor, baselineSource: o.baselineSource, carriesMostOfGap: o.carriesMostOfGap, gapMinor: o.gapMinor } : null,
    };
  });

  return {
    viewer: { repId: viewer.id, slackUserId: viewer.slackUserId ?? '', name: viewer.name, role: roleOf(viewer), canSetQuotas: canSetQuotas(viewer) },
    timeZone: workspace.timeZone,
    currency: workspace.currency,
    generatedAt: now,
    oversizeMultiplePct: workspace.oversizeMultiplePct,
    paceCutoffs: { onTrackBp: workspace.paceOnTrackBp, atRiskBp: workspace.paceAtRiskBp },
    month: monthProgress,
    quarter: quarterSet ? quarterProgress : null,
    gapPlan,
    openDeals: { total: openTotals.count, totalMinor: openTotals.sumReportingMinor, shown: deals },
    team: {
      scope: team ? { kind: 'team', teamId: team.id, name: team.name } : { kind: 'workspace' },
      period: month,
      winRate: teamWin.current,
      netRevenue: teamRevenue.current,
      ratio: teamQuota.ratio,
      band: teamQuota.band,
      total: teamQuota.total,
    },
  };
}
