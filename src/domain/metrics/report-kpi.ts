import { AppError } from '../../errors.js';
import { aliasKey, KPI_WORD_INDEX, withoutVietnameseMarks } from '../command-aliases.js';
import type { Db } from '../../storage/db.js';
import type { Workspace } from '../../storage/models.js';
import { repNameById, teamNameById } from '../../storage/queries/names.js';
import { buildKpiReport } from './build-kpi-report.js';
import { resolveKpiPeriods, type TKpiPeriods } from './kpi-periods.js';
import { KPIS, type TKpi, type TKpiReport } from './kpi-report.js';
import type { TScope } from './scope.js';

/**
 * The KPI answer use case, the same for `/kpi`, the Share button and the CLI demo: names the KPI,
 * resolves the period once (workspace zone and fiscal year) with its comparison periods, names the
 * scope and runs `buildKpiReport`. Rendering is the caller's (slack/blocks/kpi/answer.ts).
 */

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
 * normalizeKpiName('tỷ-lệ-chốt'); // 'winrate' (every language: domain/command-aliases.ts)
 */
export function normalizeKpiName(name: string): TKpi | null {
  const n = name.trim().toLowerCase();
  const local = KPI_WORD_INDEX.keys.get(withoutVietnameseMarks(aliasKey(name))) ?? KPI_WORD_INDEX.keys.get(aliasKey(name));
  return KPIS.find((k) => KPI_ALIASES[k].includes(n)) ?? (local !== undefined && local !== 'help' ? local : null);
}

export interface TReportKpiInput {
  readonly db: Db;
  /** The workspace row (zone, fiscal year, currency, thresholds). */
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
}

/** A KPI answer as figures: what every surface renders. */
export interface TKpiAnswerData {
  readonly kpi: TKpi;
  readonly report: TKpiReport;
  readonly periods: TKpiPeriods;
  /** The period words as typed (trimmed) and the instant they were read at. */
  readonly periodInput: string;
  readonly anchor: Date;
  readonly scope: TScope;
  readonly scopeLabel: string;
  readonly targetMinor: bigint | null;
}

/** `all reps`, `team East`, or the rep's name; NOT_FOUND when the rep or team is not in the workspace. */
export async function describeScope(db: Db, workspaceId: number, scope: TScope): Promise<string> {
  switch (scope.kind) {
    case 'workspace':
      return 'all reps';
    case 'rep': {
      const name = await repNameById(db, workspaceId, scope.repId);
      if (name === null) throw new AppError('NOT_FOUND', 'That rep is not part of this workspace any more.', { example: '/kpi winrate', i18n: { key: 'error.metrics.repGone' } });
      return name;
    }
    case 'team': {
      const name = await teamNameById(db, workspaceId, scope.teamId);
      if (name === null) throw new AppError('NOT_FOUND', 'That team no longer exists in this workspace.', { example: '/kpi winrate', i18n: { key: 'error.metrics.teamGone' } });
      return `team ${name}`;
    }
  }
}

/**
 * One KPI answer's figures.
 *
 * @example
 * const data = await reportKpi({ db, workspace, kpi: 'winrate', periodInput: '2017', now: new Date() });
 * data.periods.period.key; // '2017'
 */
export async function reportKpi(input: TReportKpiInput): Promise<TKpiAnswerData> {
  const kpi = normalizeKpiName(input.kpi);
  if (!kpi) throw new AppError('INVALID_INPUT', `"${input.kpi}" is not a KPI. KPIs: ${KPIS.join(', ')}.`, { example: '/kpi winrate', i18n: { key: 'error.metrics.notKpi', values: { typed: input.kpi, kpis: KPIS.join(', ') } } });
  const { db, workspace, now } = input;
  const scope = input.scope ?? { kind: 'workspace' };
  const periodInput = (input.periodInput ?? '').trim();
  const anchor = input.periodAnchor ?? now;
  const periods = resolveKpiPeriods(periodInput, { now: anchor, timeZone: workspace.timeZone, fiscalYearStartMonth: workspace.fiscalYearStartMonth });
  const targetMinor = input.targetMinor ?? null;
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
      options: { targetMinor },
    }),
  ]);
  return { kpi, report, periods, periodInput, anchor, scope, scopeLabel, targetMinor };
}
