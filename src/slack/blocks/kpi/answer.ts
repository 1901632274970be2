import type { TKpiAnswerData } from '../../../domain/metrics/report-kpi.js';
import type { SlackMessage } from '../../gateway.js';
import { encodeKpiShareValue } from '../../kpi/share-value.js';
import { periodLabel } from '../../../i18n/format.js';
import type { TLocale } from '../../../i18n/locales.js';
import { t } from '../../../i18n/t.js';
import type { TPeriod } from '../../../domain/periods.js';
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
  /** The reader's language (the asker's for a private answer, the workspace's in a channel); English when absent. */
  readonly locale?: TLocale | undefined;
}

/** `the 3 months before` in a language, from the trailing periods themselves. */
function trailingPhrase(locale: TLocale, period: TPeriod, trailing: readonly TPeriod[], english: string): string {
  if (locale === 'en') return english;
  if (period.kind === 'ytd') return t(locale, 'period.trailingYtd');
  if (period.kind === 'rolling') return t(locale, 'period.trailingRolling', { days: /^last(\d+)-/.exec(period.key)?.[1] ?? '' });
  return t(locale, 'period.trailing', { count: trailing.length, kind: trailing[0]?.kind ?? period.kind });
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
  const chart = kpiChartBlock(data.report, { period: periods.period, trailing: periods.trailing, quickchartUrl: opts.quickchartUrl, locale: opts.locale ?? 'en' });
  const locale = opts.locale ?? 'en';
  const message = buildKpiMessage(data.report, {
    locale,
    periodLabel: periodLabel(locale, periods.period),
    timeZone: periods.period.timeZone,
    scopeLabel: locale !== 'en' && data.scope.kind === 'workspace' ? t(locale, 'kpi.common.allReps') : data.scopeLabel,
    previousLabel: periods.previous ? periodLabel(locale, periods.previous) : null,
    trailingLabel: trailingPhrase(locale, periods.period, periods.trailing, periods.trailingLabel),
    shareValue: opts.share === false ? null : opts.sealShare ? opts.sealShare(shareValue) : shareValue,
    sharedBy: opts.sharedBy ?? null,
    chart,
  });
  return { message, shareValue };
}
