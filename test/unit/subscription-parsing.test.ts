import { describe, expect, test } from 'vitest';
import { isAppError } from '../../src/errors.js';
import { parseDealCommand } from '../../src/domain/deals/parse-deal-command.js';
import { subscriptionDateInstant } from '../../src/domain/subscriptions/subscription-dates.js';
import { runsAt } from '../../src/domain/subscriptions/find-subscription.js';
import { buildChurnConfirmation, buildMrrChangeConfirmation } from '../../src/slack/blocks/subscription-messages.js';
import type { Deal } from '../../src/storage/models.js';
import { buildKpiMessage } from '../../src/slack/blocks/kpi/index.js';
import { findLimitViolations } from '../../src/slack/blocks/limits.js';
import { renderMessageAsText } from '../../src/slack/blocks/render-text.js';
import { CTX, mrrReport } from '../helpers/kpi-fixtures.js';

describe('/deal churn and /deal mrr parsing', () => {
  test.each([
    ['churn Acme', { kind: 'churn', target: { customer: 'Acme', dealId: null }, date: null }],
    ['churn "Acme Corp" 2026-11-30', { kind: 'churn', target: { customer: 'Acme Corp', dealId: null }, date: '2026-11-30' }],
    ['churn Acme Corp 2026-1-5', { kind: 'churn', target: { customer: 'Acme Corp', dealId: null }, date: '2026-01-05' }],
    ['cancel #42', { kind: 'churn', target: { customer: '', dealId: 42 }, date: null }],
    ['mrr Acme 12m', { kind: 'mrr', target: { customer: 'Acme', dealId: null }, amountMinor: 12_000_000n, currency: 'VND', date: null }],
    ['mrr Studio 54 800 triệu 2026-12-01', { kind: 'mrr', target: { customer: 'Studio 54', dealId: null }, amountMinor: 800_000_000n, currency: 'VND', date: '2026-12-01' }],
    ['mrr "Acme" $1,200', { kind: 'mrr', target: { customer: 'Acme', dealId: null }, amountMinor: 120_000n, currency: 'USD', date: null }],
    ['mrr #7 5m', { kind: 'mrr', target: { customer: '', dealId: 7 }, amountMinor: 5_000_000n, currency: 'VND', date: null }],
  ])('%s', (text, expected) => {
    expect(parseDealCommand(text, 'VND')).toEqual(expected);
  });

  test.each([
    ['churn', /Whose subscription ended\?/],
    ['churn 2026-11-30', /Whose subscription ended\?/],
    ['churn Acme 2026-02-30', /"2026-02-30" is not a date I can use/],
    ['churn Acme 1999-12-31', /not a date I can use: Dates before 2000/],
    ['mrr Acme', /Say the customer and the new monthly amount/],
    ['mrr Acme lots', /not an amount|amount/i],
    ['mrr Acme 0', /must be above zero/],
    ['mrr Acme 12m 2026-13-01', /not a date I can use/],
  ])('%s is refused: %s', (text, why) => {
    let error: unknown;
    try {
      parseDealCommand(text, 'VND');
    } catch (e) {
      error = e;
    }
    expect(isAppError(error)).toBe(true);
    expect((error as Error).message).toMatch(why);
  });
});

describe('subscription dates', () => {
  const now = new Date('2026-12-02T10:00:00Z');
  test.each([
    ['2026-11-30', 'UTC', '2026-11-30T00:00:00.000Z'],
    ['2026-11-30', 'Asia/Ho_Chi_Minh', '2026-11-29T17:00:00.000Z'],
    [null, 'UTC', '2026-12-02T00:00:00.000Z'],
    // 10:00 UTC on Dec 2 is already Dec 3 in Kiritimati (UTC+14): "today" follows the workspace's zone.
    [null, 'Pacific/Kiritimati', '2026-12-02T10:00:00.000Z'],
  ])('%s in %s starts at %s', (date, zone, at) => {
    expect(subscriptionDateInstant(date, now, zone).toISOString()).toBe(at);
  });

  test('a date after today (in the zone) is refused', () => {
    expect(() => subscriptionDateInstant('2026-12-03', now, 'UTC')).toThrow(/in the future \(today is 2026-12-02 in UTC\)/);
    expect(subscriptionDateInstant('2026-12-03', now, 'Pacific/Kiritimati').toISOString()).toBe('2026-12-02T10:00:00.000Z');
  });

  test.each([
    ['2026-10-05T12:00:00Z', null, '2026-11-01T00:00:00Z', true],
    ['2026-10-05T12:00:00Z', null, '2026-10-05T00:00:00Z', false],
    ['2026-10-05T12:00:00Z', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', false],
    ['2026-10-05T12:00:00Z', '2026-11-01T00:00:00Z', '2026-10-31T00:00:00Z', true],
  ])('started %s, ended %s: runs at %s → %s', (start, end, at, runs) => {
    expect(runsAt({ subscriptionStart: new Date(start), subscriptionEnd: end ? new Date(end) : null }, new Date(at))).toBe(runs);
  });
});

describe('confirmations', () => {
  const deal = { id: 12, customer: 'Acme <b> & *Co*', subscriptionStart: new Date('2026-10-05T12:00:00Z') } as Deal;
  test('churn: what leaves MRR and when, escaped, with Undo', () => {
    const m = buildChurnConfirmation({ deal, endedAt: new Date('2026-12-01T00:00:00Z'), churnedMinor: 10_000_000n, reportingCurrency: 'VND', timeZone: 'UTC', undoValue: 'sealed' });
    expect(m.text).toBe('Churned: Acme &lt;b&gt; &amp; *Co*’s subscription ends on 2026-12-01; MRR down 10,000,000 ₫ from then on');
    expect(JSON.stringify(m.blocks)).toContain('"value":"sealed"');
    expect(JSON.stringify(m.blocks)).not.toContain('<b>');
  });
  test.each([
    [10_000_000n, 12_000_000n, 'Expansion: ', '(was 10,000,000 ₫, +2,000,000 ₫)'],
    [10_000_000n, 8_000_000n, 'Contraction: ', '(was 10,000,000 ₫, -2,000,000 ₫)'],
  ])('MRR change from %s to %s', (previousMinor, newMinor, kind, tail) => {
    const m = buildMrrChangeConfirmation({ deal, effectiveAt: new Date('2026-12-01T00:00:00Z'), previousMinor, newMinor, newCurrency: 'VND', newReportingMinor: newMinor, reportingCurrency: 'VND', timeZone: 'UTC' });
    expect(m.text.startsWith(kind)).toBe(true);
    expect(m.text).toContain(`MRR is ${newMinor === 12_000_000n ? '12,000,000' : '8,000,000'} ₫ from 2026-12-01 ${tail}`);
  });
});

describe('/kpi mrr answer: movements and retention', () => {
  const message = (subscriptions: number) => buildKpiMessage(mrrReport(subscriptions), CTX);
  test('25 customers at the start, 5 new: the movements and retention in the fallback and the blocks', () => {
    const m = message(30);
    expect(m.text).toContain('MRR 300,000,000 ₫, ARR 3,600,000,000 ₫ — 30 active subscriptions; movements: new +50,000,000 ₫, expansion +0 ₫, contraction -0 ₫, churned -0 ₫, reactivated +0 ₫ (net +50,000,000 ₫); NRR 100.0%, GRR 100.0%, logo churn 0.0% (0 of 25 customers)');
    const text = renderMessageAsText(m);
    expect(text).toContain('MRR movements in November 2026: from 250,000,000 ₫ to 300,000,000 ₫, net +50,000,000 ₫');
    expect(text).toContain('• New: +50,000,000 ₫ (5)');
    expect(text).toContain('NRR = (MRR at the start + expansion − contraction − churned) / MRR at the start');
    expect(findLimitViolations(m.blocks!)).toEqual([]);
  });
  test('everyone churned: churn and retention of 0% are stated, never NaN', () => {
    const m = message(0);
    expect(m.text).toContain('churned -250,000,000 ₫');
    expect(m.text).toContain('NRR 0.0%, GRR 0.0%, logo churn 100.0% (25 of 25 customers)');
    expect(JSON.stringify(m.blocks)).not.toMatch(/NaN|undefined|Infinity/);
  });
});
