import type { TAttainmentBandReading, TAttainmentRatio, TRepAttainment, TTeamAttainment } from './attainment.js';
import type { TConversionRate } from './conversion-rate.js';
import type { TConversionTrend } from './conversion-trend.js';
import type { TAverageDealSize } from './deal-size.js';
import type { TAverageDiscount } from './discount.js';
import type { TFunnel, TFunnelStep, TLeakComparison } from './funnel.js';
import type { TMrr } from './mrr.js';
import type { TMrrMovements, TRetention } from './mrr-movements.js';
import type { TOversizedDeal } from './oversized-deals.js';
import type { TPacing } from './pacing.js';
import type { TQuotaAllocation } from './period-allocation.js';
import type { TReversePlan } from './reverse-plan.js';
import type { TNetRevenue } from './revenue.js';
import type { TDealType, TRevenueMix } from './revenue-mix.js';
import type { TDateRange, TOpenDeal, TRepRef, TScope } from './scope.js';
import type { TTrendReading } from './trend.js';
import type { TWinRate } from './win-rate.js';

/**
 * Typed KPI report objects returned by `buildKpiReport`. Figures only: money as bigint minor units
 * of `currency` (the workspace's reporting currency), ratios as numbers 0..1 (1 = 100%), counts as
 * numbers. `null` means "cannot be computed"; a sibling `reason` says why. The Slack layer formats.
 */
export type TKpi = 'winrate' | 'conversion' | 'quota' | 'dealsize' | 'revenue' | 'mrr' | 'funnel' | 'plan' | 'leaderboard';

export const KPIS: readonly TKpi[] = ['winrate', 'conversion', 'quota', 'dealsize', 'revenue', 'mrr', 'funnel', 'plan', 'leaderboard'];

/** Fields every report carries. */
export interface TKpiReportBase {
  readonly scope: TScope;
  readonly range: TDateRange;
  readonly previousRange: TDateRange | null;
  /** Trailing ranges, oldest first (as used for averages and trends). */
  readonly trailingRanges: readonly TDateRange[];
  /** ISO 4217 reporting currency of every *Minor figure. */
  readonly currency: string;
  readonly generatedAt: Date;
}

/** A figure compared with the previous range and the trailing average. */
export interface TComparison {
  /** current − previous, in the figure's unit (ratio points for rates); null when unknown. */
  readonly deltaVsPrevious: number | null;
  /** current − trailing average. */
  readonly deltaVsTrailing: number | null;
}

export interface TWinRateReport extends TKpiReportBase, TComparison {
  readonly kind: 'winrate';
  readonly current: TWinRate;
  readonly previous: TWinRate | null;
  /** Per trailing range, oldest first. */
  readonly trailing: ReadonlyArray<TWinRate>;
  /** Pooled over the trailing ranges: Σwon / Σclosed (`pooledWinRate`). */
  readonly trailingAverage: TWinRate;
  /** The current rate against `trailingAverage` (see `readTrend`). */
  readonly trend: TTrendReading;
  /** Per rep of the scope with closed deals, best rate first. */
  readonly byRep: ReadonlyArray<{ readonly rep: TRepRef; readonly winRate: TWinRate }>;
}

export interface TConversionFigures extends TConversionRate {
  /** Deals created in the range (each one a lead), whichever way they were counted. */
  readonly dealsCreated: number;
  /** Leads taken from bulk counts (LeadCount, pro-rated) in the range. */
  readonly bulkLeads: number;
  /**
   * Where `leads` came from (the rule: `countLeads`, domain/leads/count-leads.ts): deals and leads
   * logged one by one, bulk counts, or both (bulk counts for some reps or teams, logged leads for
   * the others).
   */
  readonly leadsSource: 'deals' | 'lead-counts' | 'mixed';
  /** Leads logged one by one that were added (0 when `leadsSource` is 'lead-counts'). Optional: absent = all of `dealsCreated`. */
  readonly loggedLeads?: number;
  /** Leads logged one by one left out because a bulk count already counts them. */
  readonly coveredLogged?: number;
  /** A bulk count below the deals logged under it was raised to them. */
  readonly raised?: boolean;
}

export interface TConversionReport extends TKpiReportBase, TComparison {
  readonly kind: 'conversion';
  readonly current: TConversionFigures;
  readonly previous: TConversionFigures | null;
  readonly trailing: readonly TConversionFigures[];
  /** Pooled over the trailing ranges: Σconverted / Σleads (`pooledConversionRate`). */
  readonly trailingAverage: TConversionRate;
  /** Win rate of the same range, shown next to conversion (both clearly named). */
  readonly winRate: TWinRate;
  /** SPEC §1.3 reading vs the previous range. */
  readonly reading: TConversionTrend;
}

export interface TRepQuotaLine {
  readonly rep: TRepRef;
  readonly wonMinor: bigint;
  readonly refundsMinor: bigint;
  readonly netWonMinor: bigint;
  /** How the quota was derived (inside / pro-rated), null without a quota. */
  readonly quota: TQuotaAllocation | null;
  readonly attainment: TRepAttainment;
  readonly pacing: TPacing;
}

export interface TQuotaReport extends TKpiReportBase {
  readonly kind: 'quota';
  /** Share of the range elapsed at `generatedAt` (0..1). */
  readonly elapsedShare: number;
  /** Reps of the scope with a quota or closed deals; best attainment first, reps without a quota last. */
  readonly reps: readonly TRepQuotaLine[];
  readonly ratio: TAttainmentRatio;
  readonly band: TAttainmentBandReading;
  /** The scope as a whole (team: its own quota if set, else its reps'; workspace: reps' quotas, else teams'). */
  readonly total: TTeamAttainment;
  readonly totalPacing: TPacing;
}

export interface TRepDealSizeLine {
  readonly rep: TRepRef;
  readonly average: TAverageDealSize;
  readonly discount: TAverageDiscount;
}

export interface TDealSizeReport extends TKpiReportBase {
  readonly kind: 'dealsize';
  readonly current: TAverageDealSize;
  readonly previous: TAverageDealSize | null;
  /** Relative change of the average vs previous (0.1 = +10%). */
  readonly changeVsPrevious: number | null;
  readonly trailing: readonly TAverageDealSize[];
  /** Pooled over the trailing ranges: Σwon amount / Σwon count (`pooledAverageDealSize`). */
  readonly trailingAverage: TAverageDealSize;
  /** Relative change of the average vs `trailingAverage` (null when either is unknown). */
  readonly changeVsTrailing: number | null;
  /** The current average against `trailingAverage` (see `readTrend`). */
  readonly trend: TTrendReading;
  /** Discounts of the scope's won deals in the range. */
  readonly discount: TAverageDiscount;
  /**
   * The group reps are compared with: the scope itself, or for a rep scope the rep's team
   * (workspace when the rep has no team).
   */
  readonly groupScope: TScope;
  readonly groupAverageMinor: bigint | null;
  /** Reps of the group with won deals in the range. */
  readonly byRep: readonly TRepDealSizeLine[];
  /** Reps whose average is below the group average, lowest first. */
  readonly repsBelowAverage: readonly TRepDealSizeLine[];
  /** Lookback used for the oversized-deal baselines. */
  readonly lookback: TDateRange;
  /**
   * Open deals of the scope >= the workspace multiple × the owner's (or team's) average won deal:
   * today's open deals for a running period, those open at its end (with their stage then) for an
   * ended one (see `openDealsAsOf`).
   */
  readonly oversizedDeals: ReadonlyArray<TOversizedDeal<TOpenDeal>>;
  /** The instant the open deals were taken at: the end of an ended range, else `generatedAt`. */
  readonly openDealsAsOf: Date;
  readonly oversizeMultiplePct: number;
}

export interface TRevenueTypeLine {
  readonly count: number;
  readonly wonMinor: bigint;
  readonly refundsMinor: bigint;
  readonly netMinor: bigint;
}

export interface TRevenueReport extends TKpiReportBase {
  readonly kind: 'revenue';
  readonly current: TNetRevenue;
  readonly previous: TNetRevenue | null;
  /** Relative change of net revenue vs previous (null when previous net <= 0). */
  readonly changeVsPrevious: number | null;
  readonly trailing: readonly TNetRevenue[];
  /** Net revenue per trailing range: total ÷ number of ranges, rounded half up (`averagePerPeriod`). */
  readonly trailingAverageNetMinor: bigint | null;
  readonly changeVsTrailing: number | null;
  readonly byType: Readonly<Record<TDealType, TRevenueTypeLine>>;
  /** Refunds without a deal (workspace scope only): in `current`, not in the mix. */
  readonly unassignedRefundsMinor: bigint;
  /** Mix of net won revenue by type; null when there is none. */
  readonly mix: TRevenueMix | null;
  readonly previousMix: TRevenueMix | null;
}

export interface TMrrPoint extends TMrr {
  /** Instant the subscriptions were counted at. */
  readonly asOf: Date;
}

export interface TMrrReport extends TKpiReportBase {
  readonly kind: 'mrr';
  /** At the end of the range, or at `now` while the range is still running. */
  readonly current: TMrrPoint;
  readonly previous: TMrrPoint | null;
  readonly changeVsPreviousMinor: bigint | null;
  readonly trailing: readonly TMrrPoint[];
  /** MRR at the trailing ranges' ends, averaged: total ÷ number of ranges (`averagePerPeriod`). */
  readonly trailingAverageMrrMinor: bigint | null;
  /** current − trailingAverageMrrMinor. */
  readonly changeVsTrailingMinor: bigint | null;
  /**
   * How MRR moved from the start of the range to `current.asOf` (new, expansion, contraction,
   * churned, reactivated: they sum exactly to `netChangeMinor`).
   */
  readonly movements: TMrrMovements;
  /** NRR, GRR, logo churn and MRR churn of the customers with MRR at the start of the range. */
  readonly retention: TRetention;
}

export interface TFunnelReport extends TKpiReportBase {
  readonly kind: 'funnel';
  /** Deals that entered the funnel (were created) in the range. */
  readonly funnel: TFunnel;
  readonly previous: TFunnel | null;
  readonly trailing: readonly TFunnel[];
  /** Pooled overall rate of the trailing ranges: Σwon / Σentered (`pooledStepRate`); null when none entered. */
  readonly trailingOverallRate: number | null;
  /** The biggest leak and how it compares with the same step's trailing average. */
  readonly leak: { readonly step: TFunnelStep; readonly comparison: TLeakComparison } | null;
}

export interface TPlanReport extends TKpiReportBase {
  readonly kind: 'plan';
  readonly targetMinor: bigint | null;
  readonly targetSource: 'option' | 'quota' | 'none';
  /** History the average deal and conversion come from, both pooled over `ranges`. */
  readonly basis: {
    readonly source: 'trailing' | 'previous' | 'current';
    readonly ranges: readonly TDateRange[];
    readonly averageDeal: TAverageDealSize;
    readonly conversion: TConversionRate;
  };
  /** Plan for the whole target; null without a target. */
  readonly plan: TReversePlan | null;
  /** Net won in the range so far. */
  readonly netWonToDateMinor: bigint;
  /** target − net won so far (never negative); null without a target. */
  readonly remainingMinor: bigint | null;
  readonly remainingPlan: TReversePlan | null;
  readonly reason: string | null;
}

export interface TLeaderboardRow {
  /** 1-based; equal net won and won count share a rank. */
  readonly rank: number;
  readonly rep: TRepRef;
  readonly wonCount: number;
  readonly lostCount: number;
  readonly wonMinor: bigint;
  readonly refundsMinor: bigint;
  readonly netWonMinor: bigint;
  readonly winRate: TWinRate;
  readonly averageDealMinor: bigint | null;
  readonly quotaMinor: bigint | null;
  readonly attainment: number | null;
}

export interface TLeaderboardReport extends TKpiReportBase {
  readonly kind: 'leaderboard';
  /** Net won desc, then won count desc, then name. */
  readonly rows: readonly TLeaderboardRow[];
}

export type TKpiReport =
  | TWinRateReport
  | TConversionReport
  | TQuotaReport
  | TDealSizeReport
  | TRevenueReport
  | TMrrReport
  | TFunnelReport
  | TPlanReport
  | TLeaderboardReport;

/** The report type of one KPI. */
export type TKpiReportOf<K extends TKpi> = Extract<TKpiReport, { kind: K }>;
