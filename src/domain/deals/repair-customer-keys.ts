import type { Db } from '../../storage/db.js';
import { openDealKeysAfter, setCustomerKeyIfNameIs } from '../../storage/queries/customer-keys.js';
import { customerKey } from '../../shared/customer-key.js';

/**
 * Rewrites the `customerKey` of open deals whose stored key is not `customerKey(customer)`: rows
 * the migration could only backfill approximately (SQL `LOWER(TRIM(…))`: on SQLite ASCII only, no
 * NFC, no whitespace collapsing), or rows a tool wrote without the key. Open deals only, as those
 * are the ones quick actions look up by customer; closed ones get theirs when next written
 * (re-import compares the key). Cheap and idempotent, so it runs at every startup; leaves
 * `updatedAt` alone (nothing a user would call a change). Returns the number of rows fixed.
 *
 * @example
 * await repairCustomerKeys(db); // 3 after upgrading a SQLite database with "Ánh Dương" deals, 0 afterwards
 */
export async function repairCustomerKeys(db: Db, opts: { batchSize?: number } = {}): Promise<number> {
  const batchSize = opts.batchSize ?? 2000;
  let fixed = 0;
  for (let afterId = 0; ; ) {
    const rows = await openDealKeysAfter(db, afterId, batchSize);
    if (rows.length === 0) return fixed;
    for (const r of rows) {
      const key = customerKey(r.customer);
      if (key === r.customerKey) continue;
      // Only if the name did not change meanwhile (its writer then stored the right key).
      fixed += await setCustomerKeyIfNameIs(db, r.id, key, r.customer);
    }
    afterId = rows[rows.length - 1]!.id;
  }
}
