import type { TKpi } from '../../domain/metrics/kpi-report.js';
import { buildKpiAnswer, KPI_ALIASES } from './kpi-answer.js';
import { parseKpiArgs } from './parse-kpi-args.js';
import type { TKpiSubcommand, TKpiSubcommandArgs } from './registry.js';
import type { SlackMessage } from '../gateway.js';
import { runQuotaSet } from './quota-set.js';
import type { TMember } from '../../domain/workspaces/ensure-member.js';
import { t, type TMessageKey } from '../../i18n/t.js';
import { localeOf } from '../locale-of.js';

/**
 * The KPI answers of `/kpi` (SPEC §2). Thin: parse the words (period, scope, target), one domain
 * call (`buildKpiAnswer`), and return the private answer for the router to post. Any member of the
 * workspace may read any KPI of any scope (SPEC: "anyone asks `/kpi winrate`"); writing quotas is
 * the managers' `quota set`.
 */
export async function runKpiAnswer(kpi: TKpi, { deps, command, member, args }: TKpiSubcommandArgs): Promise<SlackMessage> {
  const now = deps.now();
  const parsed = await parseKpiArgs({
    db: deps.db,
    workspace: member.workspace,
    kpi,
    args,
    now,
    // "me" for someone the app has not met yet names nobody's deals; a mentioned rep is looked
    // up, never created (a KPI answer writes nothing).
    self: member.rep,
    // The target of `plan` in the asker's number form.
    locale: localeOf(member),
  });
  const answer = await buildKpiAnswer({
    db: deps.db,
    workspace: member.workspace,
    kpi,
    periodInput: parsed.periodInput,
    scope: parsed.scope,
    scopeLabel: parsed.scopeLabel,
    targetMinor: parsed.targetMinor,
    now,
    quickchartUrl: deps.config.QUICKCHART_URL,
    // Team-bound only: whoever sees the answer may share it; the KPI, period and scope stay as asked.
    sealShare: (value) => deps.sealer.seal('kpi-share', { teamId: command.team_id }, value),
    locale: localeOf(member),
  });
  return answer.message;
}

function answer(kpi: TKpi): TKpiSubcommand {
  const helpKey = `help.${kpi}` as TMessageKey;
  return { names: [...KPI_ALIASES[kpi]], help: t('en', helpKey), helpKey, run: (a) => runKpiAnswer(kpi, a), readsOnly: () => true };
}

export const winRateSubcommand = answer('winrate');
export const conversionSubcommand = answer('conversion');
export const dealSizeSubcommand = answer('dealsize');
export const revenueSubcommand = answer('revenue');
export const mrrSubcommand = answer('mrr');
export const funnelSubcommand = answer('funnel');
export const planSubcommand = answer('plan');
export const leaderboardSubcommand = answer('leaderboard');

/** `/kpi quota set …` is the quota writer's (managers and admins); anything else is the attainment answer. */
async function quotaRun(a: TKpiSubcommandArgs): Promise<SlackMessage | void> {
  if (a.args[0]?.toLowerCase() === 'set') return runQuotaSet(a);
  return runKpiAnswer('quota', a);
}

export const quotaSubcommand: TKpiSubcommand = {
  names: [...KPI_ALIASES.quota],
  help: t('en', 'help.quota'),
  helpKey: 'help.quota',
  run: quotaRun,
  readsOnly: (args) => args[0]?.toLowerCase() !== 'set',
};

/** In help order; registered ahead of the admin subcommands. */
export const KPI_ANSWER_SUBCOMMANDS: TKpiSubcommand[] = [
  winRateSubcommand,
  conversionSubcommand,
  quotaSubcommand,
  dealSizeSubcommand,
  revenueSubcommand,
  mrrSubcommand,
  funnelSubcommand,
  planSubcommand,
  leaderboardSubcommand,
];
