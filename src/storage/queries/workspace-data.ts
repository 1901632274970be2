import type { Db } from '../db.js';
import { toNullableDate } from '../db.js';

// Everything a workspace owns, table by table (issue #11: export and purge). One catalogue serves
// both, so a table added to the schema is added here once; test/db/workspace-data.test.ts fails
// when a model of prisma/models.prisma.part is missing from it.

/** How a column comes back from the two drivers, and how it is normalised. */
export type TColumnKind = 'int' | 'bigint' | 'text' | 'date' | 'bool' | 'float';

/** A value as export sees it, the same on both engines. */
export type TCellValue = number | bigint | string | boolean | Date | null;

export interface TExportColumn {
  /** CSV header. */
  name: string;
  /** SQL expression over the table alias `t` (or a joined alias). */
  sql: string;
  kind: TColumnKind;
}

/**
 * Which value identifies the workspace's rows: the workspace id, the installation key `team:T…`, or
 * the Slack team id itself (`T…`, taken from that key).
 */
type TScope = 'workspace' | 'install' | 'team';

interface TTableSpec {
  /** Prisma model (= table) name. */
  table: string;
  /** What the export writes it as (`deals` → deals.csv); null: purged but never exported (secrets, routing records). */
  file: string | null;
  /** The row key purge batches by; default `id`. */
  key?: string;
  scope: TScope;
  /** Restricts `t` to the workspace; one `?` for the scope value. */
  where: string;
  /** Extra joins for export columns. */
  joins?: string;
  columns: TExportColumn[];
}

const q = (name: string): string => `"${name}"`;

/** `'id:int workspaceId:int name:text'` → columns of `t` with snake_case headers. */
function cols(list: string): TExportColumn[] {
  return list
    .trim()
    .split(/\s+/)
    .map((entry) => {
      const [column, kind] = entry.split(':') as [string, TColumnKind];
      return { name: column.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), sql: `t.${q(column)}`, kind };
    });
}

const OF_WORKSPACE = 't."workspaceId" = ?';

/**
 * The tables in purge order (children before parents; the installation last, so an interrupted
 * `purge --expired` still finds it and finishes on the next run). Left out of exports: sealed credentials and
 * tokens (`CrmConnection.credentials`, `SlackInstallation.botToken`/`botRefreshToken`), the Pipedrive
 * webhook password hash, and the in-flight Salesforce OAuth states (a state hash and a sealed verifier,
 * nothing else).
 */
const TABLES: readonly TTableSpec[] = [
  {
    table: 'DigestSlot',
    file: 'digest_slots',
    scope: 'workspace',
    where: 't."subscriptionId" IN (SELECT s."id" FROM "DigestSubscription" s WHERE s."workspaceId" = ?)',
    columns: cols('id:int subscriptionId:int scheduledFor:date status:text claimedBy:text leaseUntil:date attempts:int late:bool sentAt:date messageTs:text error:text createdAt:date updatedAt:date'),
  },
  {
    table: 'CrmStageMap',
    file: 'crm_stage_maps',
    scope: 'workspace',
    where: 't."connectionId" IN (SELECT c."id" FROM "CrmConnection" c WHERE c."workspaceId" = ?)',
    columns: cols('id:int connectionId:int crmStageId:text pipelineId:text label:text target:text edited:bool updatedAt:date'),
  },
  {
    table: 'CrmOwnerMap',
    file: 'crm_owner_maps',
    scope: 'workspace',
    where: 't."connectionId" IN (SELECT c."id" FROM "CrmConnection" c WHERE c."workspaceId" = ?)',
    columns: cols('id:int connectionId:int crmOwnerId:text email:text repId:int updatedAt:date'),
  },
  {
    table: 'SubscriptionChange',
    file: 'subscription_changes',
    scope: 'workspace',
    where: OF_WORKSPACE,
    columns: cols('id:int dealId:int effectiveAt:date monthlyMinor:bigint currency:text monthlyReportingMinor:bigint sourceDealId:int externalId:text createdById:int createdAt:date'),
  },
  {
    table: 'Refund',
    file: 'refunds',
    scope: 'workspace',
    where: OF_WORKSPACE,
    columns: cols('id:int dealId:int amountMinor:bigint currency:text amountReportingMinor:bigint reason:text recordedAt:date createdById:int source:text externalId:text'),
  },
  {
    table: 'DealStageChange',
    file: 'deal_stage_changes',
    scope: 'workspace',
    where: OF_WORKSPACE,
    columns: cols('id:int dealId:int fromStage:text toStage:text changedAt:date changedById:int'),
  },
  {
    table: 'AuditEntry',
    file: 'audit_entries',
    scope: 'workspace',
    where: OF_WORKSPACE,
    columns: cols('id:int actorRepId:int actorSlackUserId:text entity:text entityId:int action:text before:text after:text createdAt:date undoneAt:date'),
  },
  {
    table: 'Delivery',
    file: 'deliveries',
    scope: 'workspace',
    where: OF_WORKSPACE,
    columns: cols('id:int channelId:text kind:text refId:int status:text attempts:int error:text messageTs:text createdAt:date'),
  },
  {
    table: 'AlertEvent',
    file: 'alert_events',
    scope: 'workspace',
    where: OF_WORKSPACE,
    columns: cols('id:int rule:text conditionKey:text periodKey:text value:float threshold:float message:text firedAt:date recoveredAt:date postedAt:date'),
  },
  { table: 'AlertSnooze', file: 'alert_snoozes', scope: 'workspace', where: OF_WORKSPACE, columns: cols('id:int rule:text conditionKey:text until:date bySlackUserId:text createdAt:date') },
  { table: 'AlertSetting', file: 'alert_settings', scope: 'workspace', where: OF_WORKSPACE, columns: cols('id:int rule:text threshold:float enabled:bool updatedAt:date') },
  { table: 'CurrencyRate', file: 'currency_rates', scope: 'workspace', where: OF_WORKSPACE, columns: cols('id:int fromCurrency:text rate:float updatedAt:date') },
  {
    table: 'LeadCount',
    file: 'lead_counts',
    scope: 'workspace',
    where: OF_WORKSPACE,
    columns: cols('id:int repId:int teamId:int periodStart:date periodEnd:date count:int source:text scopeKey:text createdAt:date updatedAt:date setById:int'),
  },
  {
    table: 'Quota',
    file: 'quotas',
    scope: 'workspace',
    where: OF_WORKSPACE,
    columns: cols('id:int repId:int teamId:int periodKind:text periodStart:date periodEnd:date amountMinor:bigint currency:text setById:int createdAt:date updatedAt:date'),
  },
  {
    table: 'DigestSubscription',
    file: 'digest_subscriptions',
    scope: 'workspace',
    where: OF_WORKSPACE,
    columns: cols('id:int channelId:text weekday:int localTime:text timeZone:text kpis:text teamId:int createdBySlackUserId:text active:bool disabledReason:text createdAt:date updatedAt:date'),
  },
  { table: 'CrmOAuthState', file: null, scope: 'workspace', where: OF_WORKSPACE, columns: [] },
  { table: 'CrmSettings', file: 'crm_settings', scope: 'workspace', where: OF_WORKSPACE, columns: cols('id:int writeBack:bool hubspotPortalId:text webhookUser:text updatedAt:date') },
  {
    table: 'CrmConnection',
    file: 'crm_connections',
    scope: 'workspace',
    where: OF_WORKSPACE,
    columns: cols(
      'id:int vendor:text baseUrl:text appUrl:text cursor:text status:text lastSyncStartedAt:date lastSyncAt:date lastSuccessAt:date lastError:text errorNotifiedAt:date failures:int nextAttemptAt:date dealsSynced:int removals:int usage:text createdAt:date updatedAt:date',
    ),
  },
  {
    table: 'Deal',
    file: 'deals',
    scope: 'workspace',
    where: OF_WORKSPACE,
    joins: 'LEFT JOIN "Rep" o ON o."id" = t."ownerId"',
    columns: [
      ...cols('id:int externalId:text source:text customer:text'),
      ...cols('ownerId:int'),
      { name: 'owner_name', sql: 'o."name"', kind: 'text' },
      { name: 'owner_slack_user_id', sql: 'o."slackUserId"', kind: 'text' },
      ...cols(
        'status:text stage:text maxStageIndex:int type:text amountMinor:bigint currency:text amountReportingMinor:bigint discountMinor:bigint discountReportingMinor:bigint recurringMonthlyMinor:bigint recurringReportingMinor:bigint subscriptionStart:date subscriptionEnd:date createdAt:date closedAt:date updatedAt:date lostReason:text leadSource:text notes:text channelId:text',
      ),
    ],
  },
  { table: 'Rep', file: 'reps', scope: 'workspace', where: OF_WORKSPACE, columns: cols('id:int slackUserId:text importKey:text name:text role:text teamId:int timeZone:text language:text slackLocale:text createdAt:date updatedAt:date') },
  { table: 'SalesTeam', file: 'teams', scope: 'workspace', where: OF_WORKSPACE, columns: cols('id:int name:text createdAt:date') },
  {
    table: 'Workspace',
    file: 'workspace',
    scope: 'workspace',
    where: 't."id" = ?',
    columns: cols(
      'id:int slackTeamId:text name:text timeZone:text currency:text fiscalYearStartMonth:int funnelStages:text attainmentLowBp:int attainmentHighBp:int paceOnTrackBp:int paceAtRiskBp:int oversizeMultiplePct:int alertsChannelId:text installerUserId:text historyVersion:int language:text createdAt:date updatedAt:date',
    ),
  },
  // Which org-wide install serves the workspace: routing, not the team's data, so purged, not exported.
  { table: 'SlackOrgTeam', file: null, scope: 'team', key: 'teamId', where: 't."teamId" = ?', columns: [] },
  {
    table: 'SlackInstallation',
    file: 'slack_installation',
    scope: 'install',
    where: 't."installKey" = ?',
    columns: cols('id:int installKey:text teamId:text teamName:text enterpriseId:text enterpriseName:text isEnterpriseInstall:bool appId:text botTokenExpiresAt:date botId:text botUserId:text botScopes:text installerUserId:text active:bool installedAt:date uninstalledAt:date updatedAt:date'),
  },
];

/** Every table the catalogue covers, in purge order. */
export const WORKSPACE_TABLES: readonly string[] = TABLES.map((t) => t.table);

/** The exported tables in a stable order (parents first, as a reader would load them). */
export const EXPORT_TABLES: ReadonlyArray<{ table: string; file: string; columns: readonly TExportColumn[] }> = [...TABLES]
  .reverse()
  .filter((t): t is TTableSpec & { file: string } => t.file !== null)
  .map((t) => ({ table: t.table, file: t.file, columns: t.columns }));

/** Whose rows: the workspace row id (null when there is no Workspace row) and the installation key. */
export interface TWorkspaceScope {
  workspaceId: number | null;
  installKey: string;
}

function specOf(table: string): TTableSpec {
  const spec = TABLES.find((t) => t.table === table);
  if (!spec) throw new Error(`unknown table ${table}`);
  return spec;
}

function scopeValue(spec: TTableSpec, scope: TWorkspaceScope): number | string | null {
  if (spec.scope === 'install') return scope.installKey;
  if (spec.scope === 'team') return scope.installKey.startsWith('team:') ? scope.installKey.slice('team:'.length) : null;
  return scope.workspaceId;
}

function normalise(kind: TColumnKind, v: unknown): TCellValue {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'int':
    case 'float':
      return typeof v === 'number' ? v : Number(v);
    case 'bigint':
      return typeof v === 'bigint' ? v : BigInt(String(v));
    case 'bool':
      return v === true || v === 1 || v === 1n || v === 't';
    case 'date':
      return toNullableDate(v);
    case 'text':
      return String(v);
  }
}

/** The workspace row id of a Slack team id, or null. */
export async function workspaceIdBySlackTeam(db: Db, slackTeamId: string): Promise<number | null> {
  const row = await db.prisma.workspace.findUnique({ where: { slackTeamId }, select: { id: true } });
  return row?.id ?? null;
}

/**
 * One keyset page of a table's rows of the workspace, after row id `afterId`, ordered by id; values
 * normalised (bigint for BigInt columns, Date for dates, boolean for booleans) on both engines.
 */
export async function exportPage(db: Db, table: string, scope: TWorkspaceScope, afterId: number, limit: number): Promise<Array<{ id: number; values: TCellValue[] }>> {
  const spec = specOf(table);
  const value = scopeValue(spec, scope);
  if (value === null || spec.file === null) return [];
  const select = spec.columns.map((c, i) => `${c.sql} AS c${i}`).join(', ');
  const rows = await db.query<Record<string, unknown>>(
    `SELECT t."id" AS row_id, ${select} FROM ${q(spec.table)} t ${spec.joins ?? ''} WHERE ${spec.where} AND t."id" > ? ORDER BY t."id" LIMIT ?`,
    [value, afterId, limit],
  );
  return rows.map((r) => ({ id: Number(r['row_id']), values: spec.columns.map((c, i) => normalise(c.kind, r[`c${i}`])) }));
}

/** How many rows of each table belong to the workspace (every table of the catalogue). */
export async function countWorkspaceRows(db: Db, scope: TWorkspaceScope): Promise<Array<{ table: string; rows: number }>> {
  const out: Array<{ table: string; rows: number }> = [];
  for (const spec of TABLES) {
    const value = scopeValue(spec, scope);
    if (value === null) {
      out.push({ table: spec.table, rows: 0 });
      continue;
    }
    const [row] = await db.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${q(spec.table)} t WHERE ${spec.where}`, [value]);
    out.push({ table: spec.table, rows: Number(row?.n ?? 0) });
  }
  return out;
}

/**
 * Deletes up to `limit` rows of one table of the workspace (one statement, so one transaction of
 * its own); returns how many. Called until it returns 0, table by table in `WORKSPACE_TABLES`
 * order: an interrupted purge leaves a consistent database and runs again from where it stopped.
 */
export async function deleteWorkspaceBatch(db: Db, table: string, scope: TWorkspaceScope, limit: number): Promise<number> {
  const spec = specOf(table);
  const value = scopeValue(spec, scope);
  if (value === null) return 0;
  const key = q(spec.key ?? 'id');
  return db.execute(`DELETE FROM ${q(spec.table)} WHERE ${key} IN (SELECT t.${key} FROM ${q(spec.table)} t WHERE ${spec.where} LIMIT ?)`, [value, limit]);
}

/** Installation keys of workspace installs uninstalled before `cutoff` and still inactive. */
export async function expiredInstallations(db: Db, cutoff: Date): Promise<Array<{ installKey: string; teamId: string | null; uninstalledAt: Date }>> {
  const rows = await db.prisma.slackInstallation.findMany({
    where: { active: false, uninstalledAt: { lt: cutoff } },
    select: { installKey: true, teamId: true, uninstalledAt: true },
    orderBy: { id: 'asc' },
  });
  return rows.flatMap((r) => (r.uninstalledAt ? [{ installKey: r.installKey, teamId: r.teamId, uninstalledAt: r.uninstalledAt }] : []));
}

/** Whether the installation is (still) inactive since before `cutoff`: checked again right before a purge. */
export async function isInstallationExpired(db: Db, installKey: string, cutoff: Date): Promise<boolean> {
  const row = await db.prisma.slackInstallation.findUnique({ where: { installKey }, select: { active: true, uninstalledAt: true } });
  return row !== null && !row.active && row.uninstalledAt !== null && row.uninstalledAt < cutoff;
}
