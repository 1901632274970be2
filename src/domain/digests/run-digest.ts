import type { Logger } from '../../logger.js';
import type { Db } from '../../storage/db.js';
import {
  claimDueSlots,
  findSentDigestDeliveries,
  markSlotFailed,
  markSlotSent,
  DEFAULT_CLAIM_LIMIT,
  DEFAULT_LATE_AFTER_MS,
  type TClaimedSlot,
  type TDigestSubscriptionWithWorkspace,
} from './digest-slots.js';

/**
 * The weekly digest job as a plain function: claim the due slots, build each digest, deliver it,
 * record the outcome. No cron, no Slack client: the clock, the content builder and the delivery
 * are injected, so it runs the same under node-cron, in tests with a simulated year, or by hand.
 */

/**
 * A message's blocks as the domain sees them: opaque objects with a `type`, built by the Slack
 * layer (the renderer it injects) and handed back to it by the delivery port.
 */
export type TDigestBlocks = Array<{ type: string }>;

export interface TDigestMessage {
  text: string;
  blocks: TDigestBlocks;
}

/** What the content builder knows about the slot it builds for. */
export interface TDigestSlotInfo {
  /** DigestSlot id; 0 for a preview. */
  slotId: number;
  /** The scheduled instant (the digest covers the weeks before it). */
  scheduledFor: Date;
  /** Posted more than a few minutes after `scheduledFor` (after downtime): say "posted late". */
  late: boolean;
  lateByMs: number;
  /** The subscription's IANA zone, to compute periods in and to print. */
  timeZone: string;
  /** A private `/kpi digest` preview, not a scheduled post. */
  preview: boolean;
}

export type TBuildDigest = (subscription: TDigestSubscriptionWithWorkspace, slot: TDigestSlotInfo) => Promise<TDigestMessage>;

/** One message to deliver (the port the Slack delivery queue implements). */
export interface TDeliveryRequest {
  workspaceId: number;
  channelId: string;
  /** digest | alert | notice — stored in Delivery.kind. */
  kind: string;
  /**
   * Stored in Delivery.refId: for kind 'digest' it must be the DigestSlot id — a slot taken over
   * after a crash is only re-posted when no sent Delivery row carries its id. Alert event id for
   * alerts (null for a summary of several).
   */
  refId?: number | null;
  message: { text: string; blocks?: TDigestBlocks };
  /** When the channel turns out unusable (not_in_channel, channel_not_found, is_archived), this subscription is disabled and its owner told. */
  subscription?: { id: number; channelId: string; createdBySlackUserId: string | null };
  /**
   * No attempt starts more than this many ms after the request is made (the claim's lease ends
   * soon after). Relative, so the caller's clock and the sender's need not be the same.
   */
  timeBudgetMs?: number;
  /**
   * The caller's time when the request is made (its injected clock, possibly simulated). The
   * delivery record is stamped with it plus the sender's elapsed time, never the sender's own clock.
   */
  at: Date;
}

export type TDeliveryResult =
  | { status: 'sent'; messageTs: string | undefined; attempts: number; textOnly: boolean }
  | { status: 'failed'; error: string; attempts: number; permanent: boolean; subscriptionDisabled: boolean };

export type TDeliver = (request: TDeliveryRequest) => Promise<TDeliveryResult>;

export interface TRunDigestOptions {
  /** The tick's instant. Later timestamps in the run are `now` plus the real time elapsed (or `clock`). */
  now: Date;
  db: Db;
  deliver: TDeliver;
  buildDigest: TBuildDigest;
  instanceId: string;
  graceMs: number;
  leaseMs: number;
  logger: Logger;
  /** Current time during the run; defaults to `now` advanced by the real time elapsed. */
  clock?: () => Date;
  lateAfterMs?: number;
  /** Slots claimed per round (a run repeats rounds until nothing is due). */
  batchSize?: number;
  /** Digests built and delivered at once (different channels post in parallel). Default 4. */
  concurrency?: number;
  /** After a transient failure the slot is retried this much later (by any instance). Default 60 s. */
  retryDelayMs?: number;
  /** Only these workspaces (OAuth mode: those an active installation serves); default all. */
  workspaceIds?: ReadonlySet<number>;
}

export interface TDigestRunSummary {
  /** Slots claimed by this run. */
  claimed: number;
  posted: number;
  /** Of `posted`, how many went out late (after downtime). */
  postedLate: number;
  /** Of `posted`, how many were re-sent without their images. */
  textOnly: number;
  /** Slots recorded as skipped (missed beyond the grace window) or given up. */
  skipped: number;
  /** Slots that failed for good (channel gone, Slack refused the message). */
  failed: number;
  /** Slots handed back for a later retry after a transient failure. */
  retrying: number;
  /**
   * Slots found already posted (a sent Delivery row for them) by an instance that died or failed
   * before marking them: marked sent, not posted again.
   */
  alreadySent: number;
}

async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  });
  await Promise.all(workers);
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Runs one digest tick.
 *
 * @example
 * const summary = await runDigest({ now: new Date(), db, deliver: queue.deliver, buildDigest, instanceId, graceMs: 6 * 3_600_000, leaseMs: 180_000, logger });
 * // { claimed: 3, posted: 3, postedLate: 0, textOnly: 0, skipped: 0, failed: 0, retrying: 0, alreadySent: 0 }
 */
export async function runDigest(opts: TRunDigestOptions): Promise<TDigestRunSummary> {
  const { db, logger, instanceId } = opts;
  const startedReal = Date.now();
  const clock = opts.clock ?? (() => new Date(opts.now.getTime() + (Date.now() - startedReal)));
  const retryDelayMs = opts.retryDelayMs ?? 60_000;
  const lateAfterMs = opts.lateAfterMs ?? DEFAULT_LATE_AFTER_MS;
  // The last stretch of a lease is kept free of new attempts, so a slow post cannot overlap a takeover.
  const deadlineMarginMs = Math.min(opts.leaseMs / 4, 30_000);
  const summary: TDigestRunSummary = { claimed: 0, posted: 0, postedLate: 0, textOnly: 0, skipped: 0, failed: 0, retrying: 0, alreadySent: 0 };

  const processSlot = async (slot: TClaimedSlot): Promise<void> => {
    const sub = slot.subscription;
    const where = { slotId: slot.slotId, subscriptionId: sub.id, channel: sub.channelId, scheduledFor: slot.scheduledFor.toISOString() };
    const fail = async (error: string, retry: boolean): Promise<void> => {
      const now = clock();
      const held = await markSlotFailed({ db, slotId: slot.slotId, instanceId, now, error, ...(retry ? { retryAt: new Date(now.getTime() + retryDelayMs) } : {}) });
      if (retry && held) summary.retrying++;
      else summary.failed++;
    };
    let content: TDigestMessage;
    try {
      content = await opts.buildDigest(sub, {
        slotId: slot.slotId,
        scheduledFor: slot.scheduledFor,
        late: slot.late,
        lateByMs: slot.lateByMs,
        timeZone: sub.timeZone,
        preview: false,
      });
    } catch (e) {
      logger.error('digest: building the digest failed; it will be retried', { ...where, error: message(e) });
      await fail(`build_failed: ${message(e)}`, true);
      return;
    }
    if (slot.attempt > 1) {
      // A re-attempt (taken over, or retried): the earlier attempt may have posted after all —
      // claimDueSlots looked before the claim; look again now, right before posting.
      const earlier = (await findSentDigestDeliveries(db, [slot.slotId])).get(slot.slotId);
      if (earlier) {
        const held = await markSlotSent({ db, slotId: slot.slotId, instanceId, now: clock(), messageTs: earlier.messageTs, sentAt: earlier.sentAt });
        summary.alreadySent++;
        logger.warn('digest: already posted by an earlier attempt that could not record it; marked sent, not posted again', { ...where, messageTs: earlier.messageTs, held });
        return;
      }
    }
    let result: TDeliveryResult;
    try {
      result = await opts.deliver({
        workspaceId: sub.workspaceId,
        channelId: sub.channelId,
        kind: 'digest',
        refId: slot.slotId,
        message: content,
        subscription: { id: sub.id, channelId: sub.channelId, createdBySlackUserId: sub.createdBySlackUserId },
        timeBudgetMs: Math.max(0, slot.leaseUntil.getTime() - deadlineMarginMs - clock().getTime()),
        at: clock(),
      });
    } catch (e) {
      logger.error('digest: delivery crashed; the slot will be retried', { ...where, error: message(e) });
      await fail(`delivery_error: ${message(e)}`, true);
      return;
    }
    if (result.status === 'sent') {
      let held: boolean;
      try {
        held = await markSlotSent({ db, slotId: slot.slotId, instanceId, now: clock(), messageTs: result.messageTs ?? null });
      } catch (e) {
        // The post is on record (its Delivery row): whoever takes the slot over marks it sent.
        summary.posted++;
        logger.error('digest: posted, but marking the slot sent failed; the next claim will find the post and not repeat it', { ...where, error: message(e) });
        return;
      }
      summary.posted++;
      if (slot.late) summary.postedLate++;
      if (result.textOnly) summary.textOnly++;
      if (!held) logger.error('digest: posted, but the claim had expired and another instance took the slot over: it may have been posted twice', where);
      else logger.info('digest posted', { ...where, late: slot.late, attempts: result.attempts, textOnly: result.textOnly });
      return;
    }
    logger.warn('digest not delivered', { ...where, error: result.error, permanent: result.permanent, subscriptionDisabled: result.subscriptionDisabled });
    await fail(result.error, !result.permanent);
  };

  for (let round = 0; round < 1000; round++) {
    const { claimed, alreadySent, skipped, invalid } = await claimDueSlots({
      db,
      now: clock(),
      instanceId,
      graceMs: opts.graceMs,
      leaseMs: opts.leaseMs,
      lateAfterMs,
      limit: opts.batchSize ?? DEFAULT_CLAIM_LIMIT,
      ...(opts.workspaceIds ? { workspaceIds: opts.workspaceIds } : {}),
    });
    for (const s of skipped) {
      logger.warn('digest slot skipped', { subscriptionId: s.subscriptionId, scheduledFor: s.scheduledFor.toISOString(), reason: s.reason });
    }
    if (round === 0) for (const i of invalid) logger.error('digest subscription has an invalid schedule', i);
    for (const s of alreadySent) {
      logger.warn('digest slot had been posted by an instance that died before recording it; marked sent, not posted again', {
        slotId: s.slotId,
        subscriptionId: s.subscriptionId,
        scheduledFor: s.scheduledFor.toISOString(),
        messageTs: s.messageTs,
      });
    }
    summary.alreadySent += alreadySent.length;
    summary.skipped += skipped.length;
    summary.claimed += claimed.length;
    if (claimed.length === 0) break;
    await forEachLimited(claimed, opts.concurrency ?? 4, processSlot);
  }
  return summary;
}
