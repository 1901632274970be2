import type { TRevenueReport } from '../../../domain/metrics/kpi-report.js';
import { DEAL_TYPES, type TDealType, type TRevenueMix } from '../../../domain/metrics/revenue-mix.js';
import type { SlackMessage } from '../../gateway.js';
import { escapeMrkdwn } from '../limits.js';
import { assembleKpiMessage, fallbackHead, KPI_TITLES, money, plural, prevLabel, relativeChangeText, trailLabel, yet, type TKpiBlockContext } from './common.js';

export const DEAL_TYPE_LABELS: Readonly<Record<TDealType, string>> = {
  new: 'New business',
  upsell: 'Upsell / cross-sell',
  renewal: 'Renewal',
};

/** `New business 57.1% · Upsell / cross-sell 28.6% · Renewal 14.3%` (always adds up to 100.0%). */
export function mixLine(mix: TRevenueMix): string {
  return DEAL_TYPES.map((t) => `${DEAL_TYPE_LABELS[t]} ${(mix.tenths[t] / 10).toFixed(1)}%`).join(' · ');
}

/**
 * The `/kpi revenue` answer: net revenue (won − refunds recorded in the period), against the
 * previous period and the trailing average, and the new / upsell / renewal mix with its shift.
 *
 * @example
 * buildRevenueMessage(report, ctx).text; // 'Net revenue (Q3 2026 (Jul 1 – Sep 30), UTC): $50,000 — $55,000 won − $5,000 refunds'
 */
export function buildRevenueMessage(report: TRevenueReport, ctx: TKpiBlockContext): SlackMessage {
  const title = KPI_TITLES.revenue;
  const head = fallbackHead(title, report.scope, ctx);
  const period = escapeMrkdwn(ctx.periodLabel);
  const cur = report.currency;
  const r = report.current;

  const comparisons: string[] = [];
  if (report.previous) {
    const change = relativeChangeText(report.changeVsPrevious);
    comparisons.push(`vs ${prevLabel(ctx)}: ${money(report.previous.netMinor, cur)}${change ? ` — ${change}` : ''}`);
  }
  if (report.trailingAverageNetMinor !== null) {
    const change = relativeChangeText(report.changeVsTrailing);
    comparisons.push(`vs the average of ${trailLabel(ctx)}: ${money(report.trailingAverageNetMinor, cur)}${change ? ` — ${change}` : ''}`);
  }

  const insights: string[] = [];
  if (report.mix) {
    const lines = [`*Mix of net won revenue:* ${mixLine(report.mix)}`];
    const counts = DEAL_TYPES.filter((t) => report.byType[t].count > 0).map((t) => `${DEAL_TYPE_LABELS[t].toLowerCase()} ${plural(report.byType[t].count, 'deal', 'deals')} (${money(report.byType[t].netMinor, cur)})`);
    if (counts.length) lines.push(counts.join(', '));
    const prev = report.previousMix;
    if (prev) {
      const shifts = DEAL_TYPES.map((t) => ({ t, d: (report.mix?.tenths[t] ?? 0) - prev.tenths[t] })).filter((x) => Math.abs(x.d) >= 1);
      if (shifts.length > 0) {
        lines.push(`Shift vs ${prevLabel(ctx)}: ${shifts.map((x) => `${DEAL_TYPE_LABELS[x.t].toLowerCase()} ${x.d > 0 ? 'up' : 'down'} ${(Math.abs(x.d) / 10).toFixed(1)} pts`).join(', ')} — one share rising means the others fall, whatever revenue does.`);
      } else lines.push(`Same mix as ${prevLabel(ctx)}.`);
    }
    insights.push(lines.join('\n'));
  }
  if (report.unassignedRefundsMinor > 0n) {
    insights.push(`${money(report.unassignedRefundsMinor, cur)} of the refunds are not linked to a deal: they count in net revenue but not in the mix.`);
  }
  const notes = ['Net revenue = won amounts closed in the period − refunds recorded in the period (discounts are already off the won amounts).'];
  if (r.wonMinor === 0n && r.refundsMinor === 0n) {
    return assembleKpiMessage(report, ctx, {
      title,
      text: `${head}: no revenue${yet(report)} in ${ctx.periodLabel} (no deals won, no refunds)`,
      figure: `No revenue${yet(report)} in ${period}: no deals won and no refunds recorded.`,
      comparisons,
      insights,
      notes,
    });
  }
  // Gross, refunds and net side by side: refunds count in the period they were recorded, so a
  // month can show a refund of a deal won months before (and even a negative net).
  insights.unshift(`*Gross won* ${money(r.wonMinor, cur)}  −  *Refunds* ${money(r.refundsMinor, cur)}  =  *Net* ${money(r.netMinor, cur)}`);
  const breakdown = r.refundsMinor === 0n ? `${money(r.wonMinor, cur)} won, no refunds` : `${money(r.wonMinor, cur)} won − ${money(r.refundsMinor, cur)} refunds`;
  return assembleKpiMessage(report, ctx, {
    title,
    text: `${head}: ${money(r.netMinor, cur)} — ${breakdown}`,
    figure: `*${money(r.netMinor, cur)}* net revenue in ${period} — ${breakdown}`,
    comparisons,
    insights,
    notes,
  });
}
