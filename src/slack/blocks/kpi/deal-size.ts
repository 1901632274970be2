import type { KnownBlock } from '@slack/types';
import { stageLabel } from '../../../domain/deals/stages.js';
import type { TDealSizeReport } from '../../../domain/metrics/kpi-report.js';
import { formatPercent } from '../../../domain/money.js';
import type { SlackMessage } from '../../gateway.js';
import { escapeMrkdwn } from '../limits.js';
import { assembleKpiMessage, bullet, fallbackHead, KPI_TITLES, listSections, money, plural, prevLabel, relativeChangeText, repName, trailLabel, trendWords, yet, type TKpiBlockContext } from './common.js';

/**
 * The `/kpi dealsize` answer: average won deal (amount ÷ count), its change and trend, reps below
 * the group average, average discount, and oversized open deals (>= 4× the owner's average won
 * deal, or the team's without history), flagging those that carry most of a rep's quota gap.
 *
 * @example
 * buildDealSizeMessage(report, ctx).text; // 'Average deal size (November 2026, UTC): $12,000 — 10 won deals, $120,000 in total'
 */
export function buildDealSizeMessage(report: TDealSizeReport, ctx: TKpiBlockContext): SlackMessage {
  const title = KPI_TITLES.dealsize;
  const head = fallbackHead(title, report.scope, ctx);
  const period = escapeMrkdwn(ctx.periodLabel);
  const cur = report.currency;
  const avg = report.current;

  const comparisons: string[] = [];
  if (report.previous) {
    const p = report.previous;
    const change = relativeChangeText(report.changeVsPrevious);
    comparisons.push(p.averageMinor === null ? `vs ${prevLabel(ctx)}: no won deals then` : `vs ${prevLabel(ctx)}: ${money(p.averageMinor, cur)} (${plural(p.wonCount, 'deal', 'deals')})${change && avg.averageMinor !== null ? ` — ${change}` : ''}`);
  }
  if (report.trailing.length > 0) {
    const t = report.trailingAverage;
    const change = relativeChangeText(report.changeVsTrailing);
    comparisons.push(
      t.averageMinor === null
        ? `vs ${trailLabel(ctx)}: no won deals then`
        : `vs the average of ${trailLabel(ctx)}: ${money(t.averageMinor, cur)} (${plural(t.wonCount, 'deal', 'deals')})${change && avg.averageMinor !== null ? ` — ${change}` : ''}`,
    );
    const trend = trendWords(report.trend);
    if (avg.averageMinor !== null) {
      comparisons.push(
        trend
          ? `Trend: *${trend === 'rising' ? 'growing' : trend === 'falling' ? 'shrinking' : 'flat'}* (this period against the average of ${trailLabel(ctx)})`
          : `Trend: not enough won deals in ${trailLabel(ctx)} to read one`,
      );
    }
  }
  if (report.discount.discountRate !== null && report.discount.averageDiscountMinor !== null) {
    comparisons.push(`Average discount: ${formatPercent(report.discount.discountRate)} off list (${money(report.discount.averageDiscountMinor, cur)} per discounted deal, ${plural(report.discount.discountedDeals, 'deal', 'deals')})`);
  }

  const insights: string[] = [];
  const details: KnownBlock[] = [];
  const group = report.groupScope.kind === 'workspace' ? 'all reps' : report.groupScope.kind === 'team' ? 'the team' : 'the group';
  if (report.groupAverageMinor !== null && report.repsBelowAverage.length > 0) {
    const below = report.repsBelowAverage.map((l) => {
      const disc = l.discount.discountRate === null ? '' : ` · avg discount ${formatPercent(l.discount.discountRate)}`;
      return bullet(`${repName(l.rep)}: ${l.average.averageMinor === null ? 'n/a' : money(l.average.averageMinor, cur)} (${plural(l.average.wonCount, 'deal', 'deals')})${disc}`);
    });
    details.push(
      ...listSections(
        `*Below the average of ${group} (${money(report.groupAverageMinor, cur)})* — they may chase small, easy deals or over-discount:`,
        below,
        { maxSections: 1 },
      ),
    );
  }
  if (report.oversizedDeals.length > 0) {
    const m = report.oversizeMultiplePct / 100;
    const multiple = Number.isInteger(m) ? String(m) : m.toFixed(1);
    const carrying = report.oversizedDeals.filter((o) => o.carriesMostOfGap).length;
    const n = report.oversizedDeals.length;
    // A past period lists the deals that were open when it ended (their stage then), not today's.
    const ended = report.openDealsAsOf.getTime() < report.generatedAt.getTime();
    insights.push(
      ended
        ? `:warning: *${plural(n, 'oversized deal was', 'oversized deals were')} open at the end of ${period}* (≥ ${multiple}× the owner's average won deal): such deals have longer cycles and lower close rates.${carrying > 0 ? ` ${plural(carrying, 'deal was', 'deals were')} most of a rep's unmet quota.` : ''}`
        : `:warning: *${plural(n, 'oversized open deal', 'oversized open deals')}* (≥ ${multiple}× the owner's average won deal): longer cycles and lower close rates, so don't count on them to make the number.${carrying > 0 ? ` ${plural(carrying, 'deal carries', 'deals carry')} most of a rep's remaining quota gap.` : ''}`,
    );
    const lines = report.oversizedDeals.map((o) => {
      const owner = escapeMrkdwn(o.deal.ownerName);
      const base = o.baselineSource === 'rep' ? 'their average won deal' : 'the team average won deal';
      const gap = o.carriesMostOfGap && o.gapMinor !== null ? ` — :rotating_light: most of their ${ended ? 'unmet quota' : 'remaining quota gap'} (${money(o.gapMinor, cur)})` : '';
      return bullet(`*${escapeMrkdwn(o.deal.customer)}* (${owner}, ${escapeMrkdwn(stageLabel(o.deal.stage))}): ${money(o.deal.amountMinor, cur)}, ${o.multiple.toFixed(1)}× ${base} of ${money(o.baselineMinor, cur)}${gap}`);
    });
    details.unshift(...listSections(ended ? `*Oversized deals open at the end of ${period}*` : '*Oversized open deals*', lines, { maxSections: 1 }));
  }
  const notes = ['Average deal size = total won amount ÷ number of won deals.'];
  if (avg.averageMinor === null) {
    return assembleKpiMessage(report, ctx, {
      title,
      text: `${head}: no won deals${yet(report)} in ${ctx.periodLabel}`,
      figure: `No won deals${yet(report)} in ${period}, so there is no average deal size.`,
      comparisons,
      insights,
      details,
      notes,
    });
  }
  return assembleKpiMessage(report, ctx, {
    title,
    text: `${head}: ${money(avg.averageMinor, cur)} — ${plural(avg.wonCount, 'won deal', 'won deals')}, ${money(avg.wonMinor, cur)} in total`,
    figure: `*${money(avg.averageMinor, cur)}* average won deal — ${money(avg.wonMinor, cur)} over ${plural(avg.wonCount, 'deal', 'deals')} won in ${period}`,
    comparisons,
    insights,
    details,
    notes,
  });
}
