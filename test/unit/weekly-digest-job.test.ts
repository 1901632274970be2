import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TDeliveryRequest } from '../../src/domain/digests/run-digest.js';
import { buildHeaderOnlyDigest } from '../../src/slack/blocks/digest.js';
import { createLogger } from '../../src/logger.js';
import { newInstanceId, WeeklyDigestJob } from '../../src/scheduler/weekly-digest-job.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.js';

describe('WeeklyDigestJob', () => {
  let database: TestDatabase;
  const logs: string[] = [];
  const logger = createLogger('debug', (l) => logs.push(l));

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(async () => database?.drop());

  test('instance ids are hostname:pid:random and differ per job', () => {
    const id = newInstanceId();
    expect(id.startsWith(`${hostname()}:${process.pid}:`)).toBe(true);
    expect(newInstanceId()).not.toBe(id);
  });

  test('refuses a bad cron expression', () => {
    expect(() => new WeeklyDigestJob({ db: database.db, deliver: async () => ({ status: 'sent', messageTs: '1', attempts: 1, textOnly: false }), buildDigest: buildHeaderOnlyDigest, logger, graceMs: 0, leaseMs: 1000, cronExpression: 'every monday' })).toThrow(/DIGEST_TICK_CRON/);
  });

  test('ticks on node-cron (seconds field), skips ticks while one is running, and stop() waits for it', async () => {
    const workspace = await database.db.prisma.workspace.create({ data: { slackTeamId: 'T0JOB' } });
    const now = new Date();
    const due = new Date(Math.floor(now.getTime() / 60_000) * 60_000 - 60_000);
    await database.db.prisma.digestSubscription.create({
      data: { workspaceId: workspace.id, channelId: 'C0JOB', weekday: ((due.getUTCDay() + 6) % 7) + 1, localTime: due.toISOString().slice(11, 16), timeZone: 'UTC' },
    });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let builds = 0;
    const posts: TDeliveryRequest[] = [];
    const job = new WeeklyDigestJob({
      db: database.db,
      deliver: async (req) => {
        posts.push(req);
        return { status: 'sent', messageTs: '1.1', attempts: 1, textOnly: false };
      },
      buildDigest: async (sub, slot) => {
        builds++;
        await gate;
        return buildHeaderOnlyDigest(sub, slot);
      },
      logger,
      graceMs: 6 * 3_600_000,
      leaseMs: 60_000,
      cronExpression: '* * * * * *',
    });
    job.start();
    job.start(); // idempotent
    const started = Date.now();
    while (builds === 0 && Date.now() - started < 3000) await new Promise((r) => setTimeout(r, 20));
    expect(builds).toBe(1);
    expect(job.busy).toBe(true);
    // While the first tick is stuck building, the next ticks are skipped.
    const skippedBefore = logs.filter((l) => l.includes('tick skipped')).length;
    await new Promise((r) => setTimeout(r, 1300));
    expect(logs.filter((l) => l.includes('tick skipped')).length).toBeGreaterThan(skippedBefore);
    expect(await job.tick()).toBeNull();
    const stopping = job.stop();
    release();
    await stopping;
    expect(job.busy).toBe(false);
    expect(builds).toBe(1);
    expect(posts).toHaveLength(1);
    expect(await database.db.prisma.digestSlot.findFirstOrThrow()).toMatchObject({ status: 'sent', claimedBy: job.instanceId });
    // Stopped: no more ticks.
    const count = logs.length;
    await new Promise((r) => setTimeout(r, 1200));
    expect(logs.slice(count).some((l) => l.includes('weekly digest tick'))).toBe(false);
  });
});
