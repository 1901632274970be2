/**
 * MRR movements of a period (SPEC §1.4, subscriptions): how MRR went from the start of the period
 * to its end, customer by customer. A customer's MRR is the sum of the monthly amounts of their
 * subscriptions active at the instant (see `mrrAtInstants`); comparing each customer's MRR at the
 * two instants classifies the change:
 *
 * | at start | at end | movement |
 * | --- | --- | --- |
 * | 0 | > 0, never subscribed before the start | **new** (end MRR) |
 * | 0 | > 0, subscribed at some time before the start | **reactivated** (end MRR) |
 * | > 0 | higher | **expansion** (the increase) |
 * | > 0 | lower, > 0 | **contraction** (the decrease) |
 * | > 0 | 0 | **churned** (start MRR) |
 *
 * So, exactly: end MRR − start MRR = new + reactivated + expansion − contraction − churned.
 * Movements inside the period that cancel out for a customer (up then down again) net to nothing.
 */
export interface TCustomerMrrChange {
  /** The customer's key (`customerKey`), for counting logos. */
  readonly customer: string;
  readonly startMinor: bigint;
  readonly endMinor: bigint;
  /** The customer had a subscription that started before the period's start. */
  readonly subscribedBefore: boolean;
}

export interface TMrrMovements {
  readonly startMrrMinor: bigint;
  readonly endMrrMinor: bigint;
  readonly newMinor: bigint;
  readonly expansionMinor: bigint;
  /** Positive: MRR lost by customers who stayed at a lower amount. */
  readonly contractionMinor: bigint;
  /** Positive: MRR lost by customers who left. */
  readonly churnedMinor: bigint;
  readonly reactivatedMinor: bigint;
  /** end − start = new + reactivated + expansion − contraction − churned. */
  readonly netChangeMinor: bigint;
  readonly customersAtStart: number;
  readonly customersAtEnd: number;
  readonly newCustomers: number;
  readonly expandedCustomers: number;
  readonly contractedCustomers: number;
  readonly churnedCustomers: number;
  readonly reactivatedCustomers: number;
}

/**
 * Classifies each customer's MRR change over a period (table above). Every figure is BigInt minor
 * units of the reporting currency; the movements always sum exactly to the change in MRR.
 *
 * @example
 * computeMrrMovements([
 *   { customer: 'a', startMinor: 100n, endMinor: 150n, subscribedBefore: true }, // expansion 50
 *   { customer: 'b', startMinor: 100n, endMinor: 0n, subscribedBefore: true }, // churned 100
 *   { customer: 'c', startMinor: 0n, endMinor: 80n, subscribedBefore: false }, // new 80
 * ]);
 * // { startMrrMinor: 200n, endMrrMinor: 230n, newMinor: 80n, expansionMinor: 50n, contractionMinor: 0n,
 * //   churnedMinor: 100n, reactivatedMinor: 0n, netChangeMinor: 30n, customersAtStart: 2, customersAtEnd: 2, … }
 */
export function computeMrrMovements(customers: readonly TCustomerMrrChange[]): TMrrMovements {
  let startMrrMinor = 0n;
  let endMrrMinor = 0n;
  let newMinor = 0n;
  let expansionMinor = 0n;
  let contractionMinor = 0n;
  let churnedMinor = 0n;
  let reactivatedMinor = 0n;
  let customersAtStart = 0;
  let customersAtEnd = 0;
  let newCustomers = 0;
  let expandedCustomers = 0;
  let contractedCustomers = 0;
  let churnedCustomers = 0;
  let reactivatedCustomers = 0;
  for (const c of customers) {
    if (c.startMinor < 0n || c.endMinor < 0n) throw new RangeError(`negative MRR for customer ${c.customer}`);
    startMrrMinor += c.startMinor;
    endMrrMinor += c.endMinor;
    if (c.startMinor > 0n) customersAtStart++;
    if (c.endMinor > 0n) customersAtEnd++;
    if (c.startMinor === 0n && c.endMinor > 0n) {
      if (c.subscribedBefore) {
        reactivatedMinor += c.endMinor;
        reactivatedCustomers++;
      } else {
        newMinor += c.endMinor;
        newCustomers++;
      }
    } else if (c.startMinor > 0n && c.endMinor === 0n) {
      churnedMinor += c.startMinor;
      churnedCustomers++;
    } else if (c.endMinor > c.startMinor) {
      expansionMinor += c.endMinor - c.startMinor;
      expandedCustomers++;
    } else if (c.endMinor < c.startMinor) {
      contractionMinor += c.startMinor - c.endMinor;
      contractedCustomers++;
    }
  }
  return {
    startMrrMinor,
    endMrrMinor,
    newMinor,
    expansionMinor,
    contractionMinor,
    churnedMinor,
    reactivatedMinor,
    netChangeMinor: endMrrMinor - startMrrMinor,
    customersAtStart,
    customersAtEnd,
    newCustomers,
    expandedCustomers,
    contractedCustomers,
    churnedCustomers,
    reactivatedCustomers,
  };
}

export interface TRetention {
  /**
   * Net revenue retention = (start MRR + expansion − contraction − churned) / start MRR: what the
   * customers present at the start pay at the end (new and reactivated customers left out).
   * Null without MRR at the start.
   */
  readonly nrr: number | null;
  /** Gross revenue retention = (start MRR − contraction − churned) / start MRR (expansion left out; at most 100%). */
  readonly grr: number | null;
  /** Logo churn = customers churned / customers with MRR at the start. */
  readonly logoChurn: number | null;
  /** MRR churn rate = churned MRR / start MRR (the alert rule `mrr-churn` compares it with its threshold). */
  readonly mrrChurn: number | null;
}

/** a / b as a number with 6 exact decimals (both bigints, b > 0). */
function ratio(a: bigint, b: bigint): number {
  return Number((a * 1_000_000n) / b) / 1_000_000;
}

/**
 * Retention figures of a period from its movements (definitions on `TRetention`).
 *
 * @example
 * computeRetention(computeMrrMovements([
 *   { customer: 'a', startMinor: 100n, endMinor: 150n, subscribedBefore: true },
 *   { customer: 'b', startMinor: 100n, endMinor: 0n, subscribedBefore: true },
 * ]));
 * // { nrr: 0.75, grr: 0.5, logoChurn: 0.5, mrrChurn: 0.5 }
 */
export function computeRetention(m: TMrrMovements): TRetention {
  if (m.startMrrMinor <= 0n) return { nrr: null, grr: null, logoChurn: null, mrrChurn: null };
  const kept = m.startMrrMinor - m.contractionMinor - m.churnedMinor;
  return {
    nrr: ratio(kept + m.expansionMinor, m.startMrrMinor),
    grr: ratio(kept, m.startMrrMinor),
    logoChurn: m.customersAtStart > 0 ? m.churnedCustomers / m.customersAtStart : null,
    mrrChurn: ratio(m.churnedMinor, m.startMrrMinor),
  };
}
