import { evaluateAlerts } from '../domain/alerts/evaluate-alerts.js';
import { fireAlerts } from '../domain/alerts/fire-alerts.js';
import type { TAlertPeriodKind } from '../domain/alerts/rules.js';
import type { TDeliver } from '../domain/digests/run-digest.js';
import { localParts } from '../domain/periods.js';
import type { Workspace } from '../storage/models.js';
import { CronJob } from './cron-job.js';
import type { Logger } from '../logger.js';
import type { Db } from '../storage/db.js';
import { deliverOwedAlerts } from '../slack/post-alerts.js';
import { listWorkspaces } from '../domain/workspaces/find-workspace.js';

/**
 * Daily threshold alerts (SPEC §4). An hourly tick evaluates every workspace whose local hour (in
 * its own zone) is the alert hour, 08:00 by default, so each workspace is evaluated once a day at
 * its own morning whatever the DST changes. Evaluation covers the last complete week and month,
 * workspace-wide; `fireAlerts` records each breach once per condition and period.
 *
 * Posting is a separate step that runs on every tick, for every workspace (`deliverOwedAlerts`):
 * each workspace-wide alert not yet posted to `Workspace.alertsChannelId` — fired by this tick, by
 * a weekly digest, or by an earlier tick whose post failed or whose instance died — is posted then,
 * unless it recovered, is snoozed, or fired more than 7 days ago (the rule is in
 * `domain/alerts/alert-posting.ts`; workspaces without an alerts channel see their alerts in the
 * digests and `/kpi alerts` only). `postedAt` is set only once Slack accepted the message.
 *
 * Exactly once with several instances: every instance may evaluate the same workspace in the same
 * hour, but the AlertEvent unique key (workspace, rule, condition, period) lets exactly one of them
 * fire each alert, and a conditional claim (`postingUntil` lease) lets exactly one post it. A
 * restart within the hour catches up (`start()` ticks at once); a day missed entirely is caught up
 * the next morning when the condition still holds.
 */

export const DEFAULT_ALERT_HOUR = 8;
/** Top of every hour, UTC; the local hour is checked per workspace. */
export const DEFAULT_ALERTS_TICK_CRON = '0 * * * *';
export const DEFAULT_ALERT_PERIOD_KINDS: readonly TAlertPeriodKind[] = ['week', 'month'];

export interface TRunDailyAlertsOptions {
  db: Db;
  now: Date;
  deliver: TDeliver;
  logger: Logger;
  /** Local hour (0–23) at which a workspace is evaluated. Default 8. */
  hour?: number;
  periodKinds?: readonly TAlertPeriodKind[];
  /** Only these workspaces (tests, a manual run); default every workspace whose local hour matches. */
  workspaceIds?: readonly number[];
  /** OAuth mode: only workspaces an active installation serves (evaluated and posted); default all. */
  servedWorkspaceIds?: ReadonlySet<number>;
}

export interface TDailyAlertsSummary {
  /** Workspaces evaluated in this run. */
  workspaces: number;
  fired: number;
  /** Alert messages delivered (alerts fired now, and earlier ones still owed a post). */
  posted: number;
  /** Alert messages not delivered (the alerts stay owed; a later tick tries again). */
  failed: number;
  recovered: number;
  snoozed: number;
  /** Workspaces whose evaluation threw (logged; the next day tries again). */
  errors: number;
}

/**
 * Whether `now` is in the alert hour in `timeZone` (false for an unknown zone).
 *
 * @example
 * isAlertHour(new Date('2026-11-30T07:00:00Z'), 'Europe/Berlin', 8); // true (08:00 CET)
 * isAlertHour(new Date('2026-07-06T07:00:00Z'), 'Europe/Berlin', 8); // false (09:00 CEST)
 */
export function isAlertHour(now: Date, timeZone: string, hour: number): boolean {
  try {
    return localParts(now, timeZone).hour === hour;
  } catch {
    return false;
  }
}

/**
 * One run: evaluates and fires the alerts of every workspace at its alert hour (or the given
 * workspaces whatever the hour), then posts every alert owed a post (all workspaces, or the given
 * ones). A plain function: no cron, injected clock and delivery.
 *
 * @example
 * await runDailyAlerts({ db, now: new Date('2026-11-30T07:00:00Z'), deliver: queue.deliver, logger });
 * // { workspaces: 1, fired: 2, posted: 2, failed: 0, recovered: 0, snoozed: 0, errors: 0 }
 */
export async function runDailyAlerts(opts: TRunDailyAlertsOptions): Promise<TDailyAlertsSummary> {
  const { db, now, deliver, logger } = opts;
  const hour = opts.hour ?? DEFAULT_ALERT_HOUR;
  const kinds = opts.periodKinds ?? DEFAULT_ALERT_PERIOD_KINDS;
  const summary: TDailyAlertsSummary = { workspaces: 0, fired: 0, posted: 0, failed: 0, recovered: 0, snoozed: 0, errors: 0 };
  const served = opts.servedWorkspaceIds;
  const all: Workspace[] = (await listWorkspaces({ db, ids: opts.workspaceIds })).filter((w) => !served || served.has(w.id));
  const due = opts.workspaceIds ? all : all.filter((w) => isAlertHour(now, w.timeZone, hour));
  // Owed alerts are posted for the same workspaces: the given ones, else all (the served ones in OAuth mode).
  const postFor = opts.workspaceIds ? all.map((w) => w.id) : served ? [...served] : undefined;
  for (const workspace of due) {
    summary.workspaces++;
    try {
      let fired = 0;
      for (const periodKind of kinds) {
        const evaluation = await evaluateAlerts({ db, workspace, now, periodKind, scope: { kind: 'workspace' } });
        const result = await fireAlerts({ db, evaluation, now });
        fired += result.fired.length;
        summary.recovered += result.recovered;
        summary.snoozed += result.snoozed.length;
      }
      summary.fired += fired;
      if (fired > 0) logger.info('alerts fired', { workspaceId: workspace.id, fired, channel: workspace.alertsChannelId });
    } catch (e) {
      summary.errors++;
      logger.error('alert evaluation failed', { workspaceId: workspace.id, error: e instanceof Error ? e.message : String(e) });
    }
  }
  try {
    const delivered = await deliverOwedAlerts({ db, deliver, logger, now, ...(postFor ? { workspaceIds: postFor } : {}) });
    summary.posted += delivered.posted;
    summary.failed += delivered.failed;
    if (delivered.posted > 0 || delivered.failed > 0) logger.info('alerts posted', { ...delivered });
  } catch (e) {
    summary.errors++;
    logger.error('posting owed alerts failed; the next tick tries again', { error: e instanceof Error ? e.message : String(e) });
  }
  return summary;
}

export interface DailyAlertsJobOptions {
  db: Db;
  deliver: TDeliver;
  logger: Logger;
  /** Injected clock. */
  now?: () => Date;
  hour?: number;
  periodKinds?: readonly TAlertPeriodKind[];
  /** node-cron expression of the tick (UTC). Default hourly at minute 0. */
  cronExpression?: string;
  /** OAuth mode: the workspaces an active installation serves, asked at each tick; default all. */
  servedWorkspaces?: () => Promise<ReadonlySet<number>>;
}

/**
 * node-cron wrapper around `runDailyAlerts`: ticks hourly (UTC), skips a tick while the previous
 * one still runs, never throws.
 *
 * @example
 * const job = new DailyAlertsJob({ db, deliver: queue.deliver, logger });
 * job.start();
 * // on shutdown: await job.stop();
 */
export class DailyAlertsJob extends CronJob<TDailyAlertsSummary> {
  constructor(private readonly opts: DailyAlertsJobOptions) {
    super('daily alerts', opts.cronExpression ?? DEFAULT_ALERTS_TICK_CRON, opts.logger, { hour: opts.hour ?? DEFAULT_ALERT_HOUR });
  }

  /** Starts ticking (idempotent) and ticks once now, so a restart inside the alert hour catches up. */
  override start(): void {
    if (this.started) return;
    super.start();
    void this.tick();
  }

  protected async runOnce(): Promise<TDailyAlertsSummary> {
    const servedWorkspaceIds = await this.opts.servedWorkspaces?.();
    return runDailyAlerts({
      ...(servedWorkspaceIds ? { servedWorkspaceIds } : {}),
      db: this.opts.db,
      now: this.opts.now?.() ?? new Date(),
      deliver: this.opts.deliver,
      logger: this.opts.logger,
      ...(this.opts.hour !== undefined ? { hour: this.opts.hour } : {}),
      ...(this.opts.periodKinds ? { periodKinds: this.opts.periodKinds } : {}),
    });
  }

  protected worthLogging(summary: TDailyAlertsSummary): boolean {
    return summary.workspaces > 0 || summary.posted > 0 || summary.failed > 0;
  }
}
