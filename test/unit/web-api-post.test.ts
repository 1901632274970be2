import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { classifySlackFailure, createDeliveryGateway, SlackGateway, SlackTimeoutError, slackErrorCode } from '../../src/slack/gateway.js';
import { RequestTokenWebClient, withRequestToken } from '../../src/slack/oauth/request-token.js';
import { webApiPost } from '../../src/slack/web-api-post.js';
import { FakeSlack } from '../helpers/fake-slack.js';

/**
 * chat.postMessage goes straight over node:http (JSON body, Bearer token), not through the
 * WebClient: the same token, deadline, rate-limit and error behaviour as the client gave it.
 */
const TOKEN = 'xoxb-1234-5678-posttoken';
let fake: FakeSlack;
let logs: string[];

function gateway(callMs: number, client: WebClient = new WebClient(TOKEN, { slackApiUrl: fake.apiUrl })): SlackGateway {
  return new SlackGateway(client, createLogger('debug', (l) => logs.push(l)), { lookupMs: callMs, modalMs: callMs, callMs });
}

async function timed<T>(work: Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const started = Date.now();
  try {
    const value = await work;
    return { ms: Date.now() - started, value };
  } catch (error) {
    return { ms: Date.now() - started, error };
  }
}

beforeAll(async () => {
  fake = await new FakeSlack().start();
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.reset();
  fake.off('chat.postMessage');
  logs = [];
});

describe('SlackGateway.postMessage over its own transport', () => {
  test('posts JSON with a Bearer token: text, blocks and the unfurl flags as booleans; returns the ts', async () => {
    const blocks = [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: '*Won* Acme' } }];
    const ts = await gateway(2000).postMessage('C0SALES', { text: 'Won Acme', blocks });
    const [call] = fake.callsTo('chat.postMessage');
    expect(fake.calls).toHaveLength(1);
    expect(ts).toMatch(/^\d+\.\d+$/);
    expect(call!.token).toBe(TOKEN);
    expect(call!.contentType).toBe('application/json; charset=utf-8');
    expect(call!.args).toEqual({ channel: 'C0SALES', text: 'Won Acme', blocks, unfurl_links: false, unfurl_media: false });
  });

  test('OAuth mode: the token of the request in scope, a second workspace its own', async () => {
    const g = gateway(2000, new RequestTokenWebClient(undefined, { slackApiUrl: fake.apiUrl }));
    await withRequestToken('xoxb-alpha', () => g.postMessage('CA', { text: 'a' }));
    await withRequestToken('xoxb-beta', () => g.postMessage('CB', { text: 'b' }));
    expect(fake.callsTo('chat.postMessage').map((c) => [c.args.channel, c.token])).toEqual([
      ['CA', 'xoxb-alpha'],
      ['CB', 'xoxb-beta'],
    ]);
    // No token at all: refused here, nothing sent without credentials.
    await expect(g.postMessage('CC', { text: 'c' })).rejects.toMatchObject({ slackError: 'not_authed' });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(2);
  });

  test('429 with a Retry-After that fits the deadline: waits it out and posts', async () => {
    fake.rateLimitOnce('chat.postMessage', 1);
    const r = await timed(gateway(3000).postMessage('C0SALES', { text: 'x' }));
    expect(r.error).toBeUndefined();
    expect(r.value).toMatch(/^\d+\.\d+$/);
    expect(r.ms).toBeGreaterThanOrEqual(950);
    expect(r.ms).toBeLessThan(2500);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(2);
  });

  test('429 with a Retry-After beyond the deadline: fails at once as ratelimited, with a warning and no token', async () => {
    fake.rateLimitOnce('chat.postMessage', 30);
    const r = await timed(gateway(2000).postMessage('C0SALES', { text: 'x' }));
    expect(slackErrorCode(r.error)).toBe('ratelimited');
    expect(r.ms).toBeLessThan(500);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(logs.some((l) => l.includes('WARN') && l.includes('rate-limited chat.postMessage beyond the deadline') && l.includes('30000'))).toBe(true);
    expect(String(r.error) + JSON.stringify(r.error) + logs.join('\n')).not.toContain(TOKEN);
  });

  test("Slack's ok:false surfaces as its code (not_in_channel)", async () => {
    fake.botInAllChannels = false;
    try {
      const r = await timed(gateway(2000).postMessage('C0NOBOT', { text: 'x' }));
      expect(slackErrorCode(r.error)).toBe('not_in_channel');
      expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
    } finally {
      fake.botInAllChannels = true;
    }
  });

  test('a hanging Slack times out at the deadline (SlackTimeoutError)', async () => {
    fake.on('chat.postMessage', () => new Promise<never>(() => undefined));
    const r = await timed(gateway(400).postMessage('C0SALES', { text: 'x' }));
    expect(r.error).toBeInstanceOf(SlackTimeoutError);
    expect(slackErrorCode(r.error)).toBe('timeout');
    expect(r.ms).toBeGreaterThanOrEqual(390);
    expect(r.ms).toBeLessThan(900);
  });

  test('a 5xx is tried once more within the deadline; twice is an http error', async () => {
    let n = 0;
    fake.on('chat.postMessage', (args) => (++n === 1 ? { status: 503, body: { ok: false } } : { ok: true, channel: args.channel, ts: '1700000000.000200' }));
    expect(await gateway(2000).postMessage('C0SALES', { text: 'x' })).toBe('1700000000.000200');
    fake.on('chat.postMessage', () => ({ status: 502, body: { ok: false } }));
    fake.reset();
    const r = await timed(gateway(2000).postMessage('C0SALES', { text: 'x' }));
    expect(slackErrorCode(r.error)).toBe('http_502');
    expect(fake.callsTo('chat.postMessage')).toHaveLength(2);
  });

  test('a network error is tried once more, then reported as request_error (no token in it)', async () => {
    const r = await timed(gateway(2000, new WebClient(TOKEN, { slackApiUrl: 'http://127.0.0.1:9/api/' })).postMessage('C0SALES', { text: 'x' }));
    expect(slackErrorCode(r.error)).toMatch(/^request_error: .*ECONNREFUSED/);
    expect(classifySlackFailure(r.error)).toMatchObject({ kind: 'transient' });
    expect(String(r.error)).not.toContain(TOKEN);
  });

  test('the answer is read up to a bound', async () => {
    fake.on('chat.postMessage', () => ({ ok: true, ts: '1.2', padding: 'x'.repeat(5000) }));
    await expect(webApiPost('chat.postMessage', { channel: 'C', text: 'x' }, { apiUrl: fake.apiUrl, token: TOKEN, deadlineMs: 2000, retries: 0, waitOnRateLimit: true, maxResponseBytes: 1000 })).rejects.toMatchObject({ slackError: expect.stringMatching(/^request_error: answer larger than 1000 bytes/) });
    expect((await webApiPost('chat.postMessage', { channel: 'C', text: 'x' }, { apiUrl: fake.apiUrl.replace(/\/$/, ''), token: TOKEN, deadlineMs: 2000, retries: 0, waitOnRateLimit: true })).ts).toBe('1.2');
  });
});

describe('the delivery gateway (its queue paces and retries)', () => {
  test('a 429 is handed back at once with its Retry-After; a 5xx is not retried', async () => {
    const g = createDeliveryGateway({ token: TOKEN, slackApiUrl: fake.apiUrl, logger: createLogger('error', () => undefined), timeoutMs: 2000 });
    fake.rateLimitOnce('chat.postMessage', 30);
    const r = await timed(g.postMessage('C0DIGEST', { text: 'x' }));
    expect(r.ms).toBeLessThan(500);
    expect(classifySlackFailure(r.error)).toEqual({ kind: 'rate_limited', error: 'ratelimited', retryAfterMs: 30_000 });
    fake.on('chat.postMessage', () => ({ status: 503, body: { ok: false } }));
    fake.reset();
    const five = await timed(g.postMessage('C0DIGEST', { text: 'x' }));
    expect(classifySlackFailure(five.error)).toEqual({ kind: 'transient', error: 'http_503' });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });
});
