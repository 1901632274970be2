import type { TAttainmentBandReading } from '../../../domain/metrics/attainment.js';
import type { TQuotaReport, TRepQuotaLine } from '../../../domain/metrics/kpi-report.js';
import type { TPacing } from '../../../domain/metrics/pacing.js';
import { formatPercentL } from '../../../i18n/format.js';
import type { TLocale } from '../../../i18n/locales.js';
import { t } from '../../../i18n/t.js';
import type { SlackMessage } from '../../gateway.js';
import { escapeMrkdwn } from '../limits.js';
import { assembleKpiMessage, bullet, fallbackHead, kitOf, kpiTitle, listSections, phaseOf, repName, type TKpiBlockContext, type TKpiKit } from './common.js';

/** `60%` from basis points. */
function bp(b: number, locale: TLocale): string {
  return formatPercentL(locale, b / 10_000, b % 100 === 0 ? 0 : 1);
}

/**
 * The SPEC §1.1 band of the attainment ratio with its advice, e.g.
 * `:warning: *Below 60%:* quotas look unrealistic: hire, coach, or revisit pay and targets.`
 *
 * @example
 * attainmentBandLine(classifyAttainmentRatio(0.9)); // ':warning: *90% or more* of reps at quota: quotas may be too easy: review target setting.'
 */
export function attainmentBandLine(band: TAttainmentBandReading, locale: TLocale = 'en'): string | null {
  switch (band.band) {
    case 'unrealistic':
      return t(locale, 'kpi.quota.bandLow', { low: bp(band.lowBp, locale), advice: t(locale, 'kpi.quota.adviceLow') });
    case 'healthy':
      return t(locale, 'kpi.quota.bandHealthy', { low: bp(band.lowBp, locale), high: bp(band.highBp, locale) });
    case 'too-easy':
      return t(locale, 'kpi.quota.bandHigh', { high: bp(band.highBp, locale), advice: t(locale, 'kpi.quota.adviceHigh') });
    default:
      return null;
  }
}

function paceLine(p: TPacing, currency: string, k: TKpiKit): string | null {
  if (p.status === null || p.expectedToDateMinor === null) return null;
  const projected = p.projectedMinor === null ? '' : k.tr('kpi.quota.projected', { amount: k.money(p.projectedMinor, currency) });
  return k.tr('kpi.quota.paceLine', { status: k.tr(`kpi.quota.pace.${p.status}`), expected: k.money(p.expectedToDateMinor, currency), elapsed: k.pct(p.elapsedShare), projected });
}

function repLine(l: TRepQuotaLine, currency: string, running: boolean, k: TKpiKit): string {
  const net = k.money(l.netWonMinor, currency);
  const rep = repName(l.rep, k.locale);
  if (l.attainment.attainment === null || l.attainment.quotaMinor === null) return bullet(k.tr('kpi.quota.repNoQuota', { rep, net }));
  const pace = running && l.pacing.status ? ` · ${k.tr(`kpi.quota.pace.${l.pacing.status}`)}` : '';
  return bullet(k.tr('kpi.quota.repLine', { rep, rate: k.pct(l.attainment.attainment), net, quota: k.money(l.attainment.quotaMinor, currency), pace }));
}

/**
 * The `/kpi quota` answer: the attainment ratio (share of reps with a quota at or above 100%) with
 * its band and advice, the scope's total attainment and pace, and every rep's attainment.
 *
 * @example
 * buildQuotaMessage(report, ctx).text; // 'Quota attainment (November 2026, UTC): 60.0% of reps at or above quota (3 of 5) — healthy'
 */
export function buildQuotaMessage(report: TQuotaReport, ctx: TKpiBlockContext): SlackMessage {
  const k = kitOf(ctx);
  const { tr, locale } = k;
  const title = kpiTitle('quota', locale);
  const head = fallbackHead(title, report.scope, ctx);
  const period = escapeMrkdwn(ctx.periodLabel);
  const cur = report.currency;
  const total = report.total;
  const phase = phaseOf(report);
  const running = phase === 'running';
  const totalLines: string[] = [];
  if (total.attainment !== null && total.quotaMinor !== null) {
    const who = tr('kpi.quota.who', { scope: report.scope.kind });
    const gapMinor = total.gapMinor && total.gapMinor > 0n ? total.gapMinor : null;
    const values = { who, rate: k.pct(total.attainment), net: k.money(total.netWonMinor, cur), quota: k.money(total.quotaMinor, cur) };
    if (phase === 'ended') {
      // A closed period is told as finished: where it ended up, never a pace or a projection.
      totalLines.push(tr('kpi.quota.totalEnded', { ...values, period, gap: gapMinor ? tr('kpi.quota.short', { amount: k.money(gapMinor, cur) }) : tr('kpi.quota.reached') }));
    } else {
      totalLines.push(tr('kpi.quota.totalRunning', { ...values, gap: gapMinor ? tr('kpi.quota.toGo', { amount: k.money(gapMinor, cur) }) : tr('kpi.quota.reached') }));
      const pace = running ? paceLine(report.totalPacing, cur, k) : null;
      if (pace) totalLines.push(pace);
    }
  }
  const lines = report.reps.map((l) => repLine(l, cur, running, k));
  const details = lines.length > 0 ? listSections(tr('kpi.common.byRep'), lines, { maxSections: 2, locale }) : [];
  const notes = [tr(running ? 'kpi.quota.noteRunning' : 'kpi.quota.note')];
  const ratio = report.ratio;
  if (ratio.ratio === null) {
    return assembleKpiMessage(report, ctx, {
      title,
      text: k.line(head, tr('kpi.quota.noneText', { phase, period: ctx.periodLabel })),
      figure: tr('kpi.quota.noneFigure', { phase, period }),
      comparisons: totalLines,
      details,
      notes,
    });
  }
  const bandKind = report.band.band;
  const band = bandKind === 'healthy' || bandKind === 'unrealistic' || bandKind === 'too-easy' ? tr(`kpi.quota.band.${bandKind}`) : '';
  return assembleKpiMessage(report, ctx, {
    title,
    text: k.line(head, tr('kpi.quota.text', { rate: k.pct(ratio.ratio), at: ratio.atOrAbove, with: ratio.withQuota, band: k.change(band || null) })),
    figure: tr('kpi.quota.figure', { rate: k.pct(ratio.ratio), period, at: k.count(ratio.atOrAbove), with: ratio.withQuota }),
    comparisons: totalLines,
    insights: [attainmentBandLine(report.band, locale) ?? ''],
    details,
    notes,
  });
}
