import type { KnownBlock } from '@slack/types';
import { buildChartBlock } from '../../charts/chart-url.js';
import { attainmentChart, funnelChart, revenueTrendChart, type TChart } from '../../charts/configs.js';
import type { TDigestAlerts, TDigestKpi, TDigestPacing, TWeeklyDigestData } from '../../domain/digests/digest-data.js';
import { DIGEST_KPIS } from '../../domain/digests/digest-data.js';
import type { TTopMovers } from '../../domain/digests/top-movers.js';
import { periodPhase } from '../../domain/metrics/scope.js';
import { formatInstant, periodOf, previousPeriod } from '../../domain/periods.js';
import type { TBuildDigest } from '../../domain/digests/run-digest.js';
import { formatCountL, formatDateL, formatMoneyL, formatPercentL } from '../../i18n/format.js';
import { INTL_TAG, type TLocale } from '../../i18n/locales.js';
import { t, type TMessageKey, type TMessageValues } from '../../i18n/t.js';
import type { SlackMessage } from '../gateway.js';
import { fitLines } from './alerts.js';
import { localStageLabel } from './kpi/funnel.js';
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
 *
 * One builder for every language (issue #12): the words come from the catalog (`digest.*`,
 * src/i18n/catalog/digest) in `d.locale` (the workspace's; English when absent), numbers and
 * amounts from the locale's formats, and the `d.*Label`s arrive in the language already
 * (build-weekly-digest.ts). English is the app's wording from before the catalog, byte for byte
 * (test/unit/digest-golden.test.ts).
 */

/**
 * Characters of block JSON a digest may use. Slack rejects messages with `msg_blocks_too_long`
 * well before 50 × 3,000 characters (seen near 13k, BLOCK_KIT_LIMITS.md).
 */
export const DIGEST_MESSAGE_BUDGET = 12_000;

// ---------------------------------------------------------------------------------------------
// Wording
// ---------------------------------------------------------------------------------------------

/** The digest's words and numbers in one language. */
class DigestWords {
  constructor(readonly locale: TLocale) {}

  tr = (key: TMessageKey, values?: TMessageValues): string => t(this.locale, key, values);
  money = (minor: bigint, currency: string): string => formatMoneyL(this.locale, minor, currency);
  pct = (ratio: number | null | undefined, digits = 1): string => formatPercentL(this.locale, ratio, digits);
  count = (n: number): string => formatCountL(this.locale, n);
  reps = (n: number): string => this.tr('digest.reps', { count: n });

  /** `Mon, Nov 30, 2026 09:00 (Europe/Berlin)`, `30/11/2026 15:00`, `2026年11月30日 15:00`. */
  instant(at: Date, timeZone: string): string {
    if (this.locale === 'en') return formatInstant(at, timeZone);
    const time = new Intl.DateTimeFormat(INTL_TAG[this.locale], { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
    return `${formatDateL(this.locale, at, timeZone)} ${time}`;
  }

  /** `↑ 20.0%`, `↓ 5.0%`, `→ 0.0%`; null when unknown. */
  arrowPercent(change: number | null): string | null {
    if (change === null || !Number.isFinite(change)) return null;
    if (Math.round(Math.abs(change) * 1000) === 0) return `→ ${this.pct(0)}`;
    return `${change > 0 ? '↑' : '↓'} ${this.pct(Math.abs(change))}`;
  }

  /** `↑ 2.5 pts`, `↓ 1.0 pt`, `→ 0.0 pts`; null when unknown. */
  arrowPoints(delta: number | null): string | null {
    if (delta === null || !Number.isFinite(delta)) return null;
    const pts = Math.round(Math.abs(delta) * 1000) / 10;
    // English has always written points without grouping (`1234.5 pts`).
    const value = new Intl.NumberFormat(INTL_TAG[this.locale], { minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: this.locale !== 'en' }).format(pts);
    const arrow = pts === 0 ? '→' : delta > 0 ? '↑' : '↓';
    return `${arrow} ${this.tr('digest.points', { n: pts, value })}`;
  }

  /** `↑ $1,000`, `↓ $250`, `→ $0`; null when unknown. */
  arrowMoney(deltaMinor: bigint | null, currency: string): string | null {
    if (deltaMinor === null) return null;
    if (deltaMinor === 0n) return `→ ${this.money(0n, currency)}`;
    return `${deltaMinor > 0n ? '↑' : '↓'} ${this.money(deltaMinor < 0n ? -deltaMinor : deltaMinor, currency)}`;
  }

  /** `↑ 20.0% vs the week before ($10,000)`, or `Week before: $10,000` when there is no change to show. */
  vs(arrow: string | null, what: string, shown: string): string {
    if (arrow) return this.tr('digest.vs', { arrow, what, shown });
    // The bare label drops English's article: `Week before`, `Average of the 4 weeks before`.
    const bare = this.locale === 'en' ? what.replace(/^the /, '') : what;
    return this.tr('digest.bare', { what: `${bare.charAt(0).toUpperCase()}${bare.slice(1)}`, shown });
  }
}

const ENGLISH = new DigestWords('en');

/**
 * A relative change with an arrow (English): `↑ 20.0%`, `↓ 5.0%`, `→ 0.0%`; null when unknown.
 *
 * @example
 * arrowPercent(0.2); // '↑ 20.0%'
 * arrowPercent(-0.05); // '↓ 5.0%'
 * arrowPercent(null); // null
 */
export function arrowPercent(change: number | null): string | null {
  return ENGLISH.arrowPercent(change);
}

/**
 * A difference of two ratios in points with an arrow (English): `↑ 2.5 pts`, `↓ 1.0 pt`, `→ 0.0 pts`.
 *
 * @example
 * arrowPoints(0.025); // '↑ 2.5 pts'
 * arrowPoints(-0.01); // '↓ 1.0 pt'
 */
export function arrowPoints(delta: number | null): string | null {
  return ENGLISH.arrowPoints(delta);
}

/**
 * A money difference with an arrow (English): `↑ $1,000`, `↓ $250`.
 *
 * @example
 * arrowMoney(100_000n, 'USD'); // '↑ $1,000'
 */
export function arrowMoney(deltaMinor: bigint | null, currency: string): string | null {
  return ENGLISH.arrowMoney(deltaMinor, currency);
}

function rel(a: bigint | null, b: bigint | null): number | null {
  if (a === null || b === null || b === 0n) return null;
  return Number(a - b) / Math.abs(Number(b));
}

const joinLine = (parts: ReadonlyArray<string | null>): string => parts.filter((p): p is string => p !== null).join(' · ');
const withLine = (head: string, line: string): string => (line ? `${head}\n${line}` : head);
/** `the week before`: the policy's previous-period words. */
const before = (d: TWeeklyDigestData) => d.comparison.previousLabel;
/** `the average of the 4 weeks before`: the policy's trailing words. */
const average = (d: TWeeklyDigestData, w: DigestWords) => w.tr('digest.average', { label: d.comparison.trailingLabel });

// ---------------------------------------------------------------------------------------------
// KPI sections
// ---------------------------------------------------------------------------------------------

type TSection = (d: TWeeklyDigestData, w: DigestWords) => string | null;

const revenueSection: TSection = (d, w) => {
  const r = d.revenue;
  const c = d.currency;
  const cur = r.current.netMinor;
  const prev = r.previous?.netMinor ?? null;
  const avg = r.trailingAverageNetMinor;
  const refunds = r.current.refundsMinor > 0n ? w.tr('digest.revenue.refunds', { won: w.money(r.current.wonMinor, c), refunds: w.money(r.current.refundsMinor, c) }) : '';
  return withLine(
    w.tr('digest.revenue.head', { amount: w.money(cur, c), refunds }),
    joinLine([
      prev === null ? null : w.vs(w.arrowPercent(prev > 0n ? rel(cur, prev) : null), before(d), w.money(prev, c)),
      avg === null ? null : w.vs(w.arrowPercent(r.changeVsTrailing), average(d, w), w.money(avg, c)),
    ]),
  );
};

const winRateSection: TSection = (d, w) => {
  const r = d.winrate;
  const head = r.current.rate === null ? w.tr('digest.winrate.none') : w.tr('digest.winrate.head', { rate: w.pct(r.current.rate), won: w.count(r.current.won), closed: w.count(r.current.closed) });
  return withLine(
    head,
    joinLine([
      r.previous && r.previous.rate !== null ? w.vs(w.arrowPoints(r.deltaVsPrevious), before(d), w.pct(r.previous.rate)) : null,
      r.trailingAverage.rate !== null ? w.vs(w.arrowPoints(r.deltaVsTrailing), average(d, w), w.pct(r.trailingAverage.rate)) : null,
    ]),
  );
};

const conversionSection: TSection = (d, w) => {
  const r = d.conversion;
  if (!r) return null;
  const head =
    r.current.rate === null ? w.tr('digest.conversion.none') : w.tr('digest.conversion.head', { rate: w.pct(r.current.rate), converted: w.count(r.current.converted), leads: w.count(r.current.leads) });
  return withLine(
    head,
    joinLine([
      r.previous && r.previous.rate !== null ? w.vs(w.arrowPoints(r.deltaVsPrevious), before(d), w.pct(r.previous.rate)) : null,
      r.trailingAverage.rate !== null ? w.vs(w.arrowPoints(r.deltaVsTrailing), average(d, w), w.pct(r.trailingAverage.rate)) : null,
    ]),
  );
};

const dealSizeSection: TSection = (d, w) => {
  const r = d.dealsize;
  const c = d.currency;
  const cur = r.current.averageMinor;
  const head = cur === null ? w.tr('digest.dealsize.none') : w.tr('digest.dealsize.head', { amount: w.money(cur, c), won: w.count(r.current.wonCount) });
  const avg = r.trailingAverage.averageMinor;
  const prev = r.previous?.averageMinor ?? null;
  const line = joinLine([
    prev === null ? null : w.vs(w.arrowPercent(r.changeVsPrevious), before(d), w.money(prev, c)),
    avg === null ? null : w.vs(w.arrowPercent(r.changeVsTrailing), average(d, w), w.money(avg, c)),
  ]);
  const notes: string[] = [];
  if (r.repsBelowAverage.length > 0) notes.push(w.tr('digest.dealsize.below', { below: w.count(r.repsBelowAverage.length), reps: w.reps(r.byRep.length) }));
  if (r.oversizedDeals.length > 0) {
    // The week is over: say whether these are the deals open at its end or the ones open now.
    const when = r.openDealsAsOf.getTime() < r.generatedAt.getTime() ? 'ended' : 'now';
    notes.push(w.tr('digest.dealsize.oversized', { count: r.oversizedDeals.length, multiple: w.count(r.oversizeMultiplePct / 100), when }));
  }
  return [head, line, notes.join(' · ')].filter(Boolean).join('\n');
};

const quotaSection: TSection = (d, w) => {
  const q = d.quotaWeeks;
  if (!q) return null;
  const tot = q.current.total;
  const c = d.currency;
  if (tot.attainment === null || tot.quotaMinor === null) return w.tr('digest.quota.none');
  const prev = q.previous?.total.attainment ?? null;
  return withLine(
    w.tr('digest.quota.head', { rate: w.pct(tot.attainment), won: w.money(tot.netWonMinor, c), quota: w.money(tot.quotaMinor, c) }),
    joinLine([
      prev === null ? null : w.vs(w.arrowPoints(tot.attainment - prev), before(d), w.pct(prev)),
      q.trailingAverage === null ? null : w.vs(w.arrowPoints(tot.attainment - q.trailingAverage), average(d, w), w.pct(q.trailingAverage)),
    ]),
  );
};

const funnelSection: TSection = (d, w) => {
  const r = d.funnel;
  const f = r.funnel;
  const entered = f.reachedCounts[0] ?? 0;
  const won = f.reachedCounts[f.reachedCounts.length - 1] ?? 0;
  const head = entered === 0 ? w.tr('digest.funnel.none') : w.tr('digest.funnel.head', { entered: w.count(entered), won: w.count(won), rate: w.pct(f.overallRate) });
  const trailingAvg = r.trailingOverallRate;
  const prev = r.previous?.overallRate ?? null;
  const line = joinLine([
    prev === null || f.overallRate === null ? null : w.vs(w.arrowPoints(f.overallRate - prev), before(d), w.pct(prev)),
    trailingAvg === null || f.overallRate === null ? null : w.vs(w.arrowPoints(f.overallRate - trailingAvg), average(d, w), w.pct(trailingAvg)),
  ]);
  let leak = '';
  if (r.leak) {
    const step = `${localStageLabel(r.leak.step.from, w.locale)} → ${localStageLabel(r.leak.step.to, w.locale)}`;
    const cmp = r.leak.comparison;
    const against =
      cmp.trailingAverage !== null && cmp.delta !== null
        ? w.tr('digest.funnel.leakAgainst', { arrow: w.arrowPoints(cmp.delta) ?? '', label: d.comparison.trailingLabel, average: w.pct(cmp.trailingAverage) })
        : '';
    leak = w.tr('digest.funnel.leak', { step: escapeMrkdwn(step), rate: w.pct(r.leak.step.rate), against });
  }
  return [head, line, leak].filter(Boolean).join('\n');
};

const mrrSection: TSection = (d, w) => {
  const r = d.mrr;
  if (!r) return null;
  const c = d.currency;
  const head = w.tr('digest.mrr.head', { mrr: w.money(r.current.mrrMinor, c), arr: w.money(r.current.arrMinor, c), count: w.count(r.current.subscriptions) });
  const avg = r.trailingAverageMrrMinor;
  const line = joinLine([
    r.previous ? w.vs(w.arrowMoney(r.changeVsPreviousMinor, c), before(d), w.money(r.previous.mrrMinor, c)) : null,
    avg === null ? null : w.vs(w.arrowMoney(r.changeVsTrailingMinor, c), average(d, w), w.money(avg, c)),
  ]);
  const m = r.movements;
  const retention = retentionText(r.retention, m, w.locale);
  const moved =
    m.startMrrMinor !== 0n || m.endMrrMinor !== 0n ? w.tr('digest.mrr.movements', { text: escapeMrkdwn(movementsText(m, c, w.locale)) }) + (retention ? `\n${escapeMrkdwn(retention)}` : '') : '';
  return [head, line, moved].filter(Boolean).join('\n');
};

const KPI_SECTIONS: Readonly<Record<TDigestKpi, TSection>> = {
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

const PACE_KEYS = { 'on-track': 'digest.pace.onTrack', behind: 'digest.pace.behind', 'at-risk': 'digest.pace.atRisk' } as const;
const QUOTA_HINT = ' — `/kpi quota set @rep 50k month`';

function pacingLine(p: TDigestPacing, currency: string, w: DigestWords): string {
  const r = p.report;
  // Pacing only means something while the period runs; an ended one is told as finished.
  const ended = periodPhase(r.range, r.generatedAt) === 'ended';
  const label = ended ? w.tr('digest.pacing.ended', { label: escapeMrkdwn(p.label) }) : w.tr('digest.pacing.toDate', { label: escapeMrkdwn(p.label), elapsed: w.pct(r.elapsedShare, 0) });
  if (r.total.quotaMinor === null || r.total.attainment === null) return w.tr('digest.pacing.noQuota', { label, hint: ended ? '' : QUOTA_HINT });
  const pace = r.totalPacing;
  const won = w.money(r.total.netWonMinor, currency);
  const quota = w.money(r.total.quotaMinor, currency);
  let line: string;
  if (ended) line = w.tr('digest.pacing.finished', { label, rate: w.pct(r.total.attainment), won, quota });
  else {
    const expected = pace.expectedToDateMinor !== null ? w.tr('digest.pacing.expected', { amount: w.money(pace.expectedToDateMinor, currency) }) : '';
    const status = pace.status ? ` — ${w.tr(PACE_KEYS[pace.status])}` : '';
    line = w.tr('digest.pacing.running', { label, won, quota, rate: w.pct(r.total.attainment), expected, status });
  }
  if (r.ratio.ratio !== null) {
    const band = r.band;
    const low = w.pct(band.lowBp / 10_000, 0);
    const high = w.pct(band.highBp / 10_000, 0);
    const reading =
      band.band === 'unrealistic'
        ? w.tr('digest.pacing.below', { low, high, advice: w.tr('kpi.quota.adviceLow') })
        : band.band === 'too-easy'
          ? w.tr('digest.pacing.above', { low, high, advice: w.tr('kpi.quota.adviceHigh') })
          : w.tr('digest.pacing.inside', { low, high });
    line += `\n   ${w.tr('digest.pacing.ratio', { ratio: w.pct(r.ratio.ratio), at: w.count(r.ratio.atOrAbove), reps: w.reps(r.ratio.withQuota), reading })}`;
    const atRisk = ended ? 0 : r.reps.filter((x) => x.pacing.status === 'at-risk').length;
    if (atRisk > 0) line += ` · ${w.tr('digest.pacing.atRisk', { reps: w.reps(atRisk) })}`;
  }
  return line;
}

function moversSection(d: TWeeklyDigestData, w: DigestWords): string | null {
  const { up, down } = d.movers;
  if (up.length === 0 && down.length === 0) return null;
  const c = d.currency;
  const fmt = (m: TTopMovers['up'][number]) =>
    `${escapeMrkdwn(truncate(m.rep.name || w.tr('kpi.common.unnamedRep'), 40))} ${m.deltaMinor > 0n ? '+' : '−'}${w.money(m.deltaMinor < 0n ? -m.deltaMinor : m.deltaMinor, c)} (${w.money(m.netWonMinor, c)})`;
  const lines = [w.tr('digest.movers.title', { what: before(d) })];
  if (up.length) lines.push(`↑ ${up.map(fmt).join(' · ')}`);
  if (down.length) lines.push(`↓ ${down.map(fmt).join(' · ')}`);
  return lines.join('\n');
}

function alertsText(a: TDigestAlerts, preview: boolean, maxChars: number, w: DigestWords): string {
  if (a.failed) return w.tr('digest.alerts.failed');
  const snoozed = a.snoozed > 0 ? w.tr('digest.alerts.snoozed', { count: w.count(a.snoozed) }) : '';
  if (a.items.length === 0) return w.tr('digest.alerts.none', { preview: preview ? 'yes' : 'no', snoozed });
  const fresh = a.items.filter((i) => i.isNew).length;
  const head = preview ? w.tr('digest.alerts.breachedNow', { count: w.count(a.items.length) }) : w.tr('digest.alerts.newActive', { fresh: w.count(fresh), active: w.count(a.items.length - fresh) });
  const lines = a.items.map((i) => w.tr('digest.alerts.item', { icon: i.isNew ? ':rotating_light:' : ':warning:', title: escapeMrkdwn(i.title), message: escapeMrkdwn(i.message) }));
  return `${w.tr('digest.alerts.head', { head, snoozed })}\n${fitLines(lines, maxChars, (n) => w.tr('digest.andMore', { count: n }))}`;
}

// ---------------------------------------------------------------------------------------------
// Charts and assembly
// ---------------------------------------------------------------------------------------------

function chartBlocks(d: TWeeklyDigestData, w: DigestWords): KnownBlock[] {
  const baseUrl = d.quickchartUrl;
  if (!baseUrl) return [];
  const out: KnownBlock[] = [];
  const add = (chart: TChart, title: string) => {
    if (chart.empty) return;
    const block = buildChartBlock({ config: chart.config, altText: chart.altText, title, baseUrl });
    if (block) out.push(block);
  };
  const locale = w.locale;
  add(
    revenueTrendChart({ weeks: d.charts.revenueWeeks, currency: d.currency, averageLabel: d.comparison.trailingLabel, locale }),
    w.tr('digest.chart.revenue', { count: Math.min(12, d.charts.revenueWeeks.length) }),
  );
  add(funnelChart({ stages: d.charts.funnelStages, ...(d.charts.funnelLeakIndex !== undefined ? { leakIndex: d.charts.funnelLeakIndex } : {}), locale }), w.tr('digest.chart.funnel', { week: d.weekLabel }));
  add(attainmentChart({ reps: d.charts.attainment, locale }), w.tr('digest.chart.attainment', { label: d.charts.attainmentLabel }));
  return out;
}

/** The plain-text fallback: the headline figures, the period and the zone (and late/preview). */
function fallbackText(d: TWeeklyDigestData, w: DigestWords, title: string): string {
  const c = d.currency;
  const parts: string[] = [];
  for (const k of DIGEST_KPIS.filter((x) => d.kpis.includes(x))) {
    switch (k) {
      case 'revenue': {
        const ch = w.arrowPercent(d.revenue.previous && d.revenue.previous.netMinor > 0n ? rel(d.revenue.current.netMinor, d.revenue.previous.netMinor) : null);
        parts.push(w.tr('digest.fallback.revenue', { amount: w.money(d.revenue.current.netMinor, c), change: ch ? w.tr('digest.fallback.change', { arrow: ch, what: before(d) }) : '' }));
        break;
      }
      case 'winrate':
        parts.push(w.tr('digest.fallback.winrate', { rate: w.pct(d.winrate.current.rate) }));
        break;
      case 'conversion':
        if (d.conversion) parts.push(w.tr('digest.fallback.conversion', { rate: w.pct(d.conversion.current.rate) }));
        break;
      case 'dealsize':
        parts.push(w.tr('digest.fallback.dealsize', { amount: d.dealsize.current.averageMinor === null ? w.tr('digest.na') : w.money(d.dealsize.current.averageMinor, c) }));
        break;
      case 'quota':
        if (d.quotaWeeks) parts.push(w.tr('digest.fallback.quota', { rate: w.pct(d.quotaWeeks.current.total.attainment) }));
        break;
      case 'funnel':
        parts.push(d.funnel.funnel.overallRate === null ? w.tr('digest.fallback.funnelNone') : w.tr('digest.fallback.funnel', { rate: w.pct(d.funnel.funnel.overallRate) }));
        break;
      case 'mrr':
        if (d.mrr) parts.push(`MRR ${w.money(d.mrr.current.mrrMinor, c)}`);
        break;
    }
  }
  const mtd = d.pacing[0];
  if (mtd && mtd.report.total.attainment !== null) {
    const phase = periodPhase(mtd.report.range, mtd.report.generatedAt) === 'ended' ? 'ended' : 'running';
    parts.push(w.tr('digest.fallback.pacing', { label: mtd.label, phase, rate: w.pct(mtd.report.total.attainment) }));
  }
  if (!d.alerts.failed) parts.push(w.tr('digest.fallback.alerts', { count: d.alerts.items.length }));
  const text = w.tr('digest.fallback', {
    prefix: d.preview ? w.tr('digest.fallback.preview') : '',
    title,
    scope: d.scopeLabel,
    parts: parts.join(w.tr('digest.listSeparator')),
    late: d.late ? w.tr('digest.fallback.late', { when: w.instant(d.late.scheduledFor, d.timeZone) }) : '',
  });
  // Read as mrkdwn: the scope is a team name someone typed.
  return truncate(escapeMrkdwn(text), 3000);
}

const size = (blocks: readonly KnownBlock[]) => JSON.stringify(blocks).length;

/**
 * Builds the digest message from its figures in `d.locale` (pure; chart URLs are computed, not fetched).
 *
 * @example
 * const { text, blocks } = buildWeeklyDigestMessage(data);
 * findLimitViolations(blocks); // []
 * buildWeeklyDigestMessage({ ...data, locale: 'vi' }).blocks[0]; // header 'Báo cáo kinh doanh hằng tuần — tuần 48/2026 (23/11 – 29/11) (Asia/Ho_Chi_Minh)'
 */
export function buildWeeklyDigestMessage(d: TWeeklyDigestData): SlackMessage {
  const w = new DigestWords(d.locale ?? 'en');
  const title = w.tr('digest.title', { week: d.weekLabel, timeZone: d.timeZone });
  const notes = [w.tr('digest.scopeNote', { scope: escapeMrkdwn(d.scopeLabel), timeZone: escapeMrkdwn(d.timeZone) })];
  if (d.late) notes.push(w.tr('digest.late', { when: escapeMrkdwn(w.instant(d.late.scheduledFor, d.timeZone)) }));
  if (d.preview) notes.push(w.tr('digest.preview'));
  const head: KnownBlock[] = [header(title), context(...notes)];

  const body: KnownBlock[] = DIGEST_KPIS.filter((k) => d.kpis.includes(k))
    .map((k) => KPI_SECTIONS[k](d, w))
    .filter((x): x is string => x !== null && x.trim() !== '')
    .map((x) => section(x));
  if (d.pacing.length > 0) body.push(section(`${w.tr('digest.pacing.title')}\n${d.pacing.map((p) => pacingLine(p, d.currency, w)).join('\n')}`));
  const movers = moversSection(d, w);
  if (movers) body.push(section(movers));

  let charts = chartBlocks(d, w);
  const footer = context(w.tr('digest.footer', { when: escapeMrkdwn(w.instant(d.generatedAt, d.timeZone)) }));
  const divider: KnownBlock = { type: 'divider' };

  const assemble = (alertChars: number): KnownBlock[] => [
    ...head,
    divider,
    ...body,
    ...(charts.length ? [divider, ...charts] : []),
    divider,
    section(alertsText(d.alerts, d.preview, alertChars, w)),
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
  return { text: fallbackText(d, w, title), blocks: blocks.slice(0, LIMITS.messageBlocks) };
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
