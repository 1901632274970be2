import type { TFunnelStage, TRepAttainmentBar, TRevenueWeek } from '../../charts/configs.js';
import type { TConversionReport, TDealSizeReport, TFunnelReport, TMrrReport, TQuotaReport, TRevenueReport, TWinRateReport } from '../metrics/kpi-report.js';
import type { TTopMovers } from './top-movers.js';

/**
 * What a weekly digest says, as figures (SPEC §4): the domain gathers it (build-weekly-digest.ts),
 * the Slack layer renders it (slack/blocks/digest.ts, injected as `render`).
 */

/** KPIs a digest subscription can include, in the order they are shown. */
export type TDigestKpi = 'revenue' | 'winrate' | 'conversion' | 'dealsize' | 'quota' | 'funnel' | 'mrr';
export const DIGEST_KPIS: readonly TDigestKpi[] = ['revenue', 'winrate', 'conversion', 'dealsize', 'quota', 'funnel', 'mrr'];

/** Month or quarter to date, for the pacing section. */
export interface TDigestPacing {
  /** `November 2026`, `Q4 2026 (Oct 1 – Dec 31)`. */
  readonly label: string;
  readonly report: TQuotaReport;
}

/** Team attainment of the scope per week, for the quota line. */
export interface TDigestQuotaWeeks {
  readonly current: TQuotaReport;
  readonly previous: TQuotaReport | null;
  /** Mean team attainment over the trailing weeks that had a quota; null without. */
  readonly trailingAverage: number | null;
}

/** An alert as listed in the digest. */
export interface TDigestAlert {
  readonly title: string;
  readonly message: string;
  /** Fired by this digest (or, in a preview, breached now). */
  readonly isNew: boolean;
}

export interface TDigestAlerts {
  readonly items: readonly TDigestAlert[];
  /** Breached but snoozed (not listed). */
  readonly snoozed: number;
  /** Evaluation failed: say so instead of "no alerts". */
  readonly failed: boolean;
}

export interface TWeeklyDigestData {
  /** `week of Nov 23, 2026`. */
  readonly weekLabel: string;
  /** IANA zone the weeks were computed in (printed). */
  readonly timeZone: string;
  /** `all reps` or `team North`. */
  readonly scopeLabel: string;
  readonly currency: string;
  readonly preview: boolean;
  /** Posted after downtime: when it was due. */
  readonly late: { readonly scheduledFor: Date } | null;
  readonly generatedAt: Date;
  /** Subscribed KPIs (any order; shown in `DIGEST_KPIS` order). */
  readonly kpis: readonly TDigestKpi[];
  /** Last week's reports: previous = the week before; trailing = the weeks before (4, revenue 11). */
  readonly revenue: TRevenueReport;
  readonly winrate: TWinRateReport;
  readonly dealsize: TDealSizeReport;
  readonly funnel: TFunnelReport;
  readonly conversion?: TConversionReport | null;
  readonly mrr?: TMrrReport | null;
  /** Mean net revenue of the 4 weeks before last week. */
  readonly revenueTrailingAverageMinor: bigint | null;
  readonly quotaWeeks?: TDigestQuotaWeeks | null;
  readonly pacing: readonly TDigestPacing[];
  readonly movers: TTopMovers;
  /** Chart inputs; `quickchartUrl` null leaves the charts out. */
  readonly charts: {
    readonly revenueWeeks: readonly TRevenueWeek[];
    readonly funnelStages: readonly TFunnelStage[];
    readonly funnelLeakIndex?: number;
    readonly attainment: readonly TRepAttainmentBar[];
    /** `November 2026 to date`. */
    readonly attainmentLabel: string;
  };
  readonly quickchartUrl: string | null;
  readonly alerts: TDigestAlerts;
}
