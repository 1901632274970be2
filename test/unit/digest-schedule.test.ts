import { describe, expect, test } from 'vitest';
import { describeSchedule, digestSlotsBetween, nextDigestSlot, parseLocalTime, parseWeekday, type TDigestSchedule } from '../../src/domain/digests/schedule.js';
import { localParts } from '../../src/domain/periods.js';

const WEEK = 7 * 86_400_000;
const HOUR = 3_600_000;

describe('digestSlotsBetween: a year of weekly slots across both 2026 DST changes', () => {
  test.each([
    // zone, spring-forward date, fall-back date (2026)
    ['America/New_York', '2026-03-08', '2026-11-01'],
    ['Europe/Berlin', '2026-03-29', '2026-10-25'],
  ])('Mondays 09:00 in %s: exactly one slot per week, always 09:00 local', (timeZone) => {
    const sub: TDigestSchedule = { weekday: 1, localTime: '09:00', timeZone };
    const from = new Date('2025-12-31T12:00:00Z');
    const to = new Date('2027-01-01T12:00:00Z');
    const slots = digestSlotsBetween(sub, from, to);
    // 2026 has 52 Mondays (Jan 5 … Dec 28).
    expect(slots).toHaveLength(52);
    const offsets = new Set<number>();
    for (const [i, slot] of slots.entries()) {
      const p = localParts(slot, timeZone);
      expect({ weekday: p.isoWeekday, hour: p.hour, minute: p.minute, year: p.year }).toEqual({ weekday: 1, hour: 9, minute: 0, year: 2026 });
      if (i > 0) {
        const gap = slot.getTime() - slots[i - 1]!.getTime();
        // A week, one hour shorter or longer across a DST change, never 0 or 2 weeks.
        expect([WEEK - HOUR, WEEK, WEEK + HOUR]).toContain(gap);
        if (gap !== WEEK) offsets.add(gap);
      }
    }
    // Both changes were crossed: one 167-hour and one 169-hour week.
    expect([...offsets].sort()).toEqual([WEEK - HOUR, WEEK + HOUR]);
    // Slicing the year into windows gives the same slots (what the minute ticks do).
    const sliced: Date[] = [];
    for (let t = from.getTime(); t < to.getTime(); t += 5 * HOUR) {
      sliced.push(...digestSlotsBetween(sub, new Date(t), new Date(Math.min(t + 5 * HOUR, to.getTime()))));
    }
    expect(sliced.map((d) => d.toISOString())).toEqual(slots.map((d) => d.toISOString()));
  });

  test.each<{ name: string; sub: TDigestSchedule; from: string; to: string; expected: string[] }>([
    {
      name: 'Sunday 02:30 on the New York spring-forward day → 03:00 EDT (the jump), weeks around unaffected',
      sub: { weekday: 7, localTime: '02:30', timeZone: 'America/New_York' },
      from: '2026-02-28T00:00:00Z',
      to: '2026-03-20T00:00:00Z',
      expected: ['2026-03-01T07:30:00.000Z', '2026-03-08T07:00:00.000Z', '2026-03-15T06:30:00.000Z'],
    },
    {
      name: 'Sunday 02:30 on the Berlin spring-forward day → 03:00 CEST',
      sub: { weekday: 7, localTime: '02:30', timeZone: 'Europe/Berlin' },
      from: '2026-03-28T00:00:00Z',
      to: '2026-03-30T00:00:00Z',
      expected: ['2026-03-29T01:00:00.000Z'],
    },
    {
      name: 'Sunday 01:30 on the New York fall-back day happens twice: the earlier (EDT) only',
      sub: { weekday: 7, localTime: '01:30', timeZone: 'America/New_York' },
      from: '2026-10-31T00:00:00Z',
      to: '2026-11-02T00:00:00Z',
      expected: ['2026-11-01T05:30:00.000Z'],
    },
    {
      name: 'Sunday 02:30 on the Berlin fall-back day: the earlier (CEST) only',
      sub: { weekday: 7, localTime: '02:30', timeZone: 'Europe/Berlin' },
      from: '2026-10-24T00:00:00Z',
      to: '2026-10-26T00:00:00Z',
      expected: ['2026-10-25T00:30:00.000Z'],
    },
    {
      name: 'a zone ahead of UTC whose local Monday starts on Sunday UTC',
      sub: { weekday: 1, localTime: '07:00', timeZone: 'Pacific/Auckland' },
      from: '2026-11-22T00:00:00Z',
      to: '2026-11-24T00:00:00Z',
      expected: ['2026-11-22T18:00:00.000Z'],
    },
    {
      name: 'half-hour offset, no DST (Friday 17:30 in Kolkata)',
      sub: { weekday: 5, localTime: '17:30', timeZone: 'Asia/Kolkata' },
      from: '2026-11-20T00:00:00Z',
      to: '2026-11-28T00:00:00Z',
      expected: ['2026-11-20T12:00:00.000Z', '2026-11-27T12:00:00.000Z'],
    },
    {
      name: 'window bounds: exclusive start, inclusive end',
      sub: { weekday: 1, localTime: '09:00', timeZone: 'UTC' },
      from: '2026-11-23T09:00:00Z',
      to: '2026-11-30T09:00:00Z',
      expected: ['2026-11-30T09:00:00.000Z'],
    },
    {
      name: 'an empty or reversed window',
      sub: { weekday: 1, localTime: '09:00', timeZone: 'UTC' },
      from: '2026-11-30T09:00:00Z',
      to: '2026-11-30T09:00:00Z',
      expected: [],
    },
  ])('$name', ({ sub, from, to, expected }) => {
    expect(digestSlotsBetween(sub, new Date(from), new Date(to)).map((d) => d.toISOString())).toEqual(expected);
  });

  test('bad schedules are refused with a message for people', () => {
    const window = [new Date('2026-01-01T00:00:00Z'), new Date('2026-02-01T00:00:00Z')] as const;
    expect(() => digestSlotsBetween({ weekday: 0, localTime: '09:00', timeZone: 'UTC' }, ...window)).toThrow(/weekday/);
    expect(() => digestSlotsBetween({ weekday: 1, localTime: '9:00', timeZone: 'UTC' }, ...window)).toThrow(/HH:MM/);
    expect(() => digestSlotsBetween({ weekday: 1, localTime: '24:00', timeZone: 'UTC' }, ...window)).toThrow(/HH:MM/);
    expect(() => digestSlotsBetween({ weekday: 1, localTime: '09:00', timeZone: 'Mars/Olympus' }, ...window)).toThrow(/time zone/);
  });
});

describe('nextDigestSlot', () => {
  test.each([
    ['2026-11-27T19:00:00Z', { weekday: 1, localTime: '09:00', timeZone: 'America/New_York' }, '2026-11-30T14:00:00.000Z'],
    // Exactly at a slot: the next one, a week later.
    ['2026-11-30T14:00:00Z', { weekday: 1, localTime: '09:00', timeZone: 'America/New_York' }, '2026-12-07T14:00:00.000Z'],
    // Just before the Berlin spring-forward Monday: 09:00 CEST.
    ['2026-03-27T12:00:00Z', { weekday: 1, localTime: '09:00', timeZone: 'Europe/Berlin' }, '2026-03-30T07:00:00.000Z'],
    ['2026-03-07T12:00:00Z', { weekday: 7, localTime: '02:30', timeZone: 'America/New_York' }, '2026-03-08T07:00:00.000Z'],
  ])('after %s', (after, sub, expected) => {
    expect(nextDigestSlot(sub, new Date(after)).toISOString()).toBe(expected);
  });
});

describe('parsing what people type', () => {
  test.each([
    ['mon', 1],
    ['Monday', 1],
    ['mondays', 1],
    ['TUES', 2],
    ['wed', 3],
    ['thurs', 4],
    ['Fri', 5],
    ['sat', 6],
    ['Sunday', 7],
    ['noon', null],
    ['9', null],
  ])('weekday %s → %s', (token, expected) => {
    expect(parseWeekday(token)).toBe(expected);
  });

  test.each([
    ['09:00', '09:00'],
    ['9:30', '09:30'],
    ['17:45', '17:45'],
    ['9am', '09:00'],
    ['12am', '00:00'],
    ['12pm', '12:00'],
    ['5:30pm', '17:30'],
    ['17h', '17:00'],
    ['24:00', null],
    ['9:60', null],
    ['13pm', null],
    ['9', null],
    ['monday', null],
  ])('time %s → %s', (token, expected) => {
    expect(parseLocalTime(token)).toBe(expected);
  });

  test('describeSchedule', () => {
    expect(describeSchedule({ weekday: 5, localTime: '17:30', timeZone: 'Asia/Kolkata' })).toBe('every Friday at 17:30 (Asia/Kolkata)');
  });
});
