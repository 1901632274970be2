import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { renderMessageAsText } from '../../src/slack/blocks/render-text.js';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { newTriggerId } from '../helpers/slack-requests.js';
import { testEngines } from '../helpers/test-db.js';

/**
 * Lead volume and outcomes through signed requests: bulk lead counts (`/kpi leads`), single leads
 * (`/deal lead`), a loss with no open deal (`/deal lost`), quoted names on every quick form, and
 * the conversion answer that counts each lead once. Clock: 2026-03-20 12:00 UTC (the workspace's
 * zone), so March is the current month and February a closed period.
 */
const NOW = new Date('2026-03-20T12:00:00Z');

interface TAnswer {
  text: string;
  blocks?: unknown[];
  response_type?: string;
}

describe.each(testEngines())('lead counts and outcomes end to end on %s', (dialect) => {
  let h: Harness;
  let seq = 0;

  async function run(command: string, text: string, user = 'U0REP', triggerId = newTriggerId()): Promise<TAnswer> {
    const id = `l${++seq}`;
    const res = await h.slack.command(command, text, { user_id: user, response_url: h.fake.responseUrl(id), trigger_id: triggerId });
    expect(res.status).toBe(200);
    const [answer] = await h.fake.waitFor(() => (h.fake.responsesTo(id).length > 0 ? h.fake.responsesTo(id) : null));
    return answer as unknown as TAnswer;
  }
  const shown = (a: TAnswer) => renderMessageAsText({ text: a.text, ...(a.blocks ? { blocks: a.blocks as never } : {}) });
  const p = () => h.database.db.prisma;
  const written = async () => ({
    leadCounts: await p().leadCount.count(),
    audits: await p().auditEntry.count(),
    deals: await p().deal.count(),
    reps: await p().rep.count(),
    version: (await p().workspace.findUniqueOrThrow({ where: { slackTeamId: 'T0FAKE' } })).historyVersion,
  });

  beforeAll(async () => {
    h = await startHarness(dialect);
    h.setNow(NOW);
    h.fake.addUser({ id: 'U0ADMIN', name: 'alice', real_name: 'Alice Admin', tz: 'UTC' });
    h.fake.addUser({ id: 'U0REP', name: 'bob', real_name: 'Bob Rep', tz: 'UTC' });
    h.fake.addUser({ id: 'U0REP2', name: 'carol', real_name: 'Carol Rep', tz: 'UTC' });
    h.fake.addUser({ id: 'U0GHOST', name: 'ghost', real_name: 'Never Met', tz: 'UTC' });
    await run('/kpi', 'settings', 'U0ADMIN'); // the first person met is the admin
  });
  afterAll(async () => h?.stop());

  test('500 bulk leads and 50 won deals give 10.0% conversion; single leads under the count are not added', async () => {
    const recorded = await run('/kpi', 'leads 500 2026-03', 'U0ADMIN');
    expect(recorded.response_type).toBe('ephemeral');
    expect(recorded.text).toBe('Lead count recorded: 500 leads for the whole workspace in March 2026 (all sources).');
    expect(shown(recorded)).toContain('To go back: /kpi leads clear 2026-03.');
    for (let i = 1; i <= 50; i++) expect((await run('/deal', `won 1k Customer${i}`)).text).toContain(`Won: Customer${i}`);
    for (const name of ['Lead One', 'Lead Two', 'Lead Three']) {
      const a = await run('/deal', `lead "${name}" web`);
      expect(a.text).toBe(`Lead logged: ${name} (source web), at stage Lead.`);
    }
    const leads = await p().deal.findMany({ where: { leadSource: 'web' } });
    expect(leads).toHaveLength(3);
    expect(leads.every((d) => d.status === 'open' && d.stage === 'lead' && d.maxStageIndex === 0 && d.amountMinor === 0n)).toBe(true);

    const answer = await run('/kpi', 'conversion this month');
    expect(answer.text).toBe('Lead conversion rate (March 2026, UTC): 10.0% — 50 of 500 leads became customers');
    const text = shown(answer);
    expect(text).toContain('Leads counted: 500 from bulk lead counts (/kpi leads); the 53 deals and leads logged one by one under those counts are part of them, not added.');
    // The funnel sees the single leads as deals entering at the first stage.
    expect(shown(await run('/kpi', 'funnel this month'))).toMatch(/53/);
  });

  test('a count replaces the earlier one for the same period, scope and source, with old and new in the audit; clear reverts', async () => {
    const before = await written();
    expect(shown(await run('/kpi', 'conversion last month'))).toContain('No leads in February 2026');
    const first = await run('/kpi', 'leads 400 2026-02', 'U0ADMIN');
    expect(first.text).toContain('400 leads for the whole workspace in February 2026');
    const afterFirst = await written();
    // February is closed: the write bumped the history version (the closed-period cache reads again).
    expect(afterFirst.version).toBeGreaterThan(before.version);
    expect(shown(await run('/kpi', 'conversion last month'))).toContain('0 of 400 leads');

    const second = await run('/kpi', 'leads 450 2026-02', 'U0ADMIN');
    expect(second.text).toBe('Lead count recorded: 450 leads for the whole workspace in February 2026 (all sources). It replaces 400.');
    expect(shown(second)).toContain('To go back: /kpi leads 400 2026-02.');
    const rows = await p().leadCount.findMany({ where: { periodStart: new Date('2026-02-01T00:00:00Z') } });
    expect(rows.map((r) => r.count)).toEqual([450]);
    expect(shown(await run('/kpi', 'conversion last month'))).toContain('0 of 450 leads');
    const audit = await p().auditEntry.findMany({ where: { entity: 'lead-count', entityId: rows[0]!.id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
    expect(JSON.parse(audit[1]!.before!)).toMatchObject({ count: 400 });
    expect(JSON.parse(audit[1]!.after!)).toMatchObject({ count: 450 });
    expect((await written()).version).toBeGreaterThan(afterFirst.version);

    // A count per source is another count, not a replacement.
    await run('/kpi', 'leads 30 2026-02 web', 'U0ADMIN');
    expect(await p().leadCount.count({ where: { periodStart: new Date('2026-02-01T00:00:00Z') } })).toBe(2);

    const cleared = await run('/kpi', 'leads clear 2026-02', 'U0ADMIN');
    expect(cleared.text).toBe('Lead count removed: 450 leads for the whole workspace in February 2026 (all sources).');
    expect(shown(await run('/kpi', 'conversion last month'))).toContain('0 of 30 leads');
    await run('/kpi', 'leads clear 2026-02 web', 'U0ADMIN');
    expect(shown(await run('/kpi', 'conversion last month'))).toContain('No leads in February 2026');
    const deletes = await p().auditEntry.findMany({ where: { entity: 'lead-count', action: 'delete' } });
    expect(deletes.map((a) => JSON.parse(a.before!).count)).toEqual([450, 30]);
  });

  test.each([
    ['leads -5 2026-03', 'U0ADMIN', /cannot be negative[\s\S]*\/kpi leads <count> <period>/],
    ['leads 12.5 2026-03', 'U0ADMIN', /not a whole number of leads/],
    ['leads 500 2026-13', 'U0ADMIN', /not a period lead counts are recorded for/],
    ['leads 500 2026-03 <@U0GHOST|ghost>', 'U0ADMIN', /is not a rep here yet, so no lead count was recorded/],
    ['leads 500 2026-03 team Nowhere', 'U0ADMIN', /There is no team called "Nowhere"/],
    ['leads 500 2026-05', 'U0ADMIN', /May 2026 has not started yet/],
    ['leads 500 2026-03', 'U0REP', /Only managers and admins record lead counts/],
  ])('/kpi %s (by %s) is refused privately and writes nothing', async (text, user, message) => {
    const before = await written();
    const a = await run('/kpi', text, user);
    expect(a.response_type).toBe('ephemeral');
    expect(shown(a)).toMatch(message);
    expect(shown(a)).toContain('/kpi leads');
    expect(await written()).toEqual(before);
  });

  test('a replayed delivery writes once: /kpi leads, /deal lead and a new /deal lost', async () => {
    for (const [command, text, user] of [
      ['/kpi', 'leads 300 2026-01', 'U0ADMIN'],
      ['/deal', 'lead Replayed web', 'U0REP'],
      ['/deal', 'lost "Replayed Loss" price', 'U0REP'],
    ] as const) {
      const trigger = newTriggerId();
      const before = await written();
      const first = await run(command, text, user, trigger);
      expect(first.text).not.toMatch(/Already done/);
      const once = await written();
      expect(once.audits).toBe(before.audits + 1);
      const again = await run(command, text, user, trigger);
      expect(again.text).toMatch(/Already done/);
      expect(await written()).toEqual(once);
    }
    expect(await p().leadCount.count({ where: { periodStart: new Date('2026-01-01T00:00:00Z') } })).toBe(1);
  });

  test('/deal lost for a customer never logged records a closed-lost deal, counted in the win rate', async () => {
    for (const c of ['W1', 'W2', 'W3']) await run('/deal', `won 3k ${c}`, 'U0REP2');
    const a = await run('/deal', 'lost "Never Logged Co" price', 'U0REP2');
    expect(a.text).toBe('No open deal for Never Logged Co, so a new lost deal was recorded (it counts in the win rate): Never Logged Co: lost (price), no amount yet');
    expect(JSON.stringify(a.blocks)).toContain('deal_undo');
    const deal = await p().deal.findFirstOrThrow({ where: { customer: 'Never Logged Co' } });
    expect(deal).toMatchObject({ status: 'lost', stage: 'lost', lostReason: 'price', closedAt: NOW });
    const winrate = await run('/kpi', 'winrate me', 'U0REP2');
    expect(winrate.text).toContain('75.0% — 3 won / 4 closed');
  });

  test('names with spaces in quotes work on every quick form', async () => {
    const lead = await run('/deal', 'lead "Delta Ltd" trade show', 'U0REP2');
    expect(lead.text).toBe('Lead logged: Delta Ltd (source trade show), at stage Lead.');
    const id = (await p().deal.findFirstOrThrow({ where: { customer: 'Delta Ltd' } })).id;
    expect((await run('/deal', 'stage "Delta Ltd" demo', 'U0REP2')).text).toBe('Moved: Delta Ltd: Demo/Trial, no amount yet');
    expect((await run('/deal', 'won "Delta Ltd" 5m', 'U0REP2')).text).toBe('Won: Delta Ltd: $5,000,000 won (new business)');
    expect(await p().deal.findMany({ where: { customer: 'Delta Ltd' } })).toMatchObject([{ id, status: 'won', amountMinor: 500_000_000n, leadSource: 'trade show', maxStageIndex: 4 }]);

    expect((await run('/deal', 'stage "Echo Corp" proposal 20k', 'U0REP2')).text).toBe('Opened: Echo Corp: Proposal, $20,000');
    expect((await run('/deal', 'lost "Echo Corp" budget cut', 'U0REP2')).text).toBe('Marked lost: Echo Corp: lost (budget cut), $20,000');
    expect((await run('/deal', 'won 7k "Foxtrot Inc" upsell', 'U0REP2')).text).toBe('Won: Foxtrot Inc: $7,000 won (upsell)');
    expect((await run('/deal', 'won “Golf & Co” $1,500 renewal', 'U0REP2')).text).toBe('Won: Golf &amp; Co: $1,500 won (renewal)');
    const named = await p().deal.findMany({ where: { customer: { in: ['Echo Corp', 'Foxtrot Inc', 'Golf & Co'] } }, orderBy: { id: 'asc' } });
    expect(named.map((d) => [d.customer, d.status])).toEqual([
      ['Echo Corp', 'lost'],
      ['Foxtrot Inc', 'won'],
      ['Golf & Co', 'won'],
    ]);
  });

  test('/deal lead on a customer with an open deal is refused (one lead, counted once); /deal undo removes a lead', async () => {
    await run('/deal', 'stage Hotel demo');
    const before = await written();
    const refused = await run('/deal', 'lead Hotel web');
    expect(shown(refused)).toMatch(/Hotel already has an open deal .* nothing was logged/);
    expect(await written()).toEqual(before);

    await run('/deal', 'lead India referral');
    expect(await p().deal.count({ where: { customer: 'India' } })).toBe(1);
    expect((await run('/deal', 'undo')).text).toBe('Undone: the India deal was removed.');
    expect(await p().deal.count({ where: { customer: 'India' } })).toBe(0);
  });

  test('a team count is the team’s lead total; reps outside it add their logged leads', async () => {
    expect((await run('/kpi', 'team create North', 'U0ADMIN')).text).toContain('North');
    await run('/kpi', 'team add <@U0REP2|carol> North', 'U0ADMIN');
    const carolDeals = await p().deal.count({ where: { owner: { slackUserId: 'U0REP2' }, createdAt: { gte: new Date('2026-03-01T00:00:00Z') } } });
    const recorded = await run('/kpi', 'leads 40 2026-03 team north', 'U0ADMIN');
    expect(recorded.text).toBe('Lead count recorded: 40 leads for the *North* team in March 2026 (all sources).');
    const team = await run('/kpi', 'conversion this month team North');
    expect(team.text).toMatch(/^Lead conversion rate for team North \(March 2026, UTC\): .* of 40 leads became customers$/);
    expect(shown(team)).toContain(`Leads counted: 40 from bulk lead counts (/kpi leads); the ${carolDeals} deals and leads logged one by one under those counts are part of them, not added.`);
    // The workspace count of March still covers everyone: 500, not 500 + 40.
    expect((await run('/kpi', 'conversion this month')).text).toMatch(/ of 500 leads became customers$/);
    // Without it, the team's 40 plus bob's logged leads.
    await run('/kpi', 'leads clear 2026-03', 'U0ADMIN');
    const bobDeals = await p().deal.count({ where: { owner: { slackUserId: 'U0REP' }, createdAt: { gte: new Date('2026-03-01T00:00:00Z') } } });
    const mixed = await run('/kpi', 'conversion this month');
    expect(mixed.text).toMatch(new RegExp(` of ${(40 + bobDeals).toLocaleString('en-US')} leads became customers$`));
    expect(shown(mixed)).toContain(`Leads counted: 40 from bulk lead counts (/kpi leads) + ${bobDeals} logged one by one where no count covers them`);
  });
});
