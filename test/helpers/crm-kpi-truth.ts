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

/** `$12,345.60` (or `$12,345`) → 1234560n cents; the first amount in the text after `from`. */
export function centsIn(text: string, from = 0): bigint[] {
  return [...text.slice(from).matchAll(/-?\$([\d,]+)(?:\.(\d{1,2}))?/g)].map((m) => BigInt(m[1]!.replace(/,/g, '')) * 100n + BigInt((m[2] ?? '0').padEnd(2, '0')));
}
