import type { TConversionFigures, TConversionReport } from '../../../domain/metrics/kpi-report.js';
import { formatCountL } from '../../../i18n/format.js';
import type { TLocale } from '../../../i18n/locales.js';
import { t } from '../../../i18n/t.js';
import type { SlackMessage } from '../../gateway.js';
import { escapeMrkdwn } from '../limits.js';
import { assembleKpiMessage, fallbackHead, kitOf, kpiTitle, phaseOf, pointsChange, prevLabel, trailLabel, type TKpiBlockContext } from './common.js';
import { wonOfClosed } from './win-rate.js';

/** `50 of 500 leads` */
function convertedOfLeads(f: { converted: number; leads: number }, locale: TLocale): string {
  return t(locale, 'kpi.conversion.convertedOfLeads', { converted: formatCountL(locale, f.converted), leads: f.leads });
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
  const k = kitOf(ctx);
  const { tr, locale } = k;
  const title = kpiTitle('conversion', locale);
  const head = fallbackHead(title, report.scope, ctx);
  const period = escapeMrkdwn(ctx.periodLabel);
  const phase = phaseOf(report);
  const cur = report.current;
  const winRate =
    report.winRate.rate === null
      ? tr('kpi.conversion.winRateNone', { period, phase })
      : tr('kpi.conversion.winRate', { period, rate: k.pct(report.winRate.rate), counts: wonOfClosed(report.winRate, locale) });
  const notes = [tr('kpi.conversion.noteDefinition'), tr('kpi.conversion.noteNoDouble')];
  if (cur.rate === null) {
    return assembleKpiMessage(report, ctx, {
      title,
      text: k.line(head, tr('kpi.conversion.noneText', { phase, period: ctx.periodLabel })),
      figure: tr('kpi.conversion.noneFigure', { phase, period }),
      comparisons: comparisonLines(report, ctx),
      insights: cur.leadsSource === 'deals' ? [winRate] : [leadsBasisLine(cur, locale), winRate],
      notes,
    });
  }
  const reading = locale === 'en' ? report.reading.text : tr(`kpi.conversion.trend.${report.reading.kind}`) + (report.reading.upMarketCaveat ? tr('kpi.conversion.trend.upMarket') : '');
  return assembleKpiMessage(report, ctx, {
    title,
    text: k.line(head, tr('kpi.conversion.text', { rate: k.pct(cur.rate), converted: convertedOfLeads(cur, locale) })),
    figure: tr('kpi.conversion.figure', { rate: k.pct(cur.rate), converted: convertedOfLeads(cur, locale), period }),
    comparisons: comparisonLines(report, ctx),
    insights: [leadsBasisLine(cur, locale), tr('kpi.conversion.reading', { reading: escapeMrkdwn(reading) }), winRate],
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
export function leadsBasisLine(f: TConversionFigures, locale: TLocale = 'en'): string {
  const n = (x: number) => formatCountL(locale, x);
  const covered = f.coveredLogged ?? 0;
  const logged = f.loggedLeads ?? f.dealsCreated;
  const raised = f.raised ? t(locale, 'kpi.conversion.raised') : '';
  const coveredNote = covered > 0 ? t(locale, 'kpi.conversion.covered', { covered }) : '';
  switch (f.leadsSource) {
    case 'lead-counts':
      return t(locale, 'kpi.conversion.basisCounts', { bulk: n(f.bulkLeads), covered: coveredNote, raised });
    case 'mixed':
      return t(locale, 'kpi.conversion.basisMixed', { bulk: n(f.bulkLeads), logged: n(logged), covered: coveredNote, raised });
    case 'deals':
      return t(locale, 'kpi.conversion.basisDeals', { logged });
  }
}

function comparisonLines(report: TConversionReport, ctx: TKpiBlockContext): string[] {
  const k = kitOf(ctx);
  const { tr, locale } = k;
  const lines: string[] = [];
  const cur = report.current.rate;
  if (report.previous) {
    const p = report.previous;
    if (p.rate === null) lines.push(tr('kpi.conversion.vsNone', { label: prevLabel(ctx) }));
    else {
      const change = cur === null ? null : pointsChange(cur - p.rate, locale);
      lines.push(tr('kpi.conversion.vs', { label: prevLabel(ctx), rate: k.pct(p.rate), converted: convertedOfLeads(p, locale), change: k.change(change) }));
    }
  }
  if (report.trailing.length > 0) {
    const avg = report.trailingAverage;
    if (avg.rate === null) lines.push(tr('kpi.conversion.vsNone', { label: trailLabel(ctx) }));
    else {
      const change = pointsChange(report.deltaVsTrailing, locale);
      lines.push(tr('kpi.conversion.vsAverage', { label: trailLabel(ctx), rate: k.pct(avg.rate), converted: convertedOfLeads(avg, locale), change: k.change(change) }));
    }
  }
  return lines;
}
