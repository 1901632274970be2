import { customerKey } from '../shared/customer-key.js';
import { toNumber, toPgPlaceholders, type Db, type Dialect, type Tx } from './db.js';

/**
 * Batched raw-SQL writes for bulk import and benchmark seeding (../shared/product/DATABASE.md:
 * Prisma `createMany` manages about 6–7k rows/s; multi-row INSERTs inside one transaction are
 * 10–40× faster). The same SQL runs on SQLite and PostgreSQL: `?` placeholders, quoted
 * identifiers, `RETURNING` (SQLite >= 3.35).
 */

/** Anything that runs raw SQL with `?` placeholders: a `Db`, or a transaction from `withTransaction`. */
export interface SqlRunner {
  readonly dialect: Dialect;
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
}

/** SQLite's default limit of bound parameters per statement (SQLITE_MAX_VARIABLE_NUMBER). */
export const SQLITE_MAX_PARAMS = 32_766;
/** PostgreSQL's wire protocol limit (a 16-bit count). */
export const POSTGRES_MAX_PARAMS = 65_535;

/** Same conversions as `Db.query` does: SQLite stores DateTime as Unix ms and booleans as 0/1. */
function bind(dialect: Dialect, p: unknown): unknown {
  if (dialect === 'sqlite') {
    if (p instanceof Date) return p.getTime();
    if (typeof p === 'boolean') return p ? 1 : 0;
  }
  return p;
}

/** A `SqlRunner` bound to an interactive transaction. */
export function transactionRunner(dialect: Dialect, tx: Tx): SqlRunner {
  const text = (sql: string): string => (dialect === 'postgresql' ? toPgPlaceholders(sql) : sql);
  return {
    dialect,
    query: <T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []) =>
      tx.$queryRawUnsafe<T[]>(text(sql), ...params.map((p) => bind(dialect, p))),
    execute: (sql: string, params: readonly unknown[] = []) => tx.$executeRawUnsafe(text(sql), ...params.map((p) => bind(dialect, p))),
  };
}

/**
 * Runs `fn` in one interactive transaction (generous timeout: bulk work takes seconds), giving it
 * a raw-SQL runner and the Prisma transaction client. Everything is rolled back if `fn` throws.
 *
 * @example
 * await withTransaction(db, (run) => insertDealsBatch(run, workspaceId, deals));
 */
export function withTransaction<T>(db: Db, fn: (run: SqlRunner, tx: Tx) => Promise<T>, opts: { timeoutMs?: number } = {}): Promise<T> {
  const timeout = opts.timeoutMs ?? 30 * 60_000;
  return db.prisma.$transaction((tx: Tx) => fn(transactionRunner(db.dialect, tx), tx), { timeout, maxWait: 60_000 });
}

function isDb(target: Db | SqlRunner): target is Db {
  return 'prisma' in target;
}

/** Rows per multi-row statement: the wanted chunk, bounded by the engine's parameter limit. */
export function rowsPerStatement(dialect: Dialect, columns: number, wanted = 500): number {
  const limit = dialect === 'sqlite' ? SQLITE_MAX_PARAMS : POSTGRES_MAX_PARAMS;
  return Math.max(1, Math.min(wanted, Math.floor(limit / columns)));
}

/**
 * One multi-row `INSERT INTO table (cols) VALUES (…),(…) [RETURNING …]` per chunk. `values(row)`
 * gives the row's values in column order. Returns the RETURNING rows (empty without `returning`).
 */
export async function insertRows<R, T = Record<string, unknown>>(
  run: SqlRunner,
  table: string,
  columns: readonly string[],
  rows: readonly R[],
  values: (row: R) => readonly unknown[],
  opts: { returning?: string; chunkSize?: number } = {},
): Promise<T[]> {
  const out: T[] = [];
  if (rows.length === 0) return out;
  const per = rowsPerStatement(run.dialect, columns.length, opts.chunkSize);
  const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (let start = 0; start < rows.length; start += per) {
    const chunk = rows.slice(start, start + per);
    const params: unknown[] = [];
    for (const row of chunk) {
      const v = values(row);
      if (v.length !== columns.length) throw new Error(`insertRows(${table}): ${v.length} values for ${columns.length} columns`);
      params.push(...v);
    }
    const sql = head + new Array<string>(chunk.length).fill(tuple).join(', ') + (opts.returning ? ` RETURNING ${opts.returning}` : '');
    if (opts.returning) out.push(...(await run.query<T>(sql, params)));
    else await run.execute(sql, params);
  }
  return out;
}

/**
 * One deal row as stored (money in minor units; reporting amounts already converted). The
 * `customerKey` column is not part of it: the batch writers compute it from `customer`.
 */
export interface TDealRow {
  ownerId: number;
  customer: string;
  amountMinor: bigint;
  currency: string;
  amountReportingMinor: bigint;
  /** new | upsell | renewal */
  type: string;
  /** Open stage key, or 'won' / 'lost'. */
  stage: string;
  maxStageIndex: number;
  /** open | won | lost */
  status: string;
  discountMinor?: bigint | null;
  discountReportingMinor?: bigint | null;
  lostReason?: string | null;
  recurringMonthlyMinor?: bigint | null;
  recurringReportingMinor?: bigint | null;
  subscriptionStart?: Date | null;
  subscriptionEnd?: Date | null;
  notes?: string | null;
  createdAt: Date;
  closedAt: Date | null;
  /** Defaults to `opts.now`. */
  updatedAt?: Date;
  /** Defaults to 'import'. */
  source?: string;
  externalId?: string | null;
  requestKey?: string | null;
  channelId?: string | null;
}

export const DEAL_COLUMNS = [
  'workspaceId',
  'ownerId',
  'customer',
  'customerKey',
  'amountMinor',
  'currency',
  'amountReportingMinor',
  'type',
  'stage',
  'maxStageIndex',
  'status',
  'discountMinor',
  'discountReportingMinor',
  'lostReason',
  'recurringMonthlyMinor',
  'recurringReportingMinor',
  'subscriptionStart',
  'subscriptionEnd',
  'notes',
  'createdAt',
  'closedAt',
  'updatedAt',
  'source',
  'externalId',
  'requestKey',
  'channelId',
] as const;

export interface InsertDealsOptions {
  /** Rows per INSERT statement (bounded by the engine's parameter limit). Default 500. */
  chunkSize?: number;
  /**
   * Also write one `DealStageChange` per deal: fromStage null → its stage, at `closedAt` for a
   * closed deal and `createdAt` for an open one. Default true.
   */
  stageChanges?: boolean;
  /** `updatedAt` of rows that don't set it. Default: the current time. */
  now?: Date;
}

/**
 * Inserts deals with multi-row raw INSERTs (500 rows per statement by default; 26 columns, so
 * well inside SQLite's 32,766 bound parameters; `customerKey` is computed from `customer`).
 * Given a `Db`, the whole batch runs in one transaction; given a runner from `withTransaction`,
 * it joins that transaction. Returns the new deal ids (in no particular order).
 *
 * The caller guarantees consistency (owner ids of this workspace, stage/maxStageIndex/status
 * agreeing, amounts converted); nothing is validated here beyond types — this is the fast path
 * for import and benchmark seeding.
 *
 * @example
 * const ids = await insertDealsBatch(db, ws.id, [{ ownerId: rep.id, customer: 'Acme', amountMinor: 120000n,
 *   currency: 'USD', amountReportingMinor: 120000n, type: 'new', stage: 'won', maxStageIndex: 4,
 *   status: 'won', createdAt: new Date('2017-01-02T12:00:00Z'), closedAt: new Date('2017-02-01T12:00:00Z') }]);
 */
export async function insertDealsBatch(target: Db | SqlRunner, workspaceId: number, deals: readonly TDealRow[], opts: InsertDealsOptions = {}): Promise<number[]> {
  if (deals.length === 0) return [];
  if (isDb(target)) return withTransaction(target, (run) => insertDealsBatch(run, workspaceId, deals, opts));
  const run = target;
  const now = opts.now ?? new Date();
  const returned = await insertRows<TDealRow, { id: unknown }>(
    run,
    'Deal',
    DEAL_COLUMNS,
    deals,
    (d) => [
      workspaceId,
      d.ownerId,
      d.customer,
      customerKey(d.customer),
      d.amountMinor,
      d.currency,
      d.amountReportingMinor,
      d.type,
      d.stage,
      d.maxStageIndex,
      d.status,
      d.discountMinor ?? null,
      d.discountReportingMinor ?? null,
      d.lostReason ?? null,
      d.recurringMonthlyMinor ?? null,
      d.recurringReportingMinor ?? null,
      d.subscriptionStart ?? null,
      d.subscriptionEnd ?? null,
      d.notes ?? null,
      d.createdAt,
      d.closedAt,
      d.updatedAt ?? now,
      d.source ?? 'import',
      d.externalId ?? null,
      d.requestKey ?? null,
      d.channelId ?? null,
    ],
    { returning: '"id"', ...(opts.chunkSize !== undefined ? { chunkSize: opts.chunkSize } : {}) },
  );
  const ids = returned.map((r) => toNumber(r.id));
  if (opts.stageChanges ?? true) await insertInitialStageChanges(run, ids, opts.chunkSize);
  return ids;
}

/** A column `updateDealsBatch` rewrites: its name, its PostgreSQL type (VALUES parameters need it there) and its value. */
type TUpdateColumn = readonly [column: string, pgType: string, value: (d: TDealRow) => unknown];

const field = (column: keyof TDealRow, pgType: string): TUpdateColumn => [column, pgType, (d) => d[column] ?? null];

const UPDATE_COLUMNS: readonly TUpdateColumn[] = [
  field('ownerId', 'INTEGER'),
  field('customer', 'TEXT'),
  ['customerKey', 'TEXT', (d) => customerKey(d.customer)],
  field('amountMinor', 'BIGINT'),
  field('currency', 'TEXT'),
  field('amountReportingMinor', 'BIGINT'),
  field('type', 'TEXT'),
  field('stage', 'TEXT'),
  field('maxStageIndex', 'INTEGER'),
  field('status', 'TEXT'),
  field('discountMinor', 'BIGINT'),
  field('discountReportingMinor', 'BIGINT'),
  field('lostReason', 'TEXT'),
  field('recurringMonthlyMinor', 'BIGINT'),
  field('recurringReportingMinor', 'BIGINT'),
  field('subscriptionStart', 'TIMESTAMPTZ(3)'),
  field('notes', 'TEXT'),
  field('createdAt', 'TIMESTAMPTZ(3)'),
  field('closedAt', 'TIMESTAMPTZ(3)'),
];

/**
 * Rewrites the data columns of existing deals (by id) in batched statements:
 * `WITH v(id, …) AS (VALUES (…), (…)) UPDATE "Deal" SET … FROM v WHERE "Deal"."id" = v."id"`
 * (SQLite >= 3.33 and PostgreSQL). `updatedAt` becomes `now`; source, external id, request key,
 * channel and subscriptionEnd are left as they are; `customerKey` follows `customer`. Returns the
 * number of rows updated.
 */
export async function updateDealsBatch(run: SqlRunner, deals: ReadonlyArray<TDealRow & { id: number }>, now: Date, chunkSize = 500): Promise<number> {
  const cols = UPDATE_COLUMNS.length + 1;
  const per = rowsPerStatement(run.dialect, cols, chunkSize);
  const param = (type: string): string => (run.dialect === 'postgresql' ? `CAST(? AS ${type})` : '?');
  const tuple = `(${[param('INTEGER'), ...UPDATE_COLUMNS.map(([, type]) => param(type))].join(', ')})`;
  const names = ['id', ...UPDATE_COLUMNS.map(([c]) => c)].map((c) => `"${c}"`).join(', ');
  const sets = [...UPDATE_COLUMNS.map(([c]) => `"${c}" = v."${c}"`), `"updatedAt" = ?`].join(', ');
  let updated = 0;
  for (let start = 0; start < deals.length; start += per) {
    const chunk = deals.slice(start, start + per);
    const params: unknown[] = [];
    for (const d of chunk) {
      params.push(d.id);
      for (const [, , value] of UPDATE_COLUMNS) params.push(value(d));
    }
    params.push(now);
    updated += await run.execute(
      `WITH v(${names}) AS (VALUES ${new Array<string>(chunk.length).fill(tuple).join(', ')}) UPDATE "Deal" SET ${sets} FROM v WHERE "Deal"."id" = v."id"`,
      params,
    );
  }
  return updated;
}

/**
 * One `DealStageChange` (null → current stage) per given deal, copied from the deal rows in SQL:
 * changedAt = closedAt for closed deals, createdAt for open ones.
 */
export async function insertInitialStageChanges(run: SqlRunner, dealIds: readonly number[], chunkSize = 500): Promise<void> {
  const per = rowsPerStatement(run.dialect, 1, chunkSize);
  for (let start = 0; start < dealIds.length; start += per) {
    const chunk = dealIds.slice(start, start + per);
    await run.execute(
      `INSERT INTO "DealStageChange" ("workspaceId", "dealId", "fromStage", "toStage", "changedAt", "changedById")
       SELECT d."workspaceId", d."id", NULL, d."stage", COALESCE(d."closedAt", d."createdAt"), NULL
       FROM "Deal" d WHERE d."id" IN (${chunk.map(() => '?').join(', ')})`,
      chunk,
    );
  }
}
