import type { TWinRateReport } from '../../../domain/metrics/kpi-report.js';
import { formatCount } from '../../../domain/money.js';
import type { TWinRate } from '../../../domain/metrics/win-rate.js';
import type { SlackMessage } from '../../gateway.js';
import { escapeMrkdwn } from '../limits.js';
import { assembleKpiMessage, bullet, fallbackHead, KPI_TITLES, listSections, pct, plural, pointsChange, prevLabel, repName, trailLabel, trendWords, yet, type TKpiBlockContext } from './common.js';

/** `15 won / 40 closed` */
export function wonOfClosed(w: TWinRate): string {
  return `${formatCount(w.won)} won / ${formatCount(w.closed)} closed`;
}

/**
 * The `/kpi winrate` answer: won ÷ (won + lost) among deals closed in the period, against the
 * previous period and the trailing average, the trend, and the reps' own rates.
 *
 * @example
 * buildWinRateMessage(report, { periodLabel: 'November 2026', timeZone: 'Europe/Berlin', scopeLabel: 'all reps' }).text;
 * // 'Win rate (November 2026, Europe/Berlin): 37.5% — 15 won / 40 closed'
 */
export function buildWinRateMessage(report: TWinRateReport, ctx: TKpiBlockContext): SlackMessage {
  const title = KPI_TITLES.winrate;
  const head = fallbackHead(title, report.scope, ctx);
  const period = escapeMrkdwn(ctx.periodLabel);
  const cur = report.current;
  if (cur.rate === null) {
    const why = `no closed deals${yet(report)} in ${ctx.periodLabel}`;
    return assembleKpiMessage(report, ctx, {
      title,
      text: `${head}: ${why}`,
      figure: `No closed deals${yet(report)} in ${period}, so there is no win rate to show. It counts deals marked won or lost in the period.`,
      comparisons: comparisonLines(report, ctx),
      notes: [definition()],
    });
  }
  const byRep = report.byRep.map((r) =>
    bullet(`${repName(r.rep)}: ${r.winRate.rate === null ? 'no closed deals' : `*${pct(r.winRate.rate)}* (${wonOfClosed(r.winRate)})`}`),
  );
  return assembleKpiMessage(report, ctx, {
    title,
    text: `${head}: ${pct(cur.rate)} — ${wonOfClosed(cur)}`,
    figure: `*${pct(cur.rate)}* win rate — ${wonOfClosed(cur)} (${plural(cur.lost, 'deal', 'deals')} lost) in ${period}`,
    comparisons: comparisonLines(report, ctx),
    details: report.scope.kind === 'rep' || byRep.length === 0 ? [] : listSections('*By rep*', byRep, { maxSections: 2 }),
    notes: [definition()],
  });
}

function definition(): string {
  return 'Win rate = won ÷ (won + lost) among deals closed in the period. Lead conversion rate (`/kpi conversion`) is a different figure.';
}

function comparisonLines(report: TWinRateReport, ctx: TKpiBlockContext): string[] {
  const lines: string[] = [];
  const cur = report.current.rate;
  if (report.previous) {
    const p = report.previous;
    if (p.rate === null) lines.push(`vs ${prevLabel(ctx)}: no closed deals then`);
    else {
      const change = cur === null ? null : pointsChange(cur - p.rate);
      lines.push(`vs ${prevLabel(ctx)}: ${pct(p.rate)} (${wonOfClosed(p)})${change ? ` — ${change}` : ''}`);
    }
  }
  if (report.trailing.length > 0) {
    const avg = report.trailingAverage;
    if (avg.rate === null) lines.push(`vs ${trailLabel(ctx)}: no closed deals then`);
    else {
      const change = pointsChange(report.deltaVsTrailing);
      lines.push(`vs the average of ${trailLabel(ctx)}: ${pct(avg.rate)} (${wonOfClosed(avg)})${change ? ` — ${change}` : ''}`);
    }
    const trend = trendWords(report.trend);
    if (cur !== null) lines.push(trend ? `Trend: ${trend} (this period against the average of ${trailLabel(ctx)})` : 'Trend: not enough closed deals in the earlier periods to read one');
  }
  return lines;
}
