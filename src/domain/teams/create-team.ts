import { AppError } from '../../errors.js';
import type { Rep, SalesTeam, Workspace } from '../../storage/models.js';
import { inTransaction, type Db } from '../../storage/db.js';
import { insertTeam, teamNames } from '../../storage/queries/members.js';
import { cleanName } from '../deals/text-input.js';
import { writeAudit } from '../deals/write-audit.js';
import { oncePerRequest } from '../once-per-request.js';
import { isManagerOrAdmin } from '../workspaces/ensure-member.js';
import { teamNameKey } from './find-team.js';

const MAX_TEAM_NAME = 60;

/** Managers and admins organise teams. */
export function assertCanManageTeams(actor: Pick<Rep, 'role'>): void {
  if (!isManagerOrAdmin(actor)) {
    throw new AppError('FORBIDDEN', 'Only managers and admins can create teams or move reps between them. Ask an admin to make you a manager (`/kpi role @you manager`).', {
      example: '/kpi role @you manager',
      i18n: { key: 'error.managersOnly.teams' },
    });
  }
}

function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: string } | undefined)?.code === 'P2002';
}

/**
 * Creates a sales team (managers and admins). Names are 1–60 characters, unique in the workspace
 * whatever their case; the audit trail records who created it. Once per delivery (`requestKey`):
 * the same request again answers ALREADY_DONE, not "there is already a team".
 *
 * @example
 * const north = await createTeam({ db, actor, workspace, name: 'North', now });
 */
export async function createTeam(opts: { db: Db; actor: Rep; workspace: Pick<Workspace, 'id'>; name: string; now: Date; requestKey?: string | null }): Promise<SalesTeam> {
  const { db, actor, workspace, now, requestKey } = opts;
  assertCanManageTeams(actor);
  const name = cleanName(opts.name.normalize('NFC'));
  if (!name) throw new AppError('INVALID_INPUT', opts.name.trim() ? 'The team name has no visible characters.' : 'Give the team a name.', {
      example: '/kpi team create North',
      i18n: { key: opts.name.trim() ? 'error.team.nameInvisible' : 'error.team.nameRequired' },
    });
  if (name.length > MAX_TEAM_NAME) throw new AppError('INVALID_INPUT', `Team names are at most ${MAX_TEAM_NAME} characters.`, { example: '/kpi team create North', i18n: { key: 'error.team.nameTooLong', values: { max: MAX_TEAM_NAME } } });
  if (/[<>@#*`]/.test(name)) throw new AppError('INVALID_INPUT', 'Team names are plain words: no mentions, channels or formatting.', { example: '/kpi team create North America', i18n: { key: 'error.team.namePlain' } });
  if (/^\d+$/.test(name)) throw new AppError('INVALID_INPUT', 'A team name needs at least one letter, so it is never mistaken for an amount.', { example: '/kpi team create Team 2', i18n: { key: 'error.team.nameDigits' } });
  const conflict = () => new AppError('CONFLICT', `There is already a team called "${name}".`, { example: `/kpi team add @rep ${name}`, i18n: { key: 'error.team.exists', values: { name } } });
  const write = async () => {
    try {
      return await inTransaction(db, async (tx) => {
        const existing = await teamNames(tx, workspace.id);
        if (existing.some((n) => teamNameKey(n) === teamNameKey(name))) throw conflict();
        const team = await insertTeam(tx, workspace.id, name, now);
        await writeAudit(tx, { workspaceId: workspace.id, actor, entity: 'team', entityId: team.id, action: 'create', after: { id: team.id, name }, now, requestKey });
        return team;
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw conflict();
      throw e;
    }
  };
  return oncePerRequest({ db, workspaceId: workspace.id, requestKey, now }, write);
}
