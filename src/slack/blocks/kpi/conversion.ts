import type { TConversionFigures, TConversionReport } from '../../../domain/metrics/kpi-report.js';
import type { SlackMessage } from '../../gateway.js';
import { escapeMrkdwn } from '../limits.js';
import { assembleKpiMessage, fallbackHead, KPI_TITLES, pct, plural, pointsChange, prevLabel, trailLabel, yet, type TKpiBlockContext } from './common.js';
import { wonOfClosed } from './win-rate.js';

/** `50 of 500 leads` */
function convertedOfLeads(f: { converted: number; leads: number }): string {
  return `${f.converted.toLocaleString('en-US')} of ${plural(f.leads, 'lead', 'leads')}`;
}

/**
 * The `/kpi conversion` answer: lead conversion rate of the period's cohort (leads created in the
 * period that became won customers / leads created in the period), its comparisons, the SPEC §1.3
 * trend reading (with the up-market caveat), and the win rate shown next to it, clearly named.
 *
 * @example
 * buildConversionMessage(report, ctx).text; // 'Lead conversion rate (November 2026, UTC): 10.0% — 50 of 500 leads became customers'
 */
export function buildConversionMessage(report: TConversionReport, ctx: TKpiBlockContext): SlackMessage {
  const title = KPI_TITLES.conversion;
  const head = fallbackHead(title, report.scope, ctx);
  const period = escapeMrkdwn(ctx.periodLabel);
  const cur = report.current;
  const winRate =
    report.winRate.rate === null
      ? `*Win rate* (a different figure: won ÷ closed among deals closed in ${period}): no closed deals${yet(report)}`
      : `*Win rate* (a different figure: won ÷ closed among deals closed in ${period}): ${pct(report.winRate.rate)} — ${wonOfClosed(report.winRate)}`;
  const notes = ['Lead conversion rate = leads created in the period that became won customers ÷ leads created in the period (a cohort: it can still rise while its deals are open).'];
  if (cur.rate === null) {
    return assembleKpiMessage(report, ctx, {
      title,
      text: `${head}: no leads${yet(report)} in ${ctx.periodLabel}`,
      figure: `No leads${yet(report)} in ${period}, so there is no lead conversion rate. Leads are the deals created in the period (or lead counts logged in bulk).`,
      comparisons: comparisonLines(report, ctx),
      insights: [winRate],
      notes,
    });
  }
  return assembleKpiMessage(report, ctx, {
    title,
    text: `${head}: ${pct(cur.rate)} — ${convertedOfLeads(cur)} became customers`,
    figure: `*${pct(cur.rate)}* lead conversion — ${convertedOfLeads(cur)} created in ${period} became customers${sourceNote(cur)}`,
    comparisons: comparisonLines(report, ctx),
    insights: [`:mag: ${escapeMrkdwn(report.reading.text)}`, winRate],
    notes,
  });
}

function sourceNote(f: TConversionFigures): string {
  return f.leadsSource === 'lead-counts' ? ` (leads from bulk lead counts: ${f.bulkLeads.toLocaleString('en-US')}, of which ${plural(f.dealsCreated, 'deal', 'deals')} logged)` : '';
}

function comparisonLines(report: TConversionReport, ctx: TKpiBlockContext): string[] {
  const lines: string[] = [];
  const cur = report.current.rate;
  if (report.previous) {
    const p = report.previous;
    if (p.rate === null) lines.push(`vs ${prevLabel(ctx)}: no leads then`);
    else {
      const change = cur === null ? null : pointsChange(cur - p.rate);
      lines.push(`vs ${prevLabel(ctx)}: ${pct(p.rate)} (${convertedOfLeads(p)})${change ? ` — ${change}` : ''}`);
    }
  }
  if (report.trailing.length > 0) {
    const avg = report.trailingAverage;
    if (avg.rate === null) lines.push(`vs ${trailLabel(ctx)}: no leads then`);
    else {
      const change = pointsChange(report.deltaVsTrailing);
      lines.push(`vs the average of ${trailLabel(ctx)}: ${pct(avg.rate)} (${convertedOfLeads(avg)})${change ? ` — ${change}` : ''}`);
    }
  }
  return lines;
}
