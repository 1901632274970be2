import { performance } from 'node:perf_hooks';
import { AppError } from '../../errors.js';
import type { Db } from '../../storage/db.js';
import { importLeadCountRows, repsByNameOrSlackId, type TLeadCountTarget } from '../../storage/queries/lead-counts.js';
import { workspaceOfSlackTeam } from '../../storage/queries/workspaces.js';
import { leadCountKey, normalizeLeadSource, parseLeadCount, type TLeadCountWho } from '../leads/lead-count-key.js';
import { parseQuotaPeriod } from '../quotas/quota-period.js';
import { listTeams, teamNameKey } from '../teams/find-team.js';
import { clean, groupIssues } from './fields.js';
import { normalizeHeader } from './generic.js';
import type { TCsvRow, TImportReport, TRowIssue } from './types.js';

/**
 * Lead-count files: one bulk lead count per row, as `/kpi leads` records it.
 *
 * | column | required | what |
 * |---|---|---|
 * | `period` | yes | `2026-03` (month), `2026-Q1` (fiscal quarter) or `2026` (fiscal year), in the workspace's calendar |
 * | `count` | yes | whole number of leads, 0 to 10,000,000 (`1,200` accepted) |
 * | `team` | no | an existing team's name: the team's count |
 * | `rep` | no | an existing rep: Slack user id (`U0123ABCD`) or name: the rep's count |
 * | `source` | no | where the leads came from (`web`, `referral`…); empty = all sources |
 *
 * A row with neither team nor rep is the workspace's count; a row naming both is refused.
 */
export const LEAD_COUNT_REQUIRED_COLUMNS = ['period', 'count'] as const;
export const LEAD_COUNT_OPTIONAL_COLUMNS = ['team', 'rep', 'source'] as const;

/**
 * A lead-count file by its header: `period` and `count`, every other column one of team, rep, source.
 *
 * @example isLeadCountHeader(['Period', 'Count', 'Team', 'Source']) // true
 * @example isLeadCountHeader(['external_id', 'owner', 'count', 'period']) // false
 */
export function isLeadCountHeader(columns: readonly string[]): boolean {
  const cols = columns.map(normalizeHeader);
  const known = new Set<string>([...LEAD_COUNT_REQUIRED_COLUMNS, ...LEAD_COUNT_OPTIONAL_COLUMNS]);
  return LEAD_COUNT_REQUIRED_COLUMNS.every((c) => cols.includes(c)) && cols.every((c) => known.has(c) || c === '');
}

export interface ImportLeadCountsOptions {
  db: Db;
  /** Slack team id of the workspace; it must exist (import deals first, or open the app in Slack). */
  workspaceTeamId: string;
  rows: readonly TCsvRow[];
  file: string;
  dryRun?: boolean;
  skipInvalid?: boolean;
  /** Problems found while reading the file (records with a wrong field count). */
  readIssues?: readonly TRowIssue[];
  now: Date;
}

const EXPLICIT_PERIOD = /^\d{4}(-(0[1-9]|1[0-2])|-q[1-4])?$/i;

/**
 * Imports a lead-count file into an existing workspace. Every row is checked first (period, count,
 * a team and rep that exist, no key twice in the file); a file with invalid rows is refused whole
 * unless `skipInvalid`. Each row is stored under the same key `/kpi leads` uses (period, scope,
 * source), replacing the count stored there: importing the same file again changes nothing, and a
 * changed count updates its row. One transaction; a period before the history horizon bumps the
 * history version (cached closed-period figures are read again).
 *
 * @example
 * const report = await importLeadCounts({ db, workspaceTeamId: 'TDEMO', rows: table.rows, file: 'lead-counts.csv', now });
 * report.imported; // rows inserted; a second run reports them unchanged
 */
export async function importLeadCounts(opts: ImportLeadCountsOptions): Promise<TImportReport> {
  const started = performance.now();
  const { db, file, now } = opts;
  const workspace = await workspaceOfSlackTeam(db, opts.workspaceTeamId);
  if (!workspace) {
    throw new AppError('NOT_FOUND', `there is no workspace ${opts.workspaceTeamId} yet: import its deals first, or open the app in that Slack workspace, then import lead counts`, {
      i18n: { key: 'error.import.noWorkspace', values: { team: opts.workspaceTeamId } },
    });
  }
  const [teams, reps] = await Promise.all([listTeams({ db, workspaceId: workspace.id }), repsByNameOrSlackId(db, workspace.id)]);
  const teamByKey = new Map(teams.map((t) => [teamNameKey(t.name), t]));
  const repsByName = new Map<string, typeof reps>();
  for (const r of reps) repsByName.set(teamNameKey(r.name), [...(repsByName.get(teamNameKey(r.name)) ?? []), r]);
  const ctx = { now, timeZone: workspace.timeZone, fiscalYearStartMonth: workspace.fiscalYearStartMonth };

  const issues: TRowIssue[] = [...(opts.readIssues ?? [])];
  const targets: Array<{ target: TLeadCountTarget; count: number; line: number }> = [];
  const lineOfKey = new Map<string, number>();
  const issue = (line: number, field: string, kind: string, message: string) => issues.push({ file, line, field, kind, message });
  for (const row of opts.rows) {
    const v = (name: string): string => {
      for (const [k, val] of Object.entries(row.values)) if (normalizeHeader(k) === name) return clean(val);
      return '';
    };
    const periodText = v('period');
    if (!EXPLICIT_PERIOD.test(periodText)) {
      issue(row.line, 'period', periodText ? 'not a period' : 'missing', `period "${periodText}" must be a month (2026-03), a quarter (2026-Q1) or a year (2026)`);
      continue;
    }
    const period = parseQuotaPeriod(periodText, ctx);
    if (period.start.getTime() > now.getTime()) {
      issue(row.line, 'period', 'in the future', `${period.label} has not started yet`);
      continue;
    }
    let count: number;
    try {
      count = parseLeadCount(v('count'));
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      issue(row.line, 'count', v('count') ? 'not a count' : 'missing', e.message);
      continue;
    }
    const teamText = v('team');
    const repText = v('rep');
    let who: TLeadCountWho = { kind: 'workspace' };
    if (teamText && repText) {
      issue(row.line, 'row', 'team and rep', 'a row is for a team or a rep, not both: leave one of them empty');
      continue;
    }
    if (teamText) {
      const team = teamByKey.get(teamNameKey(teamText));
      if (!team) {
        issue(row.line, 'team', 'unknown team', `there is no team called "${teamText}" (teams: ${teams.map((t) => t.name).join(', ') || 'none yet'})`);
        continue;
      }
      who = { kind: 'team', teamId: team.id };
    } else if (repText) {
      const bySlack = /^[UW][A-Z0-9]{2,}$/.test(repText) ? reps.find((r) => r.slackUserId === repText) : undefined;
      const byName = repsByName.get(teamNameKey(repText)) ?? [];
      const rep = bySlack ?? (byName.length === 1 ? byName[0] : undefined);
      if (!rep) {
        issue(row.line, 'rep', byName.length > 1 ? 'ambiguous rep' : 'unknown rep', byName.length > 1 ? `${byName.length} reps are called "${repText}": name them by Slack user id` : `there is no rep "${repText}" in this workspace`);
        continue;
      }
      who = { kind: 'rep', repId: rep.id };
    }
    let source: string | null;
    try {
      source = normalizeLeadSource(v('source'));
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      issue(row.line, 'source', 'too long', e.message);
      continue;
    }
    const scopeKey = leadCountKey(period, who, source);
    const seen = lineOfKey.get(scopeKey);
    if (seen !== undefined) {
      issue(row.line, 'row', 'repeated', `line ${seen} already gives the count for this period, scope and source`);
      continue;
    }
    lineOfKey.set(scopeKey, row.line);
    targets.push({
      line: row.line,
      count,
      target: {
        workspaceId: workspace.id,
        scopeKey,
        repId: who.kind === 'rep' ? who.repId : null,
        teamId: who.kind === 'team' ? who.teamId : null,
        periodStart: period.start,
        periodEnd: period.end,
        source,
      },
    });
  }
  issues.sort((a, b) => a.line - b.line);
  const refused = issues.length > 0 && !opts.skipInvalid;
  const base = {
    file,
    mapping: 'lead-counts',
    dryRun: opts.dryRun ?? false,
    refused,
    workspace: { slackTeamId: workspace.slackTeamId, id: workspace.id, name: workspace.name, created: false },
    rowsRead: opts.rows.length + (opts.readIssues?.length ?? 0),
    skipped: issues.length,
    skippedReasons: groupIssues(issues),
    issues,
    fileErrors: [],
    repsCreated: 0,
    repNamesCreated: [],
    teamsCreated: 0,
    repsAssignedToTeams: 0,
    notes: [`${targets.length} lead count${targets.length === 1 ? '' : 's'} keyed by period, scope and source: each replaces the count stored under the same key (as \`/kpi leads\` does).`],
    warnings: [],
    refunds: { imported: 0, updated: 0, unchanged: 0 },
  };
  let result = { inserted: 0, updated: 0, unchanged: 0 };
  if (!refused) result = await importLeadCountRows(db, { targets, now, dryRun: opts.dryRun ?? false });
  return { ...base, imported: result.inserted, updated: result.updated, unchanged: result.unchanged, elapsedMs: Math.round(performance.now() - started) };
}
