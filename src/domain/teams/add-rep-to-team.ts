import { AppError } from '../../errors.js';
import type { Rep, SalesTeam } from '../../storage/models.js';
import { inTransaction, type Db } from '../../storage/db.js';
import { repForUpdate, updateRep } from '../../storage/queries/members.js';
import { writeAudit } from '../deals/write-audit.js';
import { oncePerRequest } from '../once-per-request.js';
import { assertCanManageTeams } from './create-team.js';

export interface TAddRepToTeamResult {
  rep: Rep;
  /** The team the rep was in before (null: none). */
  previousTeamId: number | null;
  changed: boolean;
}

/**
 * Puts a rep in a team (managers and admins), moving them out of their previous one: a rep
 * belongs to one team at a time. Team scopes and team quotas follow the rep's current team.
 * Once per delivery (`requestKey`; one key per rep when a request adds several).
 *
 * @example
 * await addRepToTeam({ db, actor, rep: dana, team: north, now });
 */
export async function addRepToTeam(opts: { db: Db; actor: Rep; rep: Rep; team: SalesTeam; now: Date; requestKey?: string | null }): Promise<TAddRepToTeamResult> {
  const { db, actor, rep, team, now, requestKey } = opts;
  assertCanManageTeams(actor);
  if (rep.workspaceId !== actor.workspaceId || team.workspaceId !== actor.workspaceId) {
    throw new AppError('NOT_FOUND', 'That rep or team is not part of this workspace.', { i18n: { key: 'error.team.notInWorkspace' } });
  }
  const write = () =>
    inTransaction(db, async (tx): Promise<TAddRepToTeamResult> => {
      const current = await repForUpdate(tx, rep.id);
      if (current.teamId === team.id) return { rep: current, previousTeamId: current.teamId, changed: false };
      const updated = await updateRep(tx, rep.id, { teamId: team.id }, now);
      await writeAudit(tx, { workspaceId: rep.workspaceId, actor, entity: 'rep', entityId: rep.id, action: 'update', before: { teamId: current.teamId }, after: { teamId: team.id }, now, requestKey });
      return { rep: updated, previousTeamId: current.teamId, changed: true };
    });
  // "Already in the team" may be a concurrent duplicate that got there first: check the key.
  return oncePerRequest({ db, workspaceId: rep.workspaceId, requestKey, now }, write, (r) => !r.changed);
}
