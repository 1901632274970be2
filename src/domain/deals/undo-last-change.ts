import { AppError } from '../../errors.js';
import type { Deal, Rep } from '../../storage/models.js';
import { inTransaction, WRITE_TX, type Db } from '../../storage/db.js';
import { dealByIdTx, dealChangedAfter, deleteDeal, deleteLatestStageChangeInto, latestUndoableEntry, markEntryUndone, restoreDealFields } from '../../storage/queries/audit.js';
import { bumpIfTouchesHistory } from '../../storage/queries/history-version.js';
import { oncePerRequest } from '../once-per-request.js';
import { dealDates, nextVersionStamp } from './change-deal.js';
import { dealFromSnapshot, snapshotDeal, type TDealSnapshot } from './snapshot.js';
import { writeAudit } from './write-audit.js';
import { refundsOfDealAfterAudit } from '../../storage/queries/refunds.js';
import { undoRefundEntry, type TRefundUndone } from '../refunds/undo-refund.js';
import { undoSubscriptionChange } from '../subscriptions/undo-subscription-change.js';
import { deleteRenewalChanges } from '../../storage/queries/subscriptions.js';

export type TUndoResult =
  | {
      action: 'removed' | 'restored';
      deal: Deal;
      /** What was undone when it is not the deal itself (an MRR change), for the confirmation. */
      note?: string;
      /** The MRR change that was removed (`/deal mrr`), for the confirmation in the reader's language. */
      mrrChange?: { monthlyMinor: bigint; currency: string };
    }
  /** The last change was a refund (`/deal refund`, the refund form): it is removed. */
  | TRefundUndone;

/**
 * Reverts the actor's most recent deal change that has not been undone: a created deal is
 * removed, an updated one restored to its previous state. Refused when someone changed the deal
 * since, so undo never overwrites another person's work. `dealId` limits it to the actor's last
 * change of that deal (the Undo button on a confirmation). Once per delivery (`requestKey`): the
 * same `/deal undo` or click delivered twice undoes one change and answers ALREADY_DONE.
 */
export async function undoLastChange(opts: { db: Db; actor: Rep; now: Date; dealId?: number; requestKey?: string | null }): Promise<TUndoResult> {
  const { db, actor, now } = opts;
  return oncePerRequest({ db, workspaceId: actor.workspaceId, requestKey: opts.requestKey, now }, () => undoInTransaction(opts));
}

async function undoInTransaction(opts: { db: Db; actor: Rep; now: Date; dealId?: number; requestKey?: string | null }): Promise<TUndoResult> {
  const { db, actor, now } = opts;
  const requestKey = opts.requestKey ?? null;
  return inTransaction(db, async (tx): Promise<TUndoResult> => {
    const entry = await latestUndoableEntry(tx, {
      workspaceId: actor.workspaceId,
      actorRepId: actor.id,
      // The Undo button names a deal; `/deal undo` also removes a refund and reverts an MRR change (`/deal mrr`).
      entities: opts.dealId !== undefined ? ['deal'] : ['deal', 'refund', 'subscription-change'],
      ...(opts.dealId !== undefined ? { entityId: opts.dealId } : {}),
    });
    if (!entry) {
      throw new AppError('NOTHING_TO_UNDO', opts.dealId !== undefined ? 'That change was already undone, or it is not yours to undo.' : 'You have no deal change left to undo.', {
        i18n: { key: opts.dealId !== undefined ? 'error.deal.changeUndone' : 'error.deal.nothingToUndo' },
      });
    }
    if (entry.entity === 'refund') return undoRefundEntry(tx, { entry, actor, now, requestKey });
    if (entry.entity === 'subscription-change') return undoSubscriptionChange(tx, { entry, actor, now, requestKey });
    const current = await dealByIdTx(tx, entry.entityId);
    if (!current) throw new AppError('NOTHING_TO_UNDO', 'That deal no longer exists, so there is nothing to undo.', { i18n: { key: 'error.deal.dealGone' } });
    if (await dealChangedAfter(tx, current.id, entry.id)) {
      throw new AppError('CONFLICT', `The ${current.customer} deal was changed again after this, so it was not undone. Open it with \`/deal\` to fix it by hand.`, { i18n: { key: 'error.deal.changedAgain', values: { customer: current.customer } } });
    }
    // A refund recorded on the deal since would be left on a deal that is no longer what was refunded.
    if ((await refundsOfDealAfterAudit(tx, current.id, entry.createdAt)) > 0) {
      throw new AppError('CONFLICT', `A refund was recorded on the ${current.customer} deal after this change, so it was not undone. Undo the refund first.`, { i18n: { key: 'error.deal.refundSince', values: { customer: current.customer } } });
    }
    if (!(await markEntryUndone(tx, entry.id, now))) throw new AppError('NOTHING_TO_UNDO', 'That change was already undone.', { i18n: { key: 'error.deal.alreadyUndone' } });
    if (entry.action === 'create') {
      await deleteDeal(tx, current.id);
      await bumpIfTouchesHistory(tx, current.workspaceId, dealDates(current), now);
      await writeAudit(tx, { workspaceId: current.workspaceId, actor, entity: 'deal', entityId: current.id, action: 'undo', before: snapshotDeal(current), now, requestKey });
      return { action: 'removed' as const, deal: current };
    }
    const before = dealFromSnapshot(JSON.parse(entry.before ?? '{}') as TDealSnapshot);
    const restored = await restoreDealFields(tx, current.id, {
        stage: before.stage,
        maxStageIndex: before.maxStageIndex,
        status: before.status,
        closedAt: before.closedAt,
        lostReason: before.lostReason,
        amountMinor: before.amountMinor,
        currency: before.currency,
        amountReportingMinor: before.amountReportingMinor,
        type: before.type,
        subscriptionStart: before.subscriptionStart,
        subscriptionEnd: before.subscriptionEnd,
        updatedAt: nextVersionStamp(current.updatedAt, now),
    });
    // A renewal win that continued another subscription (see continueRenewedSubscription) takes its change with it.
    const renewalDates = before.status !== 'won' ? await deleteRenewalChanges(tx, current.id) : [];
    await bumpIfTouchesHistory(tx, current.workspaceId, [...dealDates(current, restored), ...renewalDates], now);
    if (before.stage !== current.stage) {
      // The funnel history forgets the stage move that was undone.
      await deleteLatestStageChangeInto(tx, current.id, current.stage);
    }
    await writeAudit(tx, { workspaceId: current.workspaceId, actor, entity: 'deal', entityId: current.id, action: 'undo', before: snapshotDeal(current), after: snapshotDeal(restored), now, requestKey });
    return { action: 'restored' as const, deal: restored };
  }, WRITE_TX);
}
