import { toNumber, type Db } from '../db.js';

// The statements of the customer-key repair (domain/deals/repair-customer-keys.ts).

/** Open deals after `afterId`, by id, at most `limit`: id, name and stored key. */
export async function openDealKeysAfter(db: Db, afterId: number, limit: number): Promise<Array<{ id: number; customer: string; customerKey: string }>> {
  const rows = await db.query<{ id: unknown; customer: unknown; customerKey: unknown }>(
    `SELECT "id", "customer", "customerKey" FROM "Deal" WHERE "status" = 'open' AND "id" > ? ORDER BY "id" LIMIT ${Math.max(1, Math.floor(limit))}`,
    [afterId],
  );
  return rows.map((r) => ({ id: toNumber(r.id), customer: String(r.customer), customerKey: String(r.customerKey) }));
}

/** Sets a deal's key if its name is still `customer` (its writer otherwise stored the right key); rows changed. */
export async function setCustomerKeyIfNameIs(db: Db, dealId: number, key: string, customer: string): Promise<number> {
  return db.execute(`UPDATE "Deal" SET "customerKey" = ? WHERE "id" = ? AND "customer" = ?`, [key, dealId, customer]);
}
