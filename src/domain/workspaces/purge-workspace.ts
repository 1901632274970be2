import type { Db } from '../../storage/db.js';
import {
  countWorkspaceRows,
  deleteWorkspaceBatch,
  expiredInstallations,
  isInstallationExpired,
  WORKSPACE_TABLES,
  workspaceIdBySlackTeam,
  type TWorkspaceScope,
} from '../../storage/queries/workspace-data.js';

/**
 * Deleting a workspace's data (issue #11): every table of the storage catalogue, its workspace
 * install (sealed tokens), its CRM connection (sealed credentials, cursor, stage and owner maps).
 * In-memory caches need nothing: they are keyed by the workspace row id, and ids are never reused
 * (SQLite AUTOINCREMENT, PostgreSQL sequences). An org-wide (`enterprise:E…`) install serves other
 * workspaces too and is not touched by a workspace purge.
 */

export interface TTableCount {
  table: string;
  rows: number;
}

async function scopeOf(db: Db, slackTeamId: string): Promise<TWorkspaceScope> {
  return { workspaceId: await workspaceIdBySlackTeam(db, slackTeamId), installKey: `team:${slackTeamId}` };
}

/** How many rows of each table a purge of that team would delete (the dry run). */
export async function countWorkspaceData(opts: { db: Db; slackTeamId: string }): Promise<TTableCount[]> {
  return countWorkspaceRows(opts.db, await scopeOf(opts.db, opts.slackTeamId));
}

export interface PurgeWorkspaceOptions {
  db: Db;
  slackTeamId: string;
  /** Rows per delete statement (each its own transaction). */
  batchSize?: number;
  onProgress?: (table: string, deleted: number) => void;
}

/**
 * Deletes everything of the workspace with that Slack team id, children before parents, in
 * batches that each commit on their own: an interrupted purge leaves no dangling row and a second
 * run finishes it. Running it on a purged (or unknown) workspace deletes nothing. Returns the rows
 * deleted per table.
 */
export async function purgeWorkspace(opts: PurgeWorkspaceOptions): Promise<TTableCount[]> {
  const batch = opts.batchSize ?? 5000;
  const scope = await scopeOf(opts.db, opts.slackTeamId);
  const out: TTableCount[] = [];
  for (const table of WORKSPACE_TABLES) {
    let rows = 0;
    for (;;) {
      const n = await deleteWorkspaceBatch(opts.db, table, scope, batch);
      rows += n;
      if (n > 0) opts.onProgress?.(table, rows);
      if (n < batch) break;
    }
    out.push({ table, rows });
  }
  return out;
}

export interface PurgeExpiredOptions {
  db: Db;
  now: Date;
  retentionDays: number;
  dryRun?: boolean;
  batchSize?: number;
}

export interface TExpiredPurge {
  installKey: string;
  teamId: string | null;
  uninstalledAt: Date;
  /** Rows deleted (or, on a dry run, that would be) per table. */
  tables: TTableCount[];
}

/**
 * Purges the workspaces whose installation has been inactive (uninstalled) for longer than the
 * retention period: `uninstalledAt` before `now` − `retentionDays`. Each installation is checked
 * again right before its purge, so one reinstalled meanwhile keeps its data. An expired org-wide
 * install loses only its own row (its workspaces are purged one by one with `--workspace`).
 */
export async function purgeExpiredWorkspaces(opts: PurgeExpiredOptions): Promise<TExpiredPurge[]> {
  const cutoff = new Date(opts.now.getTime() - opts.retentionDays * 86_400_000);
  const out: TExpiredPurge[] = [];
  for (const install of await expiredInstallations(opts.db, cutoff)) {
    const teamId = install.installKey.startsWith('team:') ? install.installKey.slice('team:'.length) : null;
    if (teamId === null) {
      // Org-wide install: only the installation row (sealed tokens) is its own.
      const scope = { workspaceId: null, installKey: install.installKey };
      const tables = opts.dryRun ? (await countWorkspaceRows(opts.db, scope)).filter((t) => t.rows > 0) : [];
      if (!opts.dryRun && (await isInstallationExpired(opts.db, install.installKey, cutoff))) {
        tables.push({ table: 'SlackInstallation', rows: await deleteWorkspaceBatch(opts.db, 'SlackInstallation', scope, 1) });
      }
      out.push({ installKey: install.installKey, teamId: null, uninstalledAt: install.uninstalledAt, tables });
      continue;
    }
    if (opts.dryRun) {
      out.push({ installKey: install.installKey, teamId, uninstalledAt: install.uninstalledAt, tables: await countWorkspaceData({ db: opts.db, slackTeamId: teamId }) });
      continue;
    }
    if (!(await isInstallationExpired(opts.db, install.installKey, cutoff))) continue;
    const tables = await purgeWorkspace({ db: opts.db, slackTeamId: teamId, ...(opts.batchSize ? { batchSize: opts.batchSize } : {}) });
    out.push({ installKey: install.installKey, teamId, uninstalledAt: install.uninstalledAt, tables });
  }
  return out;
}
