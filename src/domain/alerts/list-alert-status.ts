import type { AlertEvent, AlertSnooze, Workspace } from '../../storage/models.js';
import type { Db } from '../../storage/db.js';
import { recentActiveAlertEvents, runningAlertSnoozes, teamNamesByIds } from '../../storage/queries/alerts.js';
import { loadAlertSettings, type TAlertSettings } from './load-alert-settings.js';

/** How far back an unrecovered event still counts as "currently active" (older periods are not re-evaluated). */
export const ACTIVE_ALERT_WINDOW_MS = 35 * 24 * 3_600_000;

export interface TAlertStatus {
  readonly settings: TAlertSettings;
  readonly alertsChannelId: string | null;
  /** Snoozes still running, soonest end first. */
  readonly snoozes: readonly AlertSnooze[];
  /** Unrecovered events fired within the window, newest first (at most `limit`). */
  readonly active: readonly AlertEvent[];
  /** All unrecovered events within the window. */
  readonly activeTotal: number;
  /** Names of the teams team-scoped active events refer to (condition keys `team:<id>…`). */
  readonly teamNames: Readonly<Record<number, string>>;
}

/**
 * What `/kpi alerts` shows: each rule's threshold and on/off, running snoozes, the alerts channel
 * and the currently active alerts (fired, not recovered, within the last 35 days).
 *
 * @example
 * const status = await listAlertStatus({ db, workspace, now: new Date() });
 * status.active.map((e) => e.message);
 */
export async function listAlertStatus({ db, workspace, now, limit = 15 }: { db: Db; workspace: Workspace; now: Date; limit?: number }): Promise<TAlertStatus> {
  const since = new Date(now.getTime() - ACTIVE_ALERT_WINDOW_MS);
  const [settings, snoozes, { events: active, total: activeTotal }] = await Promise.all([
    loadAlertSettings({ db, workspace }),
    runningAlertSnoozes(db, workspace.id, now),
    recentActiveAlertEvents(db, workspace.id, since, limit),
  ]);
  const teamIds = [...new Set(active.map((e) => /^team:(\d+)/.exec(e.conditionKey)?.[1]).filter((x): x is string => x !== undefined).map(Number))];
  const teamNames = await teamNamesByIds(db, workspace.id, teamIds);
  return { settings, alertsChannelId: workspace.alertsChannelId, snoozes, active, activeTotal, teamNames };
}
