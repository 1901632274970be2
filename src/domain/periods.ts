import { tzOffset } from '@date-fns/tz';
import { AppError } from '../errors.js';

/**
 * Reporting periods (SPEC §3).
 *
 * Boundaries are local midnights in the workspace's IANA time zone, turned into UTC instants, so a
 * week containing a DST change is 167 or 169 hours long and a month always starts at local 00:00
 * (or at the first instant of the day where midnight itself is skipped). `end` is exclusive: the
 * end of one period is the start of the next.
 *
 * Fiscal years: with `fiscalYearStartMonth` = 1 quarters and years are calendar ones (`2026-Q3`,
 * `2026`). With any other start month a fiscal year is named by the calendar year in which it ends
 * (start April: Apr 2026 – Mar 2027 is `FY2027`, its first quarter `FY2027-Q1`), and in typed input
 * a bare year or year-quarter names the fiscal year: `2026` = FY2026, `2026-Q3` = FY2026-Q3.
 */

export type TPeriodKind = 'day' | 'week' | 'month' | 'quarter' | 'year' | 'ytd' | 'rolling';

/** Kinds that tile the time line, usable with `periodOf` and `trailingPeriods`. */
export type TCalendarKind = 'day' | 'week' | 'month' | 'quarter' | 'year';

export interface TPeriod {
  /** Stable machine key: `2026-11`, `2026-Q3`, `FY2027-Q1`, `2026-W48`, `2026`, `FY2027`, `2026-11-27`, `ytd-2026`, `last30-2026-11-27`. */
  key: string;
  kind: TPeriodKind;
  /** For Slack: `November 2026`, `Q3 2026 (Jul 1 – Sep 30)`, `week of Nov 23, 2026`, … */
  label: string;
  /** Inclusive UTC instant. */
  start: Date;
  /** Exclusive UTC instant. */
  end: Date;
  timeZone: string;
}

export interface TPeriodContext {
  now: Date;
  /** IANA time zone of the workspace. */
  timeZone: string;
  /** 1–12; 1 = calendar years. */
  fiscalYearStartMonth: number;
}

export interface TLocalParts {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 1 = Monday … 7 = Sunday */
  isoWeekday: number;
}

const DAY_MS = 86_400_000;
const MONTHS_LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTHS_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS_SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MAX_ROLLING_DAYS = 366;

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

const validZones = new Set<string>();

function assertTimeZone(timeZone: string): void {
  if (validZones.has(timeZone)) return;
  let ok = timeZone.trim() !== '';
  if (ok) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
    } catch {
      ok = false;
    }
  }
  if (!ok || !Number.isFinite(tzOffset(timeZone, new Date(0)))) {
    throw new AppError('INVALID_INPUT', `"${timeZone}" is not a time zone I know. Use an IANA name such as Europe/Berlin or Asia/Ho_Chi_Minh.`, {
      example: 'Europe/Berlin',
      i18n: { key: 'error.time.zone', values: { zone: timeZone }, examples: { vi: 'Asia/Ho_Chi_Minh', 'zh-CN': 'Asia/Shanghai' } },
    });
  }
  validZones.add(timeZone);
}

function assertInstant(d: Date, what: string): number {
  const t = d instanceof Date ? d.getTime() : Number.NaN;
  if (!Number.isFinite(t)) throw new AppError('INVALID_INPUT', `The ${what} is not a valid date.`, { example: '2026-11-23' });
  return t;
}

function assertContext(ctx: TPeriodContext): void {
  assertTimeZone(ctx.timeZone);
  assertInstant(ctx.now, 'current time');
  const f = ctx.fiscalYearStartMonth;
  if (!Number.isInteger(f) || f < 1 || f > 12) {
    throw new AppError('INVALID_INPUT', `The fiscal year start month must be a month number from 1 to 12, not ${f}.`, {
      example: '4',
      i18n: { key: 'error.time.fiscalStart', values: { month: String(f) } },
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Civil dates (days since 1970-01-01 of a local calendar date) and zone arithmetic
// ---------------------------------------------------------------------------------------------

interface TYmd {
  y: number;
  m: number;
  d: number;
}

function daysOf(y: number, m: number, d: number): number {
  return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
}

function ymdOf(days: number): TYmd {
  const dt = new Date(days * DAY_MS);
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
}

/** 1 = Monday … 7 = Sunday. Day 0 (1970-01-01) was a Thursday. */
function isoWeekdayOf(days: number): number {
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function addMonths(y: number, m: number, n: number): { y: number; m: number } {
  const idx = y * 12 + (m - 1) + n;
  return { y: Math.floor(idx / 12), m: (((idx % 12) + 12) % 12) + 1 };
}

/**
 * Offsets already looked up, by zone and instant: a period is resolved from the same few
 * boundaries again and again (every answer for "this month" asks for the same midnights), and
 * each look-up formats a date through Intl. A zone's offset at an instant never changes within a
 * process; the map is emptied when it grows large.
 */
const offsetsSeen = new Map<string, Map<number, number>>();
let offsetsCount = 0;
const OFFSETS_KEPT = 20_000;

function offsetMs(timeZone: string, t: number): number {
  let zone = offsetsSeen.get(timeZone);
  const known = zone?.get(t);
  if (known !== undefined) return known;
  const offset = Math.round(tzOffset(timeZone, new Date(t)) * 60_000);
  if (offsetsCount >= OFFSETS_KEPT) {
    offsetsSeen.clear();
    offsetsCount = 0;
    zone = undefined;
  }
  if (!zone) offsetsSeen.set(timeZone, (zone = new Map()));
  zone.set(t, offset);
  offsetsCount++;
  return offset;
}

function localMs(t: number, timeZone: string): number {
  return t + offsetMs(timeZone, t);
}

function localDays(t: number, timeZone: string): number {
  return Math.floor(localMs(t, timeZone) / DAY_MS);
}

/**
 * UTC ms of a local wall-clock time. Ambiguous (fall back): the earlier instant. Nonexistent
 * (spring forward gap): the first instant after it, i.e. the moment the clocks jump.
 */
function wallToUtc(y: number, m: number, d: number, hour: number, minute: number, timeZone: string): number {
  const wall = Date.UTC(y, m - 1, d, hour, minute);
  const offsets = new Set([offsetMs(timeZone, wall - DAY_MS), offsetMs(timeZone, wall), offsetMs(timeZone, wall + DAY_MS)]);
  const valid = [...offsets].map((o) => wall - o).filter((t) => localMs(t, timeZone) === wall);
  if (valid.length > 0) return Math.min(...valid);
  // In a gap: binary search the first instant whose local time is at or after the wall time.
  const candidates = [...offsets].map((o) => wall - o);
  let lo = Math.min(...candidates);
  let hi = Math.max(...candidates);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localMs(mid, timeZone) >= wall) hi = mid;
    else lo = mid;
  }
  return localMs(lo, timeZone) >= wall ? lo : hi;
}

function startOfDay(days: number, timeZone: string): Date {
  const { y, m, d } = ymdOf(days);
  return new Date(wallToUtc(y, m, d, 0, 0, timeZone));
}

/**
 * Local calendar fields of an instant in a time zone.
 *
 * @example
 * localParts(new Date('2026-11-23T08:00:00Z'), 'Europe/Berlin');
 * // { year: 2026, month: 11, day: 23, hour: 9, minute: 0, isoWeekday: 1 }
 */
export function localParts(instant: Date, timeZone: string): TLocalParts {
  assertTimeZone(timeZone);
  const t = assertInstant(instant, 'time');
  const local = new Date(localMs(t, timeZone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    isoWeekday: isoWeekdayOf(Math.floor(local.getTime() / DAY_MS)),
  };
}

/**
 * The UTC instant of a local wall-clock time in a zone. A time skipped by a spring-forward change
 * gives the first valid instant after it (the moment clocks jump); a time repeated by a fall-back
 * change gives the earlier of the two. Bad dates, times or zones throw INVALID_INPUT.
 *
 * @example
 * zonedDateTime('2026-11-23', '09:00', 'Europe/Berlin'); // 2026-11-23T08:00:00.000Z
 * zonedDateTime('2026-03-08', '02:30', 'America/New_York'); // 2026-03-08T07:00:00.000Z (03:00 EDT)
 * zonedDateTime('2026-11-01', '01:30', 'America/New_York'); // 2026-11-01T05:30:00.000Z (01:30 EDT)
 */
export function zonedDateTime(isoDate: string, hhmm: string, timeZone: string): Date {
  assertTimeZone(timeZone);
  const dm = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate.trim());
  const y = Number(dm?.[1]);
  const m = Number(dm?.[2]);
  const d = Number(dm?.[3]);
  if (!dm || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) {
    throw new AppError('INVALID_INPUT', `"${isoDate}" is not a date in the form YYYY-MM-DD.`, { example: '2026-11-23', i18n: { key: 'error.time.dateForm', values: { input: isoDate } } });
  }
  const tm = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  const hour = Number(tm?.[1]);
  const minute = Number(tm?.[2]);
  if (!tm || hour > 23 || minute > 59) {
    throw new AppError('INVALID_INPUT', `"${hhmm}" is not a time in the form HH:MM (24-hour clock).`, { example: '09:00', i18n: { key: 'error.time.hhmm', values: { input: hhmm } } });
  }
  return new Date(wallToUtc(y, m, d, hour, minute, timeZone));
}

/**
 * An instant for people, in the given zone, naming the zone.
 *
 * @example
 * formatInstant(new Date('2026-11-23T08:00:00Z'), 'Europe/Berlin'); // 'Mon, Nov 23, 2026 09:00 (Europe/Berlin)'
 */
export function formatInstant(d: Date, timeZone: string): string {
  const p = localParts(d, timeZone);
  const hh = String(p.hour).padStart(2, '0');
  const mm = String(p.minute).padStart(2, '0');
  return `${WEEKDAYS_SHORT[p.isoWeekday - 1]}, ${MONTHS_SHORT[p.month - 1]} ${p.day}, ${p.year} ${hh}:${mm} (${timeZone})`;
}

// ---------------------------------------------------------------------------------------------
// Labels and keys
// ---------------------------------------------------------------------------------------------

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function isoDateKey(days: number): string {
  const { y, m, d } = ymdOf(days);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

function shortDate(days: number, withYear: boolean): string {
  const { y, m, d } = ymdOf(days);
  return `${MONTHS_SHORT[m - 1]} ${d}${withYear ? `, ${y}` : ''}`;
}

/**
 * `Jul 1 – Sep 30`; years on both ends when they differ (`Nov 1, 2026 – Jan 31, 2027`), at the end
 * when `year` is 'always', never when 'never' (the year is already in the name).
 */
function rangeText(startDays: number, lastDays: number, year: 'always' | 'never' | 'auto', currentYear: number): string {
  const a = ymdOf(startDays);
  const b = ymdOf(lastDays);
  if (a.y !== b.y) return `${shortDate(startDays, true)} – ${shortDate(lastDays, true)}`;
  const showYear = year === 'always' || (year === 'auto' && a.y !== currentYear);
  return `${shortDate(startDays, false)} – ${shortDate(lastDays, showYear)}`;
}

// ---------------------------------------------------------------------------------------------
// Period builders
// ---------------------------------------------------------------------------------------------

interface TResolved {
  tz: string;
  fiscal: number;
  todayDays: number;
}

function resolve(ctx: TPeriodContext, timeZone = ctx.timeZone): TResolved {
  assertContext(ctx);
  assertTimeZone(timeZone);
  return { tz: timeZone, fiscal: ctx.fiscalYearStartMonth, todayDays: localDays(ctx.now.getTime(), timeZone) };
}

function make(r: TResolved, kind: TPeriodKind, key: string, label: string, startDays: number, endDays: number): TPeriod {
  return { key, kind, label, start: startOfDay(startDays, r.tz), end: startOfDay(endDays, r.tz), timeZone: r.tz };
}

function fiscalYearOf(r: TResolved, y: number, m: number): number {
  return r.fiscal === 1 || m < r.fiscal ? y : y + 1;
}

function fiscalYearStart(r: TResolved, fy: number): { y: number; m: number } {
  return { y: r.fiscal === 1 ? fy : fy - 1, m: r.fiscal };
}

function fiscalQuarterOf(r: TResolved, m: number): number {
  return Math.floor((((m - r.fiscal) % 12) + 12) % 12 / 3) + 1;
}

function fyName(r: TResolved, fy: number): string {
  return r.fiscal === 1 ? String(fy) : `FY${fy}`;
}

function buildDay(r: TResolved, days: number): TPeriod {
  const date = shortDate(days, true);
  const label =
    days === r.todayDays
      ? `today (${date})`
      : days === r.todayDays - 1
        ? `yesterday (${date})`
        : `${WEEKDAYS_SHORT[isoWeekdayOf(days) - 1]}, ${date}`;
  return make(r, 'day', isoDateKey(days), label, days, days + 1);
}

function isoWeekOf(days: number): { isoYear: number; week: number; monday: number } {
  const monday = days - (isoWeekdayOf(days) - 1);
  const isoYear = ymdOf(monday + 3).y;
  const jan4 = daysOf(isoYear, 1, 4);
  const week1Monday = jan4 - (isoWeekdayOf(jan4) - 1);
  return { isoYear, week: (monday - week1Monday) / 7 + 1, monday };
}

function buildWeek(r: TResolved, days: number): TPeriod {
  const { isoYear, week, monday } = isoWeekOf(days);
  return make(r, 'week', `${isoYear}-W${pad2(week)}`, `week of ${shortDate(monday, true)}`, monday, monday + 7);
}

function buildMonth(r: TResolved, y: number, m: number): TPeriod {
  const next = addMonths(y, m, 1);
  return make(r, 'month', `${y}-${pad2(m)}`, `${MONTHS_LONG[m - 1]} ${y}`, daysOf(y, m, 1), daysOf(next.y, next.m, 1));
}

function buildQuarter(r: TResolved, fy: number, q: number): TPeriod {
  const fyStart = fiscalYearStart(r, fy);
  const s = addMonths(fyStart.y, fyStart.m, 3 * (q - 1));
  const e = addMonths(s.y, s.m, 3);
  const startDays = daysOf(s.y, s.m, 1);
  const endDays = daysOf(e.y, e.m, 1);
  const calendar = r.fiscal === 1;
  const key = calendar ? `${fy}-Q${q}` : `FY${fy}-Q${q}`;
  const label = `Q${q} ${fyName(r, fy)} (${rangeText(startDays, endDays - 1, calendar ? 'never' : 'always', 0)})`;
  return make(r, 'quarter', key, label, startDays, endDays);
}

function buildYear(r: TResolved, fy: number): TPeriod {
  const s = fiscalYearStart(r, fy);
  const startDays = daysOf(s.y, s.m, 1);
  const endDays = daysOf(s.y + 1, s.m, 1);
  const label = r.fiscal === 1 ? String(fy) : `FY${fy} (${rangeText(startDays, endDays - 1, 'always', 0)})`;
  return make(r, 'year', fyName(r, fy), label, startDays, endDays);
}

/** Fiscal year `fy` from its first day through `lastDays` (inclusive). */
function buildYtd(r: TResolved, fy: number, lastDays: number): TPeriod {
  const s = fiscalYearStart(r, fy);
  const startDays = daysOf(s.y, s.m, 1);
  const name = fyName(r, fy);
  const label =
    lastDays === r.todayDays
      ? `${name} year to date`
      : `${name} year to date (${rangeText(startDays, lastDays, 'always', 0)})`;
  return make(r, 'ytd', `ytd-${name}`, label, startDays, lastDays + 1);
}

/** The `n` days ending with `lastDays` (inclusive). */
function buildRolling(r: TResolved, n: number, lastDays: number): TPeriod {
  const startDays = lastDays - n + 1;
  const currentYear = ymdOf(r.todayDays).y;
  const range = n === 1 ? shortDate(lastDays, ymdOf(lastDays).y !== currentYear) : rangeText(startDays, lastDays, 'auto', currentYear);
  const days = n === 1 ? '1 day' : `${n} days`;
  const label = lastDays === r.todayDays ? `last ${days} (${range})` : `${days} (${range})`;
  return make(r, 'rolling', `last${n}-${isoDateKey(lastDays)}`, label, startDays, lastDays + 1);
}

function buildOf(r: TResolved, kind: TCalendarKind, days: number): TPeriod {
  const { y, m } = ymdOf(days);
  switch (kind) {
    case 'day':
      return buildDay(r, days);
    case 'week':
      return buildWeek(r, days);
    case 'month':
      return buildMonth(r, y, m);
    case 'quarter':
      return buildQuarter(r, fiscalYearOf(r, y, m), fiscalQuarterOf(r, m));
    case 'year':
      return buildYear(r, fiscalYearOf(r, y, m));
    default: {
      const never: never = kind;
      throw new AppError('INVALID_PERIOD', `Unknown period kind ${String(never)}.`, { example: 'this month' });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/**
 * The period of a kind (day, ISO week, month, fiscal quarter, fiscal year) that contains an instant,
 * with boundaries at local midnights of `ctx.timeZone`.
 *
 * @example
 * const ctx = { now: new Date('2026-11-27T12:00:00Z'), timeZone: 'Europe/Berlin', fiscalYearStartMonth: 1 };
 * periodOf('week', ctx.now, ctx);
 * // { key: '2026-W48', label: 'week of Nov 23, 2026', start: 2026-11-22T23:00:00.000Z, end: 2026-11-29T23:00:00.000Z, … }
 * periodOf('quarter', ctx.now, { ...ctx, fiscalYearStartMonth: 4 }).key; // 'FY2027-Q3'
 */
export function periodOf(kind: TCalendarKind, instant: Date, ctx: TPeriodContext): TPeriod {
  const r = resolve(ctx);
  return buildOf(r, kind, localDays(assertInstant(instant, 'time'), r.tz));
}

const MONTH_NAMES: ReadonlyMap<string, number> = new Map([
  ...MONTHS_LONG.map((name, i) => [name.toLowerCase(), i + 1] as const),
  ...MONTHS_SHORT.map((name, i) => [name.toLowerCase(), i + 1] as const),
  ['sept', 9] as const,
]);

const ACCEPTED_FORMS =
  'today, yesterday, this week, last week, this month, last month, this quarter, last quarter, this year, last year, ytd, last 30 days, 2026-11, nov 2026, 2026-Q3, Q3, 2026 or FY2027';

/** The examples of period errors in Vietnamese and Chinese (the others are the same in every language). */
const LOCAL_EXAMPLES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'last month': { vi: 'tháng trước', 'zh-CN': '上月' },
  'last 30 days': { vi: '30 ngày qua', 'zh-CN': '最近30天' },
};

/** An INVALID_PERIOD error with its catalog key (`error.period.*`) and raw values. */
function invalidPeriod(message: string, example: string, key: string, values: Readonly<Record<string, string>>): AppError {
  const examples = LOCAL_EXAMPLES[example];
  return new AppError('INVALID_PERIOD', message, { example, i18n: { key, values, ...(examples ? { examples } : {}) } });
}

function checkYear(y: number, input: string): number {
  if (y < 1900 || y > 2999) throw invalidPeriod(`"${input}" names a year I can't report on. Use a year such as 2026.`, '2026', 'error.period.year', { input });
  return y;
}

function checkQuarter(q: number, input: string): number {
  if (q < 1 || q > 4) throw invalidPeriod(`"${input}": a year has quarters Q1 to Q4 only.`, '2026-Q3', 'error.period.quarter', { input });
  return q;
}

/**
 * Reads a period typed in Slack (case-insensitive, extra spaces ignored). Empty input is
 * `this month`.
 *
 * Accepted: `today`, `yesterday`, `this|last week` (ISO, Monday start), `this|last month`,
 * `this|last quarter`, `this|last year`, `ytd` (fiscal year start through today), `last N days`
 * (N = 1…366, ending today), `2026-11`, `november`/`nov 2026` (without a year: the latest such
 * month that has begun), `2026-Q3`/`2026 q3`/`Q3 2026`, `Q3` (of the current fiscal year), `2026`,
 * `FY2027`, `FY2027-Q1`, and the keys `2026-11-27` and `2026-W48`.
 * With a fiscal start other than January, `2026` and `2026-Q3` name fiscal year 2026 (the one
 * ending in 2026). Anything else throws INVALID_PERIOD listing the accepted forms.
 *
 * @example
 * const ctx = { now: new Date('2026-11-27T12:00:00Z'), timeZone: 'UTC', fiscalYearStartMonth: 1 };
 * parsePeriod('last 30 days', ctx).label; // 'last 30 days (Oct 29 – Nov 27)'
 * parsePeriod('2026-Q3', ctx).label; // 'Q3 2026 (Jul 1 – Sep 30)'
 * parsePeriod('this year', { ...ctx, fiscalYearStartMonth: 4 }).key; // 'FY2027'
 */
export function parsePeriod(input: string, ctx: TPeriodContext): TPeriod {
  const r = resolve(ctx);
  const s = localPeriodWords(input.toLowerCase().replace(/\s+/g, ' ').trim());
  const today = r.todayDays;
  const { y: ty, m: tm } = ymdOf(today);
  let m: RegExpExecArray | null;

  if (s === '' || s === 'this month' || s === 'current month') return buildMonth(r, ty, tm);
  if (s === 'today') return buildDay(r, today);
  if (s === 'yesterday') return buildDay(r, today - 1);
  if (s === 'ytd' || s === 'year to date') return buildYtd(r, fiscalYearOf(r, ty, tm), today);

  if ((m = /^(this|current|last|previous) (week|month|quarter|year)$/.exec(s))) {
    const current = buildOf(r, m[2] as TCalendarKind, today);
    return m[1] === 'this' || m[1] === 'current' ? current : previousPeriod(current, ctx);
  }
  if ((m = /^(?:last|past) (\d+) days?$/.exec(s))) {
    const n = Number(m[1]);
    if (n < 1 || n > MAX_ROLLING_DAYS) throw invalidPeriod(`Rolling periods run from 1 to ${MAX_ROLLING_DAYS} days, not ${n}.`, 'last 30 days', 'error.period.rolling', { max: String(MAX_ROLLING_DAYS), n: String(n) });
    return buildRolling(r, n, today);
  }
  if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s))) {
    const [y, mo, d] = [checkYear(Number(m[1]), input), Number(m[2]), Number(m[3])];
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) throw invalidPeriod(`"${input}" is not a date on the calendar.`, '2026-11-27', 'error.period.notDate', { input });
    return buildDay(r, daysOf(y, mo, d));
  }
  if ((m = /^(\d{4})-(\d{1,2})$/.exec(s))) {
    const [y, mo] = [checkYear(Number(m[1]), input), Number(m[2])];
    if (mo < 1 || mo > 12) throw invalidPeriod(`"${input}": months run from 01 to 12.`, '2026-11', 'error.period.month', { input });
    return buildMonth(r, y, mo);
  }
  if ((m = /^(\d{4})-?w(\d{1,2})$/.exec(s))) {
    const [y, w] = [checkYear(Number(m[1]), input), Number(m[2])];
    const jan4 = daysOf(y, 1, 4);
    const monday = jan4 - (isoWeekdayOf(jan4) - 1) + 7 * (w - 1);
    if (w < 1 || isoWeekOf(monday).isoYear !== y) throw invalidPeriod(`"${input}": ${y} has no ISO week ${w}.`, `${y}-W01`, 'error.period.week', { input, year: String(y), week: String(w) });
    return buildWeek(r, monday);
  }
  if ((m = /^(?:fy ?)?(\d{4}) ?[- ]? ?q(\d)$/.exec(s)) ?? (m = /^q(\d) ?[- ]? ?(?:fy ?)?(\d{4})$/.exec(s))) {
    const yearFirst = /^(?:fy ?)?\d{4}/.test(s);
    const fy = checkYear(Number(yearFirst ? m[1] : m[2]), input);
    return buildQuarter(r, fy, checkQuarter(Number(yearFirst ? m[2] : m[1]), input));
  }
  if ((m = /^q(\d)$/.exec(s))) return buildQuarter(r, fiscalYearOf(r, ty, tm), checkQuarter(Number(m[1]), input));
  if ((m = /^(?:fy ?-?)?(\d{4})$/.exec(s))) return buildYear(r, checkYear(Number(m[1]), input));
  if ((m = /^([a-z]+)(?: ?-? ?(\d{4}))?$/.exec(s))) {
    const mo = MONTH_NAMES.get(m[1] ?? '');
    if (mo !== undefined) {
      const y = m[2] !== undefined ? checkYear(Number(m[2]), input) : mo <= tm ? ty : ty - 1;
      return buildMonth(r, y, mo);
    }
  }
  throw invalidPeriod(`I didn't understand the period "${input.trim()}". Try ${ACCEPTED_FORMS}.`, 'last month', 'error.period.notUnderstood', { input: input.trim() });
}

/**
 * The period words Vietnamese and Chinese sales people type, as the English forms `parsePeriod`
 * reads (issue #12): `tháng này` → `this month`, `quý trước` → `last quarter`, `本月` → `this month`,
 * `上季度` → `last quarter`, `最近30天` → `last 30 days`. Anything else is returned unchanged.
 *
 * @example
 * localPeriodWords('quý trước'); // 'last quarter'
 * localPeriodWords('上个月'); // 'last month'
 * localPeriodWords('30 ngày qua'); // 'last 30 days'
 */
export function localPeriodWords(s: string): string {
  const t = s.normalize('NFC').trim().replace(/\s+/g, ' ');
  const fixed = LOCAL_PERIOD_WORDS.get(t) ?? UNMARKED_PERIOD_WORDS.get(withoutMarks(t));
  if (fixed) return fixed;
  let m: RegExpExecArray | null;
  // Vietnamese, read with or without diacritics: `30 ngày qua`, `tháng 11/2026`, `quý 3 năm 2026`.
  const bare = withoutMarks(t);
  if ((m = /^(\d{1,3}) ngay (?:qua|gan nhat|gan day)$/.exec(bare))) return `last ${m[1]} days`;
  if ((m = /^thang (\d{1,2})(?: ?[/-] ?| nam | )(\d{4})$/.exec(bare))) return `${m[2]}-${m[1]!.padStart(2, '0')}`;
  if ((m = /^thang (\d{1,2})$/.exec(bare)) && Number(m[1]) >= 1 && Number(m[1]) <= 12) return MONTH_WORDS[Number(m[1]) - 1]!;
  if ((m = /^quy (\d)(?: ?[/-] ?| nam | )(\d{4})$/.exec(bare))) return `${m[2]}-q${m[1]}`;
  if ((m = /^quy (\d)$/.exec(bare))) return `q${m[1]}`;
  if ((m = /^q(\d) ?\/ ?(\d{4})$/.exec(bare))) return `${m[2]}-q${m[1]}`;
  if ((m = /^nam (\d{4})$/.exec(bare))) return m[1]!;
  // Chinese, spaces ignored: `最近30天`, `2026年11月`, `十一月`, `2026年第三季度`, `Q3`, `2026年`.
  const zh = t.replace(/\s+/g, '');
  if ((m = /^(?:最近|近|过去)(\d{1,3})天$/.exec(zh))) return `last ${m[1]} days`;
  if ((m = /^(\d{4})年(\d{1,2}|[一二三四五六七八九十]{1,3})月(?:份)?$/.exec(zh))) {
    const mo = chineseNumber(m[2]!);
    if (mo !== null) return `${m[1]}-${String(mo).padStart(2, '0')}`;
  }
  if ((m = /^(\d{1,2}|[一二三四五六七八九十]{1,3})月(?:份)?$/.exec(zh))) {
    const mo = chineseNumber(m[1]!);
    if (mo !== null && mo >= 1 && mo <= 12) return MONTH_WORDS[mo - 1]!;
  }
  if ((m = /^(\d{4})年(?:第([1-4一二三四])季度?|q([1-4]))$/.exec(zh))) return `${m[1]}-q${chineseNumber(m[2] ?? m[3]!)}`;
  if ((m = /^(?:第)?([1-4一二三四])季度$/.exec(zh))) return `q${chineseNumber(m[1]!)}`;
  if ((m = /^(\d{4})年(?:度)?$/.exec(zh))) return m[1]!;
  return s;
}

/** Month words `parsePeriod` reads without a year (the latest such month that has begun). */
const MONTH_WORDS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;

/** `十一` → 11, `三` → 3, `3` → 3; null for anything else. */
function chineseNumber(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  const digit = (c: string | undefined) => (c === undefined ? 0 : '一二三四五六七八九'.indexOf(c) + 1);
  const m = /^([一二三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(s);
  if (!m || s === '') return null;
  if (!m[2]) return m[1] && !m[3] ? digit(m[1]) : null;
  return (m[1] ? digit(m[1]) : 1) * 10 + digit(m[3]);
}

/** Vietnamese without its marks (`tháng trước` → `thang truoc`). */
function withoutMarks(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').normalize('NFC');
}

const LOCAL_PERIOD_WORDS: ReadonlyMap<string, string> = new Map([
  ['hôm nay', 'today'],
  ['tuần này', 'this week'],
  ['tuần trước', 'last week'],
  ['tháng này', 'this month'],
  ['tháng trước', 'last month'],
  ['quý này', 'this quarter'],
  ['quý trước', 'last quarter'],
  ['năm nay', 'this year'],
  ['năm trước', 'last year'],
  ['năm ngoái', 'last year'],
  ['từ đầu năm', 'ytd'],
  ['từ đầu năm đến nay', 'ytd'],
  ['hôm qua', 'yesterday'],
  ['tuần rồi', 'last week'],
  ['tuần vừa rồi', 'last week'],
  ['tháng rồi', 'last month'],
  ['tháng vừa rồi', 'last month'],
  ['quý rồi', 'last quarter'],
  ['quý vừa rồi', 'last quarter'],
  ['昨天', 'yesterday'],
  ['本星期', 'this week'],
  ['这星期', 'this week'],
  ['这个星期', 'this week'],
  ['上星期', 'last week'],
  ['上个星期', 'last week'],
  ['上一周', 'last week'],
  ['上一个月', 'last month'],
  ['这季度', 'this quarter'],
  ['这个季度', 'this quarter'],
  ['上一季度', 'last quarter'],
  ['上一个季度', 'last quarter'],
  ['上季', 'last quarter'],
  ['上一年', 'last year'],
  ['今天', 'today'],
  ['本周', 'this week'],
  ['这周', 'this week'],
  ['上周', 'last week'],
  ['本月', 'this month'],
  ['这个月', 'this month'],
  ['上月', 'last month'],
  ['上个月', 'last month'],
  ['本季度', 'this quarter'],
  ['本季', 'this quarter'],
  ['上季度', 'last quarter'],
  ['上个季度', 'last quarter'],
  ['今年', 'this year'],
  ['本年', 'this year'],
  ['去年', 'last year'],
  ['年初至今', 'ytd'],
  ['本年至今', 'ytd'],
]);

/** The Vietnamese words above without their marks (`thang truoc`), none of which reads two ways. */
const UNMARKED_PERIOD_WORDS: ReadonlyMap<string, string> = new Map(
  [...LOCAL_PERIOD_WORDS].filter(([w]) => withoutMarks(w) !== w).map(([w, english]) => [withoutMarks(w), english] as const),
);

/**
 * The period of the same kind and length immediately before `p` (its end is `p.start`), in
 * `p.timeZone` with `ctx`'s fiscal year start.
 * - day/week/month/quarter/year: the previous one;
 * - rolling: the N days before;
 * - ytd: the previous fiscal year through the same day of the year (year-over-year comparison;
 *   Feb 29 maps to Feb 28). This is the one kind whose previous period does not end at `p.start`.
 *
 * @example
 * const ctx = { now: new Date('2026-11-27T12:00:00Z'), timeZone: 'UTC', fiscalYearStartMonth: 1 };
 * previousPeriod(parsePeriod('2026-Q1', ctx), ctx).key; // '2025-Q4'
 * previousPeriod(parsePeriod('last 30 days', ctx), ctx).label; // '30 days (Sep 29 – Oct 28)'
 */
export function previousPeriod(p: TPeriod, ctx: TPeriodContext): TPeriod {
  const r = resolve(ctx, p.timeZone);
  const startDays = localDays(assertInstant(p.start, 'period start'), r.tz);
  const endDays = localDays(assertInstant(p.end, 'period end'), r.tz);
  switch (p.kind) {
    case 'rolling':
      return buildRolling(r, endDays - startDays, startDays - 1);
    case 'ytd': {
      const s = ymdOf(startDays);
      const fy = fiscalYearOf(r, s.y, s.m);
      const last = ymdOf(endDays - 1);
      const lastDays = daysOf(last.y - 1, last.m, Math.min(last.d, daysInMonth(last.y - 1, last.m)));
      return buildYtd(r, fy - 1, lastDays);
    }
    default:
      return buildOf(r, p.kind, startDays - 1);
  }
}

/**
 * The `count` periods of `kind` just before `endingBefore`, oldest first, for trailing averages and
 * trends. The newest one ends at or before `endingBefore.start` (exactly there when the kinds
 * align, e.g. the 4 weeks before this week). `count` 0 gives `[]`.
 *
 * @example
 * const ctx = { now: new Date('2026-11-27T12:00:00Z'), timeZone: 'UTC', fiscalYearStartMonth: 1 };
 * trailingPeriods('week', 4, periodOf('week', ctx.now, ctx), ctx).map((p) => p.key);
 * // ['2026-W44', '2026-W45', '2026-W46', '2026-W47']
 */
export function trailingPeriods(kind: TCalendarKind, count: number, endingBefore: TPeriod, ctx: TPeriodContext): TPeriod[] {
  if (!Number.isInteger(count) || count < 0) {
    throw new AppError('INVALID_INPUT', `The number of trailing periods must be a whole number of 0 or more, not ${count}.`, { example: '4' });
  }
  const r = resolve(ctx, endingBefore.timeZone);
  const limit = assertInstant(endingBefore.start, 'period start');
  const out: TPeriod[] = [];
  let p = buildOf(r, kind, localDays(limit, r.tz) - 1);
  // A period that straddles `endingBefore.start` (months before a rolling window) is not "before" it.
  if (p.end.getTime() > limit) p = buildOf(r, kind, localDays(p.start.getTime(), r.tz) - 1);
  for (let i = 0; i < count; i++) {
    out.push(p);
    p = buildOf(r, kind, localDays(p.start.getTime(), r.tz) - 1);
  }
  return out.reverse();
}

/**
 * Share of the period that has elapsed at `now`, by real time, clamped to [0, 1] (0 before the
 * start, 1 at or after the end).
 *
 * @example
 * elapsedShare(period, period.start); // 0
 * elapsedShare(period, new Date((period.start.getTime() + period.end.getTime()) / 2)); // 0.5
 */
export function elapsedShare(p: TPeriod, now: Date): number {
  const s = p.start.getTime();
  const e = p.end.getTime();
  const t = now.getTime();
  if (!(e > s) || !Number.isFinite(t)) return t >= e ? 1 : 0;
  return Math.min(1, Math.max(0, (t - s) / (e - s)));
}
