import { inTransaction, type Db } from '../../storage/db.js';
import { insertRep, insertWorkspace, memberOfSlackUser } from '../../storage/queries/members.js';
import { repOfSlackUser } from '../../storage/queries/lookups.js';
import { claimInstaller, workspaceOfSlackTeam } from '../../storage/queries/workspaces.js';
import type { Rep, Workspace } from '../../storage/models.js';

export type TRole = 'rep' | 'manager' | 'admin';

export interface TMemberProfile {
  name: string;
  timeZone: string | undefined;
  isSlackAdmin: boolean;
  /** Slack's locale of the person (users.info include_locale), kept for their private answers. */
  locale?: string | undefined;
}

export interface EnsureMemberOptions {
  db: Db;
  teamId: string;
  userId: string;
  /** Looks the user up in Slack; called only the first time this user is seen. */
  lookupProfile: () => Promise<TMemberProfile>;
  defaults: { timeZone: string; currency: string };
}

export interface TMember {
  workspace: Workspace;
  rep: Rep;
  created: boolean;
}

function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: string } | undefined)?.code === 'P2002';
}

/**
 * Finds or creates the workspace and the rep behind a Slack request. The first person the app
 * meets in a workspace (also one created by a CSV import) is recorded as its installer and made admin; Slack admins and owners are
 * admins too. Safe under concurrent first requests (unique keys, retry on conflict).
 *
 * @example
 * const { workspace, rep } = await ensureMember({ db, teamId: 'T1', userId: 'U1', lookupProfile, defaults });
 */
export async function ensureMember(opts: EnsureMemberOptions): Promise<TMember> {
  const { db, teamId, userId } = opts;
  const existing = await memberOfSlackUser(db, teamId, userId);
  if (existing.workspace && existing.rep) return { workspace: existing.workspace, rep: existing.rep, created: false };
  const profile = await opts.lookupProfile();
  for (let attempt = 0; ; attempt++) {
    try {
      return await inTransaction(db, async (tx) => {
        let workspace = await workspaceOfSlackTeam(tx, teamId);
        let installer = false;
        if (!workspace) {
          workspace = await insertWorkspace(tx, { slackTeamId: teamId, timeZone: opts.defaults.timeZone, currency: opts.defaults.currency, installerUserId: userId });
          installer = true;
        }
        const found = await repOfSlackUser(tx, workspace.id, userId);
        if (found) return { workspace, rep: found, created: false };
        if (!installer && workspace.installerUserId === null) {
          // A workspace created by a CSV import has no installer yet: the first Slack user to
          // arrive claims it (conditional update, so only one can), as if they had installed the app.
          installer = await claimInstaller(tx, workspace.id, userId);
        }
        const role: TRole = installer || profile.isSlackAdmin || workspace.installerUserId === userId ? 'admin' : 'rep';
        const rep = await insertRep(tx, { workspaceId: workspace.id, slackUserId: userId, name: profile.name, role, timeZone: profile.timeZone ?? null, slackLocale: profile.locale ?? null });
        return { workspace, rep, created: true };
      });
    } catch (e) {
      if (isUniqueViolation(e) && attempt < 3) continue;
      throw e;
    }
  }
}

export function roleOf(rep: Pick<Rep, 'role'>): TRole {
  return rep.role === 'admin' || rep.role === 'manager' ? rep.role : 'rep';
}

export function isManagerOrAdmin(rep: Pick<Rep, 'role'>): boolean {
  return roleOf(rep) !== 'rep';
}
