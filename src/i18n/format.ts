import { currencyDecimals, formatCount, formatMoney, formatPercent, parseAmount } from '../domain/money.js';
import { formatInstant, localParts, type TPeriod } from '../domain/periods.js';
import { INTL_TAG, type TLocale } from './locales.js';

/**
 * Numbers, money, percentages, dates and periods per locale (issue #12), through Intl.
 *
 * English output is exactly what the app printed before (`domain/money.ts`, the period labels of
 * `domain/periods.ts`), so existing answers do not change. Decisions for the other locales
 * (README.md in this folder explains them):
 * - Vietnamese: `641.700.000 ₫` (dot groups, comma decimals, symbol after); compact with the
 *   words sales people say: `641,7 tr ₫` (triệu), `6,4 tỷ ₫`, `64,2 nghìn ₫`.
 * - Chinese: exact amounts as Chinese finance software prints them (`¥1,234.50`, `₫641,700,000`);
 *   compact with 万 and 亿 (`6.4亿 ₫`, `¥1.2万`); a headline amount of 1万 or more also gets its
 *   万/亿 reading (`₫641,700,000（约6.4亿）`), since that is how Chinese readers say large numbers.
 */

const nf = new Map<string, Intl.NumberFormat>();
function numberFormat(tag: string, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${tag}|${JSON.stringify(opts)}`;
  let f = nf.get(key);
  if (!f) nf.set(key, (f = new Intl.NumberFormat(tag, opts)));
  return f;
}

function divRound(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b) * 2n >= b ? q + 1n : q;
}

/** Exact decimal text of minor units: `123450n`, 2 → `1234.50`. */
function decimalText(abs: bigint, decimals: number): string {
  if (decimals === 0) return abs.toString();
  const scale = 10n ** BigInt(decimals);
  return `${abs / scale}.${(abs % scale).toString().padStart(decimals, '0')}`;
}

/** The currency's symbol as Intl writes it in this locale (`₫`, `US$`, `¥`). */
export function currencySymbol(locale: TLocale, currency: string): string {
  const parts = numberFormat(INTL_TAG[locale], { style: 'currency', currency }).formatToParts(0);
  return parts.find((p) => p.type === 'currency')?.value ?? currency;
}

/**
 * A count with the locale's grouping.
 *
 * @example
 * formatCountL('en', 8800); // '8,800'
 * formatCountL('vi', 8800); // '8.800'
 * formatCountL('zh-CN', 8800); // '8,800'
 */
export function formatCountL(locale: TLocale, n: number): string {
  if (locale === 'en') return formatCount(n);
  if (!Number.isFinite(n)) return locale === 'vi' ? 'không có' : '无';
  return numberFormat(INTL_TAG[locale], { maximumFractionDigits: 2 }).format(n === 0 ? 0 : n);
}

/**
 * A ratio as a percentage with `digits` decimals.
 *
 * @example
 * formatPercentL('en', 0.375); // '37.5%'
 * formatPercentL('vi', 0.375); // '37,5%'
 * formatPercentL('zh-CN', 0.375); // '37.5%'
 */
export function formatPercentL(locale: TLocale, ratio: number | null | undefined, digits = 1): string {
  if (locale === 'en') return formatPercent(ratio, digits);
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return locale === 'vi' ? 'không có' : '无';
  // Same rounding as the English form (half away from zero on the decimal text).
  const en = formatPercent(ratio, digits).replace(/[,%]/g, '');
  return numberFormat(INTL_TAG[locale], { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(en as unknown as number) + '%';
}

const VI_UNITS = [
  { exp: 12, word: 'nghìn tỷ' },
  { exp: 9, word: 'tỷ' },
  { exp: 6, word: 'tr' },
  { exp: 3, word: 'nghìn' },
] as const;
const ZH_UNITS = [
  { exp: 12, word: '万亿' },
  { exp: 8, word: '亿' },
  { exp: 4, word: '万' },
] as const;

/** `641.7` style tenths of the largest unit, or null when the number is below every unit. */
function compactParts(absMinor: bigint, decimals: number, units: readonly { exp: number; word: string }[]): { tenths: bigint; word: string } | null {
  const scale = 10n ** BigInt(decimals);
  const major = absMinor / scale;
  let idx = units.findIndex((u) => major >= 10n ** BigInt(u.exp));
  if (idx < 0) return null;
  const tenthsIn = (i: number) => divRound(absMinor * 10n, scale * 10n ** BigInt(units[i]!.exp));
  let tenths = tenthsIn(idx);
  // 999.96 of a unit rounds to 1000.0: say it with the next unit up.
  const step = idx > 0 ? 10n ** BigInt(units[idx - 1]!.exp - units[idx]!.exp) * 10n : null;
  if (step !== null && tenths >= step && idx > 0) tenths = tenthsIn(--idx);
  return { tenths, word: units[idx]!.word };
}

function tenthsText(locale: TLocale, tenths: bigint): string {
  const whole = tenths / 10n;
  const dec = tenths % 10n;
  // Chinese does not group digits inside 万/亿 (9000万, not 9,000万).
  const grouped = numberFormat(INTL_TAG[locale], locale === 'zh-CN' ? { useGrouping: false } : {}).format(whole);
  return dec === 0n ? grouped : `${grouped}${locale === 'vi' ? ',' : '.'}${dec}`;
}

/**
 * A plain number in compact form (charts' axes): `1.2M`, `641,7 tr`, `6.4亿`.
 *
 * @example
 * compactNumber('en', 1234567); // '1.2M'
 * compactNumber('vi', 641700000); // '641,7 tr'
 * compactNumber('zh-CN', 641700000); // '6.4亿'
 * compactNumber('zh-CN', 950); // '950'
 */
export function compactNumber(locale: TLocale, n: number): string {
  if (!Number.isFinite(n)) return '';
  const negative = n < 0;
  const abs = BigInt(Math.round(Math.abs(n) * 100));
  const sign = negative ? '-' : '';
  if (locale === 'en') {
    const p = compactParts(abs, 2, [
      { exp: 12, word: 'T' },
      { exp: 9, word: 'B' },
      { exp: 6, word: 'M' },
      { exp: 3, word: 'k' },
    ]);
    return p ? `${sign}${tenthsText('en', p.tenths)}${p.word}` : `${sign}${formatCount(Math.abs(n))}`;
  }
  const p = compactParts(abs, 2, locale === 'vi' ? VI_UNITS : ZH_UNITS);
  if (!p) return `${sign}${formatCountL(locale, Math.abs(n))}`;
  return locale === 'vi' ? `${sign}${tenthsText(locale, p.tenths)} ${p.word}` : `${sign}${tenthsText(locale, p.tenths)}${p.word}`;
}

/**
 * Money for people in a locale, exact unless `compact`.
 *
 * @example
 * formatMoneyL('en', 64170000000n, 'VND'); // '64,170,000,000 ₫'
 * formatMoneyL('vi', 641700000n, 'VND'); // '641.700.000 ₫'
 * formatMoneyL('zh-CN', 123450n, 'CNY'); // '¥1,234.50'
 * formatMoneyL('vi', 641700000n, 'VND', { compact: true }); // '641,7 tr ₫'
 * formatMoneyL('zh-CN', 641700000n, 'VND', { compact: true }); // '6.4亿 ₫'
 * formatMoneyL('en', 120000000n, 'USD', { compact: true }); // '$1.2M'
 */
export function formatMoneyL(locale: TLocale, amountMinor: bigint, currency: string, opts: { compact?: boolean } = {}): string {
  if (locale === 'en') return formatMoney(amountMinor, currency, opts);
  const decimals = currencyDecimals(currency);
  const negative = amountMinor < 0n;
  const abs = negative ? -amountMinor : amountMinor;
  const sign = negative ? '-' : '';
  if (opts.compact) {
    const p = compactParts(abs, decimals, locale === 'vi' ? VI_UNITS : ZH_UNITS);
    if (p) {
      const num = tenthsText(locale, p.tenths);
      const sym = currencySymbol(locale, currency);
      if (locale === 'vi') return `${sign}${num} ${p.word} ${sym}`;
      return currency === 'CNY' ? `${sign}${sym}${num}${p.word}` : `${sign}${num}${p.word} ${sym}`;
    }
  }
  const scale = 10n ** BigInt(decimals);
  const showDecimals = abs % scale !== 0n || decimals === 3;
  const f = numberFormat(INTL_TAG[locale], { style: 'currency', currency, minimumFractionDigits: showDecimals ? decimals : 0, maximumFractionDigits: showDecimals ? decimals : 0 });
  // A decimal string is formatted exactly (Intl.NumberFormat v3), whatever its size.
  // Intl puts a no-break space before a trailing symbol; the app writes a plain one everywhere.
  return f.format(`${sign}${decimalText(abs, decimals)}` as unknown as number).replace(/\u00a0/g, ' ');
}

/**
 * The headline form of an amount: exact, plus the 万/亿 reading in Chinese from 1万 units up.
 *
 * @example
 * moneyHeadline('zh-CN', 641700000n, 'VND'); // '₫641,700,000（约6.4亿）'
 * moneyHeadline('vi', 641700000n, 'VND'); // '641.700.000 ₫'
 */
export function moneyHeadline(locale: TLocale, amountMinor: bigint, currency: string): string {
  const exact = formatMoneyL(locale, amountMinor, currency);
  if (locale !== 'zh-CN') return exact;
  const decimals = currencyDecimals(currency);
  const abs = amountMinor < 0n ? -amountMinor : amountMinor;
  const p = compactParts(abs, decimals, ZH_UNITS);
  if (!p) return exact;
  return `${exact}（约${amountMinor < 0n ? '-' : ''}${tenthsText(locale, p.tenths)}${p.word}）`;
}

const ZH_QUARTERS = ['一', '二', '三', '四'];

/**
 * A quarter as people write it.
 *
 * @example
 * quarterLabel('en', 2026, 3); // 'Q3 2026'
 * quarterLabel('vi', 2026, 3); // 'Quý 3/2026'
 * quarterLabel('zh-CN', 2026, 3); // '2026年第三季度'
 * quarterLabel('zh-CN', 2027, 1, true); // '2027财年第一季度'
 */
export function quarterLabel(locale: TLocale, year: number, quarter: number, fiscal = false): string {
  switch (locale) {
    case 'en':
      return fiscal ? `Q${quarter} FY${year}` : `Q${quarter} ${year}`;
    case 'vi':
      return fiscal ? `Quý ${quarter} năm tài chính ${year}` : `Quý ${quarter}/${year}`;
    case 'zh-CN':
      return `${year}${fiscal ? '财年' : '年'}第${ZH_QUARTERS[quarter - 1] ?? quarter}季度`;
  }
}

/**
 * A month's name (1–12), long or short.
 *
 * @example
 * monthName('en', 11); // 'November'
 * monthName('vi', 11); // 'Tháng 11'
 * monthName('zh-CN', 11); // '十一月'
 * monthName('en', 11, 'short'); // 'Nov'
 */
export function monthName(locale: TLocale, month: number, style: 'long' | 'short' = 'long'): string {
  return new Intl.DateTimeFormat(INTL_TAG[locale], { month: style, timeZone: 'UTC' }).format(new Date(Date.UTC(2026, month - 1, 15)));
}

/**
 * A weekday's name (1 = Monday … 7 = Sunday).
 *
 * @example
 * weekdayName('en', 1); // 'Monday'
 * weekdayName('vi', 1); // 'Thứ Hai'
 * weekdayName('zh-CN', 1); // '星期一'
 */
export function weekdayName(locale: TLocale, isoWeekday: number, style: 'long' | 'short' = 'long'): string {
  // 2026-11-23 is a Monday.
  return new Intl.DateTimeFormat(INTL_TAG[locale], { weekday: style, timeZone: 'UTC' }).format(new Date(Date.UTC(2026, 10, 22 + isoWeekday)));
}

/**
 * A time zone's name as a reader of the locale knows it, with its IANA id.
 *
 * @example
 * timeZoneName('vi', 'Asia/Ho_Chi_Minh', new Date('2026-11-20T00:00:00Z')); // 'Giờ Đông Dương (Asia/Ho_Chi_Minh)'
 * timeZoneName('en', 'UTC', new Date('2026-11-20T00:00:00Z')); // 'UTC'
 */
export function timeZoneName(locale: TLocale, timeZone: string, at: Date): string {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 'UTC';
  const part = new Intl.DateTimeFormat(INTL_TAG[locale], { timeZone, timeZoneName: 'longGeneric' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value;
  return part && part !== timeZone ? `${part} (${timeZone})` : timeZone;
}

/** `d/M` (vi) or `M月d日` (zh-CN) of a local day. */
function dayMonth(locale: TLocale, d: { month: number; day: number }): string {
  return locale === 'vi' ? `${d.day}/${d.month}` : locale === 'zh-CN' ? `${d.month}月${d.day}日` : `${d.month}/${d.day}`;
}

/**
 * A local date.
 *
 * @example
 * formatDateL('vi', new Date('2026-11-05T12:00:00Z'), 'UTC'); // '5/11/2026'
 * formatDateL('zh-CN', new Date('2026-11-05T12:00:00Z'), 'UTC'); // '2026年11月5日'
 */
export function formatDateL(locale: TLocale, instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  if (locale === 'vi') return `${p.day}/${p.month}/${p.year}`;
  if (locale === 'zh-CN') return `${p.year}年${p.month}月${p.day}日`;
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone }).format(instant);
}

/**
 * An instant with its weekday, local date, time and zone (English: `formatInstant`, as before).
 *
 * @example
 * formatInstantL('en', new Date('2026-11-23T08:00:00Z'), 'Europe/Berlin'); // 'Mon, Nov 23, 2026 09:00 (Europe/Berlin)'
 * formatInstantL('vi', new Date('2026-11-23T08:00:00Z'), 'Europe/Berlin'); // 'Thứ Hai, 23/11/2026 09:00 (Europe/Berlin)'
 * formatInstantL('zh-CN', new Date('2026-11-23T08:00:00Z'), 'Europe/Berlin'); // '2026年11月23日（星期一）09:00（Europe/Berlin）'
 */
export function formatInstantL(locale: TLocale, instant: Date, timeZone: string): string {
  if (locale === 'en') return formatInstant(instant, timeZone);
  const p = localParts(instant, timeZone);
  const time = `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
  const weekday = weekdayName(locale, p.isoWeekday);
  if (locale === 'vi') return `${weekday}, ${p.day}/${p.month}/${p.year} ${time} (${timeZone})`;
  return `${p.year}年${p.month}月${p.day}日（${weekday}）${time}（${timeZone}）`;
}

/**
 * A plain number in the locale, at most `digits` decimals (rates, thresholds).
 *
 * @example
 * formatNumberL('vi', 25400.5); // '25.400,5'
 * formatNumberL('en', 1.08); // '1.08'
 */
export function formatNumberL(locale: TLocale, n: number, digits = 6): string {
  return numberFormat(INTL_TAG[locale], { maximumFractionDigits: digits }).format(n);
}

function range(locale: TLocale, p: Pick<TPeriod, 'start' | 'end' | 'timeZone'>): string {
  const first = localParts(p.start, p.timeZone);
  const last = localParts(new Date(p.end.getTime() - 3_600_000), p.timeZone);
  const text = `${dayMonth(locale, first)} – ${dayMonth(locale, last)}`;
  return locale === 'zh-CN' ? `（${text.replace(' – ', '–')}）` : ` (${text})`;
}

/**
 * A period as people of the locale say it; English keeps the period's own label.
 *
 * @example
 * periodLabel('vi', { kind: 'month', key: '2026-11', … }); // 'tháng 11/2026'
 * periodLabel('zh-CN', { kind: 'month', key: '2026-11', … }); // '2026年11月'
 * periodLabel('vi', { kind: 'quarter', key: '2026-Q3', … }); // 'Quý 3/2026 (1/7 – 30/9)'
 * periodLabel('zh-CN', { kind: 'quarter', key: '2026-Q3', … }); // '2026年第三季度（7月1日–9月30日）'
 */
export function periodLabel(locale: TLocale, p: Pick<TPeriod, 'kind' | 'key' | 'label' | 'start' | 'end' | 'timeZone'>): string {
  if (locale === 'en') return p.label;
  const vi = locale === 'vi';
  let m: RegExpExecArray | null;
  switch (p.kind) {
    case 'month':
      if ((m = /^(\d{4})-(\d{2})$/.exec(p.key))) return vi ? `tháng ${Number(m[2])}/${m[1]}` : `${m[1]}年${Number(m[2])}月`;
      break;
    case 'quarter':
      if ((m = /^(FY)?(\d{4})-Q(\d)$/.exec(p.key))) return quarterLabel(locale, Number(m[2]), Number(m[3]), Boolean(m[1])) + range(locale, p);
      break;
    case 'year':
      if ((m = /^(FY)?(\d{4})$/.exec(p.key))) {
        if (!m[1]) return vi ? `năm ${m[2]}` : `${m[2]}年`;
        return (vi ? `năm tài chính ${m[2]}` : `${m[2]}财年`) + range(locale, p);
      }
      break;
    case 'week':
      if ((m = /^(\d{4})-W(\d{2})$/.exec(p.key))) return (vi ? `tuần ${Number(m[2])}/${m[1]}` : `${m[1]}年第${Number(m[2])}周`) + range(locale, p);
      break;
    case 'day':
      return formatDateL(locale, p.start, p.timeZone);
    case 'ytd':
      if ((m = /^ytd-(FY)?(\d{4})$/.exec(p.key))) {
        const fy = Boolean(m[1]);
        return (vi ? `từ đầu năm${fy ? ' tài chính' : ''} ${m[2]} đến nay` : `${m[2]}${fy ? '财年' : '年'}初至今`) + range(locale, p);
      }
      break;
    case 'rolling':
      if ((m = /^last(\d+)-/.exec(p.key))) return (vi ? `${m[1]} ngày` : `${m[1]}天`) + range(locale, p);
      break;
  }
  return p.key;
}

/**
 * A short period label for chart axes.
 *
 * @example
 * shortPeriodLabelL('vi', { kind: 'month', key: '2026-11', … }); // 'T11/2026'
 * shortPeriodLabelL('zh-CN', { kind: 'quarter', key: '2026-Q3', … }); // '2026年Q3'
 */
export function shortPeriodLabelL(locale: Exclude<TLocale, 'en'>, p: Pick<TPeriod, 'kind' | 'key' | 'label' | 'start' | 'end' | 'timeZone'>): string {
  const vi = locale === 'vi';
  let m: RegExpExecArray | null;
  if (p.kind === 'month' && (m = /^(\d{4})-(\d{2})$/.exec(p.key))) return vi ? `T${Number(m[2])}/${m[1]}` : `${m[1]}年${Number(m[2])}月`;
  if (p.kind === 'quarter' && (m = /^(FY)?(\d{4})-Q(\d)$/.exec(p.key))) return vi ? `Q${m[3]}/${m[1] ? 'TC' : ''}${m[2]}` : `${m[2]}${m[1] ? '财年' : '年'}Q${m[3]}`;
  if (p.kind === 'week' && (m = /-W(\d{2})$/.exec(p.key))) return vi ? `Tuần ${Number(m[1])}` : `第${Number(m[1])}周`;
  if (p.kind === 'day') return dayMonth(locale, localParts(p.start, p.timeZone));
  if (p.kind === 'year' && (m = /^(FY)?(\d{4})$/.exec(p.key))) return vi ? `${m[1] ? 'NTC ' : ''}${m[2]}` : `${m[2]}${m[1] ? '财年' : '年'}`;
  return periodLabel(locale, p);
}

/**
 * A ratio such as an oversized deal's multiple, with one decimal in the locale's form.
 *
 * @example
 * formatDecimal1L('en', 4.5); // '4.5'
 * formatDecimal1L('vi', 4.5); // '4,5'
 */
export function formatDecimal1L(locale: TLocale, n: number): string {
  if (locale === 'en' || !Number.isFinite(n)) return n.toFixed(1);
  return numberFormat(INTL_TAG[locale], { minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: false }).format(Number(n.toFixed(1)));
}

const DURATION_UNITS: Readonly<Record<TLocale, { s: string; min: string; h: string; days: string }>> = {
  en: { s: 's', min: 'min', h: 'h', days: 'days' },
  vi: { s: 'giây', min: 'phút', h: 'giờ', days: 'ngày' },
  'zh-CN': { s: '秒', min: '分钟', h: '小时', days: '天' },
};

/**
 * A duration in whole seconds, coarsely: `42 s`, `15 min`, `1 h 5 min`, `3 days` (hours up to 48).
 *
 * @example
 * formatDurationL('en', 3900); // '1 h 5 min'
 * formatDurationL('vi', 3900); // '1 giờ 5 phút'
 * formatDurationL('zh-CN', 900); // '15 分钟'
 */
export function formatDurationL(locale: TLocale, seconds: number): string {
  const u = DURATION_UNITS[locale];
  const n = (v: number) => (locale === 'en' ? String(v) : formatCountL(locale, v));
  if (seconds < 60) return `${n(seconds)} ${u.s}`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${n(minutes)} ${u.min}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${n(hours)} ${u.h}${minutes % 60 ? ` ${n(minutes % 60)} ${u.min}` : ''}`;
  return `${n(Math.floor(hours / 24))} ${u.days}`;
}

/**
 * Whether `parseAmount` reads `text`, typed by a reader of `locale`, as exactly this amount,
 * whatever the workspace's currency.
 */
function readsBack(text: string, amountMinor: bigint, currency: string, bare: boolean, locale: TLocale): boolean {
  // A bare number takes the currency it is typed for; a symbol must name this currency in any
  // workspace (`¥` is JPY in a USD one, so a CNY amount names its code instead).
  const defaults = bare ? [currency] : [currency, currency === 'USD' ? 'EUR' : 'USD'];
  return defaults.every((defaultCurrency) => {
    try {
      const m = parseAmount(text, { defaultCurrency, locale });
      return m.amountMinor === amountMinor && m.currency === currency;
    } catch {
      return false;
    }
  });
}

/**
 * An amount as a reader of the locale would type it, in a form `parseAmount` reads back as the same
 * amount for that reader (it is given their locale: the example next to a refusal, the right form
 * of a refused amount): the locale's own form (`12.000 €`, `US$1,200`), its decimals written out
 * where the short form would be refused as ambiguous (`1.200,000 KWD`), the ISO code where the
 * symbol is not one the parser reads (`US$` after a number) or names another currency elsewhere;
 * the English form if none reads back. `show`: `code` names the currency by its code, `bare` is the
 * number alone.
 *
 * @example
 * amountToTypeL('vi', 1200000n, 'EUR'); // '12.000 €'
 * amountToTypeL('vi', 120000n, 'USD'); // '1.200 USD'
 * amountToTypeL('zh-CN', 120000n, 'USD'); // 'US$1,200'
 * amountToTypeL('vi', 1200n, 'KWD', 'bare'); // '1,2'
 * amountToTypeL('en', 1200000n, 'EUR', 'code'); // '12,000 EUR'
 */
export function amountToTypeL(locale: TLocale, amountMinor: bigint, currency: string, show: 'symbol' | 'code' | 'bare' = 'symbol'): string {
  const decimals = currencyDecimals(currency);
  const abs = amountMinor < 0n ? -amountMinor : amountMinor;
  const text = `${amountMinor < 0n ? '-' : ''}${decimalText(abs, decimals)}`;
  const scale = 10n ** BigInt(decimals);
  const needed = abs % scale === 0n ? 0 : decimalText(abs, decimals).replace(/0+$/, '').split('.')[1]?.length ?? 0;
  const english = (() => {
    const money = formatMoney(amountMinor, currency);
    if (show === 'symbol') return money;
    const number = numberFormat('en-US', { minimumFractionDigits: decimals === 3 ? 3 : needed, maximumFractionDigits: decimals }).format(text as unknown as number);
    return show === 'bare' ? number : `${number} ${currency}`;
  })();
  if (locale === 'en' && readsBack(english, amountMinor, currency, show === 'bare', locale)) return english;
  const displays: ReadonlyArray<'symbol' | 'code' | 'bare'> = show === 'symbol' ? ['symbol', 'code'] : [show];
  for (const fraction of [needed, decimals]) {
    for (const display of displays) {
      const opts: Intl.NumberFormatOptions = display === 'bare' ? {} : { style: 'currency', currency, currencyDisplay: display };
      const shown = numberFormat(INTL_TAG[locale], { ...opts, minimumFractionDigits: fraction, maximumFractionDigits: Math.max(fraction, needed) })
        .format(text as unknown as number)
        .replace(/[\u00a0\u202f]/g, ' ');
      if (readsBack(shown, amountMinor, currency, display === 'bare', locale)) return shown;
    }
  }
  return english;
}

/**
 * A plain decimal number (`1200`, `1.2`, as the parser reads digits) with the locale's grouping
 * and decimal mark, exactly.
 *
 * @example
 * formatDecimalTextL('vi', '1200'); // '1.200'
 * formatDecimalTextL('vi', '1.2'); // '1,2'
 * formatDecimalTextL('zh-CN', '1200'); // '1,200'
 */
export function formatDecimalTextL(locale: TLocale, text: string): string {
  if (!/^-?\d+(?:\.\d+)?$/.test(text)) return text;
  const fraction = text.split('.')[1]?.length ?? 0;
  return numberFormat(INTL_TAG[locale], { minimumFractionDigits: fraction, maximumFractionDigits: fraction }).format(text as unknown as number);
}
