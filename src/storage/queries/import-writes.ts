import type { Tx } from '../db.js';
import type { SqlRunner } from '../bulk-insert.js';
import type { Workspace } from '../models.js';

/**
 * The statements of a CSV import (src/domain/imports/import-deals.ts) besides the bulk inserts of
 * bulk-insert.ts: what exists already (deals by external id, teams, reps, rates), a rep's team, the
 * import's own audit entry, and the workspace it writes into. Each takes the runner of the import's
 * transaction (or the database, for the dry run's plan).
 */
type TRunner = Pick<SqlRunner, 'query' | 'execute'>;

/** Stored deals of these external ids (at most a few hundred per call: the caller chunks). */
export function dealsByExternalIds(run: TRunner, workspaceId: number, externalIds: readonly string[]): Promise<Array<Record<string, unknown>>> {
  return run.query(
    `SELECT "id", "externalId", "ownerId", "customer", "customerKey", "amountMinor", "currency", "amountReportingMinor", "type", "stage", "maxStageIndex", "status",
            "discountMinor", "discountReportingMinor", "lostReason", "recurringMonthlyMinor", "recurringReportingMinor", "subscriptionStart", "subscriptionEnd", "notes",
            "createdAt", "closedAt", "source"
       FROM "Deal" WHERE "workspaceId" = ? AND "externalId" IN (${externalIds.map(() => '?').join(', ')})`,
    [workspaceId, ...externalIds],
  );
}

export interface TImportLookups {
  teams: Array<Record<string, unknown>>;
  reps: Array<Record<string, unknown>>;
  rates: Array<Record<string, unknown>>;
}

/** The workspace's teams (id, name), reps (id, importKey, slackUserId, name, teamId) and rates. */
export async function importLookups(run: TRunner, workspaceId: number): Promise<TImportLookups> {
  return {
    teams: await run.query(`SELECT "id", "name" FROM "SalesTeam" WHERE "workspaceId" = ?`, [workspaceId]),
    reps: await run.query(`SELECT "id", "importKey", "slackUserId", "name", "teamId" FROM "Rep" WHERE "workspaceId" = ?`, [workspaceId]),
    rates: await run.query(`SELECT "fromCurrency", "rate" FROM "CurrencyRate" WHERE "workspaceId" = ?`, [workspaceId]),
  };
}

export async function setRepTeam(run: TRunner, repId: number, teamId: number | null, now: Date): Promise<void> {
  await run.execute(`UPDATE "Rep" SET "teamId" = ?, "updatedAt" = ? WHERE "id" = ?`, [teamId, now, repId]);
}

/** The import's audit entry (entity `import`): what the file changed, for the audit trail. */
export async function insertImportAudit(run: TRunner, workspaceId: number, summary: unknown, now: Date): Promise<void> {
  await run.execute(
    `INSERT INTO "AuditEntry" ("workspaceId", "actorRepId", "actorSlackUserId", "entity", "entityId", "action", "before", "after", "createdAt") VALUES (?, NULL, NULL, 'import', 0, 'create', NULL, ?, ?)`,
    [workspaceId, JSON.stringify(summary), now],
  );
}

/** The workspace of a Slack team inside the import's transaction, created with these settings when missing. */
export async function workspaceForImport(tx: Tx, slackTeamId: string, settings: { name: string; currency: string; timeZone: string }, now: Date): Promise<Workspace> {
  return (
    (await tx.workspace.findUnique({ where: { slackTeamId } })) ??
    (await tx.workspace.create({ data: { slackTeamId, name: settings.name, currency: settings.currency, timeZone: settings.timeZone, createdAt: now } }))
  );
}
