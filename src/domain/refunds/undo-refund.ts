import { AppError } from '../../errors.js';
import type { Deal, Refund, Rep } from '../../storage/models.js';
import type { Db, Tx } from '../../storage/db.js';
import { bumpIfTouchesHistory } from '../../storage/queries/history-version.js';
import { claimAuditEntry, dealOfWorkspace, deleteRefund, inWriteTransaction, openRefundEntry, refundById } from '../../storage/queries/refunds.js';
import { writeAudit } from '../deals/write-audit.js';
import { oncePerRequest } from '../once-per-request.js';
import { snapshotRefund } from './snapshot.js';

export interface TRefundUndone {
  action: 'refund-removed';
  refund: Refund;
  /** The deal it was recorded against (null when that deal is gone). */
  deal: Deal | null;
}

/**
 * Inside the caller's transaction: removes the refund an audit entry (the actor's, not undone)
 * recorded, marks the entry undone, writes the undo's own audit entry and bumps the history
 * version when the refund lay in a closed period. `/deal undo` and the Undo button both end here.
 */
export async function undoRefundEntry(tx: Tx, o: { entry: { id: number; entityId: number }; actor: Rep; now: Date; requestKey: string | null }): Promise<TRefundUndone> {
  const refund = await refundById(tx, o.entry.entityId);
  if (!refund) throw new AppError('NOTHING_TO_UNDO', 'That refund no longer exists, so there is nothing to undo.', { i18n: { key: 'error.refund.gone' } });
  if (!(await claimAuditEntry(tx, o.entry.id, o.now))) throw new AppError('NOTHING_TO_UNDO', 'That refund was already undone.', { i18n: { key: 'error.refund.alreadyUndone' } });
  await deleteRefund(tx, refund.id);
  await bumpIfTouchesHistory(tx, refund.workspaceId, [refund.recordedAt], o.now);
  await writeAudit(tx, { workspaceId: refund.workspaceId, actor: o.actor, entity: 'refund', entityId: refund.id, action: 'undo', before: snapshotRefund(refund), now: o.now, requestKey: o.requestKey });
  const deal = refund.dealId === null ? null : await dealOfWorkspace(tx, refund.workspaceId, refund.dealId);
  return { action: 'refund-removed', refund, deal };
}

/**
 * The Undo button on a refund confirmation: removes that refund if the clicker recorded it and
 * it was not undone yet. Once per delivery.
 */
export function undoRefund(opts: { db: Db; actor: Rep; refundId: number; now: Date; requestKey: string | null }): Promise<TRefundUndone> {
  const { db, actor, now } = opts;
  return oncePerRequest({ db, workspaceId: actor.workspaceId, requestKey: opts.requestKey, now }, () =>
    inWriteTransaction(db, async (tx) => {
      const entry = await openRefundEntry(tx, actor.workspaceId, actor.id, opts.refundId);
      if (!entry) throw new AppError('NOTHING_TO_UNDO', 'That refund was already undone, or it is not yours to undo.', { i18n: { key: 'error.refund.notYours' } });
      return undoRefundEntry(tx, { entry, actor, now, requestKey: opts.requestKey });
    }),
  );
}
