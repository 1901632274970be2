import type { TPlanReport } from '../../../domain/metrics/kpi-report.js';
import type { TReversePlan } from '../../../domain/metrics/reverse-plan.js';
import type { SlackMessage } from '../../gateway.js';
import { escapeMrkdwn } from '../limits.js';
import { assembleKpiMessage, fallbackHead, kitOf, kpiTitle, phaseOf, prevLabel, trailLabel, type TKpiBlockContext, type TKpiKit } from './common.js';

/** `80 deals and 800 leads`, or as much of it as is known. */
function needs(p: TReversePlan, bold: boolean, k: TKpiKit, more = false): string {
  const b = (s: string) => (bold ? `*${s}*` : s);
  const m = more ? 'yes' : 'no';
  if (p.dealsNeeded === null) return k.tr('kpi.plan.unknownDeals');
  const deals = b(k.tr('kpi.plan.deals', { more: m, count: p.dealsNeeded }));
  return p.leadsNeeded === null ? deals : k.tr('kpi.plan.dealsAndLeads', { deals, leads: b(k.tr('kpi.plan.leads', { more: m, count: p.leadsNeeded })) });
}

/** The plan's reason in the reader's language (the domain states it in English). */
function reasonText(p: TReversePlan, k: TKpiKit): string {
  if (k.locale === 'en' || !p.reason) return p.reason ?? '';
  return k.tr(p.dealsNeeded === null ? 'kpi.plan.reason.noDeals' : 'kpi.plan.reason.noConversion');
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
  const k = kitOf(ctx);
  const { tr, locale } = k;
  const title = kpiTitle('plan', locale);
  const head = fallbackHead(title, report.scope, ctx);
  const period = escapeMrkdwn(ctx.periodLabel);
  const cur = report.currency;
  const money = (minor: bigint) => k.money(minor, cur);
  const basis = report.basis;
  const from = basis.source === 'trailing' ? trailLabel(ctx) : basis.source === 'previous' ? prevLabel(ctx) : period;
  const average = basis.averageDeal.averageMinor === null ? tr('kpi.plan.noDeals') : money(basis.averageDeal.averageMinor);
  const conversion =
    basis.conversion.rate === null
      ? tr('kpi.plan.noLeads')
      : tr('kpi.plan.conversion', { rate: k.pct(basis.conversion.rate), converted: k.count(basis.conversion.converted), leads: basis.conversion.leads });
  const basisLine = tr('kpi.plan.basis', { from, average, conversion });
  const notes = [tr('kpi.plan.note')];
  if (report.targetMinor === null || report.plan === null) {
    return assembleKpiMessage(report, ctx, {
      title,
      text: k.line(head, tr('kpi.plan.noneText', { period: ctx.periodLabel })),
      figure: tr('kpi.plan.noneFigure', { period }),
      comparisons: [basisLine],
      notes,
    });
  }
  const target = money(report.targetMinor);
  const targetHeadline = k.headline(report.targetMinor, cur);
  const source = report.targetSource === 'quota' ? tr('kpi.plan.sourceQuota', { period }) : tr('kpi.plan.sourceTarget');
  const plan = report.plan;
  const insights: string[] = [];
  if (plan.reason) insights.push(tr('kpi.plan.cannotFinish', { reason: escapeMrkdwn(reasonText(plan, k)) }));
  if (phaseOf(report) === 'ended') {
    // The period is over: say where it closed, not what is "still to go".
    const net = money(report.netWonToDateMinor);
    const short = report.targetMinor - report.netWonToDateMinor;
    insights.push(short <= 0n ? tr('kpi.plan.closedReached', { period, net }) : tr('kpi.plan.closedShort', { period, net, short: money(short), target }));
    return assembleKpiMessage(report, ctx, {
      title,
      text: k.line(head, tr('kpi.plan.neededText', { target, needs: needs(plan, false, k) })),
      figure: tr('kpi.plan.neededFigure', { target: targetHeadline, source, needs: needs(plan, true, k) }),
      comparisons: [basisLine],
      insights,
      notes,
    });
  }
  if (report.remainingMinor !== null && report.remainingPlan) {
    if (report.remainingMinor === 0n) insights.push(tr('kpi.plan.alreadyReached', { net: money(report.netWonToDateMinor), period }));
    else if (report.netWonToDateMinor > 0n) {
      insights.push(tr('kpi.plan.soFar', { period, net: money(report.netWonToDateMinor), remaining: money(report.remainingMinor), needs: needs(report.remainingPlan, false, k, true) }));
    }
  }
  return assembleKpiMessage(report, ctx, {
    title,
    text: k.line(head, tr('kpi.plan.needsText', { target, needs: needs(plan, false, k) })),
    figure: tr('kpi.plan.needsFigure', { target: targetHeadline, source, needs: needs(plan, true, k) }),
    comparisons: [basisLine],
    insights,
    notes,
  });
}
