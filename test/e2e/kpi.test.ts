import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Workspace } from '../../src/generated/sqlite/client.js';
import { findLimitViolations } from '../../src/slack/blocks/limits.js';
import { renderMessageAsText } from '../../src/slack/blocks/render-text.js';
import type { SlackBlocks } from '../../src/slack/gateway.js';
import { buildKpiAnswer } from '../../src/slack/kpi/kpi-answer.js';
import { parseKpiArgs } from '../../src/slack/kpi/parse-kpi-args.js';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { blockActionPayload } from '../helpers/slack-requests.js';
import { testEngines } from '../helpers/test-db.js';

/**
 * `/kpi` answers through the real signed HTTP path, against seeded deals with known answers.
 *
 * Workspace T0FAKE (USD, Europe/Berlin), clock 2026-11-20 12:00 UTC:
 * | what | owner | type | amount | created | closed | stage idx |
 * | Q3 new (won)      | bob   | new     | 40,000 | Aug 3  | Aug 20 | won | refund 5,000 on Sep 10 |
 * | Q3 upsell (won)   | carol | upsell  | 10,000 | Sep 1  | Sep 15 | won |
 * | Q3 renewal (won)  | bob   | renewal |  5,000 | Jul 2  | Jul 15 | won |
 * | October cohort: 20 deals by bob created Oct 2–28: 1 won (10,000, Oct 29), reached counts
 * |   lead 20 → contacted 8 → demo 4 → proposal 3 → won 1 (biggest leak Proposal → Won, 33.3%)
 * | November: bob won 10,000 + 20,000, carol won 25,000; bob lost 2 (one closed Oct 31 23:30 UTC =
 * |   Nov 1 00:30 in Berlin), carol lost 3 → win rate 3 / 8 = 37.5%; bob's open Mega Corp 100,000 (oversized)
 * Teams: East Coast = bob, carol.
 *
 * Workspace T0VND (VND, UTC), the article's numbers: Aug–Oct 10 won deals a month at 10,000,000 ₫,
 * each a subscription of 10,000,000 ₫/month, and 100 leads a month → average deal 10,000,000 ₫,
 * conversion 10.0%; `/kpi plan 800m VND` → 80 deals, 800 leads; MRR 300,000,000 ₫.
 */

const NOW = new Date('2026-11-20T12:00:00Z');
const d = (iso: string) => new Date(iso);

interface TAnswer {
  text: string;
  blocks?: SlackBlocks;
  response_type?: string;
  replace_original?: boolean;
}

describe.each(testEngines())('/kpi answers end to end on %s', (dialect) => {
  let h: Harness;
  let seq = 0;
  let usd: Workspace;
  const nextResponseId = () => `k${++seq}`;

  /** Runs a signed slash command; returns the private answer, the ack time and the total time. */
  async function run(text: string, user = 'U0REP', team = 'T0FAKE'): Promise<TAnswer & { ackMs: number; totalMs: number }> {
    const id = nextResponseId();
    const started = Date.now();
    const res = await h.slack.command('/kpi', text, { user_id: user, team_id: team, response_url: h.fake.responseUrl(id) });
    const ackMs = Date.now() - started;
    expect(res.status).toBe(200);
    const [answer] = await h.fake.waitFor(() => {
      const r = h.fake.responsesTo(id);
      return r.length > 0 ? r : null;
    });
    return { ...(answer as unknown as TAnswer), ackMs, totalMs: Date.now() - started };
  }

  const shown = (a: TAnswer) => renderMessageAsText({ text: a.text, ...(a.blocks ? { blocks: a.blocks } : {}) });

  beforeAll(async () => {
    h = await startHarness(dialect);
    h.setNow(NOW);
    h.fake.addUser({ id: 'U0ADMIN', name: 'alice', real_name: 'Alice Admin', tz: 'Europe/Berlin' });
    h.fake.addUser({ id: 'U0REP', name: 'bob', real_name: 'Bob Rep', tz: 'Europe/Berlin' });
    h.fake.addUser({ id: 'U0REP2', name: 'carol', real_name: 'Carol Rep', tz: 'Europe/Berlin' });
    h.fake.addUser({ id: 'U0VND', name: 'lan', real_name: 'Lan Nguyen', tz: 'Asia/Ho_Chi_Minh' });
    // First contact makes the admin and the workspaces.
    await run('settings timezone Europe/Berlin', 'U0ADMIN');
    await run('settings currency VND', 'U0VND', 'T0VND');
    const p = h.database.db.prisma;
    usd = await p.workspace.findUniqueOrThrow({ where: { slackTeamId: 'T0FAKE' } });
    expect(usd.timeZone).toBe('Europe/Berlin');
    const team = await p.salesTeam.create({ data: { workspaceId: usd.id, name: 'East Coast' } });
    const bob = await p.rep.create({ data: { workspaceId: usd.id, slackUserId: 'U0REP', name: 'bob', teamId: team.id } });
    const carol = await p.rep.create({ data: { workspaceId: usd.id, slackUserId: 'U0REP2', name: 'carol', teamId: team.id } });

    let n = 0;
    const deal = (w: Workspace, ownerId: number, o: { status: string; usd?: number; vnd?: bigint; created: string; closed?: string; idx: number; type?: string; recurring?: bigint; customer?: string }) => {
      const amount = o.vnd ?? BigInt(Math.round((o.usd ?? 1_000) * 100));
      const stages = ['lead', 'contacted', 'demo', 'proposal'];
      return {
        workspaceId: w.id,
        ownerId,
        customer: o.customer ?? `Customer ${++n}`,
        amountMinor: amount,
        currency: w.currency,
        amountReportingMinor: amount,
        type: o.type ?? 'new',
        status: o.status,
        stage: o.status === 'open' ? (stages[o.idx] ?? 'lead') : o.status,
        maxStageIndex: o.idx,
        createdAt: d(o.created),
        closedAt: o.closed ? d(o.closed) : null,
        ...(o.recurring ? { recurringMonthlyMinor: o.recurring, recurringReportingMinor: o.recurring, subscriptionStart: o.closed ? d(o.closed) : null } : {}),
        source: 'import',
      };
    };
    const newDeal = await p.deal.create({ data: deal(usd, bob.id, { status: 'won', usd: 40_000, created: '2026-08-03T10:00:00Z', closed: '2026-08-20T10:00:00Z', idx: 4 }) });
    await p.refund.create({ data: { workspaceId: usd.id, dealId: newDeal.id, amountMinor: 500_000n, currency: 'USD', amountReportingMinor: 500_000n, recordedAt: d('2026-09-10T10:00:00Z') } });
    const rows = [
      deal(usd, carol.id, { status: 'won', usd: 10_000, type: 'upsell', created: '2026-09-01T10:00:00Z', closed: '2026-09-15T10:00:00Z', idx: 4 }),
      deal(usd, bob.id, { status: 'won', usd: 5_000, type: 'renewal', created: '2026-07-02T10:00:00Z', closed: '2026-07-15T10:00:00Z', idx: 4 }),
      // October cohort: 20 deals.
      deal(usd, bob.id, { status: 'won', usd: 10_000, created: '2026-10-02T10:00:00Z', closed: '2026-10-29T10:00:00Z', idx: 4 }),
      deal(usd, bob.id, { status: 'lost', created: '2026-10-03T10:00:00Z', closed: '2026-10-30T10:00:00Z', idx: 3 }),
      deal(usd, bob.id, { status: 'open', created: '2026-10-04T10:00:00Z', idx: 3 }),
      deal(usd, bob.id, { status: 'lost', created: '2026-10-05T10:00:00Z', closed: '2026-10-30T10:00:00Z', idx: 2 }),
      ...Array.from({ length: 4 }, (_, i) => deal(usd, bob.id, { status: 'open', created: `2026-10-${10 + i}T10:00:00Z`, idx: 1 })),
      ...Array.from({ length: 12 }, (_, i) => deal(usd, bob.id, { status: i % 2 ? 'open' : 'lost', created: `2026-10-${15 + i}T10:00:00Z`, closed: i % 2 ? undefined : '2026-10-30T12:00:00Z', idx: 0 })),
      // November.
      deal(usd, bob.id, { status: 'won', usd: 10_000, created: '2026-11-02T10:00:00Z', closed: '2026-11-05T10:00:00Z', idx: 4 }),
      deal(usd, bob.id, { status: 'won', usd: 20_000, created: '2026-11-02T11:00:00Z', closed: '2026-11-10T10:00:00Z', idx: 4 }),
      deal(usd, carol.id, { status: 'won', usd: 25_000, created: '2026-11-03T10:00:00Z', closed: '2026-11-12T10:00:00Z', idx: 4 }),
      deal(usd, bob.id, { status: 'lost', created: '2026-10-31T23:10:00Z', closed: '2026-10-31T23:30:00Z', idx: 0 }),
      deal(usd, bob.id, { status: 'lost', created: '2026-11-03T10:00:00Z', closed: '2026-11-06T10:00:00Z', idx: 1 }),
      ...Array.from({ length: 3 }, (_, i) => deal(usd, carol.id, { status: 'lost', created: `2026-11-0${4 + i}T10:00:00Z`, closed: `2026-11-1${i}T10:00:00Z`, idx: 1 })),
      deal(usd, bob.id, { status: 'open', usd: 100_000, customer: 'Mega Corp', created: '2026-11-02T12:00:00Z', idx: 3 }),
    ];
    await p.deal.createMany({ data: rows });

    // The article's VND workspace.
    const vnd = await p.workspace.findUniqueOrThrow({ where: { slackTeamId: 'T0VND' } });
    expect(vnd.currency).toBe('VND');
    const lan = await p.rep.findFirstOrThrow({ where: { workspaceId: vnd.id, slackUserId: 'U0VND' } });
    const vndRows = [];
    for (const [month, days] of [['08', 31], ['09', 30], ['10', 31]] as const) {
      await p.leadCount.create({ data: { workspaceId: vnd.id, periodStart: d(`2026-${month}-01T00:00:00Z`), periodEnd: new Date(d(`2026-${month}-01T00:00:00Z`).getTime() + days * 86_400_000), count: 100 } });
      for (let i = 0; i < 10; i++) {
        vndRows.push(deal(vnd, lan.id, { status: 'won', vnd: 10_000_000n, recurring: 10_000_000n, created: `2026-${month}-0${i}T08:00:00Z`.replace('-00T', '-10T'), closed: `2026-${month}-2${i}T08:00:00Z`, idx: 4 }));
      }
    }
    await p.deal.createMany({ data: vndRows });
  });
  afterAll(async () => h?.stop());
  beforeEach(() => h.fake.reset());

  test('/kpi winrate: the figure, its period and time zone, privately, acked within 3 s', async () => {
    const a = await run('winrate');
    expect(a.ackMs).toBeLessThan(3000);
    expect(a.response_type).toBe('ephemeral');
    expect(a.text).toBe('Win rate (November 2026, Europe/Berlin): 37.5% — 3 won / 8 closed');
    const text = shown(a);
    expect(text.split('\n')[0]).toBe('Win rate');
    expect(text).toContain('vs October 2026: 11.1% (1 won / 9 closed) — up 26.4 pts');
    expect(text).toContain('• bob: 50.0% (2 won / 4 closed)\n• carol: 25.0% (1 won / 4 closed)');
    expect(text).toContain('[Share in channel]');
    expect(findLimitViolations(a.blocks ?? [])).toEqual([]);
  });

  test('/kpi winrate for a team by name (case-insensitive, several words)', async () => {
    const a = await run('winrate east COAST');
    expect(a.text).toBe('Win rate for team East Coast (November 2026, Europe/Berlin): 37.5% — 3 won / 8 closed');
  });

  test('/kpi funnel last month names the biggest leak', async () => {
    const a = await run('funnel last month');
    expect(a.ackMs).toBeLessThan(3000);
    expect(a.text).toBe('Sales funnel (October 2026, Europe/Berlin): biggest leak Proposal → Won at 33.3% — 20 entered, 1 won (5.0%)');
    const text = shown(a);
    expect(text).toContain('Lead: 20\n→ Contacted (call): 8 — 40.0% of Lead\n→ Demo/Trial: 4 — 50.0% of Contacted (call)\n→ Proposal: 3 — 75.0% of Demo/Trial\n→ Won: 1 — 33.3% of Proposal');
    // The chart goes to the configured QuickChart host, under Slack's URL limit.
    const image = (a.blocks ?? []).find((b) => b.type === 'image') as { image_url: string; alt_text: string } | undefined;
    expect(image?.image_url.startsWith('http://127.0.0.1:9/quickchart/chart?')).toBe(true);
    expect(image?.alt_text).toContain('biggest leak Proposal → Won');
  });

  test('/kpi dealsize @rep: the rep’s average and the oversized open deal', async () => {
    const a = await run('dealsize <@U0REP|bob>', 'U0ADMIN');
    expect(a.ackMs).toBeLessThan(3000);
    expect(a.text).toBe('Average deal size for bob (November 2026, Europe/Berlin): $15,000 — 2 won deals, $30,000 in total');
    const text = shown(a);
    expect(text).toContain('Oversized open deals');
    expect(text).toContain('Mega Corp (bob, Proposal): $100,000');
  });

  test('/kpi dealsize @someone new says there is nothing yet and records nobody (a read writes nothing)', async () => {
    const before = h.fake.callsTo('users.info').length;
    const a = await run('dealsize <@U0NEWBIE|newbie> last month', 'U0ADMIN');
    expect(a.text).toContain('<@U0NEWBIE> has not used the app yet, so there are no figures for them.');
    expect(await h.database.db.prisma.rep.count({ where: { workspaceId: usd.id, slackUserId: 'U0NEWBIE' } })).toBe(0);
    expect(h.fake.callsTo('users.info').length).toBe(before);
  });

  test('/kpi revenue 2026-Q3: net of refunds, and the mix adds up to 100.0%', async () => {
    const a = await run('revenue 2026-Q3');
    expect(a.ackMs).toBeLessThan(3000);
    expect(a.text).toBe('Net revenue (Q3 2026 (Jul 1 – Sep 30), Europe/Berlin): $50,000 — $55,000 won − $5,000 refunds');
    const text = shown(a);
    expect(text).toContain('Mix of net won revenue: New business 70.0% · Upsell / cross-sell 20.0% · Renewal 10.0%');
    expect(text).toMatch(/\[chart: Net revenue per quarter: .*Q3 2026 \$50k\.\] http:\/\/127\.0\.0\.1:9\/quickchart\/chart\?/);
  });

  test('/kpi plan 800m VND answers the article: 80 deals and 800 leads', async () => {
    const a = await run('plan 800m VND', 'U0VND', 'T0VND');
    expect(a.ackMs).toBeLessThan(3000);
    expect(a.text).toBe('Reverse plan (November 2026, UTC): 800,000,000 ₫ needs 80 won deals and 800 leads');
    const text = shown(a);
    expect(text).toContain('average won deal 10,000,000 ₫, lead conversion rate 10.0% (30 of 300 leads)');
    const also = await run('plan 800tr', 'U0VND', 'T0VND');
    expect(also.text).toBe(a.text);
  });

  test('/kpi plan 800m VND in a USD workspace converts at the workspace rate, or says a rate is missing', async () => {
    const missing = await run('plan 800m VND');
    expect(missing.text).toContain('no conversion rate for VND');
    await run('rate VND 0.00004', 'U0ADMIN');
    const a = await run('plan 800m VND this month');
    expect(a.text).toMatch(/^Reverse plan \(November 2026, Europe\/Berlin\): \$32,000 needs \d+ won deals and \d+ leads$/);
  });

  test('/kpi mrr and arr: the article’s subscriptions', async () => {
    const a = await run('arr last month', 'U0VND', 'T0VND');
    // 10 subscriptions a month from August: October adds 10 new ones to the 20 of September.
    expect(a.text).toBe(
      'MRR and ARR (October 2026, UTC): MRR 300,000,000 ₫, ARR 3,600,000,000 ₫ — 30 active subscriptions; movements: new +100,000,000 ₫, expansion +0 ₫, contraction -0 ₫, churned -0 ₫, reactivated +0 ₫ (net +100,000,000 ₫); NRR 100.0%, GRR 100.0%, logo churn 0.0% (0 of 20 customers)',
    );
  });

  test('/kpi leaderboard ranks reps by net won revenue', async () => {
    const a = await run('leaderboard');
    expect(a.ackMs).toBeLessThan(3000);
    expect(a.text).toBe('Leaderboard (November 2026, Europe/Berlin): 1. bob $30,000; 2. carol $25,000');
    expect(shown(a)).toContain('🥇 bob — $30,000 · 2 won · win rate 50.0%');
  });

  test('/kpi conversion, /kpi quota and /kpi top answer with their own headers', async () => {
    expect((await run('conversion last month')).text).toBe('Lead conversion rate (October 2026, Europe/Berlin): 5.0% — 1 of 20 leads became customers');
    expect((await run('quota')).text).toBe('Quota attainment (November 2026, Europe/Berlin): no rep has a quota for November 2026 yet');
    expect((await run('top me')).text).toBe('Leaderboard for bob (November 2026, Europe/Berlin): 1. bob $30,000');
  });

  test('an unknown subcommand gets help with examples', async () => {
    const a = await run('winrat');
    expect(a.response_type).toBe('ephemeral');
    const text = shown(a);
    expect(text).toContain("I don't know /kpi winrat");
    expect(text).toContain('/kpi winrate [period] [@rep|me|team]');
    expect(text).toContain('e.g. /kpi funnel last month');
    expect(text).toContain('You typed: /kpi winrat');
  });

  test('a malformed period gets the accepted forms and an example', async () => {
    const a = await run('winrate last fortnight');
    const text = shown(a);
    expect(text).toContain('I didn\'t understand "last fortnight" after /kpi winrate');
    expect(text).toContain('last month');
    expect(text).toContain('2026-Q3');
    expect(text).toContain('Try: /kpi winrate last month @dana');
    expect(text).toContain('You typed: /kpi winrate last fortnight');
    const q5 = shown(await run('revenue 2026-Q5'));
    expect(q5).toContain('a year has quarters Q1 to Q4 only');
  });

  test('Share in channel posts the same answer in_channel, says who shared it, keeps the private copy', async () => {
    const a = await run('winrate last month');
    const actions = (a.blocks ?? []).find((b) => b.type === 'actions') as { elements: Array<{ action_id: string; value: string }> };
    const button = actions.elements[0]!;
    expect(button.action_id).toBe('kpi_share');
    expect(button.value.length).toBeLessThanOrEqual(2000);
    // Shared later (the clock moved to December): "last month" still means October.
    h.setNow(new Date('2026-12-03T09:00:00Z'));
    try {
      const id = nextResponseId();
      const res = await h.slack.interaction(blockActionPayload({ userId: 'U0REP2', channelId: 'C0SALES', actionId: 'kpi_share', value: button.value, responseUrl: h.fake.responseUrl(id) }));
      expect(res.status).toBe(200);
      const [shared] = (await h.fake.waitFor(() => {
        const r = h.fake.responsesTo(id);
        return r.length > 0 ? r : null;
      })) as unknown as TAnswer[];
      expect(shared!.response_type).toBe('in_channel');
      expect(shared!.replace_original).toBe(false);
      expect(shared!.text).toBe(a.text);
      const text = shown(shared!);
      expect(text).toContain('Shared by @U0REP2');
      expect(text).not.toContain('[Share in channel]');
    } finally {
      h.setNow(NOW);
    }
  });

  test('a forged share value is refused privately', async () => {
    const id = nextResponseId();
    await h.slack.interaction(blockActionPayload({ userId: 'U0REP', channelId: 'C0SALES', actionId: 'kpi_share', value: '{"v":1,"k":"winrate","p":"2026-11","a":1,"s":"r999999"}', responseUrl: h.fake.responseUrl(id) }));
    const [answer] = (await h.fake.waitFor(() => {
      const r = h.fake.responsesTo(id);
      return r.length > 0 ? r : null;
    })) as unknown as TAnswer[];
    expect(answer!.response_type).toBe('ephemeral');
    expect(answer!.text).toContain('This button is no longer valid');
  });

  test('/kpi quota set is handed to the quota writer; /kpi quota then shows the ratio, its band and the chart', async () => {
    const refused = await run('quota set <@U0REP2|carol> 10k month', 'U0REP');
    expect(refused.response_type).toBe('ephemeral');
    expect(await h.database.db.prisma.quota.count({ where: { workspaceId: usd.id } })).toBe(0);
    await run('quota set <@U0REP|bob> 50k month', 'U0ADMIN');
    await run('quota set <@U0REP2|carol> 20k month', 'U0ADMIN');
    expect(await h.database.db.prisma.quota.count({ where: { workspaceId: usd.id } })).toBe(2);
    const a = await run('quota');
    expect(a.text).toBe('Quota attainment (November 2026, Europe/Berlin): 50.0% of reps at or above quota (1 of 2) — quotas look unrealistic');
    const text = shown(a);
    expect(text).toContain('Below 60% of reps at quota: quotas look unrealistic: hire, coach, or revisit pay and targets.');
    expect(text).toContain('• carol: 125.0% — $25,000 of $20,000');
    expect(text).toContain('• bob: 60.0% — $30,000 of $50,000');
    expect(text).toMatch(/\[chart: Attainment: 1 of 2 reps at or above 100%.*\] http:\/\/127\.0\.0\.1:9\/quickchart\/chart\?/);
    const plan = await run('plan');
    expect(plan.text).toMatch(/^Reverse plan \(November 2026, Europe\/Berlin\): \$70,000 needs \d+ won deals and \d+ leads$/);
  });

  describe('a past period is told as ended, and its open deals are those open at its end', () => {
    // Workspace T0PAST (USD, UTC), dana: Aug 10 won × $1,000; Oct 10 won $3,000; Giant Ltd $90,000
    // created Oct 5, Proposal on Oct 20, won Nov 10; Late Co $80,000 created Nov 3, open at Demo;
    // Early Lost $70,000 created Sep 1, lost Oct 15. Quotas: October $4,000, November $200,000.
    beforeAll(async () => {
      h.fake.addUser({ id: 'U0PADMIN', name: 'paula', real_name: 'Paula Admin', tz: 'UTC' });
      await run('settings timezone UTC', 'U0PADMIN', 'T0PAST');
      const p = h.database.db.prisma;
      const ws = await p.workspace.findUniqueOrThrow({ where: { slackTeamId: 'T0PAST' } });
      const dana = await p.rep.create({ data: { workspaceId: ws.id, slackUserId: 'U0DANA', name: 'dana' } });
      const make = async (o: { customer: string; usd: number; status: string; stage: string; created: string; closed?: string; moves?: Array<[string, string]> }) => {
        const row = await p.deal.create({
          data: {
            workspaceId: ws.id,
            ownerId: dana.id,
            customer: o.customer,
            amountMinor: BigInt(o.usd * 100),
            currency: 'USD',
            amountReportingMinor: BigInt(o.usd * 100),
            type: 'new',
            status: o.status,
            stage: o.stage,
            maxStageIndex: o.status === 'won' ? 4 : 2,
            createdAt: d(o.created),
            closedAt: o.closed ? d(o.closed) : null,
            source: 'import',
          },
        });
        for (const [toStage, at] of o.moves ?? []) await p.dealStageChange.create({ data: { workspaceId: ws.id, dealId: row.id, toStage, changedAt: d(at) } });
      };
      for (let i = 0; i < 10; i++) await make({ customer: `August ${i}`, usd: 1_000, status: 'won', stage: 'won', created: '2026-08-01T10:00:00Z', closed: `2026-08-1${i}T10:00:00Z` });
      await make({ customer: 'October Win', usd: 3_000, status: 'won', stage: 'won', created: '2026-10-01T10:00:00Z', closed: '2026-10-10T10:00:00Z' });
      await make({ customer: 'Giant Ltd', usd: 90_000, status: 'won', stage: 'won', created: '2026-10-05T10:00:00Z', closed: '2026-11-10T10:00:00Z', moves: [['lead', '2026-10-05T10:00:00Z'], ['proposal', '2026-10-20T10:00:00Z'], ['won', '2026-11-10T10:00:00Z']] });
      await make({ customer: 'Late Co', usd: 80_000, status: 'open', stage: 'demo', created: '2026-11-03T10:00:00Z', moves: [['demo', '2026-11-03T10:00:00Z']] });
      await make({ customer: 'Early Lost', usd: 70_000, status: 'lost', stage: 'lost', created: '2026-09-01T10:00:00Z', closed: '2026-10-15T10:00:00Z' });
      const quota = (start: string, end: string, usd: number) =>
        p.quota.create({ data: { workspaceId: ws.id, repId: dana.id, periodKind: 'month', periodStart: d(start), periodEnd: d(end), amountMinor: BigInt(usd * 100), currency: 'USD' } });
      await quota('2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z', 4_000);
      await quota('2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z', 200_000);
    });
    const PACING = /Pace|expected by now|heading for|on track|at risk|to go|so far|Still to go/;

    test('/kpi quota last month: "finished October 2026 at 75.0% of quota", no pacing; this month keeps its pace', async () => {
      const past = shown(await run('quota last month', 'U0PADMIN', 'T0PAST'));
      expect(past).toContain('Team total: finished October 2026 at 75.0% of quota — $3,000 net won of $4,000 · $1,000 short');
      expect(past).toContain('• dana: 75.0% — $3,000 of $4,000\n');
      expect(past).not.toMatch(PACING);
      const now = shown(await run('quota', 'U0PADMIN', 'T0PAST'));
      expect(now).toContain('Team total: 45.0% — $90,000 net won of $200,000 · $110,000 to go');
      expect(now).toContain('Pace: at risk — $130,000 expected by now (65.0% of the period gone), heading for $138,461.54 by the end');
    });

    test('/kpi plan and /kpi leaderboard last month say how October closed', async () => {
      const plan = await run('plan last month', 'U0PADMIN', 'T0PAST');
      expect(plan.text).toMatch(/^Reverse plan \(October 2026, UTC\): \$4,000 needed \d+ won deals? and \d+ leads?$/);
      expect(shown(plan)).toContain('October 2026 closed at $3,000 net won, $1,000 short of $4,000.');
      expect(shown(plan)).not.toMatch(PACING);
      expect(shown(await run('leaderboard last month', 'U0PADMIN', 'T0PAST'))).toContain('dana finished first in October 2026 with $3,000 net won');
    });

    test('/kpi dealsize last month lists the deals open at the end of October (stage then), not today\'s', async () => {
      const past = shown(await run('dealsize last month', 'U0PADMIN', 'T0PAST'));
      expect(past).toContain('Oversized deals open at the end of October 2026');
      expect(past).toContain('Giant Ltd (dana, Proposal): $90,000');
      expect(past).toContain('most of their unmet quota ($1,000)');
      expect(past).not.toContain('Late Co');
      expect(past).not.toContain('Early Lost');
      const now = shown(await run('dealsize', 'U0PADMIN', 'T0PAST'));
      expect(now).toContain('Oversized open deals');
      expect(now).toContain('Late Co (dana, Demo/Trial): $80,000');
      expect(now).not.toContain('Giant Ltd');
    });
  });

  test('a missing rate is hinted the natural way round, and /kpi rate takes both codes either way', async () => {
    // VND workspace, no USD rate: how many đồng one dollar is worth.
    const vnd = await run('plan 5k USD', 'U0VND', 'T0VND');
    expect(vnd.text).toContain('no conversion rate for USD');
    expect(shown(vnd)).toContain('Try: /kpi rate USD 25000');
    expect(shown(vnd)).not.toContain('0.00004');
    const saved = await run('rate USD 25400 VND', 'U0VND', 'T0VND');
    expect(saved.text).toBe('Saved: 1 USD = 25400 VND. Deals in USD are converted at this rate when logged.');
    expect((await run('plan 5k USD this month', 'U0VND', 'T0VND')).text).toMatch(/^Reverse plan \(November 2026, UTC\): 127,000,000 ₫ needs \d+ won deals and \d+ leads$/);
    // USD workspace, no JPY rate: the dollar side, with both codes.
    const usdWs = await run('plan 500k JPY');
    expect(shown(usdWs)).toContain('Try: /kpi rate USD 150 JPY');
    const jpy = await run('rate USD 150 JPY', 'U0ADMIN');
    expect(jpy.text).toBe('Saved: 1 USD = 150 JPY (1 JPY = 0.00666667 USD). Deals in JPY are converted at this rate when logged.');
    expect((await run('rate', 'U0ADMIN')).text).toContain('1 JPY = 0.006666666666666667 USD (1 USD = 150 JPY)');
    expect((await run('plan 150k JPY this month')).text).toMatch(/^Reverse plan \(November 2026, Europe\/Berlin\): \$1,000 needs/);
    // An upside-down rate is refused with the right way round.
    const wrong = shown(await run('rate JPY 150', 'U0ADMIN'));
    expect(wrong).toContain('looks wrong (or upside down)');
    expect(wrong).toContain('Try: /kpi rate USD 150 JPY');
  });

  test('buildKpiAnswer works outside Slack, with the same figures', async () => {
    const answer = await buildKpiAnswer({ db: h.database.db, workspace: usd, kpi: 'win-rate', periodInput: '2026-11', now: NOW, quickchartUrl: null });
    expect(answer.message.text).toBe('Win rate (November 2026, Europe/Berlin): 37.5% — 3 won / 8 closed');
    expect(answer.period.key).toBe('2026-11');
    expect(answer.trailing.map((p) => p.key)).toEqual(['2026-08', '2026-09', '2026-10']);
    expect(renderMessageAsText(answer.message)).toContain('Win rate\n37.5% win rate — 3 won / 8 closed');
  });

  test('parseKpiArgs reads periods, scopes and targets in any order', async () => {
    const db = h.database.db;
    const base = { db, workspace: usd, now: NOW };
    const team = await parseKpiArgs({ ...base, kpi: 'winrate', args: ['last', 'month', 'team', 'east', 'coast'] });
    expect(team).toMatchObject({ periodInput: 'last month', scope: { kind: 'team' }, scopeLabel: 'team East Coast' });
    expect(team.period.key).toBe('2026-10');
    const bob = await parseKpiArgs({ ...base, kpi: 'winrate', args: 'for <@U0REP|bob> 2026-Q3' });
    expect(bob).toMatchObject({ periodInput: '2026-Q3', scope: { kind: 'rep' }, scopeLabel: 'bob' });
    const plan = await parseKpiArgs({ ...base, kpi: 'plan', args: 'last 30 days 50k' });
    expect(plan).toMatchObject({ periodInput: 'last 30 days', targetMinor: 5_000_000n });
    // The target in the asker's number form: `12.000` is 12,000 for a Vietnamese reader, no target for an English one (ambiguous).
    expect(await parseKpiArgs({ ...base, kpi: 'plan', args: 'last 30 days 12.000', locale: 'vi' })).toMatchObject({ periodInput: 'last 30 days', targetMinor: 1_200_000n });
    expect(await parseKpiArgs({ ...base, kpi: 'plan', args: 'last 30 days 12,000', locale: 'en' })).toMatchObject({ targetMinor: 1_200_000n });
    const year = await parseKpiArgs({ ...base, kpi: 'plan', args: '2026' });
    expect(year).toMatchObject({ periodInput: '2026', targetMinor: null });
    await expect(parseKpiArgs({ ...base, kpi: 'winrate', args: '<@U0REP|bob> <@U0REP2|carol>' })).rejects.toThrow(/One rep at a time/);
    await expect(parseKpiArgs({ ...base, kpi: 'winrate', args: 'east coast <@U0REP|bob>' })).rejects.toThrow(/One scope at a time/);
    await expect(parseKpiArgs({ ...base, kpi: 'winrate', args: 'west coast' })).rejects.toMatchObject({ code: 'INVALID_PERIOD' });
  });
});
