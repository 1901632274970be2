import { toNumber, type Db, type Tx } from '../db.js';

/**
 * The history horizon splits time into "history" (before `now - HISTORY_HORIZON_MS`) and the
 * present. Aggregates over ranges that end at or before the horizon are cached
 * (`withClosedPeriodCache`), keyed by the workspace's `historyVersion`; every write that touches a
 * date before the horizon bumps that version in its own transaction, so the next answer, on any
 * app instance, misses the cache and reads the database again.
 *
 * Why a margin and not `now` itself: a deal logged today carries today's date (a local midnight
 * from the date picker can be up to a day behind `now`), and must not throw away the cache of
 * every closed period. Why it stays correct: the horizon only moves forward, so a cached range
 * (end <= horizon when it was read) contains only dates that every later write compares against
 * a horizon at least as late, and bumps for.
 */
export const HISTORY_HORIZON_MS = 36 * 3600 * 1000;

/**
 * @example
 * historyHorizon(new Date('2026-12-02T12:00:00Z')); // 2026-12-01T00:00:00.000Z
 */
export function historyHorizon(now: Date): Date {
  return new Date(now.getTime() - HISTORY_HORIZON_MS);
}

/**
 * True when any of the dates a write touches (old and new values) lies before the horizon.
 *
 * @example
 * touchesHistory([new Date('2026-12-02T08:00:00Z'), null], new Date('2026-12-02T12:00:00Z')); // false
 * touchesHistory([new Date('2026-10-15T00:00:00Z')], new Date('2026-12-02T12:00:00Z')); // true
 */
export function touchesHistory(dates: ReadonlyArray<Date | null | undefined>, now: Date): boolean {
  const horizon = historyHorizon(now).getTime();
  return dates.some((d) => d instanceof Date && d.getTime() < horizon);
}

/** Bumps the workspace's history version inside the caller's transaction (one statement). */
export async function bumpHistoryVersion(tx: Tx, workspaceId: number): Promise<void> {
  await tx.$executeRaw`UPDATE "Workspace" SET "historyVersion" = "historyVersion" + 1 WHERE "id" = ${workspaceId}`;
}

/**
 * Bumps the version inside the caller's transaction when the write touches a date before the
 * horizon: what every deal write does (log, change, undo).
 *
 * @example
 * await bumpIfTouchesHistory(tx, deal.workspaceId, dealDates(before, after), now);
 */
export async function bumpIfTouchesHistory(tx: Tx, workspaceId: number, dates: ReadonlyArray<Date | null | undefined>, now: Date): Promise<void> {
  if (touchesHistory(dates, now)) await bumpHistoryVersion(tx, workspaceId);
}

/** The workspace's history version (0 for an unknown workspace): one raw statement, read on every answer. */
export async function readHistoryVersion(db: Db, workspaceId: number): Promise<number> {
  const rows = await db.query<{ v: unknown }>('SELECT "historyVersion" AS v FROM "Workspace" WHERE "id" = ?', [workspaceId]);
  return rows[0] ? toNumber(rows[0].v) : 0;
}
