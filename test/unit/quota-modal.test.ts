import { quotaModalValues } from '../helpers/slack-requests.js';
import { describe, expect, test } from 'vitest';
import type { View } from '@slack/types';
import { AppError } from '../../src/errors.js';
import { parseQuotaPeriod, relativeQuotaPeriod } from '../../src/domain/quotas/quota-period.js';
import { findLimitViolations, findViewViolations, LIMITS } from '../../src/slack/blocks/limits.js';
import { buildQuotaModal, QUOTA_MODAL_CALLBACK, type QuotaModalOptions } from '../../src/slack/blocks/quota-modal.js';
import { buildQuotaConfirmation, buildTeamList } from '../../src/slack/blocks/quota-messages.js';
import { parseQuotaForm, parseQuotaModalMeta } from '../../src/slack/forms/quota-form.js';
import type { TViewStateValues } from '../../src/slack/forms/deal-form.js';
import { parseQuotaSetCommand } from '../../src/slack/kpi/quota-set.js';

const now = new Date('2026-11-27T12:00:00Z');
const berlin = { now, timeZone: 'Europe/Berlin', fiscalYearStartMonth: 1 };

const names = {
  month: { this: 'November 2026', next: 'December 2026' },
  quarter: { this: '2026-Q4', next: '2027-Q1' },
  year: { this: '2026', next: '2027' },
};

function modal(over: Partial<QuotaModalOptions> = {}): View {
  return buildQuotaModal({
    teams: [{ id: 1, name: 'North' }],
    currencies: ['USD', 'EUR'],
    reportingCurrency: 'USD',
    timeZone: 'Europe/Berlin',
    periodNames: names,
    meta: { channelId: 'C1', origin: 'command' },
    seal: (json) => json,
    ...over,
  });
}

type AnyBlock = { type: string; block_id?: string; element?: Record<string, unknown>; hint?: { text: string } };
const blockIds = (v: View) => (v.blocks as AnyBlock[]).map((b) => b.block_id).filter(Boolean);
const block = (v: View, id: string) => (v.blocks as AnyBlock[]).find((b) => b.block_id === id);

/** State values as Slack sends them for the quota modal. */
const values = (v: Parameters<typeof quotaModalValues>[0]): TViewStateValues => quotaModalValues(v) as TViewStateValues;

describe('buildQuotaModal', () => {
  test('has the quota fields, the callback, the metadata and no limit violations', () => {
    const v = modal();
    expect((v as { callback_id?: string }).callback_id).toBe(QUOTA_MODAL_CALLBACK);
    expect(blockIds(v)).toEqual(['rep', 'team', 'amount', 'currency', 'period_kind', 'period_which', 'period_specific']);
    expect(block(v, 'rep')?.element?.type).toBe('users_select');
    expect(JSON.parse((v as { private_metadata: string }).private_metadata)).toEqual({ channelId: 'C1', origin: 'command' });
    expect(findViewViolations(v)).toEqual([]);
    const json = JSON.stringify(v);
    expect(json).toContain('Europe/Berlin');
    expect(json).toContain('November 2026');
    expect(json).toContain('2027-Q1');
  });

  test('without teams there is no team select, and the hint says how to create one', () => {
    const v = modal({ teams: [] });
    expect(blockIds(v)).not.toContain('team');
    expect(block(v, 'rep')?.hint?.text).toContain('/kpi team create');
    expect(findViewViolations(v)).toEqual([]);
  });

  test('150 teams with long names stay within Slack limits (100 options, 75-char option text)', () => {
    const teams = Array.from({ length: 150 }, (_, i) => ({ id: i + 1, name: `Team ${i + 1} ${'x'.repeat(120)}` }));
    const v = modal({ teams });
    const options = (block(v, 'team')?.element as { options: Array<{ text: { text: string }; value: string }> }).options;
    expect(options).toHaveLength(LIMITS.staticOptions);
    expect(options.every((o) => o.text.text.length <= LIMITS.optionText && o.value.length <= LIMITS.optionValue)).toBe(true);
    expect(block(v, 'team')?.hint?.text).toContain('first 100 teams');
    expect(findViewViolations(v)).toEqual([]);
  });

  test('prefills what it is given; the reporting currency comes first', () => {
    const v = modal({ currencies: ['EUR', 'USD'], prefill: { repUserId: 'U9', amount: '50k', currency: 'EUR', periodKind: 'quarter', periodWhich: 'next' } });
    expect(block(v, 'rep')?.element?.initial_user).toBe('U9');
    expect(block(v, 'amount')?.element?.initial_value).toBe('50k');
    const currency = block(v, 'currency')?.element as { options: Array<{ value: string }>; initial_option: { value: string } };
    expect(currency.options.map((o) => o.value)).toEqual(['USD', 'EUR']);
    expect(currency.initial_option.value).toBe('EUR');
    expect((block(v, 'period_kind')?.element as { initial_option: { value: string } }).initial_option.value).toBe('quarter');
    const which = block(v, 'period_which')?.element as { options: unknown[]; initial_option: unknown };
    expect(which.options).toContainEqual(which.initial_option);
    expect((which.initial_option as { value: string }).value).toBe('next');
  });

  test('private metadata round-trips, and garbage reads as "no channel"', () => {
    expect(parseQuotaModalMeta(JSON.stringify({ channelId: null, origin: 'home' }))).toEqual({ channelId: null, origin: 'home' });
    expect(parseQuotaModalMeta('not json')).toEqual({ channelId: null, origin: 'command' });
    expect(parseQuotaModalMeta(undefined)).toEqual({ channelId: null, origin: 'command' });
  });
});

describe('parseQuotaForm', () => {
  const ctx = { reportingCurrency: 'USD', period: berlin };

  test('a rep, 50k and this month', () => {
    const r = parseQuotaForm(values({ rep: 'U1', amount: '50k' }), ctx);
    expect(r).toMatchObject({ ok: true, target: { kind: 'user', userId: 'U1' }, amountMinor: 5_000_000n, currency: 'USD' });
    if (r.ok) expect(r.period).toMatchObject({ key: '2026-11', kind: 'month', start: new Date('2026-10-31T23:00:00Z'), end: new Date('2026-11-30T23:00:00Z') });
  });

  test('a team, next quarter, an amount in another currency', () => {
    const r = parseQuotaForm(values({ team: '7', amount: '€46,000', currency: 'EUR', kind: 'quarter', which: 'next' }), ctx);
    expect(r).toMatchObject({ ok: true, target: { kind: 'team', teamId: 7 }, amountMinor: 4_600_000n, currency: 'EUR' });
    if (r.ok) expect(r.period.key).toBe('2027-Q1');
  });

  test('a specific period typed in wins, with its own kind and local boundaries', () => {
    const r = parseQuotaForm(values({ rep: 'U1', amount: '$50,000', kind: 'month', which: 'specific', specific: '2026-Q3' }), ctx);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.period).toMatchObject({ kind: 'quarter', key: '2026-Q3', start: new Date('2026-06-30T22:00:00Z'), end: new Date('2026-09-30T22:00:00Z') });
  });

  test('the amount in the reader\'s number form: `1.200` is 1,200 for a Vietnamese reader, asked about for an English one', () => {
    expect(parseQuotaForm(values({ rep: 'U1', amount: '1.200' }), { ...ctx, locale: 'vi' })).toMatchObject({ ok: true, amountMinor: 120_000n, currency: 'USD' });
    const en = parseQuotaForm(values({ rep: 'U1', amount: '1.200' }), { ...ctx, locale: 'en' });
    expect(en.ok).toBe(false);
    if (!en.ok) expect(en.errors.amount).toMatch(/ambiguous/);
    const vi = parseQuotaForm(values({ rep: 'U1', amount: '1,200' }), { ...ctx, locale: 'vi' });
    expect(vi.ok).toBe(false);
    if (!vi.ok) expect(vi.errors.amount).toContain('"1,200" chưa rõ với USD: dấu phẩy');
  });

  test('every problem comes back at once, on its field', () => {
    const r = parseQuotaForm(values({ amount: 'lots', which: 'specific' }), ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(Object.keys(r.errors).sort()).toEqual(['amount', 'period_specific', 'rep']);
      expect(r.errors.amount).toMatch(/couldn't read "lots"/);
    }
  });

  test.each([
    ['zero', '0', /more than zero/],
    ['negative', '-5k', /negative/],
    ['empty', '', /Enter the quota/],
    ['ambiguous', '1.200', /ambiguous/],
  ])('a bad amount (%s) is refused on the amount field', (_n, amount, pattern) => {
    const r = parseQuotaForm(values({ rep: 'U1', amount }), ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.amount).toMatch(pattern);
  });

  test('both a rep and a team, a currency clash, and a period that is not a month/quarter/year', () => {
    const r = parseQuotaForm(values({ rep: 'U1', team: '2', amount: '800tr', currency: 'USD', specific: 'last 30 days' }), ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.team).toMatch(/not both/);
      expect(r.errors.amount).toMatch(/says VND but the currency field is USD/);
      expect(r.errors.period_specific).toMatch(/month, quarter or year/);
    }
  });
});

describe('parseQuotaSetCommand', () => {
  const teams = [
    { id: 1, workspaceId: 1, name: 'North', createdAt: now },
    { id: 2, workspaceId: 1, name: 'North America', createdAt: now },
    { id: 3, workspaceId: 1, name: 'Team 2', createdAt: now },
  ];
  const ctx = { defaultCurrency: 'USD', period: berlin, teams };
  const parse = (text: string) => parseQuotaSetCommand(text.split(' ').filter(Boolean), ctx);

  test('the amount in the asker\'s number form', () => {
    expect(parseQuotaSetCommand(['<@U1|dana>', '1.200', 'EUR', 'quarter'], { ...ctx, locale: 'vi' })).toMatchObject({ kind: 'set', amountMinor: 120_000n, currency: 'EUR' });
    expect(parseQuotaSetCommand(['<@U1|dana>', '12.000'], { ...ctx, locale: 'vi' })).toMatchObject({ kind: 'set', amountMinor: 1_200_000n, currency: 'USD' });
    expect(() => parseQuotaSetCommand(['<@U1|dana>', '12.000'], ctx)).toThrow(/ambiguous/);
    expect(() => parseQuotaSetCommand(['<@U1|dana>', '12,000'], { ...ctx, locale: 'vi' })).toThrow(/ambiguous/);
  });
  const refused = (text: string): AppError => {
    try {
      parse(text);
    } catch (e) {
      if (e instanceof AppError) return e;
      throw e;
    }
    throw new Error(`"${text}" was accepted`);
  };

  test('nothing opens the modal; who alone opens it prefilled', () => {
    expect(parse('')).toEqual({ kind: 'modal', prefill: {} });
    expect(parse('<@U1|dana>')).toEqual({ kind: 'modal', prefill: { repUserId: 'U1' } });
    expect(parse('team North America')).toEqual({ kind: 'modal', prefill: { teamId: 2 } });
  });

  test('an escaped mention, an amount and a bare period kind (the current one)', () => {
    const r = parse('<@U123|dana> 50k quarter');
    expect(r).toMatchObject({ kind: 'set', target: { kind: 'user', userId: 'U123' }, amountMinor: 5_000_000n, currency: 'USD' });
    if (r.kind === 'set') expect(r.period).toMatchObject({ key: '2026-Q4', start: new Date('2026-09-30T22:00:00Z'), end: new Date('2026-12-31T23:00:00Z'), timeZone: 'Europe/Berlin' });
  });

  test('the default period is this month', () => {
    const r = parse('<@U1> $50,000');
    expect(r.kind === 'set' && r.period.key).toBe('2026-11');
  });

  test.each([
    ['<@U1|d> 50k this quarter', '2026-Q4', 'USD', 5_000_000n],
    ['<@U1|d> 50k next quarter', '2027-Q1', 'USD', 5_000_000n],
    ['<@U1|d> 50k 2026-Q3', '2026-Q3', 'USD', 5_000_000n],
    ['<@U1|d> 50k EUR year', '2026', 'EUR', 5_000_000n],
    ['<@U1|d> 50,000 eur 2027', '2027', 'EUR', 5_000_000n],
    ['<@U1|d> 800tr 2026-12', '2026-12', 'VND', 800_000_000n],
    ['<@U1|d> 800 triệu quarterly', '2026-Q4', 'VND', 800_000_000n],
    ['<@U1|d> 12.000.000 ₫ jun', '2026-06', 'VND', 12_000_000n],
    ['team North 100k quarter', '2026-Q4', 'USD', 10_000_000n],
    ['team Team 2 100k', '2026-11', 'USD', 10_000_000n],
    ['North America 1.5m year', '2026', 'USD', 150_000_000n],
  ])('%s', (text, key, currency, amountMinor) => {
    const r = parse(text);
    expect(r).toMatchObject({ kind: 'set', currency, amountMinor });
    if (r.kind === 'set') expect(r.period.key).toBe(key);
  });

  test('team names with spaces: the longest matching name wins', () => {
    const r = parse('team North America 100k');
    expect(r.kind === 'set' && r.target.kind === 'team' && r.target.team.id).toBe(2);
  });

  test.each([
    ['@dana 50k', /Mention the rep/],
    ['dana 50k', /mention a rep, or write "team"/],
    ['team South 100k', /no team called "South"/],
    ['<@U1> lots', /couldn't read "lots"/],
    ['<@U1> 0', /more than zero/],
    ['<@U1> 50k ytd', /month, quarter or year/],
    ['<@U1> 50k this week', /month, quarter or year/],
    ['<@U1> 50k someday', /didn't understand the quota period/],
    ['<@U1> $50k EUR', /Give just one currency/],
  ])('"%s" is refused with a reason', (text, pattern) => {
    const e = refused(text);
    expect(e.message).toMatch(pattern);
  });
});

describe('parseQuotaPeriod', () => {
  test('fiscal quarters follow the fiscal year start', () => {
    const fiscal = { ...berlin, fiscalYearStartMonth: 4 };
    expect(parseQuotaPeriod('quarter', fiscal).key).toBe('FY2027-Q3');
    expect(relativeQuotaPeriod('year', 'next', fiscal).key).toBe('FY2028');
  });

  test('next month across a year end, and DST-safe boundaries', () => {
    const dec = { ...berlin, now: new Date('2026-12-15T12:00:00Z') };
    const p = parseQuotaPeriod('next month', dec);
    expect(p.key).toBe('2027-01');
    const march = parseQuotaPeriod('2026-03', berlin);
    expect(march.end.getTime() - march.start.getTime()).toBe((31 * 24 - 1) * 3600 * 1000);
  });
});

describe('quota messages', () => {
  test('the confirmation states the formatted amount, the period label and the time zone', () => {
    const period = parseQuotaPeriod('2026-Q3', berlin);
    const m = buildQuotaConfirmation({
      who: { kind: 'rep', slackUserId: 'U1', name: 'dana' },
      amountMinor: 5_400_000n,
      currency: 'USD',
      entered: { amountMinor: 5_000_000n, currency: 'EUR' },
      period,
      replacedMinor: 4_000_000n,
      changed: true,
    });
    expect(m.text).toBe('Quota set: <@U1>: $54,000 (entered as €50,000, converted at the workspace rate) for Q3 2026 (Jul 1 – Sep 30), time zone Europe/Berlin. It replaces $40,000.');
    expect(findLimitViolations(m.blocks ?? [])).toEqual([]);
  });

  test('a list of 1,200 teams stays within 50 blocks and 3,000 characters per section', () => {
    const m = buildTeamList(Array.from({ length: 1200 }, (_, i) => ({ name: `${'Team name '.repeat(8)}${i}`, members: i % 7 })));
    expect(findLimitViolations(m.blocks ?? [])).toEqual([]);
    expect(JSON.stringify(m.blocks)).toContain('…and 200 more');
  });
});
