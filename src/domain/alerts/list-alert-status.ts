import type { AlertEvent, AlertSnooze, Workspace } from '../../storage/models.js';
import type { Db } from '../../storage/db.js';
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
  const activeWhere = { workspaceId: workspace.id, recoveredAt: null, firedAt: { gte: since } };
  const [settings, snoozes, active, activeTotal] = await Promise.all([
    loadAlertSettings({ db, workspace }),
    db.prisma.alertSnooze.findMany({ where: { workspaceId: workspace.id, until: { gt: now } }, orderBy: { until: 'asc' } }),
    db.prisma.alertEvent.findMany({ where: activeWhere, orderBy: [{ firedAt: 'desc' }, { id: 'desc' }], take: limit }),
    db.prisma.alertEvent.count({ where: activeWhere }),
  ]);
  const teamIds = [...new Set(active.map((e) => /^team:(\d+)/.exec(e.conditionKey)?.[1]).filter((x): x is string => x !== undefined).map(Number))];
  const teams = teamIds.length ? await db.prisma.salesTeam.findMany({ where: { workspaceId: workspace.id, id: { in: teamIds } }, select: { id: true, name: true } }) : [];
  const teamNames = Object.fromEntries(teams.map((t) => [t.id, t.name]));
  return { settings, alertsChannelId: workspace.alertsChannelId, snoozes, active, activeTotal, teamNames };
}
