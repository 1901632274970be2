import type { Db } from '../../storage/db.js';
import { leadCountEntries } from '../../storage/queries/lead-counts.js';
import { cohortByOwnerSeries, repsByIds, type TMetricsSeriesArgs } from '../../storage/queries/metrics.js';
import { countLeads, type TLeadTotal } from './count-leads.js';

/**
 * The lead total of each range (bulk counts and leads logged one by one, never a lead twice: see
 * `countLeads`), in the order given. Two queries (the cohort per owner, the counts overlapping the
 * ranges), plus the owners' teams only when a team-level count exists.
 *
 * @example
 * const [march] = await leadTotalSeries(db, { workspaceId, scope: { kind: 'workspace' }, ranges: [march2026] });
 * march.leads; // 500 after `/kpi leads 500 2026-03`, however many deals were logged in March
 */
export async function leadTotalSeries(db: Db, args: TMetricsSeriesArgs): Promise<TLeadTotal[]> {
  const [cohorts, entries] = await Promise.all([cohortByOwnerSeries(db, args), leadCountEntries(db, args)]);
  const teamOf = new Map<number, number | null>();
  if (entries.some((e) => e.repId === null && e.teamId !== null)) {
    const owners = [...new Set(cohorts.flatMap((c) => c.map((o) => o.ownerId)))];
    for (const rep of await repsByIds(db, args.workspaceId, owners)) teamOf.set(rep.repId, rep.teamId);
  }
  return args.ranges.map((range, i) =>
    countLeads({
      range,
      bulk: entries,
      logged: (cohorts[i] ?? []).map((o) => ({ repId: o.ownerId, teamId: teamOf.get(o.ownerId) ?? null, created: o.created, won: o.won })),
    }),
  );
}
