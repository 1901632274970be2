import type { TKpi } from '../../domain/metrics/kpi-report.js';
import { buildKpiAnswer, KPI_ALIASES } from './kpi-answer.js';
import { parseKpiArgs } from './parse-kpi-args.js';
import type { TKpiSubcommand, TKpiSubcommandArgs } from './registry.js';
import type { SlackMessage } from '../gateway.js';
import { runQuotaSet } from './quota-set.js';

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
  });
  return answer.message;
}

const SCOPE = '[period] [@rep|me|team]';

function answer(kpi: TKpi, help: string): TKpiSubcommand {
  return { names: [...KPI_ALIASES[kpi]], help, run: (a) => runKpiAnswer(kpi, a), readsOnly: () => true };
}

export const winRateSubcommand = answer('winrate', `\`/kpi winrate ${SCOPE}\`: win rate = won ÷ (won + lost) of the deals closed in the period, e.g. \`/kpi winrate last month\``);
export const conversionSubcommand = answer('conversion', `\`/kpi conversion ${SCOPE}\`: lead conversion rate = leads of the period that became customers, e.g. \`/kpi conversion this quarter\``);
export const dealSizeSubcommand = answer('dealsize', `\`/kpi dealsize ${SCOPE}\`: average won deal, reps below average, oversized open deals, e.g. \`/kpi dealsize @dana\``);
export const revenueSubcommand = answer('revenue', `\`/kpi revenue ${SCOPE}\`: net revenue (won − refunds) and the new / upsell / renewal mix, e.g. \`/kpi revenue 2026-Q3\``);
export const mrrSubcommand = answer('mrr', `\`/kpi mrr ${SCOPE}\`: MRR and ARR of active subscriptions at the end of the period (or now), its MRR movements (new, expansion, contraction, churned, reactivated), NRR, GRR and logo churn, e.g. \`/kpi mrr last month\``);
export const funnelSubcommand = answer('funnel', `\`/kpi funnel ${SCOPE}\`: stage-to-stage conversion and the biggest leak, e.g. \`/kpi funnel last month\``);
export const planSubcommand = answer('plan', `\`/kpi plan [target] ${SCOPE}\`: deals and leads needed to reach a target (default: the quota), e.g. \`/kpi plan 800m VND\``);
export const leaderboardSubcommand = answer('leaderboard', `\`/kpi leaderboard ${SCOPE}\`: reps ranked by net won revenue, e.g. \`/kpi leaderboard this quarter\``);

/** `/kpi quota set …` is the quota writer's (managers and admins); anything else is the attainment answer. */
async function quotaRun(a: TKpiSubcommandArgs): Promise<SlackMessage | void> {
  if (a.args[0]?.toLowerCase() === 'set') return runQuotaSet(a);
  return runKpiAnswer('quota', a);
}

export const quotaSubcommand: TKpiSubcommand = {
  names: [...KPI_ALIASES.quota],
  help: `\`/kpi quota ${SCOPE}\`: attainment ratio (share of reps at quota) with its 60% / 90% bands, e.g. \`/kpi quota this quarter\`; managers: \`/kpi quota set @rep 50k month\``,
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
