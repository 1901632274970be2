import { toNumber, type Db } from '../../storage/db.js';
import type { TAlertCondition, TAlertEvaluation } from './evaluate-alerts.js';

/** A condition recorded as an AlertEvent (`postedAt` null: owed a post until delivered, see alert-posting.ts). */
export interface TFiredAlert extends TAlertCondition {
  readonly eventId: number;
  /** Fired again after it had recovered in the same period. */
  readonly refired: boolean;
}

export interface TFireAlertsResult {
  /** Newly fired by this call (a first breach, or a new breach after recovery): these get posted. */
  readonly fired: readonly TFiredAlert[];
  /** Still breached and already fired earlier in the period: recorded, not repeated. */
  readonly active: readonly TFiredAlert[];
  /** Breached but snoozed: neither recorded nor posted. */
  readonly snoozed: readonly TAlertCondition[];
  /** Events of the evaluated rules, scope and periods that were active and are no longer breached. */
  readonly recovered: number;
}

const INSERT_EVENT = `INSERT INTO "AlertEvent" ("workspaceId", "rule", "conditionKey", "periodKey", "value", "threshold", "message", "firedAt", "recoveredAt")
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)
  ON CONFLICT ("workspaceId", "rule", "conditionKey", "periodKey") DO NOTHING
  RETURNING "id"`;

/**
 * Records an evaluation (SPEC §4: each alert fires once per condition and period until it recovers):
 * - a breached, unsnoozed condition is inserted as an AlertEvent; the unique key
 *   (workspace, rule, conditionKey, periodKey) lets exactly one caller win, across app instances;
 * - a condition whose event had recovered (`recoveredAt` set) fires again: one conditional UPDATE
 *   clears `recoveredAt`, so again only one caller wins;
 * - a condition already active stays quiet (`active`);
 * - snoozed conditions are skipped: not recorded, so they fire once the snooze ends if still breached;
 * - a fired event is unposted (`postedAt` null) until its post succeeds (`postFiredAlerts`); if
 *   that never happens, the daily alerts job's sweep delivers it (`deliverOwedAlerts`);
 * - active events of the evaluated rules, scope and periods that are no longer breached get
 *   `recoveredAt = now` (snoozed but still breached ones do not recover).
 *
 * @example
 * const { fired } = await fireAlerts({ db, evaluation, now: new Date() });
 * await postFiredAlerts({ db, deliver, workspace, fired, scopeLabel: 'all reps', logger, now });
 */
export async function fireAlerts({ db, evaluation, now }: { db: Db; evaluation: TAlertEvaluation; now: Date }): Promise<TFireAlertsResult> {
  const workspaceId = evaluation.workspaceId;
  const fired: TFiredAlert[] = [];
  const active: TFiredAlert[] = [];
  const snoozed: TAlertCondition[] = [];

  for (const c of evaluation.conditions) {
    if (c.snoozedUntil !== null && c.snoozedUntil > now) {
      snoozed.push(c);
      continue;
    }
    const inserted = await db.query<{ id: unknown }>(INSERT_EVENT, [workspaceId, c.rule, c.conditionKey, c.periodKey, c.value, c.threshold, c.message, now]);
    const row = inserted[0];
    if (row) {
      fired.push({ ...c, eventId: toNumber(row.id), refired: false });
      continue;
    }
    const where = { workspaceId, rule: c.rule, conditionKey: c.conditionKey, periodKey: c.periodKey };
    const refired = await db.prisma.alertEvent.updateMany({
      where: { ...where, recoveredAt: { not: null } },
      // A new alert: owed a post again (see alert-posting.ts).
      data: { recoveredAt: null, firedAt: now, value: c.value, threshold: c.threshold, message: c.message, postedAt: null, postingUntil: null },
    });
    const event = await db.prisma.alertEvent.findUnique({ where: { workspaceId_rule_conditionKey_periodKey: where }, select: { id: true } });
    if (!event) continue; // deleted meanwhile (workspace removed)
    if (refired.count === 1) fired.push({ ...c, eventId: event.id, refired: true });
    else active.push({ ...c, eventId: event.id, refired: false });
  }

  // Recovery: the evaluated rules' active events in this scope and period that are no longer breached.
  const breached = new Set(evaluation.conditions.map((c) => `${c.rule}|${c.conditionKey}|${c.periodKey}`));
  let recovered = 0;
  for (const { rule, periodKey } of evaluation.evaluated) {
    const open = await db.prisma.alertEvent.findMany({
      where: {
        workspaceId,
        rule,
        periodKey,
        recoveredAt: null,
        OR: [{ conditionKey: evaluation.scopeKey }, { conditionKey: { startsWith: `${evaluation.scopeKey}/` } }],
      },
      select: { id: true, conditionKey: true },
    });
    const gone = open.filter((e) => !breached.has(`${rule}|${e.conditionKey}|${periodKey}`)).map((e) => e.id);
    if (gone.length === 0) continue;
    const res = await db.prisma.alertEvent.updateMany({ where: { id: { in: gone }, recoveredAt: null }, data: { recoveredAt: now } });
    recovered += res.count;
  }
  return { fired, active, snoozed, recovered };
}
