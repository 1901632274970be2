import { funnelStages } from '../../src/domain/deals/stages.js';
import { describe, expect, test } from 'vitest';
import {
  allocateQuota,
  ceilDiv,
  classifyAttainmentRatio,
  classifyTrend,
  compareLeakToTrailing,
  computeArr,
  computeAttainmentRatio,
  computeAverageDealSize,
  computeAverageDiscount,
  computeConversionRate,
  computeElapsedShare,
  computeFunnel,
  computeMrr,
  computeNetRevenue,
  computePacing,
  computeRepAttainment,
  computeReversePlan,
  computeRevenueMix,
  computeTeamAttainment,
  computeWinRate,
  detectOversizedDeals,
  divRoundHalfUp,
  mrrInstant,
  readConversionTrend,
  readTrend,
  relativeChange,
  repsBelowAverage,
  scaleByShare,
  type TAttainmentBand,
  type TConversionTrendReading,
  type TPaceStatus,
  type TQuotaRow,
  type TTrend,
} from '../../src/domain/metrics/index.js';

const d = (iso: string) => new Date(iso);
const OCT = { start: d('2025-10-01T00:00:00Z'), end: d('2025-11-01T00:00:00Z') };

describe('bigint helpers', () => {
  test.each([
    [9_100n, 6n, 1_517n],
    [5n, 2n, 3n],
    [4n, 2n, 2n],
    [7n, 3n, 2n],
    [-5n, 2n, -3n],
    [0n, 7n, 0n],
  ])('divRoundHalfUp(%s, %s) = %s', (a, b, want) => {
    expect(divRoundHalfUp(a, b)).toBe(want);
  });

  test.each([
    [800_000_000n, 10_000_000n, 80n],
    [801n, 10n, 81n],
    [800n, 10n, 80n],
    [0n, 10n, 0n],
  ])('ceilDiv(%s, %s) = %s', (a, b, want) => {
    expect(ceilDiv(a, b)).toBe(want);
  });

  test.each([
    [9_200n, 31 / 92, 3_100n],
    [1_000n, 0.5, 500n],
    [1_000n, 0, 0n],
  ])('scaleByShare(%s, %s) = %s', (a, s, want) => {
    expect(scaleByShare(a, s)).toBe(want);
  });

  test('division by zero throws', () => {
    expect(() => divRoundHalfUp(1n, 0n)).toThrow(RangeError);
  });
});

describe('computeWinRate', () => {
  test.each([
    { won: 15, lost: 25, rate: 0.375, closed: 40, reason: null },
    { won: 50, lost: 450, rate: 0.1, closed: 500, reason: null },
    { won: 3, lost: 0, rate: 1, closed: 3, reason: null },
    { won: 0, lost: 4, rate: 0, closed: 4, reason: null },
    { won: 0, lost: 0, rate: null, closed: 0, reason: 'no closed deals yet' },
  ])('won $won lost $lost → $rate', ({ won, lost, rate, closed, reason }) => {
    expect(computeWinRate({ won, lost })).toEqual({ rate, won, lost, closed, reason });
  });
});

describe('computeConversionRate', () => {
  test.each([
    { leads: 500, converted: 50, rate: 0.1 }, // the article: 500 leads a month, 50 buy → 10.0%
    { leads: 7, converted: 3, rate: 3 / 7 },
    { leads: 10, converted: 0, rate: 0 },
    { leads: 0, converted: 0, rate: null },
  ])('$converted of $leads → $rate', ({ leads, converted, rate }) => {
    const r = computeConversionRate({ leads, converted });
    expect(r.rate).toBe(rate);
    expect(r.reason).toBe(rate === null ? 'no leads in this period' : null);
  });

  test('the article figure prints as 10.0%', () => {
    expect(((computeConversionRate({ leads: 500, converted: 50 }).rate ?? 0) * 100).toFixed(1)).toBe('10.0');
  });
});

describe('attainment', () => {
  test.each([
    { net: 4_500n, quota: 4_000n, attainment: 1.125, reached: true, gap: 0n },
    { net: 4_000n, quota: 4_000n, attainment: 1, reached: true, gap: 0n },
    { net: 3_999n, quota: 4_000n, attainment: 0.99975, reached: false, gap: 1n },
    { net: -100n, quota: 1_000n, attainment: -0.1, reached: false, gap: 1_100n },
    { net: 10n, quota: null, attainment: null, reached: null, gap: null },
    { net: 10n, quota: 0n, attainment: null, reached: null, gap: null },
  ])('rep attainment $net / $quota', ({ net, quota, attainment, reached, gap }) => {
    const r = computeRepAttainment({ netWonMinor: net, quotaMinor: quota });
    expect(r.attainment).toBe(attainment);
    expect(r.reached).toBe(reached);
    expect(r.gapMinor).toBe(gap);
    expect(r.reason).toBe(quota === null || quota === 0n ? 'no quota set for this period' : null);
  });

  test.each([
    {
      name: 'one of two reps with a quota',
      reps: [
        { netWonMinor: 5n, quotaMinor: 4n },
        { netWonMinor: 1n, quotaMinor: 4n },
        { netWonMinor: 99n, quotaMinor: null },
      ],
      ratio: 0.5,
      withQuota: 2,
      atOrAbove: 1,
    },
    {
      name: 'exactly 100% counts',
      reps: [
        { netWonMinor: 4n, quotaMinor: 4n },
        { netWonMinor: 3n, quotaMinor: 4n },
        { netWonMinor: 3n, quotaMinor: 4n },
      ],
      ratio: 1 / 3,
      withQuota: 3,
      atOrAbove: 1,
    },
    { name: 'nobody has a quota', reps: [{ netWonMinor: 5n, quotaMinor: null }], ratio: null, withQuota: 0, atOrAbove: 0 },
    { name: 'empty', reps: [], ratio: null, withQuota: 0, atOrAbove: 0 },
  ])('attainment ratio: $name', ({ reps, ratio, withQuota, atOrAbove }) => {
    const r = computeAttainmentRatio(reps);
    expect(r).toMatchObject({ ratio, withQuota, atOrAbove });
    expect(r.reason === null).toBe(ratio !== null);
  });

  test.each<[number | null, TAttainmentBand | null]>([
    [0.599, 'unrealistic'],
    [0.6, 'healthy'],
    [0.899, 'healthy'],
    [0.9, 'too-easy'],
    [0, 'unrealistic'],
    [1, 'too-easy'],
    [3 / 5, 'healthy'],
    [9 / 10, 'too-easy'],
    [null, null],
  ])('classifyAttainmentRatio(%s) → %s (article bands)', (ratio, band) => {
    const r = classifyAttainmentRatio(ratio);
    expect(r.band).toBe(band);
    if (band === 'unrealistic') expect(r.advice).toBe('quotas look unrealistic: hire, coach, or revisit pay and targets');
    if (band === 'too-easy') expect(r.advice).toBe('quotas may be too easy: review target setting');
    if (band === 'healthy') expect(r.advice).toBeNull();
  });

  test.each<[number, number, number, TAttainmentBand]>([
    [0.65, 7000, 9500, 'unrealistic'],
    [0.7, 7000, 9500, 'healthy'],
    [0.95, 7000, 9500, 'too-easy'],
  ])('custom bands: %s with %s/%s → %s', (ratio, lowBp, highBp, band) => {
    expect(classifyAttainmentRatio(ratio, { lowBp, highBp }).band).toBe(band);
  });

  test.each([
    {
      name: 'sum of member quotas',
      members: [
        { netWonMinor: 4_500n, quotaMinor: 4_000n },
        { netWonMinor: 1_000n, quotaMinor: 3_100n },
        { netWonMinor: 1_500n, quotaMinor: null },
      ],
      team: null,
      attainment: 7_000 / 7_100,
      quota: 7_100n,
      source: 'reps',
    },
    {
      name: 'team quota replaces member quotas',
      members: [{ netWonMinor: 6_000n, quotaMinor: 4_000n }],
      team: 10_000n,
      attainment: 0.6,
      quota: 10_000n,
      source: 'team',
    },
    { name: 'no quota', members: [{ netWonMinor: 6_000n, quotaMinor: null }], team: null, attainment: null, quota: null, source: 'none' },
    { name: 'empty', members: [], team: null, attainment: null, quota: null, source: 'none' },
  ])('team attainment: $name', ({ members, team, attainment, quota, source }) => {
    const r = computeTeamAttainment({ members, teamQuotaMinor: team });
    expect(r.attainment).toBe(attainment);
    expect(r.quotaMinor).toBe(quota);
    expect(r.quotaSource).toBe(source);
  });
});

describe('computePacing', () => {
  test.each<{ net: bigint; quota: bigint | null; share: number; status: TPaceStatus | null; expected: bigint | null }>([
    { net: 0n, quota: 1_000n, share: 0, status: 'on-track', expected: 0n },
    { net: 500n, quota: 1_000n, share: 0.5, status: 'on-track', expected: 500n },
    { net: 475n, quota: 1_000n, share: 0.5, status: 'on-track', expected: 500n }, // exactly 95%
    { net: 474n, quota: 1_000n, share: 0.5, status: 'behind', expected: 500n },
    { net: 375n, quota: 1_000n, share: 0.5, status: 'behind', expected: 500n }, // exactly 75%
    { net: 374n, quota: 1_000n, share: 0.5, status: 'at-risk', expected: 500n },
    { net: 0n, quota: 1_000n, share: 1, status: 'at-risk', expected: 1_000n },
    { net: 1_000n, quota: 1_000n, share: 0.01, status: 'on-track', expected: 10n },
    { net: 100n, quota: null, share: 0.5, status: null, expected: null },
  ])('net $net of $quota at $share → $status', ({ net, quota, share, status, expected }) => {
    const r = computePacing({ netWonMinor: net, quotaMinor: quota, elapsedShare: share });
    expect(r.status).toBe(status);
    expect(r.expectedToDateMinor).toBe(expected);
  });

  test('custom cut-offs and projection', () => {
    const r = computePacing({ netWonMinor: 400n, quotaMinor: 1_000n, elapsedShare: 0.5, onTrackBp: 8000, atRiskBp: 5000 });
    expect(r.status).toBe('on-track');
    expect(r.paceRatio).toBe(0.8);
    expect(r.projectedMinor).toBe(800n);
    expect(computePacing({ netWonMinor: 400n, quotaMinor: 1_000n, elapsedShare: 0 }).projectedMinor).toBeNull();
  });

  test.each([
    ['2025-10-01T00:00:00Z', 0],
    ['2025-09-01T00:00:00Z', 0],
    ['2025-10-16T12:00:00Z', 0.5],
    ['2025-11-01T00:00:00Z', 1],
    ['2026-01-01T00:00:00Z', 1],
  ])('elapsed share of October at %s = %s', (now, share) => {
    expect(computeElapsedShare(OCT, d(now))).toBeCloseTo(share, 10);
  });
});

describe('deal size', () => {
  test.each([
    { wonMinor: 9_100n, wonCount: 6, avg: 1_517n },
    { wonMinor: 800_000_000n, wonCount: 80, avg: 10_000_000n },
    { wonMinor: 5n, wonCount: 2, avg: 3n },
    { wonMinor: 0n, wonCount: 0, avg: null },
  ])('$wonMinor / $wonCount → $avg', ({ wonMinor, wonCount, avg }) => {
    const r = computeAverageDealSize({ wonMinor, wonCount });
    expect(r.averageMinor).toBe(avg);
    expect(r.reason).toBe(avg === null ? 'no won deals yet' : null);
  });

  test.each([
    {
      name: 'below the group, lowest first',
      reps: [
        { repId: 1, averageMinor: 2_000n },
        { repId: 2, averageMinor: 800n },
        { repId: 3, averageMinor: 1_500n },
        { repId: 4, averageMinor: null },
      ],
      group: 1_517n,
      want: [2, 3],
    },
    { name: 'equal is not below', reps: [{ repId: 1, averageMinor: 100n }], group: 100n, want: [] },
    { name: 'no group average', reps: [{ repId: 1, averageMinor: 1n }], group: null, want: [] },
    { name: 'empty', reps: [], group: 100n, want: [] },
  ])('repsBelowAverage: $name', ({ reps, group, want }) => {
    expect(repsBelowAverage(reps, group).map((r) => r.repId)).toEqual(want);
  });

  test.each([
    { name: 'one discounted deal', discountMinor: 300n, discountedDeals: 1, discountedWonMinor: 3_000n, avg: 300n, rate: 300 / 3_300 },
    { name: 'a recorded zero', discountMinor: 0n, discountedDeals: 1, discountedWonMinor: 1_000n, avg: 0n, rate: 0 },
    { name: 'two deals', discountMinor: 301n, discountedDeals: 2, discountedWonMinor: 699n, avg: 151n, rate: 0.301 },
    { name: 'none recorded', discountMinor: 0n, discountedDeals: 0, discountedWonMinor: 0n, avg: null, rate: null },
  ])('computeAverageDiscount: $name', ({ discountMinor, discountedDeals, discountedWonMinor, avg, rate }) => {
    const r = computeAverageDiscount({ discountMinor, discountedDeals, discountedWonMinor });
    expect(r.averageDiscountMinor).toBe(avg);
    expect(r.discountRate).toBe(rate);
    expect(r.reason).toBe(avg === null ? 'no discounts recorded' : null);
  });
});

describe('trend', () => {
  test.each<[ReadonlyArray<number | bigint | null>, TTrend]>([
    [[100, 100, 120], 'growing'],
    [[100, 100, 80], 'shrinking'],
    [[100, 103], 'flat'],
    [[100, 97], 'flat'],
    [[100, 105], 'flat'], // exactly the band is flat
    [[100, 106], 'growing'],
    [[90, 110, 100], 'flat'], // mean of earlier = 100
    [[1_000n, 2_000n, 3_000n], 'growing'],
    [[100, null, 120], 'growing'], // nulls dropped
    [[0, 0, 5], 'growing'],
    [[0, 0], 'flat'],
    [[100], 'insufficient-data'],
    [[null, 100], 'insufficient-data'],
    [[], 'insufficient-data'],
  ])('classifyTrend(%s) = %s', (values, want) => {
    expect(classifyTrend(values)).toBe(want);
  });

  test('custom band and reading', () => {
    expect(classifyTrend([100, 103], { flatBand: 0.01 })).toBe('growing');
    expect(readTrend([100, 100, 120])).toEqual({ trend: 'growing', change: 0.2, baseline: 100, last: 120, points: 3 });
  });
});

describe('detectOversizedDeals', () => {
  const repAverages = new Map<number, bigint | null>([
    [1, 2_000n],
    [3, 1_500n],
  ]);
  test.each([
    { name: 'exactly 4× the rep average', deal: { ownerId: 1, amountMinor: 8_000n }, flagged: true, source: 'rep', multiple: 4 },
    { name: 'just below 4×', deal: { ownerId: 1, amountMinor: 7_999n }, flagged: false, source: null, multiple: null },
    { name: 'no history: team average', deal: { ownerId: 2, amountMinor: 4_000n }, flagged: true, source: 'team', multiple: 4 },
    { name: 'no history, below team 4×', deal: { ownerId: 2, amountMinor: 3_999n }, flagged: false, source: null, multiple: null },
    { name: 'big deal', deal: { ownerId: 3, amountMinor: 20_000n }, flagged: true, source: 'rep', multiple: 20_000 / 1_500 },
  ])('$name', ({ deal, flagged, source, multiple }) => {
    const out = detectOversizedDeals({ openDeals: [deal], repAverages, teamAverage: 1_000n });
    expect(out.length).toBe(flagged ? 1 : 0);
    if (flagged) {
      expect(out[0]?.baselineSource).toBe(source);
      expect(out[0]?.multiple).toBeCloseTo(multiple ?? 0, 10);
    }
  });

  test.each([
    { name: 'more than half of the gap', gap: 30_000n, carries: true },
    { name: 'exactly half is not most', gap: 40_000n, carries: false },
    { name: 'no gap left', gap: 0n, carries: false },
    { name: 'no quota', gap: null, carries: false },
  ])('carriesMostOfGap: $name', ({ gap, carries }) => {
    const out = detectOversizedDeals({
      openDeals: [{ ownerId: 3, amountMinor: 20_000n }],
      repAverages,
      teamAverage: null,
      remainingGapByRep: new Map([[3, gap]]),
    });
    expect(out[0]?.carriesMostOfGap).toBe(carries);
  });

  test('custom multiple, no baseline at all, empty input, order', () => {
    expect(detectOversizedDeals({ openDeals: [{ ownerId: 1, amountMinor: 4_000n }], repAverages, teamAverage: null, multiplePct: 200 })).toHaveLength(1);
    expect(detectOversizedDeals({ openDeals: [{ ownerId: 9, amountMinor: 9n ** 9n }], repAverages: new Map(), teamAverage: null })).toEqual([]);
    expect(detectOversizedDeals({ openDeals: [], repAverages, teamAverage: 1n })).toEqual([]);
    const out = detectOversizedDeals({
      openDeals: [
        { ownerId: 1, amountMinor: 8_000n },
        { ownerId: 3, amountMinor: 20_000n },
      ],
      repAverages,
      teamAverage: null,
    });
    expect(out.map((o) => o.deal.ownerId)).toEqual([3, 1]);
  });
});

describe('computeReversePlan', () => {
  test.each([
    // the article: quota 800,000,000 VND, average deal 10,000,000 → 80 deals; at 10% → 800 leads
    { quota: 800_000_000n, avg: 10_000_000n, rate: 0.1, deals: 80, leads: 800, reason: null },
    { quota: 800_000_001n, avg: 10_000_000n, rate: 0.1, deals: 81, leads: 810, reason: null },
    { quota: 3n, avg: 1n, rate: 0.3, deals: 3, leads: 10, reason: null }, // 3 / 0.3 must not become 11
    { quota: 100n, avg: 30n, rate: 0.25, deals: 4, leads: 16, reason: null },
    { quota: 100n, avg: 0n, rate: 0.1, deals: null, leads: null, reason: 'no won deals yet to estimate the average deal size' },
    { quota: 100n, avg: null, rate: 0.1, deals: null, leads: null, reason: 'no won deals yet to estimate the average deal size' },
    { quota: 100n, avg: 10n, rate: 0, deals: 10, leads: null, reason: 'no conversion rate yet (no leads, or none converted)' },
    { quota: 100n, avg: 10n, rate: null, deals: 10, leads: null, reason: 'no conversion rate yet (no leads, or none converted)' },
    { quota: 0n, avg: null, rate: null, deals: 0, leads: 0, reason: null },
  ])('quota $quota, avg $avg, rate $rate → $deals deals, $leads leads', ({ quota, avg, rate, deals, leads, reason }) => {
    const r = computeReversePlan({ quotaMinor: quota, averageDealMinor: avg, conversionRate: rate });
    expect(r.dealsNeeded).toBe(deals);
    expect(r.leadsNeeded).toBe(leads);
    expect(r.reason).toBe(reason);
  });
});

describe('revenue', () => {
  test.each([
    { won: 7_500n, refunds: 600n, net: 6_900n },
    { won: 0n, refunds: 0n, net: 0n },
    { won: 100n, refunds: 300n, net: -200n },
  ])('net revenue $won − $refunds = $net', ({ won, refunds, net }) => {
    expect(computeNetRevenue({ wonMinor: won, refundsMinor: refunds })).toEqual({ wonMinor: won, refundsMinor: refunds, netMinor: net });
  });

  test.each([
    { name: 'the article: 30 customers × 10,000,000 VND', subs: Array.from({ length: 30 }, () => 10_000_000n), mrr: 300_000_000n, arr: 3_600_000_000n },
    { name: 'mixed', subs: [200n, 100n], mrr: 300n, arr: 3_600n },
    { name: 'none', subs: [], mrr: 0n, arr: 0n },
  ])('MRR/ARR: $name', ({ subs, mrr, arr }) => {
    expect(computeMrr(subs)).toEqual({ mrrMinor: mrr, arrMinor: arr, subscriptions: subs.length });
    expect(computeArr(mrr)).toBe(arr);
  });

  test.each([
    { name: 'thirds', n: 1n, u: 1n, r: 1n, pct: { new: 33.4, upsell: 33.3, renewal: 33.3 } },
    { name: 'seventh-ish', n: 4_000n, u: 2_000n, r: 1_000n, pct: { new: 57.1, upsell: 28.6, renewal: 14.3 } },
    { name: 'all new', n: 5n, u: 0n, r: 0n, pct: { new: 100, upsell: 0, renewal: 0 } },
    { name: 'negative component counts as 0', n: 300n, u: -50n, r: 100n, pct: { new: 75, upsell: 0, renewal: 25 } },
    { name: 'sixths', n: 1n, u: 1n, r: 4n, pct: { new: 16.7, upsell: 16.7, renewal: 66.6 } },
  ])('revenue mix: $name', ({ n, u, r, pct }) => {
    const mix = computeRevenueMix({ newMinor: n, upsellMinor: u, renewalMinor: r });
    expect(mix?.pct).toEqual(pct);
    expect((mix?.tenths.new ?? 0) + (mix?.tenths.upsell ?? 0) + (mix?.tenths.renewal ?? 0)).toBe(1000);
  });

  test.each([
    [0n, 0n, 0n, true],
    [-5n, 0n, 0n, true],
    [-5n, 2n, 1n, false],
  ])('revenue mix of (%s, %s, %s) is null: %s', (n, u, r, isNull) => {
    const mix = computeRevenueMix({ newMinor: n, upsellMinor: u, renewalMinor: r });
    expect(mix === null).toBe(isNull);
  });

  test('revenue mix sums to exactly 100.0 for many splits', () => {
    for (let a = 0n; a < 12n; a++) {
      for (let b = 0n; b < 12n; b++) {
        for (let c = 1n; c < 12n; c++) {
          const mix = computeRevenueMix({ newMinor: a, upsellMinor: b, renewalMinor: c });
          expect(mix && mix.tenths.new + mix.tenths.upsell + mix.tenths.renewal).toBe(1000);
        }
      }
    }
  });

  test.each([
    ['2025-10-15T00:00:00Z', '2025-10-15T00:00:00Z'],
    ['2025-12-01T00:00:00Z', '2025-11-01T00:00:00Z'],
    ['2025-09-01T00:00:00Z', '2025-10-01T00:00:00Z'],
  ])('MRR of October read at now=%s is taken at %s', (now, at) => {
    expect(mrrInstant(OCT, d(now)).toISOString()).toBe(new Date(at).toISOString());
  });
});

describe('funnel', () => {
  test('the article: 1,000 → 400 → 200 → 50, the trial-to-purchase step leaks', () => {
    const f = computeFunnel({ stages: ['lead', 'call', 'trial'], reachedCounts: [1000, 400, 200, 50] });
    expect(f.stages).toEqual(['lead', 'call', 'trial', 'won']);
    expect(f.steps.map((s) => s.rate)).toEqual([0.4, 0.5, 0.25]);
    expect(f.biggestLeak).toEqual({ index: 2, from: 'trial', to: 'won', reached: 200, advanced: 50, rate: 0.25 });
    expect(f.overallRate).toBe(0.05);
  });

  test.each([
    { name: 'names for every count', stages: ['a', 'b', 'won'], counts: [10, 5, 5], leak: 0, from: 'a', to: 'b' },
    { name: 'lowest step wins', stages: ['a', 'b'], counts: [10, 5, 2], leak: 1, from: 'b', to: 'won' },
    { name: 'equal rates tie → earliest', stages: ['a', 'b'], counts: [10, 5, 2.5], leak: 0, from: 'a', to: 'b' },
    { name: 'default stages', stages: ['lead', 'contacted', 'demo', 'proposal'], counts: [7, 6, 5, 4, 3], leak: 3, from: 'proposal', to: 'won' },
    { name: 'a step nobody reached has no rate', stages: ['a', 'b'], counts: [4, 0, 0], leak: 0, from: 'a', to: 'b' },
  ])('$name', ({ stages, counts, leak, from, to }) => {
    const f = computeFunnel({ stages, reachedCounts: counts });
    expect(f.biggestLeak?.index).toBe(leak);
    expect(f.biggestLeak?.from).toBe(from);
    expect(f.biggestLeak?.to).toBe(to);
  });

  test('empty funnel', () => {
    const f = computeFunnel({ stages: ['lead', 'demo'], reachedCounts: [0, 0, 0] });
    expect(f.biggestLeak).toBeNull();
    expect(f.overallRate).toBeNull();
    expect(f.reason).toBe('no deals entered the funnel in this period');
    expect(f.steps.every((s) => s.rate === null)).toBe(true);
  });

  test('mismatched lengths throw', () => {
    expect(() => computeFunnel({ stages: ['a'], reachedCounts: [1, 2, 3] })).toThrow(RangeError);
  });

  // Pooled: Σadvanced / Σreached over the trailing periods (not the mean of their rates).
  test.each([
    { rate: 0.25, trailing: [{ reached: 10, advanced: 3 }, { reached: 30, advanced: 12 }, null], avg: 0.375, reading: 'worse', periods: 2 },
    { rate: 0.4, trailing: [{ reached: 10, advanced: 3 }, { reached: 10, advanced: 3 }], avg: 0.3, reading: 'better', periods: 2 },
    { rate: 0.305, trailing: [{ reached: 10, advanced: 3 }], avg: 0.3, reading: 'same', periods: 1 },
    // Mean of rates would say (1.0 + 0.1) / 2 = 55%: one deal must not weigh like a hundred.
    { rate: 0.3, trailing: [{ reached: 1, advanced: 1 }, { reached: 100, advanced: 10 }], avg: 11 / 101, reading: 'better', periods: 2 },
    { rate: 0.25, trailing: [], avg: null, reading: 'no-history', periods: 0 },
    { rate: 0.25, trailing: [null, { reached: 0, advanced: 0 }], avg: null, reading: 'no-history', periods: 0 },
    { rate: null, trailing: [{ reached: 2, advanced: 1 }], avg: 0.5, reading: 'no-history', periods: 1 },
  ])('compareLeakToTrailing($rate vs $trailing) → $reading', ({ rate, trailing, avg, reading, periods }) => {
    const c = compareLeakToTrailing({ rate }, trailing);
    expect(c.reading).toBe(reading);
    expect(c.periods).toBe(periods);
    if (avg === null) expect(c.trailingAverage).toBeNull();
    else expect(c.trailingAverage).toBeCloseTo(avg, 10);
  });

  test.each([
    ['lead,contacted,demo,proposal', ['lead', 'contacted', 'demo', 'proposal']],
    [' lead , Demo ,, ', ['lead', 'demo']],
    ['', ['lead', 'contacted', 'demo', 'proposal']],
  ])('funnelStages(%j), the one stage parser deals and metrics share', (config, want) => {
    expect(funnelStages(config)).toEqual(want);
  });
});

describe('readConversionTrend', () => {
  test.each<{ c: number | null; n: number | null; a: number | null; reading: TConversionTrendReading; caveat: boolean }>([
    { c: 0.2, n: 0.1, a: 0, reading: 'improving', caveat: false },
    { c: 0.2, n: 0, a: 0, reading: 'improving', caveat: false },
    { c: 0.2, n: 0.03, a: 0, reading: 'improving', caveat: false }, // deals flat within 5%
    { c: -0.2, n: 0, a: 0, reading: 'problem', caveat: false },
    { c: -0.2, n: -0.3, a: 0, reading: 'problem', caveat: false },
    { c: -0.2, n: 0, a: 0.3, reading: 'problem', caveat: true }, // moving up-market
    { c: -0.2, n: 0.2, a: 0.3, reading: 'mixed', caveat: true },
    { c: 0.2, n: -0.2, a: 0, reading: 'mixed', caveat: false },
    { c: 0.01, n: 0.5, a: 0.5, reading: 'steady', caveat: false },
    { c: null, n: 0.1, a: 0, reading: 'insufficient-data', caveat: false },
    { c: 0.1, n: null, a: 0, reading: 'insufficient-data', caveat: false },
  ])('conversion $c, deals $n, avg deal $a → $reading', ({ c, n, a, reading, caveat }) => {
    const r = readConversionTrend({ conversionDelta: c, dealsDelta: n, avgDealDelta: a });
    expect(r.reading).toBe(reading);
    expect(r.upMarketCaveat).toBe(caveat);
    expect(r.text.includes('up-market')).toBe(caveat);
    if (reading === 'problem') expect(r.text).toContain('process, team or lead-quality problem');
    if (reading === 'improving') expect(r.text).toContain('improving');
  });

  test.each([
    [110, 100, 0.1],
    [90, 100, -0.1],
    [5, 0, 1],
    [0, 0, 0],
    [null, 1, null],
    [10n, 5n, 1],
  ])('relativeChange(%s, %s) = %s', (a, b, want) => {
    const r = relativeChange(a, b);
    if (want === null) expect(r).toBeNull();
    else expect(r).toBeCloseTo(want, 10);
  });
});

describe('period allocation', () => {
  const q = (kind: string, start: string, end: string, amount: bigint): TQuotaRow => ({
    periodKind: kind,
    periodStart: d(start),
    periodEnd: d(end),
    amountMinor: amount,
  });
  test.each([
    { name: 'a month inside', rows: [q('month', '2025-10-01T00:00:00Z', '2025-11-01T00:00:00Z', 4_000n)], want: 4_000n, method: 'inside' },
    { name: 'quarter pro-rated to October (31/92)', rows: [q('quarter', '2025-10-01T00:00:00Z', '2026-01-01T00:00:00Z', 9_200n)], want: 3_100n, method: 'prorated' },
    {
      name: 'monthly quota beats the pro-rated quarter',
      rows: [q('month', '2025-10-01T00:00:00Z', '2025-11-01T00:00:00Z', 4_000n), q('quarter', '2025-10-01T00:00:00Z', '2026-01-01T00:00:00Z', 15_000n)],
      want: 4_000n,
      method: 'inside',
    },
    { name: 'neighbouring months do not count', rows: [q('month', '2025-09-01T00:00:00Z', '2025-10-01T00:00:00Z', 3_000n), q('month', '2025-11-01T00:00:00Z', '2025-12-01T00:00:00Z', 5_000n)], want: null, method: null },
    { name: 'no rows', rows: [], want: null, method: null },
  ])('October: $name', ({ rows, want, method }) => {
    const a = allocateQuota(rows, OCT);
    expect(a?.quotaMinor ?? null).toBe(want);
    expect(a?.method ?? null).toBe(method);
  });

  test('a quarter sums its months; a year prefers the yearly quota over 12 months', () => {
    const q4 = { start: d('2025-10-01T00:00:00Z'), end: d('2026-01-01T00:00:00Z') };
    const months = [
      q('month', '2025-10-01T00:00:00Z', '2025-11-01T00:00:00Z', 1_000n),
      q('month', '2025-11-01T00:00:00Z', '2025-12-01T00:00:00Z', 2_000n),
      q('month', '2025-12-01T00:00:00Z', '2026-01-01T00:00:00Z', 3_000n),
    ];
    expect(allocateQuota(months, q4)).toMatchObject({ quotaMinor: 6_000n, method: 'inside', rows: 3 });
    const year = { start: d('2025-01-01T00:00:00Z'), end: d('2026-01-01T00:00:00Z') };
    const rows = [...months, q('year', '2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 50_000n)];
    expect(allocateQuota(rows, year)).toMatchObject({ quotaMinor: 50_000n, periodKind: 'year' });
  });

  test('last 30 days across two monthly quotas pro-rates both', () => {
    const range = { start: d('2025-10-17T00:00:00Z'), end: d('2025-11-16T00:00:00Z') }; // 15 days of Oct (31), 15 of Nov (30)
    const rows = [q('month', '2025-10-01T00:00:00Z', '2025-11-01T00:00:00Z', 3_100n), q('month', '2025-11-01T00:00:00Z', '2025-12-01T00:00:00Z', 3_000n)];
    expect(allocateQuota(rows, range)).toMatchObject({ quotaMinor: 1_500n + 1_500n, method: 'prorated' });
  });

});
