import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Db, type Dialect } from '../../src/storage/db.js';
import { migrateDatabase } from '../../src/storage/migrate.js';

/**
 * Database engines the DB tests run on: SQLite always, PostgreSQL when TEST_DATABASE_URL is set.
 * Use with `describe.each(testEngines())`.
 */
export function testEngines(): Dialect[] {
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'postgresql'] : ['sqlite'];
}

export interface TestDatabase {
  db: Db;
  url: string;
  drop(): Promise<void>;
}

/** URL of a fresh, empty database of that engine (own file, or own PostgreSQL schema). */
export async function freshDatabaseUrl(dialect: Dialect): Promise<{ url: string; cleanup: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-test-'));
    return { url: `file:${join(dir, 'test.db')}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const u = new URL(base);
  u.searchParams.set('schema', schema);
  return {
    url: u.toString(),
    cleanup: async () => {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Opens a fresh migrated database; call `drop()` in afterAll. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  const { url, cleanup } = await freshDatabaseUrl(dialect);
  const db = openDatabase(url);
  await migrateDatabase(db);
  return {
    db,
    url,
    drop: async () => {
      await db.close();
      await cleanup();
    },
  };
}
