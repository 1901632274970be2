import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { dealModalValues, viewSubmissionPayload } from '../helpers/slack-requests.js';
import { testEngines } from '../helpers/test-db.js';

/**
 * Slack hanging (users.info, views.open never answer) and requests that must change nothing:
 * the user still hears back within a few seconds, the modal is acked within 3 s, and a refusal or
 * a read records nobody and asks Slack nothing. Every change is stored before Slack hears "ok".
 */
describe.each(testEngines())('bounded waits, commit before ack, refusals without side effects on %s', (dialect) => {
  let h: Harness;
  let seq = 0;
  const nextId = () => `bw${++seq}`;
  const hang = () => new Promise<never>(() => undefined);

  beforeAll(async () => {
    h = await startHarness(dialect);
    const id = nextId();
    await h.slack.command('/kpi', 'settings', { user_id: 'U0ADMIN', response_url: h.fake.responseUrl(id) });
    await h.fake.waitFor(() => h.fake.responsesTo(id).length > 0);
  });
  afterAll(async () => h?.stop());
  beforeEach(() => {
    h.fake.reset();
    h.fake.off('users.info');
    h.fake.off('views.open');
  });

  async function command(name: string, text: string, user: string) {
    const id = nextId();
    const started = Date.now();
    const res = await h.slack.command(name, text, { user_id: user, response_url: h.fake.responseUrl(id) });
    const ackMs = Date.now() - started;
    const [answer] = await h.fake.waitFor(() => (h.fake.responsesTo(id).length ? h.fake.responsesTo(id) : null), 10_000);
    return { res, ackMs, answerMs: Date.now() - started, answer: answer as { text: string } };
  }

  const reps = (slackUserId: string) => h.database.db.prisma.rep.count({ where: { slackUserId } });

  test('users.info hanging: /deal won from someone new is answered within a few seconds, acked within 3 s, and stores nothing', async () => {
    h.fake.on('users.info', hang);
    const { res, ackMs, answerMs, answer } = await command('/deal', 'won 5k Hangco', 'U0HANG1');
    expect(res.status).toBe(200);
    expect(ackMs).toBeLessThan(3000);
    expect(answerMs).toBeLessThan(5000);
    expect(answer.text).toMatch(/couldn't reach Slack to look you up, so nothing was saved/);
    expect(await h.database.db.prisma.deal.count({ where: { customer: 'Hangco' } })).toBe(0);
    expect(await reps('U0HANG1')).toBe(0);
  });

  test('views.open hanging: /deal says the form could not be opened, within a few seconds', async () => {
    h.fake.on('views.open', hang);
    const { res, ackMs, answerMs, answer } = await command('/deal', '', 'U0ADMIN');
    expect(res.status).toBe(200);
    expect(ackMs).toBeLessThan(1000);
    expect(answerMs).toBeLessThan(5000);
    expect(answer.text).toMatch(/couldn't open the deal form because Slack did not answer in time/);
  });

  test('users.info hanging: a modal submission from someone new is acked within 3 s with a field error, nothing stored', async () => {
    h.fake.on('users.info', hang);
    const started = Date.now();
    const res = await h.slack.interaction(
      viewSubmissionPayload({ userId: 'U0HANG2', viewId: 'VHANG2', callbackId: 'deal_modal', privateMetadata: h.seal('deal-modal', JSON.stringify({ channelId: 'C0SALES' }), { userId: 'U0HANG2' }), values: dealModalValues({ customer: 'Modalhang', amount: '7k', owner: 'U0HANG2' }) }),
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ response_action: 'errors', errors: { customer: expect.stringMatching(/couldn't reach Slack/) } });
    expect(await h.database.db.prisma.deal.count({ where: { customer: 'Modalhang' } })).toBe(0);
    expect(await reps('U0HANG2')).toBe(0);
  });

  test.each([
    ['/deal', 'won lots Nopeco'],
    ['/deal', 'lost'],
    ['/deal', 'undo'],
    ['/deal', 'stage Nopeco nowhere'],
    ['/kpi', 'winrate last month'],
    ['/kpi', 'dealsize me'],
    ['/kpi', 'dance'],
  ])('%s %s from someone new: answered, no rep recorded, Slack not asked who they are', async (name, text) => {
    const user = `U0NEW${++seq}`;
    const { res, answer } = await command(name, text, user);
    expect(res.status).toBe(200);
    expect(answer.text.length).toBeGreaterThan(0);
    expect(await reps(user)).toBe(0);
    expect(h.fake.callsTo('users.info')).toHaveLength(0);
  });

  test.each([
    'role <@U0ADMIN|admin> rep',
    'settings timezone Europe/Berlin',
    'rate EUR 1.1',
    'team create Sneaky',
    'alerts set winrate-drop 15',
    'quota set <@U0ADMIN|admin> 50k month',
  ])('/kpi %s from someone new who is no admin: refused, nobody recorded, nothing changed', async (text) => {
    const user = `U0NOADM${++seq}`;
    const auditsBefore = await h.database.db.prisma.auditEntry.count();
    const { res, answer } = await command('/kpi', text, user);
    expect(res.status).toBe(200);
    expect(answer.text).toMatch(/Only (managers and )?admins/);
    expect(await reps(user)).toBe(0);
    expect(await h.database.db.prisma.auditEntry.count()).toBe(auditsBefore);
    // Whether they are a Slack admin is what the answer depended on: asked once, nothing more.
    expect(h.fake.callsTo('users.info').map((c) => c.args.user)).toEqual([user]);
  });

  test('a Slack admin the app has not met may change settings on first contact, and is recorded as admin', async () => {
    h.fake.addUser({ id: 'U0SLACKADM', name: 'sam', is_admin: true, tz: 'UTC' });
    const { answer } = await command('/kpi', 'settings fiscal-year-start 4', 'U0SLACKADM');
    expect(answer.text).not.toMatch(/Only admins/);
    const rep = await h.database.db.prisma.rep.findFirst({ where: { slackUserId: 'U0SLACKADM' } });
    expect(rep?.role).toBe('admin');
    // Asked once: the profile that answered the admin question is the one recorded.
    expect(h.fake.callsTo('users.info')).toHaveLength(1);
  });

  test('a change is stored before Slack hears "ok": the deal is there the moment the command is acked', async () => {
    const id = nextId();
    const res = await h.slack.command('/deal', 'won 3k Ackfirst', { user_id: 'U0ADMIN', response_url: h.fake.responseUrl(id) });
    expect(res.status).toBe(200);
    // No waiting: the ack came after the commit.
    expect(await h.database.db.prisma.deal.count({ where: { customer: 'Ackfirst', status: 'won' } })).toBe(1);
    const res2 = await h.slack.interaction(
      viewSubmissionPayload({ userId: 'U0ADMIN', viewId: 'VACKFIRST', callbackId: 'deal_modal', privateMetadata: h.seal('deal-modal', JSON.stringify({ channelId: 'C0SALES' }), { userId: 'U0ADMIN' }), values: dealModalValues({ customer: 'Ackmodal', amount: '4k', owner: 'U0ADMIN' }) }),
    );
    expect(res2.status).toBe(200);
    expect(await h.database.db.prisma.deal.count({ where: { customer: 'Ackmodal' } })).toBe(1);
  });
});
