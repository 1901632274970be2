import type { TTruth } from './crm-harness.js';

/**
 * An independent count of the `/kpi` figures of one UTC month, straight from a CRM fake's records
 * (`THarness.truth()`) and the formulas of SPEC §1 — written apart from the app's metric code
 * (src/domain/metrics/), so a test comparing the two compares two computations, not one.
 *
 * - Win rate (§1.3) = won / (won + lost) among deals closed in the period.
 * - Average deal size (§1.2) = total won amount / number of won deals, closed in the period
 *   (rounded half up to the cent, as money is shown in whole minor units).
 * - Net revenue (§1.4) = won amounts closed in the period − refunds (a CRM records none here).
 * - Funnel (§1.5): the cohort of deals that entered the funnel (were created) in the period, and
 *   how many of them are won.
 */
export interface TKpiTruth {
  won: number;
  lost: number;
  /** won / (won + lost); null without closed deals. */
  winRate: number | null;
  wonMinor: bigint;
  averageMinor: bigint | null;
  netMinor: bigint;
  entered: number;
  enteredWon: number;
}

const monthOf = (d: Date): string => d.toISOString().slice(0, 7);

export function kpiTruth(records: readonly TTruth[], month: string): TKpiTruth {
  let won = 0;
  let lost = 0;
  let wonMinor = 0n;
  let entered = 0;
  let enteredWon = 0;
  for (const r of records) {
    if (r.closedAt && monthOf(r.closedAt) === month) {
      if (r.status === 'won') {
        won++;
        wonMinor += r.cents;
      } else if (r.status === 'lost') lost++;
    }
    if (monthOf(r.createdAt) === month) {
      entered++;
      if (r.status === 'won') enteredWon++;
    }
  }
  const averageMinor = won === 0 ? null : (2n * wonMinor + BigInt(won)) / (2n * BigInt(won));
  return { won, lost, winRate: won + lost === 0 ? null : won / (won + lost), wonMinor, averageMinor, netMinor: wonMinor, entered, enteredWon };
}

/**
 * The funnel of the deals created in one UTC month, stage by stage (SPEC §1.5): `reached[k]` = deals
 * of the cohort that reached open stage k or a later one (a skipped stage counts as passed; a won
 * deal reached every stage), `reached[stageCount]` = the won ones. A deal's furthest stage is the
 * furthest of the CRM stages the test put it in (`TTruth.visited`), placed on the funnel by the
 * test's own table `positionOf` (CRM stage id → funnel index); a deal won once and lost or reopened
 * since passed every open stage. Entered at stage k = `reached[k]`;
 * advanced from stage k = `reached[k + 1]`.
 *
 * @example funnelTruth(records, '2025-03', new Map([['s1', 0], ['s2', 2]]), 4) // [60, 20, 20, 10, 10]
 */
export function funnelTruth(records: readonly TTruth[], month: string, positionOf: ReadonlyMap<string, number>, stageCount: number): number[] {
  const reached = new Array<number>(stageCount + 1).fill(0);
  for (const r of records) {
    if (monthOf(r.createdAt) !== month) continue;
    // Won once (even if lost or reopened since): it passed every open stage on the way.
    const furthest = r.status === 'won' ? stageCount : r.wasWon ? stageCount - 1 : Math.max(0, ...r.visited.map((id) => positionOf.get(id) ?? 0));
    for (let k = 0; k <= furthest; k++) reached[k]!++;
  }
  return reached;
}

/** `$12,345.60` (or `$12,345`) → 1234560n cents; the first amount in the text after `from`. */
export function centsIn(text: string, from = 0): bigint[] {
  return [...text.slice(from).matchAll(/-?\$([\d,]+)(?:\.(\d{1,2}))?/g)].map((m) => BigInt(m[1]!.replace(/,/g, '')) * 100n + BigInt((m[2] ?? '0').padEnd(2, '0')));
}
