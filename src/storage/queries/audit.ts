import type { Tx } from '../db.js';
import type { AuditEntry, Deal } from '../models.js';

// The audit trail (AuditEntry) and the statements `/deal undo` needs (domain/deals/undo-last-change.ts).

/** One audit entry as stored; `before`/`after` are JSON texts or null. */
export interface TAuditRow {
  workspaceId: number;
  actorRepId: number;
  actorSlackUserId: string | null;
  entity: string;
  entityId: number;
  action: string;
  before: string | null;
  after: string | null;
  createdAt: Date;
  requestKey: string | null;
}

/** Inserts an audit entry in the caller's transaction; its id. */
export async function insertAuditEntry(tx: Tx, row: TAuditRow): Promise<number> {
  const created = await tx.auditEntry.create({ data: row, select: { id: true } });
  return created.id;
}

/**
 * The actor's latest change not yet undone, of these entities (and of one entity id when given):
 * what `/deal undo` reverts.
 */
export async function latestUndoableEntry(tx: Tx, w: { workspaceId: number; actorRepId: number; entities: readonly string[]; entityId?: number }): Promise<AuditEntry | null> {
  return tx.auditEntry.findFirst({
    where: {
      workspaceId: w.workspaceId,
      actorRepId: w.actorRepId,
      entity: { in: [...w.entities] },
      action: { in: ['create', 'update'] },
      undoneAt: null,
      ...(w.entityId !== undefined ? { entityId: w.entityId } : {}),
    },
    orderBy: { id: 'desc' },
  });
}

/** Whether a deal was changed (by anyone) after audit entry `afterEntryId`, the change not undone. */
export async function dealChangedAfter(tx: Tx, dealId: number, afterEntryId: number): Promise<boolean> {
  const later = await tx.auditEntry.findFirst({ where: { entity: 'deal', entityId: dealId, id: { gt: afterEntryId }, action: { in: ['create', 'update'] }, undoneAt: null }, select: { id: true } });
  return later !== null;
}

/** Marks an entry undone (conditional: one caller wins); whether this call did. */
export async function markEntryUndone(tx: Tx, entryId: number, now: Date): Promise<boolean> {
  const res = await tx.auditEntry.updateMany({ where: { id: entryId, undoneAt: null }, data: { undoneAt: now } });
  return res.count === 1;
}

/** A deal by id (in the caller's transaction), or null. */
export async function dealByIdTx(tx: Tx, dealId: number): Promise<Deal | null> {
  return tx.deal.findUnique({ where: { id: dealId } });
}

/** Deletes a deal (its stage changes go with it). */
export async function deleteDeal(tx: Tx, dealId: number): Promise<void> {
  await tx.deal.delete({ where: { id: dealId } });
}

/** The fields an undo puts back. */
export type TRestoredDealFields = Pick<
  Deal,
  'stage' | 'maxStageIndex' | 'status' | 'closedAt' | 'lostReason' | 'amountMinor' | 'currency' | 'amountReportingMinor' | 'type' | 'subscriptionStart' | 'subscriptionEnd' | 'updatedAt'
>;

/** Puts those fields of a deal back. */
export async function restoreDealFields(tx: Tx, dealId: number, fields: TRestoredDealFields): Promise<Deal> {
  return tx.deal.update({ where: { id: dealId }, data: fields });
}

/** Deletes the latest stage change of a deal into `toStage` (the move an undo takes back), if any. */
export async function deleteLatestStageChangeInto(tx: Tx, dealId: number, toStage: string): Promise<void> {
  const last = await tx.dealStageChange.findFirst({ where: { dealId, toStage }, orderBy: { id: 'desc' }, select: { id: true } });
  if (last) await tx.dealStageChange.delete({ where: { id: last.id } });
}
