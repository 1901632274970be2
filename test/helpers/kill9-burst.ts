import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { openDatabase, type Dialect } from '../../src/storage/db.js';
import { childEnv } from './child-env.js';
import { FakeSlack } from './fake-slack.js';
import { dealModalValues, newTriggerId, slackSender, viewSubmissionPayload } from './slack-requests.js';
import { freshDatabaseUrl } from './test-db.js';
import { deriveSealKey, ValueSealer } from '../../src/slack/sealed-values.js';

/**
 * The fault test of "nothing acknowledged is lost": the production entry point runs as its own
 * process; a burst of `/deal won` quick forms and deal-modal submissions arrives at `ratePerSecond`
 * (with some deliveries repeated); at a random moment the process is killed with SIGKILL, then
 * started again for the next round. At the end every acknowledged request is delivered once more
 * to the restarted app, and the database is counted: acknowledged vs stored vs doubled.
 *
 * An acknowledged request is one Slack would count as acknowledged: HTTP 200 (and, for a modal,
 * no `response_action: errors`). Lost = acknowledged, not stored and the user was not told it was
 * refused. Doubled = a request stored more than once.
 */
export interface TKillBurstOptions {
  dialect: Dialect;
  rounds: number;
  ratePerSecond: number;
  /** Length of each burst; the kill comes at a random moment inside it. */
  burstMs: number;
  /** Seed of the kill moments and request mix, so a run can be repeated. */
  seed?: number;
  log?: (line: string) => void;
}

export interface TKillBurstReport {
  dialect: Dialect;
  rounds: number;
  sent: number;
  acknowledged: number;
  refusedAndTold: number;
  stored: number;
  lost: number;
  doubled: number;
  /** Acknowledged but not stored, because the process died after the ack and before… (must be 0). */
  lostKeys: string[];
  ackP50Ms: number;
  ackP95Ms: number;
  killsAtMs: number[];
}

const ROOT = resolve(import.meta.dirname, '../..');
const SECRET = 'kill9-signing-secret-0123456789';
const TOKEN = 'xoxb-9-9-killninetoken';
/** Seals the modal metadata as the app did when it opened the form (same key derivation). */
const sealer = new ValueSealer(deriveSealKey({ SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: TOKEN }));
const modalMeta = (userId: string) => sealer.seal('deal-modal', { teamId: 'T0FAKE', userId }, JSON.stringify({ channelId: 'D0K9' }));

function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4_294_967_296;
  };
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

interface TAppProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<void>;
}

async function startApp(databaseUrl: string, fake: FakeSlack): Promise<TAppProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: childEnv({
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      SCHEDULER_ENABLED: 'false',
      LOG_LEVEL: 'info',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const started = Date.now();
  for (;;) {
    const m = /listening.*"port":(\d+)/.exec(out);
    if (m) return { child, url: `http://127.0.0.1:${m[1]}`, exited };
    if (child.exitCode !== null) throw new Error(`app exited at startup: ${out.slice(-2000)}`);
    if (Date.now() - started > 60_000) throw new Error(`app did not start: ${out.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface TRequest {
  /** Unique customer name: what is counted in the database. */
  customer: string;
  responseId: string;
  send: (appUrl: string) => Promise<{ status: number; body: string }>;
}

function makeRequest(kind: 'command' | 'modal', n: number, round: number, fake: FakeSlack): TRequest {
  const customer = `Kill9 r${round} n${n}`;
  const responseId = `k9-${round}-${n}`;
  const user = `U0K9R${n % 5}`;
  if (kind === 'command') {
    const trigger = newTriggerId();
    return {
      customer,
      responseId,
      send: (appUrl) =>
        slackSender(appUrl, SECRET).command('/deal', `won ${1 + (n % 50)}k "${customer}"`, { user_id: user, trigger_id: trigger, response_url: fake.responseUrl(responseId) }),
    };
  }
  const viewId = `VK9R${round}N${n}`;
  const payload = viewSubmissionPayload({
    userId: user,
    viewId,
    callbackId: 'deal_modal',
    privateMetadata: modalMeta(user),
    values: dealModalValues({ customer, amount: `${1 + (n % 50)}k`, owner: user }),
  });
  return { customer, responseId, send: (appUrl) => slackSender(appUrl, SECRET).interaction(payload) };
}

/** Whether the app told the user this request was refused (an answer that is not a confirmation). */
function refusedAndTold(fake: FakeSlack, r: TRequest, body: string): boolean {
  if (body.includes('"response_action":"errors"')) return true;
  return fake.responsesTo(r.responseId).some((m) => /:warning:|nothing was (saved|changed)/.test(JSON.stringify(m)));
}

/** A fresh process compiles and connects on its first requests: one of each kind, awaited, per user. */
async function warmUp(appUrl: string, fake: FakeSlack, round: number): Promise<void> {
  for (let u = 0; u < 5; u++) {
    await slackSender(appUrl, SECRET).command('/deal', `won 1 "Warmup r${round} u${u}"`, { user_id: `U0K9R${u}`, response_url: fake.responseUrl('warmup') });
  }
  await slackSender(appUrl, SECRET).interaction(
    viewSubmissionPayload({ userId: 'U0K9R0', viewId: `VWARM${round}`, callbackId: 'deal_modal', privateMetadata: modalMeta('U0K9R0'), values: dealModalValues({ customer: `Warmup r${round} modal`, amount: '1k', owner: 'U0K9R0' }) }),
  );
}

export async function runKillBurst(opts: TKillBurstOptions): Promise<TKillBurstReport> {
  const log = opts.log ?? (() => undefined);
  const random = rng(opts.seed ?? 20261202);
  const fake = await new FakeSlack().start();
  const { url: databaseUrl, cleanup } = await freshDatabaseUrl(opts.dialect);
  const all: TRequest[] = [];
  const acked = new Map<string, { request: TRequest; body: string }>();
  const ackMs: number[] = [];
  const killsAtMs: number[] = [];
  let sent = 0;
  try {
    for (let round = 1; round <= opts.rounds; round++) {
      const app = await startApp(databaseUrl, fake);
      await warmUp(app.url, fake, round);
      const killAt = Math.floor(opts.burstMs * (0.15 + 0.7 * random()));
      killsAtMs.push(killAt);
      const interval = 1000 / opts.ratePerSecond;
      const total = Math.floor(opts.burstMs / interval);
      const inFlight: Array<Promise<void>> = [];
      const burstStart = Date.now();
      const killer = setTimeout(() => app.child.kill('SIGKILL'), killAt);
      for (let n = 0; n < total; n++) {
        const due = burstStart + n * interval;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        // One in ten is a repeated delivery of an earlier request of this round.
        const repeat = n > 10 && random() < 0.1;
        const request = repeat ? all[all.length - 1 - Math.floor(random() * Math.min(10, all.length))]! : makeRequest(random() < 0.5 ? 'command' : 'modal', n, round, fake);
        if (!repeat) all.push(request);
        sent++;
        const t0 = Date.now();
        inFlight.push(
          request
            .send(app.url)
            .then((res) => {
              if (res.status === 200 && !res.body.includes('"response_action":"errors"')) {
                acked.set(request.customer, { request, body: res.body });
                ackMs.push(Date.now() - t0);
              } else if (res.status === 200) {
                acked.set(request.customer, { request, body: res.body });
              }
            })
            .catch(() => undefined), // connection reset by the kill: not acknowledged
        );
      }
      await Promise.all(inFlight);
      clearTimeout(killer);
      if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
      await app.exited;
      log(`${opts.dialect} round ${round}: killed at ${killAt} ms of ${opts.burstMs} ms; ${acked.size} acknowledged so far`);
    }
    // Restart and deliver every acknowledged request again: nothing may be stored twice.
    const app = await startApp(databaseUrl, fake);
    for (const { request } of acked.values()) await request.send(app.url).catch(() => undefined);
    app.child.kill('SIGTERM');
    await app.exited;

    const db = openDatabase(databaseUrl);
    try {
      const rows = await db.query<{ customer: string; n: number | bigint }>(`SELECT "customer", COUNT(*) AS n FROM "Deal" WHERE "customer" LIKE 'Kill9 %' GROUP BY "customer"`);
      const stored = new Map(rows.map((r) => [r.customer, Number(r.n)]));
      let lost = 0;
      let told = 0;
      const lostKeys: string[] = [];
      for (const [customer, { request, body }] of acked) {
        if (stored.has(customer)) continue;
        if (refusedAndTold(fake, request, body)) {
          told++;
          continue;
        }
        lost++;
        lostKeys.push(customer);
      }
      const doubled = [...stored.values()].filter((n) => n > 1).length;
      return {
        dialect: opts.dialect,
        rounds: opts.rounds,
        sent,
        acknowledged: acked.size,
        refusedAndTold: told,
        stored: stored.size,
        lost,
        doubled,
        lostKeys: lostKeys.slice(0, 20),
        ackP50Ms: percentile(ackMs, 50),
        ackP95Ms: percentile(ackMs, 95),
        killsAtMs,
      };
    } finally {
      await db.close();
    }
  } finally {
    await fake.stop();
    await cleanup();
  }
}
