import { isValidTimeZone } from '../../config.js';
import { AppError } from '../../errors.js';
import type { DigestSubscription, Rep, Workspace } from '../../storage/models.js';
import { inTransaction, type Db } from '../../storage/db.js';
import { deactivateDigestSubscription, digestSubscriptionWithWorkspace, insertDigestSubscription, latestDigestSlot, listedDigestSubscriptions, subscriptionOfChannelTx, updateDigestSubscription } from '../../storage/queries/digest-subscriptions.js';
import { writeAudit } from '../deals/write-audit.js';
import { oncePerRequest } from '../once-per-request.js';
import { isManagerOrAdmin } from '../workspaces/ensure-member.js';
import type { TDigestSubscriptionWithWorkspace } from './digest-slots.js';
import { nextDigestSlot } from './schedule.js';

/**
 * Digest subscriptions: which channel gets the weekly digest, when (ISO weekday + local time +
 * IANA zone). Managers and admins subscribe and unsubscribe; everyone can list. Every change is
 * audited, once per Slack delivery (`requestKey`, see oncePerRequest). Unsubscribing deactivates the row (`disabledReason = 'unsubscribed'`) so the history
 * of its slots stays; subscribing the same channel again reactivates it.
 */

/** disabledReason of a subscription someone unsubscribed (not listed). */
export const UNSUBSCRIBED = 'unsubscribed';

export interface TSubscribeOptions {
  db: Db;
  actor: Rep;
  workspace: Workspace;
  channelId: string;
  /** ISO weekday, default 1 (Monday). */
  weekday?: number;
  /** `HH:MM`, default 09:00. */
  localTime?: string;
  /** IANA zone, default the workspace's. */
  timeZone?: string;
  now: Date;
  requestKey?: string | null;
}

export interface TSubscribeResult {
  subscription: DigestSubscription;
  created: boolean;
  /** The next digest instant. */
  next: Date;
}

function assertManager(actor: Rep, action: 'subscribe' | 'unsubscribe'): void {
  if (!isManagerOrAdmin(actor)) {
    const what = action === 'subscribe' ? 'subscribe channels to the weekly digest' : 'unsubscribe channels from the weekly digest';
    throw new AppError('FORBIDDEN', `Only managers and admins can ${what}. Ask an admin to make you a manager with \`/kpi role @you manager\`.`, {
      i18n: { key: 'error.managersOnly.digest', values: { action } },
    });
  }
}

function snapshot(s: DigestSubscription): Record<string, unknown> {
  return { channelId: s.channelId, weekday: s.weekday, localTime: s.localTime, timeZone: s.timeZone, active: s.active, disabledReason: s.disabledReason };
}

/**
 * Subscribes a channel (or changes its schedule, or turns it back on).
 *
 * @example
 * const { next } = await subscribeChannel({ db, actor, workspace, channelId: 'C123', weekday: 1, localTime: '09:00', timeZone: 'Europe/Berlin', now });
 */
export async function subscribeChannel(opts: TSubscribeOptions): Promise<TSubscribeResult> {
  assertManager(opts.actor, 'subscribe');
  const weekday = opts.weekday ?? 1;
  const localTime = opts.localTime ?? '09:00';
  const timeZone = opts.timeZone ?? opts.workspace.timeZone;
  if (!/^[CG][A-Z0-9]+$/.test(opts.channelId)) throw new AppError('INVALID_INPUT', 'Name the channel with a # mention.', { example: '/kpi digest subscribe #sales', i18n: { key: 'error.digest.channelMention' } });
  if (!isValidTimeZone(timeZone)) {
    throw new AppError('INVALID_INPUT', `"${timeZone}" is not a time zone I know. Use an IANA name such as Europe/Berlin or America/New_York.`, {
      example: '/kpi digest subscribe #sales monday 09:00 Europe/Berlin',
      i18n: { key: 'error.digest.timeZoneShort', values: { typed: timeZone } },
    });
  }
  const { now, requestKey } = opts;
  const next = nextDigestSlot({ weekday, localTime, timeZone }, now); // validates weekday and time too
  return oncePerRequest({ db: opts.db, workspaceId: opts.workspace.id, requestKey, now }, () => inTransaction(opts.db, async (tx) => {
    const before = await subscriptionOfChannelTx(tx, opts.workspace.id, opts.channelId);
    const data = { weekday, localTime, timeZone, active: true, disabledReason: null, createdBySlackUserId: opts.actor.slackUserId };
    const subscription = before
      ? await updateDigestSubscription(tx, before.id, data, now)
      : await insertDigestSubscription(tx, opts.workspace.id, opts.channelId, data, now);
    await writeAudit(tx, {
      workspaceId: opts.workspace.id,
      actor: opts.actor,
      entity: 'digestSubscription',
      entityId: subscription.id,
      action: before ? 'update' : 'create',
      ...(before ? { before: snapshot(before) } : {}),
      after: snapshot(subscription),
      now,
      requestKey,
    });
    return { subscription, created: before === null, next };
  }));
}

/**
 * Stops the digest for a channel. Throws NOT_FOUND when the channel is not subscribed.
 *
 * @example
 * await unsubscribeChannel({ db, actor, workspace, channelId: 'C123', now });
 */
export async function unsubscribeChannel(opts: { db: Db; actor: Rep; workspace: Workspace; channelId: string; now: Date; requestKey?: string | null }): Promise<DigestSubscription> {
  assertManager(opts.actor, 'unsubscribe');
  const { now, requestKey } = opts;
  return oncePerRequest({ db: opts.db, workspaceId: opts.workspace.id, requestKey, now }, () => inTransaction(opts.db, async (tx) => {
    const before = await subscriptionOfChannelTx(tx, opts.workspace.id, opts.channelId);
    if (!before || before.disabledReason === UNSUBSCRIBED) {
      throw new AppError('NOT_FOUND', `<#${opts.channelId}> is not subscribed to the weekly digest. \`/kpi digest list\` shows the subscriptions.`, {
        example: '/kpi digest list',
        mentions: [opts.channelId],
        i18n: { key: 'error.digest.notSubscribed', values: { channel: `<#${opts.channelId}>` } },
      });
    }
    const subscription = await updateDigestSubscription(tx, before.id, { active: false, disabledReason: UNSUBSCRIBED }, now);
    await writeAudit(tx, { workspaceId: opts.workspace.id, actor: opts.actor, entity: 'digestSubscription', entityId: before.id, action: 'delete', before: snapshot(before), after: snapshot(subscription), now, requestKey });
    return subscription;
  }));
}

export interface TSubscriptionListItem {
  subscription: DigestSubscription;
  /** Next digest instant (null when the subscription is disabled). */
  next: Date | null;
  /** The latest slot: when it was due and what happened to it. */
  last: { scheduledFor: Date; status: string; late: boolean; sentAt: Date | null; error: string | null } | null;
}

/**
 * The workspace's subscriptions, active ones first, with the next run and the last outcome.
 * Subscriptions disabled by the app (bot removed, channel archived) are listed with their reason;
 * unsubscribed ones are not.
 *
 * @example
 * const items = await listSubscriptions({ db, workspace, now: new Date() });
 */
export async function listSubscriptions(opts: { db: Db; workspace: Workspace; now: Date }): Promise<TSubscriptionListItem[]> {
  const subs = await listedDigestSubscriptions(opts.db, opts.workspace.id, UNSUBSCRIBED);
  const items: TSubscriptionListItem[] = [];
  for (const subscription of subs) {
    const last = await latestDigestSlot(opts.db, subscription.id);
    let next: Date | null = null;
    if (subscription.active) {
      try {
        next = nextDigestSlot(subscription, opts.now);
      } catch {
        next = null;
      }
    }
    items.push({ subscription, next, last });
  }
  return items;
}

/**
 * Turns a subscription off because its channel cannot be posted to. Returns the subscription when
 * this call disabled it (so exactly one caller tells the owner), null when it was already off.
 *
 * @example
 * const disabled = await disableSubscription({ db, subscriptionId: 7, reason: 'not_in_channel', now });
 * if (disabled) { ...DM disabled.createdBySlackUserId }
 */
export async function disableSubscription(opts: { db: Db; subscriptionId: number; reason: string; now: Date }): Promise<TDigestSubscriptionWithWorkspace | null> {
  if (!(await deactivateDigestSubscription(opts.db, opts.subscriptionId, opts.reason.slice(0, 500), opts.now))) return null;
  return digestSubscriptionWithWorkspace(opts.db, opts.subscriptionId);
}
