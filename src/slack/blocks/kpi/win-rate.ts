import type { TWinRateReport } from '../../../domain/metrics/kpi-report.js';
import type { TWinRate } from '../../../domain/metrics/win-rate.js';
import { formatCountL } from '../../../i18n/format.js';
import type { TLocale } from '../../../i18n/locales.js';
import { t } from '../../../i18n/t.js';
import type { SlackMessage } from '../../gateway.js';
import { escapeMrkdwn } from '../limits.js';
import { assembleKpiMessage, bullet, fallbackHead, kitOf, kpiTitle, listSections, phaseOf, pointsChange, prevLabel, repName, trailLabel, trendWords, type TKpiBlockContext, type TLazyLines } from './common.js';

/** `15 won / 40 closed` */
export function wonOfClosed(w: TWinRate, locale: TLocale = 'en'): string {
  return t(locale, 'kpi.winrate.wonOfClosed', { won: formatCountL(locale, w.won), closed: formatCountL(locale, w.closed) });
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
  const k = kitOf(ctx);
  const { tr, locale } = k;
  const title = kpiTitle('winrate', locale);
  const head = fallbackHead(title, report.scope, ctx);
  const period = escapeMrkdwn(ctx.periodLabel);
  const phase = phaseOf(report);
  const cur = report.current;
  const notes = [tr('kpi.winrate.definition')];
  if (cur.rate === null) {
    return assembleKpiMessage(report, ctx, {
      title,
      text: k.line(head, tr('kpi.winrate.noneText', { phase, period: ctx.periodLabel })),
      figure: tr('kpi.winrate.noneFigure', { phase, period }),
      comparisons: comparisonLines(report, ctx),
      notes,
    });
  }
  // Only the reps the sections can show are formatted (a workspace may have hundreds).
  const byRep: TLazyLines = {
    count: report.byRep.length,
    at: (i) => {
      const r = report.byRep[i]!;
      return bullet(`${repName(r.rep, locale)}: ${r.winRate.rate === null ? tr('kpi.winrate.repNone') : tr('kpi.winrate.repRate', { rate: k.pct(r.winRate.rate), counts: wonOfClosed(r.winRate, locale) })}`);
    },
  };
  return assembleKpiMessage(report, ctx, {
    title,
    text: k.line(head, tr('kpi.winrate.text', { rate: k.pct(cur.rate), counts: wonOfClosed(cur, locale) })),
    figure: tr('kpi.winrate.figure', { rate: k.pct(cur.rate), counts: wonOfClosed(cur, locale), lost: cur.lost, period }),
    comparisons: comparisonLines(report, ctx),
    details: report.scope.kind === 'rep' || byRep.count === 0 ? [] : listSections(tr('kpi.common.byRep'), byRep, { maxSections: 2, locale }),
    notes,
  });
}

function comparisonLines(report: TWinRateReport, ctx: TKpiBlockContext): string[] {
  const k = kitOf(ctx);
  const { tr, locale } = k;
  const lines: string[] = [];
  const cur = report.current.rate;
  if (report.previous) {
    const p = report.previous;
    if (p.rate === null) lines.push(tr('kpi.winrate.vsNone', { label: prevLabel(ctx) }));
    else {
      const change = cur === null ? null : pointsChange(cur - p.rate, locale);
      lines.push(tr('kpi.winrate.vs', { label: prevLabel(ctx), rate: k.pct(p.rate), counts: wonOfClosed(p, locale), change: k.change(change) }));
    }
  }
  if (report.trailing.length > 0) {
    const avg = report.trailingAverage;
    if (avg.rate === null) lines.push(tr('kpi.winrate.vsNone', { label: trailLabel(ctx) }));
    else {
      const change = pointsChange(report.deltaVsTrailing, locale);
      lines.push(tr('kpi.winrate.vsAverage', { label: trailLabel(ctx), rate: k.pct(avg.rate), counts: wonOfClosed(avg, locale), change: k.change(change) }));
    }
    const trend = trendWords(report.trend, locale);
    if (cur !== null) lines.push(trend ? tr('kpi.common.trendLine', { trend, label: trailLabel(ctx) }) : tr('kpi.winrate.trendUnknown'));
  }
  return lines;
}
