import type { DigestSubscription, Workspace } from '../../storage/models.js';
import type { Db } from '../../storage/db.js';
import {
  activeDigestSubscriptions,
  closeExpiredSlot,
  digestSlotsAfter,
  insertDigestSlot,
  markHeldSlotFailed,
  markHeldSlotSent,
  retakeExpiredSlot,
  sentDigestDeliveryRows,
  settleExpiredSlotAsSent,
  type TDigestSlotRow,
} from '../../storage/queries/digest-slots.js';
import { digestSlotsBetween } from './schedule.js';

/**
 * The claim protocol that makes weekly digests exactly-once across app instances (SPEC §4).
 *
 * A slot is one (subscription, scheduled instant). Before posting, an instance claims it by
 * inserting the DigestSlot row; the unique key (subscriptionId, scheduledFor) lets exactly one
 * instance win (`INSERT … ON CONFLICT DO NOTHING`, both dialects). The claim carries a lease:
 * an instance that crashes between claim and post leaves a `claimed` row whose lease expires, and
 * the next instance re-claims it with one conditional UPDATE (`… WHERE status = 'claimed' AND
 * leaseUntil < now`, affected rows = 1 wins) — recovered, neither lost nor doubled.
 *
 * Windows, relative to `now`:
 * - posting window = max(grace, lateAfter): a due slot in it is claimed and posted, flagged
 *   `late` when more than `lateAfterMs` (default 5 min) past its instant;
 * - a slot older than the posting window is recorded `skipped` (never posted) — the digest of
 *   a long outage is not worth a surprise post hours later;
 * - slots are only computed over the posting window plus `skipLookbackMs` (default: the posting
 *   window again), never the whole history; and never before the subscription's last change
 *   (`updatedAt`, minus `lateAfterMs`), so subscribing at 09:20 does not post the 09:00 digest.
 *
 * Slot statuses: claimed → sent | failed | skipped. A transient failure can hand a slot back for a
 * retry (`markSlotFailed` with `retryAt`): it stays `claimed` with the lease ending at `retryAt`,
 * so any instance picks it up then, at most `maxAttempts` claims in all.
 *
 * Posted but not marked: an instance can post a digest and then die (or fail to write) before
 * `markSlotSent`. The post is on record all the same: the delivery queue writes a `Delivery` row
 * (kind 'digest', refId = the slot id, status 'sent', with the message ts) as soon as Slack
 * accepts it. So before an expired claim is taken over, skipped or given up, that row is looked
 * for; when there is one the slot is marked `sent` (with that ts and time) and not posted again
 * (`alreadySent`). `runDigest` looks once more right before re-posting a slot.
 */

export type TDigestSubscriptionWithWorkspace = DigestSubscription & { workspace: Workspace };

export type TSlotStatus = 'claimed' | 'sent' | 'skipped' | 'failed';

export interface TClaimDueSlotsOptions {
  db: Db;
  now: Date;
  /** Who claims (hostname:pid:random). Stored in `claimedBy`. */
  instanceId: string;
  /** Slots older than this are skipped, not posted (config DIGEST_GRACE_HOURS). */
  graceMs: number;
  /** How long a claim is exclusive; after it, another instance may take the slot over. */
  leaseMs: number;
  /** Past its instant by more than this, a slot is posted `late`. Default 5 minutes. */
  lateAfterMs?: number;
  /** How far before the posting window slots are still looked at (to record them skipped). Default: the posting window. */
  skipLookbackMs?: number;
  /** Claims at most this many slots per call (the rest stay for the next call). Default 25. */
  limit?: number;
  /** A slot claimed this many times without being sent is marked failed. Default 3. */
  maxAttempts?: number;
  /** Only these workspaces' subscriptions (OAuth mode: those an active installation serves); default all. */
  workspaceIds?: ReadonlySet<number>;
}

export interface TClaimedSlot {
  slotId: number;
  scheduledFor: Date;
  /** Posted more than `lateAfterMs` after its instant: the digest must say so. */
  late: boolean;
  lateByMs: number;
  /** 1 on the first claim, 2+ when taken over after an expired lease or a retry. */
  attempt: number;
  /** True when taken over from an expired claim. */
  recovered: boolean;
  leaseUntil: Date;
  subscription: TDigestSubscriptionWithWorkspace;
}

export interface TSkippedSlot {
  subscriptionId: number;
  scheduledFor: Date;
  reason: string;
}

/** A slot whose claim had expired but whose digest had been posted: marked sent, not posted again. */
export interface TAlreadySentSlot {
  slotId: number;
  subscriptionId: number;
  scheduledFor: Date;
  messageTs: string | null;
  sentAt: Date;
}

export interface TClaimResult {
  claimed: TClaimedSlot[];
  /** Expired claims found already posted (a sent Delivery row): recorded `sent` instead of re-posted. */
  alreadySent: TAlreadySentSlot[];
  /** Slots this call recorded as skipped or failed (given up). */
  skipped: TSkippedSlot[];
  /** Subscriptions whose schedule could not be computed (bad zone or time), with the error. */
  invalid: Array<{ subscriptionId: number; error: string }>;
}

export const DEFAULT_LATE_AFTER_MS = 5 * 60_000;
export const DEFAULT_CLAIM_LIMIT = 25;
export const DEFAULT_MAX_SLOT_ATTEMPTS = 3;

type TExistingSlot = TDigestSlotRow;

function hours(ms: number): string {
  const h = ms / 3_600_000;
  return Number.isInteger(h) ? `${h} h` : `${Math.round(ms / 60_000)} min`;
}

/** Posting window: slots at most this old are posted. */
export function postingWindowMs(graceMs: number, lateAfterMs = DEFAULT_LATE_AFTER_MS): number {
  return Math.max(graceMs, lateAfterMs);
}

/**
 * Claims the digest slots that are due at `now` for every active subscription, records the ones
 * missed for longer than the grace window as skipped, and takes over claims whose lease expired.
 * Safe to call concurrently from any number of instances: each slot is returned to exactly one.
 *
 * @example
 * const { claimed } = await claimDueSlots({ db, now: new Date(), instanceId: 'web-1:4242:ab12', graceMs: 6 * 3_600_000, leaseMs: 180_000 });
 * for (const slot of claimed) { ...post it, then markSlotSent({ db, slotId: slot.slotId, instanceId, now }) }
 */
export async function claimDueSlots(opts: TClaimDueSlotsOptions): Promise<TClaimResult> {
  const { db, now, instanceId } = opts;
  const lateAfterMs = opts.lateAfterMs ?? DEFAULT_LATE_AFTER_MS;
  const limit = opts.limit ?? DEFAULT_CLAIM_LIMIT;
  const maxAttempts = opts.maxAttempts ?? DEFAULT_MAX_SLOT_ATTEMPTS;
  const postWindow = postingWindowMs(opts.graceMs, lateAfterMs);
  const nowMs = now.getTime();
  const windowStart = nowMs - postWindow - (opts.skipLookbackMs ?? postWindow);
  const leaseUntil = new Date(nowMs + opts.leaseMs);
  const result: TClaimResult = { claimed: [], alreadySent: [], skipped: [], invalid: [] };

  const all = await activeDigestSubscriptions(db);
  const served = opts.workspaceIds;
  const subscriptions = served ? all.filter((s) => served.has(s.workspaceId)) : all;
  if (subscriptions.length === 0) return result;
  const existingRows: TExistingSlot[] = await digestSlotsAfter(db, subscriptions.map((s) => s.id), new Date(windowStart));
  const existing = new Map(existingRows.map((r) => [`${r.subscriptionId}:${r.scheduledFor.getTime()}`, r]));
  const seen = new Set<number>();
  const isExpiredClaim = (row: TExistingSlot): boolean => row.status === 'claimed' && row.leaseUntil !== null && row.leaseUntil.getTime() < nowMs;
  // Expired claims whose digest went out before their instance could record it.
  const posted = await findSentDigestDeliveries(
    db,
    existingRows.filter(isExpiredClaim).map((r) => r.id),
  );
  /** Marks an expired claim that was posted as sent; true when it was one (whoever recorded it). */
  const settlePosted = async (row: TExistingSlot): Promise<boolean> => {
    const delivery = posted.get(row.id);
    if (!delivery) return false;
    if (await settleExpiredSlotAsSent(db, row.id, delivery, now)) result.alreadySent.push({ slotId: row.id, subscriptionId: row.subscriptionId, scheduledFor: row.scheduledFor, ...delivery });
    return true;
  };

  const candidates: Array<{ sub: TDigestSubscriptionWithWorkspace; at: Date }> = [];
  for (const sub of subscriptions) {
    const from = Math.max(windowStart, sub.updatedAt.getTime() - lateAfterMs);
    try {
      for (const at of digestSlotsBetween(sub, new Date(from), now)) candidates.push({ sub, at });
    } catch (e) {
      result.invalid.push({ subscriptionId: sub.id, error: e instanceof Error ? e.message : String(e) });
    }
  }
  candidates.sort((a, b) => a.at.getTime() - b.at.getTime() || a.sub.id - b.sub.id);

  const skip = async (c: { sub: TDigestSubscriptionWithWorkspace; at: Date }, reason: string, row: TExistingSlot | undefined): Promise<void> => {
    const won = row
      ? await closeExpiredSlot(db, row.id, 'skipped', reason, now)
      : (await insertDigestSlot(db, { subscriptionId: c.sub.id, scheduledFor: c.at, status: 'skipped', claimedBy: instanceId, leaseUntil: null, attempts: 0, late: false, error: reason, now })) !== null;
    if (won) result.skipped.push({ subscriptionId: c.sub.id, scheduledFor: c.at, reason });
  };

  for (const c of candidates) {
    const key = `${c.sub.id}:${c.at.getTime()}`;
    const row = existing.get(key);
    if (row) seen.add(row.id);
    const lateByMs = nowMs - c.at.getTime();
    const late = lateByMs > lateAfterMs;
    const expiredClaim = row !== undefined && isExpiredClaim(row);
    if (row && !expiredClaim) continue; // sent, skipped, failed, or claimed by a live instance
    if (row && (await settlePosted(row))) continue; // posted by an instance that died before marking it
    if (lateByMs > postWindow) {
      await skip(c, `missed: not posted within the grace window (${hours(postWindow)}); the app was down or busy`, row);
      continue;
    }
    if (result.claimed.length >= limit) continue;
    if (!row) {
      const insertedId = await insertDigestSlot(db, { subscriptionId: c.sub.id, scheduledFor: c.at, status: 'claimed', claimedBy: instanceId, leaseUntil, attempts: 1, late, error: null, now });
      if (insertedId !== null) result.claimed.push({ slotId: insertedId, scheduledFor: c.at, late, lateByMs, attempt: 1, recovered: false, leaseUntil, subscription: c.sub });
      continue;
    }
    if (row.attempts >= maxAttempts) {
      const reason = `gave up after ${row.attempts} attempts`;
      if (await closeExpiredSlot(db, row.id, 'failed', reason, now)) result.skipped.push({ subscriptionId: c.sub.id, scheduledFor: c.at, reason });
      continue;
    }
    if (await retakeExpiredSlot(db, row.id, { instanceId, leaseUntil, late }, now)) {
      result.claimed.push({ slotId: row.id, scheduledFor: c.at, late, lateByMs, attempt: row.attempts + 1, recovered: true, leaseUntil, subscription: c.sub });
    }
  }

  // Expired claims that are no longer on the schedule (the subscription changed since): close them.
  for (const row of existingRows) {
    if (seen.has(row.id) || !isExpiredClaim(row)) continue;
    if (await settlePosted(row)) continue;
    const reason = 'dropped: the subscription changed after this slot was claimed';
    if (await closeExpiredSlot(db, row.id, 'skipped', reason, now, 'replace')) result.skipped.push({ subscriptionId: row.subscriptionId, scheduledFor: row.scheduledFor, reason });
  }
  return result;
}

/**
 * The sent `Delivery` rows of digest slots (kind 'digest', refId = slot id), by slot id: the
 * earliest one of each (its message ts and when it was recorded).
 *
 * @example
 * const posted = await findSentDigestDeliveries(db, [41, 42]);
 * posted.get(41); // { messageTs: '1764493200.000100', sentAt: 2026-11-30T09:00:02.000Z }
 */
export async function findSentDigestDeliveries(db: Db, slotIds: readonly number[]): Promise<Map<number, { messageTs: string | null; sentAt: Date }>> {
  const out = new Map<number, { messageTs: string | null; sentAt: Date }>();
  for (const r of await sentDigestDeliveryRows(db, slotIds)) if (r.refId !== null && !out.has(r.refId)) out.set(r.refId, { messageTs: r.messageTs, sentAt: r.createdAt });
  return out;
}

/**
 * Marks a claimed slot sent, with the posted message's ts. Returns false when this instance no
 * longer holds the claim (its lease expired and another instance took the slot over): the caller
 * should log a possible duplicate. `sentAt` defaults to `now` (a recovered post passes the time
 * its Delivery row was recorded).
 *
 * @example
 * await markSlotSent({ db, slotId, instanceId, now: new Date(), messageTs: '1764493200.000100' });
 */
export async function markSlotSent(opts: { db: Db; slotId: number; instanceId: string; now: Date; messageTs?: string | null; sentAt?: Date }): Promise<boolean> {
  return markHeldSlotSent(opts.db, { slotId: opts.slotId, instanceId: opts.instanceId, sentAt: opts.sentAt ?? opts.now, messageTs: opts.messageTs ?? null, now: opts.now });
}

/**
 * Records a failure. With `retryAt`, the slot is handed back for another try: it stays `claimed`
 * with its lease ending at `retryAt`, so any instance re-claims it then (up to `maxAttempts`
 * claims, within the grace window). Without it the slot is `failed` for good. Returns false when
 * this instance no longer holds the claim.
 *
 * @example
 * await markSlotFailed({ db, slotId, instanceId, now, error: 'channel_not_found' });
 * await markSlotFailed({ db, slotId, instanceId, now, error: 'http_503', retryAt: new Date(now.getTime() + 60_000) });
 */
export async function markSlotFailed(opts: { db: Db; slotId: number; instanceId: string; now: Date; error: string; retryAt?: Date }): Promise<boolean> {
  const error = opts.error.slice(0, 1000);
  return markHeldSlotFailed(opts.db, { slotId: opts.slotId, instanceId: opts.instanceId, error, ...(opts.retryAt ? { retryAt: opts.retryAt } : {}), now: opts.now });
}
