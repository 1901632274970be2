import type { AlertEvent, Workspace } from '../../storage/models.js';
import { periodLabel as periodLabelL } from '../../i18n/format.js';
import { channelLocale } from '../../i18n/locales.js';
import type { Db } from '../../storage/db.js';
import {
  claimUnpostedAlertEvents,
  markChannelLessAlertEventsPosted,
  markClaimedAlertEventsPosted,
  markDeliveredAlertEventsPosted,
  releaseClaimedAlertEvents,
  runningAlertSnoozes,
  unpostedWorkspaceAlertEvents,
} from '../../storage/queries/alerts.js';
import { parsePeriod } from '../periods.js';
import { snoozedUntilOf } from './evaluate-alerts.js';
import type { TFiredAlert } from './fire-alerts.js';
import { loadAlertSettings } from './load-alert-settings.js';
import { alertTitle, parseAlertRule } from './rules.js';

/**
 * Delivery bookkeeping of fired alerts: an alert is recorded (`fireAlerts`) before it is posted, so
 * a post that fails or never happens (the process died) must not be forgotten.
 *
 * The rule — which alerts are owed a post to the alerts channel:
 * - workspace-wide alerts (condition key `all` or `all/…`) of a workspace with an alerts channel,
 *   until posted (`AlertEvent.postedAt` set only after Slack accepted the message);
 * - not once recovered, while snoozed, while its rule is off, nor when fired more than
 *   `OWED_ALERT_WINDOW_MS` (7 days) ago — a stale alert is not worth a surprise post;
 * - workspaces without an alerts channel: their alerts are considered posted where they show, in
 *   the weekly digests and `/kpi alerts`; the daily job sets their `postedAt` without posting, so
 *   choosing a channel later does not post the backlog;
 * - team-scoped alerts (fired by a team's digest) are never posted to the alerts channel: they
 *   are listed in that team's digest; their `postedAt` stays null.
 *
 * Whoever posts first claims (`claimAlertEvents`: one conditional UPDATE sets a lease in
 * `postingUntil`, so two instances never post the same alert), then marks it posted or releases
 * the claim. A claim whose instance died expires with its lease and the next sweep takes it —
 * unless the post had gone out: the delivery queue records it (`Delivery` kind 'alert', refId =
 * the event id, status 'sent') the moment Slack accepts it, and `settleDeliveredAlerts` marks such
 * alerts posted instead of posting them again (alerts sent in an overflow summary carry no refId:
 * for those a crash between post and mark can still repeat the summary).
 */

/** How long a claim to post an alert is exclusive. Delivery attempts stop a minute before it ends. */
export const ALERT_POST_LEASE_MS = 10 * 60_000;
/** Alerts fired longer ago than this are no longer owed a post. */
export const OWED_ALERT_WINDOW_MS = 7 * 24 * 3_600_000;
/** After a permanent failure (channel gone, message refused) the alert is tried again after this long. */
export const ALERT_PERMANENT_FAILURE_RETRY_MS = 6 * 3_600_000;

/** What posting an alert needs (a fired alert from `fireAlerts`, or an owed one from the database). */
export type TPostableAlert = Pick<TFiredAlert, 'eventId' | 'rule' | 'title' | 'conditionKey' | 'periodLabel' | 'message'>;

/** A claim on some alert events: the ids won and the lease they are held until. */
export interface TAlertClaim {
  readonly eventIds: readonly number[];
  readonly leaseUntil: Date;
}

/**
 * Claims the given events for posting: those still unposted, unrecovered and not claimed by a live
 * claim. Safe to race: each event is won by one caller.
 *
 * @example
 * const claim = await claimAlertEvents({ db, eventIds: [7, 8], now });
 * claim.eventIds; // [7, 8], or [] when another instance is posting them
 */
export async function claimAlertEvents({ db, eventIds, now, leaseMs = ALERT_POST_LEASE_MS }: { db: Db; eventIds: readonly number[]; now: Date; leaseMs?: number }): Promise<TAlertClaim> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  return { eventIds: await claimUnpostedAlertEvents(db, eventIds, leaseUntil, now), leaseUntil };
}

/**
 * Records that these claimed events were posted (Slack accepted the message). Only while the claim
 * is ours: an event that fired again meanwhile (its claim cleared) stays owed.
 *
 * @example
 * await markAlertEventsPosted({ db, eventIds: [7], leaseUntil: claim.leaseUntil, now });
 */
export async function markAlertEventsPosted({ db, eventIds, leaseUntil, now }: { db: Db; eventIds: readonly number[]; leaseUntil: Date; now: Date }): Promise<number> {
  return markClaimedAlertEventsPosted(db, eventIds, leaseUntil, now);
}

/**
 * Gives up a claim after a failed delivery: the events stay owed, claimable again at once, or from
 * `retryAt` on (after a permanent failure, so a gone channel is not hammered every hour).
 *
 * @example
 * await releaseAlertEvents({ db, eventIds: [7], leaseUntil: claim.leaseUntil });
 */
export async function releaseAlertEvents({ db, eventIds, leaseUntil, retryAt = null }: { db: Db; eventIds: readonly number[]; leaseUntil: Date; retryAt?: Date | null }): Promise<number> {
  return releaseClaimedAlertEvents(db, eventIds, leaseUntil, retryAt);
}

/**
 * Settles unposted workspace-wide alerts of workspaces without an alerts channel: `postedAt = now`,
 * nothing posted (they show in the digests and `/kpi alerts`). Returns how many.
 *
 * @example
 * await settleAlertsWithoutChannel({ db, now }); // 2
 */
export async function settleAlertsWithoutChannel({ db, now, workspaceIds }: { db: Db; now: Date; workspaceIds?: readonly number[] }): Promise<number> {
  return markChannelLessAlertEventsPosted(db, now, workspaceIds);
}

/**
 * Marks posted the unposted, unclaimed alerts whose post is on record (a sent `Delivery` of kind
 * 'alert' for the event, made since it last fired): posted by an instance that died, or failed to
 * write, before marking them. Returns how many.
 *
 * @example
 * await settleDeliveredAlerts({ db, now }); // 1 after a crash between chat.postMessage and markAlertEventsPosted
 */
export async function settleDeliveredAlerts({ db, now, workspaceIds }: { db: Db; now: Date; workspaceIds?: readonly number[] }): Promise<number> {
  return markDeliveredAlertEventsPosted(db, now, workspaceIds);
}

/**
 * A stored event as a postable alert: the rule's title, and the period label computed from its key
 * in the workspace's calendar (`2026-W48` → `week of Nov 23, 2026`; the key itself if unreadable).
 *
 * @example
 * postableAlertOf(event, workspace); // { eventId: 7, rule: 'winrate-drop', title: 'Win rate drop', periodLabel: 'week of Nov 23, 2026', … }
 */
export function postableAlertOf(event: AlertEvent, workspace: Pick<Workspace, 'timeZone' | 'fiscalYearStartMonth'> & { readonly language?: string | null }): TPostableAlert | null {
  const rule = parseAlertRule(event.rule);
  if (!rule) return null;
  // Owed alerts are posted in the workspace's language, like those posted as they fire.
  const locale = channelLocale({ workspaceLanguage: workspace.language });
  let periodLabel = event.periodKey;
  try {
    periodLabel = periodLabelL(locale, parsePeriod(event.periodKey, { now: event.firedAt, timeZone: workspace.timeZone, fiscalYearStartMonth: workspace.fiscalYearStartMonth }));
  } catch {
    // keep the key
  }
  return { eventId: event.id, rule, title: alertTitle(rule, locale), conditionKey: event.conditionKey, periodLabel, message: event.message ?? '' };
}

/** Workspace-wide alerts owed a post, grouped by workspace (see the rule above). */
export interface TOwedAlerts {
  readonly workspace: Workspace;
  readonly alerts: readonly TPostableAlert[];
}

/**
 * The alerts owed a post to their workspace's alerts channel at `now`: fired within the window,
 * unposted, unrecovered, not claimed by a live claim, not snoozed, rule on, workspace-wide, the
 * workspace having an alerts channel. Oldest first.
 *
 * @example
 * for (const { workspace, alerts } of await listOwedAlerts({ db, now })) await postFiredAlerts({ … });
 */
export async function listOwedAlerts({
  db,
  now,
  workspaceIds,
  windowMs = OWED_ALERT_WINDOW_MS,
}: {
  db: Db;
  now: Date;
  workspaceIds?: readonly number[];
  windowMs?: number;
}): Promise<TOwedAlerts[]> {
  const events = await unpostedWorkspaceAlertEvents(db, now, new Date(now.getTime() - windowMs), workspaceIds);
  const byWorkspace = new Map<number, { workspace: Workspace; events: AlertEvent[] }>();
  for (const { workspace, ...event } of events) {
    const entry = byWorkspace.get(workspace.id) ?? { workspace, events: [] };
    entry.events.push(event);
    byWorkspace.set(workspace.id, entry);
  }
  const out: TOwedAlerts[] = [];
  for (const { workspace, events: list } of byWorkspace.values()) {
    const [settings, snoozeRows] = await Promise.all([
      loadAlertSettings({ db, workspace }),
      runningAlertSnoozes(db, workspace.id, now),
    ]);
    const snoozes = new Map(snoozeRows.map((r) => [`${r.rule}|${r.conditionKey}`, r.until]));
    const alerts = list
      .filter((e) => snoozedUntilOf(snoozes, e.rule, e.conditionKey) === null)
      .map((e) => postableAlertOf(e, workspace))
      .filter((a): a is TPostableAlert => a !== null && settings[a.rule].enabled);
    if (alerts.length > 0) out.push({ workspace, alerts });
  }
  return out;
}
