import { describe, expect, test } from 'vitest';
import { AppError } from '../../src/errors.js';
import {
  elapsedShare,
  formatInstant,
  localParts,
  parsePeriod,
  periodOf,
  previousPeriod,
  trailingPeriods,
  zonedDateTime,
  type TCalendarKind,
  type TPeriod,
  type TPeriodContext,
} from '../../src/domain/periods.js';

const HOUR = 3_600_000;
/** Friday, Nov 27, 2026, 12:00 UTC: the "now" of most tables. */
const NOW = new Date('2026-11-27T12:00:00Z');

function ctxOf(timeZone: string, fiscalYearStartMonth = 1, now = NOW): TPeriodContext {
  return { now, timeZone, fiscalYearStartMonth };
}

function hours(p: TPeriod): number {
  return (p.end.getTime() - p.start.getTime()) / HOUR;
}

function iso(d: Date): string {
  return d.toISOString().replace('.000Z', 'Z');
}

function appErrorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected an AppError, nothing was thrown');
}

describe('parsePeriod — calendar fiscal year, Europe/Berlin, now = Fri Nov 27, 2026', () => {
  const ctx = ctxOf('Europe/Berlin');
  test.each([
    ['', 'month', '2026-11', 'November 2026', '2026-10-31T23:00:00Z', '2026-11-30T23:00:00Z'],
    ['today', 'day', '2026-11-27', 'today (Nov 27, 2026)', '2026-11-26T23:00:00Z', '2026-11-27T23:00:00Z'],
    ['yesterday', 'day', '2026-11-26', 'yesterday (Nov 26, 2026)', '2026-11-25T23:00:00Z', '2026-11-26T23:00:00Z'],
    ['this week', 'week', '2026-W48', 'week of Nov 23, 2026', '2026-11-22T23:00:00Z', '2026-11-29T23:00:00Z'],
    ['last week', 'week', '2026-W47', 'week of Nov 16, 2026', '2026-11-15T23:00:00Z', '2026-11-22T23:00:00Z'],
    ['this month', 'month', '2026-11', 'November 2026', '2026-10-31T23:00:00Z', '2026-11-30T23:00:00Z'],
    ['last month', 'month', '2026-10', 'October 2026', '2026-09-30T22:00:00Z', '2026-10-31T23:00:00Z'],
    ['this quarter', 'quarter', '2026-Q4', 'Q4 2026 (Oct 1 – Dec 31)', '2026-09-30T22:00:00Z', '2026-12-31T23:00:00Z'],
    ['last quarter', 'quarter', '2026-Q3', 'Q3 2026 (Jul 1 – Sep 30)', '2026-06-30T22:00:00Z', '2026-09-30T22:00:00Z'],
    ['this year', 'year', '2026', '2026', '2025-12-31T23:00:00Z', '2026-12-31T23:00:00Z'],
    ['last year', 'year', '2025', '2025', '2024-12-31T23:00:00Z', '2025-12-31T23:00:00Z'],
    ['ytd', 'ytd', 'ytd-2026', '2026 year to date', '2025-12-31T23:00:00Z', '2026-11-27T23:00:00Z'],
    ['year to date', 'ytd', 'ytd-2026', '2026 year to date', '2025-12-31T23:00:00Z', '2026-11-27T23:00:00Z'],
    ['last 30 days', 'rolling', 'last30-2026-11-27', 'last 30 days (Oct 29 – Nov 27)', '2026-10-28T23:00:00Z', '2026-11-27T23:00:00Z'],
    ['last 7 days', 'rolling', 'last7-2026-11-27', 'last 7 days (Nov 21 – Nov 27)', '2026-11-20T23:00:00Z', '2026-11-27T23:00:00Z'],
    ['last 90 days', 'rolling', 'last90-2026-11-27', 'last 90 days (Aug 30 – Nov 27)', '2026-08-29T22:00:00Z', '2026-11-27T23:00:00Z'],
    ['last 1 day', 'rolling', 'last1-2026-11-27', 'last 1 day (Nov 27)', '2026-11-26T23:00:00Z', '2026-11-27T23:00:00Z'],
    ['last 366 days', 'rolling', 'last366-2026-11-27', 'last 366 days (Nov 27, 2025 – Nov 27, 2026)', '2025-11-26T23:00:00Z', '2026-11-27T23:00:00Z'],
    ['2026-11', 'month', '2026-11', 'November 2026', '2026-10-31T23:00:00Z', '2026-11-30T23:00:00Z'],
    ['2025-02', 'month', '2025-02', 'February 2025', '2025-01-31T23:00:00Z', '2025-02-28T23:00:00Z'],
    ['2026-Q3', 'quarter', '2026-Q3', 'Q3 2026 (Jul 1 – Sep 30)', '2026-06-30T22:00:00Z', '2026-09-30T22:00:00Z'],
    ['2026 q3', 'quarter', '2026-Q3', 'Q3 2026 (Jul 1 – Sep 30)', '2026-06-30T22:00:00Z', '2026-09-30T22:00:00Z'],
    ['2026q1', 'quarter', '2026-Q1', 'Q1 2026 (Jan 1 – Mar 31)', '2025-12-31T23:00:00Z', '2026-03-31T22:00:00Z'],
    ['Q2 2026', 'quarter', '2026-Q2', 'Q2 2026 (Apr 1 – Jun 30)', '2026-03-31T22:00:00Z', '2026-06-30T22:00:00Z'],
    ['Q3', 'quarter', '2026-Q3', 'Q3 2026 (Jul 1 – Sep 30)', '2026-06-30T22:00:00Z', '2026-09-30T22:00:00Z'],
    ['2026', 'year', '2026', '2026', '2025-12-31T23:00:00Z', '2026-12-31T23:00:00Z'],
    ['FY2027', 'year', '2027', '2027', '2026-12-31T23:00:00Z', '2027-12-31T23:00:00Z'],
    ['november', 'month', '2026-11', 'November 2026', '2026-10-31T23:00:00Z', '2026-11-30T23:00:00Z'],
    ['nov 2026', 'month', '2026-11', 'November 2026', '2026-10-31T23:00:00Z', '2026-11-30T23:00:00Z'],
    ['november 2025', 'month', '2025-11', 'November 2025', '2025-10-31T23:00:00Z', '2025-11-30T23:00:00Z'],
    ['jan', 'month', '2026-01', 'January 2026', '2025-12-31T23:00:00Z', '2026-01-31T23:00:00Z'],
    ['sept', 'month', '2026-09', 'September 2026', '2026-08-31T22:00:00Z', '2026-09-30T22:00:00Z'],
    // a month name without a year is the latest such month that has begun
    ['december', 'month', '2025-12', 'December 2025', '2025-11-30T23:00:00Z', '2025-12-31T23:00:00Z'],
    // keys read back
    ['2026-11-25', 'day', '2026-11-25', 'Wed, Nov 25, 2026', '2026-11-24T23:00:00Z', '2026-11-25T23:00:00Z'],
    ['2026-W48', 'week', '2026-W48', 'week of Nov 23, 2026', '2026-11-22T23:00:00Z', '2026-11-29T23:00:00Z'],
    ['2026-W53', 'week', '2026-W53', 'week of Dec 28, 2026', '2026-12-27T23:00:00Z', '2027-01-03T23:00:00Z'],
    ['2026-W01', 'week', '2026-W01', 'week of Dec 29, 2025', '2025-12-28T23:00:00Z', '2026-01-04T23:00:00Z'],
  ])('%j → %s %s "%s" [%s, %s)', (input, kind, key, label, start, end) => {
    const p = parsePeriod(input, ctx);
    expect(p).toEqual({ kind, key, label, start: new Date(start), end: new Date(end), timeZone: 'Europe/Berlin' });
  });

  test.each([
    ['  This   WEEK ', '2026-W48'],
    ['LAST MONTH', '2026-10'],
    ['Last 90 Days', 'last90-2026-11-27'],
    ['past 30 days', 'last30-2026-11-27'],
    ['Nov 2026', '2026-11'],
    ['NOVEMBER', '2026-11'],
    ['YTD', 'ytd-2026'],
    ['q3', '2026-Q3'],
    ['2026 Q3', '2026-Q3'],
    ['2026 - q3', '2026-Q3'],
    ['fy 2027', '2027'],
    ['Today', '2026-11-27'],
    ['\tthis\nquarter ', '2026-Q4'],
  ])('is case- and space-insensitive: %j → %s', (input, key) => {
    expect(parsePeriod(input, ctx).key).toBe(key);
  });
});

describe('parsePeriod — fiscal year starting in April (FY named by the year it ends in)', () => {
  const ctx = ctxOf('UTC', 4);
  test.each([
    ['this quarter', 'FY2027-Q3', 'Q3 FY2027 (Oct 1 – Dec 31, 2026)', '2026-10-01T00:00:00Z', '2027-01-01T00:00:00Z'],
    ['last quarter', 'FY2027-Q2', 'Q2 FY2027 (Jul 1 – Sep 30, 2026)', '2026-07-01T00:00:00Z', '2026-10-01T00:00:00Z'],
    ['Q1', 'FY2027-Q1', 'Q1 FY2027 (Apr 1 – Jun 30, 2026)', '2026-04-01T00:00:00Z', '2026-07-01T00:00:00Z'],
    ['Q4', 'FY2027-Q4', 'Q4 FY2027 (Jan 1 – Mar 31, 2027)', '2027-01-01T00:00:00Z', '2027-04-01T00:00:00Z'],
    ['FY2027', 'FY2027', 'FY2027 (Apr 1, 2026 – Mar 31, 2027)', '2026-04-01T00:00:00Z', '2027-04-01T00:00:00Z'],
    ['fy2027-q1', 'FY2027-Q1', 'Q1 FY2027 (Apr 1 – Jun 30, 2026)', '2026-04-01T00:00:00Z', '2026-07-01T00:00:00Z'],
    ['Q1 FY2027', 'FY2027-Q1', 'Q1 FY2027 (Apr 1 – Jun 30, 2026)', '2026-04-01T00:00:00Z', '2026-07-01T00:00:00Z'],
    ['this year', 'FY2027', 'FY2027 (Apr 1, 2026 – Mar 31, 2027)', '2026-04-01T00:00:00Z', '2027-04-01T00:00:00Z'],
    ['last year', 'FY2026', 'FY2026 (Apr 1, 2025 – Mar 31, 2026)', '2025-04-01T00:00:00Z', '2026-04-01T00:00:00Z'],
    // documented rule: a bare year / year-quarter names the fiscal year ending in it
    ['2026', 'FY2026', 'FY2026 (Apr 1, 2025 – Mar 31, 2026)', '2025-04-01T00:00:00Z', '2026-04-01T00:00:00Z'],
    ['2026-Q3', 'FY2026-Q3', 'Q3 FY2026 (Oct 1 – Dec 31, 2025)', '2025-10-01T00:00:00Z', '2026-01-01T00:00:00Z'],
    ['2027-Q1', 'FY2027-Q1', 'Q1 FY2027 (Apr 1 – Jun 30, 2026)', '2026-04-01T00:00:00Z', '2026-07-01T00:00:00Z'],
    ['ytd', 'ytd-FY2027', 'FY2027 year to date', '2026-04-01T00:00:00Z', '2026-11-28T00:00:00Z'],
    // months and weeks stay calendar ones
    ['this month', '2026-11', 'November 2026', '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z'],
    ['this week', '2026-W48', 'week of Nov 23, 2026', '2026-11-23T00:00:00Z', '2026-11-30T00:00:00Z'],
  ])('%j → %s "%s" [%s, %s)', (input, key, label, start, end) => {
    const p = parsePeriod(input, ctx);
    expect({ key: p.key, label: p.label, start: iso(p.start), end: iso(p.end) }).toEqual({
      key,
      label,
      start: start.replace('.000Z', 'Z'),
      end: end.replace('.000Z', 'Z'),
    });
  });

  test.each([
    // fiscal start, now, input → key, label
    [2, '2026-11-27T12:00:00Z', 'this quarter', 'FY2027-Q4', 'Q4 FY2027 (Nov 1, 2026 – Jan 31, 2027)'],
    [10, '2026-11-27T12:00:00Z', 'this quarter', 'FY2027-Q1', 'Q1 FY2027 (Oct 1 – Dec 31, 2026)'],
    [10, '2026-11-27T12:00:00Z', 'this year', 'FY2027', 'FY2027 (Oct 1, 2026 – Sep 30, 2027)'],
    [7, '2026-06-30T12:00:00Z', 'this year', 'FY2026', 'FY2026 (Jul 1, 2025 – Jun 30, 2026)'],
    [7, '2026-07-01T12:00:00Z', 'this year', 'FY2027', 'FY2027 (Jul 1, 2026 – Jun 30, 2027)'],
    [4, '2027-01-15T12:00:00Z', 'this quarter', 'FY2027-Q4', 'Q4 FY2027 (Jan 1 – Mar 31, 2027)'],
    [4, '2026-03-31T12:00:00Z', 'ytd', 'ytd-FY2026', 'FY2026 year to date'],
    [4, '2026-04-01T12:00:00Z', 'ytd', 'ytd-FY2027', 'FY2027 year to date'],
  ])('fiscal start %i at %s: %j → %s "%s"', (fiscal, now, input, key, label) => {
    const p = parsePeriod(input, ctxOf('UTC', fiscal, new Date(now)));
    expect([p.key, p.label]).toEqual([key, label]);
  });

  test.each(Array.from({ length: 12 }, (_, i) => i + 1))('fiscal start %i: the 4 quarters of FY2027 tile the fiscal year exactly', (fiscal) => {
    const ctx = ctxOf('America/New_York', fiscal);
    const year = parsePeriod('FY2027', ctx);
    const quarters = [1, 2, 3, 4].map((q) => parsePeriod(`FY2027-Q${q}`, ctx));
    expect(quarters[0]?.start).toEqual(year.start);
    expect(quarters[3]?.end).toEqual(year.end);
    for (let i = 1; i < 4; i++) expect(quarters[i]?.start).toEqual(quarters[i - 1]?.end);
    // the fiscal year ends in calendar year 2027 and starts on the 1st of the fiscal month
    const lastDay = localParts(new Date(year.end.getTime() - 1), 'America/New_York');
    expect(lastDay.year).toBe(2027);
    expect(localParts(year.start, 'America/New_York')).toMatchObject({ month: fiscal, day: 1, hour: 0, minute: 0 });
    expect(year.key).toBe(fiscal === 1 ? '2027' : 'FY2027');
  });
});

describe('parsePeriod refuses', () => {
  const ctx = ctxOf('Europe/Berlin');
  test.each([
    ['foo', /didn't understand the period "foo"/],
    ['next week', /didn't understand/],
    ['this decade', /didn't understand/],
    ['novembre', /didn't understand/],
    ['13', /didn't understand/],
    ['last -5 days', /didn't understand/],
    ['last 0 days', /1 to 366 days, not 0/],
    ['last 367 days', /1 to 366 days, not 367/],
    ['2026-13', /months run from 01 to 12/],
    ['2026-00', /months run from 01 to 12/],
    ['2026-Q5', /Q1 to Q4/],
    ['q0', /Q1 to Q4/],
    ['2026-02-30', /not a date on the calendar/],
    ['2026-W54', /no ISO week 54/],
    ['2025-W53', /no ISO week 53/],
    ['1800', /year I can't report on/],
    ['nov 1800', /year I can't report on/],
  ])('%j → INVALID_PERIOD %s', (input, message) => {
    const e = appErrorOf(() => parsePeriod(input, ctx));
    expect(e.code).toBe('INVALID_PERIOD');
    expect(e.message).toMatch(message);
    // the example is itself a valid period
    expect(e.example).toBeTruthy();
    expect(() => parsePeriod(e.example ?? '', ctx)).not.toThrow();
  });

  test('the generic message lists the accepted forms', () => {
    const e = appErrorOf(() => parsePeriod('whenever', ctx));
    for (const form of ['today', 'this week', 'last month', 'this quarter', 'ytd', 'last 30 days', '2026-11', '2026-Q3', 'Q3', 'FY2027']) {
      expect(e.message).toContain(form);
    }
  });

  test.each<[Partial<TPeriodContext>, RegExp]>([
    [{ timeZone: 'Mars/Base' }, /"Mars\/Base" is not a time zone/],
    [{ timeZone: '' }, /not a time zone/],
    [{ fiscalYearStartMonth: 0 }, /fiscal year start month must be a month number from 1 to 12/],
    [{ fiscalYearStartMonth: 13 }, /from 1 to 12/],
    [{ fiscalYearStartMonth: 1.5 }, /from 1 to 12/],
    [{ now: new Date(Number.NaN) }, /not a valid date/],
  ])('a bad context %j → INVALID_INPUT', (override, message) => {
    const e = appErrorOf(() => parsePeriod('this month', { ...ctx, ...override }));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(message);
  });
});

describe('DST: weeks and days that contain a clock change', () => {
  test.each([
    // zone, now (inside the week), key, start, end, hours
    ['America/New_York', '2026-03-05T12:00:00Z', '2026-W10', '2026-03-02T05:00:00Z', '2026-03-09T04:00:00Z', 167], // Mar 8 spring forward
    ['America/New_York', '2026-10-29T12:00:00Z', '2026-W44', '2026-10-26T04:00:00Z', '2026-11-02T05:00:00Z', 169], // Nov 1 fall back
    ['America/New_York', '2026-11-27T12:00:00Z', '2026-W48', '2026-11-23T05:00:00Z', '2026-11-30T05:00:00Z', 168],
    ['Europe/Berlin', '2026-03-26T12:00:00Z', '2026-W13', '2026-03-22T23:00:00Z', '2026-03-29T22:00:00Z', 167], // Mar 29
    ['Europe/Berlin', '2026-10-22T12:00:00Z', '2026-W43', '2026-10-18T22:00:00Z', '2026-10-25T23:00:00Z', 169], // Oct 25
    ['Europe/Berlin', '2026-11-05T12:00:00Z', '2026-W45', '2026-11-01T23:00:00Z', '2026-11-08T23:00:00Z', 168], // no change in November
    ['Australia/Lord_Howe', '2026-10-01T12:00:00Z', '2026-W40', '2026-09-27T13:30:00Z', '2026-10-04T13:00:00Z', 167.5], // 30-minute DST
  ])('this week in %s at %s is %s [%s, %s) = %s h', (tz, now, key, start, end, h) => {
    const p = parsePeriod('this week', ctxOf(tz, 1, new Date(now)));
    expect(p.key).toBe(key);
    expect(iso(p.start)).toBe(start);
    expect(iso(p.end)).toBe(end);
    expect(hours(p)).toBe(h);
    // both ends are local midnights on Mondays
    for (const edge of [p.start, p.end]) expect(localParts(edge, tz)).toMatchObject({ hour: 0, minute: 0, isoWeekday: 1 });
  });

  test.each([
    ['America/New_York', '2026-03-08', 23],
    ['America/New_York', '2026-11-01', 25],
    ['Europe/Berlin', '2026-03-29', 23],
    ['Europe/Berlin', '2026-10-25', 25],
    ['Europe/Berlin', '2026-11-27', 24],
    ['Asia/Ho_Chi_Minh', '2026-03-29', 24],
  ])('the day %s %s is %i hours long', (tz, date, h) => {
    expect(hours(parsePeriod(date, ctxOf(tz)))).toBe(h);
  });

  test('"last week" right after spring forward is the 167-hour week and ends where this week starts', () => {
    const ctx = ctxOf('America/New_York', 1, new Date('2026-03-10T15:00:00Z'));
    const thisWeek = parsePeriod('this week', ctx);
    const lastWeek = parsePeriod('last week', ctx);
    expect(lastWeek.key).toBe('2026-W10');
    expect(hours(lastWeek)).toBe(167);
    expect(lastWeek.end).toEqual(thisWeek.start);
  });

  test('a day whose midnight does not exist starts at the first instant of that date (America/Santiago)', () => {
    const p = periodOf('day', new Date('2026-09-06T12:00:00Z'), ctxOf('America/Santiago'));
    expect(iso(p.start)).toBe('2026-09-06T04:00:00Z');
    expect(localParts(p.start, 'America/Santiago')).toMatchObject({ day: 6, hour: 1, minute: 0 });
    expect(hours(p)).toBe(23);
  });

  test('months in Asia/Ho_Chi_Minh (UTC+7, no DST) start at 17:00 UTC the day before', () => {
    const p = parsePeriod('this month', ctxOf('Asia/Ho_Chi_Minh'));
    expect([iso(p.start), iso(p.end)]).toEqual(['2026-10-31T17:00:00Z', '2026-11-30T17:00:00Z']);
  });
});

describe('exclusive ends: the end of a period is the start of the next, across zones and DST', () => {
  const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Ho_Chi_Minh', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/Santiago'];
  const kinds: TCalendarKind[] = ['day', 'week', 'month', 'quarter', 'year'];
  test.each(zones.flatMap((tz) => kinds.flatMap((kind) => [1, 4].map((fiscal) => [tz, kind, fiscal] as const))))(
    '%s %s (fiscal start %i): every period of 2026 tiles with its neighbours',
    (tz, kind, fiscal) => {
      const ctx = ctxOf(tz, fiscal);
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 13 * HOUR) {
        const instant = new Date(t);
        const p = periodOf(kind, instant, ctx);
        expect(p.start.getTime()).toBeLessThanOrEqual(t);
        expect(p.end.getTime()).toBeGreaterThan(t);
        expect(previousPeriod(p, ctx).end).toEqual(p.start);
        const next = periodOf(kind, p.end, ctx);
        expect(next.start).toEqual(p.end);
        expect(next.key).not.toBe(p.key);
        expect(periodOf(kind, new Date(p.end.getTime() - 1), ctx).key).toBe(p.key);
      }
    },
  );
});

describe('periodOf', () => {
  test.each([
    ['day', 'UTC', 1, '2026-11-27', 'today (Nov 27, 2026)'],
    ['week', 'UTC', 1, '2026-W48', 'week of Nov 23, 2026'],
    ['month', 'UTC', 1, '2026-11', 'November 2026'],
    ['quarter', 'UTC', 1, '2026-Q4', 'Q4 2026 (Oct 1 – Dec 31)'],
    ['year', 'UTC', 1, '2026', '2026'],
    ['quarter', 'UTC', 4, 'FY2027-Q3', 'Q3 FY2027 (Oct 1 – Dec 31, 2026)'],
    ['year', 'UTC', 4, 'FY2027', 'FY2027 (Apr 1, 2026 – Mar 31, 2027)'],
    // 2026-11-27T12:00Z is already Saturday the 28th in Kiritimati (UTC+14)
    ['day', 'Pacific/Kiritimati', 1, '2026-11-28', 'today (Nov 28, 2026)'],
  ] as const)('%s of now in %s (fiscal %i) → %s "%s"', (kind, tz, fiscal, key, label) => {
    const p = periodOf(kind, NOW, ctxOf(tz, fiscal));
    expect([p.key, p.kind, p.label]).toEqual([key, kind, label]);
  });

  test('labels a day relative to ctx.now, not to the instant', () => {
    const ctx = ctxOf('UTC', 1, new Date('2026-11-29T08:00:00Z'));
    expect(periodOf('day', NOW, ctx).label).toBe('Fri, Nov 27, 2026');
  });

  test.each([
    ['2026-01-01T00:30:00Z', 'America/New_York', '2026-W01', 'December 2025'], // still Wed Dec 31 in New York, already ISO week 1 of 2026
    ['2026-01-01T00:30:00Z', 'Europe/Berlin', '2026-W01', 'January 2026'],
    ['2027-01-01T12:00:00Z', 'UTC', '2026-W53', 'January 2027'], // ISO week-year differs from the calendar year
    ['2029-12-31T12:00:00Z', 'UTC', '2030-W01', 'December 2029'],
  ])('%s in %s is in week %s and month "%s"', (instant, tz, week, month) => {
    const ctx = ctxOf(tz);
    expect(periodOf('week', new Date(instant), ctx).key).toBe(week);
    expect(periodOf('month', new Date(instant), ctx).label).toBe(month);
  });
});

describe('previousPeriod', () => {
  const ctx = ctxOf('UTC');
  test.each([
    ['2026-01', 1, '2025-12', 'December 2025'],
    ['2026-03', 1, '2026-02', 'February 2026'],
    ['2026-Q1', 1, '2025-Q4', 'Q4 2025 (Oct 1 – Dec 31)'],
    ['FY2027-Q1', 4, 'FY2026-Q4', 'Q4 FY2026 (Jan 1 – Mar 31, 2026)'],
    ['FY2027', 4, 'FY2026', 'FY2026 (Apr 1, 2025 – Mar 31, 2026)'],
    ['2026-W01', 1, '2025-W52', 'week of Dec 22, 2025'],
    ['2027-W01', 1, '2026-W53', 'week of Dec 28, 2026'],
    ['2026', 1, '2025', '2025'],
    ['today', 1, '2026-11-26', 'yesterday (Nov 26, 2026)'],
    ['yesterday', 1, '2026-11-25', 'Wed, Nov 25, 2026'],
    ['2026-03-01', 1, '2026-02-28', 'Sat, Feb 28, 2026'],
    ['last 30 days', 1, 'last30-2026-10-28', '30 days (Sep 29 – Oct 28)'],
    ['last 7 days', 1, 'last7-2026-11-20', '7 days (Nov 14 – Nov 20)'],
  ] as const)('before %j (fiscal %i) is %s "%s"', (input, fiscal, key, label) => {
    const c = { ...ctx, fiscalYearStartMonth: fiscal };
    const p = parsePeriod(input, c);
    const prev = previousPeriod(p, c);
    expect([prev.key, prev.label, prev.kind]).toEqual([key, label, p.kind]);
    expect(prev.end).toEqual(p.start);
  });

  test('rolling: the N days before, same length in days even across a DST change', () => {
    const ctx = ctxOf('Europe/Berlin', 1, new Date('2026-04-10T12:00:00Z'));
    const p = parsePeriod('last 30 days', ctx);
    const prev = previousPeriod(p, ctx);
    expect(prev.key).toBe('last30-2026-03-11');
    expect(prev.end).toEqual(p.start);
    expect(hours(p)).toBe(719); // Mar 12 – Apr 10 contains Mar 29 (23 h)
    expect(hours(prev)).toBe(720);
  });

  test('ytd: the previous fiscal year to the same day (year-over-year)', () => {
    const p = parsePeriod('ytd', ctx);
    const prev = previousPeriod(p, ctx);
    expect(prev).toMatchObject({ key: 'ytd-2025', kind: 'ytd', label: '2025 year to date (Jan 1 – Nov 27, 2025)' });
    expect([iso(prev.start), iso(prev.end)]).toEqual(['2025-01-01T00:00:00Z', '2025-11-28T00:00:00Z']);
  });

  test('ytd on Feb 29 compares with Feb 28 of the previous year', () => {
    const c = ctxOf('UTC', 1, new Date('2028-02-29T12:00:00Z'));
    const prev = previousPeriod(parsePeriod('ytd', c), c);
    expect([prev.key, iso(prev.end)]).toEqual(['ytd-2027', '2027-03-01T00:00:00Z']);
  });

  test('fiscal ytd: FY2026 through Nov 27, 2025', () => {
    const c = ctxOf('UTC', 4);
    const prev = previousPeriod(parsePeriod('ytd', c), c);
    expect(prev.label).toBe('FY2026 year to date (Apr 1 – Nov 27, 2025)');
    expect([iso(prev.start), iso(prev.end)]).toEqual(['2025-04-01T00:00:00Z', '2025-11-28T00:00:00Z']);
  });
});

describe('trailingPeriods', () => {
  const ctx = ctxOf('Europe/Berlin');
  test.each([
    ['week', 4, 'this week', 1, ['2026-W44', '2026-W45', '2026-W46', '2026-W47']],
    ['month', 3, '2026-01', 1, ['2025-10', '2025-11', '2025-12']],
    ['quarter', 4, '2026-Q1', 1, ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4']],
    ['quarter', 4, 'FY2027-Q1', 4, ['FY2026-Q1', 'FY2026-Q2', 'FY2026-Q3', 'FY2026-Q4']],
    ['day', 3, 'this week', 1, ['2026-11-20', '2026-11-21', '2026-11-22']],
    ['year', 2, 'this year', 1, ['2024', '2025']],
    ['week', 0, 'this week', 1, []],
    // months that end at or before a rolling window's start (Oct 29): October straddles it
    ['month', 2, 'last 30 days', 1, ['2026-08', '2026-09']],
  ] as const)('%s × %i before %j (fiscal %i) → %j', (kind, count, input, fiscal, keys) => {
    const c = { ...ctx, fiscalYearStartMonth: fiscal };
    const endingBefore = parsePeriod(input, c);
    const periods = trailingPeriods(kind, count, endingBefore, c);
    expect(periods.map((p) => p.key)).toEqual(keys);
    for (let i = 1; i < periods.length; i++) expect(periods[i]?.start).toEqual(periods[i - 1]?.end);
    const last = periods[periods.length - 1];
    if (last) expect(last.end.getTime()).toBeLessThanOrEqual(endingBefore.start.getTime());
  });

  test('the 4 weeks before this week end exactly where it starts', () => {
    const thisWeek = parsePeriod('this week', ctx);
    expect(trailingPeriods('week', 4, thisWeek, ctx)[3]?.end).toEqual(thisWeek.start);
  });

  test.each([-1, 1.5, Number.NaN])('count %s → INVALID_INPUT', (count) => {
    expect(appErrorOf(() => trailingPeriods('week', count, parsePeriod('this week', ctx), ctx)).code).toBe('INVALID_INPUT');
  });
});

describe('elapsedShare', () => {
  const ctx = ctxOf('America/New_York', 1, new Date('2026-03-05T12:00:00Z'));
  const week = parsePeriod('this week', ctx); // 167 hours (spring forward)
  const november = parsePeriod('2026-11', ctxOf('Europe/Berlin'));
  test.each([
    ['before the start', week, new Date(week.start.getTime() - HOUR), 0],
    ['at the start', week, week.start, 0],
    ['half of the 167 real hours', week, new Date(week.start.getTime() + 83.5 * HOUR), 0.5],
    ['one hour before the end', week, new Date(week.end.getTime() - HOUR), 166 / 167],
    ['at the (exclusive) end', week, week.end, 1],
    ['after the end', week, new Date(week.end.getTime() + 1000 * HOUR), 1],
    ['Nov 16 00:00 Berlin: 15 of 30 days', november, new Date('2026-11-15T23:00:00Z'), 0.5],
  ])('%s → %s', (_, p, now, share) => {
    expect(elapsedShare(p, now)).toBeCloseTo(share, 12);
  });
});

describe('zonedDateTime', () => {
  test.each([
    ['2026-11-23', '09:00', 'Europe/Berlin', '2026-11-23T08:00:00Z'],
    ['2026-07-01', '09:00', 'Europe/Berlin', '2026-07-01T07:00:00Z'],
    ['2026-11-27', '09:00', 'Asia/Ho_Chi_Minh', '2026-11-27T02:00:00Z'],
    ['2026-11-27', '09:00', 'Asia/Kathmandu', '2026-11-27T03:15:00Z'],
    ['2026-11-27', '00:00', 'UTC', '2026-11-27T00:00:00Z'],
    ['2026-11-27', '9:05', 'UTC', '2026-11-27T09:05:00Z'],
    // spring-forward gap: the first valid instant after it (03:00 EDT)
    ['2026-03-08', '02:30', 'America/New_York', '2026-03-08T07:00:00Z'],
    ['2026-03-08', '02:00', 'America/New_York', '2026-03-08T07:00:00Z'],
    ['2026-03-08', '03:00', 'America/New_York', '2026-03-08T07:00:00Z'],
    ['2026-03-08', '01:59', 'America/New_York', '2026-03-08T06:59:00Z'],
    ['2026-03-29', '02:30', 'Europe/Berlin', '2026-03-29T01:00:00Z'],
    ['2026-10-04', '02:15', 'Australia/Lord_Howe', '2026-10-03T15:30:00Z'],
    ['2026-09-06', '00:00', 'America/Santiago', '2026-09-06T04:00:00Z'],
    // fall-back overlap: the earlier instant
    ['2026-11-01', '01:30', 'America/New_York', '2026-11-01T05:30:00Z'],
    ['2026-11-01', '02:00', 'America/New_York', '2026-11-01T07:00:00Z'],
    ['2026-10-25', '02:30', 'Europe/Berlin', '2026-10-25T00:30:00Z'],
    ['2026-04-05', '01:45', 'Australia/Lord_Howe', '2026-04-04T14:45:00Z'],
  ])('%s %s %s → %s', (date, time, tz, expected) => {
    expect(iso(zonedDateTime(date, time, tz))).toBe(expected);
  });

  test('the gap result reads 03:00 local, and 02:30 no longer exists that day', () => {
    const t = zonedDateTime('2026-03-08', '02:30', 'America/New_York');
    expect(localParts(t, 'America/New_York')).toEqual({ year: 2026, month: 3, day: 8, hour: 3, minute: 0, isoWeekday: 7 });
    expect(localParts(new Date(t.getTime() - 1), 'America/New_York')).toMatchObject({ hour: 1, minute: 59 });
  });

  test.each([
    ['2026-02-30', '09:00', 'UTC', /"2026-02-30" is not a date/],
    ['26-11-23', '09:00', 'UTC', /not a date in the form YYYY-MM-DD/],
    ['2026-11-23', '24:00', 'UTC', /"24:00" is not a time/],
    ['2026-11-23', '9am', 'UTC', /HH:MM/],
    ['2026-11-23', '09:60', 'UTC', /HH:MM/],
    ['2026-11-23', '09:00', 'Mars/Base', /not a time zone/],
  ])('%s %s %s → INVALID_INPUT', (date, time, tz, message) => {
    const e = appErrorOf(() => zonedDateTime(date, time, tz));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(message);
    expect(e.example).toBeTruthy();
  });
});

describe('localParts and formatInstant', () => {
  test.each([
    ['2026-11-23T08:00:00Z', 'Europe/Berlin', { year: 2026, month: 11, day: 23, hour: 9, minute: 0, isoWeekday: 1 }, 'Mon, Nov 23, 2026 09:00 (Europe/Berlin)'],
    ['2026-11-23T08:00:00Z', 'America/New_York', { year: 2026, month: 11, day: 23, hour: 3, minute: 0, isoWeekday: 1 }, 'Mon, Nov 23, 2026 03:00 (America/New_York)'],
    ['2026-11-23T02:00:00Z', 'America/New_York', { year: 2026, month: 11, day: 22, hour: 21, minute: 0, isoWeekday: 7 }, 'Sun, Nov 22, 2026 21:00 (America/New_York)'],
    ['2026-12-31T17:30:00Z', 'Asia/Ho_Chi_Minh', { year: 2027, month: 1, day: 1, hour: 0, minute: 30, isoWeekday: 5 }, 'Fri, Jan 1, 2027 00:30 (Asia/Ho_Chi_Minh)'],
    ['2026-11-27T03:15:00Z', 'Asia/Kathmandu', { year: 2026, month: 11, day: 27, hour: 9, minute: 0, isoWeekday: 5 }, 'Fri, Nov 27, 2026 09:00 (Asia/Kathmandu)'],
    ['2026-11-01T05:30:00Z', 'America/New_York', { year: 2026, month: 11, day: 1, hour: 1, minute: 30, isoWeekday: 7 }, 'Sun, Nov 1, 2026 01:30 (America/New_York)'],
    ['2026-11-01T06:30:00Z', 'America/New_York', { year: 2026, month: 11, day: 1, hour: 1, minute: 30, isoWeekday: 7 }, 'Sun, Nov 1, 2026 01:30 (America/New_York)'],
  ])('%s in %s', (instant, tz, parts, text) => {
    expect(localParts(new Date(instant), tz)).toEqual(parts);
    expect(formatInstant(new Date(instant), tz)).toBe(text);
  });

  test('bad inputs → INVALID_INPUT', () => {
    expect(appErrorOf(() => localParts(new Date(Number.NaN), 'UTC')).code).toBe('INVALID_INPUT');
    expect(appErrorOf(() => formatInstant(new Date(), 'Not/AZone')).code).toBe('INVALID_INPUT');
  });
});
