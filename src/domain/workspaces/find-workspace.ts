import type { Db } from '../../storage/db.js';
import type { Rep, Workspace } from '../../storage/models.js';
import { memberOfSlackUser } from '../../storage/queries/members.js';
import { claimWorkspaceInstaller, dealCount, insertDelivery, listWorkspaceRows, upsertWorkspace, workspaceOfSlackTeam, type TDeliveryRow } from '../../storage/queries/workspaces.js';

export type { TDeliveryRow };

/**
 * The workspace and rep behind a request if the app has met them; writes nothing.
 *
 * @example
 * await findKnownMember({ db, slackTeamId: 'T1', slackUserId: 'U1' }); // { workspace: null, rep: null } on first contact
 */
export function findKnownMember(opts: { db: Db; slackTeamId: string; slackUserId: string }): Promise<{ workspace: Workspace | null; rep: Rep | null }> {
  return memberOfSlackUser(opts.db, opts.slackTeamId, opts.slackUserId);
}

/**
 * The workspace a reader's request belongs to: recorded on first contact (with the reader as its
 * installer and the configured defaults); a workspace created by an import is claimed by its first
 * reader, as if they had installed the app (conditional, so only one can).
 */
export async function openWorkspaceForReader(opts: {
  db: Db;
  known: Workspace | null;
  slackTeamId: string;
  slackUserId: string;
  defaults: { timeZone: string; currency: string };
  now: Date;
}): Promise<Workspace> {
  const workspace =
    opts.known ??
    (await upsertWorkspace(opts.db, { slackTeamId: opts.slackTeamId, timeZone: opts.defaults.timeZone, currency: opts.defaults.currency, installerUserId: opts.slackUserId, now: opts.now }));
  if (workspace.installerUserId !== null) return workspace;
  return claimWorkspaceInstaller(opts.db, workspace.id, opts.slackUserId);
}

/** The workspace of a Slack team; NOT_FOUND-style throw is the caller's (null when unknown). */
export function findWorkspaceOfTeam(opts: { db: Db; slackTeamId: string }): Promise<Workspace | null> {
  return workspaceOfSlackTeam(opts.db, opts.slackTeamId);
}

/** Workspaces by id order: all, or those with `ids`. */
export function listWorkspaces(opts: { db: Db; ids?: readonly number[] | undefined }): Promise<Workspace[]> {
  return listWorkspaceRows(opts.db, opts.ids);
}

/** How many deals the workspace holds. */
export function countDeals(opts: { db: Db; workspaceId: number }): Promise<number> {
  return dealCount(opts.db, opts.workspaceId);
}

/** Records one delivery outcome (the Slack delivery queue reports each digest, alert and notice here). */
export function recordDelivery(opts: { db: Db; row: TDeliveryRow }): Promise<void> {
  return insertDelivery(opts.db, opts.row);
}
