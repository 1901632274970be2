import { AppError } from '../../errors.js';
import type { SalesTeam } from '../../storage/models.js';
import type { Db } from '../../storage/db.js';
import { teamsByName } from '../../storage/queries/lookups.js';

/** Team names compare case-insensitively, with runs of spaces treated as one. */
export function teamNameKey(name: string): string {
  return name.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** The workspace's sales teams, by name. */
export function listTeams(opts: { db: Db; workspaceId: number }): Promise<SalesTeam[]> {
  return teamsByName(opts.db, opts.workspaceId);
}

/**
 * The longest run of leading words that names a team (`North America 50k` → the "North America"
 * team and the words after it), so team names may contain spaces and digits. Null when no prefix
 * names a team.
 *
 * @example
 * matchTeamPrefix(['north', 'america', '50k'], teams); // { team: North America, rest: ['50k'] }
 */
export function matchTeamPrefix<T extends Pick<SalesTeam, 'name'>>(words: readonly string[], teams: readonly T[]): { team: T; rest: string[] } | null {
  const byKey = new Map(teams.map((t) => [teamNameKey(t.name), t]));
  for (let n = words.length; n >= 1; n--) {
    const team = byKey.get(teamNameKey(words.slice(0, n).join(' ')));
    if (team) return { team, rest: words.slice(n) };
  }
  return null;
}

/** NOT_FOUND naming the teams that do exist. */
export function noSuchTeam(name: string, teams: readonly Pick<SalesTeam, 'name'>[]): AppError {
  const list = `${teams.slice(0, 20).map((t) => t.name).join(', ')}${teams.length > 20 ? '…' : ''}`;
  const known = teams.length ? `Teams: ${list}.` : 'There are no teams yet.';
  const suggestion = name || 'North';
  return new AppError('NOT_FOUND', `There is no team called "${name}". ${known} A manager can create one with \`/kpi team create ${suggestion}\`.`, {
    example: `/kpi team create ${suggestion}`,
    field: 'team',
    i18n: teams.length ? { key: 'error.team.noSuchTeam', values: { name, suggestion, list } } : { key: 'error.team.noSuchTeamNone', values: { name, suggestion } },
  });
}
