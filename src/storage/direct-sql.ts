import Database from 'better-sqlite3';
import type { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import pg from 'pg';

/**
 * The database drivers under Prisma, for the few hot statements that run on them directly with
 * statements prepared once (storage/queries/deal-writes.ts). Prisma's better-sqlite3 adapter
 * prepares every statement again on every call and its client adds a query plan per call: a
 * logged deal cost ~4.5 ms of CPU through Prisma and ~1 ms on the driver.
 *
 * SQLite has ONE connection, shared with Prisma: a direct write runs BEGIN…COMMIT synchronously
 * (nothing else can run on the connection meanwhile) and only while no Prisma interactive
 * transaction is open on it. `WriteLock` guarantees that: Prisma's transactions take it in
 * `startTransaction` and give it back on commit or rollback; a direct write takes it for its
 * synchronous block. PostgreSQL uses the same pool as Prisma (a client per transaction).
 */
export type TDirectDriver = { kind: 'sqlite'; connection: () => Promise<Database.Database>; lock: WriteLock } | { kind: 'postgresql'; pool: pg.Pool };

/** A FIFO mutex. */
export class WriteLock {
  private held = false;
  private readonly waiting: Array<() => void> = [];

  /** Resolves with the function that releases it (calling it twice releases once). */
  async acquire(): Promise<() => void> {
    if (this.held) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.held = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.held = false;
    };
  }

  /** Runs a synchronous block while holding the lock. */
  async run<T>(block: () => T): Promise<T> {
    const release = await this.acquire();
    try {
      return block();
    } finally {
      release();
    }
  }
}

type TSqliteAdapter = Awaited<ReturnType<PrismaBetterSqlite3['connect']>>;
type TSqliteTransaction = Awaited<ReturnType<TSqliteAdapter['startTransaction']>>;

/**
 * Wraps Prisma's better-sqlite3 adapter factory: remembers the connection it opens and makes its
 * transactions take `lock`. `connect` forces Prisma to open the connection when a direct statement
 * comes first.
 */
export function shareSqliteConnection(inner: PrismaBetterSqlite3, lock: WriteLock): { factory: PrismaBetterSqlite3; current: () => Database.Database | undefined } {
  let connection: Database.Database | undefined;
  const connect = async (): Promise<TSqliteAdapter> => {
    const adapter = await inner.connect();
    // The adapter keeps its better-sqlite3 Database in `client` (not part of its typed API): a
    // Prisma upgrade that changes this fails here, at the first query, not silently.
    const client = (adapter as unknown as { client?: unknown }).client;
    if (!(client instanceof Database)) throw new Error('the Prisma better-sqlite3 adapter no longer exposes its connection (storage/direct-sql.ts)');
    connection = client;
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      const release = await lock.acquire();
      let tx: TSqliteTransaction;
      try {
        tx = await start(isolationLevel);
      } catch (e) {
        release();
        throw e;
      }
      const commit = tx.commit.bind(tx);
      const rollback = tx.rollback.bind(tx);
      tx.commit = () => commit().finally(release);
      tx.rollback = () => rollback().finally(release);
      return tx;
    };
    return adapter;
  };
  const factory = { provider: inner.provider, adapterName: inner.adapterName, connect, connectToShadowDb: () => inner.connectToShadowDb() } as unknown as PrismaBetterSqlite3;
  return { factory, current: () => connection };
}

const MAX_PREPARED = 1000;

/** A statement cache per connection: each SQL text is prepared once. */
const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export function preparedOn(connection: Database.Database, sql: string): Database.Statement {
  let cache = statements.get(connection);
  if (!cache) {
    cache = new Map();
    statements.set(connection, cache);
  }
  let stmt = cache.get(sql);
  if (!stmt) {
    // Read statements vary in shape (IN lists, UNION ALL of N ranges): keep the cache bounded.
    if (cache.size >= MAX_PREPARED) cache.clear();
    stmt = connection.prepare(sql);
    stmt.safeIntegers(true);
    cache.set(sql, stmt);
  }
  return stmt;
}

/**
 * A unique-key violation, from Prisma (P2002), better-sqlite3 or node-postgres (23505): what a
 * repeated delivery's write fails on.
 */
export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null | undefined)?.code;
  return code === 'P2002' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/** int8 as bigint (sums of minor units pass 2^53); every other type as node-postgres parses it. */
export const PG_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === 20 ? (v: string) => BigInt(v) : pg.types.getTypeParser(oid, format))) as pg.CustomTypesConfig['getTypeParser'],
};

function sqliteValue(p: unknown): unknown {
  if (p instanceof Date) return p.getTime();
  if (typeof p === 'boolean') return p ? 1 : 0;
  return p === undefined ? null : p;
}

/**
 * A raw read (`Db.query`) on the driver instead of Prisma's raw-query path: a KPI answer or a
 * digest is a handful of aggregate statements whose rows Prisma's client re-encodes and decodes
 * (measured: the digest's CPU was a third Prisma). SQLite: prepared once per SQL text, integers as
 * bigint, run under the `WriteLock` so it never lands inside an open Prisma transaction on the
 * shared connection (it would see that transaction's uncommitted rows, or join it). PostgreSQL:
 * the pool's next free client, unnamed statement (SQL texts vary), int8 as bigint.
 *
 * @example
 * await directQuery(driver, 'SELECT COUNT(*) AS n FROM "Deal" WHERE "workspaceId" = ?', [1]); // [{ n: 42n }]
 */
export async function directQuery<T>(driver: TDirectDriver, sql: string, params: readonly unknown[], pgText: (sql: string) => string): Promise<T[]> {
  if (driver.kind === 'sqlite') {
    const connection = await driver.connection();
    return driver.lock.run(() => {
      const stmt = preparedOn(connection, sql);
      const bound = params.map(sqliteValue);
      if (stmt.reader) return stmt.all(...bound) as T[];
      stmt.run(...bound);
      return [];
    });
  }
  const result = await driver.pool.query({ text: pgText(sql), values: params.map((p) => (typeof p === 'bigint' ? p.toString() : p)), types: PG_TYPES });
  return result.rows as T[];
}
