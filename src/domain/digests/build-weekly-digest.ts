import { withClosedPeriodCache } from '../../storage/queries/closed-period-cache.js';
import { closedDealSeries, refundSeries } from '../../storage/queries/metrics.js';
import type { DigestSubscription, Workspace } from '../../storage/models.js';
import type { Db } from '../../storage/db.js';
import { teamNameById } from '../../storage/queries/names.js';
import { hasSubscriptions } from '../../storage/queries/subscriptions.js';
import { stageLabel } from '../deals/stages.js';
import { evaluateAlerts, evaluateAlertsFromReports, type TAlertEvaluation } from '../alerts/evaluate-alerts.js';
import { fireAlerts, type TFiredAlert } from '../alerts/fire-alerts.js';
import { buildKpiReport } from '../metrics/build-kpi-report.js';
import { comparisonPeriods } from '../metrics/kpi-periods.js';
import type { TScope } from '../metrics/scope.js';
import { averagePerPeriod, pooledAttainment } from '../metrics/trailing-averages.js';
import { periodOf, previousPeriod, trailingPeriods, type TPeriod, type TPeriodContext } from '../periods.js';
import { isValidTimeZone } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { TBuildDigest, TDigestMessage } from './run-digest.js';
import { DIGEST_KPIS, type TDigestAlert, type TDigestAlerts, type TDigestKpi, type TWeeklyDigestData } from './digest-data.js';
import { computeTopMovers } from './top-movers.js';
import { periodLabel, shortPeriodLabelL } from '../../i18n/format.js';
import { channelLocale, type TLocale } from '../../i18n/locales.js';
import { CATALOGS, t, type TMessageKey } from '../../i18n/t.js';

/**
 * The weekly digest content (SPEC §4, issue 4 item 3): gathers the figures of the subscription's
 * scope (its team, or the whole workspace) for the week before the slot, in the subscription's
 * zone, as `TWeeklyDigestData`, and hands them to the injected `render` (the Slack layer passes
 * its pure block builder, `buildWeeklyDigestMessage` in slack/blocks/digest.ts).
 *
 * Alerts: the scheduled digest evaluates the alert rules over the same week and scope and fires
 * them (`fireAlerts`: once per condition and period, snoozes respected); it lists the ones that
 * fired now and those still active. The preview evaluates only and changes no alert state.
 * Workspace-wide alerts newly fired by a digest are handed to `onAlertsFired` (the caller posts
 * them to the alerts channel with `postFiredAlerts`, which claims them first so each is posted
 * once; an alert whose post fails, or never happens, stays owed — `AlertEvent.postedAt` null —
 * and the daily alerts job's next tick posts it).
 */

export interface TBuildWeeklyDigestOptions {
  db: Db;
  workspace: Workspace;
  subscription: DigestSubscription;
  /** The slot's scheduled instant: the digest covers the complete week before it. */
  slotInstant: Date;
  /** Posted after downtime: the digest says so. */
  late: boolean;
  /** Clock: month/quarter-to-date pacing, "generated at". */
  now: Date;
  /** QuickChart base URL; null or empty leaves the charts out. */
  quickchartUrl: string | null;
  /** Called with workspace-wide alerts this digest fired (not for previews, not for team digests). */
  onAlertsFired?: (workspace: Workspace, fired: readonly TFiredAlert[], now: Date) => Promise<void>;
  /** Where an alert evaluation failure is reported (the digest still goes out, saying so). */
  logger?: Logger;
  /** Turns the figures into the message (the Slack layer's `buildWeeklyDigestMessage`). Default: text only. */
  render?: TRenderDigest;
}

/** The port through which the Slack layer renders a digest: figures in, message out. */
export type TRenderDigest = (data: TWeeklyDigestData) => { text: string; blocks?: TDigestMessage['blocks'] };

/**
 * Text-only rendering for callers that pass no renderer (scripts measuring the figures): the
 * digest's title line, no blocks.
 *
 * @example
 * renderDigestText(data).text; // 'Weekly sales digest — week of Nov 23, 2026 (Europe/Berlin), all reps'
 */
export function renderDigestText(data: TWeeklyDigestData): TDigestMessage {
  const text = `Weekly sales digest — ${data.weekLabel} (${data.timeZone}), ${data.scopeLabel}`;
  return { text: data.preview ? `[Preview] ${text}` : text, blocks: [] };
}

/** Weeks on the revenue trend chart. */
const TREND_WEEKS = 12;

/**
 * The subscription's KPI list (`kpis`, comma separated), known ones only, in display order; all of
 * them when none is known.
 *
 * @example
 * parseDigestKpis('quota, winrate,foo'); // ['winrate', 'quota']
 * parseDigestKpis(''); // ['revenue', 'winrate', 'conversion', 'dealsize', 'quota', 'funnel', 'mrr']
 */
export function parseDigestKpis(list: string): TDigestKpi[] {
  const words = new Set(
    list
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
  const out = DIGEST_KPIS.filter((k) => words.has(k));
  return out.length > 0 ? out : [...DIGEST_KPIS];
}

/**
 * The digest's KPIs with `mrr` added (in display order) when the workspace has subscriptions.
 *
 * @example
 * withMrrWhenSubscribed(['revenue', 'winrate'], true); // ['revenue', 'winrate', 'mrr']
 * withMrrWhenSubscribed(['revenue', 'winrate'], false); // ['revenue', 'winrate']
 */
export function withMrrWhenSubscribed(kpis: readonly TDigestKpi[], subscribed: boolean): TDigestKpi[] {
  if (!subscribed || kpis.includes('mrr')) return [...kpis];
  return DIGEST_KPIS.filter((k) => k === 'mrr' || kpis.includes(k));
}

/**
 * `week of Nov 23, 2026` → `Nov 23` (chart labels).
 *
 * @example
 * shortWeekLabel({ label: 'week of Nov 23, 2026', key: '2026-W48' }); // 'Nov 23'
 */
export function shortWeekLabel(p: Pick<TPeriod, 'label' | 'key'>): string {
  const m = /^week of ([A-Z][a-z]{2} \d{1,2})/.exec(p.label);
  return m?.[1] ?? p.key;
}

async function scopeOf(db: Db, workspace: Workspace, teamId: number | null, locale: TLocale): Promise<{ scope: TScope; label: string }> {
  if (teamId === null) return { scope: { kind: 'workspace' }, label: locale === 'en' ? 'all reps' : t(locale, 'kpi.common.allReps') };
  const name = await teamNameById(db, workspace.id, teamId);
  if (locale !== 'en') return { scope: { kind: 'team', teamId }, label: t(locale, 'digest.team', { name: name ?? `#${teamId}` }) };
  return { scope: { kind: 'team', teamId }, label: name !== null ? `team ${name}` : `team #${teamId}` };
}

/**
 * The digest's labels in its language: English keeps the periods' own labels and the comparison
 * policy's words; Vietnamese and Chinese take them from src/i18n.
 */
function digestLabels(locale: TLocale, policy: { period: TPeriod; previousLabel: string; trailingLabel: string; trailing: readonly TPeriod[] }, month: TPeriod, quarter: TPeriod) {
  if (locale === 'en') {
    return {
      week: policy.period.label,
      previous: policy.previousLabel,
      trailing: policy.trailingLabel,
      month: month.label,
      quarter: quarter.label,
      monthToDate: `${month.label} to date`,
      shortWeek: shortWeekLabel,
      stage: stageLabel,
    };
  }
  return {
    week: periodLabel(locale, policy.period),
    previous: t(locale, 'digest.weekBefore'),
    trailing: t(locale, 'period.trailing', { count: policy.trailing.length, kind: 'week' }),
    month: periodLabel(locale, month),
    quarter: periodLabel(locale, quarter),
    monthToDate: t(locale, 'digest.monthToDate', { month: periodLabel(locale, month) }),
    shortWeek: (p: TPeriod) => shortPeriodLabelL(locale, p),
    // Stage keys the catalog knows are translated; custom stage names are shown as typed.
    stage: (key: string) => (`stage.${key}` in CATALOGS.en ? t(locale, `stage.${key}` as TMessageKey) : stageLabel(key)),
  };
}

/** Net revenue (won − refunds) of each week, for the revenue chart's weeks outside the comparison. */
async function netRevenueOf(db: Db, workspaceId: number, scope: TScope, weeks: readonly TPeriod[]): Promise<bigint[]> {
  if (weeks.length === 0) return [];
  const [closed, refunds] = await Promise.all([closedDealSeries(db, { workspaceId, scope, ranges: weeks }), refundSeries(db, { workspaceId, scope, ranges: weeks })]);
  return closed.map((c, i) => c.wonMinor - (refunds[i] ?? 0n));
}

function alertItems(conditions: ReadonlyArray<{ title: string; message: string }>, isNew: boolean): TDigestAlert[] {
  return conditions.map((c) => ({ title: c.title, message: c.message, isNew }));
}

async function gather(opts: TBuildWeeklyDigestOptions, preview: boolean): Promise<TWeeklyDigestData> {
  const { workspace, subscription, slotInstant, now } = opts;
  // One history-version read for the digest's many reports (see withClosedPeriodCache).
  const db = await withClosedPeriodCache(opts.db, { workspaceId: workspace.id, now });
  const timeZone = isValidTimeZone(subscription.timeZone) ? subscription.timeZone : workspace.timeZone;
  const ctx: TPeriodContext = { now: slotInstant, timeZone, fiscalYearStartMonth: workspace.fiscalYearStartMonth };
  const thisWeek = periodOf('week', slotInstant, ctx);
  // The comparison policy for a week: the week before, and the trailing weeks (pooled averages).
  const policy = comparisonPeriods(previousPeriod(thisWeek, ctx), ctx);
  const week = policy.period;
  const prevWeek = policy.previous;
  const trailing = [...policy.trailing];
  // The revenue chart's older weeks: the chart's 12 weeks, and before each one the policy's
  // trailing weeks for its average point, reach further back than the comparison's own weeks.
  const chartHistory = trailingPeriods('week', TREND_WEEKS - 1 + trailing.length, week, ctx);
  const olderWeeks = chartHistory.slice(0, chartHistory.length - trailing.length);
  const nowCtx: TPeriodContext = { ...ctx, now };
  const month = periodOf('month', now, nowCtx);
  const quarter = periodOf('quarter', now, nowCtx);
  // A workspace with subscriptions always gets the MRR section (movements, retention) and its alert.
  const kpis = withMrrWhenSubscribed(parseDigestKpis(subscription.kpis), await hasSubscriptions(db, workspace.id));
  // A digest is a channel post: the workspace's language (a preview shows what the channel gets).
  const locale = channelLocale({ workspaceLanguage: workspace.language });
  const labels = digestLabels(locale, policy, month, quarter);
  const { scope, label: scopeLabel } = await scopeOf(db, workspace, subscription.teamId, locale);
  const base = { db, workspace, scope, now };
  const wantQuota = kpis.includes('quota');

  const compared = { range: week, previousRange: prevWeek, trailingRanges: trailing };
  const [revenue, olderNets, winrate, dealsize, funnel, quotaWeek, conversion, mrr, mtd, qtd, board, prevBoard] = await Promise.all([
    buildKpiReport({ ...base, kpi: 'revenue', ...compared }),
    netRevenueOf(db, workspace.id, scope, olderWeeks),
    buildKpiReport({ ...base, kpi: 'winrate', ...compared }),
    // Its oversized open deals feed the oversized-deal alert, which judges the pipeline as it is now.
    buildKpiReport({ ...base, kpi: 'dealsize', ...compared, options: { openDealsAt: 'now' } }),
    buildKpiReport({ ...base, kpi: 'funnel', ...compared }),
    buildKpiReport({ ...base, kpi: 'quota', range: week }),
    kpis.includes('conversion') ? buildKpiReport({ ...base, kpi: 'conversion', ...compared }) : null,
    kpis.includes('mrr') ? buildKpiReport({ ...base, kpi: 'mrr', ...compared }) : null,
    buildKpiReport({ ...base, kpi: 'quota', range: month }),
    buildKpiReport({ ...base, kpi: 'quota', range: quarter }),
    buildKpiReport({ ...base, kpi: 'leaderboard', range: week }),
    buildKpiReport({ ...base, kpi: 'leaderboard', range: prevWeek }),
  ]);
  let quotaWeeks: TWeeklyDigestData['quotaWeeks'] = null;
  if (wantQuota) {
    const [prevQuota, ...trailingQuota] = await Promise.all([prevWeek, ...trailing].map((range) => buildKpiReport({ ...base, kpi: 'quota', range })));
    quotaWeeks = { current: quotaWeek, previous: prevQuota ?? null, trailingAverage: pooledAttainment(trailingQuota.map((q) => q.total)) };
  }

  const weeks = [...olderWeeks, ...trailing, week];
  const nets = [...olderNets, ...revenue.trailing.map((n) => n.netMinor), revenue.current.netMinor];
  const n = trailing.length;
  const revenueWeeks = weeks
    .map((p, i) => ({
      label: labels.shortWeek(p),
      netMinor: nets[i] ?? 0n,
      // Each week against the average of the policy's weeks before it (the last one = revenue.trailingAverageNetMinor).
      trailingAverageMinor: i >= n ? averagePerPeriod(nets.slice(i - n, i)) : null,
    }))
    .slice(-TREND_WEEKS);

  // Alerts: same week and scope (in the workspace's zone when the subscription's differs, so the
  // digest and the daily job judge the same periods).
  let alerts: TDigestAlerts;
  try {
    const evaluation: TAlertEvaluation =
      timeZone === workspace.timeZone
        ? await evaluateAlertsFromReports({ db, workspace, now, periodKind: 'week', scope, reports: { winrate, revenue, quota: quotaWeek, dealsize, funnel, ...(mrr ? { mrr } : {}) }, period: week, currentWeek: periodOf('week', now, ctx) })
        : await evaluateAlerts({ db, workspace, now, periodKind: 'week', scope });
    if (preview) {
      const open = evaluation.conditions.filter((c) => c.snoozedUntil === null || c.snoozedUntil <= now);
      alerts = { items: alertItems(open, true), snoozed: evaluation.conditions.length - open.length, failed: false };
    } else {
      const result = await fireAlerts({ db, evaluation, now });
      alerts = { items: [...alertItems(result.fired, true), ...alertItems(result.active, false)], snoozed: result.snoozed.length, failed: false };
      if (scope.kind === 'workspace' && result.fired.length > 0 && opts.onAlertsFired) {
        await opts.onAlertsFired(workspace, result.fired, opts.now).catch((e: unknown) =>
          opts.logger?.error('digest: posting the alerts it fired failed', { workspaceId: workspace.id, error: e instanceof Error ? e.message : String(e) }),
        );
      }
    }
  } catch (e) {
    opts.logger?.error('digest: alert evaluation failed; the digest goes out without alerts', { workspaceId: workspace.id, subscriptionId: subscription.id, error: e instanceof Error ? e.message : String(e) });
    alerts = { items: [], snoozed: 0, failed: true };
  }

  return {
    ...(locale === 'en' ? {} : { locale }),
    weekLabel: labels.week,
    timeZone,
    scopeLabel,
    currency: workspace.currency,
    preview,
    late: opts.late && !preview ? { scheduledFor: slotInstant } : null,
    generatedAt: now,
    kpis,
    comparison: { previousLabel: labels.previous, trailingLabel: labels.trailing },
    revenue,
    winrate,
    dealsize,
    funnel,
    conversion,
    mrr,
    quotaWeeks,
    pacing: [
      { label: labels.month, report: mtd },
      { label: labels.quarter, report: qtd },
    ],
    movers: computeTopMovers({ current: board.rows, previous: prevBoard.rows, limit: 3 }),
    charts: {
      revenueWeeks,
      // No deal entered the funnel last week: no funnel chart (an all-zero chart says nothing).
      funnelStages: (funnel.funnel.reachedCounts[0] ?? 0) > 0 ? funnel.funnel.stages.map((s, i) => ({ label: labels.stage(s), count: funnel.funnel.reachedCounts[i] ?? 0 })) : [],
      ...(funnel.leak ? { funnelLeakIndex: funnel.leak.step.index } : {}),
      attainment: mtd.reps.map((r) => ({ name: r.rep.name, attainment: r.attainment.attainment ?? Number.NaN })),
      attainmentLabel: labels.monthToDate,
    },
    quickchartUrl: opts.quickchartUrl ? opts.quickchartUrl : null,
    alerts,
  };
}

function toDigestMessage(m: { text: string; blocks?: TDigestMessage['blocks'] }): TDigestMessage {
  return { text: m.text, blocks: m.blocks ?? [] };
}

/**
 * Builds the scheduled weekly digest of a subscription: `{ text, blocks }` within Block Kit limits,
 * with the alerts of the week fired and listed.
 *
 * @example
 * const { text, blocks } = await buildWeeklyDigest({ db, workspace, subscription, slotInstant: slot.scheduledFor,
 *   late: slot.late, now: new Date(), quickchartUrl: config.QUICKCHART_URL, render: buildWeeklyDigestMessage });
 * text; // 'Weekly sales digest — week of Nov 23, 2026 (Europe/Berlin), all reps: net revenue $12,000 (↑ 20.0% vs the week before); …'
 */
export async function buildWeeklyDigest(opts: TBuildWeeklyDigestOptions): Promise<TDigestMessage> {
  const data = await gather(opts, false);
  return toDigestMessage((opts.render ?? renderDigestText)(data));
}

/**
 * The same digest for `/kpi digest`, marked as a preview: alerts are evaluated but nothing is
 * recorded (no alert fires, recovers or is posted), and no "posted late" note.
 *
 * @example
 * const { text } = await buildDigestPreview({ db, workspace, subscription, slotInstant: now, now, quickchartUrl });
 * text.startsWith('[Preview]'); // true
 */
export async function buildDigestPreview(opts: Omit<TBuildWeeklyDigestOptions, 'late' | 'onAlertsFired'>): Promise<TDigestMessage> {
  const data = await gather({ ...opts, late: false }, true);
  return toDigestMessage((opts.render ?? renderDigestText)(data));
}

export interface TWeeklyDigestBuilderOptions {
  db: Db;
  quickchartUrl: string | null;
  /** Clock; default the real one. */
  now?: () => Date;
  /** Posts workspace-wide alerts a scheduled digest fired (e.g. `postFiredAlerts` through the delivery queue). */
  onAlertsFired?: TBuildWeeklyDigestOptions['onAlertsFired'];
  logger?: Logger;
  /** The Slack layer's `buildWeeklyDigestMessage`; without it digests are text only. */
  render?: TRenderDigest;
}

/**
 * The `buildDigest` that `runDigest` and `/kpi digest` (createDigestSubcommand) take: scheduled
 * slots get `buildWeeklyDigest`, previews (`slot.preview`) `buildDigestPreview`.
 *
 * @example
 * const buildDigest = createWeeklyDigestBuilder({ db, quickchartUrl: config.QUICKCHART_URL, render: buildWeeklyDigestMessage,
 *   onAlertsFired: (workspace, fired, now) => postFiredAlerts({ db, deliver: queue.deliver, workspace, fired, logger, now }).then(() => undefined) });
 * new WeeklyDigestJob({ db, deliver: queue.deliver, buildDigest, logger, graceMs, leaseMs });
 */
export function createWeeklyDigestBuilder(opts: TWeeklyDigestBuilderOptions): TBuildDigest {
  const clock = opts.now ?? (() => new Date());
  // Monday 09:00 brings many slots at once; channels of one workspace with the same scope, KPIs,
  // zone and slot get the same digest, so it is computed once (figures are of the finished week).
  const shared = new Map<string, { at: number; content: Promise<TDigestMessage> }>();
  const SHARE_MS = 10 * 60_000;
  return async (subscription, slot) => {
    if (!slot.preview) {
      const key = [subscription.workspace.id, subscription.teamId ?? '-', subscription.kpis, slot.timeZone || subscription.timeZone, slot.scheduledFor.getTime(), slot.late].join('|');
      const nowMs = Date.now();
      for (const [k, v] of shared) if (nowMs - v.at > SHARE_MS) shared.delete(k);
      const hit = shared.get(key);
      if (hit) return hit.content;
      const content = buildOne(subscription, slot);
      shared.set(key, { at: nowMs, content });
      // A failed build is not shared: the next slot tries again.
      content.catch(() => shared.delete(key));
      return content;
    }
    return buildOne(subscription, slot);
  };

  async function buildOne(...[subscription, slot]: Parameters<TBuildDigest>): Promise<TDigestMessage> {
    const { workspace, ...sub } = subscription;
    const subscriptionForSlot: DigestSubscription = { ...sub, timeZone: slot.timeZone || sub.timeZone };
    const common = {
      db: opts.db,
      workspace,
      subscription: subscriptionForSlot,
      slotInstant: slot.scheduledFor,
      now: clock(),
      quickchartUrl: opts.quickchartUrl,
      ...(opts.logger ? { logger: opts.logger } : {}),
      ...(opts.render ? { render: opts.render } : {}),
    };
    if (slot.preview) return buildDigestPreview(common);
    return buildWeeklyDigest({ ...common, late: slot.late, ...(opts.onAlertsFired ? { onAlertsFired: opts.onAlertsFired } : {}) });
  }
}
