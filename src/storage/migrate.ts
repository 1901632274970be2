import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configureDatabase, type Db, type Dialect } from './db.js';

/**
 * Applies committed Prisma migrations at startup (after `configureDatabase`), recording them in `_prisma_migrations` with the
 * schema engine's exact columns, so `prisma migrate deploy` (where its engine exists) sees the same
 * state. On PostgreSQL an advisory lock makes concurrent starts migrate once. A migration that
 * failed earlier (finished_at null) stops startup: someone must look at it.
 */
export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

const HERE = dirname(fileURLToPath(import.meta.url));

/** Finds `prisma/<dialect>/migrations` walking up from this file (works from src/ and dist/src/). */
export function migrationsDir(dialect: Dialect): string {
  let dir = HERE;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'prisma', dialect, 'migrations');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`migrations folder prisma/${dialect}/migrations not found`);
}

export function readMigrations(dialect: Dialect): MigrationFile[] {
  const dir = migrationsDir(dialect);
  return readdirSync(dir)
    .filter((d) => existsSync(join(dir, d, 'migration.sql')))
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** Splits a migration script into statements (Prisma's generated SQL has no procedural bodies). */
export function splitStatements(sql: string): string[] {
  const withoutComments = sql
    .split('\n')
    .filter((l) => !l.trim().startsWith('--'))
    .join('\n');
  return withoutComments
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

const CREATE_TABLE: Record<Dialect, string> = {
  sqlite: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" TEXT PRIMARY KEY NOT NULL,
    "checksum" TEXT NOT NULL,
    "finished_at" DATETIME,
    "migration_name" TEXT NOT NULL,
    "logs" TEXT,
    "rolled_back_at" DATETIME,
    "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
  )`,
  postgresql: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
  )`,
};

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

export async function migrateDatabase(db: Db, log: (msg: string) => void = () => {}, opts: { migrations?: MigrationFile[] } = {}): Promise<MigrateResult> {
  const migrations = opts.migrations ?? readMigrations(db.dialect);
  await configureDatabase(db);
  if (db.dialect === 'sqlite') {
    // Prisma's SQLite migrations rebuild tables (copy, DROP, rename) after "PRAGMA foreign_keys=OFF",
    // which is a no-op inside a transaction: a DROP would then cascade into child tables. Foreign
    // keys are switched off on the connection before the transaction, and checked before commit.
    await db.execute('PRAGMA foreign_keys=OFF');
    try {
      return await applyMigrations(db, migrations, log);
    } finally {
      await db.execute('PRAGMA foreign_keys=ON');
    }
  }
  return applyMigrations(db, migrations, log);
}

async function applyMigrations(db: Db, migrations: MigrationFile[], log: (msg: string) => void): Promise<MigrateResult> {
  // Timestamps in _prisma_migrations are written as text on SQLite, as the schema engine does.
  const now = (): unknown => (db.dialect === 'sqlite' ? new Date().toISOString() : new Date());
  return db.prisma.$transaction(
    async (tx) => {
      const exec = (sql: string, params: unknown[] = []): Promise<number> =>
        tx.$executeRawUnsafe(db.dialect === 'postgresql' ? sql.replace(/\?/g, (() => { let n = 0; return () => `$${++n}`; })()) : sql, ...params);
      if (db.dialect === 'postgresql') {
        // Transaction-scoped advisory lock, taken first: a second instance waits here, then sees
        // the migrations done (CREATE … IF NOT EXISTS alone races on the catalog).
        await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(72707369)`);
        if (db.schema) await exec(`CREATE SCHEMA IF NOT EXISTS "${db.schema.replace(/"/g, '')}"`);
      }
      await exec(CREATE_TABLE[db.dialect]);
      const rows = await tx.$queryRawUnsafe<AppliedRow[]>(
        `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
      );
      const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
      if (failed) {
        throw new Error(
          `migration ${failed.migration_name} failed earlier and was not resolved; fix the database, then mark it rolled back (prisma migrate resolve) before starting again`,
        );
      }
      const done = new Map(rows.filter((r) => r.finished_at !== null).map((r) => [r.migration_name, r.checksum]));
      const applied: string[] = [];
      for (const m of migrations) {
        const previous = done.get(m.name);
        if (previous !== undefined) {
          if (previous !== m.checksum) log(`warning: migration ${m.name} was modified after it was applied`);
          continue;
        }
        const id = randomUUID();
        const startedAt = now();
        const statements = splitStatements(m.sql);
        for (const statement of statements) await tx.$executeRawUnsafe(statement);
        if (db.dialect === 'sqlite') {
          const broken = await tx.$queryRawUnsafe<unknown[]>('PRAGMA foreign_key_check');
          if (broken.length > 0) throw new Error(`migration ${m.name} would leave ${broken.length} rows with broken foreign keys; nothing was applied`);
        }
        await exec(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) VALUES (?, ?, ?, ?, NULL, NULL, ?, ?)`,
          [id, m.checksum, now(), m.name, startedAt, 1],
        );
        applied.push(m.name);
        log(`applied migration ${m.name} (${statements.length} statements)`);
      }
      return { applied, alreadyApplied: done.size };
    },
    { timeout: 120_000, maxWait: 120_000 },
  );
}
