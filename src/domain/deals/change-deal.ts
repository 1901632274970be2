import { AppError } from '../../errors.js';
import type { Deal, Rep, Workspace } from '../../storage/models.js';
import { inTransaction, WRITE_TX, type Db } from '../../storage/db.js';
import { insertStageChangeInTransaction, updateDealIfUnchanged, updateDealWithHistory } from '../../storage/queries/deal-writes.js';
import { bumpIfTouchesHistory, touchesHistory } from '../../storage/queries/history-version.js';
import { continueRenewedSubscription } from '../subscriptions/continue-renewed-subscription.js';
import { writeAudit } from './write-audit.js';
import { assertCanEditDeal } from './permissions.js';
import { snapshotDeal } from './snapshot.js';

export type TDealPatch = Partial<Pick<Deal, 'stage' | 'maxStageIndex' | 'status' | 'closedAt' | 'lostReason' | 'amountMinor' | 'currency' | 'amountReportingMinor' | 'type' | 'subscriptionStart' | 'subscriptionEnd' | 'recurringMonthlyMinor' | 'recurringReportingMinor' | 'requestKey'>>;

/**
 * A deal's `updatedAt` doubles as its version for the "nobody changed it since" check, so every
 * write must move it forward even when the injected clock stands still or lags behind.
 *
 * @example
 * nextVersionStamp(new Date(1000), new Date(5000)); // 5000
 * nextVersionStamp(new Date(5000), new Date(5000)); // 5001
 */
export function nextVersionStamp(previous: Date, now: Date): Date {
  return new Date(Math.max(now.getTime(), previous.getTime() + 1));
}

/** The deal's own columns (a caller may pass one read with its owner included). */
function withoutRelations(deal: Deal): Deal {
  const { owner: _owner, ...row } = deal as Deal & { owner?: unknown };
  return row;
}

/** A patch as Prisma applies it: an undefined field changes nothing. */
function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Every date by which a deal counts in some period, before and after a change. */
export function dealDates(...deals: ReadonlyArray<Pick<Deal, 'createdAt' | 'closedAt' | 'subscriptionStart' | 'subscriptionEnd'>>): Array<Date | null> {
  return deals.flatMap((d) => [d.createdAt, d.closedAt, d.subscriptionStart, d.subscriptionEnd]);
}

/**
 * Applies a patch to one deal with its audit entry (and stage change, when the stage moves) in one
 * transaction (statements prepared once on the driver, storage/queries/deal-writes.ts), after
 * checking the actor may edit it. `patch` runs first and may refuse the change (money
 * conversions); nothing is written then.
 */
export async function changeDeal(opts: {
  db: Db;
  workspace: Workspace;
  actor: Rep;
  deal: Deal;
  now: Date;
  /** The Slack delivery making the change, recorded on its audit entry (see oncePerRequest). */
  requestKey?: string | null;
  patch: () => Promise<TDealPatch> | TDealPatch;
}): Promise<Deal> {
  const { db, actor, deal, now } = opts;
  assertCanEditDeal(actor, deal);
  const patch = await opts.patch();
  const data = definedOnly({ ...patch, updatedAt: nextVersionStamp(deal.updatedAt, now) });
  // The row is exactly what was read plus the patch (the version check below proves nobody else
  // wrote it), so it is not read again.
  const updated: Deal = { ...withoutRelations(deal), ...data };
  const stageChange = patch.stage !== undefined && patch.stage !== deal.stage ? { fromStage: deal.stage, toStage: patch.stage, changedAt: now, changedById: actor.id } : null;
  const conflict = () => new AppError('CONFLICT', `The ${deal.customer} deal was changed by someone else a moment ago, so nothing was changed. Look at it again and retry.`, { i18n: { key: 'error.deal.changedMeanwhile', values: { customer: deal.customer } } });
  if (deal.status !== 'won' && startsRenewalSubscription(updated)) {
    // Closing a recurring renewal as won: the renewal rule may continue the customer's running
    // subscription (continueRenewedSubscription), in the same transaction as the change.
    const result = await inTransaction(
      db,
      async (tx) => {
        if (!(await updateDealIfUnchanged(tx, deal.id, deal.updatedAt, data))) return null;
        if (stageChange) await insertStageChangeInTransaction(tx, deal.workspaceId, deal.id, stageChange);
        const final = await continueRenewedSubscription(tx, { deal: updated, createdById: actor.id, now });
        await writeAudit(tx, { workspaceId: deal.workspaceId, actor, entity: 'deal', entityId: deal.id, action: 'update', before: snapshotDeal(deal), after: snapshotDeal(final), now, requestKey: opts.requestKey ?? null });
        await bumpIfTouchesHistory(tx, deal.workspaceId, dealDates(deal, updated), now);
        return final;
      },
      WRITE_TX,
    );
    if (!result) throw conflict();
    return result;
  }
  // Only if nobody changed the deal since it was read: two people closing the same deal at
  // once must not both succeed (nor leave a stale "before" in the audit trail for undo).
  const written = await updateDealWithHistory(db, {
    workspaceId: deal.workspaceId,
    dealId: deal.id,
    expectedUpdatedAt: deal.updatedAt,
    patch: data,
    stageChange,
    audit: { actorRepId: actor.id, actorSlackUserId: actor.slackUserId, action: 'update', createdAt: now, requestKey: opts.requestKey ?? null },
    beforeJson: JSON.stringify(snapshotDeal(deal)),
    afterJson: JSON.stringify(snapshotDeal(updated)),
    bumpHistoryVersion: touchesHistory(dealDates(deal, updated), now),
  });
  if (!written) throw conflict();
  return updated;
}

/** A won renewal with a monthly amount and a subscription start: what the renewal rule looks at. */
function startsRenewalSubscription(d: Deal): boolean {
  return d.type === 'renewal' && d.status === 'won' && d.subscriptionStart !== null && d.recurringMonthlyMinor !== null && d.recurringReportingMinor !== null;
}
