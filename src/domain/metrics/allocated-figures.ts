import type { Db } from '../../storage/db.js';
import { quotaRows, type TMetricsQueryArgs, type TMetricsSeriesArgs } from '../../storage/queries/metrics.js';
import { allocateQuota, type TQuotaAllocation, type TQuotaRow } from './period-allocation.js';

// Storage returns quota and lead-count rows as stored; the rules that spread them over the period
// asked about (proration, one period kind per owner) are domain rules and live here.

export interface TRepQuota extends TQuotaAllocation {
  readonly repId: number;
}

export interface TTeamQuota extends TQuotaAllocation {
  readonly teamId: number;
}

export interface TQuotasInRange {
  /** Quota per rep of the scope that has one (see `allocateQuota` for the rule). */
  readonly reps: readonly TRepQuota[];
  /** Team-level quotas (Quota rows with a teamId and no repId) for teams of the scope. */
  readonly teams: readonly TTeamQuota[];
}

/**
 * Quotas for the range. Per owner (rep, or team for team-level rows): quotas fully inside the range
 * are summed; a quota that only partly overlaps (e.g. a quarter containing the month asked about)
 * counts pro-rata by time; one period kind per owner (see `allocateQuota`).
 */
export async function quotasInRange(db: Db, args: TMetricsQueryArgs): Promise<TQuotasInRange> {
  const rows = await quotaRows(db, args);
  const byRep = new Map<number, TQuotaRow[]>();
  const byTeam = new Map<number, TQuotaRow[]>();
  for (const row of rows) {
    if (row.repId !== null) byRep.set(row.repId, [...(byRep.get(row.repId) ?? []), row]);
    else if (row.teamId !== null) byTeam.set(row.teamId, [...(byTeam.get(row.teamId) ?? []), row]);
  }
  const reps: TRepQuota[] = [];
  for (const [repId, list] of byRep) {
    const a = allocateQuota(list, args.range);
    if (a) reps.push({ repId, ...a });
  }
  const teams: TTeamQuota[] = [];
  for (const [teamId, list] of byTeam) {
    const a = allocateQuota(list, args.range);
    if (a) teams.push({ teamId, ...a });
  }
  reps.sort((a, b) => a.repId - b.repId);
  teams.sort((a, b) => a.teamId - b.teamId);
  return { reps, teams };
}

