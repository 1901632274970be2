import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { blockActionPayload, newTriggerId, viewSubmissionPayload } from '../helpers/slack-requests.js';
import { testEngines } from '../helpers/test-db.js';
import { genericMapping, importDeals, parseCsv } from '../../src/domain/imports/index.js';
import { openDatabase } from '../../src/storage/db.js';

/**
 * Refunds fed by real input, end to end through signed Slack requests: `/deal refund`, its
 * questions back (which deal, confirm above the deal), the refund form, undo, and what
 * `/kpi revenue` then shows. Clock: 2026-11-20 12:00 UTC (workspace in UTC), so "this month" is
 * November 2026 whatever day the tests run.
 */
const NOW = new Date('2026-11-20T12:00:00Z');

type TAnswer = { text: string; blocks?: unknown[]; response_type?: string; replace_original?: boolean };

describe.each(testEngines())('refunds end to end on %s', (dialect) => {
  let h: Harness;
  let seq = 0;
  let clicks = 0;

  beforeAll(async () => {
    h = await startHarness(dialect);
    h.setNow(NOW);
    h.fake.addUser({ id: 'U0ADMIN', name: 'alice', real_name: 'Alice Admin', tz: 'UTC' });
    h.fake.addUser({ id: 'U0REP', name: 'bob', real_name: 'Bob Rep', tz: 'UTC' });
    h.fake.addUser({ id: 'U0REP2', name: 'carol', real_name: 'Carol Rep', tz: 'UTC' });
    h.fake.addUser({ id: 'U0NEW', name: 'dan', real_name: 'Dan New', tz: 'UTC' });
    await run('/kpi', 'settings', 'U0ADMIN');
    await run('/deal', 'won 10m Acme', 'U0REP');
  });
  afterAll(async () => h?.stop());
  beforeEach(() => {
    h.setNow(NOW);
    h.fake.reset();
  });

  async function run(command: string, text: string, user = 'U0REP', extra: Record<string, string> = {}): Promise<TAnswer> {
    const id = `r${++seq}`;
    const res = await h.slack.command(command, text, { user_id: user, response_url: h.fake.responseUrl(id), ...extra });
    expect(res.status).toBe(200);
    const [answer] = await h.fake.waitFor(() => (h.fake.responsesTo(id).length > 0 ? h.fake.responsesTo(id) : null));
    return answer as TAnswer;
  }

  /** Clicks a button of an answer (a fresh action_ts per click, as Slack sends). */
  async function click(answer: TAnswer, actionId: string | RegExp, user = 'U0REP'): Promise<TAnswer> {
    const id = `b${++seq}`;
    const buttons = (answer.blocks ?? []).flatMap((b) => ((b as { type: string }).type === 'actions' ? (b as { elements: Array<{ action_id: string; value: string }> }).elements : []));
    const button = buttons.find((e) => (typeof actionId === 'string' ? e.action_id === actionId : actionId.test(e.action_id)));
    if (!button) throw new Error(`no ${String(actionId)} button in ${JSON.stringify(answer.blocks)}`);
    const payload = blockActionPayload({ userId: user, channelId: 'C0SALES', actionId: button.action_id, value: button.value, responseUrl: h.fake.responseUrl(id) });
    (payload.actions as Array<{ action_ts: string }>)[0]!.action_ts = `1800000000.${String(++clicks).padStart(6, '0')}`;
    const res = await h.slack.interaction(payload);
    expect(res.status).toBe(200);
    const [reply] = await h.fake.waitFor(() => (h.fake.responsesTo(id).length > 0 ? h.fake.responsesTo(id) : null));
    return reply as TAnswer;
  }

  const p = () => h.database.db.prisma;
  async function counts() {
    return { refunds: await p().refund.count(), audits: await p().auditEntry.count(), reps: await p().rep.count(), deals: await p().deal.count() };
  }
  const revenue = async (period = 'this month') => (await run('/kpi', `revenue ${period}`, 'U0ADMIN')).text;
  const wonDeal = (customer: string) => p().deal.findFirstOrThrow({ where: { customer, status: 'won' } });

  test('a 2,000,000 refund lowers this month’s net revenue by exactly that; /kpi revenue shows gross, refunds and net', async () => {
    expect(await revenue()).toBe('Net revenue (November 2026, UTC): $10,000,000 — $10,000,000 won, no refunds');
    const before = await counts();
    const answer = await run('/deal', 'refund Acme 2m damaged goods');
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toMatch(/^Refund recorded: \$2,000,000 on Acme \(deal #\d+\): damaged goods/);
    const deal = await wonDeal('Acme');
    const refunds = await p().refund.findMany({ where: { dealId: deal.id } });
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ amountMinor: 200_000_000n, currency: 'USD', amountReportingMinor: 200_000_000n, reason: 'damaged goods', source: 'slack-command', externalId: null });
    expect(refunds[0]!.recordedAt.toISOString()).toBe(NOW.toISOString());
    expect(await counts()).toEqual({ ...before, refunds: before.refunds + 1, audits: before.audits + 1 });
    const audit = await p().auditEntry.findFirstOrThrow({ where: { entity: 'refund', entityId: refunds[0]!.id } });
    expect(audit).toMatchObject({ action: 'create', actorSlackUserId: 'U0REP' });
    expect(audit.requestKey).toMatch(/^cmd:/);
    // Gross won is unchanged; net is exactly 2,000,000 lower.
    const id = `k${++seq}`;
    await h.slack.command('/kpi', 'revenue this month', { user_id: 'U0ADMIN', response_url: h.fake.responseUrl(id) });
    const [kpi] = (await h.fake.waitFor(() => (h.fake.responsesTo(id).length > 0 ? h.fake.responsesTo(id) : null))) as TAnswer[];
    expect(kpi!.text).toBe('Net revenue (November 2026, UTC): $8,000,000 — $10,000,000 won − $2,000,000 refunds');
    expect(JSON.stringify(kpi!.blocks)).toContain('*Gross won* $10,000,000  −  *Refunds* $2,000,000  =  *Net* $8,000,000');
    // October is untouched: the refund counts in the period it was recorded.
    expect(await revenue('last month')).toMatch(/no revenue in October 2026/);
  });

  test('the same delivery twice (same trigger) records one refund', async () => {
    const trigger = newTriggerId();
    const before = await counts();
    const first = await run('/deal', 'refund Acme 100k', 'U0REP', { trigger_id: trigger });
    expect(first.text).toMatch(/^Refund recorded/);
    const second = await run('/deal', 'refund Acme 100k', 'U0REP', { trigger_id: trigger });
    expect(second.text).toMatch(/^Already done — this request was handled at \d\d:\d\d; nothing changed again\./);
    expect((await counts()).refunds).toBe(before.refunds + 1);
    // /deal undo removes it: net revenue is back to 8,000,000.
    const undone = await run('/deal', 'undo');
    expect(undone.text).toBe('Undone: the $100,000 refund on Acme was removed.');
    expect(await counts()).toEqual({ ...before, audits: before.audits + 2 });
    expect(await revenue()).toBe('Net revenue (November 2026, UTC): $8,000,000 — $10,000,000 won − $2,000,000 refunds');
  });

  test('more than was won needs a confirmation: nothing is written until Confirm, and Confirm records once', async () => {
    await run('/deal', 'won 1m Bigco', 'U0REP');
    const before = await counts();
    const asked = await run('/deal', 'refund Bigco 1.5m');
    expect(asked.text).toMatch(/\$1,500,000 is more than was won on Bigco \(deal #\d+, \$1,000,000\): only \$1,000,000 is left to refund on it\. Nothing was recorded\./);
    expect(await counts()).toEqual(before);
    // Cancel writes nothing and takes the question away.
    const cancelled = await click(asked, 'refund_cancel');
    expect(cancelled).toMatchObject({ replace_original: true, text: 'Cancelled: no refund was recorded.' });
    expect(await counts()).toEqual(before);
    // Confirm records it, once, however often it is clicked.
    const confirmed = await click(asked, 'refund_confirm');
    expect(confirmed.replace_original).toBe(true);
    expect(confirmed.text).toMatch(/^Refund recorded: \$1,500,000 on Bigco/);
    const again = await click(asked, 'refund_confirm');
    expect(again.text).toMatch(/^Already done/);
    expect(await counts()).toEqual({ ...before, refunds: before.refunds + 1, audits: before.audits + 1 });
    const deal = await wonDeal('Bigco');
    expect(await p().refund.findMany({ where: { dealId: deal.id }, select: { amountMinor: true } })).toEqual([{ amountMinor: 150_000_000n }]);
    // Earlier refunds count: nothing is left, so even 1 more needs a confirmation.
    const more = await run('/deal', 'refund Bigco 1');
    expect(more.text).toMatch(/nothing is left to refund on it/);
    expect((await counts()).refunds).toBe(before.refunds + 1);
    // The Undo button on the confirmation removes it.
    const undone = await click(confirmed, 'refund_undo');
    expect(undone).toMatchObject({ replace_original: true, text: 'Undone: the $1,500,000 refund on Bigco was removed.' });
    expect((await counts()).refunds).toBe(before.refunds);
  });

  test.each([
    ['an unknown customer', 'refund Nobody Inc 2m', /I don't know a customer called Nobody Inc/],
    ['a customer without a won deal', 'refund Openco 2m', /Openco has no won deal \(only open or lost ones\)/],
    ['a bad amount', 'refund Acme lots', /couldn't find the amount refunded in "lots"/],
    ['no amount', 'refund Acme', /How much was refunded to Acme\?/],
    ['a currency without a rate', 'refund Acme €500', /no conversion rate for EUR, so the refund was not recorded/],
  ])('%s: a private error with the right form, nothing written', async (_name, text, message) => {
    await run('/deal', 'stage Openco demo 5k', 'U0REP2');
    const before = await counts();
    const a = await run('/deal', text);
    expect(a.response_type).toBe('ephemeral');
    expect(a.text).toMatch(message);
    expect(JSON.stringify(a.blocks)).toMatch(/\/deal refund/);
    expect(JSON.stringify(a.blocks)).toContain('You typed');
    expect(await counts()).toEqual(before);
  });

  test('someone the app never met, naming an unknown customer, leaves no trace', async () => {
    const before = await counts();
    const a = await run('/deal', 'refund Ghost 2m', 'U0NEW');
    expect(a.text).toMatch(/I don't know a customer called Ghost/);
    expect(await counts()).toEqual(before);
    expect(await p().rep.findFirst({ where: { slackUserId: 'U0NEW' } })).toBeNull();
  });

  test("a rep cannot refund someone else's deal", async () => {
    const before = await counts();
    const a = await run('/deal', 'refund Acme 1k', 'U0REP2');
    expect(a.text).toMatch(/The won Acme deal belongs to bob\. Only its owner, a manager or an admin can record a refund/);
    expect(await counts()).toEqual(before);
  });

  test('several won deals for the customer: asked back privately with a button per deal', async () => {
    await run('/deal', 'won 3k "Twin Co"');
    h.setNow(new Date(NOW.getTime() + 60_000));
    await run('/deal', 'won 4k twin co');
    const deals = await p().deal.findMany({ where: { customerKey: 'twin co', status: 'won' }, orderBy: { id: 'asc' } });
    expect(deals).toHaveLength(2);
    const before = await counts();
    const asked = await run('/deal', 'refund "Twin Co" 500 wrong color');
    expect(asked.text).toBe('Twin Co has 2 won deals. Which one is the $500 refund for? Nothing is recorded until you pick one.');
    expect(await counts()).toEqual(before);
    const picked = await click(asked, `refund_pick_${deals[0]!.id}`);
    expect(picked.text).toMatch(new RegExp(`^Refund recorded: \\$500 on Twin Co \\(deal #${deals[0]!.id}\\): wrong color`));
    // The other button answers the same question: already done, nothing more.
    const other = await click(asked, `refund_pick_${deals[1]!.id}`);
    expect(other.text).toMatch(/^Already done/);
    expect(await p().refund.findMany({ where: { dealId: { in: deals.map((d) => d.id) } }, select: { dealId: true, amountMinor: true } })).toEqual([{ dealId: deals[0]!.id, amountMinor: 50_000n }]);
  });

  test('a crafted button value is refused and writes nothing', async () => {
    const before = await counts();
    const res = await h.slack.interaction(blockActionPayload({ userId: 'U0REP', channelId: 'C0SALES', actionId: 'refund_confirm', value: JSON.stringify({ d: 1, a: '1', c: 'USD', r: null, k: 'x', s: 'slack-command' }) + '~forged', responseUrl: h.fake.responseUrl('forged') }));
    expect(res.status).toBe(200);
    const [reply] = await h.fake.waitFor(() => (h.fake.responsesTo('forged').length > 0 ? h.fake.responsesTo('forged') : null));
    expect(String((reply as TAnswer).text)).toMatch(/no longer valid/);
    expect(await counts()).toEqual(before);
  });

  describe('the refund form', () => {
    let view = 0;
    const values = (v: { customer?: string; amount?: string; currency?: string; reason?: string; confirm?: boolean }) => ({
      customer: { value: { type: 'plain_text_input', value: v.customer ?? null } },
      amount: { value: { type: 'plain_text_input', value: v.amount ?? null } },
      currency: { value: { type: 'static_select', selected_option: { value: v.currency ?? 'USD', text: { type: 'plain_text', text: v.currency ?? 'USD' } } } },
      reason: { value: { type: 'plain_text_input', value: v.reason ?? null } },
      confirm: { value: { type: 'checkboxes', selected_options: v.confirm ? [{ value: 'over_cap', text: { type: 'plain_text', text: 'x' } }] : [] } },
    });
    async function submit(v: Parameters<typeof values>[0], viewId = `VREF${++view}`) {
      const userId = 'U0REP';
      const res = await h.slack.interaction(
        viewSubmissionPayload({ userId, viewId, callbackId: 'refund_modal', privateMetadata: h.seal('refund-modal', JSON.stringify({ channelId: 'C0SALES' }), { userId }), values: values(v) }),
      );
      expect(res.status).toBe(200);
      return res.body ? (JSON.parse(res.body) as { response_action: string; errors: Record<string, string> }) : null;
    }

    test('App Home’s Record refund and the deal form’s Record a refund open it', async () => {
      const home = await h.slack.interaction(blockActionPayload({ userId: 'U0REP', channelId: 'D0HOME', actionId: 'home_record_refund', value: 'home', responseUrl: h.fake.responseUrl('home') }));
      expect(home.status).toBe(200);
      const opened = await h.fake.waitFor(() => h.fake.callsTo('views.open')[0]);
      expect((opened.args.view as { callback_id: string }).callback_id).toBe('refund_modal');
      const fromDeal = blockActionPayload({ userId: 'U0REP', channelId: 'C0SALES', actionId: 'deal_modal_refund', value: 'refund', responseUrl: h.fake.responseUrl('dm') });
      fromDeal.view = { id: 'VDEAL', private_metadata: h.seal('deal-modal', JSON.stringify({ channelId: 'C0SALES' }), { userId: 'U0REP' }) };
      expect((await h.slack.interaction(fromDeal)).status).toBe(200);
      const pushed = await h.fake.waitFor(() => h.fake.callsTo('views.push')[0]);
      const view = pushed.args.view as { callback_id: string; private_metadata: string };
      expect(view.callback_id).toBe('refund_modal');
      expect(JSON.parse(h.unseal('refund-modal', view.private_metadata, { userId: 'U0REP' }))).toEqual({ channelId: 'C0SALES' });
    });

    test('a valid form records the refund once (a retried submission too) and confirms privately', async () => {
      const before = await counts();
      expect(await submit({ customer: 'acme', amount: '300k', reason: 'returned one unit' }, 'VREFONCE')).toBeNull();
      expect(await submit({ customer: 'acme', amount: '300k', reason: 'returned one unit' }, 'VREFONCE')).toBeNull();
      expect(await counts()).toEqual({ ...before, refunds: before.refunds + 1, audits: before.audits + 1 });
      const refund = await p().refund.findFirstOrThrow({ where: { reason: 'returned one unit' } });
      expect(refund).toMatchObject({ amountMinor: 30_000_000n, source: 'slack-modal' });
      const confirmation = await h.fake.waitFor(() => h.fake.callsTo('chat.postEphemeral')[0]);
      expect(String(confirmation.args.text)).toMatch(/^Refund recorded: \$300,000 on Acme/);
      await run('/deal', 'undo');
    });

    test('problems come back inline, on their fields, and nothing is written', async () => {
      const before = await counts();
      const bad = await submit({ customer: '', amount: 'lots' });
      expect(bad?.response_action).toBe('errors');
      expect(Object.keys(bad!.errors).sort()).toEqual(['amount', 'customer']);
      const unknown = await submit({ customer: 'Nobody Inc', amount: '2m' });
      expect(unknown!.errors.customer).toMatch(/I don't know a customer called Nobody Inc/);
      const over = await submit({ customer: 'Bigco', amount: '2m' });
      expect(over!.errors.amount).toMatch(/More than was won on Bigco \(\$1,000,000\)/);
      expect(over!.errors.confirm).toMatch(/Tick this/);
      expect(await counts()).toEqual(before);
      // Ticked: recorded.
      expect(await submit({ customer: 'Bigco', amount: '2m', confirm: true })).toBeNull();
      expect((await counts()).refunds).toBe(before.refunds + 1);
      await run('/deal', 'undo');
      expect((await counts()).refunds).toBe(before.refunds);
    });
  });

  test('a backdated refund imported by another process into a closed month changes that month’s answer at once', async () => {
    const first = await revenue('last month');
    expect(first).toBe('Net revenue (October 2026, UTC): no revenue in October 2026 (no deals won, no refunds)');
    expect(await revenue('last month')).toBe(first);
    const v = (await p().workspace.findUniqueOrThrow({ where: { slackTeamId: 'T0FAKE' } })).historyVersion;
    const other = openDatabase(h.database.url);
    try {
      const table = parseCsv(['record_type,external_id,customer,amount,refunded_at,refund_reason', 'refund,RF-OCT,Acme,"$30,000",2026-10-15,goodwill'].join('\n'), 'refunds.csv');
      const report = await importDeals({ db: other, workspaceTeamId: 'T0FAKE', rows: table.rows, columns: table.columns, file: table.file, mapping: genericMapping(), now: NOW });
      expect(report.refunds).toEqual({ imported: 1, updated: 0, unchanged: 0 });
    } finally {
      await other.close();
    }
    expect((await p().workspace.findUniqueOrThrow({ where: { slackTeamId: 'T0FAKE' } })).historyVersion).toBeGreaterThan(v);
    expect(await revenue('last month')).toBe('Net revenue (October 2026, UTC): -$30,000 — $0 won − $30,000 refunds');
  });

  test('a refund of a closed period: its undo after the month closed bumps the history version and changes the answer', async () => {
    // Recorded in November; asked in January, November is history (cached between answers).
    await run('/deal', 'won 1m Oldco');
    const recorded = await run('/deal', 'refund Oldco 250k');
    expect(recorded.text).toMatch(/^Refund recorded/);
    h.setNow(new Date('2027-01-10T12:00:00Z'));
    const version = async () => (await p().workspace.findUniqueOrThrow({ where: { slackTeamId: 'T0FAKE' } })).historyVersion;
    const first = await revenue('2026-11');
    expect(await revenue('2026-11')).toBe(first);
    const figures = (t: string) => {
      const m = /^Net revenue \(November 2026, UTC\): \$([\d,]+) — \$([\d,]+) won(?: − \$([\d,]+) refunds|, no refunds)$/.exec(t);
      if (!m) throw new Error(`unexpected answer: ${t}`);
      return m.slice(1).map((x) => Number((x ?? '0').replace(/,/g, '')));
    };
    const [net1, won1, refunds1] = figures(first);
    const v = await version();
    const undone = await run('/deal', 'undo');
    expect(undone.text).toBe('Undone: the $250,000 refund on Oldco was removed.');
    expect(await version()).toBeGreaterThan(v);
    const after = await revenue('2026-11');
    // The cached November answer is not reused: exactly the 250,000 is back in net revenue.
    expect(figures(after)).toEqual([net1! + 250_000, won1, refunds1! - 250_000]);
  });
});
