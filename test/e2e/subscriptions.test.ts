import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { evaluateAlerts } from '../../src/domain/alerts/index.js';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { blockActionPayload, dealModalValues, newTriggerId, viewSubmissionPayload } from '../helpers/slack-requests.js';
import { testEngines } from '../helpers/test-db.js';

/**
 * The subscription lifecycle through signed requests, as Slack sends them: 30 subscriptions of
 * 10,000,000 VND logged with the deal form in October, three churned in November (backdated, after
 * November was already asked and cached), then expansion, contraction, a renewal, a reactivation
 * and a new customer in December. Clock: 2026-12-10 12:00 UTC; workspace in VND, UTC.
 */
const NOW = new Date('2026-12-10T12:00:00Z');
const pad = (i: number) => String(i).padStart(2, '0');

describe.each(testEngines())('subscriptions end to end on %s', (dialect) => {
  let h: Harness;
  let seq = 0;
  let view = 0;

  async function run(command: string, text: string, opts: { user?: string; trigger?: string } = {}): Promise<{ text: string; blocks?: unknown[] }> {
    const id = `s${++seq}`;
    const res = await h.slack.command(command, text, { user_id: opts.user ?? 'U0REP', response_url: h.fake.responseUrl(id), trigger_id: opts.trigger ?? newTriggerId() });
    expect(res.status).toBe(200);
    const [answer] = await h.fake.waitFor(() => (h.fake.responsesTo(id).length > 0 ? h.fake.responsesTo(id) : null));
    return answer as { text: string; blocks?: unknown[] };
  }
  const kpi = async (text: string) => (await run('/kpi', text)).text;

  async function submitDeal(values: ReturnType<typeof dealModalValues>): Promise<void> {
    const userId = 'U0REP';
    const res = await h.slack.interaction(
      viewSubmissionPayload({ userId, viewId: `VSUB${++view}`, callbackId: 'deal_modal', privateMetadata: h.seal('deal-modal', JSON.stringify({ channelId: 'C0SALES' }), { userId }), values }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
  }
  const subscription = (customer: string, closeDate: string, recurring = '10m', type = 'new') =>
    submitDeal(dealModalValues({ customer, amount: recurring, currency: 'VND', type, status: 'won', closeDate, owner: 'U0REP', recurring }));

  const p = () => h.database.db.prisma;
  const version = async () => (await p().workspace.findUniqueOrThrow({ where: { slackTeamId: 'T0FAKE' } })).historyVersion;
  const writes = async () => ({ deals: await p().deal.count(), changes: await p().subscriptionChange.count(), audits: await p().auditEntry.count(), ended: await p().deal.count({ where: { subscriptionEnd: { not: null } } }) });

  beforeAll(async () => {
    h = await startHarness(dialect, { CURRENCY_DEFAULT: 'VND', TZ_DEFAULT: 'UTC' });
    h.setNow(NOW);
    h.fake.addUser({ id: 'U0ADMIN', name: 'alice', real_name: 'Alice Admin', tz: 'UTC' });
    h.fake.addUser({ id: 'U0REP', name: 'bob', real_name: 'Bob Rep', tz: 'UTC' });
    h.fake.addUser({ id: 'U0REP2', name: 'carol', real_name: 'Carol Rep', tz: 'UTC' });
    await run('/kpi', 'settings', { user: 'U0ADMIN' });
    for (let i = 1; i <= 30; i++) await subscription(`Sub ${pad(i)}`, '2026-10-05');
  });
  afterAll(async () => h?.stop());

  test('30 subscriptions of 10,000,000 VND: MRR 300,000,000 ₫ and ARR 3,600,000,000 ₫, all new in October', async () => {
    const oct = await kpi('mrr 2026-10');
    expect(oct).toContain('MRR 300,000,000 ₫, ARR 3,600,000,000 ₫ — 30 active subscriptions');
    expect(oct).toContain('movements: new +300,000,000 ₫, expansion +0 ₫, contraction -0 ₫, churned -0 ₫, reactivated +0 ₫ (net +300,000,000 ₫)');
  });

  test('churning 3 in November (backdated, after November was cached): MRR 270,000,000 ₫, churned 30,000,000 ₫, NRR/GRR 90%, logo churn 10%', async () => {
    const before = await kpi('mrr 2026-11');
    expect(before).toContain('MRR 300,000,000 ₫');
    expect(await kpi('mrr 2026-11')).toBe(before); // answered again from the closed-period cache
    const v0 = await version();
    for (const [i, day] of [[1, '2026-11-03'], [2, '2026-11-15'], [3, '2026-11-30']] as const) {
      const answer = await run('/deal', `churn "Sub ${pad(i)}" ${day}`);
      expect(answer.text).toContain(`Churned: Sub ${pad(i)}’s subscription ends on ${day}; MRR down 10,000,000 ₫`);
    }
    expect(await version()).toBeGreaterThan(v0);
    const nov = await kpi('mrr 2026-11');
    expect(nov).toContain('MRR 270,000,000 ₫, ARR 3,240,000,000 ₫ — 27 active subscriptions');
    expect(nov).toContain('movements: new +0 ₫, expansion +0 ₫, contraction -0 ₫, churned -30,000,000 ₫, reactivated +0 ₫ (net -30,000,000 ₫)');
    expect(nov).toContain('NRR 90.0%, GRR 90.0%, logo churn 10.0% (3 of 30 customers)');
    // October is untouched: the churns start in November.
    expect(await kpi('mrr 2026-10')).toContain('MRR 300,000,000 ₫');
  });

  test('December: expansion, contraction, renewal, reactivation and a new customer sum exactly to the change', async () => {
    expect((await run('/deal', 'mrr "Sub 04" 15m 2026-12-01')).text).toContain('Expansion: Sub 04’s MRR is 15,000,000 ₫ from 2026-12-01 (was 10,000,000 ₫, +5,000,000 ₫)');
    expect((await run('/deal', 'mrr "Sub 05" 8 triệu 2026-12-02')).text).toContain('Contraction: Sub 05’s MRR is 8,000,000 ₫ from 2026-12-02 (was 10,000,000 ₫, -2,000,000 ₫)');
    // A renewal for a customer with a running subscription continues it: +2,000,000 expansion, no second subscription.
    await subscription('Sub 06', '2026-12-04', '12m', 'renewal');
    // Sub 01 churned in November and comes back: reactivated, not new.
    await subscription('Sub 01', '2026-12-05', '10m');
    await subscription('Fresh Co', '2026-12-06', '1m');
    const dec = await kpi('mrr this month');
    // 270 + 5 − 2 + 2 + 10 + 1 = 286 (millions); subscriptions: 27 + Sub 01 + Fresh Co (the renewal adds none).
    expect(dec).toContain('MRR 286,000,000 ₫, ARR 3,432,000,000 ₫ — 29 active subscriptions');
    expect(dec).toContain('movements: new +1,000,000 ₫, expansion +7,000,000 ₫, contraction -2,000,000 ₫, churned -0 ₫, reactivated +10,000,000 ₫ (net +16,000,000 ₫)');
    expect(dec).toContain('NRR 101.9%, GRR 99.3%, logo churn 0.0% (0 of 27 customers)');
    const renewal = await p().deal.findFirstOrThrow({ where: { customer: 'Sub 06', type: 'renewal' } });
    expect(renewal.subscriptionStart).toBeNull();
    expect(await p().subscriptionChange.count({ where: { sourceDealId: renewal.id, monthlyReportingMinor: 12_000_000n } })).toBe(1);
    // November's answer is not touched by December's movements.
    expect(await kpi('mrr 2026-11')).toContain('MRR 270,000,000 ₫');
  });

  test('/deal undo removes an MRR change; the Undo button restores a churned subscription', async () => {
    await run('/deal', 'mrr "Sub 07" 20m');
    expect(await kpi('mrr this month')).toContain('MRR 296,000,000 ₫');
    const undone = await run('/deal', 'undo');
    expect(undone.text).toContain('Undone: the MRR change of Sub 07 to 20,000,000 ₫ a month was removed.');
    expect(await kpi('mrr this month')).toContain('MRR 286,000,000 ₫');

    const churn = await run('/deal', 'churn "Sub 08"');
    expect(churn.text).toContain('Sub 08’s subscription ends on 2026-12-10');
    expect(await kpi('mrr this month')).toContain('MRR 276,000,000 ₫');
    const actions = (churn.blocks ?? []).find((b) => (b as { type: string }).type === 'actions') as { elements: Array<{ action_id: string; value: string }> };
    const click = await h.slack.interaction(blockActionPayload({ userId: 'U0REP', channelId: 'C0SALES', actionId: 'deal_undo', value: actions.elements[0]!.value, responseUrl: h.fake.responseUrl('undo-churn') }));
    expect(click.status).toBe(200);
    await h.fake.waitFor(() => h.fake.responsesTo('undo-churn').length > 0);
    expect((await p().deal.findFirstOrThrow({ where: { customer: 'Sub 08' } })).subscriptionEnd).toBeNull();
    expect(await kpi('mrr this month')).toContain('MRR 286,000,000 ₫');
  });

  test('a repeated delivery of /deal churn or /deal mrr changes nothing again', async () => {
    const trigger = newTriggerId();
    expect((await run('/deal', 'mrr "Sub 09" 11m', { trigger })).text).toContain('Expansion');
    const before = await writes();
    expect((await run('/deal', 'mrr "Sub 09" 11m', { trigger })).text).toMatch(/Already done/);
    const churnTrigger = newTriggerId();
    expect((await run('/deal', 'churn "Sub 10"', { trigger: churnTrigger })).text).toContain('Churned');
    const afterChurn = await writes();
    expect(afterChurn).toMatchObject({ changes: before.changes, ended: before.ended + 1 });
    expect((await run('/deal', 'churn "Sub 10"', { trigger: churnTrigger })).text).toMatch(/Already done/);
    expect(await writes()).toEqual(afterChurn);
  });

  test('bad input gets a private answer saying what was wrong, and writes nothing', async () => {
    await run('/deal', 'won 5m "Plain Co"');
    const before = await writes();
    const cases: Array<[string, RegExp]> = [
      ['churn "Sub 11" 2026-10-01', /Sub 11's subscription started on 2026-10-05, so the churn date \(2026-10-01\) would be before it started/],
      ['mrr "Sub 11" 12m 2026-10-05', /Sub 11's subscription started on 2026-10-05, so the date of the new amount \(2026-10-05\) would be before it started/],
      ['churn "Plain Co"', /Plain Co has no subscription/],
      ['mrr "Plain Co" 5m', /Plain Co has no subscription/],
      ['churn Nobody', /I know no customer called Nobody/],
      ['mrr Nobody 5m', /I know no customer called Nobody/],
      ['churn "Sub 02"', /Sub 02's subscription already ended on 2026-11-15/],
      ['mrr "Sub 11" lots', /not an amount|amount/i],
      ['mrr "Sub 11" 0', /must be above zero/],
      ['mrr "Sub 11" 10m', /already 10,000,000 ₫ a month/],
      ['churn "Sub 11" 2026-02-30', /not a date/],
      ['churn "Sub 11" 2026-12-31', /in the future/],
      ['churn', /Whose subscription ended\?/],
      ['churn #999999', /There is no deal #999999/],
    ];
    for (const [text, why] of cases) {
      const answer = await run('/deal', text);
      expect(answer.text, text).toMatch(why);
      expect(answer.text, text).not.toMatch(/Churned:|Expansion:|Contraction:/);
    }
    // Someone else's subscription: only its owner, a manager or an admin may change it.
    expect((await run('/deal', 'churn "Sub 12"', { user: 'U0REP2' })).text).toMatch(/belongs to someone else/);
    expect(await writes()).toEqual(before);
  });

  test('alerts watch MRR churn (threshold settable); the digest shows the movements', async () => {
    const workspace = await p().workspace.findUniqueOrThrow({ where: { slackTeamId: 'T0FAKE' } });
    // November: 30,000,000 ₫ of 300,000,000 ₫ churned = 10%, at or above the default 5%.
    const november = await evaluateAlerts({ db: h.database.db, workspace, now: NOW, periodKind: 'month', scope: { kind: 'workspace' } });
    const churn = november.conditions.find((c) => c.rule === 'mrr-churn');
    expect(churn?.message).toBe('MRR churn 10.0% this month: 3 of 30 customers left, taking 30,000,000 ₫ of 300,000,000 ₫ MRR (threshold: 5%).');
    expect((await run('/kpi', 'alerts set mrr-churn 15%', { user: 'U0ADMIN' })).text).toMatch(/15%/);
    const raised = await evaluateAlerts({ db: h.database.db, workspace, now: NOW, periodKind: 'month', scope: { kind: 'workspace' } });
    expect(raised.conditions.filter((c) => c.rule === 'mrr-churn')).toEqual([]);
    expect(raised.evaluated.map((e) => e.rule)).toContain('mrr-churn');

    // The weekly digest (last week: Nov 30 – Dec 6) has the MRR section although the default KPI list has no mrr.
    const digest = await run('/kpi', 'digest', { user: 'U0ADMIN' });
    const body = JSON.stringify(digest.blocks);
    expect(body).toContain('*MRR* 286,000,000 ₫');
    // Sub 03's churn dated Nov 30 falls in that week (it counted at the week's start, not at its end).
    expect(body).toContain('Movements: new +1,000,000 ₫, expansion +7,000,000 ₫, contraction -2,000,000 ₫, churned -10,000,000 ₫, reactivated +10,000,000 ₫ (net +6,000,000 ₫)');
    expect(body).toContain('NRR 98.2%, GRR 95.7%, logo churn 3.6% (1 of 28 customers)');
  });

  test('/deal help lists the subscription forms', async () => {
    const help = await run('/deal', 'help');
    expect(help.text).toContain('/deal churn Acme');
    expect(help.text).toContain('/deal mrr Acme 12k');
  });
});
