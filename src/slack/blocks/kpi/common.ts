import type { KnownBlock } from '@slack/types';
import { formatCountL, formatMoneyL, formatPercentL, moneyHeadline } from '../../../i18n/format.js';
import type { TLocale } from '../../../i18n/locales.js';
import { t, type TMessageKey, type TMessageValues, type TTranslate } from '../../../i18n/t.js';
import type { TKpi, TKpiReport } from '../../../domain/metrics/kpi-report.js';
import { periodPhase, type TPeriodPhase, type TRepRef, type TScope } from '../../../domain/metrics/scope.js';
import type { TTrendReading } from '../../../domain/metrics/trend.js';
import type { SlackMessage } from '../../gateway.js';
import { escapeMrkdwn, LIMITS, truncate } from '../limits.js';
import { context, header, section } from '../messages.js';

/**
 * Shared pieces of the `/kpi` answers: the context every builder gets, number wording, list
 * sections that stay inside Slack's limits, and the one assembler that adds the header, the chart,
 * the *Share in channel* button and the context line, and enforces the message budget.
 */

/** Action id of the *Share in channel* button. */
export const KPI_SHARE_ACTION = 'kpi_share';

/**
 * Characters of block JSON a KPI answer may use. Slack documents 50 blocks and 3,000 characters
 * per section, but rejects messages with `msg_blocks_too_long` well before 50 × 3,000 (seen near
 * 13k characters, BLOCK_KIT_LIMITS.md); long lists are cut to stay under this.
 */
export const KPI_MESSAGE_BUDGET = 11_000;

export interface TKpiBlockContext {
  /** The period as people say it: `November 2026`, `Q3 2026 (Jul 1 – Sep 30)`. */
  readonly periodLabel: string;
  /** IANA zone the period boundaries were computed in. */
  readonly timeZone: string;
  /** Who the figures cover, plain text: `all reps`, `team East`, `Dana Rep`. */
  readonly scopeLabel: string;
  /** The comparison period's label (`October 2026`); null/absent when there is none. */
  readonly previousLabel?: string | null;
  /** The trailing periods, as a phrase: `the 3 months before`. */
  readonly trailingLabel?: string | null;
  /** Compact JSON for the Share button (see `encodeKpiShareValue`); no button when absent. */
  readonly shareValue?: string | null;
  /** Slack user id of who shared it: adds "Shared by <@user>". */
  readonly sharedBy?: string | null;
  /** A chart image block built by the caller (`src/charts`); left out when null. */
  readonly chart?: KnownBlock | null;
  /** The reader's language (src/i18n); English when absent. Labels above come already in it. */
  readonly locale?: TLocale | undefined;
}

/** What a builder hands to `assembleKpiMessage`. */
export interface TKpiMessageParts {
  /** Header text, e.g. `Win rate`. */
  readonly title: string;
  /** The plain `text` fallback: states the figure, period and time zone. */
  readonly text: string;
  /** The figure section (mrkdwn). */
  readonly figure: string;
  /** Comparison lines (vs previous, vs trailing average, trend); one section. */
  readonly comparisons?: readonly string[];
  /** Interpretation sections (advice, leaks, readings), in order. */
  readonly insights?: readonly string[];
  /** Detail lists (reps, stages, deals), already cut to size by `listSections`; dropped last when over budget. */
  readonly details?: readonly KnownBlock[];
  /** Extra context elements after the period line (definitions). */
  readonly notes?: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Wording
// ---------------------------------------------------------------------------------------------

const TITLE_KEYS: Readonly<Record<TKpi, TMessageKey>> = {
  winrate: 'kpi.title.winrate',
  conversion: 'kpi.title.conversion',
  quota: 'kpi.title.quota',
  dealsize: 'kpi.title.dealsize',
  revenue: 'kpi.title.revenue',
  mrr: 'kpi.title.mrr',
  funnel: 'kpi.title.funnel',
  plan: 'kpi.title.plan',
  leaderboard: 'kpi.title.leaderboard',
};

/** A KPI's name in a language, as shown in headers and fallbacks. Win rate and lead conversion rate are distinct. */
export function kpiTitle(kpi: TKpi, locale: TLocale = 'en'): string {
  return t(locale, TITLE_KEYS[kpi]);
}

/** KPI names in English (headers and fallbacks of English answers). */
export const KPI_TITLES: Readonly<Record<TKpi, string>> = {
  winrate: kpiTitle('winrate'),
  conversion: kpiTitle('conversion'),
  quota: kpiTitle('quota'),
  dealsize: kpiTitle('dealsize'),
  revenue: kpiTitle('revenue'),
  mrr: kpiTitle('mrr'),
  funnel: kpiTitle('funnel'),
  plan: kpiTitle('plan'),
  leaderboard: kpiTitle('leaderboard'),
};

/** Money for people (`$12,000`, `300,000,000 ₫`; `641.700.000 ₫` in Vietnamese). */
export function money(minor: bigint, currency: string, locale: TLocale = 'en'): string {
  return formatMoneyL(locale, minor, currency);
}

/** A ratio with one decimal (`37.5%`, `37,5%`), `n/a` when null. */
export function pct(ratio: number | null, locale: TLocale = 'en'): string {
  return formatPercentL(locale, ratio);
}

/** Percentage points with one decimal and no sign: `7.5 pts`, `7,5 điểm %`, `7.5 个百分点`. */
export function points(delta: number, locale: TLocale = 'en'): string {
  return t(locale, 'kpi.common.points', { value: formatPercentL(locale, Math.abs(delta)).replace('%', '') });
}

/** `up 7.5 pts` / `down 2.0 pts` / `unchanged` for a difference of two rates. */
export function pointsChange(delta: number | null, locale: TLocale = 'en'): string | null {
  if (delta === null || !Number.isFinite(delta)) return null;
  if (Math.round(Math.abs(delta) * 1000) === 0) return t(locale, 'kpi.common.unchanged');
  return t(locale, delta > 0 ? 'kpi.common.up' : 'kpi.common.down', { value: points(delta, locale) });
}

/** `up 12.0%` / `down 5.0%` / `unchanged` for a relative change. */
export function relativeChangeText(change: number | null, locale: TLocale = 'en'): string | null {
  if (change === null || !Number.isFinite(change)) return null;
  if (Math.round(Math.abs(change) * 1000) === 0) return t(locale, 'kpi.common.unchanged');
  return t(locale, change > 0 ? 'kpi.common.up' : 'kpi.common.down', { value: formatPercentL(locale, Math.abs(change)) });
}

/** The trend's key word (`rising`, `falling`, `flat`) for a `readTrend` reading, or null without enough history. */
export function trendKind(tr: TTrendReading): 'rising' | 'falling' | 'flat' | null {
  switch (tr.trend) {
    case 'growing':
      return 'rising';
    case 'shrinking':
      return 'falling';
    case 'flat':
      return 'flat';
    case 'insufficient-data':
      return null;
  }
}

/** Trend words for a `readTrend` reading, or null without enough history. */
export function trendWords(tr: TTrendReading, locale: TLocale = 'en'): string | null {
  const kind = trendKind(tr);
  return kind === null ? null : t(locale, `kpi.common.trend.${kind}`);
}

/** Whether the report's period had not begun, was running or had ended when it was computed. */
export function phaseOf(report: Pick<TKpiReport, 'range' | 'generatedAt'>): TPeriodPhase {
  return periodPhase(report.range, report.generatedAt);
}

/**
 * `' yet'` while the period can still change, `''` once it has ended: "No won deals yet in
 * November 2026" for the running month, "No won deals in October 2026" for a closed one.
 */
export function yet(report: Pick<TKpiReport, 'range' | 'generatedAt'>): string {
  return phaseOf(report) === 'ended' ? '' : ' yet';
}

/** A rep for a list (name, escaped; never a mention, so a shared answer pings nobody). */
export function repName(rep: Pick<TRepRef, 'name'>, locale: TLocale = 'en'): string {
  return escapeMrkdwn(rep.name || t(locale, 'kpi.common.unnamedRep'));
}

export function prevLabel(ctx: TKpiBlockContext): string {
  return ctx.previousLabel ? escapeMrkdwn(ctx.previousLabel) : t(ctx.locale ?? 'en', 'kpi.common.previousPeriod');
}

export function trailLabel(ctx: TKpiBlockContext): string {
  return ctx.trailingLabel ? escapeMrkdwn(ctx.trailingLabel) : t(ctx.locale ?? 'en', 'kpi.common.periodsBefore');
}

/**
 * `Win rate (November 2026, Europe/Berlin)` or `Win rate for team East (…)`. Slack reads `text`
 * as mrkdwn too, so names are escaped (a rep called `<!channel>` pings nobody).
 */
export function fallbackHead(title: string, scope: TScope, ctx: TKpiBlockContext): string {
  const values = { title, period: ctx.periodLabel, timeZone: ctx.timeZone };
  const locale = ctx.locale ?? 'en';
  return scope.kind === 'workspace' ? t(locale, 'kpi.common.head', values) : t(locale, 'kpi.common.headFor', { ...values, scope: escapeMrkdwn(ctx.scopeLabel) });
}

/**
 * What a builder needs to speak the reader's language: the bound catalog, number formats, the
 * period (escaped) and the `phase` of the report for `select` messages.
 */
export interface TKpiKit {
  readonly locale: TLocale;
  readonly tr: TTranslate;
  /** `{head}: {body}`: a fallback `text` line. */
  line(head: string, body: string): string;
  money(minor: bigint, currency: string): string;
  /** The headline form (with the 万/亿 reading in Chinese). */
  headline(minor: bigint, currency: string): string;
  pct(ratio: number | null): string;
  count(n: number): string;
  /** `' — up 7.5 pts'` or `''`. */
  change(text: string | null): string;
}

export function kitOf(ctx: Pick<TKpiBlockContext, 'locale'>): TKpiKit {
  const locale = ctx.locale ?? 'en';
  const tr: TTranslate = (key: TMessageKey, values?: TMessageValues) => t(locale, key, values);
  return {
    locale,
    tr,
    line: (head, body) => tr('kpi.common.line', { head, body }),
    money: (minor, currency) => formatMoneyL(locale, minor, currency),
    headline: (minor, currency) => moneyHeadline(locale, minor, currency),
    pct: (ratio) => formatPercentL(locale, ratio),
    count: (n) => formatCountL(locale, n),
    change: (text) => (text ? tr('kpi.common.change', { change: text }) : ''),
  };
}

// ---------------------------------------------------------------------------------------------
// Lists inside the limits
// ---------------------------------------------------------------------------------------------

/**
 * Lines made only when they are shown: `at(i)` is line i of `count` (a list of 200 reps whose
 * sections hold 130 formats 130).
 */
export interface TLazyLines {
  readonly count: number;
  readonly at: (i: number) => string;
}

/**
 * Turns lines into at most `maxSections` sections of at most `maxChars` characters each (a title
 * on the first one), ending with `…and N more` when lines had to be left out. Lines longer than a
 * section are cut.
 *
 * @example
 * listSections('*Reps*', ['a', 'b'], { maxSections: 1 }); // [section('*Reps*\na\nb')]
 */
export function listSections(
  title: string | null,
  lines: readonly string[] | TLazyLines,
  { maxSections = 1, maxChars = LIMITS.sectionText, moreHint = '', locale = 'en' }: { maxSections?: number; maxChars?: number; moreHint?: string; locale?: TLocale } = {},
): KnownBlock[] {
  const lazy = 'count' in lines ? lines : null;
  const count = lazy ? lazy.count : (lines as readonly string[]).length;
  if (count === 0) return title ? [section(title)] : [];
  const budget = Math.min(maxChars, LIMITS.sectionText);
  const reserve = 40 + moreHint.length; // room for "…and 1,234 more" + hint
  const titleRoom = title ? title.length + 1 : 0;
  const chunks: string[][] = [];
  let current: string[] = title ? [title] : [];
  let length = title ? title.length : 0;
  let used = 0;
  for (let i = 0; i < count; i++) {
    const line = truncate(lazy ? lazy.at(i) : (lines as readonly string[])[i]!, budget - reserve - titleRoom);
    const isLastSection = chunks.length === maxSections - 1;
    const cap = isLastSection ? budget - reserve : budget;
    const add = (current.length > 0 ? 1 : 0) + line.length;
    if (length + add <= cap) {
      current.push(line);
      length += add;
      used++;
      continue;
    }
    if (isLastSection) break;
    chunks.push(current);
    current = [line];
    length = line.length;
    used++;
  }
  if (current.length > 0) chunks.push(current);
  const left = count - used;
  if (left > 0) {
    const last = chunks[chunks.length - 1] ?? [];
    last.push(t(locale, 'kpi.common.andMore', { count: formatCountL(locale, left), hint: moreHint ? ` ${moreHint}` : '' }));
  }
  return chunks.slice(0, maxSections).map((c) => section(c.join('\n')));
}

// ---------------------------------------------------------------------------------------------
// Assembly
// ---------------------------------------------------------------------------------------------

function shareActions(value: string, locale: TLocale): KnownBlock {
  return {
    type: 'actions',
    block_id: 'kpi_actions',
    elements: [{ type: 'button', action_id: KPI_SHARE_ACTION, text: { type: 'plain_text', text: t(locale, 'kpi.common.share'), emoji: true }, value: value.slice(0, LIMITS.buttonValue) }],
  };
}

function contextLine(scope: TScope, ctx: TKpiBlockContext, notes: readonly string[]): KnownBlock {
  const locale = ctx.locale ?? 'en';
  const who = scope.kind === 'workspace' ? t(locale, 'kpi.common.allReps') : escapeMrkdwn(ctx.scopeLabel);
  const els = [t(locale, 'kpi.common.contextPeriod', { period: escapeMrkdwn(ctx.periodLabel), timeZone: escapeMrkdwn(ctx.timeZone), who }), ...notes];
  if (ctx.sharedBy) els.push(t(locale, 'kpi.common.sharedBy', { user: `<@${ctx.sharedBy}>` }));
  return context(...els.slice(0, LIMITS.contextElements));
}

const size = (blocks: readonly KnownBlock[]) => JSON.stringify(blocks).length;

/**
 * Builds the final message: header, figure, comparisons, insights, details, chart, Share button,
 * context line. Detail blocks are dropped from the end (with a note) while the message would pass
 * 50 blocks or `KPI_MESSAGE_BUDGET`; every text is already cut to its Block Kit limit.
 */
export function assembleKpiMessage(report: Pick<TKpiReport, 'scope'>, ctx: TKpiBlockContext, parts: TKpiMessageParts): SlackMessage {
  const head: KnownBlock[] = [header(parts.title), section(parts.figure)];
  if (parts.comparisons && parts.comparisons.length > 0) head.push(section(parts.comparisons.join('\n')));
  for (const insight of parts.insights ?? []) if (insight.trim()) head.push(section(insight));
  const tail: KnownBlock[] = [];
  if (ctx.chart) tail.push(ctx.chart);
  if (ctx.shareValue && !ctx.sharedBy) tail.push(shareActions(ctx.shareValue, ctx.locale ?? 'en'));
  tail.push(contextLine(report.scope, ctx, parts.notes ?? []));

  const details = [...(parts.details ?? [])];
  let dropped = 0;
  const maxDetails = LIMITS.messageBlocks - head.length - tail.length - 1;
  while (details.length > 0 && (details.length > maxDetails || size([...head, ...details, ...tail]) > KPI_MESSAGE_BUDGET)) {
    details.pop();
    dropped++;
  }
  const note: KnownBlock[] = dropped > 0 ? [context(t(ctx.locale ?? 'en', 'kpi.common.listsLeftOut', { count: dropped }))] : [];
  const blocks = [...head, ...details, ...note, ...tail];
  return { text: truncate(parts.text, 3000), blocks };
}

/** One `•` bullet line. */
export function bullet(text: string): string {
  return `• ${text}`;
}
