import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { blockActionPayload, newTriggerId, quotaModalValues, viewSubmissionPayload } from '../helpers/slack-requests.js';
import { testEngines } from '../helpers/test-db.js';

type TAnswer = { text: string; blocks?: unknown[]; response_type?: string; replace_original?: boolean };

/** The workspace's zone is UTC (TZ_DEFAULT), so the handled time reads 10:02. */
const NOW = new Date('2026-11-30T10:02:30Z');
const ALREADY_DONE = 'Already done — this request was handled at 10:02; nothing changed again.';

const ADMIN = 'U0ADMIN';
const MGR = 'U0MGR';
const REP = 'U0REP';
const REP2 = 'U0REP2';

/**
 * One change per kind. `n` is 1 for the sequential run and 2 for the concurrent one, so each run
 * works on its own rows (and really changes something).
 */
interface TChangeCase {
  user: string;
  setup?: (n: number) => Array<[command: string, text: string]>;
  run: (n: number) => [command: string, text: string];
}

const CASES: Record<string, TChangeCase> = {
  'deal undo': {
    user: REP,
    setup: (n) => [
      ['/deal', `stage Undo${n} lead 1k`],
      ['/deal', `stage Undo${n} contacted`],
      ['/deal', `stage Undo${n} demo`],
    ],
    run: () => ['/deal', 'undo'],
  },
  'deal stage move': { user: REP, setup: (n) => [['/deal', `stage Move${n} lead 1k`]], run: (n) => ['/deal', `stage Move${n} demo 5k`] },
  'deal stage opening a deal': { user: REP, run: (n) => ['/deal', `stage Open${n} lead 2k`] },
  'deal won closing an open deal': { user: REP, setup: (n) => [['/deal', `stage Win${n} demo 4k`]], run: (n) => ['/deal', `won 5k Win${n}`] },
  'deal won logging a new deal': { user: REP, run: (n) => ['/deal', `won 3k Fresh${n}`] },
  'deal lost': { user: REP, setup: (n) => [['/deal', `stage Lose${n} demo 4k`]], run: (n) => ['/deal', `lost Lose${n} price`] },
  'quota set': { user: MGR, run: (n) => ['/kpi', `quota set <@${REP}|bob> ${n}0k`] },
  settings: { user: ADMIN, run: (n) => ['/kpi', `settings fiscal-year-start ${n + 3}`] },
  role: { user: ADMIN, run: (n) => ['/kpi', `role <@${REP2}|carol> ${n === 1 ? 'manager' : 'rep'}`] },
  rate: { user: ADMIN, run: (n) => ['/kpi', `rate EUR 1.${n}`] },
  'team create': { user: MGR, run: (n) => ['/kpi', `team create Team${n}`] },
  'team add': { user: MGR, setup: (n) => [['/kpi', `team create Squad${n}`]], run: (n) => ['/kpi', `team add <@${REP}|bob> Squad${n}`] },
  'digest subscribe': { user: MGR, run: (n) => ['/kpi', `digest subscribe <#C0DIG${n}|digest>`] },
  'digest unsubscribe': { user: MGR, setup: (n) => [['/kpi', `digest subscribe <#C0UNS${n}|digest>`]], run: (n) => ['/kpi', `digest unsubscribe <#C0UNS${n}|digest>`] },
  'alerts set': { user: MGR, run: (n) => ['/kpi', `alerts set winrate-drop 1${n}`] },
  'alerts off': { user: MGR, setup: () => [['/kpi', 'alerts on funnel-leak']], run: () => ['/kpi', 'alerts off funnel-leak'] },
  'alerts on': { user: MGR, setup: () => [['/kpi', 'alerts off funnel-leak']], run: () => ['/kpi', 'alerts on funnel-leak'] },
  'alerts channel': { user: MGR, run: (n) => ['/kpi', `alerts channel <#C0ALERT${n}|alerts>`] },
  'alerts snooze': { user: MGR, run: (n) => ['/kpi', `alerts snooze revenue-drop ${n}w`] },
  'alerts unsnooze': { user: MGR, setup: () => [['/kpi', 'alerts snooze oversized-deal 1w']], run: () => ['/kpi', 'alerts unsnooze oversized-deal'] },
};

describe.each(testEngines())('every change happens once per delivery, on %s', (dialect) => {
  let h: Harness;
  let seq = 0;
  const nextId = () => `o${++seq}`;

  beforeAll(async () => {
    h = await startHarness(dialect);
    h.setNow(NOW);
    h.fake.addUser({ id: ADMIN, name: 'alice', real_name: 'Alice Admin' });
    h.fake.addUser({ id: MGR, name: 'mia', real_name: 'Mia Manager' });
    h.fake.addUser({ id: REP, name: 'bob', real_name: 'Bob Rep' });
    h.fake.addUser({ id: REP2, name: 'carol', real_name: 'Carol Rep' });
    await run('/kpi', 'settings', ADMIN); // the first person becomes admin
    expect((await run('/kpi', `role <@${MGR}|mia> manager`, ADMIN)).text).toContain('manager');
    await run('/kpi', 'help', REP);
    await run('/kpi', 'help', REP2);
  });
  afterAll(async () => h?.stop());
  beforeEach(() => {
    h.fake.reset();
    h.fake.botInAllChannels = true;
  });

  async function answerTo(id: string, count = 1): Promise<TAnswer[]> {
    return (await h.fake.waitFor(() => {
      const r = h.fake.responsesTo(id);
      return r.length >= count ? r : null;
    })) as TAnswer[];
  }

  async function run(command: string, text: string, user: string, triggerId = newTriggerId()): Promise<TAnswer> {
    const id = nextId();
    const res = await h.slack.command(command, text, { user_id: user, response_url: h.fake.responseUrl(id), trigger_id: triggerId });
    expect(res.status).toBe(200);
    return (await answerTo(id))[0]!;
  }

  const audits = () => h.database.db.prisma.auditEntry.count();

  /** Every row a change could touch, for "the second delivery changed nothing". */
  async function state(): Promise<string> {
    const p = h.database.db.prisma;
    const rows = await Promise.all([
      p.workspace.findMany({ orderBy: { id: 'asc' } }),
      p.rep.findMany({ orderBy: { id: 'asc' } }),
      p.salesTeam.findMany({ orderBy: { id: 'asc' } }),
      p.deal.findMany({ orderBy: { id: 'asc' } }),
      p.dealStageChange.findMany({ orderBy: { id: 'asc' } }),
      p.quota.findMany({ orderBy: { id: 'asc' } }),
      p.currencyRate.findMany({ orderBy: { id: 'asc' } }),
      p.auditEntry.findMany({ orderBy: { id: 'asc' } }),
      p.digestSubscription.findMany({ orderBy: { id: 'asc' } }),
      p.alertSetting.findMany({ orderBy: { id: 'asc' } }),
      p.alertSnooze.findMany({ orderBy: { id: 'asc' } }),
    ]);
    return JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }

  async function prepare(c: TChangeCase, n: number): Promise<void> {
    for (const [command, text] of c.setup?.(n) ?? []) {
      const answer = await run(command, text, c.user);
      expect(answer.text).not.toMatch(/Already done|:warning:/);
    }
  }

  test.each(Object.keys(CASES))('%s: the same delivery twice changes once, writes one audit entry, and answers already done', async (name) => {
    const c = CASES[name]!;
    await prepare(c, 1);
    const [command, text] = c.run(1);
    const trigger = newTriggerId();
    const before = await state();
    const auditsBefore = await audits();

    const first = await run(command, text, c.user, trigger);
    expect(first.text).not.toContain('Already done');
    const afterFirst = await state();
    expect(afterFirst).not.toBe(before);
    expect(await audits()).toBe(auditsBefore + 1);

    const second = await run(command, text, c.user, trigger);
    expect(second.text).toBe(ALREADY_DONE);
    expect(second.response_type).toBe('ephemeral');
    expect(await state()).toBe(afterFirst);
    // The audit entry records the delivery and the app's (injected) time, not the database's.
    const entry = await h.database.db.prisma.auditEntry.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(entry.requestKey?.startsWith(`cmd:${trigger}`)).toBe(true);
    expect(entry.createdAt.toISOString()).toBe(NOW.toISOString());
  });

  test.each(Object.keys(CASES))('%s: two deliveries at once change once and one of them answers already done', async (name) => {
    const c = CASES[name]!;
    await prepare(c, 2);
    const [command, text] = c.run(2);
    const trigger = newTriggerId();
    const auditsBefore = await audits();
    const [a, b] = await Promise.all([run(command, text, c.user, trigger), run(command, text, c.user, trigger)]);
    expect([a!.text, b!.text].filter((t) => t === ALREADY_DONE)).toHaveLength(1);
    expect(await audits()).toBe(auditsBefore + 1);
  });

  test('the same /deal undo twice undoes one change, also when both arrive at once', async () => {
    const deal = (customer: string) => h.database.db.prisma.deal.findFirstOrThrow({ where: { customer } });
    for (const [i, together] of [[1, false], [2, true]] as const) {
      const customer = `Twice${i}`;
      await run('/deal', `stage ${customer} lead 1k`, REP);
      await run('/deal', `stage ${customer} contacted`, REP);
      await run('/deal', `stage ${customer} demo`, REP);
      const trigger = newTriggerId();
      const send = () => run('/deal', 'undo', REP, trigger);
      const answers = together ? await Promise.all([send(), send()]) : [await send(), await send()];
      expect(answers.map((x) => x.text === ALREADY_DONE).sort()).toEqual([false, true]);
      // One step back (demo → contacted), not two.
      expect(await deal(customer)).toMatchObject({ stage: 'contacted', status: 'open' });
      const d = await deal(customer);
      expect(await h.database.db.prisma.dealStageChange.count({ where: { dealId: d.id } })).toBe(2);
      expect(await h.database.db.prisma.auditEntry.count({ where: { entity: 'deal', entityId: d.id, action: 'undo' } })).toBe(1);
    }
  });

  test('the same /deal stage twice moves once with one audit entry, also when both arrive at once', async () => {
    for (const [i, together] of [[1, false], [2, true]] as const) {
      const customer = `Stage${i}`;
      await run('/deal', `stage ${customer} lead 1k`, REP);
      const trigger = newTriggerId();
      const send = () => run('/deal', `stage ${customer} demo 5k`, REP, trigger);
      const answers = together ? await Promise.all([send(), send()]) : [await send(), await send()];
      expect(answers.map((x) => x.text === ALREADY_DONE).sort()).toEqual([false, true]);
      const d = await h.database.db.prisma.deal.findFirstOrThrow({ where: { customer } });
      expect(d).toMatchObject({ stage: 'demo', amountMinor: 500_000n });
      expect(await h.database.db.prisma.dealStageChange.count({ where: { dealId: d.id } })).toBe(2);
      expect(await h.database.db.prisma.auditEntry.count({ where: { entity: 'deal', entityId: d.id } })).toBe(2); // create + one update
    }
  });

  test('the Undo button clicked once but delivered twice undoes one change, also when both arrive at once', async () => {
    for (const [i, together] of [[1, false], [2, true]] as const) {
      const customer = `Button${i}`;
      await run('/deal', `stage ${customer} lead 1k`, REP);
      const moved = await run('/deal', `stage ${customer} demo`, REP);
      const actions = (moved.blocks as Array<{ type: string; elements?: Array<{ action_id?: string; value?: string }> }>).find((b) => b.type === 'actions');
      const value = actions?.elements?.find((e) => e.action_id === 'deal_undo')?.value;
      expect(h.unseal('undo', value!, { userId: REP })).toMatch(/^\d+$/);
      const id = nextId();
      const payload = blockActionPayload({ userId: REP, channelId: 'C0SALES', actionId: 'deal_undo', value: value!, responseUrl: h.fake.responseUrl(id) });
      const send = async () => expect((await h.slack.interaction(payload)).status).toBe(200);
      if (together) await Promise.all([send(), send()]);
      else {
        await send();
        await answerTo(id, 1);
        await send();
      }
      const answers = await answerTo(id, 2);
      expect(answers.map((x) => x.text === ALREADY_DONE).sort()).toEqual([false, true]);
      expect(answers.find((x) => x.text !== ALREADY_DONE)).toMatchObject({ replace_original: true });
      // Back at lead, and the deal still exists (a second undo would have removed it).
      const d = await h.database.db.prisma.deal.findFirstOrThrow({ where: { customer } });
      expect(d.stage).toBe('lead');
      expect(await h.database.db.prisma.auditEntry.count({ where: { entity: 'deal', entityId: d.id, action: 'undo' } })).toBe(1);
    }
  });

  test('the Snooze button delivered twice snoozes once, also when both arrive at once', async () => {
    for (const [i, together] of [[1, false], [2, true]] as const) {
      const rule = i === 1 ? 'winrate-drop' : 'funnel-leak';
      // The button belongs to an alert this workspace fired (the app looks the condition up).
      const ws = await h.database.db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: 'T0FAKE' } });
      await h.database.db.prisma.alertEvent.create({ data: { workspaceId: ws.id, rule, conditionKey: 'all', periodKey: '2026-W48', message: 'seeded', firedAt: new Date('2026-11-30T08:00:00Z') } });
      const id = nextId();
      const payload = blockActionPayload({ userId: MGR, channelId: 'C0ALERTS', actionId: 'alert_snooze', value: `${rule}|all`, responseUrl: h.fake.responseUrl(id) });
      const entries = () => h.database.db.prisma.auditEntry.count({ where: { entity: 'alertSnooze' } });
      const before = await entries();
      const send = async () => expect((await h.slack.interaction(payload)).status).toBe(200);
      if (together) await Promise.all([send(), send()]);
      else {
        await send();
        await answerTo(id, 1);
        await send();
      }
      const answers = await answerTo(id, 2);
      expect(answers.map((x) => x.text === ALREADY_DONE).sort()).toEqual([false, true]);
      expect(answers.find((x) => x.text !== ALREADY_DONE)?.text).toMatch(/^Snoozed by <@U0MGR> until Mon, Dec 7, 2026 10:02/);
      expect(await entries()).toBe(before + 1);
      expect(await h.database.db.prisma.alertSnooze.count({ where: { rule, conditionKey: 'all' } })).toBe(1);
    }
  });

  test('the quota modal submitted once but delivered twice saves once and the second says already done', async () => {
    for (const [i, together] of [[1, false], [2, true]] as const) {
      const payload = viewSubmissionPayload({
        userId: MGR,
        viewId: `VONCE${i}`,
        callbackId: 'quota_modal',
        privateMetadata: h.seal('quota-modal', JSON.stringify({ channelId: 'C0SALES', origin: 'command' }), { userId: MGR }),
        values: quotaModalValues({ rep: REP2, amount: `${i}5k`, kind: 'month', which: 'this' }),
      });
      const before = await audits();
      h.fake.reset();
      const send = async () => {
        const res = await h.slack.interaction(payload);
        expect(res.status).toBe(200);
        // Both close the modal: neither is refused with field errors.
        expect(res.body).not.toContain('errors');
      };
      if (together) await Promise.all([send(), send()]);
      else {
        await send();
        await send();
      }
      const posted = await h.fake.waitFor(() => {
        const calls = h.fake.callsTo('chat.postEphemeral').filter((c) => c.args.user === MGR);
        return calls.length >= 2 ? calls : null;
      });
      expect(posted.map((c) => String(c.args.text) === ALREADY_DONE).sort()).toEqual([false, true]);
      expect(await audits()).toBe(before + 1);
      const rep2 = await h.database.db.prisma.rep.findFirstOrThrow({ where: { slackUserId: REP2 } });
      const quota = await h.database.db.prisma.quota.findFirstOrThrow({ where: { repId: rep2.id } });
      expect(quota.amountMinor).toBe(BigInt(i * 10 + 5) * 100_000n);
    }
  });
});
