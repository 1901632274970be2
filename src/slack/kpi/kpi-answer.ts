import type { TKpi, TKpiReport } from '../../domain/metrics/kpi-report.js';
import { reportKpi, type TReportKpiInput } from '../../domain/metrics/report-kpi.js';
import type { TScope } from '../../domain/metrics/scope.js';
import type { TPeriod } from '../../domain/periods.js';
import { buildKpiAnswerMessage, type TKpiAnswerMessageOptions } from '../blocks/kpi/answer.js';
import type { SlackMessage } from '../gateway.js';

export { KPI_ALIASES } from '../../domain/metrics/report-kpi.js';

/** `reportKpi`'s input plus how the Slack message looks. */
export interface TBuildKpiAnswerInput extends TReportKpiInput, TKpiAnswerMessageOptions {}

export interface TKpiAnswer {
  /** The Slack message: Block Kit body and `text` fallback. Render it with `renderMessageAsText` outside Slack. */
  readonly message: SlackMessage;
  readonly kpi: TKpi;
  readonly report: TKpiReport;
  readonly period: TPeriod;
  readonly previous: TPeriod | null;
  readonly trailing: readonly TPeriod[];
  readonly scope: TScope;
  readonly scopeLabel: string;
  /** The Share button's value (compact JSON), also when the button was left out. */
  readonly shareValue: string;
}

/**
 * One KPI answer for Slack: the figures from the domain use case `reportKpi` (period resolved once,
 * comparison periods, scope named), rendered by `buildKpiAnswerMessage`. No Slack I/O: the caller
 * posts it.
 *
 * @example
 * const answer = await buildKpiAnswer({ db, workspace, kpi: 'winrate', periodInput: '2017', now: new Date(), quickchartUrl: 'https://quickchart.io' });
 * console.log(renderMessageAsText(answer.message));
 */
export async function buildKpiAnswer(input: TBuildKpiAnswerInput): Promise<TKpiAnswer> {
  const data = await reportKpi(input);
  const { message, shareValue } = buildKpiAnswerMessage(data, input);
  const { periods } = data;
  return { message, kpi: data.kpi, report: data.report, period: periods.period, previous: periods.previous, trailing: periods.trailing, scope: data.scope, scopeLabel: data.scopeLabel, shareValue };
}
