import { allocateQuota, type TQuotaRow } from '../metrics/period-allocation.js';
import type { TDateRange } from '../metrics/scope.js';
import type { TLeadCountEntry } from '../../storage/queries/lead-counts.js';

/**
 * One bulk lead count (`/kpi leads 500 2026-03 [team North | @rep] [source]`, or a CSV row) as
 * the conversion rule reads it. Its level follows from who it is for: a rep (`repId`), a team
 * (`teamId`, no rep) or the whole workspace (neither).
 */
export type TBulkLeadRow = TLeadCountEntry;

/** Leads logged one by one (deals created in the range, `/deal lead` included) per owner. */
export interface TLoggedLeads {
  readonly repId: number;
  /** The rep's current team; only read when a team-level count exists. */
  readonly teamId: number | null;
  /** Deals created in the range (each one a lead). */
  readonly created: number;
  /** Of those, won by now (converted). */
  readonly won: number;
}

/** Which leads the total is made of. */
export type TLeadBasis = 'none' | 'logged' | 'bulk' | 'mixed';

export interface TLeadTotal {
  /** The lead total of the range: every lead counted once. */
  readonly leads: number;
  /** Leads of the range that became won customers (won deals of the cohort). */
  readonly converted: number;
  /** Leads taken from bulk counts (after a too-small count was raised, see `raised`). */
  readonly bulkLeads: number;
  /** Leads logged one by one that were added (no bulk count covers their owner). */
  readonly loggedLeads: number;
  /** Leads logged one by one that were NOT added because a bulk count covers them. */
  readonly coveredLogged: number;
  /** Deals created in the range (all owners), whichever way they were counted. */
  readonly dealsCreated: number;
  /** True when a bulk count was below the deals logged under it and was raised to them. */
  readonly raised: boolean;
  readonly basis: TLeadBasis;
}

/** month | quarter | year by length, else the exact span: one period kind is used per unit (see `allocateQuota`). */
function spanKind(start: Date, end: Date): string {
  const days = Math.round((end.getTime() - start.getTime()) / 86_400_000);
  if (days >= 28 && days <= 31) return 'month';
  if (days >= 89 && days <= 92) return 'quarter';
  if (days >= 365 && days <= 366) return 'year';
  return `span-${end.getTime() - start.getTime()}`;
}

/**
 * One unit's bulk total over the range, or null when none of its rows overlaps the range. A count
 * without a source is the unit's total of every source, so it wins over counts per source; counts
 * per source are distinct leads and add up. Within each, rows of one period kind are used (a
 * quarterly count and the monthly counts inside it are never added), pro-rated by time when they
 * only partly overlap the range: the quota rule, `allocateQuota`.
 */
function unitTotal(rows: readonly TBulkLeadRow[], range: TDateRange): number | null {
  if (rows.length === 0) return null;
  const allocate = (list: readonly TBulkLeadRow[]): number | null => {
    const q: TQuotaRow[] = list.map((r) => ({ periodStart: r.periodStart, periodEnd: r.periodEnd, periodKind: spanKind(r.periodStart, r.periodEnd), amountMinor: BigInt(r.count) }));
    const a = allocateQuota(q, range);
    return a === null ? null : Number(a.quotaMinor);
  };
  const unsourced = allocate(rows.filter((r) => r.source === null));
  if (unsourced !== null) return unsourced;
  const bySource = new Map<string, TBulkLeadRow[]>();
  for (const r of rows) if (r.source !== null) bySource.set(r.source, [...(bySource.get(r.source) ?? []), r]);
  let total: number | null = null;
  for (const list of bySource.values()) {
    const n = allocate(list);
    if (n !== null) total = (total ?? 0) + n;
  }
  return total;
}

/**
 * The lead total of a range for conversion (SPEC §1.3), from bulk counts and leads logged one by
 * one, never counting a lead twice. Rule, from the widest count down:
 * 1. A workspace-wide count (no team, no rep) is the total: every team or rep count and every
 *    individually logged lead is taken as part of it.
 * 2. Otherwise a team's count is that team's total: its reps' counts and their logged leads are
 *    part of it.
 * 3. Otherwise a rep's count is that rep's total: their logged leads are part of it.
 * 4. Everyone no count covers adds their individually logged leads (deals created in the range,
 *    `/deal lead` included).
 * A unit's count that is below the deals logged under it is raised to them (a unit cannot convert
 * more leads than it had): `raised`. Converted = the won deals of the range's cohort, whichever
 * way their lead was counted. Rows must already be limited to the scope asked about (a team's
 * answer holds no workspace-wide row).
 *
 * @example
 * const march = { start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-04-01T00:00:00Z') };
 * countLeads({
 *   range: march,
 *   bulk: [{ periodStart: march.start, periodEnd: march.end, count: 500, repId: null, teamId: null, repTeamId: null, source: null }],
 *   logged: [{ repId: 1, teamId: null, created: 50, won: 50 }],
 * }); // { leads: 500, converted: 50, bulkLeads: 500, loggedLeads: 0, coveredLogged: 50, basis: 'bulk', … } → 10%
 */
export function countLeads({ range, bulk, logged }: { range: TDateRange; bulk: readonly TBulkLeadRow[]; logged: readonly TLoggedLeads[] }): TLeadTotal {
  const dealsCreated = logged.reduce((s, l) => s + l.created, 0);
  const converted = logged.reduce((s, l) => s + l.won, 0);
  let bulkLeads = 0;
  let loggedLeads = 0;
  let coveredLogged = 0;
  let raised = false;
  let anyBulk = false;
  const addUnit = (total: number, under: readonly TLoggedLeads[]) => {
    const created = under.reduce((s, l) => s + l.created, 0);
    anyBulk = true;
    if (total < created) raised = true;
    bulkLeads += Math.max(total, created);
    coveredLogged += created;
  };

  const workspaceTotal = unitTotal(bulk.filter((r) => r.repId === null && r.teamId === null), range);
  if (workspaceTotal !== null) {
    addUnit(workspaceTotal, logged);
  } else {
    const teamTotals = new Map<number, number>();
    const teamIds = new Set(bulk.filter((r) => r.repId === null && r.teamId !== null).map((r) => r.teamId as number));
    for (const teamId of teamIds) {
      const t = unitTotal(bulk.filter((r) => r.repId === null && r.teamId === teamId), range);
      if (t !== null) teamTotals.set(teamId, t);
    }
    for (const [teamId, total] of teamTotals) addUnit(total, logged.filter((l) => l.teamId === teamId));
    const repTotals = new Map<number, number>();
    const repIds = new Set(bulk.filter((r) => r.repId !== null && !(r.repTeamId !== null && teamTotals.has(r.repTeamId))).map((r) => r.repId as number));
    for (const repId of repIds) {
      const t = unitTotal(bulk.filter((r) => r.repId === repId), range);
      if (t !== null) repTotals.set(repId, t);
    }
    for (const [repId, total] of repTotals) addUnit(total, logged.filter((l) => l.repId === repId && !(l.teamId !== null && teamTotals.has(l.teamId))));
    for (const l of logged) {
      const covered = (l.teamId !== null && teamTotals.has(l.teamId)) || repTotals.has(l.repId);
      if (!covered) loggedLeads += l.created;
    }
  }
  const leads = bulkLeads + loggedLeads;
  const basis: TLeadBasis = !anyBulk ? (loggedLeads > 0 ? 'logged' : 'none') : loggedLeads > 0 ? 'mixed' : 'bulk';
  return { leads, converted, bulkLeads, loggedLeads, coveredLogged, dealsCreated, raised, basis };
}
