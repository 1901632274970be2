import { WRITE_TX, type Db, type Tx } from '../db.js';
import type { Deal, SubscriptionChange } from '../models.js';

/**
 * Subscriptions: won deals with a monthly recurring amount and a start (`subscriptionStart`),
 * ended by `subscriptionEnd`, their monthly amount changed from a date on by `SubscriptionChange`
 * rows. Reads and writes for `/deal churn`, `/deal mrr`, the renewal rule, undo and imports.
 */

/** Runs `fn` in one short write transaction (the same options as every user change). */
export function inWriteTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.prisma.$transaction(fn, WRITE_TX);
}

/** Every subscription deal of a customer (by `customerKey`), newest first. */
export async function subscriptionDealsOfCustomer(db: Db | Tx, workspaceId: number, key: string): Promise<Deal[]> {
  const client = 'prisma' in db ? db.prisma : db;
  return client.deal.findMany({
    where: { workspaceId, customerKey: key, status: 'won', recurringReportingMinor: { not: null }, subscriptionStart: { not: null } },
    orderBy: { id: 'desc' },
    take: 50,
  });
}

/** One deal of the workspace by id, or null. */
export async function dealOfWorkspace(db: Db, workspaceId: number, dealId: number): Promise<Deal | null> {
  return db.prisma.deal.findFirst({ where: { id: dealId, workspaceId } });
}

/** How many deals (any status) the workspace has for this customer key. */
export async function dealCountOfCustomer(db: Db, workspaceId: number, key: string): Promise<number> {
  return db.prisma.deal.count({ where: { workspaceId, customerKey: key } });
}

/** The monthly amount (reporting currency) of subscription `deal` at `at`: the latest change before it, else its own. */
export async function subscriptionAmountAt(db: Db, deal: Pick<Deal, 'id' | 'recurringReportingMinor'>, at: Date): Promise<bigint | null> {
  const change = await db.prisma.subscriptionChange.findFirst({ where: { dealId: deal.id, effectiveAt: { lt: at } }, orderBy: [{ effectiveAt: 'desc' }, { id: 'desc' }], select: { monthlyReportingMinor: true } });
  return change?.monthlyReportingMinor ?? deal.recurringReportingMinor;
}

/** `subscriptionAmountAt` inside a transaction. */
export async function subscriptionAmountAtInTx(tx: Tx, deal: Pick<Deal, 'id' | 'recurringReportingMinor'>, at: Date): Promise<bigint | null> {
  const change = await tx.subscriptionChange.findFirst({ where: { dealId: deal.id, effectiveAt: { lt: at } }, orderBy: [{ effectiveAt: 'desc' }, { id: 'desc' }], select: { monthlyReportingMinor: true } });
  return change?.monthlyReportingMinor ?? deal.recurringReportingMinor;
}

export interface TSubscriptionChangeRow {
  readonly workspaceId: number;
  readonly dealId: number;
  readonly effectiveAt: Date;
  readonly monthlyMinor: bigint;
  readonly currency: string;
  readonly monthlyReportingMinor: bigint;
  readonly sourceDealId?: number | null;
  readonly requestKey?: string | null;
  readonly externalId?: string | null;
  readonly createdById?: number | null;
  readonly createdAt: Date;
}

export async function insertSubscriptionChange(tx: Tx, row: TSubscriptionChangeRow): Promise<SubscriptionChange> {
  return tx.subscriptionChange.create({
    data: {
      workspaceId: row.workspaceId,
      dealId: row.dealId,
      effectiveAt: row.effectiveAt,
      monthlyMinor: row.monthlyMinor,
      currency: row.currency,
      monthlyReportingMinor: row.monthlyReportingMinor,
      sourceDealId: row.sourceDealId ?? null,
      requestKey: row.requestKey ?? null,
      externalId: row.externalId ?? null,
      createdById: row.createdById ?? null,
      createdAt: row.createdAt,
    },
  });
}

/** Deletes one change (undo); returns it, or null when it is gone already. */
export async function deleteSubscriptionChange(tx: Tx, workspaceId: number, id: number): Promise<SubscriptionChange | null> {
  const row = await tx.subscriptionChange.findFirst({ where: { id, workspaceId } });
  if (!row) return null;
  await tx.subscriptionChange.delete({ where: { id } });
  return row;
}

/** Deletes the changes a renewal deal made to the subscription it continued (its win undone); returns their dates. */
export async function deleteRenewalChanges(tx: Tx, sourceDealId: number): Promise<Date[]> {
  const rows = await tx.subscriptionChange.findMany({ where: { sourceDealId }, select: { id: true, effectiveAt: true } });
  if (rows.length > 0) await tx.subscriptionChange.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
  return rows.map((r) => r.effectiveAt);
}

/** Inside a transaction: a deal's row as it is now. */
export async function dealInTx(tx: Tx, dealId: number): Promise<Deal | null> {
  return tx.deal.findUnique({ where: { id: dealId } });
}

/** Clears the subscription start of a (renewal) deal that continues another subscription. */
export async function clearSubscriptionStart(tx: Tx, dealId: number): Promise<void> {
  await tx.deal.update({ where: { id: dealId }, data: { subscriptionStart: null } });
}

/** Import: the change stored for this external id, if any (re-import idempotent). */
export async function subscriptionChangeByExternalId(db: Db | Tx, workspaceId: number, externalId: string): Promise<SubscriptionChange | null> {
  const client = 'prisma' in db ? db.prisma : db;
  return client.subscriptionChange.findUnique({ where: { workspaceId_externalId: { workspaceId, externalId } } });
}

/** Whether the workspace has any subscription deal (the digest and alerts add MRR only then). */
export async function hasSubscriptions(db: Db, workspaceId: number): Promise<boolean> {
  const one = await db.prisma.deal.findFirst({ where: { workspaceId, status: 'won', subscriptionStart: { not: null }, recurringReportingMinor: { not: null } }, select: { id: true } });
  return one !== null;
}

/** Marks an audit entry undone unless someone did first; false when it was already undone. */
export async function claimAuditEntryForUndo(tx: Tx, auditEntryId: number, now: Date): Promise<boolean> {
  const claimed = await tx.auditEntry.updateMany({ where: { id: auditEntryId, undoneAt: null }, data: { undoneAt: now } });
  return claimed.count === 1;
}
