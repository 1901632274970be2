import type { Db } from '../../storage/db.js';
import { recordSlackOrgTeam, servedWorkspaceIds, slackIdsOfWorkspace } from '../../storage/queries/slack-installations.js';
import type { TSlackInstallQuery } from './slack-installation.js';

/**
 * The workspaces an active installation serves (OAuth mode): the scheduled jobs run for these only,
 * so an uninstalled workspace gets no digest, alert or CRM sync until it installs again.
 */
export async function listServedWorkspaceIds(opts: { db: Db }): Promise<Set<number>> {
  return new Set(await servedWorkspaceIds(opts.db));
}

/** The installation query for a stored workspace (its team, and its org when seen through one). */
export async function installQueryOfWorkspace(opts: { db: Db; workspaceId: number }): Promise<TSlackInstallQuery | null> {
  const ids = await slackIdsOfWorkspace(opts.db, opts.workspaceId);
  if (!ids) return null;
  return { teamId: ids.teamId, ...(ids.enterpriseId ? { enterpriseId: ids.enterpriseId } : {}) };
}

/** Remembers that a workspace belongs to an org whose org-wide install served it. */
export async function recordOrgWorkspace(opts: { db: Db; teamId: string; enterpriseId: string; now: Date }): Promise<void> {
  await recordSlackOrgTeam(opts.db, opts.teamId, opts.enterpriseId, opts.now);
}
