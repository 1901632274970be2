import type { Deal, Rep, Workspace } from '../../storage/models.js';
import type { Db } from '../../storage/db.js';
import { subscriptionAmountAt } from '../../storage/queries/subscriptions.js';
import { changeDeal } from '../deals/change-deal.js';
import { oncePerRequest } from '../once-per-request.js';
import { findSubscription } from './find-subscription.js';
import { SUBSCRIPTION_EXAMPLES, type TSubscriptionTarget } from './parse-subscription-command.js';
import { subscriptionDateInstant } from './subscription-dates.js';

export interface TChurnSubscriptionOptions {
  db: Db;
  workspace: Workspace;
  actor: Rep;
  target: TSubscriptionTarget;
  /** `YYYY-MM-DD` in the workspace's zone; null = the request's day. */
  date: string | null;
  now: Date;
  /** The Slack delivery (exactly once per delivery). */
  requestKey: string | null;
}

export interface TChurnResult {
  readonly deal: Deal;
  readonly endedAt: Date;
  /** The monthly amount (reporting currency) that leaves MRR. */
  readonly churnedMinor: bigint;
}

/**
 * `/deal churn Acme [date]`: ends the customer's running subscription at the start of that day
 * (workspace zone), so MRR from then on no longer counts it. One deal change (audit entry under
 * the request key, so `/deal undo` restores it and a repeated delivery changes nothing); a date
 * before the history horizon bumps the history version in the same transaction.
 */
export function churnSubscription(opts: TChurnSubscriptionOptions): Promise<TChurnResult> {
  return oncePerRequest({ db: opts.db, workspaceId: opts.workspace.id, requestKey: opts.requestKey, now: opts.now, lookFirst: false }, () => churnOnce(opts));
}

async function churnOnce(opts: TChurnSubscriptionOptions): Promise<TChurnResult> {
  const { db, workspace, actor, now } = opts;
  const example = SUBSCRIPTION_EXAMPLES.churn;
  const endedAt = subscriptionDateInstant(opts.date, now, workspace.timeZone, example);
  const sub = await findSubscription({ db, workspaceId: workspace.id, timeZone: workspace.timeZone, actor, target: opts.target, at: endedAt, purpose: 'churn', example });
  const churnedMinor = (await subscriptionAmountAt(db, sub, endedAt)) ?? 0n;
  const deal = await changeDeal({ db, workspace, actor, deal: sub, now, requestKey: opts.requestKey, patch: () => ({ subscriptionEnd: endedAt }) });
  return { deal, endedAt, churnedMinor };
}
