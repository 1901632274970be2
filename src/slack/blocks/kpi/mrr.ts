import type { TMrrPoint, TMrrReport } from '../../../domain/metrics/kpi-report.js';
import { formatInstant } from '../../../domain/periods.js';
import { formatDateL } from '../../../i18n/format.js';
import type { SlackMessage } from '../../gateway.js';
import { escapeMrkdwn } from '../limits.js';
import { movementSections, movementsText, retentionText } from './mrr-movements.js';
import { assembleKpiMessage, fallbackHead, kitOf, kpiTitle, prevLabel, type TKpiBlockContext, type TKpiKit } from './common.js';

function asOfText(p: TMrrPoint, end: Date, label: string, timeZone: string, k: TKpiKit): string {
  if (p.asOf.getTime() === end.getTime()) return k.tr('kpi.mrr.atEnd', { period: label });
  return k.tr('kpi.mrr.asOf', { when: k.locale === 'en' ? formatInstant(p.asOf, timeZone) : formatDateL(k.locale, p.asOf, timeZone) });
}

/**
 * The `/kpi mrr` answer: MRR (monthly recurring amounts of subscriptions active at the end of the
 * period, or now while it runs) and ARR = MRR × 12, against the previous period's end; the
 * period's MRR movements (new, expansion, contraction, churned, reactivated) and retention (NRR,
 * GRR, logo churn).
 *
 * @example
 * buildMrrMessage(report, ctx).text;
 * // 'MRR and ARR (November 2026, UTC): MRR 300,000,000 ₫, ARR 3,600,000,000 ₫ — 30 active subscriptions;
 * //  movements: new +50,000,000 ₫, expansion +0 ₫, contraction -0 ₫, churned -0 ₫, reactivated +0 ₫ (net +50,000,000 ₫);
 * //  NRR 100.0%, GRR 100.0%, logo churn 0.0% (0 of 25 customers)'
 */
export function buildMrrMessage(report: TMrrReport, ctx: TKpiBlockContext): SlackMessage {
  const k = kitOf(ctx);
  const { tr, locale } = k;
  const title = kpiTitle('mrr', locale);
  const head = fallbackHead(title, report.scope, ctx);
  const cur = report.currency;
  const money = (minor: bigint) => k.money(minor, cur);
  const c = report.current;
  const whenText = asOfText(c, report.range.end, ctx.periodLabel, ctx.timeZone, k);
  const when = escapeMrkdwn(whenText);
  const comparisons: string[] = [];
  if (report.previous && report.previousRange) {
    const p = report.previous;
    const delta = report.changeVsPreviousMinor ?? 0n;
    const abs = delta > 0n ? delta : -delta;
    const share = p.mrrMinor > 0n ? ` (${delta > 0n ? '+' : '-'}${k.pct(Number(abs) / Number(p.mrrMinor))})` : '';
    const deltaText = delta === 0n ? tr('kpi.mrr.unchanged') : tr('kpi.mrr.delta', { direction: delta > 0n ? 'up' : 'down', amount: money(abs), share });
    comparisons.push(tr('kpi.mrr.vsEnd', { label: prevLabel(ctx), amount: money(p.mrrMinor), count: p.subscriptions, delta: deltaText }));
  }
  const notes = [tr('kpi.mrr.note'), tr('kpi.mrr.retentionNote')];
  const m = report.movements;
  const moved = m.startMrrMinor !== 0n || m.endMrrMinor !== 0n;
  const insights = moved ? movementSections(m, report.retention, cur, ctx.periodLabel, locale) : [];
  const retention = retentionText(report.retention, m, locale);
  const tail = moved ? tr('kpi.mrr.movementsTail', { movements: movementsText(m, cur, locale), retention: retention ? `; ${retention}` : '' }) : '';
  if (c.subscriptions === 0) {
    return assembleKpiMessage(report, ctx, {
      title,
      text: k.line(head, tr('kpi.mrr.noneText', { when: whenText, zero: money(0n), tail })),
      figure: tr('kpi.mrr.noneFigure', { when, zero: money(0n) }),
      comparisons,
      insights,
      notes,
    });
  }
  return assembleKpiMessage(report, ctx, {
    title,
    text: k.line(head, tr('kpi.mrr.text', { mrr: money(c.mrrMinor), arr: money(c.arrMinor), count: c.subscriptions, tail })),
    figure: tr('kpi.mrr.figure', { mrr: k.headline(c.mrrMinor, cur), arr: k.headline(c.arrMinor, cur), count: c.subscriptions, when }),
    comparisons,
    insights,
    notes,
  });
}
