import { withClosedPeriodCache } from '../../storage/queries/closed-period-cache.js';
import type { Workspace } from '../../storage/models.js';
import type { Db } from '../../storage/db.js';
import { activeSnoozeRows } from '../../storage/queries/lookups.js';
import { buildKpiReport } from '../metrics/build-kpi-report.js';
import { comparisonPeriods } from '../metrics/kpi-periods.js';
import type { TDealSizeReport, TFunnelReport, TMrrReport, TQuotaReport, TRevenueReport, TWinRateReport } from '../metrics/kpi-report.js';
import { hasSubscriptions } from '../../storage/queries/subscriptions.js';
import type { TScope } from '../metrics/scope.js';
import { periodOf, previousPeriod, type TPeriod, type TPeriodContext } from '../periods.js';
import { loadAlertSettings, type TAlertSettings } from './load-alert-settings.js';
import { periodLabel } from '../../i18n/format.js';
import { channelLocale, type TLocale } from '../../i18n/locales.js';
import { t } from '../../i18n/t.js';
import {
  ALERT_RULE_INFO,
  alertTitle,
  ALERT_RULES,
  attainmentBandBreach,
  dealSizeBelowBreaches,
  funnelLeakBreach,
  mrrChurnBreach,
  oversizedDealBreaches,
  revenueDropBreach,
  winRateDropBreach,
  type TAlertBreach,
  type TAlertPeriodKind,
  type TAlertRule,
} from './rules.js';

/** The reports the rules read; a rule whose report is missing is not evaluated. */
export interface TAlertReports {
  readonly winrate?: TWinRateReport;
  readonly revenue?: TRevenueReport;
  readonly quota?: TQuotaReport;
  readonly dealsize?: TDealSizeReport;
  readonly funnel?: TFunnelReport;
  /** Only for workspaces with subscriptions. */
  readonly mrr?: TMrrReport;
}

/** Which report each rule reads. */
export const REPORT_OF_RULE: Readonly<Record<TAlertRule, keyof TAlertReports>> = {
  'attainment-band': 'quota',
  'winrate-drop': 'winrate',
  'revenue-drop': 'revenue',
  'oversized-deal': 'dealsize',
  'dealsize-below': 'dealsize',
  'funnel-leak': 'funnel',
  'mrr-churn': 'mrr',
};

/** A breached condition in a scope and period, ready to be recorded. */
export interface TAlertCondition {
  readonly rule: TAlertRule;
  readonly title: string;
  /** Scope key, then the rule's own key: `all`, `team:3`, `all/rep:12`, `team:3/deal:8`. */
  readonly conditionKey: string;
  readonly periodKey: string;
  /** `week of Nov 23, 2026`; for oversized deals the current week (open deals are a state, not a past figure). */
  readonly periodLabel: string;
  readonly value: number;
  readonly threshold: number;
  readonly message: string;
  /** Snoozed (rule-wide or this condition) until this instant; null when not snoozed. */
  readonly snoozedUntil: Date | null;
}

export interface TAlertEvaluation {
  readonly workspaceId: number;
  readonly scope: TScope;
  readonly scopeKey: string;
  readonly periodKind: TAlertPeriodKind;
  /** The last complete period at the evaluation instant. */
  readonly period: TPeriod;
  /** Enabled rules that were evaluated, with the period key each used (for recovery). */
  readonly evaluated: ReadonlyArray<{ readonly rule: TAlertRule; readonly periodKey: string }>;
  /** Every breached condition, snoozed ones included (see `snoozedUntil`). */
  readonly conditions: readonly TAlertCondition[];
  readonly settings: TAlertSettings;
  readonly evaluatedAt: Date;
}

/**
 * Stable key of a scope inside condition keys.
 *
 * @example
 * scopeKeyOf({ kind: 'workspace' }); // 'all'
 * scopeKeyOf({ kind: 'team', teamId: 3 }); // 'team:3'
 */
export function scopeKeyOf(scope: TScope): string {
  switch (scope.kind) {
    case 'workspace':
      return 'all';
    case 'team':
      return `team:${scope.teamId}`;
    case 'rep':
      return `rep:${scope.repId}`;
  }
}

/**
 * A full condition key from a scope key and a rule's own key.
 *
 * @example
 * conditionKeyOf('all', ''); // 'all'
 * conditionKeyOf('team:3', 'rep:12'); // 'team:3/rep:12'
 */
export function conditionKeyOf(scopeKey: string, key: string): string {
  return key ? `${scopeKey}/${key}` : scopeKey;
}

/**
 * The period alerts of a kind look at: the last complete one before `now`, with its previous and
 * trailing periods from the comparison policy (`comparisonPeriods`: a week → the 4 weeks before, a
 * month → the 3 months before), in the workspace's zone and fiscal calendar; and the week
 * containing `now` (the period of oversized-deal alerts).
 *
 * @example
 * alertPeriods('week', ctx).period.key; // '2026-W47' when ctx.now is in 2026-W48
 * alertPeriods('month', ctx).trailingLabel; // 'the 3 months before'
 */
export function alertPeriods(
  kind: TAlertPeriodKind,
  ctx: TPeriodContext,
): { period: TPeriod; previous: TPeriod; trailing: TPeriod[]; trailingLabel: string; currentWeek: TPeriod } {
  const policy = comparisonPeriods(previousPeriod(periodOf(kind, ctx.now, ctx), ctx), ctx);
  return { period: policy.period, previous: policy.previous, trailing: [...policy.trailing], trailingLabel: policy.trailingLabel, currentWeek: periodOf('week', ctx.now, ctx) };
}

/**
 * Whether a rule is evaluated for a period kind. Oversized deals are open deals judged now, once
 * per current week: only the weekly evaluation looks at them (a monthly one would judge the same
 * deals against a slightly different baseline and could flap).
 *
 * @example
 * ruleAppliesTo('oversized-deal', 'month'); // false
 * ruleAppliesTo('winrate-drop', 'month'); // true
 */
export function ruleAppliesTo(rule: TAlertRule, periodKind: TAlertPeriodKind): boolean {
  return rule !== 'oversized-deal' || periodKind === 'week';
}

/**
 * Runs the enabled rules over KPI reports (pure). Each rule reads one report; missing reports and
 * disabled rules yield nothing. Thresholds come from `settings`.
 *
 * @example
 * computeAlertBreaches({ reports: { winrate }, settings, periodKind: 'week', trailingLabel: 'the 4 weeks before', currency: 'USD' });
 * // [{ rule: 'winrate-drop', key: '', value: 13.5, threshold: 10, message: 'Win rate 22.0% is 13.5 points below …' }]
 */
export function computeAlertBreaches({
  reports,
  settings,
  periodKind,
  trailingLabel,
  currency,
  locale = 'en',
}: {
  reports: TAlertReports;
  settings: TAlertSettings;
  periodKind: TAlertPeriodKind;
  /** The policy's words for the reports' trailing periods (`the 4 weeks before`), in `locale`. */
  trailingLabel: string;
  currency: string;
  /** The language of the messages: the workspace's (alerts are channel posts); English when absent. */
  locale?: TLocale;
}): TAlertBreach[] {
  const out: TAlertBreach[] = [];
  for (const rule of ALERT_RULES) {
    const setting = settings[rule];
    if (!setting.enabled) continue;
    const t = setting.threshold;
    switch (rule) {
      case 'attainment-band': {
        if (!reports.quota || t.kind !== 'band') break;
        const b = attainmentBandBreach({ ratio: reports.quota.ratio, lowPct: t.lowPct, highPct: t.highPct, locale });
        if (b) out.push(b);
        break;
      }
      case 'winrate-drop': {
        const r = reports.winrate;
        if (!r || t.kind !== 'points' || r.trailingRanges.length === 0) break;
        const b = winRateDropBreach({ current: r.current, trailingAverage: r.trailingAverage, trailingLabel, thresholdPoints: t.value, locale });
        if (b) out.push(b);
        break;
      }
      case 'revenue-drop': {
        const r = reports.revenue;
        if (!r || t.kind !== 'percent') break;
        const b = revenueDropBreach({ currentNetMinor: r.current.netMinor, previousNetMinor: r.previous?.netMinor ?? null, currency, periodKind, thresholdPct: t.value, locale });
        if (b) out.push(b);
        break;
      }
      case 'oversized-deal': {
        const r = reports.dealsize;
        if (!r || t.kind !== 'multiple' || !ruleAppliesTo(rule, periodKind)) break;
        out.push(...oversizedDealBreaches({ deals: r.oversizedDeals, multiple: t.value, currency, locale }));
        break;
      }
      case 'dealsize-below': {
        const r = reports.dealsize;
        if (!r || t.kind !== 'percent') break;
        out.push(...dealSizeBelowBreaches({ reps: r.byRep, groupAverageMinor: r.groupAverageMinor, currency, thresholdPct: t.value, locale }));
        break;
      }
      case 'funnel-leak': {
        const r = reports.funnel;
        if (!r || t.kind !== 'points') break;
        const b = funnelLeakBreach({ leak: r.leak, trailingLabel, thresholdPoints: t.value, locale });
        if (b) out.push(b);
        break;
      }
      case 'mrr-churn': {
        const r = reports.mrr;
        if (!r || t.kind !== 'percent') break;
        const b = mrrChurnBreach({ movements: r.movements, currency, periodKind, thresholdPct: t.value, locale });
        if (b) out.push(b);
        break;
      }
    }
  }
  return out;
}

/** Active snoozes of a workspace: `rule|conditionKey` (or `rule|*`) → until. */
async function activeSnoozes(db: Db, workspaceId: number, now: Date): Promise<Map<string, Date>> {
  const rows = await activeSnoozeRows(db, workspaceId, now);
  return new Map(rows.map((r) => [`${r.rule}|${r.conditionKey}`, r.until]));
}

/**
 * The later of a rule-wide snooze (`rule|*`) and a condition's own snooze, or null.
 *
 * @example
 * snoozedUntilOf(new Map([['winrate-drop|*', until]]), 'winrate-drop', 'team:3'); // until
 */
export function snoozedUntilOf(snoozes: ReadonlyMap<string, Date>, rule: string, conditionKey: string): Date | null {
  const a = snoozes.get(`${rule}|*`);
  const b = snoozes.get(`${rule}|${conditionKey}`);
  if (a && b) return a > b ? a : b;
  return a ?? b ?? null;
}

export interface TEvaluateAlertsFromReportsOptions {
  db: Db;
  workspace: Workspace;
  now: Date;
  periodKind: TAlertPeriodKind;
  scope: TScope;
  /** Reports over the last complete period, built with the comparison policy's previous and trailing periods (`comparisonPeriods`). */
  reports: TAlertReports;
  /** The period the reports cover. */
  period: TPeriod;
  /** The week containing `now`: open deals are a state, judged now, so oversized-deal alerts use its key whatever `periodKind`. */
  currentWeek: TPeriod;
  settings?: TAlertSettings;
}

/**
 * Turns reports already built (e.g. by the digest) into conditions: rules, scope-prefixed keys,
 * period keys, snoozes. Reads settings and snoozes; writes nothing.
 *
 * @example
 * const evaluation = await evaluateAlertsFromReports({ db, workspace, now, periodKind: 'week', scope, reports, period: lastWeek, currentWeek: thisWeek });
 */
export async function evaluateAlertsFromReports(opts: TEvaluateAlertsFromReportsOptions): Promise<TAlertEvaluation> {
  const { db, workspace, now, periodKind, scope, reports, period, currentWeek } = opts;
  const settings = opts.settings ?? (await loadAlertSettings({ db, workspace }));
  const scopeKey = scopeKeyOf(scope);
  const snoozes = await activeSnoozes(db, workspace.id, now);
  const periodOfRule = (rule: TAlertRule): TPeriod => (rule === 'oversized-deal' ? currentWeek : period);
  // The words for the trailing average come from the same policy that chose the reports' periods.
  const policy = comparisonPeriods(period, { now, timeZone: period.timeZone, fiscalYearStartMonth: workspace.fiscalYearStartMonth });
  // Alerts are channel posts (and digest lines): the workspace's language, fixed when they fire.
  const locale = channelLocale({ workspaceLanguage: workspace.language });
  const trailingLabel = locale === 'en' ? policy.trailingLabel : t(locale, 'period.trailing', { count: policy.trailing.length, kind: policy.trailing[0]?.kind ?? period.kind });
  const evaluated = ALERT_RULES.filter((rule) => settings[rule].enabled && ruleAppliesTo(rule, periodKind) && reports[REPORT_OF_RULE[rule]] !== undefined).map((rule) => ({
    rule,
    periodKey: periodOfRule(rule).key,
  }));
  const conditions = computeAlertBreaches({ reports, settings, periodKind, trailingLabel, currency: workspace.currency, locale }).map((b): TAlertCondition => {
    const conditionKey = conditionKeyOf(scopeKey, b.key);
    const p = periodOfRule(b.rule);
    return {
      rule: b.rule,
      title: alertTitle(b.rule, locale),
      conditionKey,
      periodKey: p.key,
      periodLabel: periodLabel(locale, p),
      value: b.value,
      threshold: b.threshold,
      message: b.message,
      snoozedUntil: snoozedUntilOf(snoozes, b.rule, conditionKey),
    };
  });
  return { workspaceId: workspace.id, scope, scopeKey, periodKind, period, evaluated, conditions, settings, evaluatedAt: now };
}

export interface TEvaluateAlertsOptions {
  db: Db;
  workspace: Workspace;
  now: Date;
  periodKind: TAlertPeriodKind;
  scope: TScope;
}

/**
 * Evaluates the workspace's enabled alert rules over the last complete week or month before `now`
 * (workspace zone), for a scope: builds the KPI reports the rules need (previous and trailing
 * periods from the comparison policy, see `alertPeriods`) and returns every breached condition with its snooze state. Writes nothing;
 * `fireAlerts` records the result.
 *
 * @example
 * const evaluation = await evaluateAlerts({ db, workspace, now: new Date(), periodKind: 'week', scope: { kind: 'workspace' } });
 * evaluation.conditions.map((c) => c.message);
 * // ['Win rate 22.0% is 13.5 points below its average of the 4 weeks before, 35.5% (threshold: 10 points).']
 */
export async function evaluateAlerts(opts: TEvaluateAlertsOptions): Promise<TAlertEvaluation> {
  const { workspace, now, periodKind, scope } = opts;
  // One history-version read for the reports the rules need (see withClosedPeriodCache).
  const db = await withClosedPeriodCache(opts.db, { workspaceId: workspace.id, now });
  const settings = await loadAlertSettings({ db, workspace });
  const ctx: TPeriodContext = { now, timeZone: workspace.timeZone, fiscalYearStartMonth: workspace.fiscalYearStartMonth };
  const { period, previous, trailing, currentWeek } = alertPeriods(periodKind, ctx);
  const needed = new Set(ALERT_RULES.filter((r) => settings[r].enabled && ruleAppliesTo(r, periodKind)).map((r) => REPORT_OF_RULE[r]));
  // MRR churn is only watched in workspaces that have subscriptions.
  if (needed.has('mrr') && !(await hasSubscriptions(db, workspace.id))) needed.delete('mrr');
  const base = { db, workspace, range: period, scope, now };
  const [winrate, revenue, quota, dealsize, funnel, mrr] = await Promise.all([
    needed.has('winrate') ? buildKpiReport({ ...base, kpi: 'winrate', trailingRanges: trailing }) : undefined,
    needed.has('revenue') ? buildKpiReport({ ...base, kpi: 'revenue', previousRange: previous }) : undefined,
    needed.has('quota') ? buildKpiReport({ ...base, kpi: 'quota' }) : undefined,
    // Oversized-deal alerts judge the open pipeline as it is now, not at the period's end.
    needed.has('dealsize') ? buildKpiReport({ ...base, kpi: 'dealsize', options: { openDealsAt: 'now' } }) : undefined,
    needed.has('funnel') ? buildKpiReport({ ...base, kpi: 'funnel', trailingRanges: trailing }) : undefined,
    needed.has('mrr') ? buildKpiReport({ ...base, kpi: 'mrr' }) : undefined,
  ]);
  const reports: TAlertReports = {
    ...(winrate ? { winrate } : {}),
    ...(revenue ? { revenue } : {}),
    ...(quota ? { quota } : {}),
    ...(dealsize ? { dealsize } : {}),
    ...(funnel ? { funnel } : {}),
    ...(mrr ? { mrr } : {}),
  };
  return evaluateAlertsFromReports({ db, workspace, now, periodKind, scope, reports, period, currentWeek, settings });
}
