import type { Deal } from '../../storage/models.js';
import type { Tx } from '../../storage/db.js';
import { clearSubscriptionStart, insertSubscriptionChange, subscriptionAmountAtInTx, subscriptionDealsOfCustomer } from '../../storage/queries/subscriptions.js';
import { runsAt } from './find-subscription.js';

/**
 * The renewal rule: a won **renewal** deal with a monthly recurring amount, for a customer whose
 * subscription is running when the renewal starts, continues that subscription instead of
 * starting a second one (which would double the customer's MRR). The renewal deal keeps its
 * amounts (revenue, mix) but gets no subscription start of its own; when its monthly amount
 * differs from the running one, a `SubscriptionChange` of the running subscription takes effect
 * from the renewal's start (an expansion or contraction), tied to the renewal deal
 * (`sourceDealId`): removing the renewal (undo) removes the change. Without a running
 * subscription, a renewal starts a subscription like any other won recurring deal.
 *
 * Runs inside the transaction that wrote the deal; returns the deal as stored.
 */
export async function continueRenewedSubscription(tx: Tx, { deal, createdById, now }: { deal: Deal; createdById: number | null; now: Date }): Promise<Deal> {
  const start = deal.subscriptionStart;
  if (deal.type !== 'renewal' || deal.status !== 'won' || start === null || deal.recurringReportingMinor === null || deal.recurringMonthlyMinor === null) return deal;
  const running = (await subscriptionDealsOfCustomer(tx, deal.workspaceId, deal.customerKey)).filter((d) => d.id !== deal.id && runsAt(d, start));
  const continued = running[0];
  if (!continued) return deal;
  await clearSubscriptionStart(tx, deal.id);
  const current = await subscriptionAmountAtInTx(tx, continued, start);
  if (current !== deal.recurringReportingMinor) {
    await insertSubscriptionChange(tx, {
      workspaceId: deal.workspaceId,
      dealId: continued.id,
      effectiveAt: start,
      monthlyMinor: deal.recurringMonthlyMinor,
      currency: deal.currency,
      monthlyReportingMinor: deal.recurringReportingMinor,
      sourceDealId: deal.id,
      createdById,
      createdAt: now,
    });
  }
  return { ...deal, subscriptionStart: null };
}
