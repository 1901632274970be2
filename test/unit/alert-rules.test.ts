import { describe, expect, test } from 'vitest';
import {
  ALERT_RULES,
  attainmentBandBreach,
  computeAlertBreaches,
  conditionKeyOf,
  dealSizeBelowBreaches,
  formatPoints,
  formatThreshold,
  funnelLeakBreach,
  mrrChurnBreach,
  oversizedDealBreaches,
  parseAlertRule,
  parseAlertThreshold,
  parseSnoozeDuration,
  resolveAlertSettings,
  revenueDropBreach,
  ruleAppliesTo,
  scopeKeyOf,
  snoozedUntilOf,
  winRateDropBreach,
  type TAlertRule,
  type TAlertThreshold,
} from '../../src/domain/alerts/index.js';
import { computeAverageDealSize, computeAverageDiscount, computeWinRate, type TOversizedDeal, type TOpenDeal, type TRepDealSizeLine } from '../../src/domain/metrics/index.js';
import { isAlertHour } from '../../src/scheduler/daily-alerts-job.js';
import {
  buildAlertMessage,
  buildAlertOverflowMessage,
  buildAlertStatusMessage,
  buildSnoozedMessage,
  encodeSnoozeValue,
  fitLines,
  parseSnoozeValue,
} from '../../src/slack/blocks/alerts.js';
import { findLimitViolations } from '../../src/slack/blocks/limits.js';

const WS = { attainmentLowBp: 6000, attainmentHighBp: 9000, oversizeMultiplePct: 400 };
const settings = resolveAlertSettings(WS, []);

describe('attainment ratio outside the band', () => {
  test.each([
    // ratio, withQuota, atOrAbove, low, high, key | null, value
    [0.45, 20, 9, 60, 90, 'low', 45],
    [0.599, 1000, 599, 60, 90, 'low', 59.9],
    [0.6, 20, 12, 60, 90, null, null],
    [0.899, 1000, 899, 60, 90, null, null],
    [0.9, 20, 18, 60, 90, 'high', 90],
    [1, 3, 3, 60, 90, 'high', 100],
    [0.5, 10, 5, 40, 80, null, null],
    [0.5, 1, 0, 60, 90, null, null], // one rep with a quota: too few to judge
    [null, 0, 0, 60, 90, null, null],
  ] as const)('ratio %s (%s reps) in band %s–%s%% → %s', (ratio, withQuota, atOrAbove, low, high, key, value) => {
    const b = attainmentBandBreach({ ratio: { ratio, withQuota, atOrAbove, reason: null }, lowPct: low, highPct: high });
    if (key === null) {
      expect(b).toBeNull();
      return;
    }
    expect(b).toMatchObject({ rule: 'attainment-band', key, value, threshold: key === 'low' ? low : high });
    expect(b!.message).toMatch(/^Attainment ratio /);
    expect(b!.message).toContain(`healthy band ${low}%–${high}%`);
  });

  test('the message names the value, the threshold and the advice', () => {
    const b = attainmentBandBreach({ ratio: { ratio: 0.45, withQuota: 20, atOrAbove: 9, reason: null }, lowPct: 60, highPct: 90 });
    expect(b?.message).toBe(
      'Attainment ratio 45.0% is below the low threshold 60% (healthy band 60%–90%): 9 of 20 reps with a quota reached 100%. Quotas look unrealistic: hire, coach, or revisit pay and targets.',
    );
  });
});

describe('win-rate drop vs the trailing average', () => {
  test.each([
    // current won/lost, trailing won/lost, threshold, fires, value
    [11, 39, 71, 129, 10, true, 13.5],
    [15, 35, 71, 129, 10, false, null], // 30.0% vs 35.5%: 5.5 points
    [3, 7, 4, 6, 10, true, 10], // exactly the threshold crosses it
    [11, 39, 71, 129, 15, false, null],
    [0, 3, 40, 60, 10, false, null], // 3 closed: too few
    [0, 10, 2, 2, 10, false, null], // trailing 4 closed: too few
    [0, 0, 40, 60, 10, false, null], // nothing closed
    [30, 20, 40, 60, 10, false, null], // a rise never alerts
  ])('%s won / %s lost vs %s / %s, threshold %s → %s', (w, l, tw, tl, threshold, fires, value) => {
    const b = winRateDropBreach({ current: computeWinRate({ won: w, lost: l }), trailingAverage: computeWinRate({ won: tw, lost: tl }), trailingLabel: 'the 4 weeks before', thresholdPoints: threshold });
    if (!fires) {
      expect(b).toBeNull();
      return;
    }
    expect(b).toMatchObject({ rule: 'winrate-drop', key: '', value, threshold });
  });

  test('the message reads like the spec example', () => {
    const b = winRateDropBreach({ current: computeWinRate({ won: 11, lost: 39 }), trailingAverage: computeWinRate({ won: 71, lost: 129 }), trailingLabel: 'the 4 weeks before', thresholdPoints: 10 });
    expect(b?.message).toBe('Win rate 22.0% is 13.5 points below its average of the 4 weeks before, 35.5% (threshold: 10 points).');
  });
});

describe('net revenue down vs the previous period', () => {
  test.each([
    // current, previous, threshold, fires, value
    [800_000n, 1_000_000n, 10, true, 20],
    [900_000n, 1_000_000n, 10, true, 10],
    [950_000n, 1_000_000n, 10, false, null],
    [-100_000n, 1_000_000n, 10, true, 110],
    [0n, 0n, 10, false, null], // no base
    [500n, -200n, 10, false, null],
    [800_000n, null, 10, false, null],
    [1_200_000n, 1_000_000n, 10, false, null],
  ])('%s vs %s, threshold %s%% → %s', (cur, prev, threshold, fires, value) => {
    const b = revenueDropBreach({ currentNetMinor: cur, previousNetMinor: prev, currency: 'USD', periodKind: 'week', thresholdPct: threshold });
    if (!fires) expect(b).toBeNull();
    else expect(b).toMatchObject({ rule: 'revenue-drop', value, threshold });
  });

  test('message', () => {
    expect(revenueDropBreach({ currentNetMinor: 800_000n, previousNetMinor: 1_000_000n, currency: 'USD', periodKind: 'month', thresholdPct: 10 })?.message).toBe(
      'Net revenue $8,000 is down 20.0% from $10,000 the month before (threshold: 10%).',
    );
  });
});

const openDeal = (dealId: number, amountMinor: bigint, owner = 'Bob'): TOpenDeal => ({
  dealId,
  ownerId: 3,
  ownerName: owner,
  ownerSlackUserId: null,
  ownerTeamId: null,
  customer: `Customer ${dealId}`,
  amountMinor,
  stage: 'demo',
  maxStageIndex: 2,
  createdAt: new Date('2026-11-01T00:00:00Z'),
});
const flag = (deal: TOpenDeal, baselineMinor: bigint, extra: Partial<TOversizedDeal<TOpenDeal>> = {}): TOversizedDeal<TOpenDeal> => ({
  deal,
  baselineMinor,
  baselineSource: 'rep',
  multiple: Number(deal.amountMinor) / Number(baselineMinor),
  gapMinor: null,
  carriesMostOfGap: false,
  ...extra,
});

describe('oversized-deal risk, one condition per deal', () => {
  test.each([
    // amount, baseline, multiple, fires
    [5_000_000n, 1_000_000n, 4, true],
    [4_000_000n, 1_000_000n, 4, true],
    [3_999_999n, 1_000_000n, 4, false],
    [5_000_000n, 1_000_000n, 6, false],
  ])('%s vs average %s at %s× → %s', (amount, baseline, multiple, fires) => {
    const out = oversizedDealBreaches({ deals: [flag(openDeal(8, amount), baseline)], multiple, currency: 'USD' });
    expect(out.length).toBe(fires ? 1 : 0);
    if (fires) expect(out[0]).toMatchObject({ rule: 'oversized-deal', key: 'deal:8', threshold: multiple });
  });

  test('message names the deal, the multiple, the baseline, the threshold and the quota gap', () => {
    const [b] = oversizedDealBreaches({
      deals: [flag(openDeal(8, 5_000_000n), 1_000_000n, { gapMinor: 6_000_000n, carriesMostOfGap: true }), flag(openDeal(9, 9_000_000n, 'Ana'), 1_500_000n, { baselineSource: 'team' })],
      multiple: 4,
      currency: 'USD',
    });
    expect(b?.message).toBe(
      "Open deal Customer 8 ($50,000, Bob, stage Demo/Trial) is 5.0× Bob's average won deal $10,000 (threshold: 4×). It carries most of Bob's remaining quota gap ($60,000).",
    );
    const all = oversizedDealBreaches({ deals: [flag(openDeal(9, 9_000_000n, 'Ana'), 1_500_000n, { baselineSource: 'team' })], multiple: 4, currency: 'USD' });
    expect(all[0]?.message).toContain("the team's average won deal $15,000");
  });
});

const repLine = (repId: number, name: string, wonMinor: bigint, wonCount: number): TRepDealSizeLine => ({
  rep: { repId, name, slackUserId: null, teamId: null },
  average: computeAverageDealSize({ wonMinor, wonCount }),
  discount: computeAverageDiscount({ discountMinor: 0n, discountedDeals: 0, discountedWonMinor: 0n }),
});

describe('reps below the group average deal size, one condition per rep', () => {
  test.each([
    // rep average (3 deals), group average, threshold, fires, value
    [70_000n, 100_000n, 20, true, 30],
    [80_000n, 100_000n, 20, true, 20],
    [81_000n, 100_000n, 20, false, null],
    [120_000n, 100_000n, 20, false, null],
    [50_000n, 100_000n, 60, false, null],
  ])('average %s vs group %s at %s%% → %s', (avg, group, threshold, fires, value) => {
    const out = dealSizeBelowBreaches({ reps: [repLine(12, 'Bob', avg * 3n, 3)], groupAverageMinor: group, currency: 'USD', thresholdPct: threshold });
    if (!fires) expect(out).toEqual([]);
    else expect(out).toMatchObject([{ rule: 'dealsize-below', key: 'rep:12', value, threshold }]);
  });

  test('lowest first, single-deal reps and a missing group average are ignored', () => {
    const reps = [repLine(1, 'Ana', 210_000n, 3), repLine(2, 'Bob', 100_000n, 2), repLine(3, 'Cy', 10_000n, 1)];
    expect(dealSizeBelowBreaches({ reps, groupAverageMinor: 100_000n, currency: 'USD', thresholdPct: 20 }).map((b) => b.key)).toEqual(['rep:2', 'rep:1']);
    expect(dealSizeBelowBreaches({ reps, groupAverageMinor: null, currency: 'USD', thresholdPct: 20 })).toEqual([]);
    expect(dealSizeBelowBreaches({ reps: [repLine(2, 'Bob', 140_000n, 2)], groupAverageMinor: 100_000n, currency: 'USD', thresholdPct: 20 })[0]?.message).toBe(
      "Bob's average deal $700 is 30.0% below the group average $1,000 (threshold: 20%; 2 won deals).",
    );
  });
});

describe('the worst funnel leak below its trailing average', () => {
  const step = (reached: number, advanced: number) => ({ index: 2, from: 'demo', to: 'proposal', reached, advanced, rate: reached ? advanced / reached : null });
  test.each([
    // reached, advanced, trailing average, reading, threshold, fires, value
    [50, 10, 0.35, 10, true, 15],
    [50, 10, 0.3, 10, true, 10],
    [50, 10, 0.29, 10, false, null],
    [4, 0, 0.5, 10, false, null], // too few deals at the step
    [50, 10, null, 10, false, null], // no history
  ])('%s → %s vs average %s at %s points → %s', (reached, advanced, trailing, threshold, fires, value) => {
    const s = step(reached, advanced);
    const delta = trailing === null || s.rate === null ? null : s.rate - trailing;
    const b = funnelLeakBreach({
      leak: { step: s, comparison: { rate: s.rate, trailingAverage: trailing, delta, reading: delta === null ? 'no-history' : delta < 0 ? 'worse' : 'better', periods: 4 } },
      trailingLabel: 'the 4 weeks before',
      thresholdPoints: threshold,
    });
    if (!fires) expect(b).toBeNull();
    else expect(b).toMatchObject({ rule: 'funnel-leak', key: 'step:demo>proposal', value, threshold });
  });

  test('message', () => {
    const s = step(50, 10);
    expect(
      funnelLeakBreach({ leak: { step: s, comparison: { rate: 0.2, trailingAverage: 0.35, delta: -0.15, reading: 'worse', periods: 4 } }, trailingLabel: 'the 3 months before', thresholdPoints: 10 })?.message,
    ).toBe('Biggest funnel leak Demo/Trial → Proposal converts 20.0%, 15.0 points below its average of the 3 months before, 35.0% (threshold: 10 points).');
  });
});

describe('MRR churn above the threshold (workspaces with subscriptions)', () => {
  const movements = (startMrrMinor: bigint, churnedMinor: bigint, churnedCustomers: number, customersAtStart: number) => ({ startMrrMinor, churnedMinor, churnedCustomers, customersAtStart });
  test.each([
    { name: 'the article: 3 of 30 leave (10%) vs 5%', m: movements(300_000_000n, 30_000_000n, 3, 30), threshold: 5, value: 10 },
    { name: 'exactly at the threshold fires', m: movements(1_000n, 50n, 1, 20), threshold: 5, value: 5 },
    { name: 'just below stays quiet', m: movements(1_000n, 49n, 1, 20), threshold: 5, value: null },
    { name: 'no churn', m: movements(1_000n, 0n, 0, 20), threshold: 5, value: null },
    { name: 'no MRR at the start', m: movements(0n, 0n, 0, 0), threshold: 5, value: null },
  ])('$name', ({ m, threshold, value }) => {
    const b = mrrChurnBreach({ movements: m, currency: 'VND', periodKind: 'month', thresholdPct: threshold });
    expect(b?.value ?? null).toBe(value);
  });

  test('says what crossed which threshold', () => {
    expect(mrrChurnBreach({ movements: movements(300_000_000n, 30_000_000n, 3, 30), currency: 'VND', periodKind: 'month', thresholdPct: 5 })?.message).toBe(
      'MRR churn 10.0% this month: 3 of 30 customers left, taking 30,000,000 ₫ of 300,000,000 ₫ MRR (threshold: 5%).',
    );
  });

  test('is settable like the other thresholds', () => {
    expect(parseAlertRule('churn')).toBe('mrr-churn');
    expect(parseAlertThreshold('mrr-churn', ['8%'])).toEqual({ kind: 'percent', value: 8 });
    expect(resolveAlertSettings(WS, [{ rule: 'mrr-churn', threshold: 8, enabled: true }])['mrr-churn'].threshold).toEqual({ kind: 'percent', value: 8 });
  });
});

describe('settings: workspace thresholds and AlertSetting overrides', () => {
  test('defaults', () => {
    expect(Object.fromEntries(ALERT_RULES.map((r) => [r, formatThreshold(settings[r].threshold)]))).toEqual({
      'attainment-band': '60%–90%',
      'winrate-drop': '10 points',
      'revenue-drop': '10%',
      'oversized-deal': '4×',
      'dealsize-below': '20%',
      'funnel-leak': '10 points',
      'mrr-churn': '5%',
    });
    expect(ALERT_RULES.every((r) => settings[r].enabled)).toBe(true);
  });

  test.each([
    [{ rule: 'winrate-drop', threshold: 15, enabled: true }, 'winrate-drop', '15 points', true, 'override'],
    [{ rule: 'revenue-drop', threshold: 20, enabled: false }, 'revenue-drop', '20%', false, 'override'],
    [{ rule: 'funnel-leak', threshold: null, enabled: false }, 'funnel-leak', '10 points', false, 'default'],
    [{ rule: 'dealsize-below', threshold: -5, enabled: true }, 'dealsize-below', '20%', true, 'default'],
    [{ rule: 'oversized-deal', threshold: 9, enabled: true }, 'oversized-deal', '5×', true, 'workspace'],
    [{ rule: 'attainment-band', threshold: 1, enabled: true }, 'attainment-band', '55%–85%', true, 'workspace'],
  ] as const)('%o → %s %s', (row, rule, shown, enabled, source) => {
    const s = resolveAlertSettings({ attainmentLowBp: 5500, attainmentHighBp: 8500, oversizeMultiplePct: 500 }, [row])[rule];
    expect({ shown: formatThreshold(s.threshold), enabled: s.enabled, source: s.source }).toEqual({ shown, enabled, source });
  });

  test('computeAlertBreaches skips disabled rules and rules without a report', () => {
    const winrate = { trailingRanges: [{}, {}, {}, {}], current: computeWinRate({ won: 11, lost: 39 }), trailingAverage: computeWinRate({ won: 71, lost: 129 }) } as never;
    const on = computeAlertBreaches({ reports: { winrate }, settings, periodKind: 'week', trailingLabel: 'the 4 weeks before', currency: 'USD' });
    expect(on.map((b) => b.rule)).toEqual(['winrate-drop']);
    const off = resolveAlertSettings(WS, [{ rule: 'winrate-drop', threshold: null, enabled: false }]);
    expect(computeAlertBreaches({ reports: { winrate }, settings: off, periodKind: 'week', trailingLabel: 'the 4 weeks before', currency: 'USD' })).toEqual([]);
  });
});

describe('keys, snoozes and parsing', () => {
  test.each([
    [{ kind: 'workspace' } as const, '', 'all'],
    [{ kind: 'workspace' } as const, 'rep:12', 'all/rep:12'],
    [{ kind: 'team', teamId: 3 } as const, 'deal:8', 'team:3/deal:8'],
    [{ kind: 'team', teamId: 3 } as const, '', 'team:3'],
  ])('scope %o + %s → %s', (scope, key, want) => {
    expect(conditionKeyOf(scopeKeyOf(scope), key)).toBe(want);
  });

  test('a snooze applies rule-wide or to one condition, the later one wins', () => {
    const a = new Date('2026-12-01T00:00:00Z');
    const b = new Date('2026-12-05T00:00:00Z');
    const snoozes = new Map([
      ['winrate-drop|*', a],
      ['oversized-deal|all/deal:8', b],
      ['winrate-drop|all', b],
    ]);
    expect(snoozedUntilOf(snoozes, 'winrate-drop', 'team:3')).toEqual(a);
    expect(snoozedUntilOf(snoozes, 'winrate-drop', 'all')).toEqual(b);
    expect(snoozedUntilOf(snoozes, 'oversized-deal', 'all/deal:8')).toEqual(b);
    expect(snoozedUntilOf(snoozes, 'oversized-deal', 'all/deal:9')).toBeNull();
  });

  test('oversized deals are judged weekly only', () => {
    expect(ruleAppliesTo('oversized-deal', 'week')).toBe(true);
    expect(ruleAppliesTo('oversized-deal', 'month')).toBe(false);
    expect(ruleAppliesTo('revenue-drop', 'month')).toBe(true);
  });

  test.each([
    ['winrate-drop', 'winrate-drop'],
    ['WinRate', 'winrate-drop'],
    ['revenue', 'revenue-drop'],
    ['oversized', 'oversized-deal'],
    ['attainment', 'attainment-band'],
    ['deal_size', 'dealsize-below'],
    ['leak', 'funnel-leak'],
    ['weather', null],
    ['', null],
  ])('rule %s → %s', (input, want) => {
    expect(parseAlertRule(input)).toBe(want);
  });

  test.each<[TAlertRule, string[], TAlertThreshold | null]>([
    ['winrate-drop', ['15'], { kind: 'points', value: 15 }],
    ['winrate-drop', ['12.5', 'pts'], { kind: 'points', value: 12.5 }],
    ['winrate-drop', ['15%'], { kind: 'points', value: 15 }],
    ['revenue-drop', ['20%'], { kind: 'percent', value: 20 }],
    ['revenue-drop', ['20'], { kind: 'percent', value: 20 }],
    ['dealsize-below', ['25', 'percent'], { kind: 'percent', value: 25 }],
    ['oversized-deal', ['5x'], { kind: 'multiple', value: 5 }],
    ['oversized-deal', ['3.5×'], { kind: 'multiple', value: 3.5 }],
    ['attainment-band', ['55%', '85%'], { kind: 'band', lowPct: 55, highPct: 85 }],
    ['attainment-band', ['60-90'], { kind: 'band', lowPct: 60, highPct: 90 }],
    ['attainment-band', ['90%', '60%'], null],
    ['attainment-band', ['60%'], null],
    ['winrate-drop', ['-3'], null],
    ['winrate-drop', ['0'], null],
    ['winrate-drop', ['101'], null],
    ['revenue-drop', ['lots'], null],
    ['revenue-drop', [], null],
    ['oversized-deal', ['0.5x'], null],
  ])('threshold for %s from %j → %o', (rule, words, want) => {
    expect(parseAlertThreshold(rule, words)).toEqual(want);
  });

  test.each([
    [undefined, 7 * 86_400_000],
    ['1w', 7 * 86_400_000],
    ['2weeks', 14 * 86_400_000],
    ['3d', 3 * 86_400_000],
    ['12h', 12 * 3_600_000],
    ['14w', null],
    ['0d', null],
    ['forever', null],
  ])('snooze length %s → %s ms', (input, want) => {
    expect(parseSnoozeDuration(input)).toBe(want);
  });

  test.each([
    [1, '1.0 point'],
    [13.45, '13.5 points'],
    [10, '10.0 points'],
  ])('formatPoints(%s) = %s', (n, want) => {
    expect(formatPoints(n)).toBe(want);
  });

  test('snooze button values round-trip', () => {
    expect(parseSnoozeValue(encodeSnoozeValue('oversized-deal', 'team:3/deal:8'))).toEqual({ rule: 'oversized-deal', conditionKey: 'team:3/deal:8' });
    expect(parseSnoozeValue(encodeSnoozeValue('winrate-drop', '*'))).toEqual({ rule: 'winrate-drop', conditionKey: '*' });
    expect(parseSnoozeValue('nonsense')).toBeNull();
    expect(parseSnoozeValue('weather|all')).toBeNull();
  });
});

describe('the daily alert hour is 08:00 in each workspace zone, across DST', () => {
  test.each([
    ['2026-03-27T07:00:00Z', 'Europe/Berlin', true], // CET, the Friday before the change
    ['2026-03-30T06:00:00Z', 'Europe/Berlin', true], // CEST, the Monday after
    ['2026-03-30T07:00:00Z', 'Europe/Berlin', false],
    ['2026-10-26T07:00:00Z', 'Europe/Berlin', true], // back to CET
    ['2026-03-09T12:00:00Z', 'America/New_York', true], // EDT from Mar 8
    ['2026-03-06T13:00:00Z', 'America/New_York', true], // EST
    ['2026-11-02T13:00:00Z', 'America/New_York', true], // EST again from Nov 1
    ['2026-11-30T02:30:00Z', 'Asia/Kolkata', true], // 08:00 IST (UTC+5:30): an hourly tick at :00 UTC sees 08:30
    ['2026-11-30T03:00:00Z', 'Asia/Kolkata', true],
    ['2026-11-30T03:30:00Z', 'Asia/Kolkata', false],
    ['2026-11-30T08:00:00Z', 'Not/AZone', false],
  ])('%s in %s → %s', (iso, zone, want) => {
    expect(isAlertHour(new Date(iso), zone, 8)).toBe(want);
  });
});

describe('alert message blocks', () => {
  const alert = {
    rule: 'winrate-drop' as const,
    title: 'Win rate drop',
    conditionKey: 'all',
    periodLabel: 'week of Nov 23, 2026',
    message: 'Win rate 22.0% is 13.5 points below its average of the 4 weeks before, 35.5% (threshold: 10 points).',
  };

  test('one alert: rule, period, zone, sentence and a Snooze 1 week button for that condition', () => {
    const m = buildAlertMessage({ alert, scopeLabel: 'all reps', timeZone: 'Europe/Berlin' });
    expect(m.text).toBe('Alert: Win rate drop (week of Nov 23, 2026, Europe/Berlin) — Win rate 22.0% is 13.5 points below its average of the 4 weeks before, 35.5% (threshold: 10 points).');
    expect(findLimitViolations(m.blocks!)).toEqual([]);
    expect(m.blocks![2]).toMatchObject({ type: 'actions', elements: [{ action_id: 'alert_snooze', value: 'winrate-drop|all', text: { text: 'Snooze 1 week' } }] });
  });

  test.each([1, 40, 300])('%s alerts beyond the first ten fit one summary message', (n) => {
    const rest = Array.from({ length: n }, (_, i) => ({ ...alert, rule: (i % 2 ? 'dealsize-below' : 'oversized-deal') as TAlertRule, conditionKey: `all/rep:${i}`, message: `${'Nguyễn '.repeat(20)}${i} ${alert.message}` }));
    const m = buildAlertOverflowMessage({ alerts: rest, scopeLabel: 'all reps', timeZone: 'UTC' });
    expect(findLimitViolations(m.blocks!)).toEqual([]);
    expect(m.text.length).toBeLessThanOrEqual(3000);
    const actions = m.blocks!.find((b) => b.type === 'actions') as { elements: Array<{ action_id: string; value: string }> };
    expect(actions.elements.map((e) => e.value)).toEqual(n === 1 ? ['oversized-deal|*'] : ['oversized-deal|*', 'dealsize-below|*']);
    expect(new Set(actions.elements.map((e) => e.action_id)).size).toBe(actions.elements.length);
  });

  test('the snoozed replacement names who and until when, without a button', () => {
    const m = buildSnoozedMessage({ userId: 'U1', until: new Date('2026-12-07T08:00:00Z'), timeZone: 'Europe/Berlin', title: 'Win rate drop', message: alert.message });
    expect(m.text).toBe(`Snoozed by <@U1> until Mon, Dec 7, 2026 09:00 (Europe/Berlin): Win rate drop — ${alert.message}`);
    expect(JSON.stringify(m.blocks)).not.toContain('alert_snooze');
  });

  test('/kpi alerts lists rules, thresholds, on/off, snoozes, the channel and active alerts within limits', () => {
    const now = new Date('2026-11-30T09:00:00Z');
    const active = Array.from({ length: 15 }, (_, i) => ({
      id: i + 1,
      workspaceId: 1,
      rule: 'dealsize-below',
      conditionKey: i % 2 ? `team:3/rep:${i}` : `all/rep:${i}`,
      periodKey: '2026-W48',
      value: 30,
      threshold: 20,
      message: `${'Representative '.repeat(10)}${i}'s average deal $700 is 30.0% below the group average $1,000 (threshold: 20%; 3 won deals).`,
      firedAt: now,
      recoveredAt: null,
      postedAt: now,
      postingUntil: null,
    }));
    const snoozes = [
      { id: 1, workspaceId: 1, rule: 'winrate-drop', conditionKey: '*', until: new Date('2026-12-07T09:00:00Z'), bySlackUserId: 'U1', createdAt: now },
      { id: 2, workspaceId: 1, rule: 'oversized-deal', conditionKey: 'all/deal:8', until: new Date('2026-12-07T09:00:00Z'), bySlackUserId: 'U1', createdAt: now },
    ];
    const off = resolveAlertSettings(WS, [{ rule: 'funnel-leak', threshold: null, enabled: false }]);
    const m = buildAlertStatusMessage({ settings: off, snoozes, active, activeTotal: 40, alertsChannelId: 'C1', timeZone: 'UTC', teamNames: { 3: 'North' } });
    expect(findLimitViolations(m.blocks!)).toEqual([]);
    const all = JSON.stringify(m.blocks);
    expect(all).toContain('(6 of 7 on)');
    expect(all).toContain('snoozed until Mon, Dec 7, 2026 09:00 (UTC)');
    expect(all).toContain('1 condition snoozed');
    expect(all).toContain(':white_circle: off · *Funnel leak worse than usual*');
    expect(all).toContain('team North, 2026-W48');
    expect(all).toContain('<#C1>');
    expect(m.text).toContain('funnel-leak off');
  });

  test.each([
    [['a', 'b', 'c'], 3, 'a\n…and 2 more'],
    [['a', 'b'], 100, 'a\nb'],
    [[], 100, ''],
  ])('fitLines(%j, %s)', (lines, max, want) => {
    expect(fitLines(lines, max)).toBe(want);
  });
});
