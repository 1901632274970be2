import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { blockActionPayload, dealModalValues, quotaModalValues, viewSubmissionPayload } from '../helpers/slack-requests.js';
import { testEngines } from '../helpers/test-db.js';

/**
 * Crafted interactive payloads and out-of-bounds input, through signed requests to the real app:
 * each is refused with a private answer or a field error and writes nothing.
 */
describe.each(testEngines())('crafted payloads and input bounds on %s', (dialect) => {
  let h: Harness;
  let seq = 0;
  const nextId = () => `c${++seq}`;

  beforeAll(async () => {
    h = await startHarness(dialect);
    h.fake.addUser({ id: 'U0ADMIN', name: 'alice', real_name: 'Alice Admin', tz: 'UTC' });
    h.fake.addUser({ id: 'U0REP', name: 'bob', real_name: 'Bob Rep', tz: 'UTC' });
    h.fake.addUser({ id: 'U0REP2', name: 'carol', real_name: 'Carol Rep', tz: 'UTC' });
    await run('/kpi', 'settings', 'U0ADMIN'); // first contact: admin
  });
  afterAll(async () => h?.stop());
  beforeEach(() => h.fake.reset());

  async function waitResponse(id: string) {
    const [answer] = await h.fake.waitFor(() => (h.fake.responsesTo(id).length > 0 ? h.fake.responsesTo(id) : null));
    return answer as { text: string; blocks?: unknown[]; response_type?: string; replace_original?: boolean };
  }

  async function run(command: string, text: string, user = 'U0REP') {
    const id = nextId();
    const res = await h.slack.command(command, text, { user_id: user, response_url: h.fake.responseUrl(id) });
    expect(res.status).toBe(200);
    return waitResponse(id);
  }

  async function click(actionId: string, value: string, user = 'U0REP', channelId = 'C0SALES') {
    const id = nextId();
    const res = await h.slack.interaction(blockActionPayload({ userId: user, channelId, actionId, value, responseUrl: h.fake.responseUrl(id) }));
    expect(res.status).toBe(200);
    return waitResponse(id);
  }

  async function counts() {
    const p = h.database.db.prisma;
    return {
      deals: await p.deal.count(),
      audits: await p.auditEntry.count(),
      stages: await p.dealStageChange.count(),
      quotas: await p.quota.count(),
      rates: await p.currencyRate.count(),
      snoozes: await p.alertSnooze.count(),
    };
  }

  const undoValueOf = (answer: { blocks?: unknown[] }) => {
    const actions = (answer.blocks ?? []).find((b) => (b as { type: string }).type === 'actions') as { elements: Array<{ action_id: string; value: string }> };
    return actions.elements.find((e) => e.action_id === 'deal_undo')!.value;
  };

  describe('the Undo button', () => {
    test('a plain deal id (another rep\'s deal) is refused privately and undoes nothing', async () => {
      await run('/deal', 'won 4k Carolco', 'U0REP2');
      const theirs = await h.database.db.prisma.deal.findFirstOrThrow({ where: { customer: 'Carolco' } });
      const before = await counts();
      const reply = await click('deal_undo', String(theirs.id));
      expect(reply.replace_original).toBe(false);
      expect(reply.text).toContain('This button is no longer valid');
      expect(await counts()).toEqual(before);
    });

    test('the MAC of one confirmation does not carry over to another deal id', async () => {
      const first = await run('/deal', 'won 5k Firstco');
      await run('/deal', 'won 6k Secondco');
      const second = await h.database.db.prisma.deal.findFirstOrThrow({ where: { customer: 'Secondco' } });
      const mac = undoValueOf(first).split('~')[1]!;
      const before = await counts();
      const reply = await click('deal_undo', `${second.id}~${mac}`);
      expect(reply.text).toContain('This button is no longer valid');
      expect(await counts()).toEqual(before);
      expect(await h.database.db.prisma.deal.count({ where: { customer: { in: ['Firstco', 'Secondco'] } } })).toBe(2);
    });

    test('a button made for one user does nothing for another', async () => {
      const mine = await run('/deal', 'won 7k Thirdco');
      const before = await counts();
      const reply = await click('deal_undo', undoValueOf(mine), 'U0ADMIN');
      expect(reply.text).toContain('This button is no longer valid');
      expect(await counts()).toEqual(before);
    });
  });

  describe('the deal modal', () => {
    const submit = (privateMetadata: string, values = dealModalValues({ customer: 'Crafted Co', amount: '9k', owner: 'U0REP' }), userId = 'U0REP') =>
      h.slack.interaction(viewSubmissionPayload({ userId, viewId: nextId(), callbackId: 'deal_modal', privateMetadata, values }));

    test.each([
      ['unsigned metadata pointing at another channel', () => JSON.stringify({ channelId: 'C0OTHER' })],
      ['a signed channel swapped for another', () => h.seal('deal-modal', JSON.stringify({ channelId: 'C0SALES' }), { userId: 'U0REP' }).replace('C0SALES', 'C0OTHER')],
      ['another message\'s source key', () => h.seal('deal-modal', JSON.stringify({ channelId: 'C0SALES', sourceKey: 'msg:C0SALES:1.1' }), { userId: 'U0REP' }).replace('1.1', '2.2')],
      ['metadata made for another user', () => h.seal('deal-modal', JSON.stringify({ channelId: 'C0OTHER' }), { userId: 'U0REP2' })],
    ])('%s: a field error, nothing saved or posted', async (_name, meta) => {
      const before = await counts();
      const res = await submit(meta());
      expect(res.status).toBe(200);
      const body = res.json() as { response_action: string; errors: Record<string, string> };
      expect(body.response_action).toBe('errors');
      expect(body.errors.customer).toContain('This form is no longer valid');
      expect(await counts()).toEqual(before);
      await new Promise((r) => setTimeout(r, 50));
      expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0OTHER' || JSON.stringify(c.args).includes('Crafted Co'))).toHaveLength(0);
    });

    test.each([
      ['a currency not in the list', { currency: 'XYZ' }, 'currency'],
      ['a crafted status', { status: 'won; drop' }, 'status'],
      ['a stage that does not exist', { status: 'open:banana' }, 'status'],
      ['a crafted type', { type: 'enterprise' }, 'type'],
      ['an impossible date', { closeDate: '2026-02-30' }, 'close_date'],
      ['year 0001', { closeDate: '0001-01-01' }, 'close_date'],
      ['year 99999', { closeDate: '99999-01-01' }, 'close_date'],
      ['a garbage date', { closeDate: 'yesterday' }, 'close_date'],
      ['an invisible customer', { customer: '\u200B\u200B' }, 'customer'],
    ])('%s comes back as a field error and saves nothing', async (_name, over, field) => {
      const before = await counts();
      const meta = h.seal('deal-modal', JSON.stringify({ channelId: 'C0SALES' }), { userId: 'U0REP' });
      const res = await submit(meta, dealModalValues({ customer: 'Optionco', amount: '9k', owner: 'U0REP', ...over }));
      expect(res.status).toBe(200);
      const body = res.json() as { response_action: string; errors: Record<string, string> };
      expect(body.response_action).toBe('errors');
      expect(Object.keys(body.errors)).toContain(field);
      expect(await counts()).toEqual(before);
    });

    test('bidi controls are removed from the stored name', async () => {
      const meta = h.seal('deal-modal', JSON.stringify({ channelId: 'C0SALES' }), { userId: 'U0REP' });
      const res = await submit(meta, dealModalValues({ customer: '\u202EBidico\u202C', amount: '2k', owner: 'U0REP' }));
      expect(res.body).toBe('');
      expect(await h.database.db.prisma.deal.count({ where: { customer: 'Bidico' } })).toBe(1);
    });
  });

  test('a crafted quota modal metadata saves nothing', async () => {
    const before = await counts();
    const res = await h.slack.interaction(
      viewSubmissionPayload({ userId: 'U0ADMIN', viewId: 'VQX', callbackId: 'quota_modal', privateMetadata: JSON.stringify({ channelId: 'C0OTHER', origin: 'home' }), values: quotaModalValues({ rep: 'U0REP', amount: '40k' }) }),
    );
    const body = res.json() as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors.amount).toContain('This form is no longer valid');
    expect(await counts()).toEqual(before);
  });

  test('a crafted Share value is refused privately and nothing is posted in the channel', async () => {
    const id = nextId();
    await h.slack.interaction(blockActionPayload({ userId: 'U0REP', channelId: 'C0SALES', actionId: 'kpi_share', value: '{"v":1,"k":"revenue","i":"","p":"2026-11","a":1,"s":"w"}', responseUrl: h.fake.responseUrl(id) }));
    const reply = await waitResponse(id);
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain('This button is no longer valid');
    await new Promise((r) => setTimeout(r, 50));
    expect(h.fake.responsesTo(id).filter((r) => r.response_type === 'in_channel')).toHaveLength(0);
    expect(h.fake.callsTo('chat.postMessage').filter((c) => JSON.stringify(c.args).includes('Shared by'))).toHaveLength(0);
  });

  test('a crafted Snooze value (a condition never alerted on) snoozes nothing', async () => {
    const before = await counts();
    const reply = await click('alert_snooze', 'winrate-drop|team:999', 'U0ADMIN', 'C0ALERTS');
    expect(reply.text).toContain('This button is no longer valid');
    expect(await counts()).toEqual(before);
  });

  describe('quick forms', () => {
    test('an over-long lost reason is refused with the limit; the deal stays open', async () => {
      await run('/deal', 'stage Longco demo 3k');
      const before = await counts();
      const a = await run('/deal', `lost Longco ${'too expensive '.repeat(40)}`);
      expect(a.response_type).toBe('ephemeral');
      expect(a.text).toMatch(/at most 500 characters/);
      expect(await counts()).toEqual(before);
      expect(await h.database.db.prisma.deal.findFirstOrThrow({ where: { customer: 'Longco' } })).toMatchObject({ status: 'open', lostReason: null });
    });

    test('/deal won 12 XYZ Foo is asked back, not guessed', async () => {
      const before = await counts();
      const a = await run('/deal', 'won 12 XYZ Foo');
      expect(a.text).toContain('XYZ is not a currency I know');
      expect(JSON.stringify(a.blocks)).toContain('/deal won 12 USD \\"XYZ Foo\\"');
      expect(await counts()).toEqual(before);
      await run('/deal', 'won 12 USD "XYZ Foo"');
      expect(await h.database.db.prisma.deal.findFirstOrThrow({ where: { customer: 'XYZ Foo' } })).toMatchObject({ amountMinor: 1200n, currency: 'USD' });
    });

    test.each([
      ['an invisible customer', 'won 5k "\u200B\u2060"', /no visible characters/],
      ['an over-long customer', `stage ${'N'.repeat(201)} demo`, /at most 200 characters/],
    ])('%s is refused', async (_name, text, pattern) => {
      const before = await counts();
      const a = await run('/deal', text);
      expect(a.text).toMatch(pattern);
      expect(await counts()).toEqual(before);
    });

    test.each([['EUR 1e400'], ['EUR 0x10'], ['EUR 0'], ['EUR 0.0000001'], ['EUR 2000000000'], ['VND 25000']])('/kpi rate %s is refused', async (args) => {
      const before = await counts();
      const a = await run('/kpi', `rate ${args}`, 'U0ADMIN');
      expect(a.text).toMatch(/rate|how much one unit/i);
      expect(a.text).not.toMatch(/^Saved/);
      expect(await counts()).toEqual(before);
    });
  });
});
