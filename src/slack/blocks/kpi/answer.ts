import type { TKpiAnswerData } from '../../../domain/metrics/report-kpi.js';
import type { SlackMessage } from '../../gateway.js';
import { encodeKpiShareValue } from '../../kpi/share-value.js';
import { kpiChartBlock } from './chart.js';
import { buildKpiMessage } from './index.js';

export interface TKpiAnswerMessageOptions {
  /** QuickChart base URL for the funnel / quota / revenue charts; no chart when absent. */
  readonly quickchartUrl?: string | null | undefined;
  /** Add the *Share in channel* button (default true). */
  readonly share?: boolean | undefined;
  /** Slack user who shared it: "Shared by <@user>", and no Share button. */
  readonly sharedBy?: string | null | undefined;
  /** Signs the Share button's value (ValueSealer, bound to the asker); unsigned when absent. */
  readonly sealShare?: ((value: string) => string) | undefined;
}

/**
 * The message of a KPI answer (figures from `reportKpi`): the KPI's blocks, its chart when a
 * QuickChart URL is given, and the Share button carrying the question (`shareValue`, unsigned).
 * Pure: Slack posts it, the CLI prints it with `renderMessageAsText`.
 *
 * @example
 * const { message } = buildKpiAnswerMessage(await reportKpi({ db, workspace, kpi: 'winrate', now }), { quickchartUrl: null });
 */
export function buildKpiAnswerMessage(data: TKpiAnswerData, opts: TKpiAnswerMessageOptions): { message: SlackMessage; shareValue: string } {
  const { periods } = data;
  const shareValue = encodeKpiShareValue({
    kpi: data.kpi,
    periodInput: data.periodInput,
    periodKey: periods.period.key,
    anchor: data.anchor,
    scope: data.scope,
    targetMinor: data.targetMinor,
  });
  const chart = kpiChartBlock(data.report, { period: periods.period, trailing: periods.trailing, quickchartUrl: opts.quickchartUrl });
  const message = buildKpiMessage(data.report, {
    periodLabel: periods.period.label,
    timeZone: periods.period.timeZone,
    scopeLabel: data.scopeLabel,
    previousLabel: periods.previous?.label ?? null,
    trailingLabel: periods.trailingLabel,
    shareValue: opts.share === false ? null : opts.sealShare ? opts.sealShare(shareValue) : shareValue,
    sharedBy: opts.sharedBy ?? null,
    chart,
  });
  return { message, shareValue };
}
