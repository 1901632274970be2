import type { Workspace } from '../storage/models.js';
import {
  ALERT_PERMANENT_FAILURE_RETRY_MS,
  ALERT_POST_LEASE_MS,
  claimAlertEvents,
  listOwedAlerts,
  markAlertEventsPosted,
  releaseAlertEvents,
  settleAlertsWithoutChannel,
  settleDeliveredAlerts,
  type TPostableAlert,
} from '../domain/alerts/alert-posting.js';
import { ALERT_RULES } from '../domain/alerts/rules.js';
import type { TDeliver, TDeliveryResult } from '../domain/digests/run-digest.js';
import type { Logger } from '../logger.js';
import type { Db } from '../storage/db.js';
import { buildAlertMessage, buildAlertOverflowMessage, MAX_INDIVIDUAL_ALERTS } from './blocks/alerts.js';
import { channelLocale } from '../i18n/locales.js';
import { t } from '../i18n/t.js';

export interface TPostFiredAlertsOptions {
  db: Db;
  /** The delivery port (the DeliveryQueue's `deliver`: paced per channel, retried, recorded). */
  deliver: TDeliver;
  workspace: Workspace;
  /** Fired alerts (from `fireAlerts`, or owed ones from `listOwedAlerts`), workspace-wide. */
  fired: readonly TPostableAlert[];
  logger: Logger;
  /** Claim and `postedAt` instant. */
  now: Date;
  /** Posted one by one before the rest go into one summary. Default `MAX_INDIVIDUAL_ALERTS`. */
  maxIndividual?: number;
  /** How long the claim on the alerts lasts. Default `ALERT_POST_LEASE_MS`. */
  leaseMs?: number;
}

export interface TPostFiredAlertsResult {
  /** Messages delivered (alerts one by one, plus the summary). */
  posted: number;
  failed: number;
  /** Why nothing was posted, if so. */
  skipped: 'no-alerts-channel' | 'nothing-fired' | 'claimed-elsewhere' | null;
}

/** Delivery attempts stop this long before the claim ends, so a slow retry never overlaps a takeover. */
const LEASE_MARGIN_MS = 60_000;

/**
 * Posts fired alerts to the workspace's alerts channel: the first ten as their own messages with
 * a *Snooze 1 week* button, the rest in one summary (rule order, then the order they fired).
 *
 * Exactly once across instances, and never lost (see `domain/alerts/alert-posting.ts`): the alerts
 * are claimed first (those another instance is posting, or already posted, are left out); each
 * message's alerts are marked posted once Slack accepted it, and released on failure so the daily
 * job's sweep (`deliverOwedAlerts`) tries again. Without an alerts channel nothing is posted and
 * the alerts count as posted (they show in the digests and `/kpi alerts`). Delivery failures are
 * logged and counted, never thrown.
 *
 * @example
 * await postFiredAlerts({ db, deliver: queue.deliver, workspace, fired, logger, now: new Date() });
 * // { posted: 2, failed: 0, skipped: null }
 */
export async function postFiredAlerts(opts: TPostFiredAlertsOptions): Promise<TPostFiredAlertsResult> {
  const { db, deliver, workspace, fired, logger, now } = opts;
  const channelId = workspace.alertsChannelId;
  if (fired.length === 0) return { posted: 0, failed: 0, skipped: 'nothing-fired' };
  if (!channelId) {
    await settleAlertsWithoutChannel({ db, now, workspaceIds: [workspace.id] });
    return { posted: 0, failed: 0, skipped: 'no-alerts-channel' };
  }
  const leaseMs = opts.leaseMs ?? ALERT_POST_LEASE_MS;
  const claim = await claimAlertEvents({ db, eventIds: fired.map((a) => a.eventId), now, leaseMs });
  if (claim.eventIds.length === 0) return { posted: 0, failed: 0, skipped: 'claimed-elsewhere' };
  // Measured as elapsed time (the caller's `now` may be simulated): no attempt after the claim ends.
  const startedAt = performance.now();
  const budgetMs = Math.max(0, leaseMs - Math.min(LEASE_MARGIN_MS, leaseMs / 4));
  const mine = new Set(claim.eventIds);
  const ordered = fired.filter((a) => mine.has(a.eventId)).sort((a, b) => ALERT_RULES.indexOf(a.rule) - ALERT_RULES.indexOf(b.rule) || a.eventId - b.eventId);
  const max = opts.maxIndividual ?? MAX_INDIVIDUAL_ALERTS;
  const single = ordered.slice(0, max);
  const rest = ordered.slice(max);
  let posted = 0;
  let failed = 0;
  const send = async (message: { text: string; blocks?: NonNullable<Parameters<TDeliver>[0]['message']['blocks']> }, alerts: readonly TPostableAlert[], refId: number | null) => {
    const eventIds = alerts.map((a) => a.eventId);
    let result: TDeliveryResult;
    try {
      const elapsed = performance.now() - startedAt;
      result = await deliver({ workspaceId: workspace.id, channelId, kind: 'alert', refId, message, timeBudgetMs: Math.max(0, budgetMs - elapsed), at: new Date(now.getTime() + elapsed) });
    } catch (e) {
      result = { status: 'failed', error: e instanceof Error ? e.message : String(e), attempts: 0, permanent: false, subscriptionDisabled: false };
      logger.error('alert delivery crashed', { workspaceId: workspace.id, channel: channelId, refId, error: result.error });
    }
    if (result.status === 'sent') {
      posted++;
      await markAlertEventsPosted({ db, eventIds, leaseUntil: claim.leaseUntil, now });
      return;
    }
    failed++;
    logger.warn('alert not delivered; it stays owed and is tried again', { workspaceId: workspace.id, channel: channelId, refId, error: result.error, permanent: result.permanent });
    await releaseAlertEvents({ db, eventIds, leaseUntil: claim.leaseUntil, retryAt: result.permanent ? new Date(now.getTime() + ALERT_PERMANENT_FAILURE_RETRY_MS) : null });
  };
  // The alerts channel reads the workspace's language; titles and messages were written in it when they fired.
  const locale = channelLocale({ workspaceLanguage: workspace.language });
  // Daily alerts are workspace-wide: their scope is "all reps" in the channel's language.
  const scope = t(locale, 'kpi.common.allReps');
  for (const alert of single) await send(buildAlertMessage({ alert, scopeLabel: scope, timeZone: workspace.timeZone, locale }), [alert], alert.eventId);
  if (rest.length > 0) await send(buildAlertOverflowMessage({ alerts: rest, scopeLabel: scope, timeZone: workspace.timeZone, locale }), rest, null);
  return { posted, failed, skipped: null };
}

export interface TDeliverOwedAlertsResult {
  /** Workspaces that had alerts owed a post. */
  workspaces: number;
  posted: number;
  failed: number;
  /** Alerts of workspaces without an alerts channel, now counted as posted (nothing sent). */
  settled: number;
  /** Alerts found posted by an instance that died before recording it: marked posted, not re-posted. */
  alreadyPosted: number;
}

/**
 * The sweep the daily alerts job runs every tick: settles the alerts of workspaces without an
 * alerts channel and those whose post is on record (a sent Delivery), then posts every alert still owed (fired by this tick, by a digest, or by an
 * earlier run whose post failed or whose instance died) — see `listOwedAlerts` for which.
 *
 * @example
 * await deliverOwedAlerts({ db, deliver: queue.deliver, logger, now: new Date() });
 * // { workspaces: 1, posted: 2, failed: 0, settled: 0, alreadyPosted: 0 }
 */
export async function deliverOwedAlerts(opts: {
  db: Db;
  deliver: TDeliver;
  logger: Logger;
  now: Date;
  workspaceIds?: readonly number[];
  leaseMs?: number;
}): Promise<TDeliverOwedAlertsResult> {
  const { db, deliver, logger, now } = opts;
  const scope = opts.workspaceIds ? { workspaceIds: opts.workspaceIds } : {};
  const settled = await settleAlertsWithoutChannel({ db, now, ...scope });
  const alreadyPosted = await settleDeliveredAlerts({ db, now, ...scope });
  if (alreadyPosted > 0) logger.warn('alerts had been posted by an instance that died before recording it; marked posted, not posted again', { alerts: alreadyPosted });
  const owed = await listOwedAlerts({ db, now, ...scope });
  const result: TDeliverOwedAlertsResult = { workspaces: owed.length, posted: 0, failed: 0, settled, alreadyPosted };
  for (const { workspace, alerts } of owed) {
    try {
      const r = await postFiredAlerts({ db, deliver, workspace, fired: alerts, logger, now, ...(opts.leaseMs !== undefined ? { leaseMs: opts.leaseMs } : {}) });
      result.posted += r.posted;
      result.failed += r.failed;
    } catch (e) {
      result.failed++;
      logger.error('posting owed alerts failed', { workspaceId: workspace.id, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return result;
}
