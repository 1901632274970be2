import { WRITE_TX, type Db, type Tx } from '../db.js';
import type { Deal, Refund } from '../models.js';

// Reads and writes of refunds (`/deal refund`, the refund modal, its undo). The CSV import's
// refund rows are planned and written in bulk by refund-import.ts.

/** A refund's amount in its own currency and in the reporting currency. */
export interface TRefundAmounts {
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly amountReportingMinor: bigint;
}

/** Won deals of the workspace whose `customerKey` is `key`, newest close first (at most `take`). */
export async function wonDealsOfCustomer(db: Db, workspaceId: number, key: string, take = 20): Promise<Deal[]> {
  if (!key) return [];
  return db.prisma.deal.findMany({
    where: { workspaceId, status: 'won', customerKey: key },
    orderBy: [{ closedAt: 'desc' }, { id: 'desc' }],
    take,
  });
}

/** A deal of the workspace by id, or null. */
export async function dealOfWorkspace(db: Db | Tx, workspaceId: number, dealId: number): Promise<Deal | null> {
  const client = 'prisma' in db ? db.prisma : db;
  return client.deal.findFirst({ where: { id: dealId, workspaceId } });
}

/** The refunds already recorded against a deal (amounts only), oldest first. */
export async function refundsOfDeal(db: Db | Tx, dealId: number): Promise<TRefundAmounts[]> {
  const client = 'prisma' in db ? db.prisma : db;
  return client.refund.findMany({ where: { dealId }, orderBy: { id: 'asc' }, select: { amountMinor: true, currency: true, amountReportingMinor: true } });
}

/** Names of reps by id (for the "which deal?" question). */
export async function repNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  const reps = await db.prisma.rep.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true } });
  return new Map(reps.map((r) => [r.id, r.name]));
}

/** Stores one refund inside the caller's transaction. */
export async function insertRefund(
  tx: Tx,
  row: { workspaceId: number; dealId: number | null; amountMinor: bigint; currency: string; amountReportingMinor: bigint; reason: string | null; recordedAt: Date; createdById: number | null; source: string },
): Promise<Refund> {
  return tx.refund.create({ data: row });
}

/** A refund by id inside the caller's transaction, or null. */
export async function refundById(tx: Tx, id: number): Promise<Refund | null> {
  return tx.refund.findUnique({ where: { id } });
}

/** Removes a refund inside the caller's transaction; false when it was already gone. */
export async function deleteRefund(tx: Tx, id: number): Promise<boolean> {
  const gone = await tx.refund.deleteMany({ where: { id } });
  return gone.count === 1;
}

/** Runs `fn` in one write transaction (the same bounds every Slack write uses). */
export function inWriteTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.prisma.$transaction(fn, WRITE_TX);
}

/** Refunds recorded against deals since `after` (by id order), for undo's "changed since" check. */
export async function refundsOfDealAfterAudit(tx: Tx, dealId: number, since: Date): Promise<number> {
  return tx.refund.count({ where: { dealId, recordedAt: { gte: since } } });
}

/** How many deals (any status) the workspace has for this customer key. */
export async function dealCountOfCustomer(db: Db, workspaceId: number, key: string): Promise<number> {
  if (!key) return 0;
  return db.prisma.deal.count({ where: { workspaceId, customerKey: key } });
}

/** The actor's refund audit entry ("create", not undone) of one refund, or null. */
export async function openRefundEntry(tx: Tx, workspaceId: number, actorRepId: number, refundId: number): Promise<{ id: number; entityId: number } | null> {
  return tx.auditEntry.findFirst({
    where: { workspaceId, actorRepId, entity: 'refund', entityId: refundId, action: 'create', undoneAt: null },
    orderBy: { id: 'desc' },
    select: { id: true, entityId: true },
  });
}

/** Marks an audit entry undone (once): false when someone else claimed it first. */
export async function claimAuditEntry(tx: Tx, id: number, now: Date): Promise<boolean> {
  const claimed = await tx.auditEntry.updateMany({ where: { id, undoneAt: null }, data: { undoneAt: now } });
  return claimed.count === 1;
}
