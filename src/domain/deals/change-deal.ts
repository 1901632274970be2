import type { Deal, Rep, Workspace } from '../../generated/sqlite/client.js';
import type { Db, Tx } from '../../storage/db.js';
import { assertCanEditDeal } from './permissions.js';
import { snapshotDeal } from './snapshot.js';
import { writeAudit } from './write-audit.js';

export type TDealPatch = Partial<Pick<Deal, 'stage' | 'maxStageIndex' | 'status' | 'closedAt' | 'lostReason' | 'amountMinor' | 'currency' | 'amountReportingMinor' | 'type' | 'subscriptionStart' | 'recurringMonthlyMinor' | 'recurringReportingMinor'>>;

/**
 * Applies a patch to one deal with its audit entry (and stage change, when the stage moves) in one
 * transaction, after checking the actor may edit it. `prepare` runs inside the transaction to
 * compute money conversions that may refuse the change.
 */
export async function changeDeal(opts: {
  db: Db;
  workspace: Workspace;
  actor: Rep;
  deal: Deal;
  now: Date;
  patch: (tx: Tx) => Promise<TDealPatch> | TDealPatch;
}): Promise<Deal> {
  const { db, actor, deal, now } = opts;
  assertCanEditDeal(actor, deal);
  return db.prisma.$transaction(async (tx: Tx) => {
    const patch = await opts.patch(tx);
    const updated = await tx.deal.update({ where: { id: deal.id }, data: patch });
    if (patch.stage !== undefined && patch.stage !== deal.stage) {
      await tx.dealStageChange.create({ data: { workspaceId: deal.workspaceId, dealId: deal.id, fromStage: deal.stage, toStage: patch.stage, changedAt: now, changedById: actor.id } });
    }
    await writeAudit(tx, { workspaceId: deal.workspaceId, actor, entity: 'deal', entityId: deal.id, action: 'update', before: snapshotDeal(deal), after: snapshotDeal(updated) });
    return updated;
  });
}
