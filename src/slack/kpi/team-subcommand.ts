import { AppError } from '../../errors.js';
import { addRepToTeam } from '../../domain/teams/add-rep-to-team.js';
import { assertCanManageTeams, createTeam } from '../../domain/teams/create-team.js';
import { listTeams, noSuchTeam, teamNameKey } from '../../domain/teams/find-team.js';
import { countTeamMembers } from '../../domain/workspaces/lookups.js';
import { buildTeamCreated, buildTeamList, buildTeamMemberAdded } from '../blocks/quota-messages.js';
import { memberFor } from '../context.js';
import type { SlackMessage } from '../gateway.js';
import { parseUserMention } from '../mentions.js';
import { commandRequestKey } from '../request-keys.js';
import type { TKpiSubcommand, TKpiSubcommandArgs } from './registry.js';
import { localeOf } from '../locale-of.js';

const USAGE = '`/kpi team` lists teams · `/kpi team create North` · `/kpi team add @rep North` (managers and admins)';

async function list({ deps, member }: TKpiSubcommandArgs): Promise<SlackMessage> {
  const [teams, counts] = await Promise.all([
    listTeams({ db: deps.db, workspaceId: member.workspace.id }),
    countTeamMembers({ db: deps.db, workspaceId: member.workspace.id }),
  ]);
  return buildTeamList(teams.map((t) => ({ name: t.name, members: counts.get(t.id) ?? 0 })), localeOf(member));
}

async function create({ deps, command, member, args }: TKpiSubcommandArgs): Promise<SlackMessage> {
  const name = args.join(' ').trim();
  if (!name) throw new AppError('INVALID_INPUT', 'Give the new team a name.', { example: '/kpi team create North', i18n: { key: 'error.team.nameMissing' } });
  const team = await createTeam({ db: deps.db, actor: member.rep, workspace: member.workspace, name, now: deps.now(), requestKey: commandRequestKey(command) });
  return buildTeamCreated(team.name, localeOf(member));
}

async function add({ deps, command, member, args }: TKpiSubcommandArgs): Promise<SlackMessage> {
  assertCanManageTeams(member.rep);
  const userIds: string[] = [];
  let i = 0;
  for (; i < args.length; i++) {
    const id = parseUserMention(args[i]);
    if (!id) break;
    userIds.push(id);
  }
  const name = args.slice(i).join(' ').trim();
  if (userIds.length === 0 || !name) {
    throw new AppError('INVALID_INPUT', 'Mention the rep (or reps), then the team name.', { example: '/kpi team add @dana North', i18n: { key: 'error.team.addArgs' } });
  }
  const teams = await listTeams({ db: deps.db, workspaceId: member.workspace.id });
  const team = teams.find((t) => teamNameKey(t.name) === teamNameKey(name));
  if (!team) throw noSuchTeam(name, teams);
  const previousNames = new Map(teams.map((t) => [t.id, t.name]));
  const messages: SlackMessage[] = [];
  for (const userId of userIds) {
    const rep = userId === member.rep.slackUserId ? member.rep : (await memberFor(deps, command.team_id, userId)).rep;
    // One change per rep, so one key per rep.
    const result = await addRepToTeam({ db: deps.db, actor: member.rep, rep, team, now: deps.now(), requestKey: `${commandRequestKey(command)}#${rep.id}` });
    messages.push(
      buildTeamMemberAdded({
        who: { kind: 'rep', slackUserId: rep.slackUserId, name: rep.name },
        team: team.name,
        previousTeam: result.previousTeamId === null ? null : (previousNames.get(result.previousTeamId) ?? null),
        changed: result.changed,
      }, localeOf(member)),
    );
  }
  return { text: messages.map((m) => m.text).join('\n'), blocks: messages.flatMap((m) => m.blocks ?? []).slice(0, 50) };
}

/**
 * `/kpi team …`: list teams, create one, or put reps in one (create and add: managers and
 * admins). Reps need a team for team quotas and team scopes.
 */
export const teamSubcommand: TKpiSubcommand = {
  names: ['team', 'teams'],
  help: '`/kpi team create North`, `/kpi team add @rep North`: sales teams for team quotas and scopes (managers and admins); `/kpi team` lists them',
  helpKey: 'help.team',
  async run(a) {
    const verb = a.args[0]?.toLowerCase();
    const rest = { ...a, args: a.args.slice(1) };
    if (!verb || verb === 'list') return list(a);
    if (verb === 'create' || verb === 'new') return create(rest);
    if (verb === 'add') return add(rest);
    throw new AppError('INVALID_INPUT', `I don't know \`/kpi team ${verb}\`. ${USAGE}`, { example: '/kpi team add @dana North', i18n: { key: 'error.team.unknownVerb', values: { verb } } });
  },
};
