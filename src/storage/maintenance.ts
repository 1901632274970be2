import type { Db } from './db.js';

/** Tables a bulk load (import, CRM backfill) fills and the KPI reads scan. */
const BULK_LOADED_TABLES = ['Deal', 'DealStageChange', 'Refund', 'AuditEntry'] as const;

/**
 * After a bulk load on PostgreSQL: `VACUUM (ANALYZE)` of the tables it filled, as PostgreSQL's
 * documentation advises after loading data ("Populating a Database": run ANALYZE afterwards).
 * Without statistics the planner guesses one row per condition, and without a visibility map every
 * index-only scan of the covering indexes reads the table too (measured at 100k deals: one month
 * of closed deals by owner 147 ms → 19 ms; BENCHMARKS.md). Autovacuum gets there eventually; a
 * KPI asked right after an import should not wait for it. SQLite needs neither (its planner does
 * not depend on statistics for these index reads), so nothing runs there.
 *
 * @example
 * await refreshPlannerStatistics(db); // after `npm run import` wrote rows
 */
export async function refreshPlannerStatistics(db: Db): Promise<void> {
  if (db.dialect !== 'postgresql') return;
  // VACUUM cannot run inside a transaction block; each runs as its own statement.
  for (const table of BULK_LOADED_TABLES) await db.execute(`VACUUM (ANALYZE) "${table}"`);
}
