import { describe, expect, test } from 'vitest';
import { isAppError } from '../../src/errors.js';
import { parseDealCommand } from '../../src/domain/deals/parse-deal-command.js';
import { checkRefundCap } from '../../src/domain/refunds/refund-cap.js';
import { buildKpiMessage } from '../../src/slack/blocks/kpi/index.js';
import { parseRefundForm, readRefundButton } from '../../src/slack/forms/refund-form.js';
import { buildRefundModal } from '../../src/slack/blocks/refund-modal.js';
import { buildDealModal } from '../../src/slack/blocks/deal-modal.js';
import { findViewViolations } from '../../src/slack/blocks/limits.js';
import { CTX, revenueReport } from '../helpers/kpi-fixtures.js';

function refusal(text: string): { code: string; message: string; example: string | undefined } {
  try {
    parseDealCommand(text, 'USD');
  } catch (e) {
    if (isAppError(e)) return { code: e.code, message: e.message, example: e.example };
    throw e;
  }
  throw new Error(`"${text}" was accepted`);
}

describe('/deal refund parsing', () => {
  test.each([
    ['refund Acme 2m', { customer: 'Acme', amountMinor: 200_000_000n, currency: 'USD', reason: null }],
    ['refund Acme 2m damaged goods', { customer: 'Acme', amountMinor: 200_000_000n, currency: 'USD', reason: 'damaged goods' }],
    ['refund Acme 2,000,000', { customer: 'Acme', amountMinor: 200_000_000n, currency: 'USD', reason: null }],
    ['refund Saigon Foods 800tr late delivery', { customer: 'Saigon Foods', amountMinor: 800_000_000n, currency: 'VND', reason: 'late delivery' }],
    ['refund "Acme Corp" 12,000 EUR wrong size', { customer: 'Acme Corp', amountMinor: 1_200_000n, currency: 'EUR', reason: 'wrong size' }],
    // Quoted, a name that looks like an amount stays the name.
    ['refund "3M" 5k', { customer: '3M', amountMinor: 500_000n, currency: 'USD', reason: null }],
    ['REFUND acme $1.5k', { customer: 'acme', amountMinor: 150_000n, currency: 'USD', reason: null }],
    ['return Acme &amp; Co 3k', { customer: 'Acme & Co', amountMinor: 300_000n, currency: 'USD', reason: null }],
  ])('%s', (text, expected) => {
    expect(parseDealCommand(text, 'USD')).toEqual({ kind: 'refund', ...expected });
  });

  test.each([
    ['refund', /Say the customer and the amount refunded/],
    ['refund Acme', /How much was refunded to Acme\?/],
    ['refund 2m', /Which customer\?/],
    ['refund Acme lots', /couldn't find the amount refunded in "lots"/],
    ['refund Acme -5', /negative/],
    ['refund Acme 0', /more than zero/],
    ['refund "Acme Corp" soon', /couldn't find the amount refunded in "soon"/],
  ])('%s is refused with the right form', (text, message) => {
    const r = refusal(text);
    expect(r.message).toMatch(message);
    expect(r.message).toContain('/deal refund <customer> <amount> [reason]');
    expect(r.example).toBe('/deal refund Acme 2m damaged goods');
  });

  test('a reason over 500 characters is refused, saying the limit', () => {
    expect(refusal(`refund Acme 2m ${'x'.repeat(501)}`).message).toMatch(/at most 500 characters; yours has 501/);
  });
});

describe('the refund cap: never more than won minus earlier refunds without a confirmation', () => {
  const usd = (minor: bigint) => ({ amountMinor: minor, currency: 'USD', amountReportingMinor: minor });
  const deal = usd(200_000_000n);

  test('exactly what was won is allowed; a cent more is not', () => {
    expect(checkRefundCap({ deal, earlier: [], refund: usd(200_000_000n), reportingCurrency: 'USD' })).toEqual({ remainingMinor: 200_000_000n, currency: 'USD', exceeds: false });
    expect(checkRefundCap({ deal, earlier: [], refund: usd(200_000_001n), reportingCurrency: 'USD' }).exceeds).toBe(true);
  });

  test('earlier refunds count against it', () => {
    const cap = checkRefundCap({ deal, earlier: [usd(150_000_000n)], refund: usd(60_000_000n), reportingCurrency: 'USD' });
    expect(cap).toEqual({ remainingMinor: 50_000_000n, currency: 'USD', exceeds: true });
    expect(checkRefundCap({ deal, earlier: [usd(150_000_000n)], refund: usd(50_000_000n), reportingCurrency: 'USD' }).exceeds).toBe(false);
    expect(checkRefundCap({ deal, earlier: [usd(200_000_000n)], refund: usd(1n), reportingCurrency: 'USD' })).toEqual({ remainingMinor: 0n, currency: 'USD', exceeds: true });
  });

  test('same currency is compared exactly in it, whatever the conversion rounded to', () => {
    const vndDeal = { amountMinor: 800_000_000n, currency: 'VND', amountReportingMinor: 3_200_000n };
    // Converted at a later rate the refund reads as more in USD, but it is exactly what was won.
    const refund = { amountMinor: 800_000_000n, currency: 'VND', amountReportingMinor: 3_200_001n };
    expect(checkRefundCap({ deal: vndDeal, earlier: [], refund, reportingCurrency: 'USD' }).exceeds).toBe(false);
  });

  test('another currency is compared in the reporting currency', () => {
    const eurRefund = { amountMinor: 1_000_00n, currency: 'EUR', amountReportingMinor: 108_00n };
    expect(checkRefundCap({ deal: usd(100_00n), earlier: [], refund: eurRefund, reportingCurrency: 'USD' }).exceeds).toBe(true);
    expect(checkRefundCap({ deal: usd(108_00n), earlier: [], refund: eurRefund, reportingCurrency: 'USD' }).exceeds).toBe(false);
    // Earlier refunds in mixed currencies: what is left is told in the reporting currency.
    const cap = checkRefundCap({ deal: usd(500_00n), earlier: [eurRefund], refund: usd(100_00n), reportingCurrency: 'USD' });
    expect(cap).toEqual({ remainingMinor: 392_00n, currency: 'USD', exceeds: false });
  });
});

describe('/kpi revenue shows gross won, refunds and net', () => {
  test('one line with all three, the net equal to won − refunds', () => {
    const m = buildKpiMessage(revenueReport(), CTX);
    expect(JSON.stringify(m.blocks)).toContain('*Gross won* $55,000  −  *Refunds* $5,000  =  *Net* $50,000');
    // Nothing to show when nothing was won or refunded.
    expect(JSON.stringify(buildKpiMessage(revenueReport({ empty: true }), CTX).blocks)).not.toContain('Gross won');
  });
});

describe('refund form and buttons', () => {
  const values = (v: { customer?: string; amount?: string; currency?: string; reason?: string; confirm?: boolean }) => ({
    customer: { value: { value: v.customer ?? null } },
    amount: { value: { value: v.amount ?? null } },
    currency: { value: { selected_option: { value: v.currency ?? 'USD' } } },
    reason: { value: { value: v.reason ?? null } },
    confirm: { value: { selected_options: v.confirm ? [{ value: 'over_cap' }] : [] } },
  });

  test('a valid form', () => {
    expect(parseRefundForm(values({ customer: ' Acme Corp ', amount: '2m', reason: ' damaged ', confirm: true }), { defaultCurrency: 'USD' })).toEqual({
      ok: true,
      customer: 'Acme Corp',
      amountMinor: 200_000_000n,
      currency: 'USD',
      reason: 'damaged',
      confirmedOverCap: true,
    });
  });

  test('every problem on its own field at once', () => {
    const r = parseRefundForm(values({ customer: '', amount: '€5', currency: 'USD', reason: 'x'.repeat(501) }), { defaultCurrency: 'USD' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual(['amount', 'customer', 'reason']);
    expect(r.errors.amount).toMatch(/says EUR but the currency field is USD/);
    expect(parseRefundForm(values({ customer: 'Acme', amount: 'lots' }), { defaultCurrency: 'USD' })).toMatchObject({ ok: false, errors: { amount: expect.stringMatching(/lots/) } });
  });

  test('the amount in the reader\'s number form', () => {
    expect(parseRefundForm(values({ customer: 'Acme', amount: '1.200,50' }), { defaultCurrency: 'USD', locale: 'vi' })).toMatchObject({ ok: true, amountMinor: 120_050n });
    expect(parseRefundForm(values({ customer: 'Acme', amount: '1.200' }), { defaultCurrency: 'USD', locale: 'vi' })).toMatchObject({ ok: true, amountMinor: 120_000n });
    expect(parseRefundForm(values({ customer: 'Acme', amount: '1.200' }), { defaultCurrency: 'USD', locale: 'en' })).toMatchObject({ ok: false, errors: { amount: expect.stringMatching(/ambiguous/) } });
    expect(parseRefundForm(values({ customer: 'Acme', amount: '1,200' }), { defaultCurrency: 'USD', locale: 'vi' })).toMatchObject({ ok: false, errors: { amount: expect.stringMatching(/chưa rõ/) } });
  });

  test('a button payload is read only when it has the right shape', () => {
    const good = { d: 7, a: '200000000', c: 'USD', r: null, k: 'cmd:1.2', s: 'slack-command' };
    expect(readRefundButton(JSON.stringify(good))).toEqual(good);
    expect(readRefundButton(JSON.stringify({ ...good, a: '-5' }))).toBeNull();
    expect(readRefundButton(JSON.stringify({ ...good, c: 'XYZ' }))).toBeNull();
    expect(readRefundButton('not json')).toBeNull();
    expect(readRefundButton(null)).toBeNull();
  });

  test('the refund modal and the deal modal (with its refund button) stay within Block Kit limits', () => {
    const refund = buildRefundModal({ currencies: ['USD', 'EUR', 'VND'], defaultCurrency: 'USD', prefill: { customer: 'x'.repeat(300), reason: 'y'.repeat(900) }, meta: { channelId: 'C1' }, seal: (j) => `${j}~mac` });
    expect(findViewViolations(refund)).toEqual([]);
    const deal = buildDealModal({ stages: ['lead'], currencies: ['USD'], defaultCurrency: 'USD', userId: 'U1', today: '2026-11-20', meta: { channelId: 'C1' }, seal: (j) => `${j}~mac` });
    expect(JSON.stringify(deal.blocks)).toContain('deal_modal_refund');
    expect(findViewViolations(deal)).toEqual([]);
  });
});
