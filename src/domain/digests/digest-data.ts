import type { TFunnelStage, TRepAttainmentBar, TRevenueWeek } from '../../charts/configs.js';
import type { TConversionReport, TDealSizeReport, TFunnelReport, TMrrReport, TQuotaReport, TRevenueReport, TWinRateReport } from '../metrics/kpi-report.js';
import type { TTopMovers } from './top-movers.js';
import type { TLocale } from '../../i18n/locales.js';

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
  /** Pooled team attainment over the policy's trailing weeks: Σnet won / Σquota of the weeks with a quota (`pooledAttainment`); null without. */
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
  /** The language of the post: the workspace's (a channel has many readers); English when absent. Every label below is in it. */
  readonly locale?: TLocale;
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
  /**
   * The comparison policy's words for a week (`comparisonPeriods`): `the week before`, `the 4 weeks
   * before`. Every "vs" of the digest uses them; the figures behind them are the reports' own
   * previous and (pooled) trailing averages.
   */
  readonly comparison: { readonly previousLabel: string; readonly trailingLabel: string };
  /**
   * Last week's reports, each built with the policy's previous and trailing weeks: averages are
   * `revenue.trailingAverageNetMinor`, `winrate.trailingAverage`, `conversion.trailingAverage`,
   * `dealsize.trailingAverage`, `funnel.trailingOverallRate`, `mrr.trailingAverageMrrMinor`.
   */
  readonly revenue: TRevenueReport;
  readonly winrate: TWinRateReport;
  readonly dealsize: TDealSizeReport;
  readonly funnel: TFunnelReport;
  readonly conversion?: TConversionReport | null;
  readonly mrr?: TMrrReport | null;
  readonly quotaWeeks?: TDigestQuotaWeeks | null;
  readonly pacing: readonly TDigestPacing[];
  readonly movers: TTopMovers;
  /** Chart inputs; `quickchartUrl` null leaves the charts out. */
  readonly charts: {
    /** Net revenue of the last 12 weeks, oldest first, each with the average of the policy's weeks before it. */
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
