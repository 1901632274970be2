import { describe, expect, test } from 'vitest';
import { computeMrrMovements, computeRetention, type TCustomerMrrChange } from '../../src/domain/metrics/index.js';

const c = (customer: string, startMinor: bigint, endMinor: bigint, subscribedBefore = startMinor > 0n): TCustomerMrrChange => ({ customer, startMinor, endMinor, subscribedBefore });
const TEN_M = 10_000_000n;
const thirty = (end: (i: number) => bigint) => Array.from({ length: 30 }, (_, i) => c(`c${i}`, TEN_M, end(i)));

describe('computeMrrMovements', () => {
  test.each([
    { name: 'nothing', customers: [], start: 0n, end: 0n, new: 0n, exp: 0n, con: 0n, churn: 0n, react: 0n },
    { name: 'the article: 30 × 10,000,000 VND, 3 churn', customers: thirty((i) => (i < 3 ? 0n : TEN_M)), start: 300_000_000n, end: 270_000_000n, new: 0n, exp: 0n, con: 0n, churn: 30_000_000n, react: 0n },
    { name: '30 new subscriptions', customers: Array.from({ length: 30 }, (_, i) => c(`n${i}`, 0n, TEN_M)), start: 0n, end: 300_000_000n, new: 300_000_000n, exp: 0n, con: 0n, churn: 0n, react: 0n },
    { name: 'expansion and contraction', customers: [c('a', 100n, 250n), c('b', 100n, 40n), c('s', 70n, 70n)], start: 270n, end: 360n, new: 0n, exp: 150n, con: 60n, churn: 0n, react: 0n },
    { name: 'reactivation is not new', customers: [c('back', 0n, 90n, true), c('fresh', 0n, 10n, false)], start: 0n, end: 100n, new: 10n, exp: 0n, con: 0n, churn: 0n, react: 90n },
    { name: 'everything at once', customers: [c('a', 100n, 130n), c('b', 100n, 0n), c('c', 50n, 20n), c('d', 0n, 60n, false), c('e', 0n, 5n, true)], start: 250n, end: 215n, new: 60n, exp: 30n, con: 30n, churn: 100n, react: 5n },
    { name: 'beyond 2^53 stays exact', customers: [c('big', 9_007_199_254_740_993n, 9_007_199_254_740_995n)], start: 9_007_199_254_740_993n, end: 9_007_199_254_740_995n, new: 0n, exp: 2n, con: 0n, churn: 0n, react: 0n },
  ])('$name', ({ customers, start, end, new: n, exp, con, churn, react }) => {
    const m = computeMrrMovements(customers);
    expect(m).toMatchObject({ startMrrMinor: start, endMrrMinor: end, newMinor: n, expansionMinor: exp, contractionMinor: con, churnedMinor: churn, reactivatedMinor: react });
    // The movements sum EXACTLY to the change in MRR.
    expect(m.newMinor + m.reactivatedMinor + m.expansionMinor - m.contractionMinor - m.churnedMinor).toBe(m.endMrrMinor - m.startMrrMinor);
    expect(m.netChangeMinor).toBe(end - start);
  });

  test('counts logos per movement', () => {
    const m = computeMrrMovements([c('a', 100n, 130n), c('b', 100n, 0n), c('c', 50n, 20n), c('d', 0n, 60n, false), c('e', 0n, 5n, true), c('f', 10n, 10n)]);
    expect(m).toMatchObject({ customersAtStart: 4, customersAtEnd: 5, newCustomers: 1, expandedCustomers: 1, contractedCustomers: 1, churnedCustomers: 1, reactivatedCustomers: 1 });
  });

  test('refuses a negative MRR', () => {
    expect(() => computeMrrMovements([c('x', -1n, 0n)])).toThrow(RangeError);
  });
});

describe('computeRetention', () => {
  test.each([
    { name: 'article churn: 3 of 30 leave', customers: thirty((i) => (i < 3 ? 0n : TEN_M)), nrr: 0.9, grr: 0.9, logo: 0.1, mrrChurn: 0.1 },
    { name: 'expansion lifts NRR above 100%, never GRR', customers: [c('a', 100n, 150n), c('b', 100n, 100n)], nrr: 1.25, grr: 1, logo: 0, mrrChurn: 0 },
    { name: 'contraction and churn', customers: [c('a', 100n, 60n), c('b', 100n, 0n), c('n', 0n, 500n, false)], nrr: 0.3, grr: 0.3, logo: 0.5, mrrChurn: 0.5 },
    { name: 'new and reactivated customers do not count', customers: [c('a', 100n, 100n), c('n', 0n, 900n, false), c('r', 0n, 900n, true)], nrr: 1, grr: 1, logo: 0, mrrChurn: 0 },
  ])('$name', ({ customers, nrr, grr, logo, mrrChurn }) => {
    expect(computeRetention(computeMrrMovements(customers))).toEqual({ nrr, grr, logoChurn: logo, mrrChurn });
  });

  test('no MRR at the start: no retention figures', () => {
    expect(computeRetention(computeMrrMovements([c('n', 0n, 10n, false)]))).toEqual({ nrr: null, grr: null, logoChurn: null, mrrChurn: null });
  });
});
