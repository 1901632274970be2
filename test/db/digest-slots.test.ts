import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { claimDueSlots, markSlotSent, type TDigestSubscriptionWithWorkspace } from '../../src/domain/digests/digest-slots.js';
import { buildHeaderOnlyDigest } from '../../src/slack/blocks/digest.js';
import { runDigest, type TDeliver, type TDeliveryRequest, type TDeliveryResult, type TDigestSlotInfo } from '../../src/domain/digests/run-digest.js';
import { localParts } from '../../src/domain/periods.js';
import { createLogger } from '../../src/logger.js';
import { DeliveryQueue } from '../../src/slack/delivery-queue.js';
import { openDatabase, type Db } from '../../src/storage/db.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/test-db.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const GRACE = 6 * HOUR;
const LEASE = 3 * MIN;
const logs: string[] = [];
const logger = createLogger('debug', (l) => logs.push(l));

describe.each(testEngines())('digest slots on %s', (dialect) => {
  let database: TestDatabase;
  let db: Db;
  let workspaceId: number;
  let channelSeq = 0;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = database.db;
    workspaceId = (await db.prisma.workspace.create({ data: { slackTeamId: 'T0SLOTS', timeZone: 'Europe/Berlin', installerUserId: 'U0INSTALL' } })).id;
  });
  afterAll(async () => database?.drop());
  beforeEach(async () => {
    await db.prisma.digestSubscription.deleteMany();
    await db.prisma.delivery.deleteMany();
  });

  /** A subscription that exists (and has not changed) since `since`. */
  async function subscribe(s: { weekday: number; localTime: string; timeZone: string; since: Date; channelId?: string }) {
    return db.prisma.digestSubscription.create({
      data: {
        workspaceId,
        channelId: s.channelId ?? `C${String(++channelSeq).padStart(6, '0')}`,
        weekday: s.weekday,
        localTime: s.localTime,
        timeZone: s.timeZone,
        createdBySlackUserId: 'U0OWNER',
        createdAt: s.since,
        updatedAt: s.since,
      },
    });
  }

  /** In-memory Slack: records what would have been posted. */
  function recorder(outcome: (req: TDeliveryRequest) => TDeliveryResult = () => ({ status: 'sent', messageTs: '1.1', attempts: 1, textOnly: false })) {
    const posts: TDeliveryRequest[] = [];
    const built: Array<{ sub: TDigestSubscriptionWithWorkspace; slot: TDigestSlotInfo }> = [];
    const deliver: TDeliver = async (req) => {
      posts.push(req);
      return outcome(req);
    };
    const buildDigest = async (sub: TDigestSubscriptionWithWorkspace, slot: TDigestSlotInfo) => {
      built.push({ sub, slot });
      return buildHeaderOnlyDigest(sub, slot);
    };
    return { posts, built, deliver, buildDigest };
  }

  function tick(at: Date, r: ReturnType<typeof recorder>, instanceId = 'test:1:a', onDb: Db = db) {
    return runDigest({ now: at, clock: () => at, db: onDb, deliver: r.deliver, buildDigest: r.buildDigest, instanceId, graceMs: GRACE, leaseMs: LEASE, logger });
  }

  test('a simulated year: one digest per subscription per week at the right local time, across DST in two zones', async () => {
    const start = new Date('2026-01-01T00:00:00Z');
    const end = new Date('2027-01-01T00:00:00Z');
    const ny = await subscribe({ weekday: 1, localTime: '09:00', timeZone: 'America/New_York', since: start });
    const berlin = await subscribe({ weekday: 1, localTime: '09:00', timeZone: 'Europe/Berlin', since: start });
    const kolkata = await subscribe({ weekday: 5, localTime: '17:30', timeZone: 'Asia/Kolkata', since: start });
    const r = recorder();
    let ticks = 0;
    // Hourly on Mondays (UTC), where the Monday slots are; every 12 h otherwise (each tick looks
    // 12 h back, so nothing between ticks is missed; the Friday 12:00 UTC slot falls on a tick).
    for (let t = start.getTime(); t <= end.getTime(); ) {
      await tick(new Date(t), r);
      ticks++;
      t += new Date(t).getUTCDay() === 1 ? HOUR : 12 * HOUR;
    }
    expect(ticks).toBeGreaterThan(1800);
    for (const [sub, weekday, hour, minute] of [
      [ny, 1, 9, 0],
      [berlin, 1, 9, 0],
      [kolkata, 5, 17, 30],
    ] as const) {
      const mine = r.built.filter((b) => b.sub.id === sub.id).map((b) => b.slot);
      expect(mine).toHaveLength(52);
      for (const [i, slot] of mine.entries()) {
        const p = localParts(slot.scheduledFor, sub.timeZone);
        expect({ weekday: p.isoWeekday, hour: p.hour, minute: p.minute, late: slot.late, timeZone: slot.timeZone }).toEqual({ weekday, hour, minute, late: false, timeZone: sub.timeZone });
        if (i > 0) expect(Math.abs(slot.scheduledFor.getTime() - mine[i - 1]!.scheduledFor.getTime() - 7 * DAY)).toBeLessThanOrEqual(HOUR);
      }
      const rows = await db.prisma.digestSlot.findMany({ where: { subscriptionId: sub.id } });
      expect(rows).toHaveLength(52);
      expect(rows.every((row) => row.status === 'sent' && row.attempts === 1 && !row.late)).toBe(true);
      expect(r.posts.filter((p) => p.subscription?.id === sub.id)).toHaveLength(52);
    }
    // Each delivery may use the lease minus a safety margin, no more.
    expect(r.posts.every((p) => p.timeBudgetMs === LEASE - 30_000)).toBe(true);
    // The text prints the zone.
    expect(String(r.posts[0]!.message.text)).toMatch(/\((America\/New_York|Europe\/Berlin|Asia\/Kolkata)\)$/);
  }, 60_000);

  test('two instances (two connections) ticking together: every slot is claimed and posted once', async () => {
    const due = new Date('2026-11-30T09:00:00Z');
    const subs = await Promise.all(Array.from({ length: 12 }, () => subscribe({ weekday: 1, localTime: '09:00', timeZone: 'UTC', since: new Date('2026-11-01T00:00:00Z') })));
    const other = openDatabase(database.url);
    try {
      const r = recorder();
      const at = new Date(due.getTime() + 20_000);
      const results = await Promise.all([
        tick(at, r, 'host-a:1:aa', db),
        tick(at, r, 'host-b:2:bb', other),
        tick(new Date(at.getTime() + 1000), r, 'host-c:3:cc', other),
        tick(new Date(at.getTime() + 1000), r, 'host-d:4:dd', db),
      ]);
      expect(results.reduce((n, s) => n + s.claimed, 0)).toBe(12);
      expect(results.reduce((n, s) => n + s.posted, 0)).toBe(12);
      expect(r.posts.map((p) => p.channelId).sort()).toEqual(subs.map((s) => s.channelId).sort());
      // Raw claims racing on the unique key, too: nothing left to win.
      const again = await Promise.all([
        claimDueSlots({ db, now: at, instanceId: 'x', graceMs: GRACE, leaseMs: LEASE }),
        claimDueSlots({ db: other, now: at, instanceId: 'y', graceMs: GRACE, leaseMs: LEASE }),
      ]);
      expect(again.flatMap((a) => a.claimed)).toEqual([]);
      const rows = await db.prisma.digestSlot.findMany();
      expect(rows).toHaveLength(12);
      expect(new Set(rows.map((row) => row.subscriptionId)).size).toBe(12);
      expect(rows.every((row) => row.status === 'sent')).toBe(true);
    } finally {
      await other.close();
    }
  });

  test('concurrent raw claims of many slots: each slot to exactly one instance', async () => {
    const due = new Date('2026-12-07T09:00:00Z');
    await Promise.all(Array.from({ length: 30 }, () => subscribe({ weekday: 1, localTime: '09:00', timeZone: 'UTC', since: new Date('2026-11-01T00:00:00Z') })));
    const other = openDatabase(database.url);
    try {
      const at = new Date(due.getTime() + 1000);
      const claims = await Promise.all(
        ['a', 'b', 'c', 'd'].map((id, i) => claimDueSlots({ db: i % 2 ? other : db, now: at, instanceId: id, graceMs: GRACE, leaseMs: LEASE, limit: 100 })),
      );
      const ids = claims.flatMap((c) => c.claimed.map((s) => s.slotId));
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
      const rows = await db.prisma.digestSlot.findMany();
      for (const [i, c] of claims.entries()) {
        for (const s of c.claimed) expect(rows.find((row) => row.id === s.slotId)?.claimedBy).toBe(['a', 'b', 'c', 'd'][i]);
      }
    } finally {
      await other.close();
    }
  });

  test('a claim whose instance crashed is recovered once after its lease, not lost and not doubled', async () => {
    const due = new Date('2026-11-30T09:00:00Z');
    const sub = await subscribe({ weekday: 1, localTime: '09:00', timeZone: 'UTC', since: new Date('2026-11-01T00:00:00Z') });
    // Instance A claims, then "crashes" (never posts nor marks).
    const a = await claimDueSlots({ db, now: new Date(due.getTime() + 1000), instanceId: 'A', graceMs: GRACE, leaseMs: LEASE });
    expect(a.claimed).toHaveLength(1);
    // Within the lease nobody else may take it.
    const r = recorder();
    expect((await tick(new Date(due.getTime() + 2 * MIN), r, 'B')).claimed).toBe(0);
    // After it, two instances race: one recovers it.
    const other = openDatabase(database.url);
    try {
      const after = new Date(due.getTime() + LEASE + 2000);
      const [b, c] = await Promise.all([tick(after, r, 'B', db), tick(after, r, 'C', other)]);
      expect(b.claimed + c.claimed).toBe(1);
      expect(b.posted + c.posted).toBe(1);
    } finally {
      await other.close();
    }
    expect(r.posts).toHaveLength(1);
    expect(r.built[0]!.slot).toMatchObject({ late: false, timeZone: 'UTC' });
    const row = await db.prisma.digestSlot.findFirstOrThrow({ where: { subscriptionId: sub.id } });
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    expect(['B', 'C']).toContain(row.claimedBy);
    // The crashed instance coming back cannot mark it again.
    expect(await markSlotSent({ db, slotId: a.claimed[0]!.slotId, instanceId: 'A', now: new Date() })).toBe(false);
    // Later ticks post nothing more.
    await tick(new Date(due.getTime() + HOUR), r, 'B');
    expect(r.posts).toHaveLength(1);
  });

  test('a crashed claim found only after the grace window is skipped, not posted', async () => {
    const due = new Date('2026-11-30T09:00:00Z');
    const sub = await subscribe({ weekday: 1, localTime: '09:00', timeZone: 'UTC', since: new Date('2026-11-01T00:00:00Z') });
    await claimDueSlots({ db, now: due, instanceId: 'A', graceMs: GRACE, leaseMs: LEASE });
    const r = recorder();
    const summary = await tick(new Date(due.getTime() + 7 * HOUR), r, 'B');
    expect(summary).toMatchObject({ claimed: 0, skipped: 1, posted: 0 });
    expect(await db.prisma.digestSlot.findFirstOrThrow({ where: { subscriptionId: sub.id } })).toMatchObject({ status: 'skipped' });
  });

  test('downtime longer than the grace window: skipped; shorter: posted late, and the digest says so', async () => {
    const sub = await subscribe({ weekday: 1, localTime: '09:00', timeZone: 'Europe/Berlin', since: new Date('2026-11-01T00:00:00Z') });
    const r = recorder();
    // Week 1: up until 08:00 local, down for 8 hours.
    await tick(new Date('2026-11-23T07:00:00Z'), r);
    let s = await tick(new Date('2026-11-23T15:00:00Z'), r); // 16:00 local, 7 h after 09:00
    expect(s).toMatchObject({ posted: 0, skipped: 1 });
    expect(r.posts).toHaveLength(0);
    let row = await db.prisma.digestSlot.findFirstOrThrow({ where: { subscriptionId: sub.id, scheduledFor: new Date('2026-11-23T08:00:00Z') } });
    expect(row).toMatchObject({ status: 'skipped', sentAt: null });
    expect(row.error).toMatch(/grace window \(6 h\)/);
    // Week 2: back at 11:00 local, 2 h late.
    s = await tick(new Date('2026-11-30T10:00:00Z'), r);
    expect(s).toMatchObject({ posted: 1, postedLate: 1, skipped: 0 });
    expect(r.built.at(-1)!.slot).toMatchObject({ late: true, lateByMs: 2 * HOUR, timeZone: 'Europe/Berlin' });
    expect(String(r.posts.at(-1)!.message.text)).toContain('posted late');
    row = await db.prisma.digestSlot.findFirstOrThrow({ where: { subscriptionId: sub.id, scheduledFor: new Date('2026-11-30T08:00:00Z') } });
    expect(row).toMatchObject({ status: 'sent', late: true });
    // A few minutes late is not "late".
    s = await tick(new Date('2026-12-07T08:03:00Z'), r);
    expect(s).toMatchObject({ posted: 1, postedLate: 0 });
  });

  test('slots before the subscription was made or changed are not posted; slots are not computed from the whole history', async () => {
    // Subscribed Monday 09:20 for Monday 09:00: first digest next week.
    const sub = await subscribe({ weekday: 1, localTime: '09:00', timeZone: 'UTC', since: new Date('2026-11-30T09:20:00Z') });
    const r = recorder();
    expect(await tick(new Date('2026-11-30T09:21:00Z'), r)).toMatchObject({ claimed: 0, skipped: 0 });
    // A subscription two years old, app started now: no backlog of skipped rows.
    await db.prisma.digestSubscription.update({ where: { id: sub.id }, data: { updatedAt: new Date('2024-11-30T00:00:00Z') } });
    expect(await tick(new Date('2026-12-02T12:00:00Z'), r)).toMatchObject({ claimed: 0, skipped: 0 });
    expect(await db.prisma.digestSlot.count()).toBe(0);
  });

  test('transient delivery failures hand the slot back for a retry; permanent ones fail it; attempts are bounded', async () => {
    const due = new Date('2026-11-30T09:00:00Z');
    const flaky = await subscribe({ weekday: 1, localTime: '09:00', timeZone: 'UTC', since: new Date('2026-11-01T00:00:00Z') });
    const gone = await subscribe({ weekday: 1, localTime: '09:00', timeZone: 'UTC', since: new Date('2026-11-01T00:00:00Z') });
    let flakyCalls = 0;
    const r = recorder((req) => {
      if (req.channelId === gone.channelId) return { status: 'failed', error: 'channel_not_found', attempts: 1, permanent: true, subscriptionDisabled: true };
      flakyCalls++;
      return flakyCalls === 1 ? { status: 'failed', error: 'http_503; gave up after 5 attempts', attempts: 5, permanent: false, subscriptionDisabled: false } : { status: 'sent', messageTs: '2.2', attempts: 1, textOnly: false };
    });
    expect(await tick(due, r)).toMatchObject({ claimed: 2, posted: 0, failed: 1, retrying: 1 });
    expect(await tick(new Date(due.getTime() + 30_000), r)).toMatchObject({ claimed: 0 });
    expect(await tick(new Date(due.getTime() + 2 * MIN), r)).toMatchObject({ claimed: 1, posted: 1 });
    const rows = await db.prisma.digestSlot.findMany({ orderBy: { subscriptionId: 'asc' } });
    expect(rows.find((row) => row.subscriptionId === flaky.id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(rows.find((row) => row.subscriptionId === gone.id)).toMatchObject({ status: 'failed', error: 'channel_not_found' });

    // A digest that cannot be built: retried, then given up after 3 attempts.
    await db.prisma.digestSubscription.deleteMany();
    await subscribe({ weekday: 1, localTime: '09:00', timeZone: 'UTC', since: new Date('2026-11-01T00:00:00Z') });
    let builds = 0;
    const broken = {
      ...recorder(),
      buildDigest: async () => {
        builds++;
        throw new Error('metrics exploded');
      },
    };
    for (let m = 0; m <= 6; m++) await tick(new Date(due.getTime() + m * MIN * 1.5), broken);
    expect(builds).toBe(3);
    expect(await db.prisma.digestSlot.findFirstOrThrow()).toMatchObject({ status: 'failed', attempts: 3 });
    expect((await db.prisma.digestSlot.findFirstOrThrow()).error).toMatch(/build_failed: metrics exploded.*gave up after 3 attempts/);
  });
  describe('posted, then crashed before the slot was marked sent', () => {
    /** The real delivery queue over an in-memory Slack: it records a Delivery row per outcome. */
    function slackQueue(onDb: Db = db) {
      const posted: Array<{ channel: string; text: string }> = [];
      const gateway = {
        postMessage: async (channel: string, message: { text: string }) => {
          posted.push({ channel, text: message.text });
          return `1764493200.${String(posted.length).padStart(6, '0')}`;
        },
      };
      return { posted, queue: new DeliveryQueue({ gateway, db: onDb, logger, perChannelIntervalMs: 0, sleep: async () => undefined }) };
    }
    /** A connection whose markSlotSent fails (the database went away right after the post). */
    function failingMarks(base: Db): Db {
      return {
        ...base,
        execute: (sql, params) =>
          /SET "status" = 'sent'/.test(sql) && /"claimedBy" = \?/.test(sql) ? Promise.reject(new Error('connection reset while marking the slot sent')) : base.execute(sql, params),
      };
    }
    const run = (at: Date, instanceId: string, deliver: TDeliver, onDb: Db = db) =>
      runDigest({ now: at, clock: () => at, db: onDb, deliver, buildDigest: buildHeaderOnlyDigest, instanceId, graceMs: GRACE, leaseMs: LEASE, logger });

    test('marking fails after the post: after the lease the other instance finds the Delivery row and does not post again', async () => {
      const due = new Date('2026-11-30T09:00:00Z');
      const sub = await subscribe({ weekday: 1, localTime: '09:00', timeZone: 'UTC', since: new Date('2026-11-01T00:00:00Z') });
      const slack = slackQueue();
      const a = await run(new Date(due.getTime() + 1000), 'A', slack.queue.deliver, failingMarks(db));
      expect(a).toMatchObject({ claimed: 1, posted: 1 });
      expect(slack.posted).toHaveLength(1);
      const slot = await db.prisma.digestSlot.findFirstOrThrow({ where: { subscriptionId: sub.id } });
      expect(slot).toMatchObject({ status: 'claimed', claimedBy: 'A' });
      // The queue recorded the post against the slot id.
      const delivery = await db.prisma.delivery.findFirstOrThrow({ where: { kind: 'digest', status: 'sent' } });
      expect(delivery).toMatchObject({ refId: slot.id, channelId: sub.channelId, messageTs: '1764493200.000001' });

      // Within the lease nobody touches it; after it, two instances race and neither posts.
      expect(await run(new Date(due.getTime() + 2 * MIN), 'B', slack.queue.deliver)).toMatchObject({ claimed: 0, alreadySent: 0 });
      const other = openDatabase(database.url);
      try {
        const after = new Date(due.getTime() + LEASE + 2000);
        const [b, c] = await Promise.all([run(after, 'B', slack.queue.deliver), run(after, 'C', slack.queue.deliver, other)]);
        expect(b.claimed + c.claimed).toBe(0);
        expect(b.posted + c.posted).toBe(0);
        expect(b.alreadySent + c.alreadySent).toBe(1);
      } finally {
        await other.close();
      }
      expect(slack.posted).toHaveLength(1);
      const row = await db.prisma.digestSlot.findFirstOrThrow({ where: { subscriptionId: sub.id } });
      expect(row).toMatchObject({ status: 'sent', messageTs: '1764493200.000001', leaseUntil: null, attempts: 1 });
      expect(row.sentAt?.getTime()).toBe(delivery.createdAt.getTime());
      // And for good.
      await run(new Date(due.getTime() + HOUR), 'B', slack.queue.deliver);
      expect(slack.posted).toHaveLength(1);
      expect(await db.prisma.delivery.count({ where: { kind: 'digest', status: 'sent' } })).toBe(1);
    });

    test('delivery recorded the post and then threw: the retry finds it instead of posting again', async () => {
      const due = new Date('2026-11-30T09:00:00Z');
      const sub = await subscribe({ weekday: 1, localTime: '09:00', timeZone: 'UTC', since: new Date('2026-11-01T00:00:00Z') });
      const slack = slackQueue();
      let crash = true;
      const deliver: TDeliver = async (req) => {
        const result = await slack.queue.deliver(req);
        if (crash) throw new Error('process killed right after chat.postMessage');
        return result;
      };
      expect(await tick(new Date(due.getTime() + 1000), { ...recorder(), deliver }, 'A')).toMatchObject({ claimed: 1, posted: 0, retrying: 1 });
      crash = false;
      // The retry is due after retryDelayMs (60 s): a recovered claim, found posted.
      const s = await tick(new Date(due.getTime() + 2 * MIN), { ...recorder(), deliver }, 'B');
      expect(s).toMatchObject({ claimed: 0, posted: 0, alreadySent: 1 });
      expect(slack.posted).toHaveLength(1);
      expect(await db.prisma.digestSlot.findFirstOrThrow({ where: { subscriptionId: sub.id } })).toMatchObject({ status: 'sent', messageTs: '1764493200.000001' });
    });

    test('the post lands while the new owner builds the digest: the check right before posting catches it', async () => {
      const due = new Date('2026-11-30T09:00:00Z');
      const sub = await subscribe({ weekday: 1, localTime: '09:00', timeZone: 'UTC', since: new Date('2026-11-01T00:00:00Z') });
      // Instance A claims and hangs in chat.postMessage past its lease.
      const a = await claimDueSlots({ db, now: new Date(due.getTime() + 1000), instanceId: 'A', graceMs: GRACE, leaseMs: LEASE });
      const slotId = a.claimed[0]!.slotId;
      const r = recorder();
      const slow = {
        ...r,
        buildDigest: async (s: TDigestSubscriptionWithWorkspace, info: TDigestSlotInfo) => {
          // …and its post completes now, while B builds: the queue records it.
          await db.prisma.delivery.create({ data: { workspaceId, channelId: sub.channelId, kind: 'digest', refId: slotId, status: 'sent', messageTs: '1764493333.000100' } });
          return r.buildDigest(s, info);
        },
      };
      const b = await tick(new Date(due.getTime() + LEASE + 2000), slow, 'B');
      expect(b).toMatchObject({ claimed: 1, posted: 0, alreadySent: 1 });
      expect(r.posts).toHaveLength(0);
      expect(await db.prisma.digestSlot.findUniqueOrThrow({ where: { id: slotId } })).toMatchObject({ status: 'sent', messageTs: '1764493333.000100', claimedBy: 'B' });
    });

    test('a posted slot found only after the grace window, or after the last attempt, is recorded sent, not skipped or failed', async () => {
      const due = new Date('2026-11-30T09:00:00Z');
      const late = await subscribe({ weekday: 1, localTime: '09:00', timeZone: 'UTC', since: new Date('2026-11-01T00:00:00Z') });
      const a = await claimDueSlots({ db, now: due, instanceId: 'A', graceMs: GRACE, leaseMs: LEASE });
      await db.prisma.delivery.create({ data: { workspaceId, channelId: late.channelId, kind: 'digest', refId: a.claimed[0]!.slotId, status: 'sent', messageTs: '9.9' } });
      // Other rows of the slot (retries, another kind with the same number) do not count.
      await db.prisma.delivery.create({ data: { workspaceId, channelId: 'U0OWNER', kind: 'notice', refId: a.claimed[0]!.slotId + 1, status: 'sent', messageTs: '8.8' } });
      const r = recorder();
      const s = await tick(new Date(due.getTime() + 7 * HOUR), r, 'B');
      expect(s).toMatchObject({ claimed: 0, skipped: 0, alreadySent: 1, posted: 0 });
      expect(await db.prisma.digestSlot.findFirstOrThrow({ where: { subscriptionId: late.id } })).toMatchObject({ status: 'sent', messageTs: '9.9', error: null });

      await db.prisma.digestSubscription.deleteMany();
      const tired = await subscribe({ weekday: 1, localTime: '09:00', timeZone: 'UTC', since: new Date('2026-11-01T00:00:00Z') });
      const c = await claimDueSlots({ db, now: due, instanceId: 'A', graceMs: GRACE, leaseMs: LEASE });
      await db.prisma.digestSlot.update({ where: { id: c.claimed[0]!.slotId }, data: { attempts: 3 } });
      await db.prisma.delivery.create({ data: { workspaceId, channelId: tired.channelId, kind: 'digest', refId: c.claimed[0]!.slotId, status: 'retried', error: 'http_503' } });
      await db.prisma.delivery.create({ data: { workspaceId, channelId: tired.channelId, kind: 'digest', refId: c.claimed[0]!.slotId, status: 'sent', messageTs: '7.7' } });
      expect(await tick(new Date(due.getTime() + LEASE + 1000), r, 'B')).toMatchObject({ claimed: 0, failed: 0, alreadySent: 1 });
      expect(await db.prisma.digestSlot.findFirstOrThrow({ where: { subscriptionId: tired.id } })).toMatchObject({ status: 'sent', messageTs: '7.7' });
      expect(r.posts).toHaveLength(0);
    });
  });
});
