import { describe, expect, test } from 'vitest';
import { AppError } from '../../src/errors.js';
import { extractDealHints } from '../../src/domain/deals/extract-deal-hints.js';
import { parseDealCommand, tokenize } from '../../src/domain/deals/parse-deal-command.js';
import { parseStage, stageIndex } from '../../src/domain/deals/stages.js';
import { parseDealForm } from '../../src/slack/forms/deal-form.js';
import { dealModalValues } from '../helpers/slack-requests.js';

describe('parseDealCommand', () => {
  test.each([
    ['', { kind: 'modal' }],
    ['new', { kind: 'modal' }],
    ['help', { kind: 'help' }],
    ['undo', { kind: 'undo' }],
    ['won 12k Acme upsell', { kind: 'won', amountMinor: 1_200_000n, currency: 'USD', customer: 'Acme', type: 'upsell' }],
    ['won 12000 Acme Corp', { kind: 'won', amountMinor: 1_200_000n, currency: 'USD', customer: 'Acme Corp', type: null }],
    ['won $12,000 Acme renewal', { kind: 'won', amountMinor: 1_200_000n, currency: 'USD', customer: 'Acme', type: 'renewal' }],
    ['won 1.5m "Big Co" new', { kind: 'won', amountMinor: 150_000_000n, currency: 'USD', customer: 'Big Co', type: 'new' }],
    ['won 800tr Saigon Foods', { kind: 'won', amountMinor: 800_000_000n, currency: 'VND', customer: 'Saigon Foods', type: null }],
    ['won 800 triệu Saigon Foods', { kind: 'won', amountMinor: 800_000_000n, currency: 'VND', customer: 'Saigon Foods', type: null }],
    ['won 12.000.000 ₫ Hanoi Tech', { kind: 'won', amountMinor: 12_000_000n, currency: 'VND', customer: 'Hanoi Tech', type: null }],
    ['won 12,000 USD Acme cross-sell', { kind: 'won', amountMinor: 1_200_000n, currency: 'USD', customer: 'Acme', type: 'upsell' }],
    ['won 5k Upsell', { kind: 'won', amountMinor: 500_000n, currency: 'USD', customer: 'Upsell', type: null }],
    // A capitalised three-letter name after the amount is a customer unless it is a currency code.
    ['won 12k BMW upsell', { kind: 'won', amountMinor: 1_200_000n, currency: 'USD', customer: 'BMW', type: 'upsell' }],
    ['won 12k IBM Germany', { kind: 'won', amountMinor: 1_200_000n, currency: 'USD', customer: 'IBM Germany', type: null }],
    // Slack escapes & < > in command text.
    ['won 7k Acme &amp; Co', { kind: 'won', amountMinor: 700_000n, currency: 'USD', customer: 'Acme & Co', type: null }],
    ['stage Acme demo', { kind: 'stage', customer: 'Acme', stage: 'demo', amountMinor: null, currency: 'USD' }],
    ['stage Acme Corp trial 20k', { kind: 'stage', customer: 'Acme Corp', stage: 'trial', amountMinor: 2_000_000n, currency: 'USD' }],
  ])('%j', (text, expected) => {
    expect(parseDealCommand(text, 'USD')).toEqual(expected);
  });

  test('lost offers every customer/reason split, longest name first', () => {
    expect(parseDealCommand('lost Acme Corp price', 'USD')).toEqual({
      kind: 'lost',
      candidates: [
        { customer: 'Acme Corp price', reason: null },
        { customer: 'Acme Corp', reason: 'price' },
        { customer: 'Acme', reason: 'Corp price' },
      ],
    });
    expect(parseDealCommand('lost "Acme Corp" went dark', 'USD')).toEqual({ kind: 'lost', candidates: [{ customer: 'Acme Corp', reason: 'went dark' }] });
  });

  test.each([
    ['won', /amount and the customer/],
    ['won 12k', /amount and the customer/],
    ['won abc Acme', /./],
    ['won -5 Acme', /./],
    ['won 12XYZ Acme', /XYZ/],
    ['won 1.200 Acme', /./],
    ['stage Acme', /customer and the stage/],
    ['undo now', /takes nothing/],
    ['fly Acme', /don't know/],
  ])('refuses %j with an example', (text, pattern) => {
    let error: unknown;
    try {
      parseDealCommand(text, 'USD');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toMatch(pattern);
    expect((error as AppError).example).toBeTruthy();
  });

  test.each([
    // An amount with its currency that is ambiguous is asked about, never read shorter (1,200 ₫ for "USD Acme").
    ['won 1.200 USD Acme', 'VND', 'en'],
    ['won 1,200 USD Acme', 'VND', 'vi'],
    ['won 12 kr Acme', 'VND', 'en'],
  ] as const)('refuses %j in a %s workspace (reader %s) as ambiguous', (text, currency, locale) => {
    expect(() => parseDealCommand(text, currency, locale)).toThrow(expect.objectContaining({ code: 'AMBIGUOUS' }));
  });

  test('a clear amount with a customer after it still reads in a VND workspace', () => {
    expect(parseDealCommand('won 1.200 USD Acme', 'VND', 'vi')).toMatchObject({ kind: 'won', amountMinor: 120000n, currency: 'USD', customer: 'Acme' });
    expect(parseDealCommand('won 1.200.000 Acme', 'VND', 'en')).toMatchObject({ kind: 'won', amountMinor: 1200000n, currency: 'VND', customer: 'Acme' });
  });

  test('tokenize keeps quoted names together', () => {
    expect(tokenize('won 5k "Acme  Corp" upsell')).toEqual(['won', '5k', 'Acme  Corp', 'upsell']);
    expect(tokenize('  ')).toEqual([]);
  });
});

describe('stages', () => {
  const stages = ['lead', 'contacted', 'demo', 'proposal'];
  test.each([
    ['lead', 'lead'],
    ['Trial', 'demo'],
    ['call', 'contacted'],
    ['quote', 'proposal'],
  ])('parseStage(%j) = %j', (input, expected) => expect(parseStage(input, stages)).toBe(expected));
  test('won, lost and unknown stages are refused', () => {
    expect(() => parseStage('won', stages)).toThrow(/deal won/);
    expect(() => parseStage('banana', stages)).toThrow(/not a stage/);
  });
  test('won is past the last stage', () => {
    expect(stageIndex('won', stages)).toBe(4);
    expect(stageIndex('demo', stages)).toBe(2);
  });
});

describe('parseDealForm', () => {
  const ctx = { defaultCurrency: 'USD', timeZone: 'America/New_York', now: new Date('2026-11-27T15:00:00Z'), stages: ['lead', 'contacted', 'demo', 'proposal'] };
  test('a complete form becomes a deal input', () => {
    const r = parseDealForm(dealModalValues({ customer: ' Acme ', amount: '$12,000.50', owner: 'U1', type: 'renewal', status: 'won', closeDate: '2026-11-20', recurring: '1k', discount: '500', notes: 'x' }), ctx);
    expect(r).toMatchObject({ ok: true, ownerUserId: 'U1', announce: true, input: { customer: 'Acme', amountMinor: 1_200_050n, currency: 'USD', type: 'renewal', status: 'won', recurringMonthlyMinor: 100_000n, discountMinor: 50_000n, notes: 'x' } });
    // A past close date is local noon in the workspace's zone.
    expect(r.ok && r.input.closedAt?.toISOString()).toBe('2026-11-20T17:00:00.000Z');
  });
  test('today means now, so the deal counts today', () => {
    const r = parseDealForm(dealModalValues({ customer: 'A', amount: '1', owner: 'U1', closeDate: '2026-11-27' }), ctx);
    expect(r.ok && r.input.closedAt?.toISOString()).toBe(ctx.now.toISOString());
  });
  test('an open stage needs no amount and no close date', () => {
    const r = parseDealForm(dealModalValues({ customer: 'A', owner: 'U1', status: 'open:demo' }), ctx);
    expect(r).toMatchObject({ ok: true, input: { status: 'open', stage: 'demo', amountMinor: 0n, closedAt: null } });
  });
  test('every problem is reported on its own field', () => {
    const r = parseDealForm(dealModalValues({ customer: '', amount: '12 apples', owner: '', closeDate: '2030-01-01', recurring: '-1', currency: 'USD' }), ctx);
    expect(r.ok).toBe(false);
    expect(Object.keys(!r.ok ? r.errors : {}).sort()).toEqual(['amount', 'close_date', 'customer', 'owner', 'recurring']);
  });
  test('a symbol that contradicts the currency field is caught', () => {
    const r = parseDealForm(dealModalValues({ customer: 'A', amount: '800tr', owner: 'U1', currency: 'USD' }), ctx);
    expect(!r.ok && r.errors.amount).toMatch(/VND/);
  });
  test('a long note on a lost deal keeps the note whole and the reason to 500 characters', () => {
    const notes = 'x'.repeat(800);
    const r = parseDealForm(dealModalValues({ customer: 'A', amount: '1k', owner: 'U1', status: 'lost', notes }), ctx);
    expect(r.ok && r.input.notes?.length).toBe(800);
    expect(r.ok && r.input.lostReason?.length).toBe(500);
  });
  test('private deals are not announced', () => {
    const r = parseDealForm(dealModalValues({ customer: 'A', amount: '1k', owner: 'U1', private: true }), ctx);
    expect(r.ok && r.announce).toBe(false);
  });
});

describe('extractDealHints', () => {
  test.each([
    ['Great news, we just closed Cyberdyne Systems for $18,500!', { amount: '$18,500', currency: 'USD', customer: 'Cyberdyne Systems' }],
    ['Signed with Acme Corp today: 12k', { amount: '12k', currency: 'USD', customer: 'Acme Corp' }],
    ['Chốt đơn 800tr with Saigon Foods', { amount: '800tr', currency: 'VND', customer: 'Saigon Foods' }],
    ['lunch at noon?', {}],
  ])('%j', (text, expected) => {
    expect(extractDealHints(text, 'USD')).toEqual(expected);
  });
});
