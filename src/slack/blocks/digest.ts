import type { KnownBlock } from '@slack/types';
import { buildChartBlock } from '../../charts/chart-url.js';
import { attainmentChart, funnelChart, revenueTrendChart, type TFunnelStage, type TRepAttainmentBar, type TRevenueWeek } from '../../charts/configs.js';
import { stageLabel } from '../../domain/deals/stages.js';
import type { TDigestAlerts, TDigestKpi, TDigestPacing, TWeeklyDigestData } from '../../domain/digests/digest-data.js';
import type { TTopMovers } from '../../domain/digests/top-movers.js';
import { DIGEST_KPIS } from '../../domain/digests/digest-data.js';
import type {
  TConversionReport,
  TDealSizeReport,
  TFunnelReport,
  TMrrReport,
  TQuotaReport,
  TRevenueReport,
  TWinRateReport,
} from '../../domain/metrics/kpi-report.js';
import { periodPhase } from '../../domain/metrics/scope.js';
import { formatCount, formatMoney, formatPercent } from '../../domain/money.js';
import { formatInstant, periodOf, previousPeriod } from '../../domain/periods.js';
import type { TBuildDigest } from '../../domain/digests/run-digest.js';
import type { SlackMessage } from '../gateway.js';
import { fitLines } from './alerts.js';
import { localDigestTexts, type TDigestTexts } from './digest-local.js';
import { movementsText, retentionText } from './kpi/mrr-movements.js';
import { escapeMrkdwn, LIMITS, truncate } from './limits.js';
import { context, header, section } from './messages.js';

/**
 * The weekly digest message (SPEC §4), built from figures only: header with the week and zone,
 * late/preview notes, one section per subscribed KPI (last week vs the week before and vs the
 * average of the trailing weeks, both named by the comparison policy's words in `d.comparison` and
 * computed in the domain: nothing is averaged here), month- and quarter-to-date pacing against quota, top movers, the three charts,
 * then the alerts. Every text is cut to its Block Kit limit, and the whole message is kept under
 * `DIGEST_MESSAGE_BUDGET` characters of block JSON: the alert list shrinks first, then charts are
 * dropped from the last one.
 */

/**
 * Characters of block JSON a digest may use. Slack rejects messages with `msg_blocks_too_long`
 * well before 50 × 3,000 characters (seen near 13k, BLOCK_KIT_LIMITS.md).
 */
export const DIGEST_MESSAGE_BUDGET = 12_000;

// ---------------------------------------------------------------------------------------------
// Wording
// ---------------------------------------------------------------------------------------------

/**
 * A relative change with an arrow: `↑ 20.0%`, `↓ 5.0%`, `→ 0.0%`; null when unknown.
 *
 * @example
 * arrowPercent(0.2); // '↑ 20.0%'
 * arrowPercent(-0.05); // '↓ 5.0%'
 * arrowPercent(null); // null
 */
export function arrowPercent(change: number | null): string | null {
  if (change === null || !Number.isFinite(change)) return null;
  if (Math.round(Math.abs(change) * 1000) === 0) return '→ 0.0%';
  return `${change > 0 ? '↑' : '↓'} ${formatPercent(Math.abs(change))}`;
}

/**
 * A difference of two ratios in points with an arrow: `↑ 2.5 pts`, `↓ 1.0 pt`, `→ 0.0 pts`.
 *
 * @example
 * arrowPoints(0.025); // '↑ 2.5 pts'
 * arrowPoints(-0.01); // '↓ 1.0 pt'
 */
export function arrowPoints(delta: number | null): string | null {
  if (delta === null || !Number.isFinite(delta)) return null;
  const pts = Math.round(Math.abs(delta) * 1000) / 10;
  if (pts === 0) return '→ 0.0 pts';
  return `${delta > 0 ? '↑' : '↓'} ${pts.toFixed(1)} ${pts === 1 ? 'pt' : 'pts'}`;
}

/**
 * A money difference with an arrow: `↑ $1,000`, `↓ $250`.
 *
 * @example
 * arrowMoney(100_000n, 'USD'); // '↑ $1,000'
 */
export function arrowMoney(deltaMinor: bigint | null, currency: string): string | null {
  if (deltaMinor === null) return null;
  if (deltaMinor === 0n) return `→ ${formatMoney(0n, currency)}`;
  return `${deltaMinor > 0n ? '↑' : '↓'} ${formatMoney(deltaMinor < 0n ? -deltaMinor : deltaMinor, currency)}`;
}

function rel(a: bigint | null, b: bigint | null): number | null {
  if (a === null || b === null || b === 0n) return null;
  return Number(a - b) / Math.abs(Number(b));
}

/** `↑ 20.0% vs the week before ($10,000)`, or `Week before: $10,000` when there is no change to show. */
function vs(arrow: string | null, what: string, shown: string): string {
  if (arrow) return `${arrow} vs ${what} (${shown})`;
  const bare = what.replace(/^the /, '');
  return `${bare.charAt(0).toUpperCase()}${bare.slice(1)}: ${shown}`;
}

function reps(n: number): string {
  return `${formatCount(n)} ${n === 1 ? 'rep' : 'reps'}`;
}

/** `the week before`: the policy's previous-period words. */
const before = (d: TWeeklyDigestData) => d.comparison.previousLabel;
/** `the average of the 4 weeks before`: the policy's trailing words. */
const average = (d: TWeeklyDigestData) => `the average of ${d.comparison.trailingLabel}`;

function comparisonLine(parts: ReadonlyArray<string | null>): string {
  return parts.filter((p): p is string => p !== null).join(' · ');
}

// ---------------------------------------------------------------------------------------------
// KPI sections
// ---------------------------------------------------------------------------------------------

function revenueSection(d: TWeeklyDigestData): string {
  const r = d.revenue;
  const c = d.currency;
  const cur = r.current.netMinor;
  const prev = r.previous?.netMinor ?? null;
  const avg = r.trailingAverageNetMinor;
  const head = `*Net revenue* ${formatMoney(cur, c)}${r.current.refundsMinor > 0n ? ` (${formatMoney(r.current.wonMinor, c)} won − ${formatMoney(r.current.refundsMinor, c)} refunds)` : ''}`;
  const line = comparisonLine([
    prev === null ? null : vs(arrowPercent(prev > 0n ? rel(cur, prev) : null), before(d), formatMoney(prev, c)),
    avg === null ? null : vs(arrowPercent(r.changeVsTrailing), average(d), formatMoney(avg, c)),
  ]);
  return line ? `${head}\n${line}` : head;
}

function winRateSection(d: TWeeklyDigestData): string {
  const r = d.winrate;
  const head =
    r.current.rate === null
      ? `*Win rate* n/a (no deals closed last week)`
      : `*Win rate* ${formatPercent(r.current.rate)} (${formatCount(r.current.won)} won / ${formatCount(r.current.closed)} closed)`;
  const line = comparisonLine([
    r.previous && r.previous.rate !== null ? vs(arrowPoints(r.deltaVsPrevious), before(d), formatPercent(r.previous.rate)) : null,
    r.trailingAverage.rate !== null ? vs(arrowPoints(r.deltaVsTrailing), average(d), formatPercent(r.trailingAverage.rate)) : null,
  ]);
  return line ? `${head}\n${line}` : head;
}

function conversionSection(d: TWeeklyDigestData): string | null {
  const r = d.conversion;
  if (!r) return null;
  const head =
    r.current.rate === null
      ? '*Lead conversion rate* n/a (no leads last week)'
      : `*Lead conversion rate* ${formatPercent(r.current.rate)} (${formatCount(r.current.converted)} of ${formatCount(r.current.leads)} leads won)`;
  const line = comparisonLine([
    r.previous && r.previous.rate !== null ? vs(arrowPoints(r.deltaVsPrevious), before(d), formatPercent(r.previous.rate)) : null,
    r.trailingAverage.rate !== null ? vs(arrowPoints(r.deltaVsTrailing), average(d), formatPercent(r.trailingAverage.rate)) : null,
  ]);
  return line ? `${head}\n${line}` : head;
}

function dealSizeSection(d: TWeeklyDigestData): string {
  const r = d.dealsize;
  const c = d.currency;
  const cur = r.current.averageMinor;
  const head = cur === null ? '*Average deal size* n/a (no deals won last week)' : `*Average deal size* ${formatMoney(cur, c)} (${formatCount(r.current.wonCount)} won)`;
  const avg = r.trailingAverage.averageMinor;
  const prev = r.previous?.averageMinor ?? null;
  const line = comparisonLine([
    prev === null ? null : vs(arrowPercent(r.changeVsPrevious), before(d), formatMoney(prev, c)),
    avg === null ? null : vs(arrowPercent(r.changeVsTrailing), average(d), formatMoney(avg, c)),
  ]);
  const notes: string[] = [];
  if (r.repsBelowAverage.length > 0) notes.push(`${formatCount(r.repsBelowAverage.length)} of ${reps(r.byRep.length)} below the group average`);
  if (r.oversizedDeals.length > 0) {
    const n = r.oversizedDeals.length;
    // The week is over: say whether these are the deals open at its end or the ones open now.
    const when = r.openDealsAsOf.getTime() < r.generatedAt.getTime() ? `${n === 1 ? 'was' : 'were'} open at the end of the week` : `${n === 1 ? 'is' : 'are'} open now`;
    notes.push(`${formatCount(n)} deal${n === 1 ? '' : 's'} ≥ ${r.oversizeMultiplePct / 100}× the usual size ${when}`);
  }
  return [head, line, notes.join(' · ')].filter(Boolean).join('\n');
}

function quotaSection(d: TWeeklyDigestData): string | null {
  const q = d.quotaWeeks;
  if (!q) return null;
  const t = q.current.total;
  const c = d.currency;
  if (t.attainment === null || t.quotaMinor === null) return '*Quota attainment* n/a (no quota covers last week: `/kpi quota set @rep 50k month`)';
  const head = `*Quota attainment* ${formatPercent(t.attainment)} (${formatMoney(t.netWonMinor, c)} of ${formatMoney(t.quotaMinor, c)} pro-rated to the week)`;
  const prev = q.previous?.total.attainment ?? null;
  const line = comparisonLine([
    prev === null ? null : vs(arrowPoints(t.attainment - prev), before(d), formatPercent(prev)),
    q.trailingAverage === null ? null : vs(arrowPoints(t.attainment - q.trailingAverage), average(d), formatPercent(q.trailingAverage)),
  ]);
  return line ? `${head}\n${line}` : head;
}

function funnelSection(d: TWeeklyDigestData): string {
  const r = d.funnel;
  const f = r.funnel;
  const entered = f.reachedCounts[0] ?? 0;
  const won = f.reachedCounts[f.reachedCounts.length - 1] ?? 0;
  const head = entered === 0 ? '*Sales funnel* no new deals entered last week' : `*Sales funnel* ${formatCount(entered)} entered → ${formatCount(won)} won (${formatPercent(f.overallRate)})`;
  const trailingAvg = r.trailingOverallRate;
  const prev = r.previous?.overallRate ?? null;
  const line = comparisonLine([
    prev === null || f.overallRate === null ? null : vs(arrowPoints(f.overallRate - prev), before(d), formatPercent(prev)),
    trailingAvg === null || f.overallRate === null ? null : vs(arrowPoints(f.overallRate - trailingAvg), average(d), formatPercent(trailingAvg)),
  ]);
  let leak = '';
  if (r.leak) {
    const step = `${stageLabel(r.leak.step.from)} → ${stageLabel(r.leak.step.to)}`;
    const cmp = r.leak.comparison;
    const against = cmp.trailingAverage !== null && cmp.delta !== null ? ` (${arrowPoints(cmp.delta)} vs its average of ${d.comparison.trailingLabel}, ${formatPercent(cmp.trailingAverage)})` : '';
    leak = `Biggest leak: ${escapeMrkdwn(step)} ${formatPercent(r.leak.step.rate)}${against}`;
  }
  return [head, line, leak].filter(Boolean).join('\n');
}

function mrrSection(d: TWeeklyDigestData): string | null {
  const r = d.mrr;
  if (!r) return null;
  const c = d.currency;
  const head = `*MRR* ${formatMoney(r.current.mrrMinor, c)} (ARR ${formatMoney(r.current.arrMinor, c)}, ${formatCount(r.current.subscriptions)} subscriptions)`;
  const avg = r.trailingAverageMrrMinor;
  const line = comparisonLine([
    r.previous ? vs(arrowMoney(r.changeVsPreviousMinor, c), before(d), formatMoney(r.previous.mrrMinor, c)) : null,
    avg === null ? null : vs(arrowMoney(r.changeVsTrailingMinor, c), average(d), formatMoney(avg, c)),
  ]);
  const m = r.movements;
  const retention = retentionText(r.retention, m);
  const moved = m.startMrrMinor !== 0n || m.endMrrMinor !== 0n ? `Movements: ${escapeMrkdwn(movementsText(m, c))}${retention ? `\n${escapeMrkdwn(retention)}` : ''}` : '';
  return [head, line, moved].filter(Boolean).join('\n');
}

const KPI_SECTIONS: Readonly<Record<TDigestKpi, (d: TWeeklyDigestData) => string | null>> = {
  revenue: revenueSection,
  winrate: winRateSection,
  conversion: conversionSection,
  dealsize: dealSizeSection,
  quota: quotaSection,
  funnel: funnelSection,
  mrr: mrrSection,
};

// ---------------------------------------------------------------------------------------------
// Pacing, movers, alerts
// ---------------------------------------------------------------------------------------------

const PACE_WORDS = { 'on-track': ':large_green_circle: on track', behind: ':large_yellow_circle: behind', 'at-risk': ':red_circle: at risk' } as const;

function pacingLine(p: TDigestPacing, currency: string): string {
  const r = p.report;
  // Pacing only means something while the period runs; an ended one is told as finished.
  const ended = periodPhase(r.range, r.generatedAt) === 'ended';
  const label = ended ? `*${escapeMrkdwn(p.label)}* (ended)` : `*${escapeMrkdwn(p.label)}* to date (${formatPercent(r.elapsedShare, 0)} elapsed)`;
  if (r.total.quotaMinor === null || r.total.attainment === null) return `• ${label}: no quota set${ended ? '' : ' — \`/kpi quota set @rep 50k month\`'}`;
  const pace = r.totalPacing;
  let line: string;
  if (ended) {
    line = `• ${label}: finished at ${formatPercent(r.total.attainment)} of quota — ${formatMoney(r.total.netWonMinor, currency)} of ${formatMoney(r.total.quotaMinor, currency)}`;
  } else {
    const expected = pace.expectedToDateMinor !== null ? `, expected ${formatMoney(pace.expectedToDateMinor, currency)} by now` : '';
    const status = pace.status ? ` — ${PACE_WORDS[pace.status]}` : '';
    line = `• ${label}: ${formatMoney(r.total.netWonMinor, currency)} of ${formatMoney(r.total.quotaMinor, currency)} (${formatPercent(r.total.attainment)})${expected}${status}`;
  }
  if (r.ratio.ratio !== null) {
    const band = r.band;
    const low = formatPercent(band.lowBp / 10_000, 0);
    const high = formatPercent(band.highBp / 10_000, 0);
    const reading =
      band.band === 'unrealistic' ? `below the ${low}–${high} band: ${band.advice}` : band.band === 'too-easy' ? `above the ${low}–${high} band: ${band.advice}` : `inside the ${low}–${high} band`;
    line += `\n   Attainment ratio ${formatPercent(r.ratio.ratio)} (${formatCount(r.ratio.atOrAbove)} of ${reps(r.ratio.withQuota)} at 100%+), ${reading}`;
    const atRisk = ended ? 0 : r.reps.filter((x) => x.pacing.status === 'at-risk').length;
    if (atRisk > 0) line += ` · ${reps(atRisk)} at risk`;
  }
  return line;
}

function moversSection(d: TWeeklyDigestData): string | null {
  const { up, down } = d.movers;
  if (up.length === 0 && down.length === 0) return null;
  const c = d.currency;
  const fmt = (m: TTopMovers['up'][number]) =>
    `${escapeMrkdwn(truncate(m.rep.name || 'Unnamed rep', 40))} ${m.deltaMinor > 0n ? '+' : '−'}${formatMoney(m.deltaMinor < 0n ? -m.deltaMinor : m.deltaMinor, c)} (${formatMoney(m.netWonMinor, c)})`;
  const lines = [`*Top movers* (net won vs ${before(d)})`];
  if (up.length) lines.push(`↑ ${up.map(fmt).join(' · ')}`);
  if (down.length) lines.push(`↓ ${down.map(fmt).join(' · ')}`);
  return lines.join('\n');
}

function alertsText(a: TDigestAlerts, preview: boolean, maxChars: number): string {
  if (a.failed) return '*Alerts*\n:warning: The alert rules could not be evaluated this time; `/kpi alerts` shows the latest ones.';
  const snoozed = a.snoozed > 0 ? ` · ${formatCount(a.snoozed)} snoozed` : '';
  if (a.items.length === 0) return `*Alerts*: none${preview ? ' right now' : ' this week'}${snoozed}.`;
  const fresh = a.items.filter((i) => i.isNew).length;
  const headWord = preview ? `${formatCount(a.items.length)} breached now` : `${formatCount(fresh)} new, ${formatCount(a.items.length - fresh)} still active`;
  const lines = a.items.map((i) => `${i.isNew ? ':rotating_light:' : ':warning:'} *${escapeMrkdwn(i.title)}*: ${escapeMrkdwn(i.message)}`);
  return `*Alerts* (${headWord}${snoozed})\n${fitLines(lines, maxChars)}`;
}

// ---------------------------------------------------------------------------------------------
// Charts and assembly
// ---------------------------------------------------------------------------------------------

function chartBlocks(d: TWeeklyDigestData): KnownBlock[] {
  const baseUrl = d.quickchartUrl;
  if (!baseUrl) return [];
  const out: KnownBlock[] = [];
  const add = (chart: { config: Parameters<typeof buildChartBlock>[0]['config']; altText: string; empty: boolean }, title: string) => {
    if (chart.empty) return;
    const block = buildChartBlock({ config: chart.config, altText: chart.altText, title, baseUrl });
    if (block) out.push(block);
  };
  add(revenueTrendChart({ weeks: d.charts.revenueWeeks, currency: d.currency, averageLabel: d.comparison.trailingLabel }), `Net revenue per week, last ${Math.min(12, d.charts.revenueWeeks.length)} weeks`);
  add(funnelChart({ stages: d.charts.funnelStages, ...(d.charts.funnelLeakIndex !== undefined ? { leakIndex: d.charts.funnelLeakIndex } : {}) }), `Funnel, ${d.weekLabel}`);
  add(attainmentChart({ reps: d.charts.attainment }), `Quota attainment per rep, ${d.charts.attainmentLabel}`);
  return out;
}

/**
 * The digest title.
 *
 * @example
 * digestTitle('week of Nov 23, 2026', 'Europe/Berlin'); // 'Weekly sales digest — week of Nov 23, 2026 (Europe/Berlin)'
 */
export function digestTitle(weekLabel: string, timeZone: string): string {
  return `Weekly sales digest — ${weekLabel} (${timeZone})`;
}

/**
 * The plain-text fallback: the headline figures, the period and the zone (and late/preview).
 *
 * @example
 * digestFallbackText(data);
 * // 'Weekly sales digest — week of Nov 23, 2026 (Europe/Berlin), all reps: net revenue $12,000 (↑ 20.0% vs the week before); win rate 37.5%; …; 2 alerts.'
 */
export function digestFallbackText(d: TWeeklyDigestData): string {
  const c = d.currency;
  const shown = DIGEST_KPIS.filter((k) => d.kpis.includes(k));
  const parts: string[] = [];
  for (const k of shown) {
    switch (k) {
      case 'revenue': {
        const ch = arrowPercent(d.revenue.previous && d.revenue.previous.netMinor > 0n ? rel(d.revenue.current.netMinor, d.revenue.previous.netMinor) : null);
        parts.push(`net revenue ${formatMoney(d.revenue.current.netMinor, c)}${ch ? ` (${ch} vs ${before(d)})` : ''}`);
        break;
      }
      case 'winrate':
        parts.push(`win rate ${formatPercent(d.winrate.current.rate)}`);
        break;
      case 'conversion':
        if (d.conversion) parts.push(`lead conversion ${formatPercent(d.conversion.current.rate)}`);
        break;
      case 'dealsize':
        parts.push(`average deal ${d.dealsize.current.averageMinor === null ? 'n/a' : formatMoney(d.dealsize.current.averageMinor, c)}`);
        break;
      case 'quota':
        if (d.quotaWeeks) parts.push(`quota attainment ${formatPercent(d.quotaWeeks.current.total.attainment)}`);
        break;
      case 'funnel':
        parts.push(d.funnel.funnel.overallRate === null ? 'funnel: no new deals' : `funnel ${formatPercent(d.funnel.funnel.overallRate)} won`);
        break;
      case 'mrr':
        if (d.mrr) parts.push(`MRR ${formatMoney(d.mrr.current.mrrMinor, c)}`);
        break;
    }
  }
  const mtd = d.pacing[0];
  if (mtd && mtd.report.total.attainment !== null) {
    const ended = periodPhase(mtd.report.range, mtd.report.generatedAt) === 'ended';
    parts.push(`${mtd.label} ${ended ? 'finished at' : 'to date'} ${formatPercent(mtd.report.total.attainment)} of quota`);
  }
  if (!d.alerts.failed) parts.push(`${formatCount(d.alerts.items.length)} alert${d.alerts.items.length === 1 ? '' : 's'}`);
  const prefix = d.preview ? '[Preview] ' : '';
  const late = d.late ? ` Posted late because the app was down; scheduled for ${formatInstant(d.late.scheduledFor, d.timeZone)}.` : '';
  // Read as mrkdwn: the scope is a team name someone typed.
  return truncate(escapeMrkdwn(`${prefix}${digestTitle(d.weekLabel, d.timeZone)}, ${d.scopeLabel}: ${parts.join('; ')}.${late}`), 3000);
}

const size = (blocks: readonly KnownBlock[]) => JSON.stringify(blocks).length;

/**
 * Builds the digest message from its figures (pure; chart URLs are computed, not fetched).
 *
 * @example
 * const { text, blocks } = buildWeeklyDigestMessage(data);
 * findLimitViolations(blocks); // []
 */
export function buildWeeklyDigestMessage(d: TWeeklyDigestData): SlackMessage {
  const locale = d.locale ?? 'en';
  const x = locale === 'en' ? englishTexts(d) : localDigestTexts(d, locale);
  const head: KnownBlock[] = [header(x.title), context(...x.notes)];

  const body: KnownBlock[] = x.kpiTexts.map((t) => section(t));
  if (x.pacing) body.push(section(x.pacing));
  if (x.movers) body.push(section(x.movers));

  let charts = x.charts();
  const footer = context(x.footer);
  const divider: KnownBlock = { type: 'divider' };

  const assemble = (alertChars: number): KnownBlock[] => [
    ...head,
    divider,
    ...body,
    ...(charts.length ? [divider, ...charts] : []),
    divider,
    section(x.alerts(alertChars)),
    footer,
  ];
  let alertChars = LIMITS.sectionText - 120;
  let blocks = assemble(alertChars);
  while (size(blocks) > DIGEST_MESSAGE_BUDGET && alertChars > 600) {
    alertChars = Math.max(600, alertChars - 600);
    blocks = assemble(alertChars);
  }
  while (size(blocks) > DIGEST_MESSAGE_BUDGET && charts.length > 0) {
    charts = charts.slice(0, -1);
    blocks = assemble(alertChars);
  }
  return { text: x.fallback, blocks: blocks.slice(0, LIMITS.messageBlocks) };
}

/** The English texts (this file's wording, unchanged by issue #12). */
function englishTexts(d: TWeeklyDigestData): TDigestTexts {
  const notes: string[] = [`:busts_in_silhouette: ${escapeMrkdwn(d.scopeLabel)} · weeks run Monday–Sunday in ${escapeMrkdwn(d.timeZone)}`];
  if (d.late) notes.push(`:hourglass: Posted late because the app was down; scheduled for ${escapeMrkdwn(formatInstant(d.late.scheduledFor, d.timeZone))}.`);
  if (d.preview) notes.push(':eyes: *Preview* — only you can see this; it changes no alert state.');
  const kpiTexts = DIGEST_KPIS.filter((k) => d.kpis.includes(k))
    .map((k) => KPI_SECTIONS[k](d))
    .filter((t): t is string => t !== null && t.trim() !== '');
  return {
    title: digestTitle(d.weekLabel, d.timeZone),
    notes,
    kpiTexts,
    pacing: d.pacing.length > 0 ? `*Pacing against quota*\n${d.pacing.map((p) => pacingLine(p, d.currency)).join('\n')}` : null,
    movers: moversSection(d),
    alerts: (maxChars) => alertsText(d.alerts, d.preview, maxChars),
    charts: () => chartBlocks(d),
    footer: `Generated ${escapeMrkdwn(formatInstant(d.generatedAt, d.timeZone))} · thresholds and snoozes: \`/kpi alerts\` · preview: \`/kpi digest\``,
    fallback: digestFallbackText(d),
  };
}

/**
 * Placeholder content until the KPI digest builder is wired: a plain header naming the channel,
 * the week covered and the zone, plus a "posted late" note after downtime.
 *
 * @example
 * await buildHeaderOnlyDigest(subscription, { scheduledFor: new Date('2026-11-30T08:00:00Z'), timeZone: 'Europe/Berlin', late: false, ... });
 * // { text: 'Weekly sales digest for <#C123> — week of Nov 23, 2026 (Europe/Berlin)', blocks: [...] }
 */
export const buildHeaderOnlyDigest: TBuildDigest = async (subscription, slot) => {
  const ctx = { now: slot.scheduledFor, timeZone: slot.timeZone, fiscalYearStartMonth: subscription.workspace.fiscalYearStartMonth };
  const week = previousPeriod(periodOf('week', slot.scheduledFor, ctx), ctx);
  const text = `Weekly sales digest for <#${subscription.channelId}> — ${week.label} (${slot.timeZone})`;
  const notes: string[] = [];
  if (slot.late) notes.push(`:hourglass: Posted late: this digest was due ${formatInstant(slot.scheduledFor, slot.timeZone)}.`);
  if (slot.preview) notes.push(':eyes: Preview — only you can see this.');
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*${text}*` } }];
  if (notes.length > 0) blocks.push({ type: 'context', elements: notes.map((n) => ({ type: 'mrkdwn', text: n })) });
  return { text: slot.late ? `${text} (posted late)` : text, blocks };
};
