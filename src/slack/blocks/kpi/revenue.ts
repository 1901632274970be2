import type { TRevenueReport } from '../../../domain/metrics/kpi-report.js';
import { DEAL_TYPES, type TDealType, type TRevenueMix } from '../../../domain/metrics/revenue-mix.js';
import type { TLocale } from '../../../i18n/locales.js';
import { t } from '../../../i18n/t.js';
import type { SlackMessage } from '../../gateway.js';
import { escapeMrkdwn } from '../limits.js';
import { assembleKpiMessage, fallbackHead, kitOf, kpiTitle, phaseOf, prevLabel, relativeChangeText, trailLabel, type TKpiBlockContext } from './common.js';

/** A deal type's name in a language (`New business`, `Khách hàng mới`, `新业务`). */
export function dealTypeLabel(type: TDealType, locale: TLocale = 'en', lower = false): string {
  return t(locale, lower ? `kpi.revenue.typeLower.${type}` : `kpi.revenue.type.${type}`);
}

export const DEAL_TYPE_LABELS: Readonly<Record<TDealType, string>> = {
  new: dealTypeLabel('new'),
  upsell: dealTypeLabel('upsell'),
  renewal: dealTypeLabel('renewal'),
};

/** A share in tenths of a percent with one decimal (`57.1`, `57,1`). */
function tenths(value: number, locale: TLocale): string {
  const text = (value / 10).toFixed(1);
  return locale === 'vi' ? text.replace('.', ',') : text;
}

/** `New business 57.1% · Upsell / cross-sell 28.6% · Renewal 14.3%` (always adds up to 100.0%). */
export function mixLine(mix: TRevenueMix, locale: TLocale = 'en'): string {
  return DEAL_TYPES.map((type) => t(locale, 'kpi.revenue.mixPart', { type: dealTypeLabel(type, locale), share: tenths(mix.tenths[type], locale) })).join(' · ');
}

/**
 * The `/kpi revenue` answer: net revenue (won − refunds recorded in the period), against the
 * previous period and the trailing average, and the new / upsell / renewal mix with its shift.
 *
 * @example
 * buildRevenueMessage(report, ctx).text; // 'Net revenue (Q3 2026 (Jul 1 – Sep 30), UTC): $50,000 — $55,000 won − $5,000 refunds'
 */
export function buildRevenueMessage(report: TRevenueReport, ctx: TKpiBlockContext): SlackMessage {
  const k = kitOf(ctx);
  const { tr, locale } = k;
  const title = kpiTitle('revenue', locale);
  const head = fallbackHead(title, report.scope, ctx);
  const period = escapeMrkdwn(ctx.periodLabel);
  const phase = phaseOf(report);
  const cur = report.currency;
  const money = (minor: bigint) => k.money(minor, cur);
  const r = report.current;

  const comparisons: string[] = [];
  if (report.previous) {
    comparisons.push(tr('kpi.revenue.vs', { label: prevLabel(ctx), amount: money(report.previous.netMinor), change: k.change(relativeChangeText(report.changeVsPrevious, locale)) }));
  }
  if (report.trailingAverageNetMinor !== null) {
    comparisons.push(tr('kpi.revenue.vsAverage', { label: trailLabel(ctx), amount: money(report.trailingAverageNetMinor), change: k.change(relativeChangeText(report.changeVsTrailing, locale)) }));
  }

  const insights: string[] = [];
  if (report.mix) {
    const lines = [tr('kpi.revenue.mix', { mix: mixLine(report.mix, locale) })];
    const counts = DEAL_TYPES.filter((type) => report.byType[type].count > 0).map((type) =>
      tr('kpi.revenue.countPart', { type: dealTypeLabel(type, locale, true), count: report.byType[type].count, amount: money(report.byType[type].netMinor) }),
    );
    if (counts.length) lines.push(counts.join(', '));
    const prev = report.previousMix;
    if (prev) {
      const shifts = DEAL_TYPES.map((type) => ({ type, d: (report.mix?.tenths[type] ?? 0) - prev.tenths[type] })).filter((x) => Math.abs(x.d) >= 1);
      if (shifts.length > 0) {
        const parts = shifts.map((x) => tr('kpi.revenue.shiftPart', { type: dealTypeLabel(x.type, locale, true), direction: x.d > 0 ? 'up' : 'down', points: tenths(Math.abs(x.d), locale) }));
        lines.push(tr('kpi.revenue.shift', { label: prevLabel(ctx), shifts: parts.join(', ') }));
      } else lines.push(tr('kpi.revenue.sameMix', { label: prevLabel(ctx) }));
    }
    insights.push(lines.join('\n'));
  }
  if (report.unassignedRefundsMinor > 0n) insights.push(tr('kpi.revenue.unassigned', { amount: money(report.unassignedRefundsMinor) }));
  const notes = [tr('kpi.revenue.note')];
  if (r.wonMinor === 0n && r.refundsMinor === 0n) {
    return assembleKpiMessage(report, ctx, {
      title,
      text: k.line(head, tr('kpi.revenue.noneText', { phase, period: ctx.periodLabel })),
      figure: tr('kpi.revenue.noneFigure', { phase, period }),
      comparisons,
      insights,
      notes,
    });
  }
  // Gross, refunds and net side by side: refunds count in the period they were recorded, so a
  // month can show a refund of a deal won months before (and even a negative net).
  insights.unshift(tr('kpi.revenue.grossNet', { won: money(r.wonMinor), refunds: money(r.refundsMinor), net: money(r.netMinor) }));
  const breakdown = r.refundsMinor === 0n ? tr('kpi.revenue.breakdownNoRefunds', { won: money(r.wonMinor) }) : tr('kpi.revenue.breakdown', { won: money(r.wonMinor), refunds: money(r.refundsMinor) });
  return assembleKpiMessage(report, ctx, {
    title,
    text: k.line(head, tr('kpi.revenue.text', { net: money(r.netMinor), breakdown })),
    figure: tr('kpi.revenue.figure', { net: k.headline(r.netMinor, cur), period, breakdown }),
    comparisons,
    insights,
    notes,
  });
}
