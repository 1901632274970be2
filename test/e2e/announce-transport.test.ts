import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startHarness, TEST_BOT_TOKEN, type Harness } from '../helpers/app-harness.js';
import { testEngines } from '../helpers/test-db.js';

/**
 * The won-deal announcement is posted by the gateway's own chat.postMessage transport (JSON,
 * Bearer token): it lands as before, a 429 within the deadline is waited out, and a 429 beyond it
 * costs the announcement only: the deal is stored and confirmed, and a warning says why.
 */
describe.each(testEngines())('won-deal announcement over the direct chat.postMessage on %s', (dialect) => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(dialect);
    h.fake.addUser({ id: 'U0REP', name: 'bob', real_name: 'Bob Rep', tz: 'Europe/Berlin' });
    await h.slack.command('/kpi', 'settings', { user_id: 'U0ADMIN', response_url: h.fake.responseUrl('setup') });
    await h.fake.waitFor(() => h.fake.responsesTo('setup').length > 0);
  });
  afterAll(async () => h?.stop());
  beforeEach(() => {
    h.fake.reset();
    h.fake.off('chat.postMessage');
  });

  async function won(text: string, channel: string) {
    const res = await h.slack.command('/deal', text, { user_id: 'U0REP', channel_id: channel, response_url: h.fake.responseUrl(`r-${channel}`) });
    expect(res.status).toBe(200);
    return res.json() as { text: string };
  }

  test('lands with the bot token, JSON, text and blocks, links and media not unfurled', async () => {
    const ack = await won('won 9k Jsonco', 'C0JSON');
    expect(ack.text).toContain('Jsonco');
    const post = await h.fake.waitFor(() => h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'C0JSON'));
    expect(post.token).toBe(TEST_BOT_TOKEN);
    expect(post.contentType).toBe('application/json; charset=utf-8');
    expect(String(post.args.text)).toContain('won Jsonco');
    expect(Array.isArray(post.args.blocks)).toBe(true);
    expect(post.args).toMatchObject({ unfurl_links: false, unfurl_media: false });
  });

  test('429 with Retry-After 1 s: waited out within the deadline, the announcement lands', async () => {
    h.fake.rateLimitOnce('chat.postMessage', 1);
    const ack = await won('won 4k Waitco', 'C0WAIT');
    expect(ack.text).toContain('Waitco');
    const posts = await h.fake.waitFor(() => {
      const p = h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0WAIT');
      return p.length === 2 ? p : null;
    }, 5000);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(950);
    expect(String(posts[1]!.args.text)).toContain('won Waitco');
  });

  test('429 with a Retry-After beyond the deadline: not posted, a warning logged, the deal stored and confirmed', async () => {
    h.fake.rateLimitOnce('chat.postMessage', 60);
    const logsBefore = h.logs.length;
    const started = Date.now();
    const ack = await won('won 6k Slowco', 'C0SLOW');
    expect(ack.text).toContain('Slowco');
    expect(await h.database.db.prisma.deal.count({ where: { customer: 'Slowco', status: 'won' } })).toBe(1);
    await h.fake.waitFor(() => h.logs.slice(logsBefore).find((l) => l.includes('won-deal announcement not posted')), 3000);
    expect(Date.now() - started).toBeLessThan(2500);
    const lines = h.logs.slice(logsBefore).join('\n');
    expect(lines).toMatch(/WARN.*rate-limited chat.postMessage beyond the deadline/);
    expect(lines).toMatch(/WARN.*won-deal announcement not posted.*SlackRateLimitedError.*Retry-After 60 s/);
    expect(lines).not.toContain(TEST_BOT_TOKEN);
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0SLOW')).toHaveLength(1);
  });
});
