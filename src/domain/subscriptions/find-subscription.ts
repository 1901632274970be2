import { AppError } from '../../errors.js';
import type { Deal, Rep } from '../../storage/models.js';
import type { Db } from '../../storage/db.js';
import { dealCountOfCustomer, dealOfWorkspace, subscriptionDealsOfCustomer } from '../../storage/queries/subscriptions.js';
import { customerKey } from '../../shared/customer-key.js';
import { assertCanEditDeal } from '../deals/permissions.js';
import { todayIso } from './subscription-dates.js';
import type { TSubscriptionTarget } from './parse-subscription-command.js';

/**
 * A subscription is a won deal with a monthly recurring amount (`recurringMonthlyMinor`) and a
 * start (`subscriptionStart`, set when it is won); `subscriptionEnd` ends it.
 */
export function isSubscription(deal: Pick<Deal, 'status' | 'recurringReportingMinor' | 'subscriptionStart'>): boolean {
  return deal.status === 'won' && deal.recurringReportingMinor !== null && deal.subscriptionStart !== null;
}

/**
 * True when the subscription runs at `at` and after it (started before it, not ended by then).
 *
 * @example
 * runsAt({ subscriptionStart: new Date('2026-10-05T12:00:00Z'), subscriptionEnd: null }, new Date('2026-11-01T00:00:00Z')); // true
 */
export function runsAt(deal: Pick<Deal, 'subscriptionStart' | 'subscriptionEnd'>, at: Date): boolean {
  return deal.subscriptionStart !== null && deal.subscriptionStart < at && (deal.subscriptionEnd === null || deal.subscriptionEnd > at);
}

export interface TFindSubscriptionOptions {
  db: Db;
  workspaceId: number;
  timeZone: string;
  actor: Rep;
  target: TSubscriptionTarget;
  /** The instant the change applies from. */
  at: Date;
  /** What is being done, for the refusals. */
  purpose: 'churn' | 'mrr';
  example: string;
}

const day = (d: Date, tz: string) => todayIso(d, tz);

/**
 * The subscription a `/deal churn` or `/deal mrr` means: the customer's subscription running at
 * `at` (or the deal `#id`), which the actor may change. Refuses, saying why: an unknown customer,
 * a customer (or deal) without a subscription, a subscription that started on or after `at`
 * ("before it started"), one already ended by then, several at once (name one by `#id`).
 */
export async function findSubscription(opts: TFindSubscriptionOptions): Promise<Deal> {
  const { db, workspaceId, timeZone: tz, target, at } = opts;
  let candidates: Deal[];
  let who: string;
  // Who, for a reader in another language: the customer, or `#12 (Acme)` for a deal named by number.
  let whoShown: string;
  if (target.dealId !== null) {
    const deal = await dealOfWorkspace(db, workspaceId, target.dealId);
    if (!deal) throw new AppError('NOT_FOUND', `There is no deal #${target.dealId} in this workspace.`, { example: opts.example, i18n: { key: 'error.sub.noDeal', values: { id: target.dealId } } });
    if (!isSubscription(deal)) {
      throw new AppError('INVALID_INPUT', `Deal #${deal.id} (${deal.customer}) is not a subscription: only a won deal with a monthly recurring amount is. Log one with the deal form (\`/deal\`, field "Monthly recurring amount").`, {
        i18n: { key: 'error.sub.dealNotSubscription', values: { id: deal.id, customer: deal.customer } },
      });
    }
    candidates = [deal];
    who = `Deal #${deal.id} (${deal.customer})`;
    whoShown = `#${deal.id} (${deal.customer})`;
  } else {
    const key = customerKey(target.customer);
    candidates = await subscriptionDealsOfCustomer(db, workspaceId, key);
    who = candidates[0]?.customer ?? target.customer;
    whoShown = who;
    if (candidates.length === 0) {
      if ((await dealCountOfCustomer(db, workspaceId, key)) === 0) {
        throw new AppError('NOT_FOUND', `I know no customer called ${target.customer}. Check the spelling (put a name with spaces in "quotes").`, { example: opts.example, i18n: { key: 'error.sub.unknownCustomer', values: { customer: target.customer } } });
      }
      throw new AppError(
        'INVALID_INPUT',
        `${target.customer} has no subscription: none of its deals is won with a monthly recurring amount, so there is no MRR to ${opts.purpose === 'churn' ? 'end' : 'change'}. Log the subscription with the deal form (\`/deal\`, field "Monthly recurring amount").`,
        { i18n: { key: 'error.sub.noSubscription', values: { customer: target.customer, purpose: opts.purpose } } },
      );
    }
  }
  const running = candidates.filter((d) => runsAt(d, at));
  if (running.length === 1) {
    assertCanEditDeal(opts.actor, running[0]!);
    return running[0]!;
  }
  if (running.length > 1) {
    throw new AppError('AMBIGUOUS', `${who} has ${running.length} subscriptions running then (${running.map((d) => `#${d.id}`).join(', ')}). Say which one by its number.`, {
      example: opts.purpose === 'churn' ? `/deal churn #${running[0]!.id}` : `/deal mrr #${running[0]!.id} 12k`,
      i18n: { key: 'error.sub.several', values: { who: whoShown, count: running.length, ids: running.map((d) => `#${d.id}`).join(', ') } },
    });
  }
  const what = opts.purpose === 'churn' ? 'churn date' : 'date of the new amount';
  // Nothing runs then: started later, or already ended.
  const later = candidates.filter((d) => d.subscriptionStart !== null && d.subscriptionStart >= at && (d.subscriptionEnd === null || d.subscriptionEnd > d.subscriptionStart));
  if (later.length > 0) {
    const start = later.reduce((m, d) => (d.subscriptionStart! < m ? d.subscriptionStart! : m), later[0]!.subscriptionStart!);
    throw new AppError('INVALID_INPUT', `${who}'s subscription started on ${day(start, tz)}, so the ${what} (${day(at, tz)}) would be before it started. Pick a later date.`, {
      example: opts.example,
      i18n: { key: 'error.sub.beforeStart', values: { who: whoShown, purpose: opts.purpose }, dates: { start: { at: start, timeZone: tz }, date: { at, timeZone: tz } } },
    });
  }
  const ended = candidates.filter((d) => d.subscriptionEnd !== null).sort((a, b) => b.subscriptionEnd!.getTime() - a.subscriptionEnd!.getTime());
  const end = ended[0]?.subscriptionEnd;
  throw new AppError(
    'INVALID_INPUT',
    end
      ? `${who}'s subscription already ended on ${day(end, tz)}${opts.purpose === 'mrr' ? `, so it has no MRR on ${day(at, tz)} to change` : ''}. ${opts.purpose === 'churn' ? '`/deal undo` reverts a churn you just recorded.' : 'A returning customer is a new won deal with a monthly recurring amount.'}`
      : `${who} has no subscription running on ${day(at, tz)}.`,
    {
      i18n: end
        ? { key: 'error.sub.ended', values: { who: whoShown, purpose: opts.purpose }, dates: { end: { at: end, timeZone: tz }, date: { at, timeZone: tz } } }
        : { key: 'error.sub.notRunning', values: { who: whoShown }, dates: { date: { at, timeZone: tz } } },
    },
  );
}
