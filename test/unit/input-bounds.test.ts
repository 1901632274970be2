import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { AppError } from '../../src/errors.js';
import { parseDealCommand } from '../../src/domain/deals/parse-deal-command.js';
import { checkedCustomer, checkedText, cleanName, closeDateProblem, TEXT_LIMITS } from '../../src/domain/deals/text-input.js';
import { toReportingCurrency } from '../../src/domain/deals/to-reporting-currency.js';
import { dateReader } from '../../src/domain/imports/fields.js';
import { genericMapping, parseCsv, type TMappingContext } from '../../src/domain/imports/index.js';
import { MAX_AMOUNT_MINOR, MAX_REPORTING_MINOR, parseAmount, parseRate, rateProblem } from '../../src/domain/money.js';
import type { Tx } from '../../src/storage/db.js';
import { parseDealForm, type TViewStateValues } from '../../src/slack/forms/deal-form.js';
import { parseQuotaForm } from '../../src/slack/forms/quota-form.js';
import { deriveSealKey, ValueSealer } from '../../src/slack/sealed-values.js';
import { dealModalValues, quotaModalValues } from '../helpers/slack-requests.js';

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('cleanName', () => {
  test.each([
    ['  Acme  Corp ', 'Acme Corp'],
    ['Acme\u202E Corp', 'Acme Corp'],
    ['\u2066Acme\u2069', 'Acme'],
    ['Ac\u202Ame\u202C', 'Acme'],
    ['Acme\u0007Corp', 'Acme Corp'],
    ['\u200B', ''],
    ['\u200B\u200C\u200D\u200E\u200F', ''],
    ['\u2060\uFEFF \t', ''],
    ['\u0001\u0002\u007F', ''],
    ['\u202E\u200B', ''],
    ['Zoë & Co', 'Zoë & Co'],
    ['👩‍💻 Studio', '👩‍💻 Studio'],
  ])('%j → %j', (raw, expected) => expect(cleanName(raw)).toBe(expected));
});

describe('text limits', () => {
  test.each([
    ['x'.repeat(TEXT_LIMITS.customer), true],
    ['x'.repeat(TEXT_LIMITS.customer + 1), false],
    ['\u200B\u200B', false],
    ['', false],
  ])('customer of length %#', (raw, ok) => {
    if (ok) expect(checkedCustomer(raw)).toBe(raw);
    else expect(() => checkedCustomer(raw)).toThrow(AppError);
  });
  test('an over-long customer states the limit', () => {
    expect(errorOf(() => checkedCustomer('x'.repeat(201))).message).toContain('at most 200 characters');
  });
  test.each([
    ['reason', 500],
    ['notes', 3000],
  ] as const)('%s: at most %i characters, and the error says so', (kind, limit) => {
    expect(checkedText('y'.repeat(limit), kind)).toHaveLength(limit);
    expect(errorOf(() => checkedText('y'.repeat(limit + 1), kind)).message).toContain(limit.toLocaleString('en-US'));
  });
});

describe('parseDealCommand bounds', () => {
  test.each([
    ['won 12k "\u200B\u200B"', /no visible characters/],
    [`won 12k ${'A'.repeat(201)}`, /at most 200 characters/],
    [`stage ${'A'.repeat(201)} demo`, /at most 200 characters/],
    ['stage \u200B demo', /no visible characters/],
    ['lost \u200B', /no visible characters/],
    ['won 12 XYZ Foo', /XYZ is not a currency I know.*"XYZ Foo"/],
    ['won 12,000 ABC Corp', /ABC is not a currency I know/],
  ])('%j is refused', (text, pattern) => {
    const e = errorOf(() => parseDealCommand(text, 'USD'));
    expect(e.message).toMatch(pattern);
    expect(e.example).toBeTruthy();
  });
  test('the ask-back shows the quoted form, which then works', () => {
    expect(errorOf(() => parseDealCommand('won 12 XYZ Foo', 'USD')).example).toBe('/deal won 12 USD "XYZ Foo"');
    expect(parseDealCommand('won 12 USD "XYZ Foo"', 'USD')).toMatchObject({ kind: 'won', amountMinor: 1200n, currency: 'USD', customer: 'XYZ Foo' });
    expect(parseDealCommand('won 12 "XYZ Foo"', 'USD')).toMatchObject({ kind: 'won', customer: 'XYZ Foo' });
  });
  test.each([
    ['won 12 EUR Foo', { currency: 'EUR', customer: 'Foo', amountMinor: 1200n }],
    ['won 12k BMW', { currency: 'USD', customer: 'BMW' }],
    ['won $12 XYZ Foo', { currency: 'USD', customer: 'XYZ Foo' }],
    ['won 12k Acme\u202E Corp', { customer: 'Acme Corp' }],
  ])('%j still works', (text, expected) => expect(parseDealCommand(text, 'USD')).toMatchObject(expected));
  test('lost: splits whose customer is too long or invisible are not tried', () => {
    const long = `lost Acme ${'word '.repeat(60)}`;
    const parsed = parseDealCommand(long, 'USD');
    expect(parsed.kind === 'lost' && parsed.candidates.every((c) => c.customer.length <= 200)).toBe(true);
    expect(parsed.kind === 'lost' && parsed.candidates.at(-1)).toEqual({ customer: 'Acme', reason: 'word '.repeat(60).trim() });
  });
});

describe('money bounds', () => {
  test('one amount is capped at 10^15 minor units', () => {
    expect(parseAmount('10000000000000', { defaultCurrency: 'USD' }).amountMinor).toBe(MAX_AMOUNT_MINOR);
    expect(() => parseAmount('10000000000001', { defaultCurrency: 'USD' })).toThrow(/larger than any deal amount/);
  });
  test('a million deals at the reporting cap still sum below 2^63', () => {
    expect(MAX_REPORTING_MINOR * 1_000_000n).toBeLessThan(2n ** 63n - 1n);
  });
  const workspace = { id: 1, currency: 'USD' };
  const txWithRate = (rate: number) => ({ currencyRate: { findUnique: async () => ({ rate }) } }) as unknown as Tx;
  test.each([
    [MAX_REPORTING_MINOR, 'USD', 1, true],
    [MAX_REPORTING_MINOR + 1n, 'USD', 1, false],
    [MAX_AMOUNT_MINOR, 'USD', 1, false],
    // 10^15 VND at 0.00004 USD = 400 million USD = 4 × 10^10 cents: fine.
    [MAX_AMOUNT_MINOR, 'VND', 0.00004, true],
    // 10^15 JPY (no minor unit) at 1e9 → far above the cap.
    [MAX_AMOUNT_MINOR, 'JPY', 1e9, false],
  ])('the reporting amount of %s %s (rate %s) is capped: ok=%s', async (amount, currency, rate, ok) => {
    const run = toReportingCurrency(txWithRate(rate), workspace, amount, currency);
    if (ok) await expect(run).resolves.toBeLessThanOrEqual(MAX_REPORTING_MINOR);
    else await expect(run).rejects.toThrow(/largest single amount/);
  });
});

describe('conversion rates', () => {
  test.each([
    ['1.08', 1.08],
    ['1,08', 1.08],
    ['0.00004', 0.00004],
    ['25000', 25000],
    ['1e400', null],
    ['0x10', null],
    ['-1', null],
    ['Infinity', null],
    ['NaN', null],
    ['', null],
    ['1.2.3', null],
  ])('parseRate(%j) = %j', (text, expected) => expect(parseRate(text)).toBe(expected));
  test.each([
    [1.08, null],
    [0.000001, null],
    [1e9, null],
    [0, /above zero/],
    [-2, /above zero/],
    [Number.POSITIVE_INFINITY, /above zero/],
    [Number.NaN, /above zero/],
    [0.0000009, /between/],
    [1e9 + 1, /between/],
  ])('rateProblem(%s)', (rate, expected) => {
    const problem = rateProblem(rate);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});

describe('rate direction', () => {
  test.each([
    [0.00004, 'VND', 'USD', null],
    [25000, 'USD', 'VND', null],
    [1.08, 'EUR', 'USD', null],
    [0.93, 'USD', 'EUR', null],
    [40, 'TRY', 'USD', /looks wrong/],
    [25000, 'VND', 'USD', /roughly 4e-5 USD|roughly 0\.00004 USD/],
    [0.00004, 'USD', 'VND', /looks wrong/],
    [150, 'JPY', 'EUR', /looks wrong/],
  ])('1 unit = %s: %s → %s', (rate, from, to, expected) => {
    const problem = rateProblem(rate, from, to);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});

describe('dates', () => {
  test.each([
    ['2026-02-30', /not a date/],
    ['2026-13-01', /not a date/],
    ['2025-02-29', /not a date/],
    ['0001-01-01', /before 2000/],
    ['1999-12-31', /before 2000/],
    ['99999-01-01', /not a date/],
    ['garbage', /not a date/],
    ['2026-1-5', /not a date/],
    ['2024-02-29', null],
    ['2000-01-01', null],
  ])('closeDateProblem(%j)', (date, expected) => {
    const problem = closeDateProblem(date);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
  test.each(['2026-02-30', '1999-12-31', '0001-01-01'])('the CSV import refuses %j', (date) => {
    expect(() => dateReader('UTC')('closed_at', date)).toThrow(/closed_at/);
  });
});

describe('parseDealForm: crafted option values and dates', () => {
  const ctx = { defaultCurrency: 'USD', timeZone: 'America/New_York', now: new Date('2026-11-27T15:00:00Z'), stages: ['lead', 'contacted', 'demo', 'proposal'] };
  const form = (v: Parameters<typeof dealModalValues>[0]) => parseDealForm(dealModalValues({ customer: 'A', amount: '1k', owner: 'U1', ...v }) as TViewStateValues, ctx);
  test.each([
    [{ currency: 'XYZ' }, 'currency'],
    [{ currency: 'usd; drop' }, 'currency'],
    [{ status: 'won; drop' }, 'status'],
    [{ status: 'open:banana' }, 'status'],
    [{ status: 'demo' }, 'status'],
    [{ type: 'enterprise' }, 'type'],
    [{ closeDate: '2026-02-30' }, 'close_date'],
    [{ closeDate: '0001-01-01' }, 'close_date'],
    [{ closeDate: '99999-01-01' }, 'close_date'],
    [{ closeDate: 'garbage' }, 'close_date'],
    [{ closeDate: '2028-01-01' }, 'close_date'],
    [{ customer: '\u200B\u2060' }, 'customer'],
    [{ customer: 'x'.repeat(201) }, 'customer'],
    [{ notes: 'n'.repeat(3001) }, 'notes'],
  ])('%j → an error on %s', (v, field) => {
    const r = form(v);
    expect(r.ok).toBe(false);
    expect(Object.keys(!r.ok ? r.errors : {})).toContain(field);
  });
  test('bidi controls are removed from the stored customer', () => {
    const r = form({ customer: '\u202EAcme\u202C' });
    expect(r.ok && r.input.customer).toBe('Acme');
  });
});

describe('parseQuotaForm: crafted option values', () => {
  const ctx = { reportingCurrency: 'USD', period: { now: new Date('2026-11-27T15:00:00Z'), timeZone: 'UTC', fiscalYearStartMonth: 1 } };
  test.each([
    [{ rep: 'U1', amount: '5k', currency: 'XYZ' }, 'currency'],
    [{ rep: 'U1', amount: '5k', which: 'always' }, 'period_which'],
    [{ rep: null, team: '1; drop', amount: '5k' }, 'team'],
  ])('%j → an error on %s', (v, field) => {
    const r = parseQuotaForm(quotaModalValues(v) as TViewStateValues, ctx);
    expect(r.ok).toBe(false);
    expect(Object.keys(!r.ok ? r.errors : {})).toContain(field);
  });
});

describe('sealed values', () => {
  const sealer = new ValueSealer(deriveSealKey({ SLACK_SIGNING_SECRET: 'signing-secret-for-tests' }));
  const bind = { teamId: 'T1', userId: 'U1' };
  const sealed = sealer.seal('undo', bind, '42');
  test('a value opens for the purpose, team and user it was made for', () => {
    expect(sealer.open('undo', bind, sealed)).toBe('42');
  });
  test.each([
    ['another deal id', sealed.replace(/^42/, '43'), 'undo', bind],
    ['no MAC', '42', 'undo', bind],
    ['a truncated MAC', sealed.slice(0, -1), 'undo', bind],
    ['another user', sealed, 'undo', { teamId: 'T1', userId: 'U2' }],
    ['another team', sealed, 'undo', { teamId: 'T2', userId: 'U1' }],
    ['another purpose', sealed, 'kpi-share', bind],
    ['no value', undefined, 'undo', bind],
  ] as const)('refused: %s', (_name, value, purpose, b) => {
    expect(sealer.open(purpose, b, value)).toBeNull();
  });
  test('another key refuses it', () => {
    const other = new ValueSealer(deriveSealKey({ APP_SECRET: 'a'.repeat(32), SLACK_SIGNING_SECRET: 'signing-secret-for-tests' }));
    expect(other.open('undo', bind, sealed)).toBeNull();
  });
  test('the key is derived, never the secret itself', () => {
    expect(deriveSealKey({ SLACK_SIGNING_SECRET: 's'.repeat(32) }).equals(Buffer.from('s'.repeat(32)))).toBe(false);
    expect(deriveSealKey({ SLACK_BOT_TOKEN: 'xoxb-1' })).toHaveLength(32);
  });
  test('APP_SECRET must be at least 32 characters', () => {
    const base = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'abcdefgh12345678' };
    expect(() => loadConfig({ ...base, APP_SECRET: 'short' })).toThrow(/APP_SECRET must be at least 32 characters/);
    expect(loadConfig({ ...base, APP_SECRET: 'k'.repeat(32) }).APP_SECRET).toBe('k'.repeat(32));
  });
});

describe('CSV import (generic): the same bounds as /deal', () => {
  const ctx = (text: string) => {
    const table = parseCsv(text, 'f.csv');
    return { table, ctx: { file: 'f.csv', columns: table.columns, stages: ['lead', 'contacted', 'demo', 'proposal'], timeZone: 'UTC', currency: 'USD', now: new Date('2026-11-27T10:00:00Z') } satisfies TMappingContext };
  };
  test('invisible customers, impossible and pre-2000 dates, over-long reasons are row issues; bidi controls are removed', () => {
    const { table, ctx: c } = ctx(
      [
        'external_id,owner,customer,amount,status,closed_at,lost_reason',
        'Z1,Ann,\u200B\u2060,100,won,2025-01-01,',
        'Z2,Ann,Acme,100,won,2026-02-30,',
        'Z3,Ann,Acme,100,won,1999-12-31,',
        `Z4,Ann,Acme,100,lost,2025-01-01,${'r'.repeat(501)}`,
        'Z5,Ann,\u202EBidi\u202C Co,100,won,2025-01-01,',
      ].join('\n'),
    );
    const m = genericMapping().map(table.rows, c);
    expect(m.issues.map((i) => [i.line, i.field, i.kind])).toEqual([
      [2, 'customer', 'no visible characters'],
      [3, 'closed_at', 'not a date'],
      [4, 'closed_at', 'not a date'],
      [5, 'lost_reason', 'too long'],
    ]);
    expect(m.deals.map((d) => d.draft.customer)).toEqual(['Bidi Co']);
  });
});
