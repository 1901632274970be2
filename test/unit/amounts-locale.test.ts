import { describe, expect, test } from 'vitest';
import { isAppError } from '../../src/errors.js';
import { commaDecimalReader, numberMarksOf, parseAmount } from '../../src/domain/money.js';
import { parseDealCommand } from '../../src/domain/deals/parse-deal-command.js';
import { extractDealHints } from '../../src/domain/deals/extract-deal-hints.js';
import { parseLeadCount } from '../../src/domain/leads/lead-count-key.js';

/**
 * Amounts read in the reader's number form (issue #12): a Vietnamese reader groups with `.` and
 * writes decimals with `,`, so `1.200 USD` is 1,200 dollars for them and `1,200 USD` is the one
 * asked about; English, Chinese and an absent or unknown locale read exactly as before.
 */

type TRead = { minor: bigint; currency: string } | 'AMBIGUOUS' | 'INVALID_AMOUNT';

function read(input: string, defaultCurrency: string, locale: string | undefined): TRead {
  try {
    const m = parseAmount(input, { defaultCurrency, ...(locale === undefined ? {} : { locale }) });
    return { minor: m.amountMinor, currency: m.currency };
  } catch (e) {
    if (isAppError(e) && (e.code === 'AMBIGUOUS' || e.code === 'INVALID_AMOUNT')) return e.code;
    throw e;
  }
}

const usd = (minor: bigint): TRead => ({ minor, currency: 'USD' });
const eur = (minor: bigint): TRead => ({ minor, currency: 'EUR' });
const vnd = (minor: bigint): TRead => ({ minor, currency: 'VND' });
const kwd = (minor: bigint): TRead => ({ minor, currency: 'KWD' });
const jpy = (minor: bigint): TRead => ({ minor, currency: 'JPY' });

// [input, workspace currency, Vietnamese reading, English = Chinese = no locale reading]
const TABLE: ReadonlyArray<readonly [string, string, TRead, TRead]> = [
  // One dot before 3 digits: thousands for a Vietnamese reader, asked about for the others.
  ['1.200', 'USD', usd(120000n), 'AMBIGUOUS'],
  ['1.200 USD', 'VND', usd(120000n), 'AMBIGUOUS'],
  ['12.000 €', 'USD', eur(1200000n), 'AMBIGUOUS'],
  ['$12.000', 'USD', usd(1200000n), 'AMBIGUOUS'],
  ['12.555', 'USD', usd(1255500n), 'AMBIGUOUS'],
  ['1.200k', 'USD', usd(120000000n), 'AMBIGUOUS'],
  // One comma before 3 digits: the Vietnamese decimal mark, so asked about; thousands for the others.
  ['1,200', 'USD', 'AMBIGUOUS', usd(120000n)],
  ['12,000 €', 'USD', 'AMBIGUOUS', eur(1200000n)],
  ['$12,000', 'USD', 'AMBIGUOUS', usd(1200000n)],
  ['1,200k', 'USD', 'AMBIGUOUS', usd(120000000n)],
  // A comma or dot before 1–2 (or 4+) digits: the decimal mark for everyone, as before.
  ['1,5', 'USD', usd(150n), usd(150n)],
  ['1,5 USD', 'VND', usd(150n), usd(150n)],
  ['12,50 €', 'USD', eur(1250n), eur(1250n)],
  ['1.5', 'USD', usd(150n), usd(150n)],
  ['12.50', 'USD', usd(1250n), usd(1250n)],
  ['1,2345', 'USD', 'INVALID_AMOUNT', 'INVALID_AMOUNT'],
  // Two different separators, repeated ones, spaces: as before, whoever types them.
  ['1.200,50', 'USD', usd(120050n), usd(120050n)],
  ['1.200,50 €', 'USD', eur(120050n), eur(120050n)],
  ['1,200.50', 'USD', usd(120050n), usd(120050n)],
  ['1.200.000', 'USD', usd(120000000n), usd(120000000n)],
  ['1,200,000', 'USD', usd(120000000n), usd(120000000n)],
  ['12.000.000 ₫', 'USD', vnd(12000000n), vnd(12000000n)],
  ['12 000 USD', 'VND', usd(1200000n), usd(1200000n)],
  ['1,20,000', 'USD', 'INVALID_AMOUNT', 'INVALID_AMOUNT'],
  ['1.2.3', 'USD', 'INVALID_AMOUNT', 'INVALID_AMOUNT'],
  // A dot that cannot group (a leading zero) is refused for the reader it groups for.
  ['0.500', 'USD', 'INVALID_AMOUNT', 'AMBIGUOUS'],
  ['0,500', 'USD', 'AMBIGUOUS', 'INVALID_AMOUNT'],
  // Vietnamese units, as before.
  ['800tr', 'USD', vnd(800000000n), vnd(800000000n)],
  ['0,5tr', 'USD', vnd(500000n), vnd(500000n)],
  ['1,2 tỷ', 'USD', vnd(1200000000n), vnd(1200000000n)],
  ['1.2 tỷ', 'USD', vnd(1200000000n), vnd(1200000000n)],
  ['2 tỷ', 'VND', vnd(2000000000n), vnd(2000000000n)],
  // 3 decimals (KWD): three digits after either mark are natural both ways, so asked about for everyone.
  ['1.200 KWD', 'USD', 'AMBIGUOUS', 'AMBIGUOUS'],
  ['1,200 KWD', 'USD', 'AMBIGUOUS', 'AMBIGUOUS'],
  ['1.200,000 KWD', 'USD', kwd(1200000n), kwd(1200000n)],
  ['1,200.000 KWD', 'USD', kwd(1200000n), kwd(1200000n)],
  ['1,2 KWD', 'USD', kwd(1200n), kwd(1200n)],
  ['1,25 KWD', 'USD', kwd(1250n), kwd(1250n)],
  // No decimals (JPY, VND): a single separator before 3 digits can only group, for everyone.
  ['1.200 JPY', 'USD', jpy(1200n), jpy(1200n)],
  ['1,200 JPY', 'USD', jpy(1200n), jpy(1200n)],
  ['¥1.200', 'JPY', jpy(1200n), jpy(1200n)],
  ['1.200 ₫', 'USD', vnd(1200n), vnd(1200n)],
  ['1,200 ₫', 'USD', vnd(1200n), vnd(1200n)],
  ['1,5 JPY', 'USD', 'INVALID_AMOUNT', 'INVALID_AMOUNT'],
];

describe('parseAmount in the reader\'s number form', () => {
  test.each(TABLE)('%j in a %s workspace: vi reads it as its own form', (input, currency, vi) => {
    expect(read(input, currency, 'vi')).toEqual(vi);
    // A Slack locale tag (`vi-VN`) and any other language writing `1.234,5` read the same way.
    expect(read(input, currency, 'vi-VN')).toEqual(vi);
    expect(read(input, currency, 'de-DE')).toEqual(vi);
  });

  test.each(TABLE)('%j in a %s workspace: en, zh-CN and no locale read it as before', (input, currency, _vi, others) => {
    expect(read(input, currency, undefined)).toEqual(others);
    expect(read(input, currency, 'en')).toEqual(others);
    expect(read(input, currency, 'zh-CN')).toEqual(others);
    // A tag the runtime does not know, or an ill-formed one, is no locale.
    expect(read(input, currency, 'xx')).toEqual(others);
    expect(read(input, currency, 'not a locale!')).toEqual(others);
    // A language that groups with spaces (French) changes nothing either.
    expect(read(input, currency, 'fr')).toEqual(others);
  });

  test('the marks come from Intl, not from a list', () => {
    expect(numberMarksOf('vi')).toEqual({ group: '.', decimal: ',' });
    expect(numberMarksOf('zh-CN')).toEqual({ group: ',', decimal: '.' });
    expect(numberMarksOf('en')).toEqual({ group: ',', decimal: '.' });
    expect(numberMarksOf(undefined)).toBeNull();
    expect(numberMarksOf('xx')).toBeNull();
    expect(commaDecimalReader('vi')).toBe(true);
    expect(commaDecimalReader('id')).toBe(true);
    expect(commaDecimalReader('de')).toBe(true);
    expect(commaDecimalReader('en')).toBe(false);
    expect(commaDecimalReader('zh-CN')).toBe(false);
    expect(commaDecimalReader('fr')).toBe(false);
    expect(commaDecimalReader(undefined)).toBe(false);
  });

  test('the Vietnamese refusal of `1,200` offers the dot form, which reads back for them as 1,200', () => {
    let code: string | undefined;
    try {
      parseAmount('1,200', { defaultCurrency: 'USD', locale: 'vi' });
    } catch (e) {
      code = isAppError(e) ? e.i18n?.key : undefined;
    }
    expect(code).toBe('error.amounts.ambiguousComma');
  });
});

describe('the amount readers built on parseAmount pass the reader\'s locale', () => {
  test('/deal won, refund, mrr and the trailing stage amount', () => {
    expect(parseDealCommand('won 1.200 USD Acme', 'USD', 'vi')).toMatchObject({ kind: 'won', amountMinor: 120000n, currency: 'USD', customer: 'Acme' });
    expect(parseDealCommand('won 1.200 USD Acme', 'EUR', 'vi')).toMatchObject({ kind: 'won', amountMinor: 120000n, currency: 'USD', customer: 'Acme' });
    expect(() => parseDealCommand('won 1.200 USD Acme', 'USD', 'en')).toThrow(/ambiguous/);
    expect(() => parseDealCommand('won 1.200 USD Acme', 'USD')).toThrow(/ambiguous/);
    expect(() => parseDealCommand('won 1,200 USD Acme', 'USD', 'vi')).toThrow(/ambiguous/);
    expect(parseDealCommand('won "Acme Corp" 12.000 €', 'USD', 'vi')).toMatchObject({ kind: 'won', amountMinor: 1200000n, currency: 'EUR', customer: 'Acme Corp' });
    expect(parseDealCommand('refund Acme 1.200 lỗi hàng', 'USD', 'vi')).toMatchObject({ kind: 'refund', customer: 'Acme', amountMinor: 120000n, reason: 'lỗi hàng' });
    expect(parseDealCommand('mrr Acme 1.200', 'USD', 'vi')).toMatchObject({ kind: 'mrr', amountMinor: 120000n, currency: 'USD' });
    expect(parseDealCommand('mrr Acme 1,200', 'USD', 'en')).toMatchObject({ kind: 'mrr', amountMinor: 120000n, currency: 'USD' });
    expect(parseDealCommand('stage Acme demo 1.200', 'USD', 'vi')).toMatchObject({ kind: 'stage', amountMinor: 120000n });
    // Chinese reads as English.
    expect(parseDealCommand('won 1,200 Acme', 'USD', 'zh-CN')).toMatchObject({ kind: 'won', amountMinor: 120000n });
  });

  test('a message\'s amount is guessed in the number form of the person opening the form', () => {
    expect(extractDealHints('Chốt Acme 12.000 USD', 'VND', 'vi')).toMatchObject({ amount: '12.000 USD', currency: 'USD' });
    expect(extractDealHints('Closed Acme for 12,000 USD', 'VND', 'en')).toMatchObject({ amount: '12,000 USD', currency: 'USD' });
  });

  test('a lead count groups with the dot for a Vietnamese reader; a count has no fraction, so the comma groups too', () => {
    expect(parseLeadCount('1.200', undefined, 'vi')).toBe(1200);
    expect(parseLeadCount('1,200', undefined, 'vi')).toBe(1200);
    expect(parseLeadCount('1.200.000', undefined, 'vi')).toBe(1_200_000);
    expect(() => parseLeadCount('1.200')).toThrow(/not a whole number/);
    expect(() => parseLeadCount('1.200', undefined, 'en')).toThrow(/not a whole number/);
    expect(() => parseLeadCount('1,5', undefined, 'vi')).toThrow(/not a whole number/);
    expect(() => parseLeadCount('12.50', undefined, 'vi')).toThrow(/not a whole number/);
  });
});
