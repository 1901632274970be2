import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { runQuotaSet } from '../../src/slack/kpi/quota-set.js';
import { teamSubcommand } from '../../src/slack/kpi/team-subcommand.js';
import { KPI_SUBCOMMANDS } from '../../src/slack/listeners/commands/kpi.js';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { newTriggerId, viewSubmissionPayload, quotaModalValues } from '../helpers/slack-requests.js';
import { testEngines } from '../helpers/test-db.js';

/**
 * Until the lead registers `teamSubcommand` and the `/kpi quota` subcommand delegates `set` to
 * `runQuotaSet`, route them here (in this test process only). Once both are wired in, this does
 * nothing and the test runs through the real registration.
 */

describe.each(testEngines())('quotas, teams and the App Home end to end on %s', (dialect) => {
  let h: Harness;
  let seq = 0;
  const NOW = new Date('2026-08-15T10:00:00Z');

  beforeAll(async () => {
    h = await startHarness(dialect);
    h.setNow(NOW);
    h.fake.addUser({ id: 'U0ADMIN', name: 'alice', real_name: 'Alice Admin', tz: 'Europe/Berlin' });
    h.fake.addUser({ id: 'U0MGR', name: 'mia', real_name: 'Mia Manager', tz: 'Europe/Berlin' });
    h.fake.addUser({ id: 'U0REP', name: 'bob', real_name: 'Bob Rep', tz: 'Europe/Berlin' });
    h.fake.addUser({ id: 'U0REP2', name: 'carol', real_name: 'Carol Rep', tz: 'Europe/Berlin' });
    await run('/kpi', 'settings timezone Europe/Berlin', 'U0ADMIN');
    await run('/kpi', 'role <@U0MGR|mia> manager', 'U0ADMIN');
  });
  afterAll(async () => h?.stop());
  beforeEach(() => h.fake.reset());

  /** Runs a slash command and returns the private answer posted to its response_url. */
  async function run(command: string, text: string, user = 'U0REP', extra: Record<string, string> = {}) {
    const id = `q${++seq}`;
    const res = await h.slack.command(command, text, { user_id: user, response_url: h.fake.responseUrl(id), ...extra });
    expect(res.status).toBe(200);
    const [answer] = await h.fake.waitFor(() => {
      const r = h.fake.responsesTo(id);
      return r.length > 0 ? r : null;
    });
    return answer as { text: string; blocks?: unknown[]; response_type?: string };
  }

  const prisma = () => h.database.db.prisma;
  const repOf = (slackUserId: string) => prisma().rep.findFirstOrThrow({ where: { slackUserId } });

  function homeOpened(userId: string) {
    const body = JSON.stringify({
      token: 'legacy',
      team_id: 'T0FAKE',
      api_app_id: 'A0KPI',
      type: 'event_callback',
      event_id: `Ev${++seq}`,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_home_opened', user: userId, channel: `D${userId}`, tab: 'home', event_ts: `${Date.now() / 1000}` },
      authorizations: [{ team_id: 'T0FAKE', user_id: 'UBOT', is_bot: true }],
    });
    return h.slack.post(body, { contentType: 'application/json' });
  }

  function homeButton(userId: string, actionId: string) {
    return h.slack.interaction({
      type: 'block_actions',
      team: { id: 'T0FAKE', domain: 'fake' },
      user: { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: 'T0FAKE' },
      api_app_id: 'A0KPI',
      token: 'legacy',
      container: { type: 'view', view_id: 'VHOME1' },
      trigger_id: newTriggerId(),
      view: { id: 'VHOME1', type: 'home', team_id: 'T0FAKE', blocks: [], private_metadata: '', callback_id: 'app_home', state: { values: {} }, hash: 'h', app_id: 'A0KPI', bot_id: 'BBOT' },
      actions: [{ action_id: actionId, block_id: 'home_actions', value: 'home', type: 'button', action_ts: `${Date.now() / 1000}`, text: { type: 'plain_text', text: 'x' } }],
      is_enterprise_install: false,
    });
  }

  test('a manager sets a quarter quota with a mention: one quota, local quarter boundaries in the workspace zone, confirmed privately', async () => {
    const answer = await run('/kpi', 'quota set <@U0REP|bob> 50k quarter', 'U0MGR');
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('Quota set: <@U0REP>: $50,000 for Q3 2026 (Jul 1 – Sep 30), time zone Europe/Berlin.');
    const bob = await repOf('U0REP');
    const rows = await prisma().quota.findMany({ where: { repId: bob.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      periodKind: 'quarter',
      periodStart: new Date('2026-06-30T22:00:00Z'),
      periodEnd: new Date('2026-09-30T22:00:00Z'),
      amountMinor: 5_000_000n,
      currency: 'USD',
      teamId: null,
    });
    expect(await prisma().auditEntry.count({ where: { entity: 'quota', entityId: rows[0]!.id, actorSlackUserId: 'U0MGR' } })).toBe(1);

    const again = await run('/kpi', 'quota set <@U0REP|bob> 60k quarter', 'U0MGR');
    expect(again.text).toContain('It replaces $50,000.');
    expect(await prisma().quota.findMany({ where: { repId: bob.id } })).toMatchObject([{ amountMinor: 6_000_000n }]);
  });

  test('a rep is refused privately, with who can, and nothing is stored', async () => {
    const before = await prisma().quota.count();
    const answer = await run('/kpi', 'quota set <@U0REP2|carol> 50k', 'U0REP');
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toMatch(/Only managers and admins can set quotas/);
    expect(await prisma().quota.count()).toBe(before);
    expect(h.fake.callsTo('views.open')).toHaveLength(0);
  });

  test('bad input gets a private explanation with an example and stores nothing', async () => {
    const before = await prisma().quota.count();
    for (const text of ['quota set <@U0REP|bob> lots', 'quota set <@U0REP|bob> 50k last 30 days', 'quota set team Nowhere 5k', 'quota set <@U0REP|bob> 50k EUR']) {
      const answer = await run('/kpi', text, 'U0MGR');
      expect(answer.text, text).toMatch(/couldn't read|month, quarter or year|no team called|no conversion rate for EUR/);
      expect(JSON.stringify(answer.blocks)).toContain('You typed');
    }
    expect(await prisma().quota.count()).toBe(before);
  });

  test('teams: create, add a rep, set a team quota', async () => {
    expect((await run('/kpi', 'team create North', 'U0REP')).text).toMatch(/Only managers and admins/);
    expect((await run('/kpi', 'team create North', 'U0MGR')).text).toContain('Team North created');
    expect((await run('/kpi', 'team add <@U0REP|bob> <@U0REP2|carol> north', 'U0MGR')).text).toContain('is now in the North team');
    const answer = await run('/kpi', 'quota set team North 200k quarter', 'U0MGR');
    expect(answer.text).toContain('the North team: $200,000 for Q3 2026');
    const north = await prisma().salesTeam.findFirstOrThrow({ where: { name: 'North' } });
    expect(await prisma().quota.findMany({ where: { teamId: north.id } })).toMatchObject([{ repId: null, amountMinor: 20_000_000n, periodKind: 'quarter' }]);
    expect((await repOf('U0REP2')).teamId).toBe(north.id);
    expect((await run('/kpi', 'team', 'U0REP')).text).toContain('North (2)');
  });

  describe('the quota modal', () => {
    test('/kpi quota set alone opens it with the trigger id (managers only)', async () => {
      const trigger = newTriggerId();
      await h.slack.command('/kpi', 'quota set', { user_id: 'U0MGR', trigger_id: trigger, response_url: h.fake.responseUrl('qm') });
      const open = await h.fake.waitFor(() => h.fake.callsTo('views.open')[0]);
      expect(open.args.trigger_id).toBe(trigger);
      const view = open.args.view as { callback_id: string; private_metadata: string; blocks: Array<{ block_id?: string }> };
      expect(view.callback_id).toBe('quota_modal');
      expect(view.blocks.map((b) => b.block_id).filter(Boolean)).toEqual(['rep', 'team', 'amount', 'currency', 'period_kind', 'period_which', 'period_specific']);
      expect(JSON.parse(h.unseal('quota-modal', view.private_metadata, { userId: 'U0MGR' }))).toEqual({ channelId: 'C0SALES', origin: 'command' });
    });

    const submit = (values: ReturnType<typeof quotaModalValues>, viewId: string, userId = 'U0MGR', meta: Record<string, unknown> = { channelId: 'C0SALES', origin: 'command' }) =>
      h.slack.interaction(viewSubmissionPayload({ userId, viewId, callbackId: 'quota_modal', privateMetadata: h.seal('quota-modal', JSON.stringify(meta), { userId }), values }));

    test('a bad amount comes back inline and stores nothing; then a good one stores and confirms privately', async () => {
      const before = await prisma().quota.count();
      const bad = await submit(quotaModalValues({ rep: 'U0REP', amount: 'lots', which: 'specific' }), 'VQ1');
      expect(bad.status).toBe(200);
      const body = bad.json() as { response_action: string; errors: Record<string, string> };
      expect(body.response_action).toBe('errors');
      expect(Object.keys(body.errors).sort()).toEqual(['amount', 'period_specific']);
      expect(await prisma().quota.count()).toBe(before);

      const good = await submit(quotaModalValues({ rep: 'U0REP', amount: '$20,000', kind: 'month', which: 'this' }), 'VQ1');
      expect(good.status).toBe(200);
      expect(good.body).toBe('');
      const bob = await repOf('U0REP');
      expect(await prisma().quota.findMany({ where: { repId: bob.id, periodKind: 'month' } })).toMatchObject([
        { amountMinor: 2_000_000n, periodStart: new Date('2026-07-31T22:00:00Z'), periodEnd: new Date('2026-08-31T22:00:00Z') },
      ]);
      const confirmation = await h.fake.waitFor(() => h.fake.callsTo('chat.postEphemeral').find((c) => String(c.args.text).includes('Quota set')));
      expect(confirmation.args).toMatchObject({ channel: 'C0SALES', user: 'U0MGR' });
      expect(String(confirmation.args.text)).toContain('$20,000 for August 2026, time zone Europe/Berlin');
    });

    test('a rep submitting the form is refused on the form, nothing stored', async () => {
      const before = await prisma().quota.count();
      const res = await submit(quotaModalValues({ rep: 'U0REP2', amount: '10k' }), 'VQ2', 'U0REP');
      const body = res.json() as { response_action: string; errors: Record<string, string> };
      expect(body.response_action).toBe('errors');
      expect(body.errors.rep).toMatch(/Only managers and admins/);
      expect(await prisma().quota.count()).toBe(before);
    });

    test('a currency without a rate is refused on the currency field', async () => {
      const res = await submit(quotaModalValues({ rep: 'U0REP2', amount: '10k', currency: 'EUR' }), 'VQ3');
      const body = res.json() as { errors: Record<string, string> };
      expect(body.errors.currency).toMatch(/no conversion rate for EUR/);
    });
  });

  describe('the App Home', () => {
    test('app_home_opened publishes the viewer’s quota figures, pace, open deals and team', async () => {
      await run('/deal', 'won 5k Acme', 'U0REP');
      await run('/deal', 'stage Globex proposal 30k', 'U0REP');
      const res = await homeOpened('U0REP');
      expect(res.status).toBe(200);
      const publish = await h.fake.waitFor(() => h.fake.callsTo('views.publish')[0]);
      expect(publish.args.user_id).toBe('U0REP');
      const view = publish.args.view as { type: string; blocks: unknown[] };
      expect(view.type).toBe('home');
      expect(view.blocks.length).toBeLessThanOrEqual(100);
      const text = JSON.stringify(view.blocks);
      expect(text).toContain('My quota: August 2026');
      expect(text).toContain('*$5,000* won of *$20,000*');
      expect(text).toContain('expected by now');
      expect(text).toMatch(/At risk|Behind|On track/);
      expect(text).toContain('My quota: Q3 2026');
      expect(text).toContain('*$5,000* won of *$60,000*');
      expect(text).toContain('Europe/Berlin');
      expect(text).toContain('*Globex* · $30,000');
      expect(text).toContain('North team: August 2026');
      expect(text).toContain('home_log_deal');
      expect(text).not.toContain('home_set_quota');
    });

    test('a manager without a quota sees the empty state and the Set quotas button', async () => {
      await homeOpened('U0MGR');
      const publish = await h.fake.waitFor(() => h.fake.callsTo('views.publish').find((c) => c.args.user_id === 'U0MGR'));
      const text = JSON.stringify((publish.args.view as { blocks: unknown[] }).blocks);
      expect(text).toContain('No quota set for you this month — ask your manager to run `/kpi quota set @you 50k`');
      expect(text).toContain('home_set_quota');
    });

    test('the Messages tab does not publish the Home', async () => {
      const body = JSON.stringify({
        team_id: 'T0FAKE',
        api_app_id: 'A0KPI',
        type: 'event_callback',
        event_id: 'EvMessages',
        event_time: Math.floor(Date.now() / 1000),
        event: { type: 'app_home_opened', user: 'U0REP', channel: 'DU0REP', tab: 'messages', event_ts: `${Date.now() / 1000}` },
      });
      expect((await h.slack.post(body, { contentType: 'application/json' })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 150));
      expect(h.fake.callsTo('views.publish')).toHaveLength(0);
    });

    test('Log a deal opens the deal modal', async () => {
      const res = await homeButton('U0REP', 'home_log_deal');
      expect(res.status).toBe(200);
      const open = await h.fake.waitFor(() => h.fake.callsTo('views.open')[0]);
      const view = open.args.view as { callback_id: string; private_metadata: string };
      expect(view.callback_id).toBe('deal_modal');
      expect(JSON.parse(h.unseal('deal-modal', view.private_metadata, { userId: 'U0REP' }))).toEqual({ channelId: null });
    });

    test('Set quotas opens the quota modal for a manager; a rep is told privately who can', async () => {
      await homeButton('U0MGR', 'home_set_quota');
      const open = await h.fake.waitFor(() => h.fake.callsTo('views.open')[0]);
      const view = open.args.view as { callback_id: string; private_metadata: string };
      expect(view.callback_id).toBe('quota_modal');
      expect(JSON.parse(h.unseal('quota-modal', view.private_metadata, { userId: 'U0MGR' }))).toEqual({ channelId: null, origin: 'home' });

      h.fake.reset();
      await homeButton('U0REP', 'home_set_quota');
      const dm = await h.fake.waitFor(() => h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'U0REP'));
      expect(String(dm.args.text)).toMatch(/Only managers and admins can set quotas/);
      expect(h.fake.callsTo('views.open')).toHaveLength(0);
    });

    test('saving a quota from the Home modal refreshes the Home', async () => {
      const res = await h.slack.interaction(
        viewSubmissionPayload({ userId: 'U0MGR', viewId: 'VQH', callbackId: 'quota_modal', privateMetadata: h.seal('quota-modal', JSON.stringify({ channelId: null, origin: 'home' }), { userId: 'U0MGR' }), values: quotaModalValues({ rep: 'U0MGR', amount: '40k' }) }),
      );
      expect(res.body).toBe('');
      const publish = await h.fake.waitFor(() => h.fake.callsTo('views.publish').find((c) => c.args.user_id === 'U0MGR'));
      expect(JSON.stringify((publish.args.view as { blocks: unknown[] }).blocks)).toContain('won of *$40,000*');
      const dm = await h.fake.waitFor(() => h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'U0MGR'));
      expect(String(dm.args.text)).toContain('Quota set');
    });
  });
});
