import type { Db } from '../../storage/db.js';
import { activeAlertEventsInScope, insertAlertEvent, markAlertEventsRecovered, refireRecoveredAlertEvent } from '../../storage/queries/alerts.js';
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
    const insertedId = await insertAlertEvent(db, workspaceId, c, now);
    if (insertedId !== null) {
      fired.push({ ...c, eventId: insertedId, refired: false });
      continue;
    }
    // A new alert when it had recovered: owed a post again (see alert-posting.ts).
    const event = await refireRecoveredAlertEvent(db, workspaceId, c, now);
    if (!event) continue; // deleted meanwhile (workspace removed)
    if (event.refired) fired.push({ ...c, eventId: event.id, refired: true });
    else active.push({ ...c, eventId: event.id, refired: false });
  }

  // Recovery: the evaluated rules' active events in this scope and period that are no longer breached.
  const breached = new Set(evaluation.conditions.map((c) => `${c.rule}|${c.conditionKey}|${c.periodKey}`));
  let recovered = 0;
  for (const { rule, periodKey } of evaluation.evaluated) {
    const open = await activeAlertEventsInScope(db, workspaceId, rule, periodKey, evaluation.scopeKey);
    const gone = open.filter((e) => !breached.has(`${rule}|${e.conditionKey}|${periodKey}`)).map((e) => e.id);
    recovered += await markAlertEventsRecovered(db, gone, now);
  }
  return { fired, active, snoozed, recovered };
}
