import type Database from 'better-sqlite3';
import pg from 'pg';
import { directDriver, toPgPlaceholders, type Db, type Tx } from '../db.js';
import { PG_TYPES, preparedOn, type WriteLock } from '../direct-sql.js';
import type { Deal } from '../models.js';

/**
 * The hot path of deal logging on the database driver, with statements prepared once (see
 * direct-sql.ts): the open-deal look-up of the quick forms, a new deal with its first stage change
 * and audit entry, a change of one deal with its stage change and audit entry, and the look-ups a
 * repeated delivery needs. Every write is one transaction: on SQLite a synchronous BEGIN IMMEDIATE
 * … COMMIT on Prisma's own connection (no Prisma transaction open, see WriteLock); on PostgreSQL
 * BEGIN … COMMIT on a pooled client, with named prepared statements. The promise resolves after
 * the COMMIT: a caller that acknowledges afterwards acknowledges a stored change.
 */

/** The Deal columns in the model's order, with how each comes back from the drivers. */
const DEAL_COLUMNS = {
  id: 'int',
  workspaceId: 'int',
  ownerId: 'int',
  customer: 'text',
  amountMinor: 'bigint',
  currency: 'text',
  amountReportingMinor: 'bigint',
  type: 'text',
  stage: 'text',
  maxStageIndex: 'int',
  status: 'text',
  discountMinor: 'bigint',
  discountReportingMinor: 'bigint',
  lostReason: 'text',
  recurringMonthlyMinor: 'bigint',
  recurringReportingMinor: 'bigint',
  subscriptionStart: 'date',
  subscriptionEnd: 'date',
  notes: 'text',
  createdAt: 'date',
  closedAt: 'date',
  updatedAt: 'date',
  source: 'text',
  externalId: 'text',
  requestKey: 'text',
  channelId: 'text',
  customerKey: 'text',
  leadSource: 'text',
} as const satisfies Record<keyof Deal, TColumnKind>;

const DEAL_SELECT = Object.keys(DEAL_COLUMNS)
  .map((c) => `"${c}"`)
  .join(', ');

export type TColumnKind = 'int' | 'bigint' | 'date' | 'text';

/**
 * A row as Prisma returns it, from a driver row (SQLite: integers as bigint, dates as Unix ms;
 * PostgreSQL: int8 as bigint, timestamptz as Date). `prefix` reads aliased columns (`w_id`).
 */
export function rowOf<T>(columns: Record<string, TColumnKind>, row: Record<string, unknown>, prefix = ''): T {
  const out: Record<string, unknown> = {};
  for (const [column, kind] of Object.entries(columns)) {
    const v = row[prefix + column];
    if (v === null || v === undefined) out[column] = null;
    else if (kind === 'int') out[column] = Number(v);
    else if (kind === 'bigint') out[column] = typeof v === 'bigint' ? v : BigInt(v as string | number);
    else if (kind === 'date') out[column] = v instanceof Date ? v : new Date(Number(v));
    else out[column] = v;
  }
  return out as T;
}

const dealFromRow = (row: Record<string, unknown>): Deal => rowOf<Deal>(DEAL_COLUMNS, row);

/** One statement with `?` placeholders. */
export interface TStatement {
  sql: string;
  params: readonly unknown[];
}

function sqliteParam(p: unknown): unknown {
  if (p instanceof Date) return p.getTime();
  if (typeof p === 'boolean') return p ? 1 : 0;
  return p;
}


const pgNames = new Map<string, { name: string; text: string }>();
/** A named (per-connection prepared) statement for each SQL text. */
function pgQuery(statement: TStatement): pg.QueryConfig {
  let named = pgNames.get(statement.sql);
  if (!named) {
    named = { name: `kpi_direct_${pgNames.size + 1}`, text: toPgPlaceholders(statement.sql) };
    pgNames.set(statement.sql, named);
  }
  return { name: named.name, text: named.text, values: statement.params.map((p) => (typeof p === 'bigint' ? p.toString() : p)), types: PG_TYPES };
}

function pgPool(db: Db): pg.Pool {
  const driver = directDriver(db);
  if (driver.kind !== 'postgresql') throw new Error('not a PostgreSQL database');
  return driver.pool;
}

async function sqliteConnection(db: Db): Promise<{ connection: Database.Database; lock: WriteLock } | null> {
  const driver = directDriver(db);
  if (driver.kind !== 'sqlite') return null;
  return { connection: await driver.connection(), lock: driver.lock };
}

/** Rows of one read, on the driver with the statement prepared once. */
export async function readRows(db: Db, statement: TStatement): Promise<Array<Record<string, unknown>>> {
  const sqlite = await sqliteConnection(db);
  if (sqlite) return preparedOn(sqlite.connection, statement.sql).all(...statement.params.map(sqliteParam)) as Array<Record<string, unknown>>;
  const pool = pgPool(db);
  return (await pool.query(pgQuery(statement))).rows as Array<Record<string, unknown>>;
}

/**
 * One transaction: `first` (its returned rows, or its count of changed rows), then the statements
 * `then` derives from that result; `then` may throw to roll everything back. Resolves after COMMIT.
 */
async function writeTransaction<R>(db: Db, first: TStatement, then: (rows: Array<Record<string, unknown>>, changes: number) => { statements: TStatement[]; result: R }): Promise<R> {
  const sqlite = await sqliteConnection(db);
  if (sqlite) {
    const { connection } = sqlite;
    // Synchronous from BEGIN to COMMIT: nothing else runs on the connection in between.
    return sqlite.lock.run(() => {
      preparedOn(connection, 'BEGIN IMMEDIATE').run();
      try {
        const stmt = preparedOn(connection, first.sql);
        const params = first.params.map(sqliteParam);
        let rows: Array<Record<string, unknown>> = [];
        let changes: number;
        if (stmt.reader) {
          rows = stmt.all(...params) as Array<Record<string, unknown>>;
          changes = rows.length;
        } else {
          changes = stmt.run(...params).changes;
        }
        const next = then(rows, changes);
        for (const s of next.statements) preparedOn(connection, s.sql).run(...s.params.map(sqliteParam));
        preparedOn(connection, 'COMMIT').run();
        return next.result;
      } catch (e) {
        if (connection.inTransaction) preparedOn(connection, 'ROLLBACK').run();
        throw e;
      }
    });
  }
  const pool = pgPool(db);
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    try {
      const res = await client.query(pgQuery(first));
      const next = then(res.rows as Array<Record<string, unknown>>, res.rowCount ?? 0);
      // The statements that follow go as one (data-modifying CTEs each run exactly once): one
      // round trip instead of one per statement.
      const combined = combineStatements(next.statements);
      if (combined) await client.query(pgQuery(combined));
      await client.query('COMMIT');
      return next.result;
    } catch (e) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw e;
    }
  } finally {
    client.release(broken);
  }
}

/** PostgreSQL: several INSERT/UPDATE statements as one, `WITH s0 AS (…), s1 AS (…) <last>`. */
function combineStatements(statements: readonly TStatement[]): TStatement | null {
  if (statements.length <= 1) return statements[0] ?? null;
  const head = statements.slice(0, -1);
  const last = statements[statements.length - 1]!;
  return { sql: `WITH ${head.map((s, i) => `s${i} AS (${s.sql})`).join(', ')} ${last.sql}`, params: statements.flatMap((s) => s.params) };
}

/** Open deals of a workspace whose customer key matches, newest first (at most `take`). */
export async function openDealsOfCustomer(db: Db, workspaceId: number, customerKey: string, take: number): Promise<Deal[]> {
  const rows = await readRows(db, {
    sql: `SELECT ${DEAL_SELECT} FROM "Deal" WHERE "workspaceId" = ? AND "status" = 'open' AND "customerKey" = ? ORDER BY "id" DESC LIMIT ?`,
    params: [workspaceId, customerKey, take],
  });
  return rows.map(dealFromRow);
}

/** The deal a delivery created (its request key), or null. */
export async function dealOfRequest(db: Db, workspaceId: number, requestKey: string): Promise<Deal | null> {
  const rows = await readRows(db, { sql: `SELECT ${DEAL_SELECT} FROM "Deal" WHERE "workspaceId" = ? AND "requestKey" = ?`, params: [workspaceId, requestKey] });
  return rows[0] ? dealFromRow(rows[0]) : null;
}

/** A new deal's columns (the id, subscriptionEnd and externalId are left to the database). */
export type TNewDealRow = Omit<Deal, 'id' | 'subscriptionEnd' | 'externalId'>;

/** The audit entry written with a deal change; `after` and `before` are its JSON texts. */
export interface TDealAudit {
  actorRepId: number;
  actorSlackUserId: string | null;
  action: string;
  createdAt: Date;
  requestKey: string | null;
}

export interface TStageChangeRow {
  fromStage: string | null;
  toStage: string;
  changedAt: Date;
  changedById: number;
}

const NEW_DEAL_COLUMNS = [
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
  'notes',
  'createdAt',
  'closedAt',
  'updatedAt',
  'source',
  'requestKey',
  'channelId',
  'leadSource',
] as const satisfies ReadonlyArray<keyof TNewDealRow>;

const INSERT_DEAL = `INSERT INTO "Deal" (${NEW_DEAL_COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES (${NEW_DEAL_COLUMNS.map(() => '?').join(', ')}) RETURNING ${DEAL_SELECT}`;
const INSERT_STAGE_CHANGE = `INSERT INTO "DealStageChange" ("workspaceId", "dealId", "fromStage", "toStage", "changedAt", "changedById") VALUES (?, ?, ?, ?, ?, ?)`;
const INSERT_AUDIT = `INSERT INTO "AuditEntry" ("workspaceId", "actorRepId", "actorSlackUserId", "entity", "entityId", "action", "before", "after", "createdAt", "requestKey") VALUES (?, ?, ?, 'deal', ?, ?, ?, ?, ?, ?)`;
const BUMP_HISTORY = `UPDATE "Workspace" SET "historyVersion" = "historyVersion" + 1 WHERE "id" = ?`;

function stageChangeStatement(workspaceId: number, dealId: number, change: TStageChangeRow): TStatement {
  return { sql: INSERT_STAGE_CHANGE, params: [workspaceId, dealId, change.fromStage, change.toStage, change.changedAt, change.changedById] };
}

function auditStatement(workspaceId: number, dealId: number, audit: TDealAudit, before: string | null, after: string | null): TStatement {
  return { sql: INSERT_AUDIT, params: [workspaceId, audit.actorRepId, audit.actorSlackUserId, dealId, audit.action, before, after, audit.createdAt, audit.requestKey] };
}

/**
 * Stores a new deal, its first stage change and its audit entry (whose `after` is written from the
 * stored row), and bumps the history version when asked, in one transaction. A unique-key
 * violation (the delivery's request key already used) rolls it all back and is thrown.
 */
export function insertDealWithHistory(
  db: Db,
  opts: { deal: TNewDealRow; stageChange: Omit<TStageChangeRow, 'fromStage'>; audit: TDealAudit; afterJson: (deal: Deal) => string; bumpHistoryVersion: boolean },
): Promise<Deal> {
  const { deal } = opts;
  if (directDriver(db).kind === 'postgresql') {
    const single = insertDealStatement(opts);
    if (single) return pgPool(db).query(pgQuery(single)).then((res) => dealFromRow(res.rows[0] as Record<string, unknown>));
  }
  return writeTransaction(db, { sql: INSERT_DEAL, params: NEW_DEAL_COLUMNS.map((c) => deal[c]) }, (rows) => {
    const created = dealFromRow(rows[0]!);
    const statements = [stageChangeStatement(deal.workspaceId, created.id, { ...opts.stageChange, fromStage: null }), auditStatement(deal.workspaceId, created.id, opts.audit, null, opts.afterJson(created))];
    if (opts.bumpHistoryVersion) statements.push({ sql: BUMP_HISTORY, params: [deal.workspaceId] });
    return { statements, result: created };
  });
}

/** The deal's id in the audit text before the database has given one (see insertDealStatement). */
const ID_PLACEHOLDER = 0;
const AUDIT_HEAD = `{"id":${ID_PLACEHOLDER},`;

/**
 * PostgreSQL: the new deal, its stage change, its audit entry and the history bump as ONE statement
 * (data-modifying CTEs; a single statement is its own transaction), so a logged deal costs one round
 * trip instead of BEGIN, two statements and COMMIT. The audit's `after` is the snapshot of the row
 * as it will be stored, with the id the INSERT returns spliced in (`{"id":0,…` → `{"id":<id>,…`):
 * the same text the transaction path writes. Null (use the transaction) if the snapshot does not
 * start with the id.
 */
function insertDealStatement(opts: { deal: TNewDealRow; stageChange: Omit<TStageChangeRow, 'fromStage'>; audit: TDealAudit; afterJson: (deal: Deal) => string; bumpHistoryVersion: boolean }): TStatement | null {
  const { deal, audit, stageChange } = opts;
  const stored: Record<string, unknown> = { ...deal, id: ID_PLACEHOLDER, subscriptionEnd: null, externalId: null };
  // In the column order the database returns, as the transaction path's snapshot has it.
  const after = opts.afterJson(rowOf<Deal>(DEAL_COLUMNS, stored));
  if (!after.startsWith(AUDIT_HEAD)) return null;
  const newId = `(SELECT "id" FROM d)`;
  const sql =
    `WITH d AS (${INSERT_DEAL}), ` +
    `s AS (INSERT INTO "DealStageChange" ("workspaceId", "dealId", "fromStage", "toStage", "changedAt", "changedById") VALUES (?, ${newId}, NULL, ?, ?, ?)), ` +
    `a AS (INSERT INTO "AuditEntry" ("workspaceId", "actorRepId", "actorSlackUserId", "entity", "entityId", "action", "before", "after", "createdAt", "requestKey") VALUES (?, ?, ?, 'deal', ${newId}, ?, NULL, '{"id":' || ${newId} || substr(?::text, ${AUDIT_HEAD.length}), ?, ?))` +
    (opts.bumpHistoryVersion ? `, h AS (${BUMP_HISTORY})` : '') +
    ` SELECT * FROM d`;
  const params: unknown[] = [
    ...NEW_DEAL_COLUMNS.map((c) => deal[c]),
    deal.workspaceId, stageChange.toStage, stageChange.changedAt, stageChange.changedById,
    deal.workspaceId, audit.actorRepId, audit.actorSlackUserId, audit.action, after, audit.createdAt, audit.requestKey,
    ...(opts.bumpHistoryVersion ? [deal.workspaceId] : []),
  ];
  return { sql, params };
}

/** The columns a change may set. */
export type TDealColumnsPatch = Partial<Pick<Deal, 'stage' | 'maxStageIndex' | 'status' | 'closedAt' | 'lostReason' | 'amountMinor' | 'currency' | 'amountReportingMinor' | 'type' | 'subscriptionStart' | 'recurringMonthlyMinor' | 'recurringReportingMinor' | 'requestKey' | 'updatedAt'>>;

/**
 * Applies `patch` to one deal only if its `updatedAt` is still `expectedUpdatedAt`, with its stage
 * change (when given), audit entry and history-version bump, in one transaction. Returns false,
 * having written nothing, when the deal changed meanwhile (or is gone).
 */
export function updateDealWithHistory(
  db: Db,
  opts: { workspaceId: number; dealId: number; expectedUpdatedAt: Date; patch: TDealColumnsPatch; stageChange: TStageChangeRow | null; audit: TDealAudit; beforeJson: string; afterJson: string; bumpHistoryVersion: boolean },
): Promise<boolean> {
  const columns = Object.keys(opts.patch).filter((c) => (opts.patch as Record<string, unknown>)[c] !== undefined) as Array<keyof TDealColumnsPatch>;
  const update: TStatement = {
    sql: `UPDATE "Deal" SET ${columns.map((c) => `"${c}" = ?`).join(', ')} WHERE "id" = ? AND "updatedAt" = ?`,
    params: [...columns.map((c) => opts.patch[c]), opts.dealId, opts.expectedUpdatedAt],
  };
  return writeTransaction(db, update, (_rows, changes) => {
    if (changes !== 1) return { statements: [], result: false };
    const statements: TStatement[] = [];
    if (opts.stageChange) statements.push(stageChangeStatement(opts.workspaceId, opts.dealId, opts.stageChange));
    statements.push(auditStatement(opts.workspaceId, opts.dealId, opts.audit, opts.beforeJson, opts.afterJson));
    if (opts.bumpHistoryVersion) statements.push({ sql: BUMP_HISTORY, params: [opts.workspaceId] });
    return { statements, result: true };
  });
}

/** Names of reps by id (for a refusal that names owners). */
export async function repNames(db: Db, repIds: readonly number[]): Promise<Array<{ id: number; name: string }>> {
  if (repIds.length === 0) return [];
  const rows = await readRows(db, { sql: `SELECT "id", "name" FROM "Rep" WHERE "id" IN (${repIds.map(() => '?').join(', ')})`, params: repIds });
  return rows.map((r) => ({ id: Number(r['id']), name: String(r['name']) }));
}

/**
 * The same deal and first stage change inside the caller's Prisma transaction, for the rare writes
 * that need more in the same transaction (a renewal continuing a subscription). The caller writes
 * the audit entry and bumps the history version.
 */
export async function insertDealInTransaction(tx: Tx, deal: TNewDealRow, stageChange: Omit<TStageChangeRow, 'fromStage'>): Promise<Deal> {
  const created = await tx.deal.create({ data: deal });
  await insertStageChangeInTransaction(tx, deal.workspaceId, created.id, { ...stageChange, fromStage: null });
  return created;
}

/** A stage change inside the caller's Prisma transaction. */
export async function insertStageChangeInTransaction(tx: Tx, workspaceId: number, dealId: number, change: TStageChangeRow): Promise<void> {
  await tx.dealStageChange.create({ data: { workspaceId, dealId, fromStage: change.fromStage, toStage: change.toStage, changedAt: change.changedAt, changedById: change.changedById } });
}

/**
 * `updateDealWithHistory`'s version-checked update inside the caller's Prisma transaction: applies
 * `patch` only if the deal's `updatedAt` is still `expectedUpdatedAt`; whether it did.
 */
export async function updateDealIfUnchanged(tx: Tx, dealId: number, expectedUpdatedAt: Date, patch: Partial<Omit<Deal, 'id' | 'workspaceId'>>): Promise<boolean> {
  const res = await tx.deal.updateMany({ where: { id: dealId, updatedAt: expectedUpdatedAt }, data: patch });
  return res.count === 1;
}
