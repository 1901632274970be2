import type { Db } from '../../storage/db.js';
import { alertEventKey, alertEventsOf, insertAlertEvents, recoverAlertEvents, refireAlertEvent } from '../../storage/queries/alert-events.js';
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
 * await postFiredAlerts({ db, deliver, workspace, fired, logger, now });
 */
export async function fireAlerts({ db, evaluation, now }: { db: Db; evaluation: TAlertEvaluation; now: Date }): Promise<TFireAlertsResult> {
  const workspaceId = evaluation.workspaceId;
  const snoozed = evaluation.conditions.filter((c) => c.snoozedUntil !== null && c.snoozedUntil > now);
  const live = evaluation.conditions.filter((c) => !(c.snoozedUntil !== null && c.snoozedUntil > now));
  // One read of the events of the evaluated rules and periods: most conditions of a recurring
  // check are already active and need no write at all.
  const pairs = [...evaluation.evaluated, ...live.map((c) => ({ rule: c.rule, periodKey: c.periodKey }))];
  const existing = await alertEventsOf(db, workspaceId, pairs);
  const byKey = new Map(existing.map((e) => [alertEventKey(e), e]));
  const inserted = await insertAlertEvents(
    db,
    workspaceId,
    live.filter((c) => !byKey.has(alertEventKey(c))),
    now,
  );

  const fired: TFiredAlert[] = [];
  const active: TFiredAlert[] = [];
  const done = new Map<string, number>();
  for (const c of live) {
    const key = alertEventKey(c);
    const seen = done.get(key);
    if (seen !== undefined) {
      active.push({ ...c, eventId: seen, refired: false });
      continue;
    }
    const known = byKey.get(key);
    const newId = inserted.get(key);
    if (newId !== undefined) {
      fired.push({ ...c, eventId: newId, refired: false });
      done.set(key, newId);
    } else if (known && !known.recovered) {
      active.push({ ...c, eventId: known.id, refired: false });
      done.set(key, known.id);
    } else {
      // Recovered earlier (fires again), or inserted meanwhile by another caller.
      const event = await refireAlertEvent(db, workspaceId, c, now);
      if (!event) continue; // deleted meanwhile (workspace removed)
      (event.refired ? fired : active).push({ ...c, eventId: event.id, refired: event.refired });
      done.set(key, event.id);
    }
  }

  // Recovery: the evaluated rules' active events in this scope and period that are no longer breached.
  const breached = new Set(evaluation.conditions.map(alertEventKey));
  const evaluated = new Set(evaluation.evaluated.map((e) => `${e.rule}|${e.periodKey}`));
  const inScope = (conditionKey: string) => conditionKey === evaluation.scopeKey || conditionKey.startsWith(`${evaluation.scopeKey}/`);
  const gone = existing.filter((e) => !e.recovered && evaluated.has(`${e.rule}|${e.periodKey}`) && inScope(e.conditionKey) && !breached.has(alertEventKey(e))).map((e) => e.id);
  const recovered = await recoverAlertEvents(db, gone, now);
  return { fired, active, snoozed, recovered };
}
