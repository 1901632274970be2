import { describe, expect, test } from 'vitest';
import { AppError, isAppError, withoutExamples } from '../../src/errors.js';
import { ALL_CURRENCIES, decimalTextToMinor, majorToMinor, parseAmount } from '../../src/domain/money.js';
import { parseStage } from '../../src/domain/deals/stages.js';
import { parseDealCommand } from '../../src/domain/deals/parse-deal-command.js';
import { alreadyDoneError } from '../../src/domain/once-per-request.js';
import { subscriptionDateInstant } from '../../src/domain/subscriptions/subscription-dates.js';
import { amountToTypeL, formatDecimalTextL } from '../../src/i18n/format.js';
import { CATALOGS } from '../../src/i18n/t.js';
import type { TLocale } from '../../src/i18n/locales.js';
import { buildErrorMessage, errorExample, errorText } from '../../src/slack/blocks/messages.js';
import { stageListL } from '../../src/slack/blocks/stage-names.js';
import { englishLeft } from '../helpers/english-words.js';
import { rawText } from '../helpers/slack-text.js';

/**
 * Refusals a Vietnamese or Chinese reader used to get (partly) in English (issue #12): every
 * refusal of the amount parser and of machine amounts, the example next to it, stage lists and
 * dates, formatted for the reader at render time.
 */

const OTHERS: readonly TLocale[] = ['vi', 'zh-CN'];
const ALL: readonly TLocale[] = ['en', ...OTHERS];

function thrown(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('did not throw');
}

/**
 * Every way `parseAmount` refuses, by input and workspace currency; a third item names the only
 * readers who are refused (the parser is given their locale): `1.200` is 1,200 for a Vietnamese
 * reader, and `1,200` in a currency with cents is what they get asked about instead.
 */
const REFUSED: ReadonlyArray<readonly [string, string, ReadonlyArray<TLocale>?]> = [
  ['', 'USD'],
  ['1'.repeat(65), 'USD'],
  ['abc', 'USD'],
  ['-5', 'USD'],
  ['(5)', 'USD'],
  ['0', 'USD'],
  ['1.200', 'USD', ['en', 'zh-CN']],
  ['1.200', 'EUR', ['en', 'zh-CN']],
  ['1,200', 'USD', ['vi']],
  ['12,000 €', 'USD', ['vi']],
  ['1,200k', 'USD', ['vi']],
  ['0.500', 'USD'],
  ['1.200', 'KWD'],
  ['1,200', 'KWD'],
  ['1,20,000', 'USD'],
  ['1.2.3,4,5 6', 'USD'],
  ['1 2,00', 'VND'],
  ['12.5', 'JPY'],
  ['12.555', 'USD', ['en', 'zh-CN']],
  ['$5 EUR', 'USD'],
  ['5 kr', 'USD'],
  ['12 xbt', 'USD'],
  ['99999999999999999', 'USD'],
  ['800tr EUR', 'USD'],
];
const REFUSED_BY: Array<[string, string, ReadonlyArray<TLocale>]> = REFUSED.map(([input, currency, readers]) => [input, currency, readers ?? ALL]);

describe('amount refusals reach the reader translated', () => {
  test.each(REFUSED_BY)('parseAmount(%j) in %s: a catalog message, no English left, for every reader it refuses', (input, currency, readers) => {
    for (const locale of ALL) {
      if (!readers.includes(locale)) {
        expect(() => parseAmount(input, { defaultCurrency: currency, locale }), locale).not.toThrow();
        continue;
      }
      const e = thrown(() => parseAmount(input, { defaultCurrency: currency, locale }));
      expect(e.i18n?.key && e.i18n.key in CATALOGS.en).toBe(true);
      if (locale === 'en') continue;
      const message = buildErrorMessage(e, locale);
      expect(errorText(e, locale)).not.toBe(e.message);
      expect(englishLeft(rawText(message))).toEqual([]);
    }
  });

  test.each(REFUSED_BY)('parseAmount(%j) in %s: the example and what to write instead read back, for that reader, as the amounts they show', (input, currency, readers) => {
    for (const locale of readers) {
      const e = thrown(() => parseAmount(input, { defaultCurrency: currency, locale }));
      // The English example, read as English, is the amount every language shows.
      const english = parseAmount(e.example!, { defaultCurrency: currency });
      const example = errorExample(e, locale)!;
      expect(parseAmount(example, { defaultCurrency: currency, locale }), `${locale} ${example}`).toEqual(english);
      for (const m of Object.values(e.i18n?.inputs ?? {})) {
        const text = amountToTypeL(locale, BigInt(m.amountMinor), m.currency, m.show);
        expect(parseAmount(text, { defaultCurrency: m.currency, locale }), `${locale} ${text}`).toEqual({ amountMinor: BigInt(m.amountMinor), currency: m.currency });
      }
    }
  });

  test('the ambiguous refusal says what to write, in the reader\'s number form, and that form is read as meant', () => {
    const e = thrown(() => parseAmount('1.200', { defaultCurrency: 'USD', locale: 'zh-CN' }));
    expect(errorText(e, 'zh-CN')).toContain('（1,200）还是小数点（1.2）？如果是千位，请写 1,200；');
    expect(parseAmount('1,200', { defaultCurrency: 'USD', locale: 'zh-CN' }).amountMinor).toBe(120000n);
    // A Vietnamese reader's `1.200` is 1,200; their decimal comma before 3 digits is what is asked.
    expect(parseAmount('1.200', { defaultCurrency: 'USD', locale: 'vi' }).amountMinor).toBe(120000n);
    const comma = thrown(() => parseAmount('1,200', { defaultCurrency: 'USD', locale: 'vi' }));
    expect(comma.i18n?.key).toBe('error.amounts.ambiguousComma');
    expect(errorText(comma, 'vi')).toBe('"1,200" chưa rõ với USD: dấu phẩy là phân cách hàng nghìn (1.200) hay dấu thập phân (1,2)? Nếu là hàng nghìn, hãy viết 1.200 (dấu chấm phân cách hàng nghìn); nếu là số thập phân, chỉ ghi tối đa 2 chữ số sau dấu phẩy.');
    expect(errorExample(comma, 'vi')).toBe('1.200 USD');
    const kwd = thrown(() => parseAmount('1,200', { defaultCurrency: 'KWD', locale: 'vi' }));
    expect(errorText(kwd, 'vi')).toContain('dấu phẩy là phân cách hàng nghìn (1.200) hay dấu thập phân (1,2)? Nếu là hàng nghìn, hãy viết 1.200,000; nếu là số thập phân, hãy viết 1,2.');
    expect(parseAmount('1.200,000', { defaultCurrency: 'KWD', locale: 'vi' }).amountMinor).toBe(1200000n);
    expect(parseAmount('1,2', { defaultCurrency: 'KWD', locale: 'vi' }).amountMinor).toBe(1200n);
    // English is the message as it always was.
    expect(errorText(e, 'en')).toBe('"1.200" is ambiguous in USD: is the dot a thousands separator (1,200) or a decimal point (1.2)? Write 1,200 with a comma for thousands, or at most 2 digits after a decimal point.');
    expect(errorExample(e, 'en')).toBe('$1,200');
  });

  test('the largest amount is shown in the reader\'s money form', () => {
    const e = thrown(() => parseAmount('99999999999999999', { defaultCurrency: 'USD' }));
    expect(errorText(e, 'vi')).toContain('10.000.000.000.000 US$');
    expect(errorText(e, 'zh-CN')).toContain('US$10,000,000,000,000');
  });

  test.each([
    ['abc', 'USD'],
    ['12,50', 'EUR'],
    ['1,200', 'KWD'],
  ])('decimalTextToMinor(%j, %s) refuses with a key', (text, currency) => {
    const e = thrown(() => decimalTextToMinor(text, currency));
    for (const locale of OTHERS) expect(englishLeft(rawText(buildErrorMessage(e, locale)))).toEqual([]);
    expect(errorText(e, 'en')).toBe(e.message);
  });

  test('majorToMinor refuses a non-number with a key', () => {
    const e = thrown(() => majorToMinor(Number.NaN, 'USD'));
    expect(errorText(e, 'vi')).toBe('NaN không phải là số tiền.');
  });

  test('a caller that puts its own command as the example drops the amount example', () => {
    const e = thrown(() => parseDealCommand('won 1.200 Acme', 'USD'));
    expect(e.i18n?.key).toBe('error.refusals.ambiguousDot');
    for (const locale of ['en', 'vi', 'zh-CN'] as const) expect(errorExample(e, locale)).toBe(e.example);
    expect(e.example).toMatch(/^\/deal won /);
    const plain = thrown(() => parseAmount('5 kr', { defaultCurrency: 'USD' }));
    const again = new AppError(plain.code, plain.message, { example: '/kpi quota set @dana 50k', i18n: withoutExamples(plain.i18n!) });
    expect(errorExample(again, 'zh-CN')).toBe('/kpi quota set @dana 50k');
    expect(errorExample(plain, 'zh-CN')).toBe('SEK 12,000');
  });
});

describe('amounts to type, in the reader\'s form', () => {
  const AMOUNTS = [1n, 99n, 120000n, 1200000n, 123456789n, 800000000n, 10n ** 15n];
  const CODES = ['USD', 'EUR', 'GBP', 'JPY', 'VND', 'CNY', 'KWD', 'CHF', 'SEK', 'AUD', 'INR', 'KRW', 'BHD', 'COP'];
  test.each(['en', 'vi', 'zh-CN'] as const)('%s: every form reads back, for a reader of that language, as the same amount in any workspace currency', (locale) => {
    for (const code of CODES) {
      expect(ALL_CURRENCIES.has(code)).toBe(true);
      // Below one unit a 3-decimal amount has no form the parser takes (`0.001 KWD` is ambiguous).
      for (const amount of AMOUNTS.filter((a) => ALL_CURRENCIES.get(code)?.decimals !== 3 || a >= 1000n)) {
        for (const show of ['symbol', 'code'] as const) {
          const text = amountToTypeL(locale, amount, code, show);
          expect(parseAmount(text, { defaultCurrency: code, locale }), `${locale} ${code} ${amount} ${text}`).toEqual({ amountMinor: amount, currency: code });
          if (locale !== 'en') expect(parseAmount(text, { defaultCurrency: code === 'USD' ? 'EUR' : 'USD', locale }).currency, text).toBe(code);
        }
        const bare = amountToTypeL(locale, amount, code, 'bare');
        expect(parseAmount(bare, { defaultCurrency: code, locale }).amountMinor, `${locale} ${code} ${bare}`).toBe(amount);
      }
    }
  });

  test('the locale\'s own form where the parser reads it', () => {
    expect(amountToTypeL('vi', 800000000n, 'VND')).toBe('800.000.000 ₫');
    // The short Vietnamese form: the dot groups for that reader (it used to be refused as ambiguous).
    expect(amountToTypeL('vi', 1200000n, 'EUR')).toBe('12.000 €');
    expect(amountToTypeL('vi', 120000n, 'USD')).toBe('1.200 USD');
    expect(amountToTypeL('vi', 120050n, 'EUR')).toBe('1.200,5 €');
    // A 3-decimal currency still writes its decimals out in every language.
    expect(amountToTypeL('vi', 1200000n, 'KWD', 'bare')).toBe('1.200,000');
    expect(amountToTypeL('zh-CN', 120000n, 'USD')).toBe('US$1,200');
    expect(amountToTypeL('zh-CN', 1200000n, 'CNY')).toBe('CNY 12,000');
    expect(formatDecimalTextL('vi', '1.2')).toBe('1,2');
    expect(formatDecimalTextL('zh-CN', '1200')).toBe('1,200');
  });
});

describe('stage lists and dates in refusals', () => {
  const STAGES = ['lead', 'contacted', 'demo', 'proposal', 'pilot'];

  test('an unknown stage names the stages in the reader\'s language, with the word to type', () => {
    const e = thrown(() => parseStage('xyz', STAGES));
    expect(errorText(e, 'vi')).toBe('"xyz" không phải giai đoạn ở đây. Các giai đoạn: Khách hàng tiềm năng (`lead`) → Đã liên hệ (gọi) (`contacted`) → Trình diễn/Dùng thử (`demo`) → Báo giá (`proposal`) → Pilot.');
    expect(errorText(e, 'zh-CN')).toContain('阶段：线索（`lead`） → 已联系（电话）（`contacted`）');
    expect(errorText(e, 'en')).toBe('"xyz" is not a stage here. Stages: Lead → Contacted (call) → Demo/Trial → Proposal → Pilot.');
    expect(stageListL(['demo'], 'vi', ', ', false)).toBe('Trình diễn/Dùng thử');
  });

  test('a future date and today in the reader\'s date form; English keeps ISO', () => {
    const e = thrown(() => subscriptionDateInstant('2026-12-15', new Date('2026-11-20T23:30:00Z'), 'Asia/Ho_Chi_Minh'));
    expect(errorText(e, 'vi')).toContain('15/12/2026 là ngày trong tương lai (hôm nay là 21/11/2026 theo múi giờ Asia/Ho_Chi_Minh)');
    expect(errorText(e, 'zh-CN')).toContain('2026年12月15日 在未来（Asia/Ho_Chi_Minh 时区今天是 2026年11月21日）');
    expect(errorText(e, 'en')).toBe('2026-12-15 is in the future (today is 2026-11-21 in Asia/Ho_Chi_Minh). Record it on or after the day it applies.');
  });

  test('the time of a repeated request: the time alone today, the day and time before', () => {
    const today = alreadyDoneError(new Date('2026-11-30T10:02:00Z'), new Date('2026-11-30T10:05:00Z'), 'UTC');
    expect(errorText(today, 'vi')).toContain('lúc 10:02;');
    const earlier = alreadyDoneError(new Date('2026-11-29T10:02:00Z'), new Date('2026-11-30T10:05:00Z'), 'UTC');
    expect(errorText(earlier, 'vi')).toContain('lúc 29/11/2026 10:02;');
    expect(errorText(earlier, 'zh-CN')).toContain('已在 2026年11月29日 10:02 处理过');
    expect(errorText(earlier, 'en')).toBe('Already done — this request was handled at 2026-11-29 10:02; nothing changed again.');
  });
});
