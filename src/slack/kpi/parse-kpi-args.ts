import { AppError, type TErrorI18n } from '../../errors.js';
import type { Workspace } from '../../storage/models.js';
import { tokenize } from '../../domain/deals/parse-deal-command.js';
import type { TKpi } from '../../domain/metrics/kpi-report.js';
import type { TScope } from '../../domain/metrics/scope.js';
import { convertMinor, parseAmount, rateCommandExample, type TMoney } from '../../domain/money.js';
import { parsePeriod, type TPeriod, type TPeriodContext } from '../../domain/periods.js';
import { listTeams, teamNameKey } from '../../domain/teams/find-team.js';
import { findCurrencyRate, findRepOfSlackUser, listUnlinkedReps } from '../../domain/workspaces/lookups.js';
import type { Db } from '../../storage/db.js';

/**
 * Reads what follows `/kpi <kpi>`: `[amount] [period words…] [@rep | me | team name]`, in any order.
 *
 * - Period: every form of `parsePeriod` (`this month` by default), in the workspace's time zone and
 *   fiscal year.
 * - Scope: a mention `<@U123|name>` (the rep is created on first sight through `resolveUser`),
 *   `me`/`my`, a sales team's name (case-insensitive, several words, optionally after `team`), or
 *   the name of a rep without a Slack account (imported reps); `all`/`everyone` = the workspace.
 * - `plan` only: a target amount (`800m VND`, `800tr`, `$50k`), converted to the reporting currency
 *   at the workspace's rate. A bare year (`2026`) is read as a period, not an amount.
 *
 * Anything left over is an INVALID_PERIOD AppError listing the accepted forms with an example.
 */

/** The rep a Slack mention names (created on first sight by the caller's `resolveUser`). */
export interface TResolvedUser {
  readonly id: number;
  readonly name: string;
  readonly slackUserId: string | null;
}

export interface TParseKpiArgsInput {
  readonly db: Db;
  readonly workspace: Workspace;
  readonly kpi: TKpi;
  /** Tokens after the KPI name (as the `/kpi` router splits them) or the raw text. */
  readonly args: readonly string[] | string;
  readonly now: Date;
  /** The rep asking, for `me`. */
  readonly self?: TResolvedUser | null;
  /** The asker's locale, for the number form of `plan`'s target (`1.200` is 1,200 for a Vietnamese reader); none: English. */
  readonly locale?: string;
  /** Finds or creates the rep of a Slack user id (Slack: `memberFor`). Default: look it up, NOT_FOUND when unknown. */
  readonly resolveUser?: (slackUserId: string) => Promise<TResolvedUser>;
}

export interface TParsedKpiArgs {
  readonly kpi: TKpi;
  /** The period words as typed (`''` = this month). */
  readonly periodInput: string;
  readonly period: TPeriod;
  readonly scope: TScope;
  /** `all reps`, `team East`, `Dana Rep`. */
  readonly scopeLabel: string;
  /** plan: target in reporting-currency minor units; null otherwise or when not given. */
  readonly targetMinor: bigint | null;
  /** plan: the target as typed (its own currency). */
  readonly target: TMoney | null;
}

export const PERIOD_FORMS =
  'this month (default), last month, this week, last week, this quarter, last quarter, 2026-Q3, Q3, 2026-11, nov 2026, this year, 2026, ytd, last 30 days, today';

const MENTION = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g;
const SELF_WORDS = new Set(['me', 'my', 'mine', 'myself', 'tôi', 'mình', '我']);
const ALL_WORDS = new Set(['all', 'everyone', 'everybody', 'workspace', 'company', 'team-wide']);
const FILLER = new Set(['for', 'in', 'of', 'during']);

/** The examples shown when `/kpi <kpi> …` cannot be read. */
export const KPI_EXAMPLES: Readonly<Record<TKpi, string>> = {
  winrate: '/kpi winrate last month @dana',
  conversion: '/kpi conversion this quarter',
  quota: '/kpi quota this month',
  dealsize: '/kpi dealsize 2026-Q3 @dana',
  revenue: '/kpi revenue 2026-Q3',
  mrr: '/kpi mrr last month',
  funnel: '/kpi funnel last month',
  plan: '/kpi plan 800m VND this quarter',
  leaderboard: '/kpi leaderboard this month',
};

/** The same examples with the period words of each language (`error.try` in the reader's language). */
const LOCAL_PERIOD_EXAMPLE: Readonly<Record<'vi' | 'zh-CN', Readonly<Record<string, string>>>> = {
  vi: { 'last month': 'tháng trước', 'this quarter': 'quý này', 'this month': 'tháng này', '800m VND': '800tr' },
  'zh-CN': { 'last month': '上月', 'this quarter': '本季度', 'this month': '本月', '800m VND': '800万' },
};

/**
 * An example in Vietnamese and Chinese: its period words (and plan amount) in that language.
 *
 * @example localExamples('/kpi winrate last month @dana'); // { vi: '/kpi winrate tháng trước @dana', 'zh-CN': '/kpi winrate 上月 @dana' }
 */
export function localExamples(example: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [locale, words] of Object.entries(LOCAL_PERIOD_EXAMPLE)) {
    out[locale] = Object.entries(words).reduce((text, [en, local]) => text.replace(en, local), example);
  }
  return out;
}

function kpiExample(kpi: TKpi): { example: string } & { examples: Record<string, string> } {
  return { example: KPI_EXAMPLES[kpi], examples: localExamples(KPI_EXAMPLES[kpi]) };
}

/** The i18n of a keyed error with the KPI's example in each language. */
function keyed(kpi: TKpi, key: string, values?: Record<string, string | number>): { example: string; i18n: TErrorI18n } {
  const { example, examples } = kpiExample(kpi);
  return { example, i18n: { key, ...(values ? { values } : {}), examples } };
}

function periodContext(workspace: Pick<Workspace, 'timeZone' | 'fiscalYearStartMonth'>, now: Date): TPeriodContext {
  return { now, timeZone: workspace.timeZone, fiscalYearStartMonth: workspace.fiscalYearStartMonth };
}

function tryPeriod(words: readonly string[], ctx: TPeriodContext): TPeriod | null {
  try {
    return parsePeriod(words.join(' '), ctx);
  } catch {
    return null;
  }
}

/** Looks a Slack user's rep up without creating it (outside Slack). */
function lookupUser(db: Db, workspaceId: number): (slackUserId: string) => Promise<TResolvedUser> {
  return async (slackUserId) => {
    const found = await findRepOfSlackUser({ db, workspaceId, slackUserId });
    const rep = found && { id: found.id, name: found.name, slackUserId: found.slackUserId };
    if (!rep) {
      throw new AppError('NOT_FOUND', `<@${slackUserId}> has not used the app yet, so there are no figures for them.`, {
        example: '/kpi winrate me',
        mentions: [slackUserId],
        i18n: { key: 'error.kpi.repNotMet', values: { user: `<@${slackUserId}>` } },
      });
    }
    return rep;
  };
}

interface TAmountPick {
  readonly money: TMoney;
  readonly rest: string[];
}

/** The target amount of `plan`: the first run of 1–3 words that reads as an amount, preferring one whose remaining words read as a period. */
function pickAmount(words: readonly string[], workspace: Workspace, ctx: TPeriodContext, locale: string | undefined): TAmountPick | null {
  let first: TAmountPick | null = null;
  for (let i = 0; i < words.length; i++) {
    for (let n = Math.min(3, words.length - i); n >= 1; n--) {
      const run = words.slice(i, i + n);
      if (tryPeriod(run, ctx)) continue;
      let money: TMoney;
      try {
        money = parseAmount(run.join(' '), { defaultCurrency: workspace.currency, locale });
      } catch {
        continue;
      }
      const rest = [...words.slice(0, i), ...words.slice(i + n)];
      const pick = { money, rest };
      if (rest.length === 0 || tryPeriod(rest, ctx)) return pick;
      first ??= pick;
      break;
    }
  }
  return first;
}

async function toReporting(db: Db, workspace: Workspace, money: TMoney): Promise<bigint> {
  if (money.currency === workspace.currency) return money.amountMinor;
  const rate = await findCurrencyRate({ db, workspaceId: workspace.id, fromCurrency: money.currency });
  if (!rate) {
    throw new AppError('NO_RATE', `This workspace reports in ${workspace.currency} and has no conversion rate for ${money.currency}. Give the target in ${workspace.currency}, or an admin can add a rate.`, {
      example: rateCommandExample(money.currency, workspace.currency),
      i18n: { key: 'error.kpi.noRate', values: { reporting: workspace.currency, currency: money.currency } },
    });
  }
  return convertMinor(money.amountMinor, money.currency, workspace.currency, rate.rate);
}

/** The longest run of words (optionally after `team`) naming one of `names`; its index and length. */
function findRun(words: readonly string[], keys: ReadonlyMap<string, number>): { start: number; length: number; id: number } | null {
  for (let n = Math.min(words.length, 8); n >= 1; n--) {
    for (let i = 0; i + n <= words.length; i++) {
      const id = keys.get(teamNameKey(words.slice(i, i + n).join(' ')));
      if (id === undefined) continue;
      const withKeyword = i > 0 && ['team', 'rep'].includes(words[i - 1]!.toLowerCase());
      return withKeyword ? { start: i - 1, length: n + 1, id } : { start: i, length: n, id };
    }
  }
  return null;
}

function invalidWords(kpi: TKpi, words: readonly string[], teamNames: readonly string[], cause?: unknown): AppError {
  const typed = words.join(' ');
  const teamList = `${teamNames.slice(0, 10).join(', ')}${teamNames.length > 10 ? '…' : ''}`;
  const teams = teamNames.length ? ` or a team (${teamList})` : '';
  const isSpecific = cause instanceof AppError && !/didn't understand/.test(cause.message);
  const specific = isSpecific ? `${cause.message} ` : '';
  const { example, i18n } = keyed(kpi, 'error.kpi.notUnderstood', { typed, kpi, hasTeams: teamNames.length ? 'yes' : 'no', teams: teamList });
  return new AppError(
    'INVALID_PERIOD',
    `${specific}I didn't understand "${typed}" after \`/kpi ${kpi}\`. Give a period — ${PERIOD_FORMS} — and optionally who it is for: @rep, me${teams}.`,
    // The more specific period error (`months run from 01 to 12`) leads, in the reader's language too.
    { example, i18n: isSpecific && cause.i18n ? { ...i18n, lead: cause.i18n } : i18n },
  );
}

/**
 * Parses `/kpi <kpi> …` arguments into a period, a scope and (plan) a target.
 *
 * @example
 * await parseKpiArgs({ db, workspace, kpi: 'dealsize', args: ['last', 'month', '<@U123|dana>'], now, resolveUser });
 * // { periodInput: 'last month', period: { key: '2026-10', … }, scope: { kind: 'rep', repId: 7 }, scopeLabel: 'Dana', … }
 */
export async function parseKpiArgs(input: TParseKpiArgsInput): Promise<TParsedKpiArgs> {
  const { db, workspace, kpi } = input;
  const ctx = periodContext(workspace, input.now);
  const text = typeof input.args === 'string' ? input.args : input.args.join(' ');

  // 1. Mentions.
  const mentions = [...new Set([...text.matchAll(MENTION)].map((m) => m[1]!))];
  if (mentions.length > 1) {
    throw new AppError('INVALID_INPUT', 'One rep at a time, please: mention a single person (or a team name).', keyed(kpi, 'error.kpi.oneRep'));
  }
  let words = tokenize(text.replace(MENTION, ' '));
  /** `name`: how the pick is called in any language (a rep's or team's name; null = everyone). */
  type TPick = { scope: TScope; label: string; name: string | null };
  const picks: TPick[] = [];
  if (mentions[0]) {
    const rep = await (input.resolveUser ?? lookupUser(db, workspace.id))(mentions[0]);
    picks.push({ scope: { kind: 'rep', repId: rep.id }, label: rep.name, name: rep.name });
  }

  // 2. me / all.
  if (words.some((w) => SELF_WORDS.has(w.toLowerCase()))) {
    if (!input.self) throw new AppError('INVALID_INPUT', '"me" only works when a person asks in Slack.', keyed(kpi, 'error.kpi.meOutsideSlack'));
    picks.push({ scope: { kind: 'rep', repId: input.self.id }, label: input.self.name, name: input.self.name });
    words = words.filter((w) => !SELF_WORDS.has(w.toLowerCase()));
  }
  if (words.some((w) => ALL_WORDS.has(w.toLowerCase()))) {
    picks.push({ scope: { kind: 'workspace' }, label: 'all reps', name: null });
    words = words.filter((w) => !ALL_WORDS.has(w.toLowerCase()));
  }

  // 3. plan: the target amount.
  let target: TMoney | null = null;
  if (kpi === 'plan') {
    const picked = pickAmount(words, workspace, ctx, input.locale);
    if (picked) {
      target = picked.money;
      words = picked.rest;
    }
  }

  // 4. Period, else team / rep names among the words, then the period from what is left.
  words = words.filter((w, i) => !(i === 0 && FILLER.has(w.toLowerCase()) && words.length > 1));
  let period = tryPeriod(words, ctx);
  let teamNames: string[] = [];
  if (!period) {
    const teams = await listTeams({ db, workspaceId: workspace.id });
    teamNames = teams.map((t) => t.name);
    const teamRun = findRun(words, new Map(teams.map((t) => [teamNameKey(t.name), t.id])));
    if (teamRun) {
      const team = teams.find((t) => t.id === teamRun.id)!;
      picks.push({ scope: { kind: 'team', teamId: team.id }, label: `team ${team.name}`, name: team.name });
      words = [...words.slice(0, teamRun.start), ...words.slice(teamRun.start + teamRun.length)];
    } else if (words.length > 0) {
      const reps = await listUnlinkedReps({ db, workspaceId: workspace.id, take: 5000 });
      const repRun = findRun(words, new Map(reps.map((r) => [teamNameKey(r.name), r.id])));
      if (repRun) {
        const rep = reps.find((r) => r.id === repRun.id)!;
        picks.push({ scope: { kind: 'rep', repId: rep.id }, label: rep.name, name: rep.name });
        words = [...words.slice(0, repRun.start), ...words.slice(repRun.start + repRun.length)];
      }
    }
    words = words.filter((w) => !FILLER.has(w.toLowerCase()) || words.length === 1);
    try {
      period = parsePeriod(words.join(' '), ctx);
    } catch (e) {
      throw invalidWords(kpi, words, teamNames, e);
    }
  }

  if (picks.length > 1) {
    const names = picks.flatMap((p) => (p.name === null ? [] : [p.name])).join(' / ');
    throw new AppError('INVALID_INPUT', `One scope at a time: ${picks.map((p) => p.label).join(' or ')}?`, keyed(kpi, 'error.kpi.oneScope', { names, all: picks.some((p) => p.name === null) ? 'yes' : 'no' }));
  }
  const pick = picks[0] ?? { scope: { kind: 'workspace' } as TScope, label: 'all reps' };
  return {
    kpi,
    periodInput: words.join(' '),
    period,
    scope: pick.scope,
    scopeLabel: pick.label,
    target,
    targetMinor: target ? await toReporting(db, workspace, target) : null,
  };
}
