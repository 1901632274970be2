import type { TFunnelStep } from '../../../domain/metrics/funnel.js';
import type { TFunnelReport } from '../../../domain/metrics/kpi-report.js';
import type { TLocale } from '../../../i18n/locales.js';
import { CATALOGS, t, type TMessageKey } from '../../../i18n/t.js';
import type { SlackMessage } from '../../gateway.js';
import { escapeMrkdwn } from '../limits.js';
import { localStageLabel } from '../stage-names.js';
import { assembleKpiMessage, fallbackHead, kitOf, kpiTitle, listSections, phaseOf, points, pointsChange, trailLabel, type TKpiBlockContext } from './common.js';

export { localStageLabel };

/** `Demo/Trial → Won` */
export function stepName(step: Pick<TFunnelStep, 'from' | 'to'>, locale: TLocale = 'en'): string {
  return `${localStageLabel(step.from, locale)} → ${localStageLabel(step.to, locale)}`;
}

/**
 * The `/kpi funnel` answer: the cohort of deals that entered the funnel in the period, stage by
 * stage, with the biggest leak (lowest stage-to-stage conversion) named and compared with the same
 * step's average over the trailing periods.
 *
 * @example
 * buildFunnelMessage(report, ctx).text;
 * // 'Sales funnel (November 2026, UTC): biggest leak Demo/Trial → Won at 25.0% — 1,000 entered, 50 won (5.0%)'
 */
export function buildFunnelMessage(report: TFunnelReport, ctx: TKpiBlockContext): SlackMessage {
  const k = kitOf(ctx);
  const { tr, locale } = k;
  const title = kpiTitle('funnel', locale);
  const head = fallbackHead(title, report.scope, ctx);
  const period = escapeMrkdwn(ctx.periodLabel);
  const phase = phaseOf(report);
  const f = report.funnel;
  const entered = f.reachedCounts[0] ?? 0;
  const won = f.reachedCounts[f.reachedCounts.length - 1] ?? 0;
  const label = (s: string) => localStageLabel(s, locale);
  const notes = [tr('kpi.funnel.note')];
  if (entered === 0) {
    return assembleKpiMessage(report, ctx, {
      title,
      text: k.line(head, tr('kpi.funnel.noneText', { phase, period: ctx.periodLabel })),
      figure: tr('kpi.funnel.noneFigure', { phase, period }),
      notes,
    });
  }
  const stageLines = f.stages.map((s, i) => {
    const count = k.count(f.reachedCounts[i] ?? 0);
    const step = i > 0 ? f.steps[i - 1] : undefined;
    const isLeak = step !== undefined && report.leak?.step.index === step.index;
    const rate = step ? tr('kpi.funnel.stepRate', { rate: k.pct(step.rate), from: escapeMrkdwn(label(step.from)), leak: isLeak ? tr('kpi.funnel.leakMark') : '' }) : '';
    return `${i === 0 ? '' : '→ '}*${escapeMrkdwn(label(s))}*: ${count}${rate}`;
  });
  const insights: string[] = [];
  let figure = tr('kpi.funnel.figure', { entered, period, won: k.count(won), rate: k.pct(f.overallRate) });
  let text = k.line(head, tr('kpi.funnel.text', { entered: k.count(entered), won: k.count(won), rate: k.pct(f.overallRate) }));
  const leak = report.leak;
  if (leak) {
    const name = stepName(leak.step, locale);
    figure = `${tr('kpi.funnel.leakFigure', { step: escapeMrkdwn(name), rate: k.pct(leak.step.rate), from: escapeMrkdwn(label(leak.step.from)), to: escapeMrkdwn(label(leak.step.to)), advanced: k.count(leak.step.advanced), reached: k.count(leak.step.reached) })}\n${figure}`;
    text = k.line(head, tr('kpi.funnel.leakText', { step: name, rate: k.pct(leak.step.rate), entered: k.count(entered), won: k.count(won), overall: k.pct(f.overallRate) }));
    const c = leak.comparison;
    const step = escapeMrkdwn(name);
    if (c.reading === 'no-history' || c.trailingAverage === null || c.delta === null) {
      insights.push(tr('kpi.funnel.noHistory', { step }));
    } else if (c.reading === 'same') {
      insights.push(tr('kpi.funnel.same', { step, average: k.pct(c.trailingAverage), label: trailLabel(ctx), change: pointsChange(c.delta, locale) ?? tr('kpi.common.unchanged') }));
    } else {
      insights.push(tr(c.reading === 'worse' ? 'kpi.funnel.worse' : 'kpi.funnel.better', { step, points: points(c.delta, locale), average: k.pct(c.trailingAverage), label: trailLabel(ctx) }));
    }
  }
  return assembleKpiMessage(report, ctx, {
    title,
    text,
    figure,
    insights,
    details: listSections(tr('kpi.funnel.stageByStage'), stageLines, { maxSections: 1, locale }),
    notes,
  });
}
