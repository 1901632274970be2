import { AppError } from '../../errors.js';
import type { Deal, Rep } from '../../storage/models.js';
import type { Db } from '../../storage/db.js';
import { customerKey } from '../../shared/customer-key.js';
import { openDealsOfCustomer, repNames } from '../../storage/queries/deal-writes.js';
import { canEditDeal } from './permissions.js';

/**
 * The open deal a quick form means by a customer name, matched on `customerKey` (Unicode-aware
 * case, spacing and normalisation, identical on SQLite and PostgreSQL: `ánh dương` finds
 * "Ánh Dương"). Prefers the actor's own deals; several candidates the actor may edit are refused
 * as ambiguous rather than guessed. Returns null when there is no open deal for that customer.
 */
export async function findOpenDeal(db: Db, actor: Rep, customer: string): Promise<Deal | null> {
  const key = customerKey(customer);
  if (!key) return null;
  // The owners' names are only needed to explain a refusal: read them then, not on every write.
  const deals = await openDealsOfCustomer(db, actor.workspaceId, key, 20);
  if (deals.length === 0) return null;
  const own = deals.filter((d) => d.ownerId === actor.id);
  if (own.length === 1) return own[0]!;
  const editable = own.length > 1 ? own : deals.filter((d) => canEditDeal(actor, d));
  if (editable.length === 1) return editable[0]!;
  const named = editable.length === 0 ? deals.slice(0, 1) : editable.slice(0, 5);
  const owners = await repNames(db, [...new Set(named.map((d) => d.ownerId))]);
  const ownerName = (d: Deal) => owners.find((o) => o.id === d.ownerId)?.name ?? 'someone else';
  if (editable.length === 0) {
    throw new AppError('FORBIDDEN', `The open ${customer} deal belongs to ${ownerName(deals[0]!)}. Only its owner, a manager or an admin can change it.`, {
      i18n: owners.some((o) => o.id === deals[0]!.ownerId) ? { key: 'error.deal.notYours', values: { customer, owner: ownerName(deals[0]!) } } : { key: 'error.deal.someoneElses', values: { customer } },
    });
  }
  throw new AppError(
    'AMBIGUOUS',
    `There are ${editable.length} open deals for ${customer} (${named
      .map((d) => `#${d.id} owned by ${ownerName(d)}`)
      .join(', ')}). Use the deal modal (\`/deal\`) to pick one.`,
    { i18n: { key: 'error.deal.severalOpen', values: { count: editable.length, customer, list: named.map((d) => `#${d.id} (${ownerName(d)})`).join(', ') } } },
  );
}
