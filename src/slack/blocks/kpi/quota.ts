import type { TAttainmentBandReading } from '../../../domain/metrics/attainment.js';
import { formatCount, formatPercent } from '../../../domain/money.js';
import type { TQuotaReport, TRepQuotaLine } from '../../../domain/metrics/kpi-report.js';
import type { TPacing, TPaceStatus } from '../../../domain/metrics/pacing.js';
import type { SlackMessage } from '../../gateway.js';
import { escapeMrkdwn } from '../limits.js';
import { assembleKpiMessage, bullet, fallbackHead, KPI_TITLES, listSections, money, pct, phaseOf, plural, repName, type TKpiBlockContext } from './common.js';

const PACE_WORDS: Readonly<Record<TPaceStatus, string>> = { 'on-track': 'on track', behind: 'behind', 'at-risk': 'at risk' };

/** `60%` from basis points. */
function bp(b: number): string {
  return formatPercent(b / 10_000, b % 100 === 0 ? 0 : 1);
}

/**
 * The SPEC §1.1 band of the attainment ratio with its advice, e.g.
 * `:warning: *Below 60%:* quotas look unrealistic: hire, coach, or revisit pay and targets.`
 *
 * @example
 * attainmentBandLine(classifyAttainmentRatio(0.9)); // ':warning: *90% or more* of reps at quota: quotas may be too easy: review target setting.'
 */
export function attainmentBandLine(band: TAttainmentBandReading): string | null {
  switch (band.band) {
    case 'unrealistic':
      return `:warning: *Below ${bp(band.lowBp)}* of reps at quota: ${band.advice ?? ''}.`;
    case 'healthy':
      return `:white_check_mark: *Between ${bp(band.lowBp)} and ${bp(band.highBp)}* of reps at quota: healthy. Quotas stretch people without being out of reach.`;
    case 'too-easy':
      return `:warning: *${bp(band.highBp)} or more* of reps at quota: ${band.advice ?? ''}.`;
    default:
      return null;
  }
}

function paceLine(p: TPacing, currency: string): string | null {
  if (p.status === null || p.expectedToDateMinor === null) return null;
  const projected = p.projectedMinor === null ? '' : `, heading for ${money(p.projectedMinor, currency)} by the end`;
  return `Pace: *${PACE_WORDS[p.status]}* — ${money(p.expectedToDateMinor, currency)} expected by now (${formatPercent(p.elapsedShare)} of the period gone)${projected}`;
}

function repLine(l: TRepQuotaLine, currency: string, running: boolean): string {
  const net = money(l.netWonMinor, currency);
  if (l.attainment.attainment === null || l.attainment.quotaMinor === null) return bullet(`${repName(l.rep)}: ${net} net won, no quota`);
  const pace = running && l.pacing.status ? ` · ${PACE_WORDS[l.pacing.status]}` : '';
  return bullet(`${repName(l.rep)}: *${pct(l.attainment.attainment)}* — ${net} of ${money(l.attainment.quotaMinor, currency)}${pace}`);
}

/**
 * The `/kpi quota` answer: the attainment ratio (share of reps with a quota at or above 100%) with
 * its band and advice, the scope's total attainment and pace, and every rep's attainment.
 *
 * @example
 * buildQuotaMessage(report, ctx).text; // 'Quota attainment (November 2026, UTC): 60.0% of reps at or above quota (3 of 5) — healthy'
 */
export function buildQuotaMessage(report: TQuotaReport, ctx: TKpiBlockContext): SlackMessage {
  const title = KPI_TITLES.quota;
  const head = fallbackHead(title, report.scope, ctx);
  const period = escapeMrkdwn(ctx.periodLabel);
  const cur = report.currency;
  const total = report.total;
  const phase = phaseOf(report);
  const running = phase === 'running';
  const totalLines: string[] = [];
  if (total.attainment !== null && total.quotaMinor !== null) {
    const who = report.scope.kind === 'rep' ? 'Overall' : 'Team total';
    const gap = total.gapMinor && total.gapMinor > 0n ? total.gapMinor : null;
    if (phase === 'ended') {
      // A closed period is told as finished: where it ended up, never a pace or a projection.
      totalLines.push(`${who}: finished ${period} at *${pct(total.attainment)}* of quota — ${money(total.netWonMinor, cur)} net won of ${money(total.quotaMinor, cur)}${gap ? ` · ${money(gap, cur)} short` : ' · quota reached'}`);
    } else {
      totalLines.push(`${who}: *${pct(total.attainment)}* — ${money(total.netWonMinor, cur)} net won of ${money(total.quotaMinor, cur)}${gap ? ` · ${money(gap, cur)} to go` : ' · quota reached'}`);
      const pace = running ? paceLine(report.totalPacing, cur) : null;
      if (pace) totalLines.push(pace);
    }
  }
  const lines = report.reps.map((l) => repLine(l, cur, running));
  const details = lines.length > 0 ? listSections('*By rep*', lines, { maxSections: 2 }) : [];
  const notes = [
    running
      ? 'Attainment ratio = share of reps with a quota whose net won revenue reached it. Pace: on track at 95% of the expected-to-date amount or more, at risk below 75%.'
      : 'Attainment ratio = share of reps with a quota whose net won revenue reached it.',
  ];
  const ratio = report.ratio;
  if (ratio.ratio === null) {
    const had = phase === 'ended' ? 'had' : 'has';
    return assembleKpiMessage(report, ctx, {
      title,
      text: `${head}: no rep ${had} a quota for ${ctx.periodLabel}${phase === 'ended' ? '' : ' yet'}`,
      figure: `No rep ${had} a quota for ${period}${phase === 'ended' ? '' : ' yet'}, so there is no attainment ratio.${running ? ' A manager can set one with \`/kpi quota set @rep 50k month\`.' : ''}`,
      comparisons: totalLines,
      details,
      notes,
    });
  }
  const band = report.band.band === 'healthy' ? 'healthy' : report.band.band === 'unrealistic' ? 'quotas look unrealistic' : report.band.band === 'too-easy' ? 'quotas may be too easy' : '';
  return assembleKpiMessage(report, ctx, {
    title,
    text: `${head}: ${pct(ratio.ratio)} of reps at or above quota (${ratio.atOrAbove} of ${ratio.withQuota})${band ? ` — ${band}` : ''}`,
    figure: `*${pct(ratio.ratio)}* of reps with a quota reached it in ${period} — ${formatCount(ratio.atOrAbove)} of ${plural(ratio.withQuota, 'rep', 'reps')}`,
    comparisons: totalLines,
    insights: [attainmentBandLine(report.band) ?? ''],
    details,
    notes,
  });
}
