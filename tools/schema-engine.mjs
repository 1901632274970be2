// Offline access to Prisma's schema engine (WebAssembly build). The Prisma CLI's migrate commands
// need a native engine this environment cannot download; this gives the same diffing offline.
// Used to author migrations (tools/new-migration.mjs) and by the parity test.
import { mkdtempSync, readdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

const require = createRequire(import.meta.url);
const NO_FILTER = { externalTables: [], externalEnums: [] };

let cached;
export async function loadSchemaEngine() {
  if (cached) return cached;
  // The engine reports panics through this global; keep the message instead of crashing on it.
  globalThis.PRISMA_WASM_PANIC_REGISTRY ??= { message: '', set_message(m) { this.message = m; } };
  const pkgDir = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/schema_engine_bg\.js$/, '');
  const bg = await import(pkgDir + 'schema_engine_bg.js');
  const bytes = readFileSync(pkgDir + 'schema_engine_bg.wasm');
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bg });
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  cached = bg.SchemaEngine;
  return cached;
}

/** Committed migration SQL of one database, oldest first. */
export function committedMigrations(provider, root = process.cwd()) {
  const dir = join(root, 'prisma', provider, 'migrations');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((d) => existsSync(join(dir, d, 'migration.sql')))
    .sort()
    .map((d) => ({ name: d, sql: readFileSync(join(dir, d, 'migration.sql'), 'utf8') }));
}

/** An adapter for diffs that need no database: in-memory SQLite, or PostgreSQL at pgUrl. */
export async function engineAdapter(provider, pgUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test') {
  if (provider === 'sqlite') {
    const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
    return bindMigrationAwareSqlAdapterFactory(new PrismaBetterSqlite3({ url: ':memory:' }));
  }
  const { PrismaPg } = await import('@prisma/adapter-pg');
  return bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: pgUrl }));
}

/**
 * A scratch database with the committed migrations applied: a temporary SQLite file, or a new
 * schema in the PostgreSQL at pgUrl. Returns the engine adapter for it and a cleanup function.
 */
export async function migratedScratchDatabase(provider, { pgUrl, root = process.cwd(), apply = true } = {}) {
  const migrations = apply ? committedMigrations(provider, root) : [];
  if (provider === 'sqlite') {
    const Database = require('better-sqlite3');
    const dir = mkdtempSync(join(tmpdir(), 'kpi-schema-'));
    const file = join(dir, 'scratch.db');
    const db = new Database(file);
    for (const m of migrations) db.exec(m.sql);
    db.close();
    const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
    return { adapter: bindMigrationAwareSqlAdapterFactory(new PrismaBetterSqlite3({ url: file })), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const pg = (await import('pg')).default;
  const schema = `scratch_${Date.now().toString(36)}_${Math.random().toString(16).slice(2, 8)}`;
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  await client.query(`CREATE SCHEMA "${schema}"`);
  await client.query(`SET search_path TO "${schema}"`);
  for (const m of migrations) await client.query(m.sql.replace(/CREATE SCHEMA IF NOT EXISTS "public";/g, ''));
  await client.end();
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const adapterFactory = new PrismaPg({ connectionString: pgUrl, options: `-c search_path="${schema}"` }, { schema });
  return {
    adapter: bindMigrationAwareSqlAdapterFactory(adapterFactory),
    schema,
    cleanup: async () => {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    },
  };
}

/**
 * SQL that would take the database behind `adapter` to the schema file; an empty migration
 * ("-- This is an empty migration.") means they agree.
 */
export async function diffDatabaseToSchema({ schemaPath, adapter, schemaName }) {
  const SchemaEngine = await loadSchemaEngine();
  let content = readFileSync(schemaPath, 'utf8');
  if (schemaName) content = content.replace(/provider = "postgresql"\n/, `provider = "postgresql"\n  schemas  = ["${schemaName}"]\n`);
  const engine = await SchemaEngine.new({ datamodels: [[schemaPath, content]] }, () => {}, adapter);
  const res = await engine.diff({
    from: { tag: 'schemaDatasource', files: [{ path: schemaPath, content }], configDir: process.cwd() },
    to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content }] },
    script: true,
    exitCode: null,
    filters: NO_FILTER,
  });
  const sql = res.stdout ?? '';
  return { sql, empty: !sql.trim() || /This is an empty migration/.test(sql) };
}
