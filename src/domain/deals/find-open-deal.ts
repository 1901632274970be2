import { AppError } from '../../errors.js';
import type { Deal, Rep } from '../../generated/sqlite/client.js';
import type { Db } from '../../storage/db.js';
import { canEditDeal } from './permissions.js';

/**
 * The open deal a quick form means by a customer name (case-insensitive). Prefers the actor's own
 * deals; several candidates the actor may edit are refused as ambiguous rather than guessed.
 * Returns null when there is no open deal for that customer at all.
 */
export async function findOpenDeal(db: Db, actor: Rep, customer: string): Promise<Deal | null> {
  const rows = await db.query<{ id: unknown }>(
    `SELECT "id" FROM "Deal" WHERE "workspaceId" = ? AND "status" = 'open' AND LOWER("customer") = LOWER(?) ORDER BY "id" DESC LIMIT 20`,
    [actor.workspaceId, customer.trim()],
  );
  if (rows.length === 0) return null;
  const deals = await db.prisma.deal.findMany({ where: { id: { in: rows.map((r) => Number(r.id)) } }, include: { owner: true }, orderBy: { id: 'desc' } });
  const own = deals.filter((d) => d.ownerId === actor.id);
  if (own.length === 1) return own[0]!;
  const editable = own.length > 1 ? own : deals.filter((d) => canEditDeal(actor, d));
  if (editable.length === 1) return editable[0]!;
  if (editable.length === 0) {
    const owner = deals[0]!.owner;
    throw new AppError('FORBIDDEN', `The open ${customer} deal belongs to ${owner.name}. Only its owner, a manager or an admin can change it.`);
  }
  throw new AppError(
    'AMBIGUOUS',
    `There are ${editable.length} open deals for ${customer} (${editable
      .slice(0, 5)
      .map((d) => `#${d.id} owned by ${d.owner.name}`)
      .join(', ')}). Use the deal modal (\`/deal\`) to pick one.`,
  );
}
