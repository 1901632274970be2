import { AppError, type TErrorI18n, withoutExamples } from '../../errors.js';
import { localeOf } from '../locale-of.js';
import type { TLocale } from '../../i18n/locales.js';
import { t } from '../../i18n/t.js';
import type { SalesTeam, Workspace } from '../../storage/models.js';
import { parseLeadCount } from '../../domain/leads/lead-count-key.js';
import { clearLeadCount, recordLeadCount } from '../../domain/leads/record-lead-count.js';
import type { TPeriodContext } from '../../domain/periods.js';
import { parseQuotaPeriod, type TQuotaPeriod } from '../../domain/quotas/quota-period.js';
import { listTeams, matchTeamPrefix, noSuchTeam } from '../../domain/teams/find-team.js';
import { findRepOfSlackUser } from '../../domain/workspaces/lookups.js';
import { buildLeadCountConfirmation, type TLeadCountWhoView } from '../blocks/lead-messages.js';
import { section } from '../blocks/messages.js';
import type { SlackMessage } from '../gateway.js';
import { parseUserMention } from '../mentions.js';
import { commandRequestKey } from '../request-keys.js';
import type { TKpiSubcommand, TKpiSubcommandArgs } from './registry.js';

export const LEADS_USAGE = '/kpi leads 500 2026-03';
const USAGE_LINES = [
  '`/kpi leads <count> <period> [team <name> | @rep | me] [source]`, e.g. `/kpi leads 500 2026-03`, `/kpi leads 120 2026-Q1 team North web`, `/kpi leads 40 2026-03 @dana referral`',
  '`/kpi leads clear <period> [team <name> | @rep | me] [source]` removes a count',
  'Periods: a month (`2026-03`, `last month`), a quarter (`2026-Q1`) or a year (`2026`). The count is a whole number of leads; recording one again for the same period, scope and source replaces it.',
];

/** Who the words name, before the rep is looked up. */
export type TLeadsWho = { kind: 'workspace' } | { kind: 'team'; team: SalesTeam } | { kind: 'user'; userId: string } | { kind: 'me' };

export type TLeadsCommand =
  | { kind: 'help' }
  | { kind: 'set'; count: number; period: TQuotaPeriod; who: TLeadsWho; source: string | null }
  | { kind: 'clear'; period: TQuotaPeriod; who: TLeadsWho; source: string | null };

function usageError(message: string, example = LEADS_USAGE, field?: string, i18n?: TErrorI18n): AppError {
  return new AppError('INVALID_INPUT', `${message}\n${USAGE_LINES.join('\n')}`, { example, ...(field ? { field } : {}), ...(i18n ? { i18n: { ...i18n, then: { key: 'error.leads.usage', separator: '\n' } } } : {}) });
}

/** The longest leading run of words (at most 3) that reads as a month, quarter or year. */
function takePeriod(words: readonly string[], ctx: TPeriodContext): { period: TQuotaPeriod; rest: string[] } {
  if (words.length === 0) throw usageError('Give the period after the count: a month such as 2026-03, a quarter such as 2026-Q1, or a year.', LEADS_USAGE, undefined, { key: 'error.leads.periodMissing' });
  for (let k = Math.min(3, words.length); k >= 1; k--) {
    try {
      return { period: parseQuotaPeriod(words.slice(0, k).join(' '), ctx), rest: words.slice(k) };
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
    }
  }
  throw new AppError('INVALID_PERIOD', `"${words[0]}" is not a period lead counts are recorded for. Use a month (2026-03), a quarter (2026-Q1) or a year (2026).\n${USAGE_LINES.join('\n')}`, {
    example: LEADS_USAGE,
    i18n: { key: 'error.leads.badPeriod', values: { typed: words[0] ?? '' }, then: { key: 'error.leads.usage', separator: '\n' } },
  });
}

/**
 * Reads the words after `/kpi leads` (Slack-escaped mentions `<@U123|name>`): a count (or
 * `clear`), a period, optionally who (`team <name>`, a mentioned rep or `me`; default the whole
 * workspace), then optionally a source (the remaining words). A team is named with the word
 * `team`, so a source is never taken for a team: a source that is a team's name is refused.
 *
 * @example
 * parseLeadsCommand(['500', '2026-03'], ctx); // { kind: 'set', count: 500, period: March 2026, who: { kind: 'workspace' }, source: null }
 * parseLeadsCommand(['120', '2026-Q1', 'team', 'north', 'web'], ctx); // … who: { kind: 'team', team: North }, source: 'web'
 * parseLeadsCommand(['-5', '2026-03'], ctx); // throws INVALID_INPUT (a count cannot be negative)
 */
export function parseLeadsCommand(words: readonly string[], ctx: { period: TPeriodContext; teams: readonly SalesTeam[]; locale?: string }): TLeadsCommand {
  const first = words[0]?.toLowerCase();
  if (first === undefined || first === 'help' || first === '?') return { kind: 'help' };
  const clearing = first === 'clear' || first === 'remove' || first === 'delete';
  let count = 0;
  if (!clearing) {
    try {
      count = parseLeadCount(words[0] ?? '', undefined, ctx.locale);
    } catch (e) {
      if (e instanceof AppError) throw usageError(e.message, LEADS_USAGE, 'count', e.i18n && withoutExamples(e.i18n));
      throw e;
    }
  }
  const { period, rest } = takePeriod(words.slice(1), ctx.period);
  let who: TLeadsWho = { kind: 'workspace' };
  let sourceWords = rest;
  const next = rest[0] ?? '';
  const userId = parseUserMention(next);
  if (userId) {
    who = { kind: 'user', userId };
    sourceWords = rest.slice(1);
  } else if (next.toLowerCase() === 'me') {
    who = { kind: 'me' };
    sourceWords = rest.slice(1);
  } else if (next.startsWith('@') || next.startsWith('<@')) {
    throw usageError(`I couldn't tell who "${next}" is. Mention the rep with @ and pick them from the list, so Slack links the name.`, '/kpi leads 40 2026-03 @dana', undefined, { key: 'error.leads.whoUnclear', values: { typed: next } });
  } else if (next.toLowerCase() === 'team') {
    const after = rest.slice(1);
    if (after.length === 0) throw usageError('Say which team after "team".', '/kpi leads 120 2026-03 team North', undefined, { key: 'error.leads.whichTeam' });
    const match = matchTeamPrefix(after, ctx.teams);
    if (!match) throw noSuchTeam(after[0] ?? '', ctx.teams);
    who = { kind: 'team', team: match.team };
    sourceWords = match.rest;
  }
  const source = sourceWords.join(' ').trim() || null;
  if (source !== null && who.kind === 'workspace') {
    const team = matchTeamPrefix(sourceWords, ctx.teams);
    if (team) {
      throw usageError(`"${team.team.name}" is a team: write \`team ${team.team.name}\` for the team's count (a source goes after it).`, `/kpi leads ${clearing ? 'clear' : count} ${period.key} team ${team.team.name}`, undefined, { key: 'error.leads.sourceIsTeam', values: { team: team.team.name } });
    }
  }
  return clearing ? { kind: 'clear', period, who, source } : { kind: 'set', count, period, who, source };
}

function periodContext(workspace: Workspace, now: Date): TPeriodContext {
  return { now, timeZone: workspace.timeZone, fiscalYearStartMonth: workspace.fiscalYearStartMonth };
}

function helpMessage(locale: TLocale): SlackMessage {
  const text = [t(locale, 'ops.leads.helpTitle'), t(locale, 'ops.leads.usage1'), t(locale, 'ops.leads.usage2'), t(locale, 'ops.leads.usage3'), t(locale, 'ops.leads.helpSingle')].join('\n');
  return { text, blocks: [section(text)] };
}

/**
 * `/kpi leads …`: records (replacing) or clears a bulk lead count. Unknown teams and reps, bad
 * counts and periods are refused before anything is written, with the right form.
 */
export async function runLeads(a: TKpiSubcommandArgs): Promise<SlackMessage> {
  const { deps, command, member } = a;
  const { workspace, rep } = member;
  const now = deps.now();
  const teams = await listTeams({ db: deps.db, workspaceId: workspace.id });
  const locale = localeOf(member);
  // The count in the asker's number form (`1.200` in Vietnamese).
  const parsed = parseLeadsCommand(a.args, { period: periodContext(workspace, now), teams, locale });
  if (parsed.kind === 'help') return helpMessage(locale);
  let who: Parameters<typeof recordLeadCount>[0]['who'];
  let view: TLeadCountWhoView;
  switch (parsed.who.kind) {
    case 'workspace':
      who = { kind: 'workspace' };
      view = { kind: 'workspace' };
      break;
    case 'team':
      who = { kind: 'team', teamId: parsed.who.team.id };
      view = { kind: 'team', name: parsed.who.team.name };
      break;
    case 'me':
      who = { kind: 'rep', repId: rep.id };
      view = { kind: 'rep', slackUserId: rep.slackUserId, name: rep.name };
      break;
    case 'user': {
      const userId = parsed.who.userId;
      const target = userId === rep.slackUserId ? rep : await findRepOfSlackUser({ db: deps.db, workspaceId: workspace.id, slackUserId: userId });
      if (!target) {
        throw new AppError(
          'NOT_FOUND',
          `<@${userId}> is not a rep here yet, so no lead count was recorded. They become one when they first use \`/deal\` or \`/kpi\`, or when a manager adds them to a team (\`/kpi team add @rep North\`).`,
          { example: '/kpi team add @dana North', mentions: [userId], i18n: { key: 'error.leads.notRep', values: { user: userId } } },
        );
      }
      who = { kind: 'rep', repId: target.id };
      view = { kind: 'rep', slackUserId: target.slackUserId, name: target.name };
      break;
    }
  }
  const base = { db: deps.db, workspace, actor: rep, who, period: parsed.period, source: parsed.source, now, requestKey: commandRequestKey(command) };
  if (parsed.kind === 'clear') {
    const r = await clearLeadCount(base);
    return buildLeadCountConfirmation({ action: 'cleared', who: view, period: parsed.period, source: r.source, count: r.previous?.count ?? 0, previousCount: null, changed: true, locale });
  }
  const r = await recordLeadCount({ ...base, count: parsed.count });
  return buildLeadCountConfirmation({
    action: 'recorded',
    who: view,
    period: parsed.period,
    source: r.source,
    count: parsed.count,
    previousCount: r.changed ? (r.previous?.count ?? null) : null,
    changed: r.changed,
    locale,
  });
}

export const leadsSubcommand: TKpiSubcommand = {
  names: ['leads', 'lead-count', 'leadcount'],
  help: '`/kpi leads 500 2026-03 [team North | @rep | me] [source]`: record the bulk lead count of a period (replaces the earlier one; `/kpi leads clear 2026-03` removes it); lead conversion takes it as the lead total there',
  helpKey: 'help.leads',
  run: runLeads,
  readsOnly: (args) => args.length === 0 || ['help', '?'].includes(args[0]?.toLowerCase() ?? ''),
};
