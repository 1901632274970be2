import { describe, expect, test } from 'vitest';
import { compactNumber, formatCountL, formatDurationL, formatInstantL, formatMoneyL, formatNumberL, formatPercentL, moneyHeadline, periodLabel, quarterLabel, shortPeriodLabelL } from '../../src/i18n/format.js';
import { channelLocale, resolveLocale, toLocale } from '../../src/i18n/locales.js';
import { localPeriodWords, parsePeriod, type TPeriod } from '../../src/domain/periods.js';

const P = (kind: TPeriod['kind'], key: string, start: string, end: string): TPeriod => ({ kind, key, label: `label ${key}`, start: new Date(start), end: new Date(end), timeZone: 'UTC' });

describe('locale formatting', () => {
  test.each([
    ['en', 64170000000n, 'VND', false, '64,170,000,000 ₫'],
    ['vi', 641700000n, 'VND', false, '641.700.000 ₫'],
    ['vi', 123450n, 'USD', false, '1.234,50 US$'],
    ['zh-CN', 123450n, 'CNY', false, '¥1,234.50'],
    ['zh-CN', 641700000n, 'VND', false, '₫641,700,000'],
    ['vi', 641700000n, 'VND', true, '641,7 tr ₫'],
    ['vi', 6417000000n, 'VND', true, '6,4 tỷ ₫'],
    ['vi', 999960000n, 'VND', true, '1 tỷ ₫'],
    ['zh-CN', 641700000n, 'VND', true, '6.4亿 ₫'],
    ['zh-CN', 1200000n, 'CNY', true, '¥1.2万'],
    ['en', 120000000n, 'USD', true, '$1.2M'],
    ['vi', -500n, 'USD', false, '-5 US$'],
  ] as const)('%s %s %s compact=%s → %s', (locale, minor, cur, compact, out) => {
    expect(formatMoneyL(locale, minor, cur, { compact })).toBe(out);
  });

  test.each([
    ['zh-CN', 641700000n, 'VND', '₫641,700,000（约6.4亿）'],
    ['zh-CN', 5000n, 'CNY', '¥50'],
    ['vi', 641700000n, 'VND', '641.700.000 ₫'],
  ] as const)('headline %s %s %s → %s', (locale, minor, cur, out) => expect(moneyHeadline(locale, minor, cur)).toBe(out));

  test.each([
    ['en', 90000000, '90M'],
    ['vi', 90000000, '90 tr'],
    ['zh-CN', 90000000, '9000万'],
    ['zh-CN', 950, '950'],
  ] as const)('compact number %s %s → %s', (locale, n, out) => expect(compactNumber(locale, n)).toBe(out));

  test.each([
    ['en', 0.375, '37.5%'],
    ['vi', 0.375, '37,5%'],
    ['zh-CN', 0.375, '37.5%'],
    ['vi', 0.0125, '1,3%'],
  ] as const)('percent %s %s → %s', (locale, r, out) => expect(formatPercentL(locale, r)).toBe(out));

  test('counts group per locale', () => {
    expect([formatCountL('en', 8800), formatCountL('vi', 8800), formatCountL('zh-CN', 8800)]).toEqual(['8,800', '8.800', '8,800']);
  });

  test.each([
    ['en', 2026, 3, false, 'Q3 2026'],
    ['vi', 2026, 3, false, 'Quý 3/2026'],
    ['zh-CN', 2026, 3, false, '2026年第三季度'],
    ['zh-CN', 2027, 1, true, '2027财年第一季度'],
  ] as const)('quarter %s %s Q%s fiscal=%s → %s', (locale, y, q, fy, out) => expect(quarterLabel(locale, y, q, fy)).toBe(out));

  test.each([
    ['en', P('month', '2026-11', '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z'), 'label 2026-11'],
    ['vi', P('month', '2026-11', '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z'), 'tháng 11/2026'],
    ['zh-CN', P('month', '2026-11', '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z'), '2026年11月'],
    ['vi', P('quarter', '2026-Q3', '2026-07-01T00:00:00Z', '2026-10-01T00:00:00Z'), 'Quý 3/2026 (1/7 – 30/9)'],
    ['zh-CN', P('quarter', '2026-Q3', '2026-07-01T00:00:00Z', '2026-10-01T00:00:00Z'), '2026年第三季度（7月1日–9月30日）'],
    ['vi', P('week', '2026-W48', '2026-11-23T00:00:00Z', '2026-11-30T00:00:00Z'), 'tuần 48/2026 (23/11 – 29/11)'],
    ['zh-CN', P('year', '2026', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'), '2026年'],
  ] as const)('period label %s %s', (locale, p, out) => expect(periodLabel(locale, p)).toBe(out));

  test('short chart labels', () => {
    expect(shortPeriodLabelL('vi', P('month', '2026-11', '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z'))).toBe('T11/2026');
    expect(shortPeriodLabelL('zh-CN', P('quarter', '2026-Q3', '2026-07-01T00:00:00Z', '2026-10-01T00:00:00Z'))).toBe('2026年Q3');
  });
});

describe('instants and durations (CRM status)', () => {
  const at = new Date('2026-11-20T10:04:00Z');
  test('English keeps formatInstant and the old lag words', () => {
    expect(formatInstantL('en', at, 'Europe/Berlin')).toBe('Fri, Nov 20, 2026 11:04 (Europe/Berlin)');
    expect([42, 900, 3900, 3 * 86400].map((s) => formatDurationL('en', s))).toEqual(['42 s', '15 min', '1 h 5 min', '3 days']);
  });
  test('Vietnamese and Chinese dates, times and durations', () => {
    expect(formatInstantL('vi', at, 'Europe/Berlin')).toBe('Thứ Sáu, 20/11/2026 11:04 (Europe/Berlin)');
    expect(formatInstantL('zh-CN', at, 'Asia/Shanghai')).toBe('2026年11月20日（星期五）18:04（Asia/Shanghai）');
    expect([42, 3900, 3 * 86400].map((s) => formatDurationL('vi', s))).toEqual(['42 giây', '1 giờ 5 phút', '3 ngày']);
    expect([42, 3900, 1500 * 86400].map((s) => formatDurationL('zh-CN', s))).toEqual(['42 秒', '1 小时 5 分钟', '1,500 天']);
  });
});

describe('locale resolution', () => {
  test.each([
    ['vi-VN', 'vi'],
    ['zh_CN', 'zh-CN'],
    ['zh-TW', null],
    ['en-GB', 'en'],
    ['fr-FR', null],
  ] as const)('toLocale(%s) = %s', (input, out) => expect(toLocale(input)).toBe(out));

  test('own choice, then Slack locale, then workspace, then English; channels use the workspace', () => {
    expect(resolveLocale({ userChoice: 'zh-CN', slackLocale: 'vi-VN', workspaceLanguage: 'en' })).toBe('zh-CN');
    expect(resolveLocale({ userChoice: null, slackLocale: 'vi-VN', workspaceLanguage: 'en' })).toBe('vi');
    expect(resolveLocale({ slackLocale: 'zh-TW', workspaceLanguage: 'vi' })).toBe('vi');
    expect(resolveLocale({})).toBe('en');
    expect(channelLocale({ workspaceLanguage: 'zh-CN' })).toBe('zh-CN');
  });
});

describe('period words in Vietnamese and Chinese', () => {
  const ctx = { now: new Date('2026-11-20T12:00:00Z'), timeZone: 'UTC', fiscalYearStartMonth: 1 };
  test.each([
    ['tháng này', '2026-11'],
    ['tháng trước', '2026-10'],
    ['quý này', '2026-Q4'],
    ['quý trước', '2026-Q3'],
    ['năm nay', '2026'],
    ['tuần này', '2026-W47'],
    ['本月', '2026-11'],
    ['上个月', '2026-10'],
    ['本季度', '2026-Q4'],
    ['上季度', '2026-Q3'],
    ['今年', '2026'],
    ['去年', '2025'],
  ])('%s → %s', (words, key) => expect(parsePeriod(words, ctx).key).toBe(key));

  test('rolling days', () => {
    expect(localPeriodWords('30 ngày qua')).toBe('last 30 days');
    expect(localPeriodWords('最近30天')).toBe('last 30 days');
    expect(localPeriodWords('2026-11')).toBe('2026-11');
  });

  test('instants and plain numbers: English as before, Vietnamese and Chinese dates with the weekday', () => {
    const at = new Date('2026-11-23T08:00:00Z');
    expect(formatInstantL('en', at, 'Europe/Berlin')).toBe('Mon, Nov 23, 2026 09:00 (Europe/Berlin)');
    expect(formatInstantL('vi', at, 'Europe/Berlin')).toBe('Thứ Hai, 23/11/2026 09:00 (Europe/Berlin)');
    expect(formatInstantL('zh-CN', at, 'Europe/Berlin')).toBe('2026年11月23日（星期一）09:00（Europe/Berlin）');
    expect(formatNumberL('vi', 25400.5)).toBe('25.400,5');
    expect(formatNumberL('zh-CN', 1.085)).toBe('1.085');
  });
});
