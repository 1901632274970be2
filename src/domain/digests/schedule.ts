import { AppError } from '../../errors.js';
import { localParts, zonedDateTime } from '../periods.js';

/**
 * Weekly digest schedule rules (SPEC §4), pure: a subscription says "ISO weekday + local HH:MM in
 * an IANA zone", and the scheduled instants are computed per local calendar day, so DST changes
 * never skip nor double a week:
 * - a local time inside a spring-forward gap (02:30 on the day clocks jump 02:00 → 03:00) is the
 *   first valid instant after it, the moment clocks jump (03:00 local);
 * - a local time repeated by a fall-back change (01:30 twice) is the earlier of the two instants.
 */
export interface TDigestSchedule {
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Local wall-clock time, `HH:MM` (24-hour). */
  localTime: string;
  /** IANA time zone, e.g. `Europe/Berlin`. */
  timeZone: string;
}

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** Upper bound on the slots one call returns (about 20 years of weeks): callers bound their windows. */
const MAX_SLOTS = 1100;

function assertSchedule(sub: TDigestSchedule): void {
  if (!Number.isInteger(sub.weekday) || sub.weekday < 1 || sub.weekday > 7) {
    throw new AppError('INVALID_INPUT', `The digest weekday must be 1 (Monday) to 7 (Sunday), not ${sub.weekday}.`, { example: 'monday', i18n: { key: 'error.digest.weekday', values: { weekday: sub.weekday } } });
  }
  const m = /^(\d{2}):(\d{2})$/.exec(sub.localTime);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) {
    throw new AppError('INVALID_INPUT', `"${sub.localTime}" is not a time in the form HH:MM (24-hour clock).`, {
      example: '09:00',
      i18n: { key: 'error.digest.localTime', values: { typed: sub.localTime } },
    });
  }
}

function isoDateOfDays(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

/** Days since 1970-01-01 of the local calendar date of `instant` in `timeZone`. */
function localDayNumber(instant: Date, timeZone: string): number {
  const p = localParts(instant, timeZone);
  return Math.round(Date.UTC(p.year, p.month - 1, p.day) / DAY_MS);
}

/** 1 = Monday … 7 = Sunday for a day number (day 0, 1970-01-01, was a Thursday). */
function isoWeekdayOfDays(days: number): number {
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

/**
 * Every scheduled instant of a weekly subscription in `(fromExclusive, toInclusive]`, oldest first.
 * One instant per local week whatever the DST changes in between.
 *
 * @example
 * const sub = { weekday: 1, localTime: '09:00', timeZone: 'Europe/Berlin' };
 * digestSlotsBetween(sub, new Date('2026-03-22T00:00:00Z'), new Date('2026-04-05T00:00:00Z'));
 * // [2026-03-23T08:00:00.000Z (09:00 CET), 2026-03-30T07:00:00.000Z (09:00 CEST)]
 * digestSlotsBetween({ weekday: 7, localTime: '02:30', timeZone: 'America/New_York' },
 *   new Date('2026-03-07T00:00:00Z'), new Date('2026-03-09T00:00:00Z'));
 * // [2026-03-08T07:00:00.000Z] (02:30 does not exist that day: 03:00 EDT)
 */
export function digestSlotsBetween(sub: TDigestSchedule, fromExclusive: Date, toInclusive: Date): Date[] {
  assertSchedule(sub);
  const from = fromExclusive.getTime();
  const to = toInclusive.getTime();
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new AppError('INVALID_INPUT', 'The digest window needs two valid dates.', { i18n: { key: 'error.digest.window' } });
  if (to <= from) return [];
  if ((to - from) / WEEK_MS > MAX_SLOTS) throw new AppError('INVALID_INPUT', `A digest window spans at most ${MAX_SLOTS} weeks.`, { i18n: { key: 'error.digest.windowSpan', values: { max: MAX_SLOTS } } });
  // A local day's slot is at most ~1 day away from its UTC date: start a day early, end a day late.
  const firstDay = localDayNumber(fromExclusive, sub.timeZone) - 1;
  const lastDay = localDayNumber(toInclusive, sub.timeZone) + 1;
  const out: Date[] = [];
  let day = firstDay + ((sub.weekday - isoWeekdayOfDays(firstDay) + 7) % 7);
  for (; day <= lastDay; day += 7) {
    const slot = zonedDateTime(isoDateOfDays(day), sub.localTime, sub.timeZone);
    const t = slot.getTime();
    if (t > from && t <= to) out.push(slot);
  }
  return out;
}

/**
 * The first scheduled instant strictly after `after`.
 *
 * @example
 * nextDigestSlot({ weekday: 1, localTime: '09:00', timeZone: 'America/New_York' }, new Date('2026-11-27T19:00:00Z'));
 * // 2026-11-30T14:00:00.000Z (Mon 09:00 EST)
 */
export function nextDigestSlot(sub: TDigestSchedule, after: Date): Date {
  // Two weeks always contain a slot (a week plus DST slack).
  const [next] = digestSlotsBetween(sub, after, new Date(after.getTime() + 2 * WEEK_MS));
  if (!next) throw new AppError('INTERNAL', 'No digest slot found in the next two weeks.', { i18n: { key: 'error.digest.noSlot' } });
  return next;
}

// ---------------------------------------------------------------------------------------------
// Parsing what people type
// ---------------------------------------------------------------------------------------------

export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

const WEEKDAY_ALIASES: ReadonlyMap<string, number> = new Map(
  (
    [
      ['mon', 'monday'],
      ['tue', 'tues', 'tuesday'],
      ['wed', 'weds', 'wednesday'],
      ['thu', 'thur', 'thurs', 'thursday'],
      ['fri', 'friday'],
      ['sat', 'saturday'],
      ['sun', 'sunday'],
    ] as const
  ).flatMap((names, i) => names.flatMap((n) => [[n, i + 1] as const, [`${n}s`, i + 1] as const])),
);

/**
 * ISO weekday of a typed weekday name or abbreviation (`mon`, `Monday`, `tues`, `Fridays`), or null.
 *
 * @example
 * parseWeekday('Tues'); // 2
 * parseWeekday('noon'); // null
 */
export function parseWeekday(token: string): number | null {
  return WEEKDAY_ALIASES.get(token.toLowerCase().replace(/[.,]$/, '')) ?? null;
}

/**
 * `HH:MM` of a typed time (`9:00`, `09:30`, `9am`, `5:30pm`, `17h`), or null when it is not a time.
 *
 * @example
 * parseLocalTime('9am'); // '09:00'
 * parseLocalTime('17:45'); // '17:45'
 * parseLocalTime('25:00'); // null
 */
export function parseLocalTime(token: string): string | null {
  const m = /^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|h)?$/i.exec(token.trim());
  if (!m || (m[2] === undefined && m[3] === undefined)) return null;
  let hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  const ampm = m[3]?.toLowerCase();
  if (ampm === 'am' || ampm === 'pm') {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (ampm === 'pm' ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return null;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/**
 * "every Monday at 09:00 (Europe/Berlin)".
 *
 * @example
 * describeSchedule({ weekday: 5, localTime: '17:30', timeZone: 'Asia/Kolkata' }); // 'every Friday at 17:30 (Asia/Kolkata)'
 */
export function describeSchedule(sub: TDigestSchedule): string {
  return `every ${WEEKDAY_NAMES[sub.weekday - 1] ?? `weekday ${sub.weekday}`} at ${sub.localTime} (${sub.timeZone})`;
}
