import { AppError, type TErrorI18n, withoutExamples } from '../../errors.js';
import type { SalesTeam, Workspace } from '../../storage/models.js';
import { isKnownCurrency, parseAmount } from '../../domain/money.js';
import type { TPeriodContext } from '../../domain/periods.js';
import { parseQuotaPeriod, relativeQuotaPeriod, type TQuotaPeriod } from '../../domain/quotas/quota-period.js';
import { assertCanSetQuotas, setQuota } from '../../domain/quotas/set-quota.js';
import { commandRequestKey } from '../request-keys.js';
import { listTeams, matchTeamPrefix, noSuchTeam } from '../../domain/teams/find-team.js';
import type { TMember } from '../../domain/workspaces/ensure-member.js';
import { listCurrencyRates } from '../../domain/workspaces/lookups.js';
import { buildQuotaConfirmation } from '../blocks/quota-messages.js';
import { buildQuotaModal, type TQuotaModalMeta, type TQuotaModalPrefill } from '../blocks/quota-modal.js';
import { memberFor, type AppDeps } from '../context.js';
import { localeOf } from '../locale-of.js';
import type { SlackMessage } from '../gateway.js';
import { parseUserMention } from '../mentions.js';
import type { TKpiSubcommandArgs } from './registry.js';
import { shortPeriodLabelL } from '../../i18n/format.js';

export const QUOTA_SET_USAGE = '/kpi quota set @dana 50k quarter';
const USAGE_LINES = [
  '`/kpi quota set @rep <amount> [currency] [month|quarter|year|next quarter|2026-Q3|2026-11|2026]`',
  '`/kpi quota set team <team name> <amount> [currency] [period]`',
  '`/kpi quota set` alone opens the quota form.',
];

/** What `/kpi quota set …` asks for. */
export type TQuotaSetCommand =
  | { kind: 'modal'; prefill: TQuotaModalPrefill }
  | {
      kind: 'set';
      target: { kind: 'user'; userId: string } | { kind: 'team'; team: SalesTeam };
      amountMinor: bigint;
      currency: string;
      period: TQuotaPeriod;
    };

interface TParseContext {
  defaultCurrency: string;
  /** The asker's locale: their number form (`1.200` is 1,200 for a Vietnamese reader). */
  locale?: string;
  period: TPeriodContext;
  teams: readonly SalesTeam[];
}

function usageError(message: string, example = QUOTA_SET_USAGE, i18n?: TErrorI18n): AppError {
  return new AppError('INVALID_INPUT', `${message}\n${USAGE_LINES.join('\n')}`, { example, ...(i18n ? { i18n: { ...i18n, then: { key: 'ops.quota.usage', separator: '\n' } } } : {}) });
}

/** Longest leading run (at most 3 words) that reads as an amount: `50k`, `$50,000`, `800 triệu`, `50,000 EUR`. */
function takeAmount(words: readonly string[], defaultCurrency: string, locale: string | undefined): { amountMinor: bigint; currency: string; rest: string[] } {
  let firstError: unknown;
  for (let n = Math.min(3, words.length); n >= 1; n--) {
    try {
      const parsed = parseAmount(words.slice(0, n).join(' '), { defaultCurrency, locale });
      return { ...parsed, rest: words.slice(n) };
    } catch (e) {
      if (n === 1) firstError = e;
    }
  }
  if (firstError instanceof AppError) throw new AppError(firstError.code, firstError.message, { example: QUOTA_SET_USAGE, ...(firstError.i18n ? { i18n: withoutExamples(firstError.i18n) } : {}) });
  throw usageError('Give the quota amount after who it is for.', QUOTA_SET_USAGE, { key: 'error.quota.amountMissing' });
}

/**
 * Reads the words after `/kpi quota set` (Slack-escaped mentions `<@U123|name>`). Nothing, or
 * only who it is for, opens the quota form. Otherwise: who (`@rep`, `team <name>`, or a team's
 * name), the amount, an optional currency code, and an optional period (default: this month; a
 * bare `quarter` or `year` means the current one). Team names may have spaces: the longest
 * leading run of words naming an existing team is taken.
 *
 * @example
 * parseQuotaSetCommand(['<@U1|dana>', '50k', 'quarter'], ctx);
 * // { kind: 'set', target: { kind: 'user', userId: 'U1' }, amountMinor: 5000000n, currency: 'USD', period: Q4 … }
 * parseQuotaSetCommand([], ctx); // { kind: 'modal', prefill: {} }
 */
export function parseQuotaSetCommand(words: readonly string[], ctx: TParseContext): TQuotaSetCommand {
  if (words.length === 0) return { kind: 'modal', prefill: {} };
  const first = words[0] ?? '';
  let target: Extract<TQuotaSetCommand, { kind: 'set' }>['target'];
  let rest: string[];
  const userId = parseUserMention(first);
  if (userId) {
    target = { kind: 'user', userId };
    rest = words.slice(1);
    if (rest.length === 0) return { kind: 'modal', prefill: { repUserId: userId } };
  } else if (first.startsWith('@') || first.startsWith('<@')) {
    throw usageError(`I couldn't tell who "${first}" is. Mention the rep with @ and pick them from the list, so Slack links the name.`, QUOTA_SET_USAGE, { key: 'error.quota.whoUnclear', values: { typed: first } });
  } else {
    const explicitTeam = first.toLowerCase() === 'team';
    const afterKeyword = explicitTeam ? words.slice(1) : [...words];
    if (explicitTeam && afterKeyword.length === 0) throw usageError('Say which team.', '/kpi quota set team North 100k quarter', { key: 'error.quota.whichTeam' });
    const match = matchTeamPrefix(afterKeyword, ctx.teams);
    if (!match) {
      if (!explicitTeam) throw usageError(`Say who the quota is for: mention a rep, or write "team" and the team's name. "${first}" is neither.`, QUOTA_SET_USAGE, { key: 'error.quota.whoMissing', values: { typed: first } });
      const amountAt = afterKeyword.findIndex((w) => /^[$€£¥₫]?\d/.test(w));
      throw noSuchTeam(afterKeyword.slice(0, amountAt < 0 ? afterKeyword.length : Math.max(1, amountAt)).join(' '), ctx.teams);
    }
    target = { kind: 'team', team: match.team };
    rest = match.rest;
    if (rest.length === 0) return { kind: 'modal', prefill: { teamId: match.team.id } };
  }

  const amount = takeAmount(rest, ctx.defaultCurrency, ctx.locale);
  let currency = amount.currency;
  let amountMinor = amount.amountMinor;
  let periodWords = amount.rest;
  const code = periodWords[0]?.toUpperCase() ?? '';
  if (/^[A-Z]{3}$/.test(code) && isKnownCurrency(code)) {
    // `50k EUR` written as two words after a one-word amount: read the amount in that currency.
    const again = parseAmount(rest.slice(0, rest.length - periodWords.length).join(' '), { defaultCurrency: code, locale: ctx.locale });
    if (again.currency !== code) {
      throw new AppError('AMBIGUOUS', `The amount says ${again.currency} but you also wrote ${code}. Give just one currency.`, { example: QUOTA_SET_USAGE, i18n: { key: 'error.quota.twoCurrencies', values: { said: again.currency, code } } });
    }
    currency = code;
    amountMinor = again.amountMinor;
    periodWords = periodWords.slice(1);
  }
  const period = parseQuotaPeriod(periodWords.join(' '), ctx.period);
  return { kind: 'set', target, amountMinor, currency, period };
}

function periodContext(workspace: Workspace, now: Date): TPeriodContext {
  return { now, timeZone: workspace.timeZone, fiscalYearStartMonth: workspace.fiscalYearStartMonth };
}

/**
 * Opens the quota modal (managers and admins): teams, the currencies a quota can be entered in
 * (the reporting one and those with a rate) and this/next period names come from the workspace;
 * the words are the person's language (`localeOf`).
 */
export async function openQuotaModal(deps: AppDeps, opts: { member: TMember; triggerId: string; meta: TQuotaModalMeta; prefill?: TQuotaModalPrefill }): Promise<void> {
  const { workspace, rep } = opts.member;
  assertCanSetQuotas(rep);
  const ctx = periodContext(workspace, deps.now());
  const [teams, rates] = await Promise.all([
    listTeams({ db: deps.db, workspaceId: workspace.id }),
    listCurrencyRates({ db: deps.db, workspaceId: workspace.id }),
  ]);
  const locale = localeOf(opts.member);
  const names = (kind: 'month' | 'quarter' | 'year') => {
    const name = (p: TQuotaPeriod) => (locale !== 'en' ? shortPeriodLabelL(locale, p) : kind === 'month' ? p.label : p.key);
    return { this: name(relativeQuotaPeriod(kind, 'this', ctx)), next: name(relativeQuotaPeriod(kind, 'next', ctx)) };
  };
  const view = buildQuotaModal({
    teams: teams.map((t) => ({ id: t.id, name: t.name })),
    currencies: [workspace.currency, ...rates.map((r) => r.fromCurrency)],
    reportingCurrency: workspace.currency,
    timeZone: workspace.timeZone,
    periodNames: { month: names('month'), quarter: names('quarter'), year: names('year') },
    meta: opts.meta,
    seal: (json) => deps.sealer.seal('quota-modal', { teamId: workspace.slackTeamId ?? '', userId: rep.slackUserId ?? '' }, json),
    ...(opts.prefill ? { prefill: opts.prefill } : {}),
    locale,
  });
  await deps.slack.openModal(opts.triggerId, view);
}

/**
 * `/kpi quota set …` (managers and admins only), called by the `/kpi quota` subcommand when the
 * first word after `quota` is `set`. Accepts the words after `set` (a leading `set` is skipped
 * too). Sets the quota and returns the private confirmation, or opens the quota modal (returning
 * nothing) when only `set` or only who was given. Refusals are AppErrors the router answers
 * privately.
 */
export async function runQuotaSet(a: TKpiSubcommandArgs): Promise<SlackMessage | void> {
  const { deps, command, member } = a;
  const words = a.args[0]?.toLowerCase() === 'set' ? a.args.slice(1) : a.args;
  const { workspace, rep } = member;
  assertCanSetQuotas(rep);
  const now = deps.now();
  const teams = await listTeams({ db: deps.db, workspaceId: workspace.id });
  const parsed = parseQuotaSetCommand(words, { defaultCurrency: workspace.currency, locale: localeOf(member), period: periodContext(workspace, now), teams });
  if (parsed.kind === 'modal') {
    await openQuotaModal(deps, { member, triggerId: command.trigger_id, meta: { channelId: command.channel_id ?? null, origin: 'command' }, prefill: parsed.prefill });
    return;
  }
  let who: Parameters<typeof buildQuotaConfirmation>[0]['who'];
  let target: { repId: number } | { teamId: number };
  if (parsed.target.kind === 'user') {
    const targetRep = parsed.target.userId === rep.slackUserId ? rep : (await memberFor(deps, command.team_id, parsed.target.userId)).rep;
    who = { kind: 'rep', slackUserId: targetRep.slackUserId, name: targetRep.name };
    target = { repId: targetRep.id };
  } else {
    who = { kind: 'team', name: parsed.target.team.name };
    target = { teamId: parsed.target.team.id };
  }
  const result = await setQuota({ db: deps.db, actor: rep, workspace, target, amountMinor: parsed.amountMinor, currency: parsed.currency, period: parsed.period, now, requestKey: commandRequestKey(command) });
  return buildQuotaConfirmation({
    who,
    amountMinor: result.quota.amountMinor,
    currency: result.quota.currency,
    entered: result.entered,
    period: parsed.period,
    replacedMinor: result.previous && result.changed ? result.previous.amountMinor : null,
    changed: result.changed,
    locale: localeOf(member),
  });
}
