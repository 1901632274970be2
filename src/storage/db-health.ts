import type { Db } from './db.js';

export type TDbHealth = { ok: true } | { ok: false; reason: string };

class ProbeRollback extends Error {}
/** A burst of deal writes holds SQLite's one writer: wait for it rather than report a busy database. */
const PROBE_TX = { maxWait: 5_000, timeout: 5_000 } as const;

/**
 * The driver's own words, short: Prisma wraps raw-query errors as "…Raw query failed. Code: …
 * Message: `<driver message>`". Connection strings are never part of them (and the logger
 * redacts passwords anyway).
 */
function describe(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const inner = /Message: `([^`]*)`/.exec(message)?.[1];
  const text = inner ?? message.split('\n').map((l) => l.trim()).filter(Boolean).pop() ?? 'unknown error';
  return text.slice(0, 160);
}

/**
 * Can the database take writes right now? A plain `SELECT 1` answers for a read-only database too,
 * so the probe asks what a write would hit.
 * - SQLite: rewrites the header cookie (`PRAGMA user_version` to its own value) inside a
 *   transaction that is then rolled back. By experiment (better-sqlite3, WAL and rollback-journal
 *   modes, file or directory read-only, read-only open, `query_only`), this fails with
 *   SQLITE_READONLY[_DIRECTORY] in every read-only case and succeeds otherwise, while
 *   `BEGIN IMMEDIATE` alone succeeds on a read-only file and a no-op `UPDATE … WHERE 0` succeeds in
 *   a read-only directory. Nothing is changed: the value is its own and the transaction rolls back.
 * - PostgreSQL: one query, `pg_is_in_recovery()` (a standby) and `transaction_read_only` (e.g.
 *   `default_transaction_read_only` for the role, the database or the connection).
 *
 * Cheap: one short transaction or one query. A PostgreSQL connection failure reads as `unreachable`.
 */
export async function probeDatabaseWritable(db: Db): Promise<TDbHealth> {
  if (db.dialect === 'sqlite') {
    try {
      await db.prisma.$transaction(async (tx) => {
        const [row] = await tx.$queryRawUnsafe<Array<{ user_version: number | bigint }>>('PRAGMA user_version');
        await tx.$executeRawUnsafe(`PRAGMA user_version = ${Number(row?.user_version ?? 0)}`);
        throw new ProbeRollback();
      }, PROBE_TX);
      return { ok: true };
    } catch (e) {
      if (e instanceof ProbeRollback) return { ok: true };
      const reason = describe(e);
      return { ok: false, reason: /readonly|read-only/i.test(reason) ? `read-only: ${reason}` : `write failed: ${reason}` };
    }
  }
  let rows: Array<{ recovery: boolean; read_only: string }>;
  try {
    rows = await db.query<{ recovery: boolean; read_only: string }>("SELECT pg_is_in_recovery() AS recovery, current_setting('transaction_read_only') AS read_only");
  } catch (e) {
    return { ok: false, reason: `unreachable: ${describe(e)}` };
  }
  const row = rows[0];
  if (row?.recovery) return { ok: false, reason: 'read-only: the server is in recovery (a standby)' };
  if (row?.read_only === 'on') return { ok: false, reason: 'read-only: transaction_read_only is on' };
  return { ok: true };
}
