import { describe, expect, test } from 'vitest';
import { nextVersionStamp } from '../../src/domain/deals/change-deal.js';
import { alreadyDoneError, handledAtText, isAlreadyDone } from '../../src/domain/once-per-request.js';
import { actionRequestKey, commandRequestKey, viewRequestKey } from '../../src/slack/request-keys.js';
import { buildErrorMessage } from '../../src/slack/blocks/messages.js';

describe('once per delivery: pure parts', () => {
  test.each([
    ['same local day: time only', '2026-11-30T10:02:59Z', '2026-11-30T23:00:00Z', 'UTC', '10:02'],
    ['an earlier day: with the date', '2026-11-29T10:02:00Z', '2026-11-30T10:05:00Z', 'UTC', '2026-11-29 10:02'],
    ['in the workspace zone', '2026-11-30T10:02:00Z', '2026-11-30T10:05:00Z', 'Asia/Ho_Chi_Minh', '17:02'],
    ['the zone decides the day', '2026-11-30T23:30:00Z', '2026-12-01T00:10:00Z', 'UTC', '2026-11-30 23:30'],
    ['same day in the zone although not in UTC', '2026-11-30T23:30:00Z', '2026-12-01T00:10:00Z', 'America/New_York', '18:30'],
  ])('handledAtText: %s', (_name, handled, now, zone, expected) => {
    expect(handledAtText(new Date(handled), new Date(now), zone)).toBe(expected);
  });

  test('the already-done answer says when, and is not shown as a warning', () => {
    const e = alreadyDoneError(new Date('2026-11-30T10:02:00Z'), new Date('2026-11-30T10:03:00Z'), 'UTC');
    expect(isAlreadyDone(e)).toBe(true);
    expect(e.message).toBe('Already done — this request was handled at 10:02; nothing changed again.');
    const message = buildErrorMessage(e);
    expect(message.text).toBe(e.message);
    expect(JSON.stringify(message.blocks)).toContain(':white_check_mark:');
    expect(JSON.stringify(message.blocks)).not.toContain(':warning:');
  });

  test.each([
    ['a slash command: its trigger id', commandRequestKey({ trigger_id: '123.456.abc' }), 'cmd:123.456.abc'],
    ['a click: action ts, user, message ts', actionRequestKey({ user: { id: 'U1' }, actions: [{ action_ts: '1700000000.1' }], container: { message_ts: '1699.2' } }), 'act:1700000000.1:U1:1699.2'],
    ['a click without container: the message ts', actionRequestKey({ user: { id: 'U1' }, actions: [{ action_ts: '17.1' }], message: { ts: '16.2' } }), 'act:17.1:U1:16.2'],
    ['a modal submission: view id and hash', viewRequestKey({ id: 'V1', hash: '156.abc' }), 'view:V1:156.abc'],
  ])('request key of %s', (_name, key, expected) => {
    expect(key).toBe(expected);
  });

  test('two clicks by different people on the same message are different requests', () => {
    const click = (user: string) => actionRequestKey({ user: { id: user }, actions: [{ action_ts: '17.1' }], container: { message_ts: '16.2' } });
    expect(click('U1')).not.toBe(click('U2'));
  });

  test.each([
    ['the clock moved on: now', 1_000, 5_000, 5_000],
    ['the clock stands still: one ms later', 5_000, 5_000, 5_001],
    ['the clock is behind: still later', 9_000, 5_000, 9_001],
  ])('nextVersionStamp: %s', (_name, previous, now, expected) => {
    expect(nextVersionStamp(new Date(previous), new Date(now)).getTime()).toBe(expected);
  });
});
