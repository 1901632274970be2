import type { TMrrPoint, TMrrReport } from '../../../domain/metrics/kpi-report.js';
import { formatPercent } from '../../../domain/money.js';
import { formatInstant } from '../../../domain/periods.js';
import type { SlackMessage } from '../../gateway.js';
import { escapeMrkdwn } from '../limits.js';
import { movementSections, movementsText, RETENTION_NOTE, retentionText } from './mrr-movements.js';
import { assembleKpiMessage, fallbackHead, KPI_TITLES, money, plural, prevLabel, type TKpiBlockContext } from './common.js';

function asOfText(p: TMrrPoint, end: Date, label: string, timeZone: string): string {
  return p.asOf.getTime() === end.getTime() ? `at the end of ${label}` : `as of ${formatInstant(p.asOf, timeZone)}`;
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
  const title = KPI_TITLES.mrr;
  const head = fallbackHead(title, report.scope, ctx);
  const cur = report.currency;
  const c = report.current;
  const whenText = asOfText(c, report.range.end, ctx.periodLabel, ctx.timeZone);
  const when = escapeMrkdwn(whenText);
  const comparisons: string[] = [];
  if (report.previous && report.previousRange) {
    const p = report.previous;
    const delta = report.changeVsPreviousMinor ?? 0n;
    const abs = delta > 0n ? delta : -delta;
    const share = p.mrrMinor > 0n ? ` (${delta > 0n ? '+' : '-'}${formatPercent(Number(abs) / Number(p.mrrMinor))})` : '';
    const deltaText = delta === 0n ? 'unchanged' : `${delta > 0n ? 'up' : 'down'} ${money(abs, cur)}${share}`;
    comparisons.push(`vs the end of ${prevLabel(ctx)}: MRR ${money(p.mrrMinor, cur)} (${plural(p.subscriptions, 'subscription', 'subscriptions')}) — ${deltaText}`);
  }
  const notes = ['MRR = monthly recurring amounts of the subscriptions active at that instant; ARR = MRR × 12.', RETENTION_NOTE];
  const m = report.movements;
  const moved = m.startMrrMinor !== 0n || m.endMrrMinor !== 0n;
  const insights = moved ? movementSections(m, report.retention, cur, ctx.periodLabel) : [];
  const retention = retentionText(report.retention, m);
  const movementTail = moved ? `; movements: ${movementsText(m, cur)}${retention ? `; ${retention}` : ''}` : '';
  if (c.subscriptions === 0) {
    return assembleKpiMessage(report, ctx, {
      title,
      text: `${head}: no active subscriptions ${whenText}, MRR ${money(0n, cur)}${movementTail}`,
      figure: `No active subscriptions ${when}, so MRR and ARR are ${money(0n, cur)}. Log recurring deals with a monthly amount to see them here.`,
      comparisons,
      insights,
      notes,
    });
  }
  return assembleKpiMessage(report, ctx, {
    title,
    text: `${head}: MRR ${money(c.mrrMinor, cur)}, ARR ${money(c.arrMinor, cur)} — ${plural(c.subscriptions, 'active subscription', 'active subscriptions')}${movementTail}`,
    figure: `*MRR ${money(c.mrrMinor, cur)}* · *ARR ${money(c.arrMinor, cur)}* — ${plural(c.subscriptions, 'active subscription', 'active subscriptions')} ${when}`,
    comparisons,
    insights,
    notes,
  });
}
