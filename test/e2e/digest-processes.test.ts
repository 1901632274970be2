import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase, type Db } from '../../src/storage/db.js';
import { migrateDatabase } from '../../src/storage/migrate.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { freshDatabaseUrl } from '../helpers/test-db.js';

/**
 * Two real app processes (`node --import tsx src/main.ts`) on one PostgreSQL schema and one fake
 * Slack, ticking every second: several subscriptions due at the same instant are posted exactly
 * once each; a process killed between claim and post loses no slot (the other one takes it over
 * after the lease) and nothing is posted twice.
 */
const PG = process.env.TEST_DATABASE_URL;
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const LEASE_SECONDS = 6;
if (!PG) {
  console.info('test/e2e/digest-processes.test.ts skipped: it needs PostgreSQL. Run with TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test');
}

interface AppProcess {
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

function startApp(env: Record<string, string>): AppProcess {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.SLACK_APP_TOKEN;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output, exited };
}

async function waitFor<T>(what: string, predicate: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs: number, apps: AppProcess[]): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await predicate();
    if (v) return v;
    if (Date.now() - start > timeoutMs) {
      throw new Error(`timed out waiting for ${what}\n--- app output ---\n${apps.map((a, i) => `[app ${i}]\n${a.output.join('').slice(-4000)}`).join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Weekday and HH:MM (UTC) of the minute that began 60–120 s ago: a slot due a minute ago. */
function dueAMinuteAgo(): { weekday: number; localTime: string; at: Date } {
  const at = new Date(Math.floor((Date.now() - 60_000) / 60_000) * 60_000);
  const weekday = ((at.getUTCDay() + 6) % 7) + 1;
  const localTime = `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')}`;
  return { weekday, localTime, at };
}

describe.runIf(Boolean(PG))('weekly digests from two app processes on one PostgreSQL', () => {
  let fake: FakeSlack;
  let db: Db;
  let cleanup: () => Promise<void>;
  let workspaceId: number;
  const apps: AppProcess[] = [];
  /** Successful posts per channel, as answered by the fake Slack. */
  const posted = new Map<string, number>();
  const hangFirstPostTo = new Set<string>();
  const postCalls = new Map<string, number>();

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    fake.on('chat.postMessage', (args) => {
      const channel = String(args.channel);
      const n = (postCalls.get(channel) ?? 0) + 1;
      postCalls.set(channel, n);
      // The first post to a "hang" channel never gets an answer: its sender is killed meanwhile.
      if (n === 1 && hangFirstPostTo.has(channel)) return new Promise<Record<string, unknown>>(() => undefined);
      posted.set(channel, (posted.get(channel) ?? 0) + 1);
      return { ok: true, channel, ts: `${Date.now() / 1000}` };
    });
    const fresh = await freshDatabaseUrl('postgresql');
    cleanup = fresh.cleanup;
    db = openDatabase(fresh.url);
    await migrateDatabase(db);
    workspaceId = (await db.prisma.workspace.create({ data: { slackTeamId: 'T0FAKE', timeZone: 'UTC', installerUserId: 'U0ADMIN' } })).id;
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-1234-5678-testtoken',
      SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5',
      SLACK_API_URL: fake.apiUrl,
      DATABASE_URL: fresh.url,
      PORT: '0',
      DIGEST_TICK_CRON: '* * * * * *',
      DIGEST_LEASE_SECONDS: String(LEASE_SECONDS),
      SCHEDULER_ENABLED: 'true',
      LOG_LEVEL: 'info',
    };
    apps.push(startApp(env), startApp(env));
    // Both schedulers ticking before anything is due, so the two really race for the slots.
    await waitFor('both processes ticking', () => apps.every((a) => a.output.join('').includes('weekly digest job started')), 40_000, apps);
  }, 60_000);

  afterAll(async () => {
    for (const app of apps) if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
    await Promise.all(apps.map((a) => a.exited));
    await fake?.stop();
    await db?.close();
    await cleanup?.();
  });

  test('several subscriptions due at the same instant: exactly one post per slot', async () => {
    const channels = ['C0ONE', 'C0TWO', 'C0THREE', 'C0FOUR', 'C0FIVE', 'C0SIX', 'C0SEVEN', 'C0EIGHT'];
    const due = dueAMinuteAgo();
    await db.prisma.digestSubscription.createMany({
      data: channels.map((channelId) => ({ workspaceId, channelId, weekday: due.weekday, localTime: due.localTime, timeZone: 'UTC', createdBySlackUserId: 'U0ADMIN' })),
    });
    await waitFor('a post in every channel', () => channels.every((c) => posted.get(c) === 1), 20_000, apps);
    // A few more ticks of both processes: still one each.
    await new Promise((r) => setTimeout(r, 2500));
    for (const c of channels) expect({ channel: c, posts: postCalls.get(c) }).toEqual({ channel: c, posts: 1 });
    const slots = await db.prisma.digestSlot.findMany();
    expect(slots).toHaveLength(channels.length);
    expect(slots.every((s) => s.status === 'sent' && s.attempts === 1 && !s.late)).toBe(true);
    const pids = apps.map((a) => a.child.pid);
    for (const s of slots) expect(pids.some((pid) => s.claimedBy?.includes(`:${pid}:`))).toBe(true);
    const byProcess = pids.map((pid) => slots.filter((s) => s.claimedBy?.includes(`:${pid}:`)).length);
    console.info(`slots claimed per process: ${byProcess.join(' + ')}`);
    const deliveries = await db.prisma.delivery.findMany({ where: { kind: 'digest' } });
    expect(deliveries.map((d) => d.status)).toEqual(channels.map(() => 'sent'));
    // The real digest content names the week and the zone.
    const text = String(fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'C0ONE')?.args.text);
    expect(text).toMatch(/^Weekly sales digest — week of .+ \(UTC\), all reps: net revenue/);
  });

  test('a process killed after claiming a slot: the other one posts it after the lease, once', async () => {
    hangFirstPostTo.add('C0KILL');
    const due = dueAMinuteAgo();
    const sub = await db.prisma.digestSubscription.create({ data: { workspaceId, channelId: 'C0KILL', weekday: due.weekday, localTime: due.localTime, timeZone: 'UTC', createdBySlackUserId: 'U0ADMIN' } });
    // One process claims the slot and starts posting; the fake holds the request.
    await waitFor('the first post attempt', () => postCalls.get('C0KILL') === 1, 15_000, apps);
    const claim = await db.prisma.digestSlot.findFirstOrThrow({ where: { subscriptionId: sub.id } });
    expect(claim.status).toBe('claimed');
    const victim = apps.find((a) => claim.claimedBy?.includes(`:${a.child.pid}:`));
    const survivor = apps.find((a) => a !== victim);
    expect(victim && survivor).toBeTruthy();
    victim!.child.kill('SIGKILL');
    await victim!.exited;

    await waitFor('the slot posted by the other process', () => posted.get('C0KILL') === 1, 20_000, apps);
    // Taken over only once the victim's lease ran out.
    const takeover = fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0KILL')[1]!;
    expect(takeover.at).toBeGreaterThanOrEqual(claim.leaseUntil!.getTime());
    await new Promise((r) => setTimeout(r, 2000));
    expect(postCalls.get('C0KILL')).toBe(2);
    expect(posted.get('C0KILL')).toBe(1);
    const row = await db.prisma.digestSlot.findFirstOrThrow({ where: { subscriptionId: sub.id } });
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    expect(row.claimedBy).toContain(`:${survivor!.child.pid}:`);
    // Nothing else was posted twice meanwhile.
    for (const [channel, n] of posted) expect({ channel, n }).toEqual({ channel, n: 1 });

    // The survivor shuts down cleanly on SIGTERM.
    survivor!.child.kill('SIGTERM');
    expect(await survivor!.exited).toBe(0);
  }, 45_000);
});
