import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHarness, TEST_SIGNING_SECRET, type Harness } from '../helpers/app-harness.js';
import { BODY_MARKER, malformedBodies } from '../helpers/malformed-requests.js';
import { blockActionPayload, signSlackRequest } from '../helpers/slack-requests.js';
import { testEngines } from '../helpers/test-db.js';

/**
 * Signed requests with bodies Bolt cannot take, and the timestamp window, through the real app
 * over loopback. (The production process surviving them is in entry-point.test.ts.)
 */
describe.each(testEngines())('request checks in front of Bolt on %s', (dialect) => {
  let h: Harness;
  let seq = 0;

  beforeAll(async () => {
    h = await startHarness(dialect);
    h.fake.addUser({ id: 'U0REP', name: 'bob', real_name: 'Bob Rep', tz: 'UTC' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function kpiHelpAnswers(): Promise<void> {
    const id = `help${++seq}`;
    const res = await h.slack.command('/kpi', 'help', { response_url: h.fake.responseUrl(id) });
    expect(res.status).toBe(200);
    const [answer] = await h.fake.waitFor(() => (h.fake.responsesTo(id).length ? h.fake.responsesTo(id) : null));
    expect(String(answer!.text)).toMatch(/kpi/i);
  }

  const refusals = (from: number) => h.logs.slice(from).filter((l) => l.includes('Slack request refused'));

  test.each(malformedBodies())('%s: 400, one log line without the body', async (_name, contentType, body) => {
    const before = h.logs.length;
    const res = await h.slack.post(body, { contentType });
    expect(res.status).toBe(400);
    expect(refusals(before)).toHaveLength(1);
    expect(refusals(before)[0]).toMatch(/"status":400/);
    expect(h.logs.slice(before).join('\n')).not.toContain(BODY_MARKER);
    expect(h.logs.slice(before).join('\n')).not.toContain(TEST_SIGNING_SECRET);
  });

  test('a body over 1 MB: 413, one log line', async () => {
    const before = h.logs.length;
    const res = await h.slack.post(`payload=${'x'.repeat(1024 * 1024 + 1)}`);
    expect(res.status).toBe(413);
    expect(refusals(before)).toHaveLength(1);
    expect(refusals(before)[0]).toMatch(/"status":413/);
  });

  test('after all of them, /kpi help still answers', async () => {
    await kpiHelpAnswers();
  });

  test.each([
    ['after ack()', 'boom_after_ack', [200]],
    ['before ack()', 'boom_before_ack', [500]],
  ])('an error thrown in a listener %s is logged and the app keeps serving', async (_name, actionId, statuses) => {
    h.kpi.app.action(actionId, async ({ ack }) => {
      if (actionId === 'boom_after_ack') await ack();
      throw new Error(`listener exploded ${actionId}`);
    });
    const before = h.logs.length;
    const res = await h.slack.interaction(blockActionPayload({ userId: 'U0REP', channelId: 'C0SALES', actionId, value: 'x', responseUrl: h.fake.responseUrl('boom') }));
    expect(statuses).toContain(res.status);
    await h.fake.waitFor(() => (h.logs.slice(before).some((l) => l.includes(`listener exploded ${actionId}`)) ? true : null));
    await kpiHelpAnswers();
  });

  describe('the timestamp window follows the app clock', () => {
    const NOW = new Date('2026-03-02T12:00:00Z');
    const signedAt = (offsetSeconds: number) => {
      const ts = Math.floor(NOW.getTime() / 1000) + offsetSeconds;
      const body = new URLSearchParams({ team_id: 'T0FAKE', user_id: 'U0REP', channel_id: 'C0SALES', command: '/kpi', text: 'help', response_url: h.fake.responseUrl(`ts${offsetSeconds}`), trigger_id: `t${offsetSeconds}` }).toString();
      return h.slack.post(body, { timestamp: ts, signature: signSlackRequest(TEST_SIGNING_SECRET, ts, body) });
    };

    test.each([
      ['6 minutes ahead of', 360, 401],
      ['6 minutes behind', -360, 401],
      ['a day ahead of', 86_400, 401],
      ['4 minutes ahead of', 240, 200],
      ['4 minutes behind', -240, 200],
    ])('a request whose timestamp is %s the app clock: %i', async (_name, offset, status) => {
      h.setNow(NOW);
      try {
        const before = h.logs.length;
        const res = await signedAt(offset);
        expect(res.status).toBe(status);
        if (status === 401) {
          expect(refusals(before)).toHaveLength(1);
          expect(refusals(before)[0]).toMatch(/"status":401.*outside the 300 s window/);
        } else {
          await h.fake.waitFor(() => (h.fake.responsesTo(`ts${offset}`).length ? true : null));
        }
      } finally {
        h.setNow(null);
      }
    });
  });
});
