import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient as SqliteClient } from '../generated/sqlite/client.js';
import { PrismaClient as PostgresClient } from '../generated/postgresql/client.js';
import { directQuery, shareSqliteConnection, WriteLock, type TDirectDriver } from './direct-sql.js';

/**
 * The two generated clients expose identical models (a parity test proves it), so the code is
 * written against one type: the SQLite client's. `Db` bundles it with the dialect, which only
 * raw SQL (aggregation, bulk import, locks) needs to know.
 */
export type PrismaDb = InstanceType<typeof SqliteClient>;
export type Dialect = 'sqlite' | 'postgresql';
/** A Prisma interactive-transaction client. */
export type Tx = Parameters<Parameters<PrismaDb['$transaction']>[0]>[0];

export interface Db {
  readonly prisma: PrismaDb;
  readonly dialect: Dialect;
  /** PostgreSQL schema in use (from `?schema=`), for raw SQL and migrations. */
  readonly schema?: string;
  /** Raw query returning rows; `?` placeholders in both dialects (rewritten to $n for PostgreSQL). */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Raw statement; returns affected rows. */
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
  close(): Promise<void>;
}

export function dialectOf(url: string): Dialect {
  if (url.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  throw new Error('DATABASE_URL must start with file: or postgresql://');
}

/** `file:./data/kpi.db` → absolute path (relative to the working directory), creating its folder. */
export function sqlitePath(url: string): string {
  const raw = url.slice('file:'.length).split('?')[0] ?? '';
  if (raw === ':memory:') return raw;
  const path = resolve(raw);
  mkdirSync(dirname(path), { recursive: true });
  return path;
}

/**
 * Options for the short write transactions of user actions: under a burst a transaction may wait
 * for a pooled connection longer than Prisma's 2 s default rather than fail a deal being logged.
 */
export const WRITE_TX = { maxWait: 10_000, timeout: 15_000 } as const;

/** Converts `?` placeholders to `$1..$n`, skipping quoted strings. */
export function toPgPlaceholders(sql: string): string {
  let n = 0;
  let out = '';
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === '?') {
      out += `$${++n}`;
      continue;
    }
    out += ch;
  }
  return out;
}

/** SQLite stores DateTime as Unix milliseconds (adapter option), so raw SQL binds numbers there. */
function bindParam(dialect: Dialect, p: unknown): unknown {
  if (dialect === 'sqlite') {
    if (p instanceof Date) return p.getTime();
    if (typeof p === 'boolean') return p ? 1 : 0;
  }
  return p;
}

/** The driver under each Prisma client openDatabase made (a Db view sharing the client shares it). */
const directDrivers = new WeakMap<object, TDirectDriver>();

/** The driver under a database's Prisma client, for statements prepared once (see direct-sql.ts). */
export function directDriver(db: Pick<Db, 'prisma'>): TDirectDriver {
  const driver = directDrivers.get(db.prisma);
  if (!driver) throw new Error('database not opened by openDatabase');
  return driver;
}

export function openDatabase(url: string): Db {
  const dialect = dialectOf(url);
  if (dialect === 'sqlite') {
    // `?mode=ro` (as in SQLite's URI filenames) opens the file read-only: what SQLite itself does
    // when it cannot open a file for writing, and the only way to get that as root.
    const readonly = new URLSearchParams(url.split('?')[1] ?? '').get('mode') === 'ro';
    const lock = new WriteLock();
    const shared = shareSqliteConnection(new PrismaBetterSqlite3({ url: sqlitePath(url), ...(readonly ? { readonly: true } : {}) }, { timestampFormat: 'unixepoch-ms' }), lock);
    const prisma = new SqliteClient({ adapter: shared.factory });
    const driver: TDirectDriver = {
      kind: 'sqlite',
      lock,
      connection: async () => {
        const open = shared.current();
        if (open) return open;
        await prisma.$connect();
        const connected = shared.current();
        if (!connected) throw new Error('SQLite connection not open');
        return connected;
      },
    };
    directDrivers.set(prisma, driver);
    return {
      prisma,
      dialect,
      query: (sql, params = []) => directQuery(driver, sql, params, (s) => s),
      execute: (sql, params = []) => prisma.$executeRawUnsafe(sql, ...params.map((p) => bindParam(dialect, p))),
      close: () => prisma.$disconnect(),
    };
  }
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  // pg lets `options` in the URL replace the pool's `options`, which would drop the search_path:
  // merge the two instead (e.g. `?options=-c default_transaction_read_only=on`).
  const urlOptions = parsed.searchParams.get('options');
  parsed.searchParams.delete('options');
  const options = [urlOptions, schema ? `-c search_path="${schema.replace(/"/g, '')}"` : null].filter(Boolean).join(' ');
  const poolConfig: pg.PoolConfig = {
    connectionString: parsed.toString(),
    max: Number(parsed.searchParams.get('connection_limit') ?? 10),
    // A database that does not answer fails the request instead of holding it forever.
    connectionTimeoutMillis: 10_000,
    ...(options ? { options } : {}),
  };
  const pool = new pg.Pool(poolConfig);
  const adapter = new PrismaPg(pool, schema ? { schema } : undefined);
  const prisma = new PostgresClient({ adapter }) as unknown as PrismaDb;
  const driver: TDirectDriver = { kind: 'postgresql', pool };
  directDrivers.set(prisma, driver);
  return {
    prisma,
    dialect,
    ...(schema ? { schema } : {}),
    query: (sql, params = []) => directQuery(driver, sql, params, toPgPlaceholders),
    execute: (sql, params = []) => prisma.$executeRawUnsafe(toPgPlaceholders(sql), ...params),
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/**
 * Connection settings applied once at startup. SQLite runs in WAL mode (readers never block the
 * writer) with synchronous=FULL: every commit is synced to the WAL before it returns, so a change
 * Slack has heard "ok" for survives a crash of the process and of the machine (NORMAL would lose
 * the last commits on a power cut). busy_timeout covers a second process (an import) writing.
 */
export async function configureDatabase(db: Db): Promise<void> {
  if (db.dialect !== 'sqlite') return;
  await db.query('PRAGMA journal_mode=WAL');
  await db.query('PRAGMA synchronous=FULL');
  await db.query('PRAGMA busy_timeout=5000');
}

/** Raw aggregate values come back as number, bigint or string depending on driver: normalise. */
export function toBigInt(v: unknown): bigint {
  if (v === null || v === undefined) return 0n;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.round(v));
  if (typeof v === 'string') return BigInt(v.includes('.') ? v.split('.')[0]! : v);
  return 0n;
}

export function toNumber(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') return Number(v);
  return 0;
}

/**
 * A DateTime from a raw row, or null: SQLite gives Unix ms (number or bigint), PostgreSQL a Date.
 *
 * @example
 * toNullableDate(1764633600000n); // 2025-12-02T00:00:00.000Z
 * toNullableDate(null); // null
 */
export function toNullableDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  if (typeof v === 'bigint' || typeof v === 'number') return new Date(Number(v));
  if (typeof v === 'string') return /^\d+$/.test(v) ? new Date(Number(v)) : new Date(v);
  throw new TypeError(`not a date value: ${String(v)}`);
}

/** The Prisma client behind a `Db`, or the transaction client itself: for reads that run either way. */
export function prismaOf(source: Db | Tx): PrismaDb | Tx {
  return 'dialect' in source ? source.prisma : source;
}

/**
 * Runs `run` in one interactive transaction (Prisma's defaults; pass `WRITE_TX` for the writes of
 * user actions that may queue behind a burst). Everything is rolled back if `run` throws. Use cases
 * hand the `tx` to storage functions; they never call it themselves.
 *
 * @example
 * await inTransaction(db, async (tx) => { await updateRole(tx, …); await writeAudit(tx, …); });
 */
export function inTransaction<T>(db: Db, run: (tx: Tx) => Promise<T>, options?: { maxWait?: number; timeout?: number }): Promise<T> {
  return options ? db.prisma.$transaction(run, options) : db.prisma.$transaction(run);
}
