import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createKpiApp, type KpiApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { openDatabase, type Db, type Dialect } from '../../src/storage/db.js';
import { TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from '../helpers/app-harness.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/test-db.js';

/**
 * A read-only connection to the same migrated database. Tests run as root, where chmod does not
 * stop writes, so read-only is made the way the engine itself applies it:
 * - SQLite: `?mode=ro` opens the file read-only (SQLITE_OPEN_READONLY), which is what SQLite does on
 *   its own when the process cannot open the file for writing;
 * - PostgreSQL: `options=-c default_transaction_read_only=on` on the connection, as a read-only role,
 *   database setting or a hot standby would impose.
 * Each test first proves that this connection really refuses a write.
 */
function readOnlyUrl(dialect: Dialect, url: string): string {
  if (dialect === 'sqlite') return `${url}?mode=ro`;
  const u = new URL(url);
  u.searchParams.set('options', '-c default_transaction_read_only=on');
  return u.toString();
}

describe.each(testEngines())('/healthz on %s', (dialect) => {
  let fake: FakeSlack;
  let database: TestDatabase;
  const open: Array<{ kpi: KpiApp; db?: Db }> = [];

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    for (const o of open) {
      await o.kpi.stop().catch(() => undefined);
      await o.db?.close();
    }
    await fake?.stop();
    await database?.drop();
  });

  async function healthz(databaseUrl: string, db: Db, own: boolean): Promise<{ status: number; body: unknown }> {
    const config = loadConfig({ SLACK_BOT_TOKEN: TEST_BOT_TOKEN, SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, DATABASE_URL: databaseUrl, PORT: '0' });
    const kpi = await createKpiApp({ config, db, logger: createLogger('error'), retryConfig: { retries: 0 } });
    open.push(own ? { kpi, db } : { kpi });
    const port = await kpi.start(0);
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    return { status: res.status, body: await res.json() };
  }

  test('200 when the database takes writes', async () => {
    expect(await healthz(database.url, database.db, false)).toEqual({ status: 200, body: { ok: true, database: dialect } });
  });

  test('503 with the reason when the database is read-only', async () => {
    const url = readOnlyUrl(dialect, database.url);
    const db = openDatabase(url);
    // The connection is honestly read-only: reads work, a write is refused by the engine.
    expect(await db.query('SELECT 1 AS one')).toHaveLength(1);
    await expect(db.execute('CREATE TABLE health_write_check (a INTEGER)')).rejects.toThrow(/read-?only/i);
    const res = await healthz(url, db, true);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ ok: false, database: dialect, reason: expect.stringMatching(/^read-only: /) });
    // The probe changed nothing: the writable connection still sees a healthy database.
    expect(await database.db.query('SELECT 1 AS one')).toHaveLength(1);
  });
});
