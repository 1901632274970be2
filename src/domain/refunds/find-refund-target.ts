import { AppError } from '../../errors.js';
import type { Deal, Rep } from '../../storage/models.js';
import type { Db } from '../../storage/db.js';
import { dealCountOfCustomer, repNames, wonDealsOfCustomer } from '../../storage/queries/refunds.js';
import { customerKey } from '../../shared/customer-key.js';
import { canEditDeal } from '../deals/permissions.js';
import { REFUND_USAGE, REFUND_USAGE_I18N } from './parse-refund-command.js';

/** Most won deals offered as buttons when a customer has several. */
export const MAX_REFUND_CHOICES = 10;

export type TRefundTarget = { kind: 'one'; deal: Deal } | { kind: 'several'; choices: Array<{ deal: Deal; ownerName: string }> };

/** The refusal when a customer has no won deal (nothing is written). */
export function noWonDealError(customer: string, hasOtherDeals: boolean): AppError {
  const why = hasOtherDeals
    ? `${customer} has no won deal (only open or lost ones), and a refund is recorded against a won deal.`
    : `I don't know a customer called ${customer}: there is no won deal for that name. Check the spelling, and put a name with spaces in "quotes".`;
  return new AppError('NOT_FOUND', `${why} Nothing was recorded. Write it as ${REFUND_USAGE}.`, {
    example: `/deal refund "${customer}" 2m`,
    i18n: { key: hasOtherDeals ? 'error.refund.onlyOpen' : 'error.refund.unknownCustomer', values: { customer }, then: REFUND_USAGE_I18N },
  });
}

/**
 * The won deal a refund for `customer` goes to, matched on `customerKey` like every quick form:
 * the only won deal the actor may change, or the list to pick from when there are several.
 * Refused (nothing written) when there is none, or only deals of others for a rep.
 *
 * @example
 * await findRefundTarget({ db, actor, customer: 'acme' }); // { kind: 'one', deal: <the won Acme deal> }
 */
export async function findRefundTarget(opts: { db: Db; actor: Rep; customer: string }): Promise<TRefundTarget> {
  const { db, actor, customer } = opts;
  const key = customerKey(customer);
  const won = await wonDealsOfCustomer(db, actor.workspaceId, key, 50);
  if (won.length === 0) throw noWonDealError(customer, (await dealCountOfCustomer(db, actor.workspaceId, key)) > 0);
  const editable = won.filter((d) => canEditDeal(actor, d));
  if (editable.length === 0) {
    const owners = await repNames(db, [won[0]!.ownerId]);
    const owner = owners.get(won[0]!.ownerId);
    throw new AppError('FORBIDDEN', `The won ${customer} deal belongs to ${owner ?? 'someone else'}. Only its owner, a manager or an admin can record a refund on it; nothing was recorded.`, {
      i18n: owner ? { key: 'error.refund.forbidden', values: { customer, owner } } : { key: 'error.deal.someoneElses', values: { customer } },
    });
  }
  if (editable.length === 1) return { kind: 'one', deal: editable[0]! };
  const shown = editable.slice(0, MAX_REFUND_CHOICES);
  const names = await repNames(db, shown.map((d) => d.ownerId));
  return { kind: 'several', choices: shown.map((deal) => ({ deal, ownerName: names.get(deal.ownerId) ?? 'someone' })) };
}
