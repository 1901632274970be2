import type { Db } from '../db.js';
import type { Rep, Workspace } from '../models.js';
import { readRows, rowOf, type TColumnKind } from './deal-writes.js';

// Who is behind a Slack request: the read every request makes when the member cache misses, on
// the driver with the statement prepared once (see storage/direct-sql.ts).

const WORKSPACE_COLUMNS = {
  id: 'int',
  slackTeamId: 'text',
  name: 'text',
  timeZone: 'text',
  currency: 'text',
  fiscalYearStartMonth: 'int',
  funnelStages: 'text',
  attainmentLowBp: 'int',
  attainmentHighBp: 'int',
  paceOnTrackBp: 'int',
  paceAtRiskBp: 'int',
  oversizeMultiplePct: 'int',
  alertsChannelId: 'text',
  installerUserId: 'text',
  historyVersion: 'int',
  createdAt: 'date',
  updatedAt: 'date',
} as const satisfies Record<keyof Workspace, TColumnKind>;

const REP_COLUMNS = {
  id: 'int',
  workspaceId: 'int',
  slackUserId: 'text',
  importKey: 'text',
  name: 'text',
  role: 'text',
  teamId: 'int',
  timeZone: 'text',
  createdAt: 'date',
  updatedAt: 'date',
} as const satisfies Record<keyof Rep, TColumnKind>;

const aliased = (table: string, columns: object, prefix: string) =>
  Object.keys(columns)
    .map((c) => `${table}."${c}" AS "${prefix}${c}"`)
    .join(', ');

const MEMBER_SQL = `SELECT ${aliased('w', WORKSPACE_COLUMNS, 'w_')}, ${aliased('r', REP_COLUMNS, 'r_')} FROM "Workspace" w LEFT JOIN "Rep" r ON r."workspaceId" = w."id" AND r."slackUserId" = ? WHERE w."slackTeamId" = ?`;

/** The workspace of a Slack team and the rep of a Slack user in it: nulls for whom the app has not met. One statement. */
export async function memberOfSlackUser(db: Db, slackTeamId: string, slackUserId: string): Promise<{ workspace: Workspace | null; rep: Rep | null }> {
  const row = (await readRows(db, { sql: MEMBER_SQL, params: [slackUserId, slackTeamId] }))[0];
  if (!row) return { workspace: null, rep: null };
  return { workspace: rowOf<Workspace>(WORKSPACE_COLUMNS, row, 'w_'), rep: row['r_id'] === null || row['r_id'] === undefined ? null : rowOf<Rep>(REP_COLUMNS, row, 'r_') };
}
