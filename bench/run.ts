/**
 * `npm run bench`: the SPEC §6 targets, measured and printed (never asserted by timed unit tests).
 *
 * For each engine (SQLite; PostgreSQL when BENCH_DATABASE_URL / TEST_DATABASE_URL is set) and each
 * history size (100k and 1M deals by default), it seeds deals with batched raw inserts, starts the
 * real app as its own process (production entry point, signed HTTP, fake Slack on loopback) and
 * measures `/kpi` answer latency from the signed request to the answer arriving at the
 * response_url, for a month and a quarter. A baseline runs the same win-rate aggregate as one plain
 * SQL query on the raw driver, so the app's overhead is a ratio. History grows outside the period
 * (the same number of deals per month, more months), which is what "cost grows with the deals in
 * the period, not with history" means. Then: deal logging throughput through signed HTTP, and
 * digest generation for 1,000 channels. Results go to stdout and bench/results/latest.json.
 *
 * Options: --sizes 100000,1000000  --engines sqlite,postgresql  --requests 200  --skip-logging  --skip-digest
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openDatabase, type Db, type Dialect } from '../src/storage/db.js';
import { migrateDatabase } from '../src/storage/migrate.js';
import { insertDealsBatch, type TDealRow } from '../src/storage/bulk-insert.js';
import { FakeSlack } from '../test/helpers/fake-slack.js';
import { newTriggerId, slackSender } from '../test/helpers/slack-requests.js';

const ROOT = resolve(import.meta.dirname, '..');
const SECRET = 'bench-signing-secret-0123456789';
const TOKEN = 'xoxb-1-2-benchtoken';
const TEAM = 'TBENCH';
const DEALS_PER_MONTH = 8_400; // ~100k a year; a larger history adds months, not deals per month
const REPS = 200;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

const sizes = arg('sizes', '100000,1000000').split(',').map(Number);
const pgBase = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const engines = arg('engines', 'sqlite,postgresql').split(',') as Dialect[];
const REQUESTS = Number(arg('requests', '200'));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, idx)]!;
}
function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), n: s.length };
}
const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');

/** Deterministic pseudo-random numbers, so every run seeds the same data. */
function rng(seed: number) {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4_294_967_296;
  };
}

interface Target {
  dialect: Dialect;
  url: string;
  cleanup: () => Promise<void>;
}

async function freshTarget(dialect: Dialect, size: number): Promise<Target> {
  if (dialect === 'sqlite') {
    const dir = join(tmpdir(), `kpi-bench-${size}-${Date.now()}`);
    mkdirSync(dir, { recursive: true });
    return { dialect, url: `file:${join(dir, 'bench.db')}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `bench_${size}_${Date.now().toString(36)}`;
  const u = new URL(pgBase);
  u.searchParams.set('schema', schema);
  if (process.env.BENCH_PG_POOL) u.searchParams.set('connection_limit', process.env.BENCH_PG_POOL);
  return {
    dialect,
    url: u.toString(),
    cleanup: async () => {
      const c = new pg.Client({ connectionString: pgBase });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    },
  };
}

/** Seeds `size` deals: DEALS_PER_MONTH per month going back from the current month. */
async function seed(db: Db, size: number, now: Date): Promise<{ workspaceId: number; repUserIds: string[]; seedMs: number }> {
  const started = Date.now();
  const ws = await db.prisma.workspace.create({ data: { slackTeamId: TEAM, name: 'Bench', timeZone: 'UTC', currency: 'USD', installerUserId: 'UBENCH0' } });
  const team = await db.prisma.salesTeam.create({ data: { workspaceId: ws.id, name: 'Bench team' } });
  const repIds: number[] = [];
  const repUserIds: string[] = [];
  for (let i = 0; i < REPS; i++) {
    const slackUserId = `UBENCH${i}`;
    const rep = await db.prisma.rep.create({ data: { workspaceId: ws.id, slackUserId, name: `Rep ${i}`, role: i === 0 ? 'admin' : 'rep', teamId: team.id } });
    repIds.push(rep.id);
    repUserIds.push(slackUserId);
  }
  const random = rng(size);
  const months = Math.ceil(size / DEALS_PER_MONTH);
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const elapsedThisMonth = now.getTime() - monthStart;
  const CHUNK = 20_000;
  let batch: TDealRow[] = [];
  for (let i = 0; i < size; i++) {
    const monthsBack = Math.floor(i / DEALS_PER_MONTH);
    const start = new Date(monthStart);
    start.setUTCMonth(start.getUTCMonth() - monthsBack);
    const span = monthsBack === 0 ? elapsedThisMonth : 28 * 86_400_000;
    const createdAt = new Date(start.getTime() + Math.floor(random() * span));
    const r = random();
    const status = r < 0.45 ? 'won' : r < 0.75 ? 'lost' : 'open';
    const closedAt = status === 'open' ? null : new Date(Math.min(now.getTime() - 1000, createdAt.getTime() + Math.floor(random() * 20 * 86_400_000)));
    const amount = BigInt(100_000 + Math.floor(random() * 5_000_000));
    batch.push({
      ownerId: repIds[Math.floor(random() * REPS)]!,
      customer: `Customer ${i % 5000}`,
      amountMinor: amount,
      currency: 'USD',
      amountReportingMinor: amount,
      type: r < 0.3 ? 'new' : r < 0.4 ? 'upsell' : 'renewal',
      stage: status === 'open' ? 'demo' : status,
      maxStageIndex: status === 'won' ? 4 : Math.floor(random() * 4),
      status,
      createdAt,
      closedAt,
      externalId: `B${i}`,
    });
    if (batch.length === CHUNK) {
      await insertDealsBatch(db, ws.id, batch, { stageChanges: false, now });
      batch = [];
    }
  }
  if (batch.length) await insertDealsBatch(db, ws.id, batch, { stageChanges: false, now });
  void months;
  return { workspaceId: ws.id, repUserIds, seedMs: Date.now() - started };
}

interface AppProcess {
  child: ChildProcess;
  port: number;
  rssKb: () => number;
  stop: () => Promise<void>;
}

async function startApp(url: string, fakeApiUrl: string): Promise<AppProcess> {
  // BENCH_APP_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, profiles the app process.
  const extra = (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fakeApiUrl, DATABASE_URL: url, PORT: '0', SCHEDULER_ENABLED: 'false', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const start = Date.now();
  let port = 0;
  // The listening line is logged at info; read the port from /proc instead of relying on log level.
  while (!port) {
    if (child.exitCode !== null) throw new Error(`app exited: ${out}`);
    if (Date.now() - start > 60_000) throw new Error(`app did not start: ${out}`);
    port = listeningPort(child.pid!);
    if (!port) await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    port,
    rssKb: () => {
      try {
        return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
      } catch {
        return 0;
      }
    },
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** The TCP port a process listens on (Linux /proc), or 0. */
function listeningPort(pid: number): number {
  try {
    const inodes = new Set<string>();
    for (const fd of readdirSafe(`/proc/${pid}/fd`)) {
      try {
        const link = readlinkSafe(`/proc/${pid}/fd/${fd}`);
        const m = /socket:\[(\d+)\]/.exec(link);
        if (m) inodes.add(m[1]!);
      } catch {
        /* fd closed meanwhile */
      }
    }
    for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
      const lines = readFileSync(file, 'utf8').split('\n').slice(1);
      for (const line of lines) {
        const cols = line.trim().split(/\s+/);
        if (cols[3] === '0A' && inodes.has(cols[9] ?? '')) return parseInt(cols[1]!.split(':')[1]!, 16);
      }
    }
  } catch {
    return 0;
  }
  return 0;
}
import { readdirSync, readlinkSync } from 'node:fs';
const readdirSafe = (p: string) => readdirSync(p);
const readlinkSafe = (p: string) => readlinkSync(p);

/** Latency of one /kpi answer: signed request → answer posted to the response_url. */
async function measureKpi(fake: FakeSlack, appUrl: string, text: string, userId: string, n: number) {
  const sender = slackSender(appUrl, SECRET, { team_id: TEAM });
  const answer: number[] = [];
  const ack: number[] = [];
  let figure = '';
  for (let i = 0; i < n; i++) {
    const id = `k${Math.random().toString(36).slice(2)}`;
    const t0 = performance.now();
    const res = await sender.command('/kpi', text, { user_id: userId, response_url: fake.responseUrl(id) });
    ack.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`/kpi ${text} answered HTTP ${res.status}`);
    const [body] = await fake.waitFor(() => (fake.responsesTo(id).length ? fake.responsesTo(id) : null), 30_000);
    answer.push(performance.now() - t0);
    figure = String(body?.text ?? '').split('\n')[0]!.slice(0, 110);
  }
  fake.responses.length = 0;
  fake.calls.length = 0;
  return { answer: stats(answer), ack: stats(ack), figure };
}

/** The same win-rate aggregate, written once as plain SQL on the raw driver. */
async function baselineWinRate(target: Target, workspaceId: number, start: Date, end: Date, n: number) {
  const sql = `SELECT SUM(CASE WHEN "status" = 'won' THEN 1 ELSE 0 END) AS won, COUNT(*) AS closed FROM "Deal" WHERE "workspaceId" = ? AND "status" IN ('won','lost') AND "closedAt" >= ? AND "closedAt" < ?`;
  const samples: number[] = [];
  if (target.dialect === 'sqlite') {
    const db = new Database(target.url.slice('file:'.length), { readonly: true });
    const stmt = db.prepare(sql);
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      stmt.get(workspaceId, start.getTime(), end.getTime());
      samples.push(performance.now() - t0);
    }
    db.close();
  } else {
    const u = new URL(target.url);
    const schema = u.searchParams.get('schema')!;
    u.searchParams.delete('schema');
    const client = new pg.Client({ connectionString: u.toString(), options: `-c search_path="${schema}"` });
    await client.connect();
    const text = sql.replace(/\?/g, (() => { let k = 0; return () => `$${++k}`; })());
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await client.query(text, [workspaceId, start, end]);
      samples.push(performance.now() - t0);
    }
    await client.end();
  }
  return stats(samples);
}

/** Deal logging through signed HTTP at a target rate; then checks nothing was lost or doubled. */
async function measureLogging(fake: FakeSlack, appUrl: string, db: Db, workspaceId: number, ratePerSecond: number, seconds: number) {
  const sender = slackSender(appUrl, SECRET, { team_id: TEAM });
  const total = ratePerSecond * seconds;
  const acks: number[] = [];
  let failures = 0;
  const before = await db.prisma.deal.count({ where: { workspaceId, customer: { startsWith: 'Load ' } } });
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / ratePerSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const trigger = newTriggerId();
    inflight.push(
      (async () => {
        const t0 = performance.now();
        const res = await sender.command('/deal', `won ${1 + (i % 50)}k "Load ${i}"`, { user_id: `UBENCH${1 + (i % (REPS - 1))}`, trigger_id: trigger, response_url: fake.responseUrl('load') });
        acks.push(performance.now() - t0);
        if (res.status !== 200) failures++;
        // Every tenth request is delivered twice, as a retrying proxy would.
        if (i % 10 === 0) await sender.command('/deal', `won ${1 + (i % 50)}k "Load ${i}"`, { user_id: `UBENCH${1 + (i % (REPS - 1))}`, trigger_id: trigger, response_url: fake.responseUrl('load') });
      })(),
    );
  }
  await Promise.all(inflight);
  const sendSeconds = (performance.now() - started) / 1000;
  await fake.waitFor(() => fake.responsesTo('load').length >= total + Math.ceil(total / 10), 120_000).catch(() => undefined);
  const elapsed = (performance.now() - started) / 1000;
  const stored = (await db.prisma.deal.count({ where: { workspaceId, customer: { startsWith: 'Load ' } } })) - before;
  const distinct = await db.query<{ n: unknown }>(`SELECT COUNT(DISTINCT "customer") AS n FROM "Deal" WHERE "workspaceId" = ? AND "customer" LIKE 'Load %'`, [workspaceId]);
  // Answers that were not a confirmation: what the user saw instead.
  const refusals = new Map<string, number>();
  for (const r of fake.responsesTo('load')) {
    const text = String(r.text ?? '');
    if (/^(Won|Already logged|Already done)/.test(text)) continue;
    const key = text.slice(0, 120);
    refusals.set(key, (refusals.get(key) ?? 0) + 1);
  }
  if (refusals.size > 0) console.log('  answers other than a confirmation:', Object.fromEntries(refusals));
  fake.responses.length = 0;
  fake.calls.length = 0;
  return { sent: total, duplicatesSent: Math.ceil(total / 10), stored, distinct: Number(distinct[0]?.n ?? 0), failures, sendSeconds, elapsed, achievedRate: total / elapsed, ack: stats(acks) };
}

/**
 * Digest generation for 1,000 subscribed channels of one workspace, all due at the same instant,
 * through `runDigest` (claims, content, a delivery stub that records): the compute side of
 * Monday 09:00. Also the cost of one digest computed from scratch.
 */
async function measureDigest(db: Db, workspaceId: number, now: Date, channels: number) {
  const { buildWeeklyDigest, createWeeklyDigestBuilder } = await import('../src/domain/digests/build-weekly-digest.js');
  const { runDigest } = await import('../src/domain/digests/run-digest.js');
  const { createLogger } = await import('../src/logger.js');
  const workspace = await db.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
  // A slot ten minutes ago, inside the grace window; subscriptions older than the slot.
  const slot = new Date(Math.floor((now.getTime() - 10 * 60_000) / 60_000) * 60_000);
  const weekday = ((slot.getUTCDay() + 6) % 7) + 1;
  const localTime = `${String(slot.getUTCHours()).padStart(2, '0')}:${String(slot.getUTCMinutes()).padStart(2, '0')}`;
  const weekAgo = new Date(now.getTime() - 7 * 86_400_000);
  for (let i = 0; i < channels; i++) {
    await db.prisma.digestSubscription.create({ data: { workspaceId, channelId: `CDIGEST${i}`, weekday, localTime, timeZone: 'UTC', createdBySlackUserId: 'UBENCH0', createdAt: weekAgo, updatedAt: weekAgo } });
  }
  const single: number[] = [];
  const sub = await db.prisma.digestSubscription.findFirstOrThrow({ where: { workspaceId } });
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await buildWeeklyDigest({ db, workspace, subscription: sub, slotInstant: slot, late: false, now, quickchartUrl: 'https://quickchart.io' });
    single.push(performance.now() - t0);
  }
  let posted = 0;
  const t0 = performance.now();
  const summary = await runDigest({
    now,
    db,
    deliver: async () => {
      posted++;
      return { status: 'sent', messageTs: `${posted}.0001`, attempts: 1, textOnly: false };
    },
    buildDigest: createWeeklyDigestBuilder({ db, quickchartUrl: 'https://quickchart.io' }),
    instanceId: 'bench',
    graceMs: 6 * 3_600_000,
    leaseMs: 600_000,
    logger: createLogger('error'),
    batchSize: channels,
  });
  const totalSeconds = (performance.now() - t0) / 1000;
  return { channels, posted, claimed: summary.claimed, totalSeconds, oneDigest: stats(single) };
}

async function main(): Promise<void> {
  const now = new Date();
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, date: now.toISOString() };
  console.log(`Sales KPI benchmark: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}`);
  const results: Record<string, unknown>[] = [];
  const fake = await new FakeSlack().start();
  for (const dialect of engines) {
    if (dialect === 'postgresql') {
      try {
        const c = new pg.Client({ connectionString: pgBase });
        await c.connect();
        await c.end();
      } catch {
        console.log(`PostgreSQL at ${pgBase.replace(/:[^:@/]+@/, ':***@')} is not reachable: skipping it.`);
        continue;
      }
    }
    for (const size of sizes) {
      const target = await freshTarget(dialect, size);
      const db = openDatabase(target.url);
      await migrateDatabase(db);
      process.stdout.write(`\n[${dialect} ${size.toLocaleString('en-US')} deals] seeding… `);
      const seeded = await seed(db, size, now);
      console.log(`${(seeded.seedMs / 1000).toFixed(1)} s (${Math.round(size / (seeded.seedMs / 1000)).toLocaleString('en-US')} deals/s)`);
      const app = await startApp(target.url, fake.apiUrl);
      const appUrl = `http://127.0.0.1:${app.port}`;
      const row: Record<string, unknown> = { engine: dialect, deals: size, seedSeconds: seeded.seedMs / 1000 };
      // Warm-up: first contact creates nothing new (reps exist); JIT and caches settle.
      await measureKpi(fake, appUrl, 'winrate this month', 'UBENCH1', 10);
      const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
      const quarterStart = new Date(Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3, 1));
      const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
      const nextQuarter = new Date(Date.UTC(quarterStart.getUTCFullYear(), quarterStart.getUTCMonth() + 3, 1));
      for (const [label, text] of [
        ['winrate month', 'winrate this month'],
        ['winrate quarter', 'winrate this quarter'],
        ['revenue month', 'revenue this month'],
        ['funnel quarter', 'funnel this quarter'],
        ['leaderboard month', 'leaderboard this month'],
      ] as const) {
        const r = await measureKpi(fake, appUrl, text, 'UBENCH1', REQUESTS);
        row[label] = r;
        console.log(`  /kpi ${text.padEnd(24)} answer p50 ${ms(r.answer.p50)} p95 ${ms(r.answer.p95)} p99 ${ms(r.answer.p99)} ms · ack p95 ${ms(r.ack.p95)} ms · ${r.figure}`);
      }
      for (const [label, start, end] of [
        ['baseline month', monthStart, nextMonth],
        ['baseline quarter', quarterStart, nextQuarter],
      ] as const) {
        const b = await baselineWinRate(target, seeded.workspaceId, start, end, REQUESTS);
        row[label] = b;
        const kpi = row[label.replace('baseline', 'winrate')] as { answer: { p50: number } };
        console.log(`  raw SQL win rate (${label.split(' ')[1]})    p50 ${ms(b.p50)} p95 ${ms(b.p95)} ms · /kpi overhead ×${(kpi.answer.p50 / b.p50).toFixed(1)} at p50`);
      }
      row.appRssMiB = Math.round(app.rssKb() / 1024);
      console.log(`  app process memory after the runs: ${row.appRssMiB} MiB RSS`);
      if (!flag('skip-logging') && size === sizes[0]) {
        const l = await measureLogging(fake, appUrl, db, seeded.workspaceId, 200, 10);
        row.logging = l;
        console.log(`  deal logging: ${l.sent} deals at 200/s (+${l.duplicatesSent} duplicate deliveries) → ${l.stored} stored, ${l.distinct} distinct, ${l.failures} failed; achieved ${l.achievedRate.toFixed(0)}/s; ack p50 ${ms(l.ack.p50)} p95 ${ms(l.ack.p95)} ms`);
      }
      await app.stop();
      if (!flag('skip-digest') && size === sizes[0]) {
        const d = await measureDigest(db, seeded.workspaceId, now, 1000);
        row.digest = d;
        console.log(
          `  digest for ${d.channels} channels due at once: ${d.claimed} slots claimed, ${d.posted} handed to delivery in ${d.totalSeconds.toFixed(1)} s; one digest from scratch p50 ${ms(d.oneDigest.p50)} ms (${d.channels} different workspaces: ~${((d.channels * d.oneDigest.p50) / 1000).toFixed(0)} s); Slack's ~1 message/s per channel and workspace-wide posting limits need minutes for ${d.channels} posts`,
        );
      }
      results.push(row);
      await db.close();
      await target.cleanup();
    }
  }
  await fake.stop();
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results/latest.json'), JSON.stringify({ machine, results }, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2));
  console.log('\nWritten: bench/results/latest.json');
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
