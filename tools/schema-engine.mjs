// Offline access to Prisma's schema engine (WebAssembly build), used only as an authoring aid:
// the Prisma CLI's migrate commands need a native engine this environment cannot download.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

const require = createRequire(import.meta.url);

export async function loadSchemaEngine() {
  const pkgDir = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/schema_engine_bg\.js$/, '');
  const bg = await import(pkgDir + 'schema_engine_bg.js');
  const bytes = readFileSync(pkgDir + 'schema_engine_bg.wasm');
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bg });
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return bg.SchemaEngine;
}

/** Adapter the engine talks through: in-memory SQLite, or the PostgreSQL at `pgUrl`. */
export async function engineAdapter(provider, pgUrl) {
  if (provider === 'sqlite') {
    const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
    return bindMigrationAwareSqlAdapterFactory(new PrismaBetterSqlite3({ url: ':memory:' }));
  }
  const { PrismaPg } = await import('@prisma/adapter-pg');
  return bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: pgUrl }));
}

const NO_FILTER = { externalTables: [], externalEnums: [] };

/** SQL that takes a database from `from` (list of applied migration SQL strings) to `schemaPath`. */
export async function diffSql({ provider, schemaPath, pgUrl }) {
  const SchemaEngine = await loadSchemaEngine();
  const content = readFileSync(schemaPath, 'utf8');
  const engine = await SchemaEngine.new({ datamodels: [[schemaPath, content]] }, () => {}, await engineAdapter(provider, pgUrl));
  const res = await engine.diff({
    from: { tag: 'empty' },
    to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content }] },
    script: true,
    exitCode: null,
    filters: NO_FILTER,
  });
  return res.stdout ?? '';
}
