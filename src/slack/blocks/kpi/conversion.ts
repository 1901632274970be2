import type { TConversionFigures, TConversionReport } from '../../../domain/metrics/kpi-report.js';
import { formatCount } from '../../../domain/money.js';
import type { SlackMessage } from '../../gateway.js';
import { escapeMrkdwn } from '../limits.js';
import { assembleKpiMessage, fallbackHead, KPI_TITLES, pct, plural, pointsChange, prevLabel, trailLabel, yet, type TKpiBlockContext } from './common.js';
import { wonOfClosed } from './win-rate.js';

/** `50 of 500 leads` */
function convertedOfLeads(f: { converted: number; leads: number }): string {
  return `${formatCount(f.converted)} of ${plural(f.leads, 'lead', 'leads')}`;
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
  const notes = [
    'Lead conversion rate = leads created in the period that became won customers ÷ leads created in the period (a cohort: it can still rise while its deals are open).',
    'No lead counts twice: where a bulk lead count covers the period (workspace, team or rep), it is the lead total there and the leads logged one by one under it are not added; elsewhere each deal or lead logged counts once.',
  ];
  if (cur.rate === null) {
    return assembleKpiMessage(report, ctx, {
      title,
      text: `${head}: no leads${yet(report)} in ${ctx.periodLabel}`,
      figure: `No leads${yet(report)} in ${period}, so there is no lead conversion rate. Leads are the deals and leads logged in the period (\`/deal lead Acme\`), or a bulk count (\`/kpi leads 500 2026-03\`).`,
      comparisons: comparisonLines(report, ctx),
      insights: cur.leadsSource === 'deals' ? [winRate] : [leadsBasisLine(cur), winRate],
      notes,
    });
  }
  return assembleKpiMessage(report, ctx, {
    title,
    text: `${head}: ${pct(cur.rate)} — ${convertedOfLeads(cur)} became customers`,
    figure: `*${pct(cur.rate)}* lead conversion — ${convertedOfLeads(cur)} created in ${period} became customers`,
    comparisons: comparisonLines(report, ctx),
    insights: [leadsBasisLine(cur), `:mag: ${escapeMrkdwn(report.reading.text)}`, winRate],
    notes,
  });
}

/**
 * Which leads the figure counted (the rule: `countLeads`, domain/leads/count-leads.ts): bulk
 * counts, leads logged one by one, or both, and what was left out so no lead counts twice.
 *
 * @example
 * leadsBasisLine({ leadsSource: 'lead-counts', bulkLeads: 500, coveredLogged: 50, … });
 * // 'Leads counted: 500 from bulk lead counts (`/kpi leads`); the 50 deals and leads logged one by one are part of those counts, not added.'
 */
export function leadsBasisLine(f: TConversionFigures): string {
  const n = (x: number) => formatCount(x);
  const covered = f.coveredLogged ?? 0;
  const logged = f.loggedLeads ?? f.dealsCreated;
  const raised = f.raised ? ' A bulk count below the deals logged under it was raised to them.' : '';
  const coveredNote = covered > 0 ? `; the ${plural(covered, 'deal or lead', 'deals and leads')} logged one by one under those counts ${covered === 1 ? 'is' : 'are'} part of them, not added` : '';
  switch (f.leadsSource) {
    case 'lead-counts':
      return `Leads counted: ${n(f.bulkLeads)} from bulk lead counts (\`/kpi leads\`)${coveredNote}.${raised}`;
    case 'mixed':
      return `Leads counted: ${n(f.bulkLeads)} from bulk lead counts (\`/kpi leads\`) + ${n(logged)} logged one by one where no count covers them${coveredNote}.${raised}`;
    case 'deals':
      return `Leads counted: the ${plural(logged, 'deal or lead', 'deals and leads')} logged one by one (\`/deal\`, \`/deal lead\`); no bulk lead count covers this period.`;
  }
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
