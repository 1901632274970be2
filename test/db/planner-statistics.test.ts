import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { refreshPlannerStatistics } from '../../src/storage/maintenance.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/test-db.js';

// After a bulk load (`npm run import`, the bench's seed) PostgreSQL gets fresh statistics and a
// visibility map, so the covering indexes are read without the table (see storage/maintenance.ts).
describe.each(testEngines())('planner statistics after a bulk load, %s', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
  });
  afterAll(async () => t?.drop());

  test(dialect === 'postgresql' ? 'the loaded tables of this schema are analysed and vacuumed' : 'nothing to do, and it does not fail', async () => {
    await refreshPlannerStatistics(t.db);
    if (dialect !== 'postgresql') return;
    const rows = await t.db.query<{ relname: string; analysed: boolean; vacuumed: boolean }>(
      `SELECT relname, last_analyze IS NOT NULL AS analysed, last_vacuum IS NOT NULL AS vacuumed
         FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname IN ('Deal', 'DealStageChange', 'Refund', 'AuditEntry') ORDER BY relname`,
    );
    expect(rows).toEqual([
      { relname: 'AuditEntry', analysed: true, vacuumed: true },
      { relname: 'Deal', analysed: true, vacuumed: true },
      { relname: 'DealStageChange', analysed: true, vacuumed: true },
      { relname: 'Refund', analysed: true, vacuumed: true },
    ]);
  });
});
