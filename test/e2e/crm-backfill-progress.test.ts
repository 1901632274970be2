import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CrmSourceError, type TCrmSource } from '../../src/domain/crm/crm-source.js';
import { createLogger } from '../../src/logger.js';
import { runCrmSyncs, type TRunCrmSyncsOptions } from '../../src/scheduler/crm-sync-job.js';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { FakeCrm } from '../helpers/fake-crm.js';
import { viewSubmissionPayload } from '../helpers/slack-requests.js';
import { testEngines } from '../helpers/test-db.js';

/**
 * Issue #10: a full load "reports progress (a Slack message updated in place …)". Connecting a CRM
 * from Slack (the signed modal submission) announces the first load to the admin who connected;
 * the scheduler's tick posts one message (chat.postMessage) and updates it with chat.update as
 * pages arrive, throttled on the injected clock, ending in "done: N deals in M s" — or the error
 * state when the load stops, and done once a later tick finishes it: one message throughout.
 */

const GOOD_TOKEN = 'pat-na1-11111111-2222-3333-4444-555555555555';
const ADMIN = 'U0ADMIN';
const T0 = new Date('2026-11-20T10:00:00Z');

describe.each(testEngines())('the full load’s progress message in Slack, on %s', (dialect) => {
  let h: Harness;
  let crm: FakeCrm;
  let seq = 0;

  beforeAll(async () => {
    h = await startHarness(dialect, { CRM_ENCRYPTION_KEY: randomBytes(32).toString('base64') }, { createCrmSource: () => crm as TCrmSource });
    h.setNow(T0);
    h.fake.addUser({ id: ADMIN, name: 'alice', real_name: 'Alice Admin', tz: 'UTC' });
    crm = new FakeCrm('hubspot', 10);
    const res = await h.slack.command('/kpi', 'settings timezone UTC', { user_id: ADMIN, response_url: h.fake.responseUrl('tz') });
    expect(res.status).toBe(200);
    await h.fake.waitFor(() => h.fake.responsesTo('tz')[0]);
  });
  afterAll(async () => h?.stop());

  async function connect(): Promise<void> {
    const before = h.fake.callsTo('views.open').length;
    await h.slack.command('/kpi', 'crm connect hubspot', { user_id: ADMIN, response_url: h.fake.responseUrl(`c${++seq}`) });
    const view = (await h.fake.waitFor(() => h.fake.callsTo('views.open')[before])).args.view as { callback_id: string; private_metadata: string };
    const values = { crm_token: { value: { type: 'plain_text_input', value: GOOD_TOKEN } }, crm_base_url: { value: { type: 'plain_text_input', value: null } }, crm_portal: { value: { type: 'plain_text_input', value: '62515' } } };
    const res = await h.slack.interaction(viewSubmissionPayload({ userId: ADMIN, viewId: `V${++seq}`, callbackId: view.callback_id, privateMetadata: view.private_metadata, values }));
    expect(res.body).toBe('');
    await h.fake.waitFor(() => h.fake.callsTo('chat.postEphemeral').find((c) => String(c.args.text).includes('HubSpot is connected')));
  }

  /** One scheduler tick at `now`; the clock inside moves 1 s per page pulled from the CRM. */
  const tick = (now: Date, over: Partial<TRunCrmSyncsOptions> = {}) => {
    const base = crm.pulls;
    return runCrmSyncs({
      db: h.database.db,
      now,
      clock: () => new Date(now.getTime() + (crm.pulls - base) * 1000),
      keyRing: h.kpi.deps.crm!.keyRing!,
      createSource: () => crm,
      logger: createLogger('error', () => undefined),
      progress: { post: (channel, message) => h.kpi.deps.slack.postMessage(channel, message), update: (channel, ts, message) => h.kpi.deps.slack.updateMessage(channel, ts, message) },
      progressIntervalMs: 3_000,
      ...over,
    });
  };
  const posts = () => h.fake.callsTo('chat.postMessage').filter((c) => String(c.args.text).includes('from HubSpot'));
  const updates = () => h.fake.callsTo('chat.update');
  const countIn = (text: string): number => Number(/([\d,]+) deals?/.exec(text)![1]!.replace(/,/g, ''));

  test('one message, updated in place at most every 3 s of the clock while pages arrive, then “done: N deals in M s”', async () => {
    h.fake.reset();
    crm = new FakeCrm('hubspot', 10);
    for (let i = 1; i <= 95; i++) crm.put({ crmId: String(i) });
    await connect();
    expect(posts()).toHaveLength(0); // nothing before the load starts

    const summary = await tick(T0);
    expect(summary).toMatchObject({ synced: 1, deals: 95 });
    expect(crm.pulls).toBe(10);
    const [post] = posts();
    expect(posts()).toHaveLength(1);
    expect(post!.args.channel).toBe(ADMIN);
    expect(String(post!.args.text)).toContain('Loading deals from HubSpot');
    const all = updates();
    expect(all.every((u) => u.args.channel === ADMIN && typeof u.args.ts === 'string')).toBe(true);
    expect(new Set(all.map((u) => u.args.ts)).size).toBe(1);
    // Throttled: pages at 1 s … 10 s → posted at the 1st, updated at the 4th, 7th, 10th, then done.
    const running = all.slice(0, -1).map((u) => String(u.args.text));
    expect(running).toHaveLength(3);
    expect(running.every((t) => t.includes('Loading deals from HubSpot'))).toBe(true);
    const counts = running.map(countIn);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(counts.at(-1)).toBeLessThanOrEqual(95);
    expect(String(all.at(-1)!.args.text)).toMatch(/^:white_check_mark: HubSpot: done: 95 deals in 10 s\.$/);

    // The announcement is over: the next (incremental) tick shows nothing.
    crm.put({ crmId: '1', amount: '2000' });
    const [p0, u0] = [h.fake.callsTo('chat.postMessage').length, updates().length];
    expect(await tick(new Date(T0.getTime() + 60_000))).toMatchObject({ synced: 1 });
    expect([h.fake.callsTo('chat.postMessage').length, updates().length]).toEqual([p0, u0]);
  });

  test('a load split over ticks that fails on the way: the same message shows the error, then done when a later tick finishes', async () => {
    h.fake.reset();
    crm = new FakeCrm('hubspot', 10);
    for (let i = 1; i <= 95; i++) crm.put({ crmId: `x${i}` });
    // Reconnecting another CRM starts a new full load; back to HubSpot once more for this test.
    await h.database.db.prisma.crmConnection.deleteMany({});
    await h.database.db.prisma.deal.deleteMany({});
    await connect();

    expect(await tick(T0, { maxPagesPerRun: 3 })).toMatchObject({ partial: 1, deals: 30 });
    expect(posts()).toHaveLength(1);
    expect(String(updates().at(-1)!.args.text)).toContain('30 deals');
    crm.failOnPull = { pull: crm.pulls + 2, error: new CrmSourceError('unavailable', 'HubSpot answered 502 <Bad Gateway>') };
    expect(await tick(new Date(T0.getTime() + 60_000), { maxPagesPerRun: 3 })).toMatchObject({ failed: 1, deals: 10 });
    const failed = String(updates().at(-1)!.args.text);
    expect(failed).toContain(':warning: HubSpot: loading stopped after 40 deals: HubSpot answered 502 &lt;Bad Gateway&gt;.');
    expect(failed).toContain('It tries again from there at');
    expect(await tick(new Date(T0.getTime() + 10 * 60_000))).toMatchObject({ synced: 1, deals: 55 });
    expect(posts()).toHaveLength(1);
    expect(new Set(updates().map((u) => u.args.ts)).size).toBe(1);
    expect(String(updates().at(-1)!.args.text)).toMatch(/^:white_check_mark: HubSpot: done: 95 deals in \d+ s\.$/);
    expect(await h.database.db.prisma.deal.count()).toBe(95);
  });
});
