import { AppError } from '../../errors.js';
import { localParts, zonedDateTime } from '../periods.js';

/**
 * The instant a subscription date means: the start (local midnight) of that day in the workspace's
 * zone, so a churn or an MRR change dated the 1st of a month is a movement of that month, and MRR
 * read at the end of the month before still counts the old amount. `null` is today (the request's
 * day, in the zone). Dates after today are refused: record a churn or a new amount once it applies.
 *
 * @example
 * subscriptionDateInstant('2026-11-30', new Date('2026-12-02T10:00:00Z'), 'Asia/Ho_Chi_Minh'); // 2026-11-29T17:00:00.000Z
 * subscriptionDateInstant(null, new Date('2026-12-02T10:00:00Z'), 'UTC'); // 2026-12-02T00:00:00.000Z
 */
export function subscriptionDateInstant(date: string | null, now: Date, timeZone: string, example?: string): Date {
  const today = todayIso(now, timeZone);
  if (date !== null && date > today) {
    throw new AppError('INVALID_INPUT', `${date} is in the future (today is ${today} in ${timeZone}). Record it on or after the day it applies.`, {
      ...(example ? { example } : {}),
      // Days as data: each reader sees them in their own date form.
      i18n: { key: 'error.sub.future', values: { timeZone }, dates: { date: { at: zonedDateTime(date, '12:00', timeZone), timeZone }, today: { at: now, timeZone } } },
    });
  }
  return zonedDateTime(date ?? today, '00:00', timeZone);
}

/** `YYYY-MM-DD` of an instant in a zone. */
export function todayIso(now: Date, timeZone: string): string {
  const p = localParts(now, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}
