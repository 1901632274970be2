import { stageLabel } from '../deals/stages.js';
import type { TAttainmentRatio } from '../metrics/attainment.js';
import { classifyAttainmentRatio } from '../metrics/attainment.js';
import type { TLeakComparison, TFunnelStep } from '../metrics/funnel.js';
import type { TRepDealSizeLine } from '../metrics/kpi-report.js';
import type { TMrrMovements } from '../metrics/mrr-movements.js';
import type { TOversizedDeal } from '../metrics/oversized-deals.js';
import type { TOpenDeal } from '../metrics/scope.js';
import type { TWinRate } from '../metrics/win-rate.js';
import { formatCount, formatMoney, formatPercent } from '../money.js';
import { formatCountL, formatMoneyL, formatPercentL } from '../../i18n/format.js';
import { INTL_TAG, type TLocale } from '../../i18n/locales.js';
import { CATALOGS, t, type TMessageKey } from '../../i18n/t.js';

/**
 * The threshold alert rules of SPEC §4, as pure condition functions: each takes figures from a KPI
 * report and a threshold and returns the breach(es), each with the message people read. Nothing
 * here touches the database; `evaluate-alerts.ts` feeds them, `fire-alerts.ts` records them.
 *
 * Thresholds are "at or beyond": a drop of exactly 10 points crosses a 10-point threshold.
 * Small samples never alert (a win rate over 2 closed deals is noise): see `ALERT_MIN_SAMPLES`.
 */

export type TAlertRule = 'attainment-band' | 'winrate-drop' | 'revenue-drop' | 'oversized-deal' | 'dealsize-below' | 'funnel-leak' | 'mrr-churn';

export const ALERT_RULES: readonly TAlertRule[] = ['attainment-band', 'winrate-drop', 'revenue-drop', 'oversized-deal', 'dealsize-below', 'funnel-leak', 'mrr-churn'];

/** Periods alerts are evaluated over (the last complete one at the evaluation instant). */
export type TAlertPeriodKind = 'week' | 'month';

/**
 * A rule's threshold in the unit people type:
 * - points: percentage points (10 = 10 points);
 * - percent: a relative change in percent (10 = 10%);
 * - multiple: × the average (4 = 4×);
 * - band: the attainment ratio band in percent (60–90).
 */
export type TAlertThreshold =
  | { readonly kind: 'points'; readonly value: number }
  | { readonly kind: 'percent'; readonly value: number }
  | { readonly kind: 'multiple'; readonly value: number }
  | { readonly kind: 'band'; readonly lowPct: number; readonly highPct: number };

export interface TAlertRuleInfo {
  readonly rule: TAlertRule;
  /** Short name shown as the alert's title. */
  readonly title: string;
  /** What the rule watches, for `/kpi alerts`. */
  readonly description: string;
  /** Other words accepted in `/kpi alerts set|on|off|snooze`. */
  readonly aliases: readonly string[];
  readonly thresholdKind: TAlertThreshold['kind'];
  /** An example of `/kpi alerts set` for this rule. */
  readonly example: string;
}

export const ALERT_RULE_INFO: Readonly<Record<TAlertRule, TAlertRuleInfo>> = {
  'attainment-band': {
    rule: 'attainment-band',
    title: 'Attainment ratio out of band',
    description: 'share of reps at or above 100% of quota is below the low or at/above the high threshold',
    aliases: ['attainment', 'attainment-ratio', 'quota', 'band'],
    thresholdKind: 'band',
    example: '/kpi alerts set attainment-band 60% 90%',
  },
  'winrate-drop': {
    rule: 'winrate-drop',
    title: 'Win rate drop',
    description: 'win rate is this many points below its pooled average of the periods before (the 4 weeks before, or the 3 months before)',
    aliases: ['winrate', 'win-rate', 'win-rate-drop'],
    thresholdKind: 'points',
    example: '/kpi alerts set winrate-drop 15',
  },
  'revenue-drop': {
    rule: 'revenue-drop',
    title: 'Net revenue down',
    description: 'net revenue is down this much from the period before',
    aliases: ['revenue', 'net-revenue', 'revenue-down'],
    thresholdKind: 'percent',
    example: '/kpi alerts set revenue-drop 20%',
  },
  'oversized-deal': {
    rule: 'oversized-deal',
    title: 'Oversized deal risk',
    description: "an open deal is this many times its owner's (or the team's) average won deal",
    aliases: ['oversized', 'oversize', 'oversized-deals', 'big-deal'],
    thresholdKind: 'multiple',
    example: '/kpi alerts set oversized-deal 5x',
  },
  'dealsize-below': {
    rule: 'dealsize-below',
    title: 'Average deal below the group',
    description: "a rep's average won deal is this much below the group average",
    aliases: ['dealsize', 'deal-size', 'small-deals', 'deal-size-below'],
    thresholdKind: 'percent',
    example: '/kpi alerts set dealsize-below 25%',
  },
  'funnel-leak': {
    rule: 'funnel-leak',
    title: 'Funnel leak worse than usual',
    description: 'the biggest funnel leak converts this many points below its pooled average of the periods before (the 4 weeks before, or the 3 months before)',
    aliases: ['funnel', 'leak', 'funnel-leak'],
    thresholdKind: 'points',
    example: '/kpi alerts set funnel-leak 10',
  },
  'mrr-churn': {
    rule: 'mrr-churn',
    title: 'MRR churn',
    description: 'MRR lost to churned subscriptions is at least this share of MRR at the start of the period (workspaces with subscriptions)',
    aliases: ['churn', 'mrr', 'mrr-churn-rate', 'churn-rate'],
    thresholdKind: 'percent',
    example: '/kpi alerts set mrr-churn 5%',
  },
};

/** Code defaults (the band and the oversize multiple come from the Workspace row, see `load-alert-settings.ts`). */
export const DEFAULT_ALERT_THRESHOLDS: Readonly<Record<TAlertRule, TAlertThreshold>> = {
  'attainment-band': { kind: 'band', lowPct: 60, highPct: 90 },
  'winrate-drop': { kind: 'points', value: 10 },
  'revenue-drop': { kind: 'percent', value: 10 },
  'oversized-deal': { kind: 'multiple', value: 4 },
  'dealsize-below': { kind: 'percent', value: 20 },
  'funnel-leak': { kind: 'points', value: 10 },
  'mrr-churn': { kind: 'percent', value: 5 },
};

/** Below these sample sizes a rule stays quiet: the figure would be noise. */
export const ALERT_MIN_SAMPLES = {
  /** Reps with a quota in the period (attainment ratio). */
  repsWithQuota: 2,
  /** Closed deals in the period, and in the trailing periods together (win rate). */
  closedDeals: 5,
  /** Won deals of a rep in the period (their average deal). */
  repWonDeals: 2,
  /** Deals that reached the leaking step's first stage (funnel). */
  stepReached: 5,
} as const;

/**
 * One breached condition. `key` tells conditions of one rule apart within a scope (a rep, a deal,
 * a funnel step, or the band side); `value` and `threshold` are in the threshold's unit.
 */
export interface TAlertBreach {
  readonly rule: TAlertRule;
  readonly key: string;
  readonly value: number;
  readonly threshold: number;
  readonly message: string;
}

// ---------------------------------------------------------------------------------------------
// Formatting helpers
// ---------------------------------------------------------------------------------------------

/** A rule's title in a language (English: `ALERT_RULE_INFO[rule].title`). */
export function alertTitle(rule: TAlertRule, locale: TLocale = 'en'): string {
  return locale === 'en' ? ALERT_RULE_INFO[rule].title : t(locale, `alert.title.${rule}` as TMessageKey);
}

/** A rule's description in a language (English: `ALERT_RULE_INFO[rule].description`). */
export function alertDescription(rule: TAlertRule, locale: TLocale = 'en'): string {
  return locale === 'en' ? ALERT_RULE_INFO[rule].description : t(locale, `admin.alerts.desc.${rule}` as TMessageKey);
}

/** A threshold as readers of the locale read it (English: `formatThreshold`). */
export function formatThresholdL(th: TAlertThreshold, locale: TLocale = 'en'): string {
  return locale === 'en' ? formatThreshold(th) : thresholdL(locale, th);
}

type TLocal = Exclude<TLocale, 'en'>;

/** At most one decimal, in the locale's digits: 12.5 → `12,5` (vi). */
function numL(locale: TLocal, n: number): string {
  return new Intl.NumberFormat(INTL_TAG[locale], { maximumFractionDigits: 1 }).format(Math.round(n * 10) / 10);
}

/** Points in the locale: `13,5 điểm %`, `13.5 个百分点`. */
function pointsL(locale: TLocal, points: number): string {
  return t(locale, 'kpi.common.points', { value: new Intl.NumberFormat(INTL_TAG[locale], { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(Math.round(points * 10) / 10) });
}

function thresholdL(locale: TLocal, th: TAlertThreshold): string {
  switch (th.kind) {
    case 'points':
      return t(locale, 'kpi.common.points', { value: numL(locale, th.value) });
    case 'percent':
      return `${numL(locale, th.value)}%`;
    case 'multiple':
      return `${numL(locale, th.value)}×`;
    case 'band':
      return `${numL(locale, th.lowPct)}%–${numL(locale, th.highPct)}%`;
  }
}

/** A stage's name in the locale (catalog `stage.*`), custom stages as typed. */
function stageL(locale: TLocal, key: string): string {
  return `stage.${key}` in CATALOGS.en ? t(locale, `stage.${key}` as TMessageKey) : stageLabel(key);
}

/** 12.5 → '12.5', 10 → '10', 1/3 → '0.3' (at most one decimal, no trailing .0). */
function num(n: number): string {
  const r = Math.round(n * 10) / 10;
  return Number.isInteger(r) ? String(r) : r.toFixed(1);
}

/**
 * Points with one decimal and the right plural.
 *
 * @example
 * formatPoints(13.5); // '13.5 points'
 * formatPoints(1); // '1.0 point'
 */
export function formatPoints(points: number): string {
  const r = Math.round(points * 10) / 10;
  return `${r.toFixed(1)} ${r === 1 ? 'point' : 'points'}`;
}

/**
 * A threshold as people read it.
 *
 * @example
 * formatThreshold({ kind: 'points', value: 10 }); // '10 points'
 * formatThreshold({ kind: 'percent', value: 12.5 }); // '12.5%'
 * formatThreshold({ kind: 'multiple', value: 4 }); // '4×'
 * formatThreshold({ kind: 'band', lowPct: 60, highPct: 90 }); // '60%–90%'
 */
export function formatThreshold(t: TAlertThreshold): string {
  switch (t.kind) {
    case 'points':
      return `${num(t.value)} ${t.value === 1 ? 'point' : 'points'}`;
    case 'percent':
      return `${num(t.value)}%`;
    case 'multiple':
      return `${num(t.value)}×`;
    case 'band':
      return `${num(t.lowPct)}%–${num(t.highPct)}%`;
  }
}

/** 'week' → 'the week before'. */
function periodBefore(unit: TAlertPeriodKind): string {
  return `the ${unit} before`;
}

/** Tolerance for float noise when comparing with a threshold. */
const EPS = 1e-9;

// ---------------------------------------------------------------------------------------------
// Conditions
// ---------------------------------------------------------------------------------------------

/**
 * Attainment ratio outside the workspace band (SPEC §1.1): below `lowPct` → key `low`, at or above
 * `highPct` → key `high`. Quiet without enough reps with a quota.
 *
 * @example
 * attainmentBandBreach({ ratio: { ratio: 0.45, withQuota: 20, atOrAbove: 9, reason: null }, lowPct: 60, highPct: 90 })?.message;
 * // 'Attainment ratio 45.0% is below the low threshold 60% (healthy band 60%–90%): 9 of 20 reps with a quota reached 100%. Quotas look unrealistic: hire, coach, or revisit pay and targets.'
 */
export function attainmentBandBreach({
  ratio,
  lowPct,
  highPct,
  minRepsWithQuota = ALERT_MIN_SAMPLES.repsWithQuota,
  locale = 'en',
}: {
  ratio: TAttainmentRatio;
  lowPct: number;
  highPct: number;
  minRepsWithQuota?: number;
  /** The language of the message (the workspace's); English when absent. */
  locale?: TLocale;
}): TAlertBreach | null {
  if (ratio.ratio === null || ratio.withQuota < minRepsWithQuota) return null;
  const reading = classifyAttainmentRatio(ratio.ratio, { lowBp: Math.round(lowPct * 100), highBp: Math.round(highPct * 100) });
  if (reading.band === null || reading.band === 'healthy') return null;
  const band = formatThreshold({ kind: 'band', lowPct, highPct });
  const reps = `${formatCount(ratio.atOrAbove)} of ${formatCount(ratio.withQuota)} reps with a quota reached 100%`;
  const advice = reading.advice ? ` ${reading.advice.charAt(0).toUpperCase()}${reading.advice.slice(1)}.` : '';
  const value = Math.round(ratio.ratio * 1000) / 10;
  if (locale !== 'en') {
    const low = reading.band === 'unrealistic';
    const adviceText = t(locale, low ? 'kpi.quota.adviceLow' : 'kpi.quota.adviceHigh');
    const message = t(locale, low ? 'alert.attainmentLow' : 'alert.attainmentHigh', {
      ratio: formatPercentL(locale, ratio.ratio),
      threshold: `${numL(locale, low ? lowPct : highPct)}%`,
      band: thresholdL(locale, { kind: 'band', lowPct, highPct }),
      at: formatCountL(locale, ratio.atOrAbove),
      withQuota: formatCountL(locale, ratio.withQuota),
      advice: `${locale === 'vi' ? ' ' : ''}${adviceText.charAt(0).toUpperCase()}${adviceText.slice(1)}${locale === 'vi' ? '.' : '。'}`,
    });
    return { rule: 'attainment-band', key: low ? 'low' : 'high', value, threshold: low ? lowPct : highPct, message };
  }
  if (reading.band === 'unrealistic') {
    return {
      rule: 'attainment-band',
      key: 'low',
      value,
      threshold: lowPct,
      message: `Attainment ratio ${formatPercent(ratio.ratio)} is below the low threshold ${num(lowPct)}% (healthy band ${band}): ${reps}.${advice}`,
    };
  }
  return {
    rule: 'attainment-band',
    key: 'high',
    value,
    threshold: highPct,
    message: `Attainment ratio ${formatPercent(ratio.ratio)} is at or above the high threshold ${num(highPct)}% (healthy band ${band}): ${reps}.${advice}`,
  };
}

/**
 * Win rate at least `thresholdPoints` below its trailing average (pooled over the comparison
 * policy's trailing periods, named by `trailingLabel`). Quiet when the period or the trailing
 * periods closed fewer than `minClosed` deals.
 *
 * @example
 * winRateDropBreach({ current: { rate: 0.22, won: 11, lost: 39, closed: 50, reason: null },
 *   trailingAverage: { rate: 0.355, won: 71, lost: 129, closed: 200, reason: null },
 *   trailingLabel: 'the 4 weeks before', thresholdPoints: 10 })?.message;
 * // 'Win rate 22.0% is 13.5 points below its average of the 4 weeks before, 35.5% (threshold: 10 points).'
 */
export function winRateDropBreach({
  current,
  trailingAverage,
  trailingLabel,
  thresholdPoints,
  minClosed = ALERT_MIN_SAMPLES.closedDeals,
  locale = 'en',
}: {
  current: TWinRate;
  trailingAverage: TWinRate;
  /** The comparison policy's words for the trailing periods: `the 4 weeks before`. */
  trailingLabel: string;
  thresholdPoints: number;
  minClosed?: number;
  locale?: TLocale;
}): TAlertBreach | null {
  if (current.rate === null || trailingAverage.rate === null) return null;
  if (current.closed < minClosed || trailingAverage.closed < minClosed) return null;
  const drop = (trailingAverage.rate - current.rate) * 100;
  if (drop + EPS < thresholdPoints) return null;
  return {
    rule: 'winrate-drop',
    key: '',
    value: Math.round(drop * 10) / 10,
    threshold: thresholdPoints,
    message:
      locale !== 'en'
        ? t(locale, 'alert.winrateDrop', { rate: formatPercentL(locale, current.rate), drop: pointsL(locale, drop), label: trailingLabel, average: formatPercentL(locale, trailingAverage.rate), threshold: thresholdL(locale, { kind: 'points', value: thresholdPoints }) })
        : `Win rate ${formatPercent(current.rate)} is ${formatPoints(drop)} below its average of ${trailingLabel}, ${formatPercent(trailingAverage.rate)} (threshold: ${formatThreshold({ kind: 'points', value: thresholdPoints })}).`,
  };
}

/**
 * Net revenue down at least `thresholdPct` percent from the previous period. Quiet when the
 * previous period's net revenue was not positive (no base to compare with).
 *
 * @example
 * revenueDropBreach({ currentNetMinor: 800_000n, previousNetMinor: 1_000_000n, currency: 'USD', periodKind: 'week', thresholdPct: 10 })?.message;
 * // 'Net revenue $8,000 is down 20.0% from $10,000 the week before (threshold: 10%).'
 */
export function revenueDropBreach({
  currentNetMinor,
  previousNetMinor,
  currency,
  periodKind,
  thresholdPct,
  locale = 'en',
}: {
  currentNetMinor: bigint;
  previousNetMinor: bigint | null;
  currency: string;
  periodKind: TAlertPeriodKind;
  thresholdPct: number;
  locale?: TLocale;
}): TAlertBreach | null {
  if (previousNetMinor === null || previousNetMinor <= 0n) return null;
  const drop = (Number(previousNetMinor - currentNetMinor) / Number(previousNetMinor)) * 100;
  if (drop + EPS < thresholdPct) return null;
  return {
    rule: 'revenue-drop',
    key: '',
    value: Math.round(drop * 10) / 10,
    threshold: thresholdPct,
    message:
      locale !== 'en'
        ? t(locale, 'alert.revenueDrop', {
            amount: formatMoneyL(locale, currentNetMinor, currency),
            drop: formatPercentL(locale, drop / 100),
            previous: formatMoneyL(locale, previousNetMinor, currency),
            kind: periodKind,
            threshold: thresholdL(locale, { kind: 'percent', value: thresholdPct }),
          })
        : `Net revenue ${formatMoney(currentNetMinor, currency)} is down ${formatPercent(drop / 100)} from ${formatMoney(previousNetMinor, currency)} ${periodBefore(periodKind)} (threshold: ${formatThreshold({ kind: 'percent', value: thresholdPct })}).`,
  };
}

/**
 * One breach per open deal at least `multiple` × its baseline (the owner's average won deal, or the
 * team's); key `deal:<id>`. Mentions when the deal carries most of the owner's remaining quota gap.
 *
 * @example
 * oversizedDealBreaches({ deals: [flag], multiple: 4, currency: 'USD' })[0]?.message;
 * // 'Open deal Acme ($50,000, Bob, stage Demo/Trial) is 5.0× Bob's average won deal $10,000 (threshold: 4×).'
 */
export function oversizedDealBreaches({
  deals,
  multiple,
  currency,
  locale = 'en',
}: {
  deals: ReadonlyArray<TOversizedDeal<TOpenDeal>>;
  multiple: number;
  currency: string;
  locale?: TLocale;
}): TAlertBreach[] {
  const out: TAlertBreach[] = [];
  for (const d of deals) {
    if (d.multiple + EPS < multiple) continue;
    const owner = d.deal.ownerName;
    const baseline = d.baselineSource === 'rep' ? `${owner}'s average won deal` : "the team's average won deal";
    let message = `Open deal ${d.deal.customer} (${formatMoney(d.deal.amountMinor, currency)}, ${owner}, stage ${stageLabel(d.deal.stage)}) is ${d.multiple.toFixed(1)}× ${baseline} ${formatMoney(d.baselineMinor, currency)} (threshold: ${formatThreshold({ kind: 'multiple', value: multiple })}).`;
    if (locale !== 'en') {
      message = t(locale, 'alert.oversized', {
        customer: d.deal.customer,
        amount: formatMoneyL(locale, d.deal.amountMinor, currency),
        owner,
        stage: stageL(locale, d.deal.stage),
        multiple: numL(locale, d.multiple),
        baseline: d.baselineSource === 'rep' ? 'rep' : 'team',
        baselineAmount: formatMoneyL(locale, d.baselineMinor, currency),
        threshold: thresholdL(locale, { kind: 'multiple', value: multiple }),
      });
      if (d.carriesMostOfGap && d.gapMinor !== null) message += t(locale, 'alert.oversizedGap', { owner, gap: formatMoneyL(locale, d.gapMinor, currency) });
    } else if (d.carriesMostOfGap && d.gapMinor !== null) message += ` It carries most of ${owner}'s remaining quota gap (${formatMoney(d.gapMinor, currency)}).`;
    out.push({ rule: 'oversized-deal', key: `deal:${d.deal.dealId}`, value: Math.round(d.multiple * 10) / 10, threshold: multiple, message });
  }
  return out;
}

/**
 * One breach per rep whose average won deal is at least `thresholdPct` percent below the group
 * average (key `rep:<id>`), lowest first. Reps with fewer than `minWon` won deals are left out.
 *
 * @example
 * dealSizeBelowBreaches({ reps: [bobLine], groupAverageMinor: 100_000n, currency: 'USD', thresholdPct: 20 })[0]?.message;
 * // "Bob's average deal $700 is 30.0% below the group average $1,000 (threshold: 20%; 3 won deals)."
 */
export function dealSizeBelowBreaches({
  reps,
  groupAverageMinor,
  currency,
  thresholdPct,
  minWon = ALERT_MIN_SAMPLES.repWonDeals,
  locale = 'en',
}: {
  reps: readonly TRepDealSizeLine[];
  groupAverageMinor: bigint | null;
  currency: string;
  thresholdPct: number;
  minWon?: number;
  locale?: TLocale;
}): TAlertBreach[] {
  if (groupAverageMinor === null || groupAverageMinor <= 0n) return [];
  const out: Array<TAlertBreach & { below: number }> = [];
  for (const line of reps) {
    const avg = line.average.averageMinor;
    if (avg === null || line.average.wonCount < minWon) continue;
    const below = (Number(groupAverageMinor - avg) / Number(groupAverageMinor)) * 100;
    if (below + EPS < thresholdPct) continue;
    out.push({
      rule: 'dealsize-below',
      key: `rep:${line.rep.repId}`,
      value: Math.round(below * 10) / 10,
      threshold: thresholdPct,
      below,
      message:
        locale !== 'en'
          ? t(locale, 'alert.dealsizeBelow', {
              name: line.rep.name,
              amount: formatMoneyL(locale, avg, currency),
              below: formatPercentL(locale, below / 100),
              average: formatMoneyL(locale, groupAverageMinor, currency),
              threshold: thresholdL(locale, { kind: 'percent', value: thresholdPct }),
              won: formatCountL(locale, line.average.wonCount),
            })
          : `${line.rep.name}'s average deal ${formatMoney(avg, currency)} is ${formatPercent(below / 100)} below the group average ${formatMoney(groupAverageMinor, currency)} (threshold: ${formatThreshold({ kind: 'percent', value: thresholdPct })}; ${formatCount(line.average.wonCount)} won deals).`,
    });
  }
  return out.sort((a, b) => b.below - a.below).map(({ below: _below, ...b }) => b);
}

/**
 * The biggest funnel leak (lowest stage-to-stage conversion) at least `thresholdPoints` below the
 * same step's pooled trailing average (over the policy's periods, named by `trailingLabel`); key
 * `step:<from>><to>`. Quiet with fewer than `minReached` deals at the step or without history.
 *
 * @example
 * funnelLeakBreach({ leak: { step: demoToProposal, comparison: { rate: 0.2, trailingAverage: 0.35, delta: -0.15, reading: 'worse', periods: 4 } },
 *   trailingLabel: 'the 4 weeks before', thresholdPoints: 10 })?.message;
 * // 'Biggest funnel leak Demo/Trial → Proposal converts 20.0%, 15.0 points below its average of the 4 weeks before, 35.0% (threshold: 10 points).'
 */
export function funnelLeakBreach({
  leak,
  trailingLabel,
  thresholdPoints,
  minReached = ALERT_MIN_SAMPLES.stepReached,
  locale = 'en',
}: {
  leak: { readonly step: TFunnelStep; readonly comparison: TLeakComparison } | null;
  /** The comparison policy's words for the trailing periods: `the 4 weeks before`. */
  trailingLabel: string;
  thresholdPoints: number;
  minReached?: number;
  locale?: TLocale;
}): TAlertBreach | null {
  if (!leak || leak.step.reached < minReached) return null;
  const { rate, trailingAverage, delta } = leak.comparison;
  if (rate === null || trailingAverage === null || delta === null) return null;
  const below = -delta * 100;
  if (below + EPS < thresholdPoints) return null;
  const step = `${stageLabel(leak.step.from)} → ${stageLabel(leak.step.to)}`;
  return {
    rule: 'funnel-leak',
    key: `step:${leak.step.from}>${leak.step.to}`,
    value: Math.round(below * 10) / 10,
    threshold: thresholdPoints,
    message:
      locale !== 'en'
        ? t(locale, 'alert.funnelLeak', {
            step: `${stageL(locale, leak.step.from)} → ${stageL(locale, leak.step.to)}`,
            rate: formatPercentL(locale, rate),
            below: pointsL(locale, below),
            label: trailingLabel,
            average: formatPercentL(locale, trailingAverage),
            threshold: thresholdL(locale, { kind: 'points', value: thresholdPoints }),
          })
        : `Biggest funnel leak ${step} converts ${formatPercent(rate)}, ${formatPoints(below)} below its average of ${trailingLabel}, ${formatPercent(trailingAverage)} (threshold: ${formatThreshold({ kind: 'points', value: thresholdPoints })}).`,
  };
}

/**
 * MRR churn (subscriptions): MRR lost to customers who churned in the period, as a share of MRR at
 * its start, at or above `thresholdPct` percent. Quiet without MRR at the start.
 *
 * @example
 * mrrChurnBreach({ movements: { startMrrMinor: 300_000_000n, churnedMinor: 30_000_000n, churnedCustomers: 3, customersAtStart: 30 }, currency: 'VND', periodKind: 'month', thresholdPct: 5 })?.message;
 * // 'MRR churn 10.0% this month: 3 of 30 customers left, taking 30,000,000 ₫ of 300,000,000 ₫ MRR (threshold: 5%).'
 */
export function mrrChurnBreach({
  movements,
  currency,
  periodKind,
  thresholdPct,
  locale = 'en',
}: {
  movements: Pick<TMrrMovements, 'startMrrMinor' | 'churnedMinor' | 'churnedCustomers' | 'customersAtStart'>;
  currency: string;
  periodKind: TAlertPeriodKind;
  thresholdPct: number;
  locale?: TLocale;
}): TAlertBreach | null {
  const m = movements;
  if (m.startMrrMinor <= 0n || m.churnedMinor <= 0n) return null;
  const share = Number((m.churnedMinor * 1_000_000n) / m.startMrrMinor) / 1_000_000;
  if (share * 100 + EPS < thresholdPct) return null;
  return {
    rule: 'mrr-churn',
    key: '',
    value: Math.round(share * 1000) / 10,
    threshold: thresholdPct,
    message:
      locale !== 'en'
        ? t(locale, 'alert.mrrChurn', {
            share: formatPercentL(locale, share),
            kind: periodKind,
            churned: formatCountL(locale, m.churnedCustomers),
            customers: formatCountL(locale, m.customersAtStart),
            lost: formatMoneyL(locale, m.churnedMinor, currency),
            start: formatMoneyL(locale, m.startMrrMinor, currency),
            threshold: thresholdL(locale, { kind: 'percent', value: thresholdPct }),
          })
        : `MRR churn ${formatPercent(share)} this ${periodKind}: ${formatCount(m.churnedCustomers)} of ${formatCount(m.customersAtStart)} customers left, taking ${formatMoney(m.churnedMinor, currency)} of ${formatMoney(m.startMrrMinor, currency)} MRR (threshold: ${formatThreshold({ kind: 'percent', value: thresholdPct })}).`,
  };
}

// ---------------------------------------------------------------------------------------------
// Parsing what people type
// ---------------------------------------------------------------------------------------------

/**
 * The rule a typed name or alias means, or null.
 *
 * @example
 * parseAlertRule('WinRate'); // 'winrate-drop'
 * parseAlertRule('oversized'); // 'oversized-deal'
 * parseAlertRule('weather'); // null
 */
export function parseAlertRule(input: string | undefined): TAlertRule | null {
  const s = (input ?? '').trim().toLowerCase().replace(/_/g, '-');
  if (!s) return null;
  for (const rule of ALERT_RULES) {
    if (rule === s || ALERT_RULE_INFO[rule].aliases.includes(s)) return rule;
  }
  return null;
}

/**
 * Reads a typed threshold for a rule; null when it is not a valid value for that rule. Points and
 * percents accept `15`, `15%`, `15pts`, `15 points`; multiples `5`, `5x`, `5×`; the band two
 * percents (`60% 90%`, `60-90`, `60%–90%`), low below high, both between 0 and 100.
 *
 * @example
 * parseAlertThreshold('winrate-drop', ['15']); // { kind: 'points', value: 15 }
 * parseAlertThreshold('revenue-drop', ['20%']); // { kind: 'percent', value: 20 }
 * parseAlertThreshold('oversized-deal', ['5x']); // { kind: 'multiple', value: 5 }
 * parseAlertThreshold('attainment-band', ['55%', '85%']); // { kind: 'band', lowPct: 55, highPct: 85 }
 * parseAlertThreshold('winrate-drop', ['-3']); // null
 */
export function parseAlertThreshold(rule: TAlertRule, words: readonly string[]): TAlertThreshold | null {
  const text = words.join(' ').trim().toLowerCase().replace(',', '.');
  const kind = ALERT_RULE_INFO[rule].thresholdKind;
  const number = (s: string, suffix: RegExp): number | null => {
    const m = new RegExp(`^(\\d+(?:\\.\\d+)?)\\s*(?:${suffix.source})?$`).exec(s.trim());
    if (!m) return null;
    const n = Number(m[1]);
    return Number.isFinite(n) ? n : null;
  };
  switch (kind) {
    case 'points': {
      const n = number(text, /%|pts?|points?|pp|percentage points?/);
      return n !== null && n > 0 && n <= 100 ? { kind, value: n } : null;
    }
    case 'percent': {
      const n = number(text, /%|pct|percent/);
      return n !== null && n > 0 && n <= 100 ? { kind, value: n } : null;
    }
    case 'multiple': {
      const n = number(text, /x|×|times/);
      return n !== null && n >= 1 && n <= 100 ? { kind, value: n } : null;
    }
    case 'band': {
      const m = /^(\d+(?:\.\d+)?)\s*%?\s*(?:-|–|—|to|\s)\s*(\d+(?:\.\d+)?)\s*%?$/.exec(text);
      if (!m) return null;
      const lowPct = Number(m[1]);
      const highPct = Number(m[2]);
      return lowPct >= 0 && highPct <= 100 && lowPct < highPct ? { kind, lowPct, highPct } : null;
    }
  }
}

/**
 * A snooze length typed as `1w`, `2 weeks`, `3d`, `12h` (default one week), in milliseconds;
 * null when unreadable or longer than 13 weeks.
 *
 * @example
 * parseSnoozeDuration(undefined); // 604800000 (1 week)
 * parseSnoozeDuration('3d'); // 259200000
 * parseSnoozeDuration('forever'); // null
 */
export function parseSnoozeDuration(input: string | undefined): number | null {
  const s = (input ?? '').trim().toLowerCase();
  const HOUR = 3_600_000;
  if (!s) return 7 * 24 * HOUR;
  const m = /^(\d+)\s*(h|hours?|d|days?|w|wk|wks|weeks?)$/.exec(s);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = m[2]!.charAt(0);
  const ms = n * (unit === 'h' ? HOUR : unit === 'd' ? 24 * HOUR : 7 * 24 * HOUR);
  return n > 0 && ms <= 13 * 7 * 24 * HOUR ? ms : null;
}
