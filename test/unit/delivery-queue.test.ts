import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { runDigest, type TDeliveryRequest } from '../../src/domain/digests/run-digest.js';
import { buildHeaderOnlyDigest } from '../../src/slack/blocks/digest.js';
import { createLogger } from '../../src/logger.js';
import { DeliveryQueue, hasImages, withoutImages } from '../../src/slack/delivery-queue.js';
import { createDeliveryGateway, type SlackGateway, type SlackMessage } from '../../src/slack/gateway.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/test-db.js';

const IMAGE = { type: 'image', image_url: 'https://quickchart.io/chart?c=%7B%7D', alt_text: 'Revenue trend, 12 weeks' } as const;
const DIGEST: SlackMessage = {
  text: 'Weekly sales digest for <#C0DIGEST> — week of Nov 23, 2026 (Europe/Berlin)',
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Weekly sales digest*' } }, IMAGE, { type: 'section', text: { type: 'mrkdwn', text: 'Win rate 31%' }, accessory: { type: 'image', image_url: 'https://x/y.png', alt_text: 'funnel' } }],
};

function hasImageBlocks(args: Record<string, unknown>): boolean {
  return JSON.stringify(args.blocks ?? []).includes('"image"');
}

/**
 * A virtual clock: sleeping moves time forward instantly to the sleeper's wake-up time. The queue
 * sleeps until absolute instants (a channel's next slot), so lanes sleeping "at once" do not add up.
 */
function virtualTime() {
  let t = 0;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleeps,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
      await Promise.resolve();
    },
  };
}

describe.each(testEngines())('DeliveryQueue against the fake Slack (%s)', (dialect) => {
  let fake: FakeSlack;
  let database: TestDatabase;
  let gateway: SlackGateway;
  let workspaceId: number;
  const logs: string[] = [];
  const logger = createLogger('debug', (l) => logs.push(l));

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    database = await createTestDatabase(dialect);
    gateway = createDeliveryGateway({ token: 'xoxb-1234-5678-testtoken', slackApiUrl: fake.apiUrl, logger, timeoutMs: 5000 });
    workspaceId = (await database.db.prisma.workspace.create({ data: { slackTeamId: 'T0QUEUE', installerUserId: 'U0INSTALL' } })).id;
  });
  afterAll(async () => {
    await fake?.stop();
    await database?.drop();
  });
  beforeEach(async () => {
    fake.reset();
    fake.off('chat.postMessage');
    fake.botInAllChannels = true;
    fake.channelsWithBot.clear();
    logs.length = 0;
    await database.db.prisma.delivery.deleteMany();
    await database.db.prisma.digestSubscription.deleteMany();
  });

  function queue(v = virtualTime(), extra: Partial<ConstructorParameters<typeof DeliveryQueue>[0]> = {}) {
    return new DeliveryQueue({ gateway, db: database.db, logger, now: v.now, sleep: v.sleep, ...extra });
  }

  function digest(channelId: string, message: SlackMessage = DIGEST, extra: Partial<TDeliveryRequest> = {}): TDeliveryRequest {
    return { workspaceId, channelId, kind: 'digest', refId: 42, message, at: new Date('2026-11-30T09:00:00Z'), ...extra };
  }

  test.each([
    ['token_revoked', 1],
    ['account_inactive', 1],
    ['not_in_channel', 0],
    ['invalid_blocks', 0],
  ])('Slack answers %s: the revoked-token hook runs %i time(s), and the message fails once', async (error, hookCalls) => {
    fake.on('chat.postMessage', () => ({ ok: false, error }));
    const revoked: Array<[number, string]> = [];
    const result = await queue(virtualTime(), { onTokenRevoked: async (id, code) => void revoked.push([id, code]) }).deliver(digest('C0GONE', { text: 'plain' }));
    expect(result).toMatchObject({ status: 'failed', error });
    expect(revoked).toEqual(hookCalls ? [[workspaceId, error]] : []);
    expect(fake.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
  });

  test('429 with Retry-After, then 500, then invalid_blocks for the images: delivered once, text-only, every retry recorded', async () => {
    let calls = 0;
    const ok: string[] = [];
    fake.on('chat.postMessage', (args) => {
      calls++;
      if (calls === 1) return { status: 429, headers: { 'Retry-After': '3' }, body: { ok: false, error: 'ratelimited' } };
      if (calls === 2) return { status: 500, body: { ok: false, error: 'internal_server_error' } };
      if (hasImageBlocks(args)) return { ok: false, error: 'invalid_blocks', response_metadata: { messages: ['[ERROR] downloading image failed [json-pointer:/blocks/1/image_url]'] } };
      const ts = `1700000${calls}.000100`;
      ok.push(ts);
      return { ok: true, channel: args.channel, ts };
    });
    const v = virtualTime();
    const result = await queue(v).send(digest('C0DIGEST'));

    expect(result).toEqual({ status: 'sent', messageTs: ok[0], attempts: 4, textOnly: true });
    expect(ok).toHaveLength(1);
    const posts = fake.callsTo('chat.postMessage');
    expect(posts).toHaveLength(4);
    // Retry-After honoured (3 s), then a backoff after the 500.
    expect(v.sleeps[0]).toBeGreaterThanOrEqual(3000);
    expect(v.sleeps[1]).toBeGreaterThanOrEqual(1000);
    // The final post kept the text and the non-image blocks, and says the charts are missing.
    const last = posts[3]!.args;
    expect(last.text).toBe(DIGEST.text);
    expect(hasImageBlocks(last)).toBe(false);
    expect(JSON.stringify(last.blocks)).toContain('Win rate 31%');
    expect(JSON.stringify(last.blocks)).toContain('charts could not be shown');
    const rows = await database.db.prisma.delivery.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.status, r.attempts, r.error, r.messageTs])).toEqual([
      ['retried', 1, 'ratelimited (Retry-After 3 s)', null],
      ['retried', 2, 'http_500', null],
      ['retried', 3, 'invalid_blocks: re-sending without images', null],
      ['sent', 4, 'sent without images', ok[0]],
    ]);
    expect(rows.every((r) => r.kind === 'digest' && r.refId === 42 && r.channelId === 'C0DIGEST')).toBe(true);
    expect(logs.some((l) => l.includes('WARN') && l.includes('text-only'))).toBe(true);
  });

  test('about one message per second per channel, without holding up other channels', async () => {
    const v = virtualTime();
    const calls: Array<{ channel: string; at: number }> = [];
    const recording = { postMessage: (channel: string, m: SlackMessage) => (calls.push({ channel, at: v.now() }), gateway.postMessage(channel, m)) };
    const q = new DeliveryQueue({ gateway: recording, db: database.db, logger, now: v.now, sleep: v.sleep });
    const text = (n: number) => ({ text: `message ${n}` });
    const results = await Promise.all([
      q.send(digest('C0AAA', text(1))),
      q.send(digest('C0AAA', text(2))),
      q.send(digest('C0AAA', text(3))),
      q.send(digest('C0BBB', text(4))),
      q.send(digest('C0BBB', text(5))),
    ]);
    expect(results.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    const a = calls.filter((c) => c.channel === 'C0AAA').map((c) => c.at);
    const b = calls.filter((c) => c.channel === 'C0BBB').map((c) => c.at);
    expect(a).toHaveLength(3);
    expect(b).toHaveLength(2);
    for (const times of [a, b]) for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000);
    // Channel B started at once, not after channel A's messages; and the whole took ~2 s, not ~4 s.
    expect(b[0]).toBe(0);
    expect(Math.max(...a, ...b)).toBeLessThan(3000);
    // Messages of one channel keep their order.
    expect(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0AAA').map((c) => c.args.text)).toEqual(['message 1', 'message 2', 'message 3']);
  });

  test.each([
    ['not_in_channel', /not a member/],
    ['channel_not_found', /can't find/],
    ['is_archived', /archived/],
  ])('%s disables the subscription and DMs its owner how to fix it, once', async (error, why) => {
    const sub = await database.db.prisma.digestSubscription.create({ data: { workspaceId, channelId: 'C0GONE', timeZone: 'UTC', createdBySlackUserId: 'U0OWNER' } });
    fake.on('chat.postMessage', (args) => (args.channel === 'C0GONE' ? { ok: false, error } : { ok: true, channel: args.channel, ts: '1700000001.000200' }));
    const q = queue();
    const request = digest('C0GONE', DIGEST, { subscription: { id: sub.id, channelId: 'C0GONE', createdBySlackUserId: 'U0OWNER' } });
    const result = await q.send(request);
    expect(result).toEqual({ status: 'failed', error, attempts: 1, permanent: true, subscriptionDisabled: true });
    expect(await database.db.prisma.digestSubscription.findUniqueOrThrow({ where: { id: sub.id } })).toMatchObject({ active: false, disabledReason: error });
    const dms = fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0OWNER');
    expect(dms).toHaveLength(1);
    const dm = String(dms[0]!.args.text);
    expect(dm).toMatch(why);
    expect(dm).toContain('<#C0GONE>');
    expect(dm).toContain('/kpi digest subscribe #channel');
    if (error !== 'is_archived') expect(dm).toContain('/invite @Sales KPIs');
    // The same failure seen again (another instance, another slot): no second DM.
    expect(await q.send(request)).toMatchObject({ status: 'failed', subscriptionDisabled: false });
    expect(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0OWNER')).toHaveLength(1);
    const rows = await database.db.prisma.delivery.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.channelId, r.kind, r.status, r.error])).toEqual([
      ['C0GONE', 'digest', 'failed', error],
      ['U0OWNER', 'notice', 'sent', null],
      ['C0GONE', 'digest', 'failed', error],
    ]);
  });

  test('the bot removed from a channel (fake membership) is reported the same way', async () => {
    fake.botInAllChannels = false;
    const sub = await database.db.prisma.digestSubscription.create({ data: { workspaceId, channelId: 'C0PRIVATE', timeZone: 'UTC', createdBySlackUserId: null } });
    const result = await queue().send(digest('C0PRIVATE', DIGEST, { subscription: { id: sub.id, channelId: 'C0PRIVATE', createdBySlackUserId: null } }));
    expect(result).toMatchObject({ status: 'failed', error: 'not_in_channel', subscriptionDisabled: true });
    // No owner recorded: the workspace installer is told.
    expect(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0INSTALL')).toHaveLength(1);
  });

  test('persistent 5xx: bounded retries with growing backoff, then failed (transient) and recorded', async () => {
    fake.on('chat.postMessage', () => ({ status: 503, body: { ok: false } }));
    const v = virtualTime();
    const result = await queue(v, { maxRetries: 3 }).send(digest('C0DOWN', { text: 'hello' }));
    expect(result).toMatchObject({ status: 'failed', permanent: false, attempts: 4 });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(4);
    expect(v.sleeps).toEqual([1000, 2000, 4000]);
    const rows = await database.db.prisma.delivery.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.status)).toEqual(['retried', 'retried', 'retried', 'failed']);
    expect(rows.at(-1)!.error).toBe('http_503; gave up after 4 attempts');
  });

  test('a network error is retried', async () => {
    const dead = createDeliveryGateway({ token: 'xoxb-1-2-x', slackApiUrl: 'http://127.0.0.1:9/api/', logger, timeoutMs: 2000 });
    const q = new DeliveryQueue({ gateway: dead, db: database.db, logger, ...virtualTime(), maxRetries: 1 });
    const result = await q.send(digest('C0NET', { text: 'hello' }));
    expect(result).toMatchObject({ status: 'failed', permanent: false, attempts: 2 });
    if (result.status === 'failed') expect(result.error).toMatch(/^request_error/);
  });

  test('invalid_blocks on a message without images is not retried, and not dropped silently', async () => {
    fake.on('chat.postMessage', () => ({ ok: false, error: 'invalid_blocks' }));
    const result = await queue().send(digest('C0BAD', { text: 'x', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x' } }] }));
    expect(result).toMatchObject({ status: 'failed', error: 'invalid_blocks', permanent: true, attempts: 1 });
    expect(logs.some((l) => l.includes('ERROR') && l.includes('delivery failed') && l.includes('invalid_blocks'))).toBe(true);
  });

  test('no attempt starts after the deadline (the claim lease): a long Retry-After gives up instead', async () => {
    fake.on('chat.postMessage', () => ({ status: 429, headers: { 'Retry-After': '30' }, body: { ok: false, error: 'ratelimited' } }));
    const v = virtualTime();
    const result = await queue(v).send(digest('C0SLOW', { text: 'x' }, { timeBudgetMs: 10_000 }));
    expect(result).toMatchObject({ status: 'failed', permanent: false, attempts: 1 });
    if (result.status === 'failed') expect(result.error).toMatch(/deadline_exceeded/);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });
});

describe.each(testEngines())('runDigest with the real queue and the fake Slack (%s)', (dialect) => {
  let fake: FakeSlack;
  let database: TestDatabase;

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await fake?.stop();
    await database?.drop();
  });

  test('one tick: digests posted (text-only where images are refused), a channel without the bot disabled and its owner told', async () => {
    const logger = createLogger('error', () => undefined);
    const db = database.db;
    const workspace = await db.prisma.workspace.create({ data: { slackTeamId: 'T0RUN', timeZone: 'Europe/Berlin' } });
    const due = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000);
    const schedule = { weekday: ((due.getUTCDay() + 6) % 7) + 1, localTime: due.toISOString().slice(11, 16), timeZone: 'UTC' };
    for (const channelId of ['C0OK', 'C0IMG', 'C0NOBOT']) {
      await db.prisma.digestSubscription.create({ data: { workspaceId: workspace.id, channelId, ...schedule, createdBySlackUserId: 'U0BOSS' } });
    }
    fake.on('chat.postMessage', (args) => {
      if (args.channel === 'C0NOBOT') return { ok: false, error: 'not_in_channel' };
      if (args.channel === 'C0IMG' && hasImageBlocks(args)) return { ok: false, error: 'invalid_blocks' };
      return { ok: true, channel: args.channel, ts: '1700000000.000300' };
    });
    const gateway = createDeliveryGateway({ token: 'xoxb-1234-5678-testtoken', slackApiUrl: fake.apiUrl, logger });
    const queue = new DeliveryQueue({ gateway, db, logger });
    const summary = await runDigest({
      now: new Date(),
      db,
      deliver: queue.deliver,
      buildDigest: async (sub, slot) => ({ ...(await buildHeaderOnlyDigest(sub, slot)), blocks: [...(await buildHeaderOnlyDigest(sub, slot)).blocks, IMAGE] }),
      instanceId: 'in-process:1:x',
      graceMs: 6 * 3_600_000,
      leaseMs: 180_000,
      logger,
    });
    expect(summary).toMatchObject({ claimed: 3, posted: 2, textOnly: 1, failed: 1, retrying: 0, skipped: 0 });
    const slots = await db.prisma.digestSlot.findMany({ include: { subscription: true } });
    expect(Object.fromEntries(slots.map((s) => [s.subscription.channelId, s.status]))).toEqual({ C0OK: 'sent', C0IMG: 'sent', C0NOBOT: 'failed' });
    expect(await db.prisma.digestSubscription.findFirstOrThrow({ where: { channelId: 'C0NOBOT' } })).toMatchObject({ active: false, disabledReason: 'not_in_channel' });
    expect(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0BOSS')).toHaveLength(1);
    // Nothing more on the next tick.
    const again = await runDigest({ now: new Date(), db, deliver: queue.deliver, buildDigest: buildHeaderOnlyDigest, instanceId: 'in-process:1:x', graceMs: 6 * 3_600_000, leaseMs: 180_000, logger });
    expect(again).toMatchObject({ claimed: 0, posted: 0 });
  });
});

describe('image stripping', () => {
  test('removes image blocks, image accessories and context images; keeps the rest', () => {
    const message: SlackMessage = {
      text: 't',
      blocks: [
        IMAGE,
        { type: 'section', text: { type: 'mrkdwn', text: 'a' }, accessory: { type: 'image', image_url: 'https://x', alt_text: 'x' } },
        { type: 'context', elements: [{ type: 'image', image_url: 'https://x', alt_text: 'x' }, { type: 'mrkdwn', text: 'legend' }] },
        { type: 'context', elements: [{ type: 'image', image_url: 'https://x', alt_text: 'x' }] },
        { type: 'divider' },
      ],
    };
    expect(hasImages(message.blocks)).toBe(true);
    const stripped = withoutImages(message);
    expect(hasImages(stripped.blocks)).toBe(false);
    expect(stripped.text).toBe('t');
    expect(stripped.blocks?.map((b) => b.type)).toEqual(['section', 'context', 'divider', 'context']);
    expect(withoutImages({ text: 'only', blocks: [IMAGE] })).toEqual({ text: 'only' });
    expect(hasImages([{ type: 'divider' }])).toBe(false);
  });
});
