import { toNumber, type Db } from '../db.js';

/**
 * The AlertEvent statements of `fireAlerts` (domain/alerts/fire-alerts.ts), set-based: one read
 * of the events an evaluation concerns, one multi-row insert for the conditions that have none,
 * one update for the recoveries. An alert fires once per (workspace, rule, condition, period):
 * the unique key decides between concurrent callers (insert … on conflict do nothing; the
 * conditional re-fire update), as before.
 */

export interface TAlertEventKey {
  readonly rule: string;
  readonly conditionKey: string;
  readonly periodKey: string;
}

export interface TAlertEventState extends TAlertEventKey {
  readonly id: number;
  /** `recoveredAt` is set: the condition had recovered (firing again re-opens it). */
  readonly recovered: boolean;
}

export interface TNewAlertEvent extends TAlertEventKey {
  readonly value: number;
  readonly threshold: number;
  readonly message: string;
}

/** `rule|conditionKey|periodKey`: how the results below are matched to conditions. */
export const alertEventKey = (k: TAlertEventKey): string => `${k.rule}|${k.conditionKey}|${k.periodKey}`;

const placeholders = (n: number): string => new Array<string>(n).fill('?').join(', ');

/**
 * The workspace's events of these rules and periods (any condition), in one statement.
 *
 * @example
 * await alertEventsOf(db, ws.id, [{ rule: 'winrate_drop', periodKey: '2026-W48' }]);
 * // [{ id: 7, rule: 'winrate_drop', conditionKey: 'all', periodKey: '2026-W48', recovered: false }]
 */
export async function alertEventsOf(db: Db, workspaceId: number, pairs: ReadonlyArray<{ readonly rule: string; readonly periodKey: string }>): Promise<TAlertEventState[]> {
  if (pairs.length === 0) return [];
  const rules = [...new Set(pairs.map((p) => p.rule))];
  const periods = [...new Set(pairs.map((p) => p.periodKey))];
  const wanted = new Set(pairs.map((p) => `${p.rule}|${p.periodKey}`));
  const rows = await db.query<Record<string, unknown>>(
    `SELECT "id", "rule", "conditionKey", "periodKey", "recoveredAt" FROM "AlertEvent"
     WHERE "workspaceId" = ? AND "rule" IN (${placeholders(rules.length)}) AND "periodKey" IN (${placeholders(periods.length)})`,
    [workspaceId, ...rules, ...periods],
  );
  return rows
    .map((r) => ({ id: toNumber(r['id']), rule: String(r['rule']), conditionKey: String(r['conditionKey']), periodKey: String(r['periodKey']), recovered: r['recoveredAt'] !== null && r['recoveredAt'] !== undefined }))
    .filter((e) => wanted.has(`${e.rule}|${e.periodKey}`));
}

const INSERT_CHUNK = 100;

/**
 * Inserts the events that do not exist yet (insert … on conflict do nothing), unposted and not
 * recovered; returns the ids of the ones this call inserted, by `alertEventKey`. A condition
 * missing from the result already had an event (another caller won it).
 */
export async function insertAlertEvents(db: Db, workspaceId: number, events: readonly TNewAlertEvent[], now: Date): Promise<Map<string, number>> {
  const inserted = new Map<string, number>();
  for (let i = 0; i < events.length; i += INSERT_CHUNK) {
    const chunk = events.slice(i, i + INSERT_CHUNK);
    const rows = await db.query<Record<string, unknown>>(
      `INSERT INTO "AlertEvent" ("workspaceId", "rule", "conditionKey", "periodKey", "value", "threshold", "message", "firedAt", "recoveredAt")
       VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, NULL)').join(', ')}
       ON CONFLICT ("workspaceId", "rule", "conditionKey", "periodKey") DO NOTHING
       RETURNING "id", "rule", "conditionKey", "periodKey"`,
      chunk.flatMap((c) => [workspaceId, c.rule, c.conditionKey, c.periodKey, c.value, c.threshold, c.message, now]),
    );
    for (const r of rows) inserted.set(alertEventKey({ rule: String(r['rule']), conditionKey: String(r['conditionKey']), periodKey: String(r['periodKey']) }), toNumber(r['id']));
  }
  return inserted;
}

/**
 * Fires an existing event again if it had recovered (one conditional update: only one caller
 * wins, and it is owed a post again); returns its id and whether this call re-fired it, or null
 * when the event is gone (workspace removed).
 */
export async function refireAlertEvent(db: Db, workspaceId: number, c: TNewAlertEvent, now: Date): Promise<{ id: number; refired: boolean } | null> {
  const where = { workspaceId, rule: c.rule, conditionKey: c.conditionKey, periodKey: c.periodKey };
  const refired = await db.prisma.alertEvent.updateMany({
    where: { ...where, recoveredAt: { not: null } },
    data: { recoveredAt: null, firedAt: now, value: c.value, threshold: c.threshold, message: c.message, postedAt: null, postingUntil: null },
  });
  const event = await db.prisma.alertEvent.findUnique({ where: { workspaceId_rule_conditionKey_periodKey: where }, select: { id: true } });
  return event ? { id: event.id, refired: refired.count === 1 } : null;
}

/** Marks these events recovered (those still active); returns how many changed. */
export async function recoverAlertEvents(db: Db, ids: readonly number[], now: Date): Promise<number> {
  if (ids.length === 0) return 0;
  const res = await db.prisma.alertEvent.updateMany({ where: { id: { in: [...ids] }, recoveredAt: null }, data: { recoveredAt: now } });
  return res.count;
}
