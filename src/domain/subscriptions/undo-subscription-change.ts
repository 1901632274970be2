import { AppError } from '../../errors.js';
import type { Rep } from '../../storage/models.js';
import type { Tx } from '../../storage/db.js';
import { bumpIfTouchesHistory } from '../../storage/queries/history-version.js';
import { claimAuditEntryForUndo, dealInTx, deleteSubscriptionChange } from '../../storage/queries/subscriptions.js';
import { formatMoney } from '../money.js';
import { writeAudit } from '../deals/write-audit.js';
import type { Deal } from '../../storage/models.js';
import { snapshotSubscriptionChange } from './change-subscription-mrr.js';

/**
 * Undo of an MRR change (`/deal mrr`), inside undoLastChange's transaction: the change row is
 * deleted, so the subscription's amount is what it was before; the history version is bumped when
 * the change was dated before the horizon.
 */
export async function undoSubscriptionChange(
  tx: Tx,
  { entry, actor, now, requestKey }: { entry: { id: number; workspaceId: number; entityId: number }; actor: Rep; now: Date; requestKey: string | null },
): Promise<{ action: 'removed'; deal: Deal; note: string; mrrChange: { monthlyMinor: bigint; currency: string } }> {
  if (!(await claimAuditEntryForUndo(tx, entry.id, now))) throw new AppError('NOTHING_TO_UNDO', 'That change was already undone.', { i18n: { key: 'error.sub.changeUndone' } });
  const removed = await deleteSubscriptionChange(tx, entry.workspaceId, entry.entityId);
  if (!removed) throw new AppError('NOTHING_TO_UNDO', 'That MRR change no longer exists, so there is nothing to undo.', { i18n: { key: 'error.sub.changeGone' } });
  const deal = await dealInTx(tx, removed.dealId);
  if (!deal) throw new AppError('NOTHING_TO_UNDO', 'That subscription no longer exists, so there is nothing to undo.', { i18n: { key: 'error.sub.gone' } });
  await bumpIfTouchesHistory(tx, entry.workspaceId, [removed.effectiveAt], now);
  await writeAudit(tx, { workspaceId: entry.workspaceId, actor, entity: 'subscription-change', entityId: removed.id, action: 'undo', before: snapshotSubscriptionChange(removed), now, requestKey });
  return { action: 'removed', deal, note: `the MRR change of ${deal.customer} to ${formatMoney(removed.monthlyMinor, removed.currency)} a month was removed.`, mrrChange: { monthlyMinor: removed.monthlyMinor, currency: removed.currency } };
}
