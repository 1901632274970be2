import { AppError } from '../../errors.js';
import type { Deal, Rep, SubscriptionChange, Workspace } from '../../storage/models.js';
import type { Db, Tx } from '../../storage/db.js';
import { bumpIfTouchesHistory } from '../../storage/queries/history-version.js';
import { inWriteTransaction, insertSubscriptionChange, subscriptionAmountAt } from '../../storage/queries/subscriptions.js';
import { formatMoney } from '../money.js';
import { toReportingCurrency } from '../deals/to-reporting-currency.js';
import { writeAudit } from '../deals/write-audit.js';
import { oncePerRequest } from '../once-per-request.js';
import { findSubscription } from './find-subscription.js';
import { SUBSCRIPTION_EXAMPLES, type TSubscriptionTarget } from './parse-subscription-command.js';
import { subscriptionDateInstant } from './subscription-dates.js';

export interface TChangeSubscriptionMrrOptions {
  db: Db;
  workspace: Workspace;
  actor: Rep;
  target: TSubscriptionTarget;
  amountMinor: bigint;
  currency: string;
  /** `YYYY-MM-DD` in the workspace's zone; null = the request's day. */
  date: string | null;
  now: Date;
  requestKey: string | null;
}

export interface TMrrChangeResult {
  readonly deal: Deal;
  readonly change: SubscriptionChange;
  /** The monthly amount (reporting currency) just before the change. */
  readonly previousMinor: bigint;
}

/** JSON form of a change for the audit trail. */
export function snapshotSubscriptionChange(c: SubscriptionChange): Record<string, string | number | null> {
  return {
    id: c.id,
    dealId: c.dealId,
    effectiveAt: c.effectiveAt.toISOString(),
    monthlyMinor: c.monthlyMinor.toString(),
    currency: c.currency,
    monthlyReportingMinor: c.monthlyReportingMinor.toString(),
    sourceDealId: c.sourceDealId,
  };
}

/**
 * `/deal mrr Acme 12m [date]`: from the start of that day (workspace zone) the customer's running
 * subscription is worth 12m a month: an expansion or a contraction. Stored as a new
 * `SubscriptionChange` row (the deal itself is not overwritten), with an audit entry
 * (`subscription-change`/`create`, which `/deal undo` deletes) under the request key; a date before
 * the history horizon bumps the history version. Refused when the amount is already that.
 */
export function changeSubscriptionMrr(opts: TChangeSubscriptionMrrOptions): Promise<TMrrChangeResult> {
  return oncePerRequest({ db: opts.db, workspaceId: opts.workspace.id, requestKey: opts.requestKey, now: opts.now, lookFirst: false }, () => changeOnce(opts));
}

async function changeOnce(opts: TChangeSubscriptionMrrOptions): Promise<TMrrChangeResult> {
  const { db, workspace, actor, now } = opts;
  const example = SUBSCRIPTION_EXAMPLES.mrr;
  const effectiveAt = subscriptionDateInstant(opts.date, now, workspace.timeZone, example);
  const deal = await findSubscription({ db, workspaceId: workspace.id, timeZone: workspace.timeZone, actor, target: opts.target, at: effectiveAt, purpose: 'mrr', example });
  // What it is worth from that instant on (a change already recorded for the same day included).
  const previousMinor = (await subscriptionAmountAt(db, deal, new Date(effectiveAt.getTime() + 1))) ?? 0n;
  const change = await inWriteTransaction(db, async (tx: Tx) => {
    const reportingMinor = await toReportingCurrency(tx, workspace, opts.amountMinor, opts.currency, 'recurring');
    if (reportingMinor === previousMinor) {
      throw new AppError('INVALID_INPUT', `${deal.customer}'s subscription is already ${formatMoney(previousMinor, workspace.currency)} a month then; nothing changed.`, {
        i18n: { key: 'error.sub.sameAmount', values: { customer: deal.customer }, money: { amount: { amountMinor: previousMinor.toString(), currency: workspace.currency } } },
      });
    }
    const row = await insertSubscriptionChange(tx, {
      workspaceId: workspace.id,
      dealId: deal.id,
      effectiveAt,
      monthlyMinor: opts.amountMinor,
      currency: opts.currency,
      monthlyReportingMinor: reportingMinor,
      requestKey: opts.requestKey,
      createdById: actor.id,
      createdAt: now,
    });
    await writeAudit(tx, { workspaceId: workspace.id, actor, entity: 'subscription-change', entityId: row.id, action: 'create', after: snapshotSubscriptionChange(row), now, requestKey: opts.requestKey });
    await bumpIfTouchesHistory(tx, workspace.id, [effectiveAt], now);
    return row;
  });
  return { deal, change, previousMinor };
}
