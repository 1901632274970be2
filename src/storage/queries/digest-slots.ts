import { toNumber, type Db } from '../db.js';
import type { DigestSubscription, Workspace } from '../models.js';

// The statements of the digest claim protocol (domain/digests/digest-slots.ts explains it). Every
// change of a claimed slot is one conditional UPDATE: it returns true only for the caller that won.

/** A slot row as the claim protocol reads it. */
export interface TDigestSlotRow {
  id: number;
  subscriptionId: number;
  scheduledFor: Date;
  status: string;
  leaseUntil: Date | null;
  attempts: number;
}

const INSERT_SLOT = `INSERT INTO "DigestSlot" ("subscriptionId", "scheduledFor", "status", "claimedBy", "leaseUntil", "attempts", "late", "error", "createdAt", "updatedAt")
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT ("subscriptionId", "scheduledFor") DO NOTHING
  RETURNING "id"`;

/** Active digest subscriptions with their workspace, by id. */
export async function activeDigestSubscriptions(db: Db): Promise<Array<DigestSubscription & { workspace: Workspace }>> {
  return db.prisma.digestSubscription.findMany({ where: { active: true }, include: { workspace: true }, orderBy: { id: 'asc' } });
}

/** The slots of these subscriptions scheduled after `after`. */
export async function digestSlotsAfter(db: Db, subscriptionIds: readonly number[], after: Date): Promise<TDigestSlotRow[]> {
  return db.prisma.digestSlot.findMany({
    where: { subscriptionId: { in: [...subscriptionIds] }, scheduledFor: { gt: after } },
    select: { id: true, subscriptionId: true, scheduledFor: true, status: true, leaseUntil: true, attempts: true },
  });
}

/** Inserts a slot unless (subscription, instant) exists; its id, or null when another caller has it. */
export async function insertDigestSlot(
  db: Db,
  s: { subscriptionId: number; scheduledFor: Date; status: 'claimed' | 'skipped'; claimedBy: string; leaseUntil: Date | null; attempts: number; late: boolean; error: string | null; now: Date },
): Promise<number | null> {
  const rows = await db.query<{ id: unknown }>(INSERT_SLOT, [s.subscriptionId, s.scheduledFor, s.status, s.claimedBy, s.leaseUntil, s.attempts, s.late, s.error, s.now, s.now]);
  return rows[0] ? toNumber(rows[0].id) : null;
}

/** An expired claim (lease ended before `now`) recorded as sent, with the post's ts and time. */
export async function settleExpiredSlotAsSent(db: Db, slotId: number, sent: { messageTs: string | null; sentAt: Date }, now: Date): Promise<boolean> {
  const n = await db.execute(
    `UPDATE "DigestSlot" SET "status" = 'sent', "sentAt" = ?, "messageTs" = ?, "leaseUntil" = NULL, "updatedAt" = ? WHERE "id" = ? AND "status" = 'claimed' AND "leaseUntil" < ?`,
    [sent.sentAt, sent.messageTs, now, slotId, now],
  );
  return n === 1;
}

/**
 * An expired claim closed as `skipped` or `failed` with a reason: appended to its error (a retry's
 * error is kept), or replacing it.
 */
export async function closeExpiredSlot(db: Db, slotId: number, status: 'skipped' | 'failed', reason: string, now: Date, mode: 'append' | 'replace' = 'append'): Promise<boolean> {
  const error = mode === 'append' ? `COALESCE("error" || '; ', '') || ?` : '?';
  const n = await db.execute(
    `UPDATE "DigestSlot" SET "status" = '${status === 'failed' ? 'failed' : 'skipped'}', "error" = ${error}, "leaseUntil" = NULL, "updatedAt" = ? WHERE "id" = ? AND "status" = 'claimed' AND "leaseUntil" < ?`,
    [reason, now, slotId, now],
  );
  return n === 1;
}

/** Takes over an expired claim: new owner and lease, one more attempt. */
export async function retakeExpiredSlot(db: Db, slotId: number, claim: { instanceId: string; leaseUntil: Date; late: boolean }, now: Date): Promise<boolean> {
  const n = await db.execute(
    `UPDATE "DigestSlot" SET "claimedBy" = ?, "leaseUntil" = ?, "attempts" = "attempts" + 1, "late" = ?, "updatedAt" = ? WHERE "id" = ? AND "status" = 'claimed' AND "leaseUntil" < ?`,
    [claim.instanceId, claim.leaseUntil, claim.late, now, slotId, now],
  );
  return n === 1;
}

/** The sent digest deliveries (kind 'digest', refId = slot id) of these slots, oldest first. */
export async function sentDigestDeliveryRows(db: Db, slotIds: readonly number[]): Promise<Array<{ refId: number | null; messageTs: string | null; createdAt: Date }>> {
  const out: Array<{ refId: number | null; messageTs: string | null; createdAt: Date }> = [];
  for (let i = 0; i < slotIds.length; i += 500) {
    out.push(
      ...(await db.prisma.delivery.findMany({
        where: { kind: 'digest', status: 'sent', refId: { in: slotIds.slice(i, i + 500) } },
        select: { refId: true, messageTs: true, createdAt: true },
        orderBy: { id: 'asc' },
      })),
    );
  }
  return out;
}

/** A slot this instance holds, marked sent. */
export async function markHeldSlotSent(db: Db, s: { slotId: number; instanceId: string; sentAt: Date; messageTs: string | null; now: Date }): Promise<boolean> {
  const n = await db.execute(
    `UPDATE "DigestSlot" SET "status" = 'sent', "sentAt" = ?, "messageTs" = ?, "leaseUntil" = NULL, "updatedAt" = ? WHERE "id" = ? AND "status" = 'claimed' AND "claimedBy" = ?`,
    [s.sentAt, s.messageTs, s.now, s.slotId, s.instanceId],
  );
  return n === 1;
}

/** A slot this instance holds, handed back until `retryAt` (with the error), or failed for good (no `retryAt`). */
export async function markHeldSlotFailed(db: Db, s: { slotId: number; instanceId: string; error: string; retryAt?: Date; now: Date }): Promise<boolean> {
  const n = s.retryAt
    ? await db.execute(`UPDATE "DigestSlot" SET "leaseUntil" = ?, "error" = ?, "updatedAt" = ? WHERE "id" = ? AND "status" = 'claimed' AND "claimedBy" = ?`, [s.retryAt, s.error, s.now, s.slotId, s.instanceId])
    : await db.execute(`UPDATE "DigestSlot" SET "status" = 'failed', "error" = ?, "leaseUntil" = NULL, "updatedAt" = ? WHERE "id" = ? AND "status" = 'claimed' AND "claimedBy" = ?`, [s.error, s.now, s.slotId, s.instanceId]);
  return n === 1;
}
