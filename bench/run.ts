/**
 * `npm run bench`: the SPEC §6 targets, measured and printed (never asserted by timed unit tests).
 *
 * For each engine (SQLite; PostgreSQL when BENCH_DATABASE_URL / TEST_DATABASE_URL is set) and each
 * history size (100k and 1M deals by default), it seeds deals with batched raw inserts, starts the
 * real app as its own process (built `dist`: `npm run build`, then `node dist/src/main.js`;
 * production entry point, signed HTTP, fake Slack on loopback) and measures `/kpi` answers for a
 * month and a quarter: latency from the signed request to the moment the fake Slack's request
 * handler stores the answer posted to the response_url (an event, not polling), and the app
 * process's CPU per answer (utime + stime from /proc/<pid>/stat around the batch). The baseline is
 * the answer's OWN statements: the bench runs the same answer in-process through a recording
 * database, then replays exactly those SQL statements (steady state, closed-period cache warm) on
 * the raw driver. Then: deal logging through signed HTTP (with app CPU per delivery and per stored
 * deal), one digest of the seeded workspace, and digest generation for 1,000 channels. Results go
 * to stdout and bench/results/latest.json.
 *
 * Options: --sizes 100000,1000000  --engines sqlite,postgresql  --requests 200  --skip-logging  --skip-digest  --skip-build  --skip-kpi  --log-rate 200  --answers 'winrate month,winrate quarter'
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openDatabase, toPgPlaceholders, type Db, type Dialect } from '../src/storage/db.js';
import { migrateDatabase } from '../src/storage/migrate.js';
import type { TScope } from '../src/domain/metrics/scope.js';
import { FakeSlack } from '../test/helpers/fake-slack.js';
import { benchCrmVendor } from './crm.js';
import { seed, REPS, TEAM } from './seed.js';
import { newTriggerId, slackSender } from '../test/helpers/slack-requests.js';

const ROOT = resolve(import.meta.dirname, '..');
const SECRET = 'bench-signing-secret-0123456789';
const TOKEN = 'xoxb-1-2-benchtoken';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

const sizes = arg('sizes', '100000,1000000').split(',').map(Number);
const pgBase = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const engines = arg('engines', 'sqlite,postgresql').split(',') as Dialect[];
const REQUESTS = Number(arg('requests', '200'));
const LOG_RATE = Number(arg('log-rate', '200'));
/** `--answers 'winrate month,winrate quarter'`: only these of the measured answers. */
const onlyAnswers = flag('answers') ? arg('answers', '').split(',').map((s) => s.trim()) : null;

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

interface AppProcess {
  child: ChildProcess;
  port: number;
  rssKb: () => number;
  /** CPU time (user + system) the app process has used so far, in ms. */
  cpuMs: () => number;
  stop: () => Promise<void>;
}

async function startApp(url: string, fakeApiUrl: string): Promise<AppProcess> {
  // BENCH_APP_NODE_ARGS, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, profiles the app process.
  const extra = (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...extra, 'dist/src/main.js'], {
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
    cpuMs: () => processCpuMs(child.pid!),
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      // BENCH_APP_LOG=<file> keeps what the app logged (warnings and errors), to see why requests failed.
      if (process.env.BENCH_APP_LOG) appendFileSync(process.env.BENCH_APP_LOG, out);
    },
  };
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** utime + stime of a process (Linux /proc/<pid>/stat, fields 14 and 15), in ms. */
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/**
 * Resolves when the fake Slack's request handler stores a response_url post with that id: the
 * fake's `responses.push` is wrapped, so the time is taken in the handler, not by polling.
 */
function responseArrivals(fake: FakeSlack): (id: string, timeoutMs: number) => Promise<{ body: Record<string, unknown>; at: number }> {
  const waiting = new Map<string, (body: Record<string, unknown>, at: number) => void>();
  const push = fake.responses.push.bind(fake.responses);
  fake.responses.push = (...items) => {
    const at = performance.now();
    for (const item of items) {
      const w = waiting.get(item.id);
      if (w) {
        waiting.delete(item.id);
        w(item.body, at);
      }
    }
    return push(...items);
  };
  return (id, timeoutMs) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`no answer for ${id} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiting.set(id, (body, at) => {
        clearTimeout(timer);
        resolve({ body, at });
      });
    });
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

/** One /kpi answer n times: latency until the answer arrives, ack time, app CPU per answer. */
async function measureKpi(fake: FakeSlack, arrival: ReturnType<typeof responseArrivals>, app: AppProcess, appUrl: string, text: string, userId: string, n: number) {
  const sender = slackSender(appUrl, SECRET, { team_id: TEAM });
  const answer: number[] = [];
  const ack: number[] = [];
  let figure = '';
  const cpu0 = app.cpuMs();
  for (let i = 0; i < n; i++) {
    const id = `k${Math.random().toString(36).slice(2)}`;
    const arrived = arrival(id, 30_000);
    const t0 = performance.now();
    const res = await sender.command('/kpi', text, { user_id: userId, response_url: fake.responseUrl(id) });
    ack.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`/kpi ${text} answered HTTP ${res.status}`);
    const { body, at } = await arrived;
    answer.push(at - t0);
    figure = String(body['text'] ?? '').split('\n')[0]!.slice(0, 110);
  }
  const cpuPerAnswerMs = (app.cpuMs() - cpu0) / n;
  fake.responses.length = 0;
  fake.calls.length = 0;
  return { answer: stats(answer), ack: stats(ack), cpuPerAnswerMs, figure };
}

interface TStatement {
  sql: string;
  params: readonly unknown[];
}

/**
 * The SQL statements one answer runs: the same answer is built in-process through a database that
 * records every raw query, twice (the second run is the steady state, closed periods served by
 * the cache), plus the history-version read each answer makes. Prisma model reads (quotas, reps by
 * id) are not part of it.
 */
async function answerStatements(db: Db, workspaceId: number, kpi: string, periodInput: string, scope: TScope, now: Date): Promise<{ cold: number; warm: TStatement[] }> {
  const { buildKpiAnswer } = await import('../src/slack/kpi/kpi-answer.js');
  const workspace = await db.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
  let recorded: TStatement[] = [];
  const recorder: Db = { ...db, query: (sql, params = []) => (recorded.push({ sql, params }), db.query(sql, params)) };
  await buildKpiAnswer({ db: recorder, workspace, kpi, periodInput, scope, scopeLabel: 'bench', now, quickchartUrl: null });
  const cold = recorded.length;
  recorded = [];
  await buildKpiAnswer({ db: recorder, workspace, kpi, periodInput, scope, scopeLabel: 'bench', now, quickchartUrl: null });
  return { cold, warm: [{ sql: 'SELECT "historyVersion" FROM "Workspace" WHERE "id" = ?', params: [workspaceId] }, ...recorded] };
}

/** Runs an answer's statements n times on the raw driver (prepared once); time per answer. */
async function baselineStatements(target: Target, statements: readonly TStatement[], n: number) {
  const samples: number[] = [];
  if (target.dialect === 'sqlite') {
    const db = new Database(target.url.slice('file:'.length), { readonly: true });
    db.defaultSafeIntegers(true);
    const prepared = statements.map((s) => ({ stmt: db.prepare(s.sql), params: s.params.map((p) => (p instanceof Date ? p.getTime() : typeof p === 'boolean' ? (p ? 1 : 0) : p)) }));
    if (process.env.BENCH_PLANS) {
      for (const p of prepared) {
        const plan = db.prepare(`EXPLAIN QUERY PLAN ${p.stmt.source}`).all(...p.params) as Array<{ detail: string }>;
        console.log(`    plan: ${plan.map((r) => r.detail).join(' | ')}`);
      }
    }
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      for (const p of prepared) p.stmt.all(...p.params);
      samples.push(performance.now() - t0);
    }
    db.close();
  } else {
    const u = new URL(target.url);
    const schema = u.searchParams.get('schema')!;
    u.searchParams.delete('schema');
    const client = new pg.Client({ connectionString: u.toString(), options: `-c search_path="${schema}"` });
    await client.connect();
    const prepared = statements.map((s, i) => ({ name: `bench_${i}`, text: toPgPlaceholders(s.sql), values: [...s.params] }));
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      for (const p of prepared) await client.query(p);
      samples.push(performance.now() - t0);
    }
    await client.end();
  }
  return stats(samples);
}

/** Deal logging through signed HTTP at a target rate; then checks nothing was lost or doubled. */
async function measureLogging(fake: FakeSlack, app: AppProcess, appUrl: string, db: Db, workspaceId: number, ratePerSecond: number, seconds: number, prefix = 'Load') {
  const sender = slackSender(appUrl, SECRET, { team_id: TEAM });
  const total = ratePerSecond * seconds;
  const acks: number[] = [];
  let failures = 0;
  const failedBy = new Map<string, number>();
  const before = await db.prisma.deal.count({ where: { workspaceId, customer: { startsWith: `${prefix} ` } } });
  const cpu0 = app.cpuMs();
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
        const res = await sender.command('/deal', `won ${1 + (i % 50)}k "${prefix} ${i}"`, { user_id: `UBENCH${1 + (i % (REPS - 1))}`, trigger_id: trigger, response_url: fake.responseUrl(prefix) }).catch(() => null);
        acks.push(performance.now() - t0);
        if (res?.status !== 200) {
          failures++;
          const why = res ? `HTTP ${res.status}` : 'no response';
          failedBy.set(why, (failedBy.get(why) ?? 0) + 1);
        }
        // Every tenth request is delivered twice, as a retrying proxy would.
        if (i % 10 === 0) await sender.command('/deal', `won ${1 + (i % 50)}k "${prefix} ${i}"`, { user_id: `UBENCH${1 + (i % (REPS - 1))}`, trigger_id: trigger, response_url: fake.responseUrl(prefix) }).catch(() => null);
      })(),
    );
  }
  await Promise.all(inflight);
  const sendSeconds = (performance.now() - started) / 1000;
  await fake.waitFor(() => fake.responsesTo(prefix).length >= total + Math.ceil(total / 10), 120_000).catch(() => undefined);
  const elapsed = (performance.now() - started) / 1000;
  const cpuMs = app.cpuMs() - cpu0;
  const stored = (await db.prisma.deal.count({ where: { workspaceId, customer: { startsWith: `${prefix} ` } } })) - before;
  const distinct = await db.query<{ n: unknown }>(`SELECT COUNT(DISTINCT "customer") AS n FROM "Deal" WHERE "workspaceId" = ? AND "customer" LIKE ?`, [workspaceId, `${prefix} %`]);
  // Answers that were not a confirmation: what the user saw instead.
  const refusals = new Map<string, number>();
  for (const r of fake.responsesTo(prefix)) {
    const text = String(r.text ?? '');
    if (/^(Won|Already logged|Already done)/.test(text)) continue;
    const key = text.slice(0, 120);
    refusals.set(key, (refusals.get(key) ?? 0) + 1);
  }
  if (refusals.size > 0) console.log('  answers other than a confirmation:', Object.fromEntries(refusals));
  if (failedBy.size > 0) console.log('  failed deliveries:', Object.fromEntries(failedBy));
  fake.responses.length = 0;
  fake.calls.length = 0;
  const deliveries = total + Math.ceil(total / 10);
  return { sent: total, duplicatesSent: Math.ceil(total / 10), cpuPerDeliveryMs: cpuMs / deliveries, cpuPerStoredDealMs: stored > 0 ? cpuMs / stored : NaN, stored, distinct: Number(distinct[0]?.n ?? 0), failures, sendSeconds, elapsed, achievedRate: total / elapsed, ack: stats(acks) };
}

/**
 * Digest generation for 1,000 subscribed channels of one workspace, all due at the same instant,
 * through `runDigest` (claims, content, a delivery stub that records): the compute side of
 * Monday 09:00. Also the cost of one digest computed from scratch.
 */
/** bench/digest-probe.ts in a child process: one digest's wall and CPU, from the built dist. */
async function digestProbe(url: string, workspaceId: number, subscriptionId: number, slot: Date, now: Date): Promise<{ first: TDigestRun; cold: TDigestRun[]; warm: TDigestRun[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/digest-probe.ts', url, String(workspaceId), String(subscriptionId), slot.toISOString(), now.toISOString()], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`digest probe exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as { first: TDigestRun; cold: TDigestRun[]; warm: TDigestRun[] };
}

interface TDigestRun {
  ms: number;
  cpuMs: number;
}

async function measureDigest(db: Db, url: string, workspaceId: number, now: Date, channels: number) {
  const { buildWeeklyDigest, createWeeklyDigestBuilder } = await import('../src/domain/digests/build-weekly-digest.js');
  // The blocks are built as in production (main.ts injects the same renderer).
  const { buildWeeklyDigestMessage: render } = await import('../src/slack/blocks/digest.js');
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
  const sub = await db.prisma.digestSubscription.findFirstOrThrow({ where: { workspaceId } });
  // Measured in a process of its own from the built dist (bench/digest-probe.ts), as the app's
  // scheduler runs it: not in this process, whose heap holds the seeded history.
  const probe = await digestProbe(url, workspaceId, sub.id, slot, now);
  const { first, cold, warm } = probe;
  // For the 1,000-channel run below (in this process): the same compiled code path.
  const one = async (view: Db) => {
    await buildWeeklyDigest({ db: view, workspace, subscription: sub, slotInstant: slot, late: false, now, quickchartUrl: 'https://quickchart.io', render });
  };
  await one({ ...db });
  const single = warm.map((w) => w.ms);
  let posted = 0;
  const t0 = performance.now();
  const summary = await runDigest({
    now,
    db,
    deliver: async () => {
      posted++;
      return { status: 'sent', messageTs: `${posted}.0001`, attempts: 1, textOnly: false };
    },
    buildDigest: createWeeklyDigestBuilder({ db, quickchartUrl: 'https://quickchart.io', render }),
    instanceId: 'bench',
    graceMs: 6 * 3_600_000,
    leaseMs: 600_000,
    logger: createLogger('error'),
    batchSize: channels,
  });
  const totalSeconds = (performance.now() - t0) / 1000;
  return {
    channels,
    posted,
    claimed: summary.claimed,
    totalSeconds,
    firstDigest: first,
    /** Compiled code, empty closed-period cache (the first digest after a restart or a change to the past). */
    coldCache: { wall: stats(cold.map((c) => c.ms)), cpu: stats(cold.map((c) => c.cpuMs)) },
    /** Compiled code, closed periods cached (the next digests of the workspace). */
    warmCache: { wall: stats(warm.map((c) => c.ms)), cpu: stats(warm.map((c) => c.cpuMs)) },
    oneDigest: stats(single),
  };
}

async function reachable(url: string): Promise<boolean> {
  try {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const now = new Date();
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, date: now.toISOString() };
  console.log(`Sales KPI benchmark: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}`);
  const results: Record<string, unknown>[] = [];
  const fake = await new FakeSlack().start();
  const arrival = responseArrivals(fake);
  if (!flag('skip-build')) {
    console.log('building dist (npm run build)…');
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  }
  for (const dialect of engines) {
    if (dialect === 'postgresql' && !(await reachable(pgBase))) {
      console.log(`PostgreSQL at ${pgBase.replace(/:[^:@/]+@/, ':***@')} is not reachable: skipping it.`);
      continue;
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
      await measureKpi(fake, arrival, app, appUrl, 'winrate this month', 'UBENCH1', 10);
      const rep1 = await db.prisma.rep.findFirstOrThrow({ where: { workspaceId: seeded.workspaceId, slackUserId: 'UBENCH1' } });
      for (const [label, kpi, period, scope] of [
        ['winrate month', 'winrate', 'this month', null],
        ['winrate quarter', 'winrate', 'this quarter', null],
        ['winrate month me', 'winrate', 'this month', 'me'],
        ['revenue month', 'revenue', 'this month', null],
        ['funnel quarter', 'funnel', 'this quarter', null],
        ['leaderboard month', 'leaderboard', 'this month', null],
      ] as const) {
        if (flag('skip-kpi')) break;
        if (onlyAnswers && !onlyAnswers.includes(label)) continue;
        const text = `${kpi} ${period}${scope ? ` ${scope}` : ''}`;
        const r = await measureKpi(fake, arrival, app, appUrl, text, 'UBENCH1', REQUESTS);
        const own = await answerStatements(db, seeded.workspaceId, kpi, period, scope ? { kind: 'rep', repId: rep1.id } : { kind: 'workspace' }, now);
        const b = await baselineStatements(target, own.warm, REQUESTS);
        row[label] = { ...r, baseline: b, statementsCold: own.cold, statementsWarm: own.warm.length };
        console.log(
          `  /kpi ${text.padEnd(24)} answer p50 ${ms(r.answer.p50)} p95 ${ms(r.answer.p95)} p99 ${ms(r.answer.p99)} ms · ack p95 ${ms(r.ack.p95)} ms · app CPU ${ms(r.cpuPerAnswerMs)} ms/answer · own SQL (${own.warm.length} stmts, ${own.cold} cold) p50 ${ms(b.p50)} p95 ${ms(b.p95)} ms · ×${(r.answer.p50 / b.p50).toFixed(1)} · ${r.figure}`,
        );
      }
      row.appRssMiB = Math.round(app.rssKb() / 1024);
      console.log(`  app process memory after the runs: ${row.appRssMiB} MiB RSS`);
      if (!flag('skip-logging') && size === sizes[0]) {
        // The first deliveries run the write path's code before V8 has compiled it: logged (not
        // counted) first, so the figure below is the steady state a running app is in.
        const w = await measureLogging(fake, app, appUrl, db, seeded.workspaceId, LOG_RATE, 3, 'Warm');
        console.log(`  deal logging warm-up (not counted): ${w.sent} deals (+${w.duplicatesSent} duplicates), ${w.stored} stored, ${w.failures} failed; app CPU ${ms(w.cpuPerDeliveryMs)} ms per delivery`);
        const l = await measureLogging(fake, app, appUrl, db, seeded.workspaceId, LOG_RATE, 10);
        row.logging = l;
        console.log(`  deal logging: ${l.sent} deals at ${LOG_RATE}/s (+${l.duplicatesSent} duplicate deliveries) → ${l.stored} stored, ${l.distinct} distinct, ${l.failures} failed; achieved ${l.achievedRate.toFixed(0)}/s; ack p50 ${ms(l.ack.p50)} p95 ${ms(l.ack.p95)} ms; app CPU ${ms(l.cpuPerDeliveryMs)} ms per delivery, ${ms(l.cpuPerStoredDealMs)} ms per stored deal`);
      }
      await app.stop();
      if (!flag('skip-digest') && size === sizes[0]) {
        const d = await measureDigest(db, target.url, seeded.workspaceId, now, 1000);
        row.digest = d;
        console.log(
          `  digest for ${d.channels} channels due at once: ${d.claimed} slots claimed, ${d.posted} handed to delivery in ${d.totalSeconds.toFixed(1)} s; one digest: first in the process ${ms(d.firstDigest.ms)} ms wall (${ms(d.firstDigest.cpuMs)} ms CPU), then compiled with the closed-period cache empty p50 ${ms(d.coldCache.wall.p50)} ms wall (${ms(d.coldCache.cpu.p50)} ms CPU), cache warm p50 ${ms(d.warmCache.wall.p50)} ms wall (${ms(d.warmCache.cpu.p50)} ms CPU) (${d.channels} different workspaces: ~${((d.channels * d.coldCache.wall.p50) / 1000).toFixed(0)} s); Slack's ~1 message/s per channel and workspace-wide posting limits need minutes for ${d.channels} posts`,
        );
      }
      results.push(row);
      await db.close();
      await target.cleanup();
    }
  }
  await fake.stop();
  // CRM sync (issue #10): backfill throughput and incremental lag per vendor fake.
  if (!flag('skip-crm')) {
    const crmSize = Number(arg('crm-size', '100000'));
    for (const dialect of engines) {
      if (dialect === 'postgresql' && !(await reachable(pgBase))) continue;
      const target = await freshTarget(dialect, crmSize);
      const db = openDatabase(target.url);
      await migrateDatabase(db);
      for (const vendor of ['hubspot', 'pipedrive', 'salesforce'] as const) {
        const r = await benchCrmVendor(db, vendor, crmSize);
        results.push({ engine: dialect, crm: r });
        console.log(
          `[${dialect}] CRM ${vendor.padEnd(10)} backfill ${r.deals.toLocaleString('en-US')} deals in ${r.backfillSeconds.toFixed(1)} s (${Math.round(r.backfillDealsPerSecond).toLocaleString('en-US')} deals/s end to end, fake included; ${r.backfillPages} pages; ${r.cpuMsPerDeal.toFixed(2)} ms CPU/deal for sync + fake) · ${r.changes.toLocaleString('en-US')} changes synced in ${r.incrementalLagSeconds.toFixed(2)} s · peak RSS ${r.peakRssMiB} MiB`,
        );
      }
      await db.close();
      await target.cleanup();
    }
  }
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
