import { describe, expect, test } from 'vitest';
import { AppError, type AppErrorCode } from '../../src/errors.js';
import {
  ALL_CURRENCIES,
  CURRENCIES,
  MAX_AMOUNT_MINOR,
  convertMinor,
  currencyDecimals,
  decimalTextToMinor,
  formatCount,
  formatMoney,
  formatPercent,
  isKnownCurrency,
  majorToMinor,
  minorToMajor,
  normalizeCurrency,
  parseAmount,
  parseRateWords,
  rateCommandExample,
  rateProblem,
  roughRate,
} from '../../src/domain/money.js';

/** Runs `fn` and returns the AppError it throws (fails the test if it does not throw one). */
function appErrorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected an AppError, nothing was thrown');
}

describe('CURRENCIES', () => {
  test.each([
    ['USD', 2, '$'],
    ['EUR', 2, '€'],
    ['GBP', 2, '£'],
    ['JPY', 0, '¥'],
    ['VND', 0, '₫'],
    ['CNY', 2, 'CN¥'],
    ['INR', 2, '₹'],
    ['AUD', 2, 'A$'],
    ['CAD', 2, 'C$'],
    ['SGD', 2, 'S$'],
    ['CHF', 2, 'CHF'],
    ['SEK', 2, 'kr'],
    ['NOK', 2, 'kr'],
    ['DKK', 2, 'kr'],
    ['BRL', 2, 'R$'],
    ['MXN', 2, 'MX$'],
    ['KRW', 0, '₩'],
    ['THB', 2, '฿'],
    ['IDR', 2, 'Rp'],
    ['PHP', 2, '₱'],
    ['MYR', 2, 'RM'],
    ['HKD', 2, 'HK$'],
    ['NZD', 2, 'NZ$'],
    ['ZAR', 2, 'R'],
    ['PLN', 2, 'zł'],
  ] as const)('%s has %i decimals and symbol %s', (code, decimals, symbol) => {
    const c = (CURRENCIES as Record<string, { code: string; decimals: number; symbol: string }>)[code];
    expect(c).toMatchObject({ code, decimals, symbol });
    expect(currencyDecimals(code)).toBe(decimals);
    expect(isKnownCurrency(code)).toBe(true);
  });

  test('every entry is keyed by its own upper-case code and has 0 or 2 decimals', () => {
    for (const [key, c] of Object.entries(CURRENCIES)) {
      expect(c.code).toBe(key);
      expect(key).toMatch(/^[A-Z]{3}$/);
      expect([0, 2]).toContain(c.decimals);
    }
  });
});

describe('isKnownCurrency / normalizeCurrency / currencyDecimals', () => {
  test.each([
    ['VND', true],
    ['USD', true],
    ['usd', false], // exact codes only; normalizeCurrency handles user text
    ['XYZ', false],
    ['', false],
    ['toString', false],
    ['constructor', false],
  ])('isKnownCurrency(%j) is %s', (code, known) => {
    expect(isKnownCurrency(code)).toBe(known);
  });

  test.each([
    [' usd ', 'USD'],
    ['vnd', 'VND'],
    ['Eur', 'EUR'],
  ])('normalizeCurrency(%j) is %s', (input, code) => {
    expect(normalizeCurrency(input)).toBe(code);
  });

  test.each([['usd', 2], ['jpy', 0], ['KRW', 0]] as const)('currencyDecimals(%j) is %i', (code, d) => {
    expect(currencyDecimals(code)).toBe(d);
  });

  test.each(['XYZ', 'dollars', '', 'toString'])('currencyDecimals(%j) throws UNKNOWN_CURRENCY naming it and listing valid codes', (code) => {
    const e = appErrorOf(() => currencyDecimals(code));
    expect(e.code).toBe('UNKNOWN_CURRENCY');
    expect(e.message).toContain(`"${code}"`);
    expect(e.message).toMatch(/USD.*EUR.*VND/);
    expect(e.example).toBeDefined();
    expect(() => normalizeCurrency(code)).toThrow(AppError);
  });
});

describe('every ISO 4217 currency from Intl', () => {
  test.each([
    ['COP', 2], // CLDR shows 0 digits; ISO 4217 (and CRM amounts) have 2
    ['PEN', 2],
    ['MXN', 2],
    ['KWD', 3],
    ['BHD', 3],
    ['IQD', 3],
    ['CLP', 0],
    ['JPY', 0],
    ['ISK', 0],
    ['UGX', 0],
    ['IDR', 2], // listed: keeps the digits stored amounts always had
    ['HUF', 2],
  ] as const)('%s is known with %i decimals', (code, decimals) => {
    expect(isKnownCurrency(code)).toBe(true);
    expect(currencyDecimals(code)).toBe(decimals);
    expect(normalizeCurrency(code.toLowerCase())).toBe(code);
  });

  test('every code Intl lists is known, with the digits Intl reports unless ISO 4217 says otherwise', () => {
    const codes = Intl.supportedValuesOf('currency');
    expect(codes.length).toBeGreaterThan(150);
    const differing: string[] = [];
    for (const code of codes) {
      expect(isKnownCurrency(code)).toBe(true);
      const intl = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits;
      if (currencyDecimals(code) !== intl) differing.push(code);
    }
    // Only the documented ISO corrections and the two listed currencies whose digits were kept.
    expect(differing.sort()).toEqual(
      ['AFN', 'ALL', 'COP', 'HUF', 'IDR', 'IQD', 'IRR', 'KPW', 'LAK', 'LBP', 'MGA', 'MMK', 'PKR', 'SLL', 'SOS', 'SYP', 'YER'].filter((c) => codes.includes(c)),
    );
    expect(ALL_CURRENCIES.size).toBeGreaterThanOrEqual(codes.length);
  });

  test.each(['XYZ', 'ABC', 'AAA', 'usd', 'US$'])('%j is refused', (code) => {
    expect(isKnownCurrency(code)).toBe(false);
  });

  test('a listed currency keeps its display; others show their code after the amount', () => {
    expect(formatMoney(1_200_000n, 'MXN')).toBe('12,000 MXN');
    expect(formatMoney(1_200_000n, 'COP')).toBe('12,000 COP');
    expect(formatMoney(1_200_050n, 'PEN')).toBe('12,000.50 PEN');
    expect(formatMoney(1_200_500n, 'KWD')).toBe('1,200.500 KWD');
    expect(formatMoney(1_200_000n, 'KWD')).toBe('1,200.000 KWD'); // never `1,200 KWD`, which reads back ambiguous
    expect(formatMoney(120_000n, 'CLP')).toBe('120,000 CLP');
    expect(ALL_CURRENCIES.get('COP')).toMatchObject({ code: 'COP', name: 'Colombian Peso', display: 'code' });
  });

  test.each([
    ['5m COP', 'USD', 500_000_000n, 'COP'],
    ['12,000.50 PEN', 'USD', 1_200_050n, 'PEN'],
    ['KWD 1.5', 'USD', 1_500n, 'KWD'],
    ['1,200.000 KWD', 'USD', 1_200_000n, 'KWD'],
    ['1.2', 'KWD', 1_200n, 'KWD'],
    ['12.34', 'KWD', 12_340n, 'KWD'],
    ['120000 CLP', 'USD', 120_000n, 'CLP'],
  ] as const)('typed %j (default %s) → %s %s', (input, defaultCurrency, amountMinor, currency) => {
    expect(parseAmount(input, { defaultCurrency })).toEqual({ amountMinor, currency });
  });

  test.each([
    ['1.200 KWD', /ambiguous in KWD.*3 decimals/],
    ['1,200 KWD', /ambiguous in KWD.*3 decimals/],
    ['1.200', /ambiguous in KWD/],
    ['12.345', /ambiguous in KWD/],
    ['1.2345 KWD', /at most 3 decimals/],
  ])('typed %j in a KWD workspace is refused with an example that is accepted', (input, message) => {
    const e = appErrorOf(() => parseAmount(input, { defaultCurrency: 'KWD' }));
    expect(e.message).toMatch(message);
    expect(() => parseAmount(e.example ?? '', { defaultCurrency: 'KWD' })).not.toThrow();
  });

  test('convertMinor respects 3- and 0-decimal currencies', () => {
    expect(convertMinor(1_000n, 'KWD', 'USD', 3.25)).toBe(325n); // 1.000 KWD → $3.25
    expect(convertMinor(100_000n, 'COP', 'USD', 0.00025)).toBe(25n); // 1,000.00 COP → $0.25
    expect(convertMinor(100n, 'USD', 'CLP', 950)).toBe(950n);
  });

  test('roughRate: a figure for common CRM currencies, null for the rest', () => {
    expect(roughRate('COP', 'USD')).toBeCloseTo(1 / 4000);
    expect(roughRate('USD', 'KWD')).toBeCloseTo(0.31);
    expect(roughRate('BTN', 'USD')).toBeNull();
    expect(roughRate('XYZ', 'USD')).toBeNull();
    expect(roughRate('toString', 'USD')).toBeNull();
    expect(rateProblem(4000, 'COP', 'USD')).toMatch(/upside down/);
    expect(rateProblem(0.00025, 'COP', 'USD')).toBeNull();
    expect(rateProblem(12, 'BTN', 'USD')).toBeNull(); // no rough figure: only the bounds apply
  });
});

describe('decimalTextToMinor (CRM exports and APIs)', () => {
  test.each([
    ['1234.56', 'USD', 123_456n],
    ['1,234.56', 'USD', 123_456n],
    ['1,234,567', 'USD', 123_456_700n],
    ['12000', 'USD', 1_200_000n],
    ['0', 'USD', 0n],
    ['.5', 'USD', 50n],
    ['-12.5', 'EUR', -1_250n],
    ['+3', 'EUR', 300n],
    [' 42.10 ', 'GBP', 4_210n],
    ['0.125', 'USD', 13n], // half away from zero
    ['0.124', 'USD', 12n],
    ['-0.125', 'USD', -13n],
    ['1234567.5', 'COP', 123_456_750n],
    ['1.2345', 'KWD', 1_235n],
    ['1.234', 'KWD', 1_234n],
    ['1200', 'KWD', 1_200_000n],
    ['1,200.5', 'KWD', 1_200_500n],
    ['99.5', 'CLP', 100n],
    ['25000000', 'VND', 25_000_000n],
    ['12.49', 'JPY', 12n],
    ['123456789012345678.99', 'USD', 12_345_678_901_234_567_899n], // exact beyond 2^53
  ] as const)('%j %s → %s', (text, currency, minor) => {
    expect(decimalTextToMinor(text, currency)).toBe(minor);
  });

  test.each([
    ['', 'INVALID_AMOUNT'],
    ['abc', 'INVALID_AMOUNT'],
    ['1e5', 'INVALID_AMOUNT'],
    ['0x10', 'INVALID_AMOUNT'],
    ['12,50', 'INVALID_AMOUNT'], // a decimal comma
    ['1.234,56', 'INVALID_AMOUNT'],
    ['1.234.567', 'INVALID_AMOUNT'],
    ['1,23,456', 'INVALID_AMOUNT'],
    ['1234,567', 'INVALID_AMOUNT'],
    ['$12', 'INVALID_AMOUNT'],
    ['12 USD', 'INVALID_AMOUNT'],
    ['1 234', 'INVALID_AMOUNT'],
    ['--1', 'INVALID_AMOUNT'],
    ['.', 'INVALID_AMOUNT'],
    ['7.', 'INVALID_AMOUNT'],
    ['Infinity', 'INVALID_AMOUNT'],
    ['1'.repeat(41), 'INVALID_AMOUNT'],
  ] as const)('%j is refused (%s)', (text, code) => {
    expect(appErrorOf(() => decimalTextToMinor(text, 'USD')).code).toBe(code);
  });

  test('1,200 in a 3-decimal currency is ambiguous; unknown currencies are refused', () => {
    expect(appErrorOf(() => decimalTextToMinor('1,200', 'KWD')).code).toBe('AMBIGUOUS');
    expect(appErrorOf(() => decimalTextToMinor('12', 'XYZ')).code).toBe('UNKNOWN_CURRENCY');
    expect(appErrorOf(() => decimalTextToMinor('12', 'ABC')).code).toBe('UNKNOWN_CURRENCY');
  });
});

describe('parseAmount accepts', () => {
  test.each([
    // plain and suffixed numbers in the default currency
    ['12000', 'USD', 1_200_000n, 'USD'],
    ['12k', 'USD', 1_200_000n, 'USD'],
    ['12K', 'USD', 1_200_000n, 'USD'],
    ['12 k', 'USD', 1_200_000n, 'USD'],
    ['1.5m', 'USD', 150_000_000n, 'USD'],
    ['2.5M', 'USD', 250_000_000n, 'USD'],
    ['1b', 'USD', 100_000_000_000n, 'USD'],
    ['1bn', 'USD', 100_000_000_000n, 'USD'],
    ['1.5m', 'VND', 1_500_000n, 'VND'],
    ['12k', 'JPY', 12_000n, 'JPY'],
    ['12.5k', 'USD', 1_250_000n, 'USD'],
    ['1.2345678m', 'USD', 123_456_780n, 'USD'],
    ['  12k  ', 'USD', 1_200_000n, 'USD'],
    ['1 million', 'USD', 100_000_000n, 'USD'],
    // Vietnamese units imply VND whatever the default
    ['800tr', 'USD', 800_000_000n, 'VND'],
    ['800 triệu', 'USD', 800_000_000n, 'VND'],
    ['800 trieu', 'USD', 800_000_000n, 'VND'],
    ['800 TR', 'USD', 800_000_000n, 'VND'],
    ['800 triệu'.normalize('NFD'), 'USD', 800_000_000n, 'VND'],
    ['1.2 tỷ', 'USD', 1_200_000_000n, 'VND'],
    ['1.2 ty', 'USD', 1_200_000_000n, 'VND'],
    ['1.2 tỉ', 'USD', 1_200_000_000n, 'VND'],
    ['1,5tr', 'USD', 1_500_000n, 'VND'],
    ['1.500 tỷ', 'VND', 1_500_000_000_000n, 'VND'], // VND: dot + 3 digits is thousands
    ['10tr đồng', 'USD', 10_000_000n, 'VND'],
    // Chinese 万 (10⁴) and 亿 (10⁸): no currency of their own
    ['1.5万', 'CNY', 1_500_000n, 'CNY'],
    ['8亿', 'VND', 800_000_000n, 'VND'],
    ['¥12万', 'CNY', 12_000_000n, 'CNY'],
    ['¥12万', 'JPY', 120_000n, 'JPY'],
    ['3 万 USD', 'VND', 3_000_000n, 'USD'],
    // symbols and codes win over the default
    ['$12,000', 'VND', 1_200_000n, 'USD'],
    ['$12,000.50', 'USD', 1_200_050n, 'USD'],
    ['$12k', 'VND', 1_200_000n, 'USD'],
    ['12,000 USD', 'VND', 1_200_000n, 'USD'],
    ['USD 12000', 'VND', 1_200_000n, 'USD'],
    ['usd12k', 'VND', 1_200_000n, 'USD'],
    ['12k usd', 'VND', 1_200_000n, 'USD'],
    ['US$ 500', 'EUR', 50_000n, 'USD'],
    ['€1,200', 'USD', 120_000n, 'EUR'],
    ['1.200,50 €', 'USD', 120_050n, 'EUR'],
    ['12,5 €', 'USD', 1_250n, 'EUR'],
    ['£950', 'USD', 95_000n, 'GBP'],
    ['£1.5m', 'USD', 150_000_000n, 'GBP'],
    ['¥1,200', 'USD', 1_200n, 'JPY'],
    ['¥1,200', 'CNY', 120_000n, 'CNY'], // ¥ is the default's symbol too
    ['CHF 1,200.50', 'USD', 120_050n, 'CHF'],
    ['12,000 chf', 'USD', 1_200_000n, 'CHF'],
    ['₩50,000', 'USD', 50_000n, 'KRW'],
    ['Rp 1.500.000', 'USD', 150_000_000n, 'IDR'],
    ['RM 1,200', 'USD', 120_000n, 'MYR'],
    ['A$ 1,200', 'USD', 120_000n, 'AUD'],
    ['HK$1,200', 'USD', 120_000n, 'HKD'],
    ['12 kr', 'SEK', 1_200n, 'SEK'],
    // $ means the default when the default is a dollar currency
    ['$12,000', 'AUD', 1_200_000n, 'AUD'],
    ['$12,000', 'EUR', 1_200_000n, 'USD'],
    ['$12 AUD', 'USD', 1_200n, 'AUD'],
    ['$12 USD', 'VND', 1_200n, 'USD'],
    // VND written the Vietnamese way
    ['12.000.000 ₫', 'USD', 12_000_000n, 'VND'],
    ['12.000.000 VND', 'USD', 12_000_000n, 'VND'],
    ['12.000.000đ', 'USD', 12_000_000n, 'VND'],
    ['12.000.000 VNĐ', 'USD', 12_000_000n, 'VND'],
    ['12 000 000 ₫', 'USD', 12_000_000n, 'VND'],
    ['800.000.000', 'VND', 800_000_000n, 'VND'],
    // one separator + exactly 3 digits: thousands in 0-decimal currencies
    ['1.200', 'VND', 1_200n, 'VND'],
    ['1,200', 'VND', 1_200n, 'VND'],
    ['1.200', 'JPY', 1_200n, 'JPY'],
    ['1.200', 'KRW', 1_200n, 'KRW'],
    ['1.200 VND', 'USD', 1_200n, 'VND'],
    // 2-decimal currencies: `,` + 3 digits is thousands, `.` + 1–2 digits is the decimal point
    ['1,200', 'USD', 120_000n, 'USD'],
    ['1.20', 'USD', 120n, 'USD'],
    ['1.5', 'USD', 150n, 'USD'],
    ['1,200,000', 'USD', 120_000_000n, 'USD'],
    ['1.200.000', 'USD', 120_000_000n, 'USD'], // repeated dots can only be thousands
    ['1.200,50', 'USD', 120_050n, 'USD'], // European
    ['1 200,50', 'EUR', 120_050n, 'EUR'],
    ['1,200.50', 'EUR', 120_050n, 'EUR'], // US
    // decimals parsed digit by digit (these are wrong with parseFloat × 100)
    ['0.29', 'USD', 29n, 'USD'],
    ['1.15', 'USD', 115n, 'USD'],
    ['4.35', 'USD', 435n, 'USD'],
    ['$9,999,999,999,999.99', 'USD', 999_999_999_999_999n, 'USD'],
    // the upper limit is inclusive
    ['10000000000000', 'USD', MAX_AMOUNT_MINOR, 'USD'],
    ['1000000 tỷ', 'USD', MAX_AMOUNT_MINOR, 'VND'], // 10^15 đồng
    ['1.2345 tr', 'USD', 1_234_500n, 'VND'],
  ] as const)('%j (default %s) → %s %s', (input, defaultCurrency, amountMinor, currency) => {
    expect(parseAmount(input, { defaultCurrency })).toEqual({ amountMinor, currency });
  });

  test('the SPEC quota 800,000,000 VND reads the same in every VND form', () => {
    const forms = ['800tr', '800 triệu', '800 trieu', '800.000.000 ₫', '800,000,000 VND', '800.000.000đ', '800m', '0.8 tỷ'];
    for (const f of forms) expect(parseAmount(f, { defaultCurrency: 'VND' })).toEqual({ amountMinor: 800_000_000n, currency: 'VND' });
  });

  test('an unused unknown default does not matter when the text names the currency', () => {
    expect(parseAmount('$5', { defaultCurrency: 'XYZ' })).toEqual({ amountMinor: 500n, currency: 'USD' });
  });
});

describe('parseAmount refuses', () => {
  test.each<[string, string, AppErrorCode, RegExp]>([
    ['', 'USD', 'INVALID_AMOUNT', /enter an amount/],
    ['   ', 'USD', 'INVALID_AMOUNT', /enter an amount/],
    ['abc', 'USD', 'INVALID_AMOUNT', /couldn't read "abc"/],
    ['12kk', 'USD', 'INVALID_AMOUNT', /couldn't read "12kk"/],
    ['1e5', 'USD', 'INVALID_AMOUNT', /couldn't read "1e5"/],
    ['12km', 'USD', 'INVALID_AMOUNT', /couldn't read/],
    ['$', 'USD', 'INVALID_AMOUNT', /couldn't read/],
    ['12.', 'USD', 'INVALID_AMOUNT', /couldn't read/],
    ['.5', 'USD', 'INVALID_AMOUNT', /couldn't read/],
    ['12 apples', 'USD', 'INVALID_AMOUNT', /couldn't read/],
    ['5 5', 'USD', 'INVALID_AMOUNT', /couldn't read/],
    ['1'.repeat(80), 'USD', 'INVALID_AMOUNT', /too long/],
    // zero and negative
    ['0', 'USD', 'INVALID_AMOUNT', /more than zero/],
    ['0.00', 'USD', 'INVALID_AMOUNT', /more than zero/],
    ['0k', 'VND', 'INVALID_AMOUNT', /more than zero/],
    ['-5', 'USD', 'INVALID_AMOUNT', /negative/],
    ['−5', 'USD', 'INVALID_AMOUNT', /negative/],
    ['(5)', 'USD', 'INVALID_AMOUNT', /negative/],
    ['-$5', 'USD', 'INVALID_AMOUNT', /negative/],
    ['$-5', 'USD', 'INVALID_AMOUNT', /negative/],
    ['USD -5', 'USD', 'INVALID_AMOUNT', /negative/],
    // too large (above 10^15 minor units)
    ['10000000000000.01', 'USD', 'INVALID_AMOUNT', /larger than any deal amount/],
    ['2000000 tỷ', 'USD', 'INVALID_AMOUNT', /larger than any deal amount/],
    // too many decimals for the currency
    ['12.3456', 'USD', 'INVALID_AMOUNT', /USD amounts have at most 2 decimals/],
    ['12,3456 €', 'USD', 'INVALID_AMOUNT', /EUR amounts have at most 2 decimals/],
    ['1.234567891m', 'USD', 'INVALID_AMOUNT', /USD amounts have at most 2 decimals/],
    ['1.5', 'VND', 'INVALID_AMOUNT', /VND amounts have no decimals/],
    ['12,5 VND', 'USD', 'INVALID_AMOUNT', /VND amounts have no decimals/],
    ['¥1.5', 'USD', 'INVALID_AMOUNT', /JPY amounts have no decimals/],
    ['1.2345678 tr', 'USD', 'INVALID_AMOUNT', /VND amounts have no decimals/],
    // inconsistent grouping
    ['1,2,3', 'USD', 'INVALID_AMOUNT', /every 3 digits/],
    ['12.34.56', 'USD', 'INVALID_AMOUNT', /every 3 digits/],
    ['1,00,000', 'USD', 'INVALID_AMOUNT', /every 3 digits/],
    ['1234,567', 'USD', 'INVALID_AMOUNT', /every 3 digits/],
    ['1234.567', 'VND', 'INVALID_AMOUNT', /every 3 digits/],
    ['1,000.000,5', 'USD', 'INVALID_AMOUNT', /every 3 digits/],
    ['1.2,3.4', 'USD', 'INVALID_AMOUNT', /every 3 digits/],
    ['0,500', 'USD', 'INVALID_AMOUNT', /every 3 digits/],
    // ambiguous: never guessed
    ['1.200', 'USD', 'AMBIGUOUS', /ambiguous in USD.*1,200.*1\.2\b/],
    ['€1.200', 'USD', 'AMBIGUOUS', /ambiguous in EUR/],
    ['1.200', 'EUR', 'AMBIGUOUS', /ambiguous in EUR/],
    ['12.345', 'USD', 'AMBIGUOUS', /12,345.*12\.345/],
    ['1.500k', 'USD', 'AMBIGUOUS', /ambiguous/],
    ['12 kr', 'USD', 'AMBIGUOUS', /Swedish, Norwegian or Danish/],
    ['800tr USD', 'USD', 'AMBIGUOUS', /more than one currency/],
    ['€12 USD', 'USD', 'AMBIGUOUS', /more than one currency/],
    ['$12 EUR', 'USD', 'AMBIGUOUS', /more than one currency/],
    // unknown currencies
    ['12 XYZ', 'USD', 'UNKNOWN_CURRENCY', /"XYZ"/],
    ['XYZ 12', 'USD', 'UNKNOWN_CURRENCY', /"XYZ"/],
    ['12k', 'XYZ', 'UNKNOWN_CURRENCY', /"XYZ"/],
  ])('%j (default %s) → %s', (input, defaultCurrency, code, message) => {
    const e = appErrorOf(() => parseAmount(input, { defaultCurrency }));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    // Every refusal shows an example of the right form, and that example is itself accepted.
    expect(e.example).toBeTruthy();
    const exampleDefault = isKnownCurrency(defaultCurrency) ? defaultCurrency : 'USD';
    expect(() => parseAmount(e.example ?? '', { defaultCurrency: exampleDefault })).not.toThrow();
  });

  test.each([
    ['USD', '$12,000'],
    ['VND', '800tr'],
    ['EUR', '€12,000'],
    ['CHF', '12,000 CHF'],
  ])('the example for a %s workspace is %s', (defaultCurrency, example) => {
    expect(appErrorOf(() => parseAmount('abc', { defaultCurrency })).example).toBe(example);
  });
});

describe('formatMoney', () => {
  test.each([
    [1_200_000n, 'USD', '$12,000'],
    [1_200_050n, 'USD', '$12,000.50'],
    [1_200_005n, 'USD', '$12,000.05'],
    [5n, 'USD', '$0.05'],
    [0n, 'USD', '$0'],
    [1_200_000n, 'EUR', '€12,000'],
    [95_000n, 'GBP', '£950'],
    [1_200n, 'JPY', '¥1,200'],
    [800_000_000n, 'VND', '800,000,000 ₫'],
    [300_000_000n, 'VND', '300,000,000 ₫'], // SPEC MRR
    [3_600_000_000n, 'VND', '3,600,000,000 ₫'], // SPEC ARR
    [1_200_000n, 'CHF', '12,000 CHF'],
    [1_200_050n, 'AUD', '12,000.50 AUD'],
    [50_000n, 'KRW', '50,000 KRW'],
    [-120_000n, 'USD', '-$1,200'],
    [-120_050n, 'USD', '-$1,200.50'],
    [-300_000n, 'VND', '-300,000 ₫'],
    [-1_200_000n, 'CHF', '-12,000 CHF'],
    [1_200_000n, 'usd', '$12,000'],
    // beyond 2^53, exactly
    [2n ** 64n, 'USD', '$184,467,440,737,095,516.16'],
    [2n ** 64n, 'VND', '18,446,744,073,709,551,616 ₫'],
    [2n ** 53n + 1n, 'USD', '$90,071,992,547,409.93'],
  ] as const)('%s %s → %s', (amount, currency, text) => {
    expect(formatMoney(amount, currency)).toBe(text);
  });

  test.each([
    [1_200_000n, 'USD', '$12k'],
    [150_000_000n, 'USD', '$1.5M'],
    [100_000_000_000n, 'USD', '$1B'],
    [800_000_000n, 'VND', '800M ₫'],
    [300_000_000n, 'VND', '300M ₫'],
    [3_600_000_000n, 'VND', '3.6B ₫'],
    [1_200_000n, 'CHF', '12k CHF'],
    [120_000n, 'EUR', '€1.2k'],
    [10_490_000n, 'USD', '$104.9k'],
    [125_000n, 'USD', '$1.3k'], // 1.25k rounds half away from zero
    [124_900n, 'USD', '$1.2k'],
    [99_996_000n, 'USD', '$1M'], // 999,960 would be "1000k": moves up a unit
    [99_999n, 'USD', '$999.99'], // under 1,000: not compacted
    [95_000n, 'GBP', '£950'],
    [-150_000_000n, 'USD', '-$1.5M'],
    [10n ** 15n, 'VND', '1,000T ₫'],
  ] as const)('compact %s %s → %s', (amount, currency, text) => {
    expect(formatMoney(amount, currency, { compact: true })).toBe(text);
  });

  test('unknown currency → UNKNOWN_CURRENCY', () => {
    expect(appErrorOf(() => formatMoney(1n, 'XYZ')).code).toBe('UNKNOWN_CURRENCY');
  });

  test('parse → format round-trips the SPEC amounts', () => {
    const { amountMinor, currency } = parseAmount('800tr', { defaultCurrency: 'USD' });
    expect(formatMoney(amountMinor, currency)).toBe('800,000,000 ₫');
    expect(formatMoney(amountMinor, currency, { compact: true })).toBe('800M ₫');
  });
});

describe('formatPercent', () => {
  test.each<[number | null | undefined, number | undefined, string]>([
    [0.375, undefined, '37.5%'],
    [0.1, undefined, '10.0%'], // SPEC: 50 of 500 leads
    [0.4, 1, '40.0%'],
    [0.0125, 1, '1.3%'], // 1.25 rounds up, not down to float noise
    [2 / 3, 0, '67%'],
    [0.285, 0, '29%'], // 28.5 exactly; float ×100 gives 28.4999…
    [0.145, 0, '15%'],
    [2 / 3, 2, '66.67%'],
    [1, 1, '100.0%'],
    [0, 1, '0.0%'],
    [-0.05, 1, '-5.0%'],
    [-0.00001, 1, '0.0%'],
    [12.345, 1, '1,234.5%'],
    [null, 1, 'n/a'],
    [undefined, 1, 'n/a'],
    [Number.NaN, 1, 'n/a'],
    [Number.POSITIVE_INFINITY, 1, 'n/a'],
  ])('%s with %s digits → %s', (ratio, digits, text) => {
    expect(digits === undefined ? formatPercent(ratio) : formatPercent(ratio, digits)).toBe(text);
  });
});

describe('formatCount', () => {
  test.each([
    [8_800, '8,800'],
    [0, '0'],
    [999, '999'],
    [1_234_567, '1,234,567'],
    [-1_200, '-1,200'],
    [Number.NaN, 'n/a'],
  ])('%s → %s', (n, text) => {
    expect(formatCount(n)).toBe(text);
  });
});

describe('convertMinor', () => {
  test.each([
    [1_000n, 'USD', 'VND', 25_000, 250_000n], // $10.00 → 250,000 ₫
    [250_000n, 'VND', 'USD', 0.00004, 1_000n],
    [1_000n, 'EUR', 'USD', 1.085, 1_085n],
    [1n, 'EUR', 'USD', 1.085, 1n],
    [2n, 'EUR', 'USD', 1.25, 3n], // 2.5 → 3 (half away from zero)
    [-2n, 'EUR', 'USD', 1.25, -3n], // -2.5 → -3
    [5n, 'EUR', 'USD', 0.7, 4n], // 3.5 → 4 (float math gives 3.4999…)
    [1n, 'USD', 'VND', 25_050, 251n], // 250.5 ₫ → 251
    [1n, 'USD', 'VND', 25_432.5, 254n], // 254.325 ₫
    [100n, 'VND', 'JPY', 0.006, 1n], // 0.6 ¥ → 1
    [120_000n, 'JPY', 'USD', 0.0067, 80_400n], // ¥120,000 → $804.00
    [10n ** 15n, 'USD', 'VND', 25_000, 250_000_000_000_000_000n],
    [999n, 'USD', 'USD', 3, 999n], // same currency: rate ignored
    [999n, 'usd', 'USD', Number.NaN, 999n],
  ] as const)('%s %s → %s at %s = %s', (amount, from, to, rate, expected) => {
    expect(convertMinor(amount, from, to, rate)).toBe(expected);
  });

  test.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rate %s → NO_RATE', (rate) => {
    const e = appErrorOf(() => convertMinor(100n, 'USD', 'EUR', rate));
    expect(e.code).toBe('NO_RATE');
    expect(e.message).toContain('USD to EUR');
  });

  test('unknown currency → UNKNOWN_CURRENCY', () => {
    expect(appErrorOf(() => convertMinor(100n, 'XYZ', 'USD', 1)).code).toBe('UNKNOWN_CURRENCY');
    expect(appErrorOf(() => convertMinor(100n, 'USD', 'XYZ', 1)).code).toBe('UNKNOWN_CURRENCY');
  });
});

describe('minorToMajor / majorToMinor', () => {
  test.each([
    [1_200_050n, 'USD', 12_000.5],
    [800_000_000n, 'VND', 800_000_000],
    [1_200n, 'JPY', 1_200],
    [-150n, 'USD', -1.5],
  ] as const)('minorToMajor(%s, %s) = %s', (minor, currency, major) => {
    expect(minorToMajor(minor, currency)).toBe(major);
  });

  test.each([
    [12_000.5, 'USD', 1_200_050n],
    [1.005, 'USD', 101n], // Math.round(1.005 * 100) would give 100
    [0.29, 'USD', 29n],
    [800_000_000, 'VND', 800_000_000n],
    [1.5, 'VND', 2n],
    [-1.005, 'USD', -101n],
    [1e21, 'USD', 10n ** 23n],
    [1e-7, 'USD', 0n],
  ] as const)('majorToMinor(%s, %s) = %s', (major, currency, minor) => {
    expect(majorToMinor(major, currency)).toBe(minor);
  });

  test.each([Number.NaN, Number.POSITIVE_INFINITY])('majorToMinor(%s) → INVALID_AMOUNT', (major) => {
    expect(appErrorOf(() => majorToMinor(major, 'USD')).code).toBe('INVALID_AMOUNT');
  });

  test('unknown currency → UNKNOWN_CURRENCY', () => {
    expect(appErrorOf(() => minorToMajor(1n, 'XYZ')).code).toBe('UNKNOWN_CURRENCY');
    expect(appErrorOf(() => majorToMinor(1, 'XYZ')).code).toBe('UNKNOWN_CURRENCY');
  });
});

describe('conversion-rate hints and /kpi rate words', () => {
  test.each([
    ['USD', 'VND', '/kpi rate USD 25000'],
    ['VND', 'USD', '/kpi rate USD 25000 VND'],
    ['EUR', 'USD', '/kpi rate EUR 1.11'],
    ['USD', 'EUR', '/kpi rate EUR 1.11 USD'],
    ['JPY', 'USD', '/kpi rate USD 150 JPY'],
    ['USD', 'JPY', '/kpi rate USD 150'],
  ])('a %s rate in a %s workspace is hinted as %s (the number above 1)', (from, reporting, hint) => {
    expect(rateCommandExample(from, reporting)).toBe(hint);
    // The hint, typed back, sets a rate for the missing currency that the sanity check accepts.
    const words = parseRateWords(hint.split(' ').slice(2), reporting);
    expect(words?.fromCurrency).toBe(from);
    expect(words && rateProblem(words.rate, from, reporting)).toBeNull();
    expect(Number(hint.split(' ')[3])).toBeGreaterThan(1);
  });

  test('/kpi rate reads one code (into the reporting currency) or both codes either way round', () => {
    expect(parseRateWords(['USD', '25400'], 'VND')).toEqual({ fromCurrency: 'USD', rate: 25400, asTyped: '1 USD = 25400 VND' });
    expect(parseRateWords(['usd', '25400', 'vnd'], 'VND')).toEqual({ fromCurrency: 'USD', rate: 25400, asTyped: '1 USD = 25400 VND' });
    expect(parseRateWords(['USD', '25400', 'VND'], 'USD')).toEqual({ fromCurrency: 'VND', rate: 1 / 25400, asTyped: '1 USD = 25400 VND' });
    expect(parseRateWords(['1', 'USD', '=', '25400', 'VND'], 'USD')?.rate).toBe(1 / 25400);
    expect(parseRateWords(['EUR', '1,08'], 'USD')).toEqual({ fromCurrency: 'EUR', rate: 1.08, asTyped: '1 EUR = 1.08 USD' });
    // Neither side the reporting currency, no number, junk after: not a rate.
    expect(parseRateWords(['EUR', '1.08', 'GBP'], 'USD')).toBeNull();
    expect(parseRateWords(['EUR'], 'USD')).toBeNull();
    expect(parseRateWords(['EUR', '1e400'], 'USD')).toBeNull();
    expect(parseRateWords(['EUR', '1.08', 'USD', 'extra'], 'USD')).toBeNull();
    expect(parseRateWords(['USD', '0', 'VND'], 'USD')).toBeNull();
  });
});
