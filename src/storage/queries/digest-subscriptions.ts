import type { Db, Tx } from '../db.js';
import type { DigestSubscription, Workspace } from '../models.js';

// Digest subscriptions: one per channel of a workspace (domain/digests/manage-subscriptions.ts).

/** The fields a subscribe sets. */
export interface TDigestSubscriptionFields {
  weekday: number;
  localTime: string;
  timeZone: string;
  active: boolean;
  disabledReason: string | null;
  createdBySlackUserId: string | null;
}

/** The channel's subscription (inside the caller's transaction), or null. */
export async function subscriptionOfChannelTx(tx: Tx, workspaceId: number, channelId: string): Promise<DigestSubscription | null> {
  return tx.digestSubscription.findUnique({ where: { workspaceId_channelId: { workspaceId, channelId } } });
}

/** Creates the channel's subscription. */
export async function insertDigestSubscription(tx: Tx, workspaceId: number, channelId: string, fields: TDigestSubscriptionFields, now: Date): Promise<DigestSubscription> {
  return tx.digestSubscription.create({ data: { workspaceId, channelId, ...fields, createdAt: now, updatedAt: now } });
}

/** Sets fields of a subscription (`updatedAt` = now). */
export async function updateDigestSubscription(tx: Tx, id: number, fields: Partial<TDigestSubscriptionFields>, now: Date): Promise<DigestSubscription> {
  return tx.digestSubscription.update({ where: { id }, data: { ...fields, updatedAt: now } });
}

/** The workspace's subscriptions except those unsubscribed (`disabledReason` = `unsubscribedReason`), active first. */
export async function listedDigestSubscriptions(db: Db, workspaceId: number, unsubscribedReason: string): Promise<DigestSubscription[]> {
  return db.prisma.digestSubscription.findMany({
    where: { workspaceId, OR: [{ active: true }, { disabledReason: null }, { disabledReason: { not: unsubscribedReason } }] },
    orderBy: [{ active: 'desc' }, { id: 'asc' }],
  });
}

/** The latest slot of a subscription, or null. */
export async function latestDigestSlot(db: Db, subscriptionId: number): Promise<{ scheduledFor: Date; status: string; late: boolean; sentAt: Date | null; error: string | null } | null> {
  return db.prisma.digestSlot.findFirst({
    where: { subscriptionId },
    orderBy: { scheduledFor: 'desc' },
    select: { scheduledFor: true, status: true, late: true, sentAt: true, error: true },
  });
}

/** Turns an active subscription off with a reason (conditional: one caller wins); whether this call did. */
export async function deactivateDigestSubscription(db: Db, id: number, reason: string, now: Date): Promise<boolean> {
  const n = await db.execute(`UPDATE "DigestSubscription" SET "active" = ?, "disabledReason" = ?, "updatedAt" = ? WHERE "id" = ? AND "active" = ?`, [false, reason, now, id, true]);
  return n === 1;
}

/** A subscription with its workspace, or null. */
export async function digestSubscriptionWithWorkspace(db: Db, id: number): Promise<(DigestSubscription & { workspace: Workspace }) | null> {
  return db.prisma.digestSubscription.findUnique({ where: { id }, include: { workspace: true } });
}
