import { AppError } from '../../errors.js';
import type { Workspace } from '../../storage/models.js';
import { buildKpiReport } from '../../domain/metrics/build-kpi-report.js';
import { KPIS, type TKpi, type TKpiReport } from '../../domain/metrics/kpi-report.js';
import type { TScope } from '../../domain/metrics/scope.js';
import type { TPeriod } from '../../domain/periods.js';
import type { Db } from '../../storage/db.js';
import { buildKpiMessage } from '../blocks/kpi/index.js';
import type { SlackMessage } from '../gateway.js';
import { kpiChartBlock } from './kpi-charts.js';
import { resolveKpiPeriods } from './parse-kpi-args.js';
import { encodeKpiShareValue } from './share-value.js';

/** Names people type for each KPI (`/kpi win-rate`, `/kpi arr`, `/kpi top`). */
export const KPI_ALIASES: Readonly<Record<TKpi, readonly string[]>> = {
  winrate: ['winrate', 'win-rate', 'win_rate', 'wins'],
  conversion: ['conversion', 'conv', 'conversion-rate'],
  quota: ['quota', 'quotas', 'attainment'],
  dealsize: ['dealsize', 'deal-size', 'deal_size', 'aov'],
  revenue: ['revenue', 'rev'],
  mrr: ['mrr', 'arr'],
  funnel: ['funnel', 'pipeline'],
  plan: ['plan', 'reverse-plan'],
  leaderboard: ['leaderboard', 'top', 'ranking'],
};

/**
 * The KPI a name stands for, or null.
 *
 * @example
 * normalizeKpiName('Win-Rate'); // 'winrate'
 * normalizeKpiName('arr'); // 'mrr'
 */
export function normalizeKpiName(name: string): TKpi | null {
  const n = name.trim().toLowerCase();
  return KPIS.find((k) => KPI_ALIASES[k].includes(n)) ?? null;
}

export interface TBuildKpiAnswerInput {
  readonly db: Db;
  /** The Prisma Workspace row (zone, fiscal year, currency, thresholds). */
  readonly workspace: Workspace;
  /** A KPI or one of its aliases (`win-rate`, `arr`, `top`). */
  readonly kpi: TKpi | string;
  /** Period words (`last month`, `2017`, `2026-Q3`); empty or absent = this month. */
  readonly periodInput?: string;
  /** Default: the whole workspace. A rep or team must belong to the workspace. */
  readonly scope?: TScope;
  /** How the scope is named; looked up when absent. */
  readonly scopeLabel?: string;
  /** plan: the target in reporting-currency minor units (default: the scope's quota). */
  readonly targetMinor?: bigint | null;
  /** Clock for the figures (pacing, MRR of a running period). */
  readonly now: Date;
  /** Instant relative periods (`this month`) are read at; default `now` (a shared answer keeps the original). */
  readonly periodAnchor?: Date;
  /** QuickChart base URL for the funnel / quota / revenue charts; no chart when absent. */
  readonly quickchartUrl?: string | null;
  /** Add the *Share in channel* button (default true). */
  readonly share?: boolean;
  /** Slack user who shared it: "Shared by <@user>", and no Share button. */
  readonly sharedBy?: string | null;
  /** Signs the Share button's value (ValueSealer, bound to the asker); unsigned when absent. */
  readonly sealShare?: (value: string) => string;
}

export interface TKpiAnswer {
  /** The Slack message: Block Kit body and `text` fallback. Render it with `renderMessageAsText` outside Slack. */
  readonly message: SlackMessage;
  readonly kpi: TKpi;
  readonly report: TKpiReport;
  readonly period: TPeriod;
  readonly previous: TPeriod | null;
  readonly trailing: readonly TPeriod[];
  readonly scope: TScope;
  readonly scopeLabel: string;
  /** The Share button's value (compact JSON), also when the button was left out. */
  readonly shareValue: string;
}

/** `all reps`, `team East`, or the rep's name; NOT_FOUND when the rep or team is not in the workspace. */
export async function describeScope(db: Db, workspaceId: number, scope: TScope): Promise<string> {
  switch (scope.kind) {
    case 'workspace':
      return 'all reps';
    case 'rep': {
      const rep = await db.prisma.rep.findFirst({ where: { id: scope.repId, workspaceId }, select: { name: true } });
      if (!rep) throw new AppError('NOT_FOUND', 'That rep is not part of this workspace any more.', { example: '/kpi winrate' });
      return rep.name;
    }
    case 'team': {
      const team = await db.prisma.salesTeam.findFirst({ where: { id: scope.teamId, workspaceId }, select: { name: true } });
      if (!team) throw new AppError('NOT_FOUND', 'That team no longer exists in this workspace.', { example: '/kpi winrate' });
      return `team ${team.name}`;
    }
  }
}

/**
 * One KPI answer, outside or inside Slack: resolves the period (workspace zone and fiscal year) and
 * its comparison periods, runs `buildKpiReport`, and builds the Block Kit message (with a chart
 * when a QuickChart URL is given, and the Share button). No Slack I/O: the caller posts it, or
 * prints it with `renderMessageAsText`.
 *
 * @example
 * const answer = await buildKpiAnswer({ db, workspace, kpi: 'winrate', periodInput: '2017', now: new Date(), quickchartUrl: 'https://quickchart.io' });
 * console.log(renderMessageAsText(answer.message));
 */
export async function buildKpiAnswer(input: TBuildKpiAnswerInput): Promise<TKpiAnswer> {
  const kpi = normalizeKpiName(input.kpi);
  if (!kpi) throw new AppError('INVALID_INPUT', `"${input.kpi}" is not a KPI. KPIs: ${KPIS.join(', ')}.`, { example: '/kpi winrate' });
  const { db, workspace, now } = input;
  const scope = input.scope ?? { kind: 'workspace' };
  const periodInput = (input.periodInput ?? '').trim();
  const periods = resolveKpiPeriods(periodInput, {
    now: input.periodAnchor ?? now,
    timeZone: workspace.timeZone,
    fiscalYearStartMonth: workspace.fiscalYearStartMonth,
  });
  const [scopeLabel, report] = await Promise.all([
    input.scopeLabel ?? describeScope(db, workspace.id, scope),
    buildKpiReport({
      db,
      workspace,
      kpi,
      range: periods.period,
      previousRange: periods.previous,
      trailingRanges: periods.trailing,
      scope,
      now,
      options: { targetMinor: input.targetMinor ?? null },
    }),
  ]);
  const shareValue = encodeKpiShareValue({
    kpi,
    periodInput,
    periodKey: periods.period.key,
    anchor: input.periodAnchor ?? now,
    scope,
    targetMinor: input.targetMinor ?? null,
  });
  const chart = kpiChartBlock(report, { period: periods.period, trailing: periods.trailing, quickchartUrl: input.quickchartUrl });
  const message = buildKpiMessage(report, {
    periodLabel: periods.period.label,
    timeZone: periods.period.timeZone,
    scopeLabel,
    previousLabel: periods.previous?.label ?? null,
    trailingLabel: periods.trailingLabel,
    shareValue: input.share === false ? null : input.sealShare ? input.sealShare(shareValue) : shareValue,
    sharedBy: input.sharedBy ?? null,
    chart,
  });
  return { message, kpi, report, period: periods.period, previous: periods.previous, trailing: periods.trailing, scope, scopeLabel, shareValue };
}
