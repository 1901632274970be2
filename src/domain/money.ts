import { AppError, type TErrorI18n } from '../errors.js';

/**
 * Money for people and for storage (SPEC §1, §2, §3).
 *
 * Amounts are integer minor units (`bigint`) plus an upper-case ISO 4217 code; floats never touch
 * stored money. Text from Slack is parsed digit by digit, and anything that could be read two ways
 * (`1.200` in dollars) is refused with an example instead of guessed.
 */

/** How `formatMoney` writes a currency: symbol before (`$12`), symbol after (`12 ₫`), or code after (`12 CHF`). */
export type TCurrencyDisplay = 'prefix' | 'suffix' | 'code';

export interface TCurrency {
  /** ISO 4217 code, upper-case. */
  readonly code: string;
  /** Minor-unit decimals (ISO 4217): 2 for USD, 0 for VND, JPY and KRW. */
  readonly decimals: number;
  /** The local display symbol (`$`, `₫`, `kr`); informational for `code` display. */
  readonly symbol: string;
  readonly name: string;
  readonly display: TCurrencyDisplay;
}

/**
 * Currencies in common sales use, with their display (symbol before or after the amount): the list
 * the Slack currency pickers show. Every other ISO 4217 code is known too (see `ALL_CURRENCIES`).
 */
export const CURRENCIES = {
  USD: { code: 'USD', decimals: 2, symbol: '$', name: 'US dollar', display: 'prefix' },
  EUR: { code: 'EUR', decimals: 2, symbol: '€', name: 'euro', display: 'prefix' },
  GBP: { code: 'GBP', decimals: 2, symbol: '£', name: 'pound sterling', display: 'prefix' },
  JPY: { code: 'JPY', decimals: 0, symbol: '¥', name: 'Japanese yen', display: 'prefix' },
  VND: { code: 'VND', decimals: 0, symbol: '₫', name: 'Vietnamese đồng', display: 'suffix' },
  CNY: { code: 'CNY', decimals: 2, symbol: 'CN¥', name: 'Chinese yuan', display: 'code' },
  INR: { code: 'INR', decimals: 2, symbol: '₹', name: 'Indian rupee', display: 'code' },
  AUD: { code: 'AUD', decimals: 2, symbol: 'A$', name: 'Australian dollar', display: 'code' },
  CAD: { code: 'CAD', decimals: 2, symbol: 'C$', name: 'Canadian dollar', display: 'code' },
  SGD: { code: 'SGD', decimals: 2, symbol: 'S$', name: 'Singapore dollar', display: 'code' },
  CHF: { code: 'CHF', decimals: 2, symbol: 'CHF', name: 'Swiss franc', display: 'code' },
  SEK: { code: 'SEK', decimals: 2, symbol: 'kr', name: 'Swedish krona', display: 'code' },
  NOK: { code: 'NOK', decimals: 2, symbol: 'kr', name: 'Norwegian krone', display: 'code' },
  DKK: { code: 'DKK', decimals: 2, symbol: 'kr', name: 'Danish krone', display: 'code' },
  BRL: { code: 'BRL', decimals: 2, symbol: 'R$', name: 'Brazilian real', display: 'code' },
  MXN: { code: 'MXN', decimals: 2, symbol: 'MX$', name: 'Mexican peso', display: 'code' },
  KRW: { code: 'KRW', decimals: 0, symbol: '₩', name: 'South Korean won', display: 'code' },
  THB: { code: 'THB', decimals: 2, symbol: '฿', name: 'Thai baht', display: 'code' },
  IDR: { code: 'IDR', decimals: 2, symbol: 'Rp', name: 'Indonesian rupiah', display: 'code' },
  PHP: { code: 'PHP', decimals: 2, symbol: '₱', name: 'Philippine peso', display: 'code' },
  MYR: { code: 'MYR', decimals: 2, symbol: 'RM', name: 'Malaysian ringgit', display: 'code' },
  HKD: { code: 'HKD', decimals: 2, symbol: 'HK$', name: 'Hong Kong dollar', display: 'code' },
  NZD: { code: 'NZD', decimals: 2, symbol: 'NZ$', name: 'New Zealand dollar', display: 'code' },
  ZAR: { code: 'ZAR', decimals: 2, symbol: 'R', name: 'South African rand', display: 'code' },
  PLN: { code: 'PLN', decimals: 2, symbol: 'zł', name: 'Polish złoty', display: 'code' },
  TWD: { code: 'TWD', decimals: 2, symbol: 'NT$', name: 'New Taiwan dollar', display: 'code' },
  AED: { code: 'AED', decimals: 2, symbol: 'AED', name: 'UAE dirham', display: 'code' },
  SAR: { code: 'SAR', decimals: 2, symbol: 'SAR', name: 'Saudi riyal', display: 'code' },
  ILS: { code: 'ILS', decimals: 2, symbol: '₪', name: 'Israeli new shekel', display: 'code' },
  TRY: { code: 'TRY', decimals: 2, symbol: '₺', name: 'Turkish lira', display: 'code' },
  CZK: { code: 'CZK', decimals: 2, symbol: 'Kč', name: 'Czech koruna', display: 'code' },
  HUF: { code: 'HUF', decimals: 2, symbol: 'Ft', name: 'Hungarian forint', display: 'code' },
  CLP: { code: 'CLP', decimals: 0, symbol: 'CLP$', name: 'Chilean peso', display: 'code' },
} as const satisfies Record<string, TCurrency>;

export type TCurrencyCode = keyof typeof CURRENCIES;

export interface TMoney {
  amountMinor: bigint;
  /** Upper-case ISO 4217 code. */
  currency: string;
}

/**
 * ISO 4217 minor units where CLDR's display digits (what `Intl` reports) differ from the standard:
 * CLDR shows these without decimals (or, IQD, with none instead of 3) because the minor unit is not
 * used in cash, but CRM amounts carry it, so storage keeps the ISO 4217 digits. The listed
 * currencies above keep their own digits (IDR and HUF have 2, as stored amounts always had).
 */
const ISO_MINOR_UNITS: Readonly<Record<string, number>> = {
  AFN: 2, ALL: 2, COP: 2, IQD: 3, IRR: 2, KPW: 2, LAK: 2, LBP: 2, MGA: 2, MMK: 2, PKR: 2, SLL: 2, SOS: 2, SYP: 2, YER: 2,
};

/**
 * Every currency the runtime's `Intl` data knows (`Intl.supportedValuesOf('currency')`, the current
 * ISO 4217 codes), with its minor-unit digits from `Intl.NumberFormat(…).resolvedOptions()`
 * (corrected to ISO 4217 by ISO_MINOR_UNITS) and its English name from `Intl.DisplayNames`. The
 * listed currencies keep their entry (symbol and display); the others show their code after the
 * amount (`1,200.500 KWD`).
 */
function intlCurrencies(): Map<string, TCurrency> {
  const out = new Map<string, TCurrency>(Object.entries(CURRENCIES));
  const names = new Intl.DisplayNames('en', { type: 'currency' });
  for (const code of Intl.supportedValuesOf('currency')) {
    if (out.has(code) || !/^[A-Z]{3}$/.test(code)) continue;
    const digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
    out.set(code, { code, decimals: ISO_MINOR_UNITS[code] ?? digits, symbol: code, name: names.of(code) ?? code, display: 'code' });
  }
  return out;
}

const BY_CODE: ReadonlyMap<string, TCurrency> = intlCurrencies();

/**
 * Every known currency by ISO code: the listed ones and every other ISO 4217 code from `Intl`.
 *
 * @example ALL_CURRENCIES.get('KWD')?.decimals // 3
 * @example ALL_CURRENCIES.get('COP')?.decimals // 2
 */
export const ALL_CURRENCIES: ReadonlyMap<string, TCurrency> = BY_CODE;

/** Largest amount `parseAmount` accepts, in minor units (10^15). */
export const MAX_AMOUNT_MINOR = 10n ** 15n;

/**
 * Largest single amount stored in the reporting currency, in minor units (9 × 10^12): a million
 * such deals sum to 9 × 10^18, below 2^63 − 1 (≈ 9.22 × 10^18), so SQL sums never overflow.
 */
export const MAX_REPORTING_MINOR = 9n * 10n ** 12n;

/**
 * Whether an amount in the reporting currency is beyond MAX_REPORTING_MINOR either way.
 *
 * @example
 * exceedsReportingCap(10n ** 13n); // true
 */
export function exceedsReportingCap(reportingMinor: bigint): boolean {
  return reportingMinor > MAX_REPORTING_MINOR || reportingMinor < -MAX_REPORTING_MINOR;
}

/**
 * A rate as typed: plain decimal digits with `.` or `,` (no exponent, hex or sign); null otherwise.
 *
 * @example parseRate('1,08') // 1.08
 * @example parseRate('1e400') // null
 */
export function parseRate(text: string): number | null {
  return /^\d{1,12}(?:[.,]\d{1,12})?$/.test(text.trim()) ? Number(text.trim().replace(',', '.')) : null;
}

/** A conversion rate (1 unit of a currency in the reporting currency) must lie in this range. */
export const RATE_BOUNDS = { min: 1e-6, max: 1e9 } as const;

/**
 * Why a conversion rate cannot be used, or null. Positive, finite and within RATE_BOUNDS: the
 * widest real pair (1 VND ≈ 0.00004 USD, 1 USD ≈ 25,000 VND) fits with room on both sides.
 *
 * @example rateProblem(1.08) // null
 * @example rateProblem(0) // 'The rate must be a number above zero.'
 */
export function rateProblem(rate: number, from?: string, to?: string): string | null {
  if (!Number.isFinite(rate) || rate <= 0) return 'The rate must be a number above zero.';
  if (rate < RATE_BOUNDS.min || rate > RATE_BOUNDS.max) return `The rate must be between ${RATE_BOUNDS.min} and ${RATE_BOUNDS.max.toLocaleString('en-US')}: how much one unit is worth in the reporting currency.`;
  const rough = from && to ? roughRate(from, to) : null;
  // Only the order of magnitude is checked (1,000× either way): it catches an inverted rate such as
  // `/kpi rate VND 25000` in a USD workspace, never a real market move.
  if (rough !== null && (rate / rough > RATE_SANITY_FACTOR || rough / rate > RATE_SANITY_FACTOR)) {
    const shown = Number(rough.toPrecision(2));
    return `1 ${from} = ${rate} ${to} looks wrong (or upside down): 1 ${from} is roughly ${shown} ${to}. The rate says how much one ${from} is worth in ${to}.`;
  }
  return null;
}

/**
 * `rateProblem`'s message as a catalog key and values (`error.admin.rate*`), for readers in
 * another language; null when the rate is fine.
 *
 * @example rateProblemI18n(0) // { key: 'error.admin.rateNotPositive' }
 */
export function rateProblemI18n(rate: number, from?: string, to?: string): { key: string; values?: Record<string, string | number> } | null {
  if (!Number.isFinite(rate) || rate <= 0) return { key: 'error.admin.rateNotPositive' };
  if (rate < RATE_BOUNDS.min || rate > RATE_BOUNDS.max) return { key: 'error.admin.rateBounds', values: { min: RATE_BOUNDS.min, max: RATE_BOUNDS.max } };
  const rough = from && to ? roughRate(from, to) : null;
  if (rough !== null && from && to && (rate / rough > RATE_SANITY_FACTOR || rough / rate > RATE_SANITY_FACTOR)) {
    return { key: 'error.admin.rateUpsideDown', values: { from, to, rate, rough: Number(rough.toPrecision(2)) } };
  }
  return null;
}

const RATE_SANITY_FACTOR = 1000;

/** Rough units per US dollar, for the order-of-magnitude check only (never used to convert). */
const ROUGH_PER_USD: Readonly<Record<string, number>> = {
  USD: 1, EUR: 0.9, GBP: 0.8, JPY: 150, VND: 25_000, CNY: 7.2, INR: 85, AUD: 1.5, CAD: 1.4, SGD: 1.35, CHF: 0.9,
  SEK: 10.5, NOK: 10.8, DKK: 6.8, BRL: 5.5, MXN: 18, KRW: 1400, THB: 35, IDR: 16_000, PHP: 57, MYR: 4.5, HKD: 7.8,
  NZD: 1.7, ZAR: 18, PLN: 4, TWD: 32, AED: 3.67, SAR: 3.75, ILS: 3.7, TRY: 35, CZK: 23, HUF: 360, CLP: 950,
  // A few unlisted currencies common in CRM data; any other currency has no rough figure (null).
  COP: 4000, PEN: 3.7, KWD: 0.31, BHD: 0.38, OMR: 0.38, JOD: 0.71, RON: 4.6, EGP: 49, NGN: 1500, PKR: 280,
};

/**
 * Roughly how many `to` one `from` is worth; null for a currency not in the table.
 *
 * @example roughRate('VND', 'USD') // 0.00004
 */
export function roughRate(from: string, to: string): number | null {
  const f = Object.hasOwn(ROUGH_PER_USD, from) ? ROUGH_PER_USD[from] : undefined;
  const t = Object.hasOwn(ROUGH_PER_USD, to) ? ROUGH_PER_USD[to] : undefined;
  return f === undefined || t === undefined ? null : t / f;
}

/** A rate as words a person can type back: plain digits and `.`, no exponent or separators. */
function plainRate(rate: number): string {
  const shown = Number(rate.toPrecision(rate >= 1 ? 6 : 3));
  return shown >= 1e-6 ? shown.toFixed(12).replace(/\.?0+$/, '') : String(shown);
}

/**
 * The `/kpi rate` command that sets the rate for `from` in a workspace reporting in `reporting`,
 * written the natural way round: the number above 1 (how many units of the weaker currency one
 * unit of the stronger is worth), e.g. `/kpi rate USD 25000` in a VND workspace and
 * `/kpi rate USD 25000 VND` (1 USD = 25,000 VND) for VND in a USD workspace. The number is only
 * the rough order of magnitude, as an example.
 *
 * @example rateCommandExample('USD', 'VND') // '/kpi rate USD 25000'
 * @example rateCommandExample('VND', 'USD') // '/kpi rate USD 25000 VND'
 * @example rateCommandExample('EUR', 'USD') // '/kpi rate EUR 1.11'
 */
export function rateCommandExample(from: string, reporting: string): string {
  const rough = roughRate(from, reporting);
  if (rough === null) return `/kpi rate ${from} 1.08`;
  if (rough >= 1) return `/kpi rate ${from} ${plainRate(Number(rough.toPrecision(3)))}`;
  return `/kpi rate ${reporting} ${plainRate(Number((1 / rough).toPrecision(3)))} ${from}`;
}

/** What `/kpi rate …` sets: 1 `fromCurrency` = `rate` reporting units, and how it was written. */
export interface TRateWords {
  readonly fromCurrency: string;
  readonly rate: number;
  /** `1 USD = 25400 VND` as typed (the direction the person chose). */
  readonly asTyped: string;
}

/**
 * Reads the words after `/kpi rate`: `<CUR> <number>` (1 CUR = number reporting units) or
 * `<A> <number> <B>` (1 A = number B), where A or B is the reporting currency, so a rate can be
 * given either way round (`USD 25400 VND` in a USD workspace sets VND at 1/25400). A leading `1`
 * and an `=` are allowed (`1 USD = 25400 VND`). Null when the words are not a rate.
 *
 * @example parseRateWords(['USD', '25400'], 'VND') // { fromCurrency: 'USD', rate: 25400, asTyped: '1 USD = 25400 VND' }
 * @example parseRateWords(['USD', '25400', 'VND'], 'USD') // { fromCurrency: 'VND', rate: 1 / 25400, … }
 */
export function parseRateWords(words: readonly string[], reporting: string): TRateWords | null {
  let w = words.filter((x) => x !== '=');
  if (w.length >= 3 && w[0] === '1') w = w.slice(1);
  const a = w[0]?.toUpperCase();
  const n = parseRate(w[1] ?? '');
  if (!a || n === null || w.length > 3) return null;
  const b = w[2]?.toUpperCase() ?? reporting;
  const asTyped = `1 ${a} = ${w[1]!.replace(',', '.')} ${b}`;
  if (b === reporting) return { fromCurrency: a, rate: n, asTyped };
  if (a === reporting && n > 0) return { fromCurrency: b, rate: 1 / n, asTyped };
  return null;
}

const DOLLAR_CURRENCIES = ['USD', 'AUD', 'CAD', 'SGD', 'HKD', 'NZD', 'MXN', 'TWD'] as const;
const YEN_CURRENCIES = ['JPY', 'CNY'] as const;
const KRONA_CURRENCIES = ['SEK', 'NOK', 'DKK'] as const;

function lookup(code: string): TCurrency | undefined {
  return BY_CODE.get(code.trim().toUpperCase());
}

function unknownCurrency(code: string): AppError {
  return new AppError(
    'UNKNOWN_CURRENCY',
    `I don't know the currency "${code}". Use an ISO code such as USD, EUR, GBP, VND or JPY.`,
    { example: '12,000 EUR', i18n: { key: 'error.money.unknownCurrency', values: { code }, exampleAmount: { amountMinor: '1200000', currency: 'EUR', show: 'code' } } },
  );
}

function currencyOrThrow(code: string): TCurrency {
  const c = lookup(code);
  if (!c) throw unknownCurrency(code);
  return c;
}

/**
 * Whether `code` is a currency this app knows. Exact match on the upper-case ISO code, so a `true`
 * answer means the string can be stored and compared as is (use `normalizeCurrency` for user text).
 *
 * @example
 * isKnownCurrency('VND'); // true
 * isKnownCurrency('usd'); // false (normalizeCurrency('usd') === 'USD')
 * isKnownCurrency('XYZ'); // false
 */
export function isKnownCurrency(code: string): boolean {
  return BY_CODE.has(code);
}

/**
 * The upper-case ISO code for user-typed currency text; throws UNKNOWN_CURRENCY otherwise.
 *
 * @example
 * normalizeCurrency(' usd '); // 'USD'
 * normalizeCurrency('XYZ'); // throws AppError UNKNOWN_CURRENCY
 */
export function normalizeCurrency(code: string): string {
  return currencyOrThrow(code).code;
}

/**
 * Minor-unit decimals of a currency (case-insensitive code). Throws UNKNOWN_CURRENCY naming the
 * code and listing a few valid ones.
 *
 * @example
 * currencyDecimals('USD'); // 2
 * currencyDecimals('VND'); // 0
 * currencyDecimals('XYZ'); // throws AppError UNKNOWN_CURRENCY
 */
export function currencyDecimals(code: string): number {
  return currencyOrThrow(code).decimals;
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

/** A currency mark in the text: a definite code, or a symbol shared by several currencies. */
type TMark = { kind: 'code'; code: string; text: string } | { kind: 'shared'; candidates: readonly string[]; text: string };

const PREFIX_SYMBOLS: ReadonlyArray<readonly [string, string | readonly string[]]> = [
  ['us$', 'USD'],
  ['au$', 'AUD'],
  ['a$', 'AUD'],
  ['ca$', 'CAD'],
  ['c$', 'CAD'],
  ['sg$', 'SGD'],
  ['s$', 'SGD'],
  ['hk$', 'HKD'],
  ['nz$', 'NZD'],
  ['mx$', 'MXN'],
  ['nt$', 'TWD'],
  ['r$', 'BRL'],
  ['rp', 'IDR'],
  ['rm', 'MYR'],
  ['$', DOLLAR_CURRENCIES],
  ['€', 'EUR'],
  ['£', 'GBP'],
  ['¥', YEN_CURRENCIES],
  ['￥', YEN_CURRENCIES],
  ['₫', 'VND'],
  ['₩', 'KRW'],
  ['₹', 'INR'],
  ['฿', 'THB'],
  ['₱', 'PHP'],
  ['₪', 'ILS'],
  ['₺', 'TRY'],
];

const SUFFIX_SYMBOLS: ReadonlyArray<readonly [string, string | readonly string[]]> = [
  ['đồng', 'VND'],
  ['dong', 'VND'],
  ['vnđ', 'VND'],
  ['₫', 'VND'],
  ['đ', 'VND'],
  ['€', 'EUR'],
  ['£', 'GBP'],
  ['$', DOLLAR_CURRENCIES],
  ['¥', YEN_CURRENCIES],
  ['￥', YEN_CURRENCIES],
  ['円', 'JPY'],
  ['元', 'CNY'],
  ['₩', 'KRW'],
  ['원', 'KRW'],
  ['₹', 'INR'],
  ['฿', 'THB'],
  ['₱', 'PHP'],
  ['₪', 'ILS'],
  ['₺', 'TRY'],
  ['zł', 'PLN'],
  ['kč', 'CZK'],
  ['ft', 'HUF'],
  ['kr', KRONA_CURRENCIES],
];

interface TMultiplier {
  text: string;
  /** Power of ten. */
  exp: number;
  /** Vietnamese units imply đồng. */
  vnd: boolean;
}

// Longest first so `triệu` wins over `tr` and `bn` over `b`.
const MULTIPLIERS: readonly TMultiplier[] = ([
  { text: 'thousand', exp: 3, vnd: false },
  { text: 'million', exp: 6, vnd: false },
  { text: 'billion', exp: 9, vnd: false },
  { text: 'triệu', exp: 6, vnd: true },
  { text: 'trieu', exp: 6, vnd: true },
  { text: 'tr', exp: 6, vnd: true },
  { text: 'tỷ', exp: 9, vnd: true },
  { text: 'tỉ', exp: 9, vnd: true },
  { text: 'ty', exp: 9, vnd: true },
  // Chinese: 万 = 10⁴, 亿 = 10⁸ (`1.5万`, `8亿`), in whatever currency is given.
  { text: '万', exp: 4, vnd: false },
  { text: '亿', exp: 8, vnd: false },
  { text: 'bn', exp: 9, vnd: false },
  { text: 'k', exp: 3, vnd: false },
  { text: 'm', exp: 6, vnd: false },
  { text: 'b', exp: 9, vnd: false },
] satisfies TMultiplier[]).map((m) => ({ ...m, text: m.text.normalize('NFC') }));

const LETTER = /\p{L}/u;

function toMark(text: string, target: string | readonly string[]): TMark {
  return typeof target === 'string' ? { kind: 'code', code: target, text } : { kind: 'shared', candidates: target, text };
}

/**
 * The example shown with an amount error: its English text, in the form people in that currency
 * would type, and the amount it is (other languages show it in their own form).
 */
interface TAmountExample {
  readonly text: string;
  readonly i18n: Pick<TErrorI18n, 'exampleAmount' | 'examples'>;
}

function amountExample(text: string, amountMinor: bigint, currency: string, show: 'symbol' | 'code' = 'symbol', examples?: Record<string, string>): TAmountExample {
  return { text, i18n: { exampleAmount: { amountMinor: amountMinor.toString(), currency, show }, ...(examples ? { examples } : {}) } };
}

function exampleFor(defaultCurrency: string): TAmountExample {
  const cur = lookup(defaultCurrency);
  const code = cur?.code;
  // Vietnamese sales people write `800tr`; a Chinese reader gets the amount in their own form.
  if (code === 'VND') return amountExample('800tr', 800_000_000n, 'VND', 'symbol', { vi: '800tr' });
  if (code === 'EUR') return amountExample('€12,000', 1_200_000n, 'EUR');
  if (code === 'GBP') return amountExample('£12,000', 1_200_000n, 'GBP');
  if (code === 'JPY') return amountExample('¥1,200,000', 1_200_000n, 'JPY');
  if (cur === undefined || code === 'USD') return amountExample('$12,000', 1_200_000n, 'USD');
  const minor = 12_000n * 10n ** BigInt(cur.decimals);
  // `12,000 KWD` would be ambiguous in a 3-decimal currency: show the decimals.
  if (cur.decimals === 3) return amountExample(`12,000.000 ${cur.code}`, minor, cur.code, 'code');
  return amountExample(`12,000 ${cur.code}`, minor, cur.code, 'code');
}

function amountError(message: string, example: TAmountExample, i18n?: TErrorI18n): AppError {
  return new AppError('INVALID_AMOUNT', message, { example: example.text, ...(i18n ? { i18n: { ...i18n, ...example.i18n } } : {}) });
}

/** Digit groups joined with `sep` must be 1–3 digits (no leading zero), then exactly 3 each. */
function validGroups(groups: readonly string[]): boolean {
  const [head, ...rest] = groups;
  if (head === undefined || !/^[1-9]\d{0,2}$/.test(head)) return false;
  return rest.every((g) => /^\d{3}$/.test(g));
}

interface TNumberParts {
  intDigits: string;
  fracDigits: string;
}

/**
 * Splits the numeric text into integer and fraction digits following the separator rules:
 * - two different separators: the last one is the decimal mark (`1,200.50`, `1.200,50`);
 * - one separator used several times, or a space: thousands (`12.000.000`, `12 000`);
 * - a single `.` or `,` followed by exactly 3 digits: thousands for a 0-decimal currency; for
 *   3-decimal ones (KWD) AMBIGUOUS whatever the reader's language (three decimals are natural
 *   there in both conventions); for 2-decimal ones the reader's grouping mark is thousands and
 *   their decimal mark is AMBIGUOUS: `,` groups and `1.200` is refused for an English or Chinese
 *   reader (or an unknown one), `.` groups and `1,200` is refused for a reader whose language
 *   writes `1.234,5` (Vietnamese: see `commaDecimalReader`);
 * - a single `.` or `,` followed by any other number of digits: the decimal mark.
 */
function splitNumber(raw: string, cur: TCurrency, shown: string, example: TAmountExample, commaDecimal: boolean): TNumberParts {
  const parts = raw.split(/([.,\s])/);
  const groups = parts.filter((_, i) => i % 2 === 0);
  const seps = parts.filter((_, i) => i % 2 === 1);
  const badGroups = () =>
    amountError(
      `The digit groups in "${shown}" don't look right: thousands separators go every 3 digits, as in 1,200,000.`,
      example,
      { key: 'error.money.badGroups', values: { shown } },
    );
  if (seps.length === 0) return { intDigits: raw, fracDigits: '' };

  const distinct = [...new Set(seps)];
  if (distinct.length > 2) throw badGroups();

  if (distinct.length === 2) {
    const decimalSep = seps[seps.length - 1];
    if (decimalSep === ' ' || seps.indexOf(decimalSep ?? '') !== seps.length - 1) throw badGroups();
    const intGroups = groups.slice(0, -1);
    if (!validGroups(intGroups)) throw badGroups();
    return { intDigits: intGroups.join(''), fracDigits: groups[groups.length - 1] ?? '' };
  }

  const sep = distinct[0] ?? '';
  const tail = groups[groups.length - 1] ?? '';
  if (seps.length > 1 || sep === ' ') {
    if (!validGroups(groups)) throw badGroups();
    return { intDigits: groups.join(''), fracDigits: '' };
  }

  const head = groups[0] ?? '';
  // The two readings of `1.200`: a thousand two hundred, or one point two.
  const asThousandsMinor = BigInt(head + tail) * 10n ** BigInt(cur.decimals);
  const decimalReading = `${head}.${tail.replace(/0+$/, '') || '0'}`;
  const readings = { numbers: { thousands: head + tail, decimal: decimalReading } };
  const thousandsExample = amountExample(formatMoney(asThousandsMinor, cur.code), asThousandsMinor, cur.code);
  if (tail.length === 3 && cur.decimals === 3) {
    // In a 3-decimal currency (KWD, BHD) both `1.200` and `1,200` read as thousands or as decimals.
    throw new AppError(
      'AMBIGUOUS',
      `"${shown}" is ambiguous in ${cur.code}, which has 3 decimals: is the ${sep === '.' ? 'dot' : 'comma'} a thousands separator (${groupDigits(head + tail)}) or a decimal mark (${head}.${tail})? Write ${head},${tail}.000 for thousands, or ${decimalReading} for the decimal.`,
      {
        example: thousandsExample.text,
        i18n: {
          key: 'error.refusals.ambiguousThreeDecimals',
          values: { shown, currency: cur.code, sep: sep === '.' ? 'dot' : 'comma' },
          ...readings,
          // What to write instead, in the reader's form (`1.200,000` / `1,2` in Vietnamese).
          inputs: { asThousands: { amountMinor: asThousandsMinor.toString(), currency: cur.code, show: 'bare' }, asDecimal: { amountMinor: BigInt(head + tail).toString(), currency: cur.code, show: 'bare' } },
          ...thousandsExample.i18n,
        },
      },
    );
  }
  if (tail.length === 3) {
    // The reader's own grouping mark groups; their decimal mark followed by 3 digits could be
    // either (a third decimal is never written in cents, but the other convention's thousands is).
    const groupSep = commaDecimal ? '.' : ',';
    if (cur.decimals === 0 || sep === groupSep) {
      if (!validGroups(groups)) throw badGroups();
      return { intDigits: head + tail, fracDigits: '' };
    }
    // The reader's decimal mark before 3 digits: a comma for a Vietnamese reader, a dot otherwise.
    const thousands = groupDigits(head + tail);
    const message = commaDecimal
      ? `"${shown}" is ambiguous in ${cur.code}: is the comma a thousands separator (${thousands}) or a decimal mark (${decimalReading})? Write ${thousands.replace(/,/g, '.')} with a dot for thousands, or at most ${cur.decimals} digits after a decimal comma.`
      : `"${shown}" is ambiguous in ${cur.code}: is the dot a thousands separator (${thousands}) or a decimal point (${decimalReading})? Write ${head},${tail} with a comma for thousands, or at most ${cur.decimals} digits after a decimal point.`;
    throw new AppError('AMBIGUOUS', message, {
      example: thousandsExample.text,
      i18n: {
        key: commaDecimal ? 'error.amounts.ambiguousComma' : 'error.refusals.ambiguousDot',
        values: { shown, currency: cur.code, digits: cur.decimals },
        ...readings,
        // The thousands as this reader types them (`1.200` in Vietnamese, `1,200` in Chinese), read back with their locale.
        inputs: { asThousands: { amountMinor: asThousandsMinor.toString(), currency: cur.code, show: 'bare' } },
        ...thousandsExample.i18n,
      },
    });
  }
  return { intDigits: head, fracDigits: tail };
}

/** What `parseAmount` needs besides the text. */
export interface TAmountReading {
  /** The currency of an amount that names none (the workspace's, or the form's). */
  readonly defaultCurrency: string;
  /**
   * The reader's locale (BCP 47: `vi`, `zh-CN`, `de-DE`), the member's resolved one for text a
   * person typed in Slack. Only a language that writes `1.234,5` (Vietnamese, German, Indonesian…)
   * changes the reading (see `splitNumber`); absent or unknown reads as always. Machine text (CSV
   * imports, CRM data) passes none.
   */
  readonly locale?: string | undefined;
}

/** A locale's grouping and decimal marks, from `Intl` (null: unknown or unsupported locale). */
export interface TNumberMarks {
  readonly group: string;
  readonly decimal: string;
}

const MARKS = new Map<string, TNumberMarks | null>();

/**
 * The grouping and decimal marks of a locale as `Intl.NumberFormat` writes them; null for a tag
 * the runtime does not support (it would fall back to its own default locale, not the reader's).
 *
 * @example numberMarksOf('vi') // { group: '.', decimal: ',' }
 * @example numberMarksOf('zh-CN') // { group: ',', decimal: '.' }
 * @example numberMarksOf(undefined) // null
 */
export function numberMarksOf(locale: string | undefined): TNumberMarks | null {
  if (!locale) return null;
  const cached = MARKS.get(locale);
  if (cached !== undefined) return cached;
  let marks: TNumberMarks | null = null;
  try {
    if (Intl.NumberFormat.supportedLocalesOf(locale).length > 0) {
      const parts = new Intl.NumberFormat(locale).formatToParts(1234567.5);
      const group = parts.find((p) => p.type === 'group')?.value;
      const decimal = parts.find((p) => p.type === 'decimal')?.value;
      if (group !== undefined && decimal !== undefined) marks = { group, decimal };
    }
  } catch {
    // An ill-formed tag (RangeError): read as no locale.
  }
  if (MARKS.size < 64) MARKS.set(locale, marks);
  return marks;
}

/**
 * Whether a reader of `locale` groups digits with `.` and writes decimals with `,` (`1.234,5`):
 * for them a single `.` before 3 digits is thousands and a single `,` the decimal mark.
 *
 * @example commaDecimalReader('vi') // true
 * @example commaDecimalReader('en') // false
 */
export function commaDecimalReader(locale: string | undefined): boolean {
  const m = numberMarksOf(locale);
  return m?.group === '.' && m.decimal === ',';
}

/**
 * Reads an amount typed in Slack into integer minor units.
 *
 * Accepted: `12000`, `12k`, `1.5m`, `2.5M`, `1b`/`1bn`, `800tr`/`800 triệu`/`800 trieu` (VND
 * millions), `1.2 tỷ`/`ty` (VND billions), `$12,000.50`, `12,000 USD`, `USD 12000`, `€1,200`, `£`,
 * `¥` (JPY, or CNY when that is the default), `12.000.000 ₫`/`VND`/`đ`, `1.200,50 €`.
 * A currency in the text wins over `defaultCurrency`; `$` means the default when the default is a
 * dollar currency (AUD, CAD…), else USD. Suffixes multiply. Separator rules: see `splitNumber`;
 * a single separator before 3 digits that is the reader's decimal mark, in a 2-decimal currency,
 * is refused as AMBIGUOUS, never guessed: `1.200` for an English, Chinese or unknown reader,
 * `1,200` for a Vietnamese one (who reads `1.200` as 1,200 and `1,5` as 1.5).
 *
 * Errors: INVALID_AMOUNT (empty, zero, negative, garbage, too many decimals, above 10^15 minor
 * units), AMBIGUOUS, UNKNOWN_CURRENCY — each with an example of the right form.
 *
 * @example
 * parseAmount('12k', { defaultCurrency: 'USD' }); // { amountMinor: 1200000n, currency: 'USD' }
 * parseAmount('800tr', { defaultCurrency: 'USD' }); // { amountMinor: 800000000n, currency: 'VND' }
 * parseAmount('1.200,50 €', { defaultCurrency: 'USD' }); // { amountMinor: 120050n, currency: 'EUR' }
 * parseAmount('1.200', { defaultCurrency: 'USD' }); // throws AppError AMBIGUOUS
 * parseAmount('1.200', { defaultCurrency: 'USD', locale: 'vi' }); // { amountMinor: 120000n, currency: 'USD' }
 * parseAmount('1,200', { defaultCurrency: 'USD', locale: 'vi' }); // throws AppError AMBIGUOUS
 */
export function parseAmount(input: string, opts: TAmountReading): TMoney {
  const example = exampleFor(opts.defaultCurrency);
  const shown = input.normalize('NFC').replace(/[\u00a0\u2007\u2009\u202f]/g, ' ').replace(/\s+/g, ' ').trim();
  if (shown === '') throw amountError('Please enter an amount.', example, { key: 'error.amount.empty' });
  if (shown.length > 64) throw amountError('That amount is too long to read. Write just the number and currency.', example, { key: 'error.money.tooLong' });
  const garbage = () =>
    amountError(`I couldn't read "${shown}" as an amount. Write a number, optionally with k, m or bn (or tr, tỷ for đồng) and a currency.`, example, { key: 'error.deal.unreadableAmount', values: { typed: shown } });
  const negative = () => amountError(`Amounts must be more than zero, and "${shown}" is negative. Record a refund with \`/deal refund Acme 2m\`.`, example, { key: 'error.amount.negative', values: { typed: shown } });

  let rest = shown.toLowerCase();
  if (/^[-−–]/.test(rest) || (rest.startsWith('(') && rest.endsWith(')'))) throw negative();

  // 1. Currency before the number: a symbol, or a 3-letter code.
  let prefix: TMark | null = null;
  for (const [sym, target] of PREFIX_SYMBOLS) {
    if (rest.startsWith(sym)) {
      const after = rest.slice(sym.length);
      // Letter symbols (`rp`, `rm`) must not run into more letters (`rmb`).
      if (LETTER.test(sym) && LETTER.test(after.charAt(0))) continue;
      prefix = toMark(sym, target);
      rest = after.trimStart();
      break;
    }
  }
  if (!prefix) {
    const m = /^([a-z]{3}) ?(?=[-−\d])/.exec(rest);
    if (m?.[1]) {
      prefix = { kind: 'code', code: m[1].toUpperCase(), text: m[1] };
      rest = rest.slice(m[0].length);
    }
  }
  if (/^[-−–]/.test(rest)) throw negative();

  // 2. The number: digits with `.`/`,` separators, or spaces followed by exactly 3 digits.
  const num = /^\d+(?:(?:[.,]| (?=\d{3}(?!\d)))\d+)*/.exec(rest)?.[0];
  if (num === undefined) throw garbage();
  rest = rest.slice(num.length).trimStart();

  // 3. Multiplier suffix, which must not run into more letters (`12kk`, `12 mxn`).
  let multiplier: TMultiplier | null = null;
  for (const m of MULTIPLIERS) {
    if (rest.startsWith(m.text) && !LETTER.test(rest.charAt(m.text.length))) {
      multiplier = m;
      rest = rest.slice(m.text.length).trimStart();
      break;
    }
  }

  // 4. Currency after the number: a symbol or word, or a 3-letter code; then nothing else.
  let suffix: TMark | null = null;
  if (rest !== '') {
    for (const [sym, target] of SUFFIX_SYMBOLS) {
      if (rest === sym) {
        suffix = toMark(sym, target);
        break;
      }
    }
    if (!suffix && /^[a-z]{3}$/.test(rest)) suffix = { kind: 'code', code: rest.toUpperCase(), text: rest };
    if (!suffix) throw garbage();
  }

  // 5. Settle the currency.
  const marks = [prefix, suffix].filter((m): m is TMark => m !== null);
  if (multiplier?.vnd) marks.push({ kind: 'code', code: 'VND', text: multiplier.text });
  const currency = resolveCurrency(marks, opts.defaultCurrency, shown);
  const cur = currencyOrThrow(currency);

  // 6. Digits → minor units, exactly.
  const { intDigits, fracDigits } = splitNumber(num, cur, shown, example, commaDecimalReader(opts.locale));
  const exp = (multiplier?.exp ?? 0) + cur.decimals - fracDigits.length;
  if (exp < 0) {
    const msg =
      cur.decimals === 0
        ? `${cur.code} amounts have no decimals, so "${shown}" can't be recorded as is.`
        : `${cur.code} amounts have at most ${cur.decimals} decimals, so "${shown}" can't be recorded as is.`;
    throw amountError(msg, example, { key: 'error.money.decimals', values: { currency: cur.code, digits: cur.decimals, shown } });
  }
  const amountMinor = BigInt(intDigits + fracDigits) * 10n ** BigInt(exp);
  if (amountMinor === 0n) throw amountError('The amount must be more than zero.', example, { key: 'error.amount.zero' });
  if (amountMinor > MAX_AMOUNT_MINOR) {
    const max = formatMoney(MAX_AMOUNT_MINOR, cur.code);
    throw amountError(`"${shown}" is larger than any deal amount I can record (${max} at most).`, example, { key: 'error.money.tooLarge', values: { shown }, money: { max: { amountMinor: MAX_AMOUNT_MINOR.toString(), currency: cur.code } } });
  }
  return { amountMinor, currency: cur.code };
}

function resolveCurrency(marks: readonly TMark[], defaultCurrency: string, shown: string): string {
  const codes = [...new Set(marks.flatMap((m) => (m.kind === 'code' ? [m.code] : [])))];
  for (const c of codes) currencyOrThrow(c);
  const shared = marks.filter((m): m is Extract<TMark, { kind: 'shared' }> => m.kind === 'shared');
  const conflict = (what: string) => {
    const example = exampleFor(codes.includes('VND') ? 'VND' : 'USD');
    return new AppError('AMBIGUOUS', `"${shown}" names more than one currency (${what}). Give just one.`, {
      example: example.text,
      i18n: { key: 'error.money.manyCurrencies', values: { shown, what: what.replace(/ and /g, ', ') }, ...example.i18n },
    });
  };
  if (codes.length > 1) throw conflict(codes.join(' and '));
  const code = codes[0];
  if (code !== undefined) {
    for (const s of shared) if (!s.candidates.includes(code)) throw conflict(`${s.text} and ${code}`);
    return code;
  }
  const first = shared[0];
  if (first === undefined) return defaultCurrency.trim().toUpperCase();
  const fallbackDefault = defaultCurrency.trim().toUpperCase();
  const candidates = first.candidates.filter((c) => shared.every((s) => s.candidates.includes(c)));
  if (candidates.includes(fallbackDefault)) return fallbackDefault;
  if (first.text === 'kr') {
    throw new AppError('AMBIGUOUS', `"kr" could be Swedish, Norwegian or Danish kronor. Write the code instead.`, { example: '12,000 SEK', i18n: { key: 'error.money.kr', exampleAmount: { amountMinor: '1200000', currency: 'SEK', show: 'code' } } });
  }
  const preferred = candidates[0];
  if (preferred === undefined) throw conflict(shared.map((s) => s.text).join(' and '));
  return preferred;
}

// ---------------------------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------------------------

function groupDigits(digits: string): string {
  // Most figures on a card have at most three digits: no regex pass for them (hot in per-rep lists).
  return digits.length <= 3 ? digits : digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** a / b for b > 0, rounded half away from zero. */
function divRound(a: bigint, b: bigint): bigint {
  const q = a / b;
  const r = a % b;
  const absR = r < 0n ? -r : r;
  if (absR * 2n >= b) return a < 0n ? q - 1n : q + 1n;
  return q;
}

function withCurrency(body: string, cur: TCurrency, negative: boolean): string {
  const sign = negative ? '-' : '';
  if (cur.display === 'prefix') return `${sign}${cur.symbol}${body}`;
  if (cur.display === 'suffix') return `${sign}${body} ${cur.symbol}`;
  return `${sign}${body} ${cur.code}`;
}

const COMPACT_UNITS = [
  { suffix: 'T', exp: 12 },
  { suffix: 'B', exp: 9 },
  { suffix: 'M', exp: 6 },
  { suffix: 'k', exp: 3 },
] as const;

/**
 * An amount for people. Exact for any bigint in normal mode; `compact` rounds to one decimal
 * (half away from zero) with k/M/B/T and drops a trailing `.0`. Amounts under 1,000 are never
 * compacted.
 *
 * @example
 * formatMoney(1200000n, 'USD'); // '$12,000'
 * formatMoney(1200050n, 'USD'); // '$12,000.50'
 * formatMoney(300000000n, 'VND'); // '300,000,000 ₫'
 * formatMoney(1200000n, 'CHF'); // '12,000 CHF'
 * formatMoney(1200500n, 'KWD'); // '1,200.500 KWD'
 * formatMoney(-120000n, 'USD'); // '-$1,200'
 * formatMoney(150000000n, 'USD', { compact: true }); // '$1.5M'
 * formatMoney(3600000000n, 'VND', { compact: true }); // '3.6B ₫'
 */
export function formatMoney(amountMinor: bigint, currency: string, opts: { compact?: boolean } = {}): string {
  const cur = currencyOrThrow(currency);
  const negative = amountMinor < 0n;
  const abs = negative ? -amountMinor : amountMinor;
  const scale = 10n ** BigInt(cur.decimals);

  if (opts.compact) {
    const major = abs / scale;
    // Largest unit not above the amount; 999,960 rounds to 1000.0k, so then move up to 1M.
    let idx = COMPACT_UNITS.findIndex((u) => major >= 10n ** BigInt(u.exp));
    if (idx >= 0) {
      const tenthsIn = (i: number) => divRound(abs * 10n, scale * 10n ** BigInt(COMPACT_UNITS[i]?.exp ?? 0));
      let tenths = tenthsIn(idx);
      if (tenths >= 10000n && idx > 0) tenths = tenthsIn(--idx);
      const whole = tenths / 10n;
      const dec = tenths % 10n;
      const body = `${groupDigits(whole.toString())}${dec === 0n ? '' : `.${dec}`}${COMPACT_UNITS[idx]?.suffix ?? ''}`;
      return withCurrency(body, cur, negative);
    }
  }

  const whole = abs / scale;
  const frac = abs % scale;
  // A 3-decimal currency always shows its decimals: `1,200 KWD` would read back as ambiguous.
  const body =
    frac === 0n && cur.decimals !== 3 ? groupDigits(whole.toString()) : `${groupDigits(whole.toString())}.${frac.toString().padStart(cur.decimals, '0')}`;
  return withCurrency(body, cur, negative);
}

/**
 * A ratio as a percentage with fixed decimals (SPEC: one decimal), rounded half away from zero.
 * Missing or non-finite ratios read `n/a`.
 *
 * @example
 * formatPercent(0.375); // '37.5%'
 * formatPercent(0.4); // '40.0%'
 * formatPercent(2 / 3, 0); // '67%'
 * formatPercent(null); // 'n/a'
 */
export function formatPercent(ratio: number | null | undefined, digits = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return 'n/a';
  const d = Math.min(6, Math.max(0, Math.trunc(digits)));
  // Round the decimal text of ratio×100 (12 significant digits) so 0.0125 → 1.3%, not 1.2%.
  const pct = Number((ratio * 100).toPrecision(12));
  const factor = 10 ** d;
  const scaled = Math.round(Math.abs(pct) * factor);
  const sign = pct < 0 && scaled > 0 ? '-' : '';
  if (scaled < 1e15) {
    // The rounded value's digits straight from the integer (what toFixed would print), without
    // string splitting: a card formats a percentage per rep.
    const frac = scaled % factor;
    const whole = groupDigits(String((scaled - frac) / factor));
    return d === 0 ? `${sign}${whole}%` : `${sign}${whole}.${String(frac).padStart(d, '0')}%`;
  }
  const [intPart = '0', fracPart] = (scaled / factor).toFixed(d).split('.');
  return `${sign}${groupDigits(intPart)}${fracPart === undefined ? '' : `.${fracPart}`}%`;
}

const COUNT_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/**
 * A count with thousands separators; non-finite numbers read `n/a`.
 *
 * @example
 * formatCount(8800); // '8,800'
 * formatCount(0); // '0'
 */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  // Whole counts (nearly every call: a card formats each rep's won and closed counts) without
  // Intl: the same text as en-US's format (`-1,234`), several times cheaper.
  if (Number.isSafeInteger(n)) return n < 0 ? `-${groupDigits(String(-n))}` : groupDigits(String(n === 0 ? 0 : n));
  return COUNT_FORMAT.format(n);
}

// ---------------------------------------------------------------------------------------------
// Conversion
// ---------------------------------------------------------------------------------------------

/** A finite number as an exact decimal `digits / 10^scale` (from its shortest round-trip text). */
function exactDecimal(n: number): { digits: bigint; scale: number } {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(n));
  if (!m) throw new RangeError(`not a finite number: ${n}`);
  const [, sign = '', int = '0', frac = '', e = '0'] = m;
  const digits = BigInt(`${sign}${int}${frac}`);
  return { digits, scale: frac.length - Number(e) };
}

/** digits / 10^scale × 10^shift, rounded half away from zero to an integer. */
function scaleRound(digits: bigint, scale: number, shift: number): bigint {
  const e = shift - scale;
  return e >= 0 ? digits * 10n ** BigInt(e) : divRound(digits, 10n ** BigInt(-e));
}

/**
 * Converts minor units of one currency to another, where 1 unit of `fromCurrency` = `rate` units of
 * `toCurrency`. The rate is taken as the exact decimal it prints as (25400.5 is 254005/10), decimals
 * of both currencies are respected, and the result is rounded half away from zero. The same currency
 * returns the amount unchanged (rate ignored). A rate that is not a positive number throws NO_RATE.
 *
 * @example
 * convertMinor(1000n, 'USD', 'VND', 25000); // 250000n ($10.00 → 250,000 ₫)
 * convertMinor(250000n, 'VND', 'USD', 0.00004); // 1000n
 * convertMinor(1000n, 'EUR', 'USD', 1.085); // 1085n
 * convertMinor(999n, 'USD', 'USD', 3); // 999n
 */
export function convertMinor(amountMinor: bigint, fromCurrency: string, toCurrency: string, rate: number): bigint {
  const from = currencyOrThrow(fromCurrency);
  const to = currencyOrThrow(toCurrency);
  if (from.code === to.code) return amountMinor;
  if (!Number.isFinite(rate) || rate <= 0) {
    throw new AppError('NO_RATE', `The conversion rate from ${from.code} to ${to.code} must be a positive number, not ${rate}.`, {
      example: `1 ${from.code} = 1.08 ${to.code}`,
      i18n: { key: 'error.money.ratePositive', values: { from: from.code, to: to.code, rate: String(rate) } },
    });
  }
  const r = exactDecimal(rate);
  // amount/10^decF × r.digits/10^r.scale × 10^decT
  return scaleRound(amountMinor * r.digits, r.scale + from.decimals, to.decimals);
}

/**
 * Minor units as a JS number of major units, for charts and ratios only (never for storage).
 *
 * @example
 * minorToMajor(1200050n, 'USD'); // 12000.5
 * minorToMajor(800000000n, 'VND'); // 800000000
 */
export function minorToMajor(amountMinor: bigint, currency: string): number {
  const d = currencyDecimals(currency);
  return d === 0 ? Number(amountMinor) : Number(amountMinor) / 10 ** d;
}

/**
 * Major units (a JS number) to minor units, from the number's decimal text so `1.005` dollars is
 * 101 cents (half away from zero), not 100 as `Math.round(1.005 * 100)` gives. Throws
 * INVALID_AMOUNT for non-finite input.
 *
 * @example
 * majorToMinor(12000.5, 'USD'); // 1200050n
 * majorToMinor(1.005, 'USD'); // 101n
 * majorToMinor(800000000, 'VND'); // 800000000n
 */
export function majorToMinor(major: number, currency: string): bigint {
  const d = currencyDecimals(currency);
  if (!Number.isFinite(major)) throw amountError(`${major} is not an amount.`, exampleFor(currency), { key: 'error.refusals.notANumber', values: { value: String(major) } });
  const { digits, scale } = exactDecimal(major);
  return scaleRound(digits, scale, d);
}

/**
 * Plain decimal text from a machine (a CRM export or API: `1234.56`, `1,234.56`, `-12`) to minor
 * units of `currency`, exactly: BigInt arithmetic, never a float. The dot is always the decimal
 * point; commas may only group thousands (every 3 digits). Digits beyond the currency's decimals
 * are rounded half away from zero (`0.125` USD → 13 cents). Refused with INVALID_AMOUNT: garbage,
 * an exponent, several dots, badly placed commas (`12,50`, `1.234,56`), more than 40 digits; with
 * AMBIGUOUS: `1,200` in a 3-decimal currency (thousands, or a decimal comma?). Unknown currencies
 * throw UNKNOWN_CURRENCY. The text must be the number alone (no symbol or code).
 *
 * @example decimalTextToMinor('1,234.56', 'USD') // 123456n
 * @example decimalTextToMinor('1234567.5', 'COP') // 123456750n
 * @example decimalTextToMinor('1.2345', 'KWD') // 1235n
 * @example decimalTextToMinor('12,50', 'EUR') // throws AppError INVALID_AMOUNT
 */
export function decimalTextToMinor(text: string, currency: string): bigint {
  const cur = currencyOrThrow(currency);
  const t = text.trim();
  const example = cur.decimals === 0 ? '1234567' : `1234.${'5'.padEnd(cur.decimals, '0')}`;
  const m = /^([-+]?)(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d+))?$/.exec(t);
  if (!m || (m[2] === undefined && m[3] === undefined) || t.length > 40) {
    // Machine text (a CRM export's column): the dot-decimal example is the syntax, in every language.
    throw new AppError('INVALID_AMOUNT', `"${t}" is not a plain number: write digits with a dot for decimals, as in ${example} (commas only every 3 digits).`, {
      example,
      i18n: { key: 'error.refusals.notPlainNumber', values: { typed: t, example } },
    });
  }
  const [, sign = '', intPart = '0', frac = ''] = m;
  if (cur.decimals === 3 && intPart.includes(',') && frac === '') {
    const plain = intPart.replace(/,/g, '');
    throw new AppError('AMBIGUOUS', `"${t}" is ambiguous in ${cur.code}, which has 3 decimals: write ${plain} without commas, or ${plain}.000.`, {
      example,
      i18n: { key: 'error.refusals.plainAmbiguous', values: { typed: t, currency: cur.code, plain } },
    });
  }
  const digits = BigInt(`${intPart.replace(/,/g, '')}${frac}`);
  const minor = scaleRound(digits, frac.length, cur.decimals);
  return sign === '-' ? -minor : minor;
}
