import type { Db, Tx } from '../db.js';
import type { Rep, SalesTeam, Workspace } from '../models.js';
import { readRows, rowOf, type TColumnKind } from './deal-writes.js';

// Reps, teams, conversion rates and workspace settings: the rows the member and admin use cases
// (domain/workspaces/, domain/teams/) change inside their transactions.

/** The rep row as it is now (inside the caller's transaction); throws when it is gone. */
export async function repForUpdate(tx: Tx, repId: number): Promise<Rep> {
  return tx.rep.findUniqueOrThrow({ where: { id: repId } });
}

/** Sets these fields of a rep (`updatedAt` = now). */
export async function updateRep(tx: Tx, repId: number, fields: { teamId?: number | null; role?: string }, now: Date): Promise<Rep> {
  return tx.rep.update({ where: { id: repId }, data: { ...fields, updatedAt: now } });
}

/** How many admins the workspace has. */
export async function adminCount(tx: Tx, workspaceId: number): Promise<number> {
  return tx.rep.count({ where: { workspaceId, role: 'admin' } });
}

/** The names of the workspace's teams. */
export async function teamNames(tx: Tx, workspaceId: number): Promise<string[]> {
  const rows = await tx.salesTeam.findMany({ where: { workspaceId }, select: { name: true } });
  return rows.map((r) => r.name);
}

/** Creates a team. */
export async function insertTeam(tx: Tx, workspaceId: number, name: string, now: Date): Promise<SalesTeam> {
  return tx.salesTeam.create({ data: { workspaceId, name, createdAt: now } });
}

/** Creates or replaces the rate of one currency; the row id. */
export async function upsertCurrencyRate(tx: Tx, workspaceId: number, fromCurrency: string, rate: number, now: Date): Promise<number> {
  const row = await tx.currencyRate.upsert({
    where: { workspaceId_fromCurrency: { workspaceId, fromCurrency } },
    create: { workspaceId, fromCurrency, rate, updatedAt: now },
    update: { rate, updatedAt: now },
    select: { id: true },
  });
  return row.id;
}

/** What the workspace holds in its reporting currency (deals, quotas, rates, refunds). */
export async function amountsHeld(tx: Tx, workspaceId: number): Promise<{ deals: number; quotas: number; rates: number; refunds: number }> {
  const where = { workspaceId };
  const [deals, quotas, rates, refunds] = await Promise.all([tx.deal.count({ where }), tx.quota.count({ where }), tx.currencyRate.count({ where }), tx.refund.count({ where })]);
  return { deals, quotas, rates, refunds };
}

/** Sets workspace settings (`updatedAt` = now). */
export async function updateWorkspaceSettingsRow(tx: Tx, workspaceId: number, patch: { timeZone?: string; currency?: string; fiscalYearStartMonth?: number; language?: string }, now: Date): Promise<Workspace> {
  return tx.workspace.update({ where: { id: workspaceId }, data: { ...patch, updatedAt: now } });
}

/** Creates a workspace. */
export async function insertWorkspace(tx: Tx, w: { slackTeamId: string; timeZone: string; currency: string; installerUserId: string }): Promise<Workspace> {
  return tx.workspace.create({ data: w });
}

/** Sets (or clears with null) a rep's own language choice. */
export async function updateRepLanguage(tx: Tx, repId: number, language: string | null, now: Date): Promise<Rep> {
  return tx.rep.update({ where: { id: repId }, data: { language, updatedAt: now } });
}

/** Creates a rep. */
export async function insertRep(tx: Tx, r: { workspaceId: number; slackUserId: string; name: string; role: string; timeZone: string | null; slackLocale?: string | null }): Promise<Rep> {
  return tx.rep.create({ data: r });
}

// Who is behind a Slack request: the read every request makes when the member cache misses, on
// the driver with the statement prepared once (see storage/direct-sql.ts).

const WORKSPACE_COLUMNS = {
  id: 'int',
  slackTeamId: 'text',
  name: 'text',
  timeZone: 'text',
  currency: 'text',
  fiscalYearStartMonth: 'int',
  language: 'text',
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
  language: 'text',
  slackLocale: 'text',
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
