import { stageLabel } from '../../../domain/deals/stages.js';
import { formatCount } from '../../../domain/money.js';
import type { TFunnelStep } from '../../../domain/metrics/funnel.js';
import type { TFunnelReport } from '../../../domain/metrics/kpi-report.js';
import type { SlackMessage } from '../../gateway.js';
import { escapeMrkdwn } from '../limits.js';
import { assembleKpiMessage, fallbackHead, KPI_TITLES, listSections, pct, plural, points, pointsChange, trailLabel, yet, type TKpiBlockContext } from './common.js';

/** `Demo/Trial → Won` */
export function stepName(step: Pick<TFunnelStep, 'from' | 'to'>): string {
  return `${stageLabel(step.from)} → ${stageLabel(step.to)}`;
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
  const title = KPI_TITLES.funnel;
  const head = fallbackHead(title, report.scope, ctx);
  const period = escapeMrkdwn(ctx.periodLabel);
  const f = report.funnel;
  const entered = f.reachedCounts[0] ?? 0;
  const won = f.reachedCounts[f.reachedCounts.length - 1] ?? 0;
  const notes = ['Cohort: deals that entered the funnel (were created) in the period; a deal that skipped a stage counts as having passed it. Conversion of each step = deals that reached the next stage ÷ deals that reached this one.'];
  if (entered === 0) {
    return assembleKpiMessage(report, ctx, {
      title,
      text: `${head}: no deals entered the funnel${yet(report)} in ${ctx.periodLabel}`,
      figure: `No deals entered the funnel${yet(report)} in ${period}, so there are no stage conversions to show.`,
      notes,
    });
  }
  const stageLines = f.stages.map((s, i) => {
    const count = formatCount(f.reachedCounts[i] ?? 0);
    const step = i > 0 ? f.steps[i - 1] : undefined;
    const isLeak = step !== undefined && report.leak?.step.index === step.index;
    const rate = step ? ` — ${pct(step.rate)} of ${escapeMrkdwn(stageLabel(step.from))}${isLeak ? ' :small_red_triangle_down: *biggest leak*' : ''}` : '';
    return `${i === 0 ? '' : '→ '}*${escapeMrkdwn(stageLabel(s))}*: ${count}${rate}`;
  });
  const insights: string[] = [];
  let figure = `${plural(entered, 'deal', 'deals')} entered the funnel in ${period}; ${formatCount(won)} won so far (${pct(f.overallRate)}).`;
  let text = `${head}: ${formatCount(entered)} entered, ${formatCount(won)} won (${pct(f.overallRate)})`;
  const leak = report.leak;
  if (leak) {
    const name = stepName(leak.step);
    figure = `*Biggest leak: ${escapeMrkdwn(name)}* — only ${pct(leak.step.rate)} of the deals that reached ${escapeMrkdwn(stageLabel(leak.step.from))} got to ${escapeMrkdwn(stageLabel(leak.step.to))} (${formatCount(leak.step.advanced)} of ${formatCount(leak.step.reached)}).\n${figure}`;
    text = `${head}: biggest leak ${name} at ${pct(leak.step.rate)} — ${formatCount(entered)} entered, ${formatCount(won)} won (${pct(f.overallRate)})`;
    const c = leak.comparison;
    if (c.reading === 'no-history' || c.trailingAverage === null || c.delta === null) {
      insights.push(`No earlier periods with deals at this step to compare ${escapeMrkdwn(name)} with.`);
    } else if (c.reading === 'same') {
      insights.push(`${escapeMrkdwn(name)} is about where it usually is: ${pct(c.trailingAverage)} on average over ${trailLabel(ctx)} (${pointsChange(c.delta) ?? 'unchanged'}). A long-standing leak: worth a process fix rather than a one-off push.`);
    } else {
      const word = c.reading === 'worse' ? `*worse* than usual, down ${points(c.delta)}` : `*better* than usual, up ${points(c.delta)}`;
      insights.push(`${escapeMrkdwn(name)} is ${word} from its average of ${pct(c.trailingAverage)} over ${trailLabel(ctx)}.`);
    }
  }
  return assembleKpiMessage(report, ctx, {
    title,
    text,
    figure,
    insights,
    details: listSections('*Stage by stage*', stageLines, { maxSections: 1 }),
    notes,
  });
}
