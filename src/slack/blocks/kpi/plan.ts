import type { TPlanReport } from '../../../domain/metrics/kpi-report.js';
import { formatCount } from '../../../domain/money.js';
import type { TReversePlan } from '../../../domain/metrics/reverse-plan.js';
import type { SlackMessage } from '../../gateway.js';
import { escapeMrkdwn } from '../limits.js';
import { assembleKpiMessage, fallbackHead, KPI_TITLES, money, pct, phaseOf, plural, prevLabel, trailLabel, type TKpiBlockContext } from './common.js';

/** `80 deals and 800 leads`, or as much of it as is known. */
function needs(p: TReversePlan, bold: boolean, more = false): string {
  const b = (s: string) => (bold ? `*${s}*` : s);
  const m = more ? 'more ' : '';
  if (p.dealsNeeded === null) return 'an unknown number of deals';
  const deals = b(plural(p.dealsNeeded, `${m}won deal`, `${m}won deals`));
  return p.leadsNeeded === null ? deals : `${deals} and ${b(plural(p.leadsNeeded, `${m}lead`, `${m}leads`))}`;
}

/**
 * The `/kpi plan [amount]` answer (SPEC §1.3 reverse plan): deals needed = ceil(target ÷ average
 * deal), leads needed = ceil(deals ÷ conversion rate), from the scope's own history; plus what is
 * still to go after what was won so far in the period.
 *
 * @example
 * buildPlanMessage(report, ctx).text; // 'Reverse plan (November 2026, UTC): 800,000,000 ₫ needs 80 won deals and 800 leads'
 */
export function buildPlanMessage(report: TPlanReport, ctx: TKpiBlockContext): SlackMessage {
  const title = KPI_TITLES.plan;
  const head = fallbackHead(title, report.scope, ctx);
  const period = escapeMrkdwn(ctx.periodLabel);
  const cur = report.currency;
  const basis = report.basis;
  const from = basis.source === 'trailing' ? trailLabel(ctx) : basis.source === 'previous' ? prevLabel(ctx) : period;
  const basisLine = `Based on ${from}: average won deal ${basis.averageDeal.averageMinor === null ? '— (no won deals)' : money(basis.averageDeal.averageMinor, cur)}, lead conversion rate ${basis.conversion.rate === null ? '— (no leads)' : `${pct(basis.conversion.rate)} (${formatCount(basis.conversion.converted)} of ${plural(basis.conversion.leads, 'lead', 'leads')})`}.`;
  const notes = ['Deals needed = target ÷ average won deal, rounded up; leads needed = deals needed ÷ lead conversion rate, rounded up.'];
  if (report.targetMinor === null || report.plan === null) {
    return assembleKpiMessage(report, ctx, {
      title,
      text: `${head}: no quota set for ${ctx.periodLabel} and no target given`,
      figure: `No quota set for ${period} and no target given, so there is nothing to plan for. Give a target: \`/kpi plan 800m VND\` or \`/kpi plan 50k next quarter\`.`,
      comparisons: [basisLine],
      notes,
    });
  }
  const target = money(report.targetMinor, cur);
  const source = report.targetSource === 'quota' ? `the quota for ${period}` : 'your target';
  const plan = report.plan;
  const insights: string[] = [];
  if (plan.reason) insights.push(`:information_source: Can't finish the plan: ${escapeMrkdwn(plan.reason)}.`);
  if (phaseOf(report) === 'ended') {
    // The period is over: say where it closed, not what is "still to go".
    const net = money(report.netWonToDateMinor, cur);
    const short = report.targetMinor - report.netWonToDateMinor;
    insights.push(short <= 0n ? `:tada: ${period} closed at ${net} net won: target reached.` : `${period} closed at ${net} net won, ${money(short, cur)} short of ${target}.`);
    return assembleKpiMessage(report, ctx, {
      title,
      text: `${head}: ${target} needed ${needs(plan, false)}`,
      figure: `Reaching *${target}* (${source}) needed ${needs(plan, true)}.`,
      comparisons: [basisLine],
      insights,
      notes,
    });
  }
  if (report.remainingMinor !== null && report.remainingPlan) {
    if (report.remainingMinor === 0n) insights.push(`:tada: Already reached: ${money(report.netWonToDateMinor, cur)} net won in ${period}.`);
    else if (report.netWonToDateMinor > 0n) {
      insights.push(`Won so far in ${period}: ${money(report.netWonToDateMinor, cur)} net. Still to go: *${money(report.remainingMinor, cur)}*, so ${needs(report.remainingPlan, false, true)}.`);
    }
  }
  return assembleKpiMessage(report, ctx, {
    title,
    text: `${head}: ${target} needs ${needs(plan, false)}`,
    figure: `To reach *${target}* (${source}) you need ${needs(plan, true)}.`,
    comparisons: [basisLine],
    insights,
    notes,
  });
}
