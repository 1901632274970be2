import type { KnownBlock } from '@slack/types';
import { stageLabel } from '../../../domain/deals/stages.js';
import type { TDealSizeReport } from '../../../domain/metrics/kpi-report.js';
import type { SlackMessage } from '../../gateway.js';
import { escapeMrkdwn } from '../limits.js';
import { assembleKpiMessage, bullet, fallbackHead, kitOf, kpiTitle, listSections, phaseOf, prevLabel, relativeChangeText, repName, trailLabel, trendKind, type TKpiBlockContext } from './common.js';
import { localStageLabel } from './funnel.js';

/**
 * The `/kpi dealsize` answer: average won deal (amount ÷ count), its change and trend, reps below
 * the group average, average discount, and oversized open deals (>= 4× the owner's average won
 * deal, or the team's without history), flagging those that carry most of a rep's quota gap.
 *
 * @example
 * buildDealSizeMessage(report, ctx).text; // 'Average deal size (November 2026, UTC): $12,000 — 10 won deals, $120,000 in total'
 */
export function buildDealSizeMessage(report: TDealSizeReport, ctx: TKpiBlockContext): SlackMessage {
  const k = kitOf(ctx);
  const { tr, locale } = k;
  const title = kpiTitle('dealsize', locale);
  const head = fallbackHead(title, report.scope, ctx);
  const period = escapeMrkdwn(ctx.periodLabel);
  const phase = phaseOf(report);
  const cur = report.currency;
  const avg = report.current;
  const money = (minor: bigint) => k.money(minor, cur);

  const comparisons: string[] = [];
  if (report.previous) {
    const p = report.previous;
    const change = relativeChangeText(report.changeVsPrevious, locale);
    comparisons.push(
      p.averageMinor === null
        ? tr('kpi.dealsize.vsNone', { label: prevLabel(ctx) })
        : tr('kpi.dealsize.vs', { label: prevLabel(ctx), amount: money(p.averageMinor), count: p.wonCount, change: avg.averageMinor !== null ? k.change(change) : '' }),
    );
  }
  if (report.trailing.length > 0) {
    const tAvg = report.trailingAverage;
    const change = relativeChangeText(report.changeVsTrailing, locale);
    comparisons.push(
      tAvg.averageMinor === null
        ? tr('kpi.dealsize.vsNone', { label: trailLabel(ctx) })
        : tr('kpi.dealsize.vsAverage', { label: trailLabel(ctx), amount: money(tAvg.averageMinor), count: tAvg.wonCount, change: avg.averageMinor !== null ? k.change(change) : '' }),
    );
    const trend = trendKind(report.trend);
    if (avg.averageMinor !== null) {
      comparisons.push(trend ? tr('kpi.dealsize.trend', { trend, label: trailLabel(ctx) }) : tr('kpi.dealsize.trendUnknown', { label: trailLabel(ctx) }));
    }
  }
  if (report.discount.discountRate !== null && report.discount.averageDiscountMinor !== null) {
    comparisons.push(tr('kpi.dealsize.discount', { rate: k.pct(report.discount.discountRate), amount: money(report.discount.averageDiscountMinor), count: report.discount.discountedDeals }));
  }

  const insights: string[] = [];
  const details: KnownBlock[] = [];
  const group = tr(report.groupScope.kind === 'workspace' ? 'kpi.dealsize.groupAll' : report.groupScope.kind === 'team' ? 'kpi.dealsize.groupTeam' : 'kpi.dealsize.groupOther');
  if (report.groupAverageMinor !== null && report.repsBelowAverage.length > 0) {
    const below = report.repsBelowAverage.map((l) => {
      const discount = l.discount.discountRate === null ? '' : tr('kpi.dealsize.repDiscount', { rate: k.pct(l.discount.discountRate) });
      return bullet(tr('kpi.dealsize.belowLine', { rep: repName(l.rep, locale), amount: l.average.averageMinor === null ? tr('kpi.dealsize.na') : money(l.average.averageMinor), count: l.average.wonCount, discount }));
    });
    details.push(...listSections(tr('kpi.dealsize.belowTitle', { group, amount: money(report.groupAverageMinor) }), below, { maxSections: 1, locale }));
  }
  if (report.oversizedDeals.length > 0) {
    const m = report.oversizeMultiplePct / 100;
    const multiple = Number.isInteger(m) ? String(m) : m.toFixed(1);
    const carrying = report.oversizedDeals.filter((o) => o.carriesMostOfGap).length;
    const n = report.oversizedDeals.length;
    // A past period lists the deals that were open when it ended (their stage then), not today's.
    const ended = report.openDealsAsOf.getTime() < report.generatedAt.getTime();
    insights.push(tr(ended ? 'kpi.dealsize.oversizedEnded' : 'kpi.dealsize.oversizedRunning', { count: n, period, multiple, carrying }));
    const lines = report.oversizedDeals.map((o) => {
      const gap = o.carriesMostOfGap && o.gapMinor !== null ? tr('kpi.dealsize.gap', { ended: ended ? 'yes' : 'no', amount: money(o.gapMinor) }) : '';
      return bullet(
        tr('kpi.dealsize.oversizedLine', {
          customer: escapeMrkdwn(o.deal.customer),
          owner: escapeMrkdwn(o.deal.ownerName),
          stage: escapeMrkdwn(locale === 'en' ? stageLabel(o.deal.stage) : localStageLabel(o.deal.stage, locale)),
          amount: money(o.deal.amountMinor),
          multiple: locale === 'vi' ? o.multiple.toFixed(1).replace('.', ',') : o.multiple.toFixed(1),
          base: tr(o.baselineSource === 'rep' ? 'kpi.dealsize.baseRep' : 'kpi.dealsize.baseTeam'),
          baseline: money(o.baselineMinor),
          gap,
        }),
      );
    });
    details.unshift(...listSections(ended ? tr('kpi.dealsize.oversizedTitleEnded', { period }) : tr('kpi.dealsize.oversizedTitle'), lines, { maxSections: 1, locale }));
  }
  const notes = [tr('kpi.dealsize.note')];
  if (avg.averageMinor === null) {
    return assembleKpiMessage(report, ctx, {
      title,
      text: k.line(head, tr('kpi.dealsize.noneText', { phase, period: ctx.periodLabel })),
      figure: tr('kpi.dealsize.noneFigure', { phase, period }),
      comparisons,
      insights,
      details,
      notes,
    });
  }
  return assembleKpiMessage(report, ctx, {
    title,
    text: k.line(head, tr('kpi.dealsize.text', { average: money(avg.averageMinor), count: avg.wonCount, total: money(avg.wonMinor) })),
    figure: tr('kpi.dealsize.figure', { average: k.headline(avg.averageMinor, cur), total: money(avg.wonMinor), count: avg.wonCount, period }),
    comparisons,
    insights,
    details,
    notes,
  });
}
