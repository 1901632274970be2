import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase } from '../../src/storage/db.js';
import { childEnv } from '../helpers/child-env.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { BODY_MARKER, malformedBodies } from '../helpers/malformed-requests.js';
import { newTriggerId, signSlackRequest, slackSender } from '../helpers/slack-requests.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SECRET = 'e2e-signing-secret-0123456789';
const TOKEN = 'xoxb-111-222-entrypointtoken';

interface Proc {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `src/main.ts` (the production entry point) as its own process. */
function startMain(env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: childEnv({ SCHEDULER_ENABLED: 'false', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

async function waitForPort(p: Proc, timeoutMs = 20_000): Promise<number> {
  const start = Date.now();
  for (;;) {
    const m = /listening.*"port":(\d+)/.exec(p.output());
    if (m) return Number(m[1]);
    if (p.child.exitCode !== null) throw new Error(`app exited early: ${p.output()}`);
    if (Date.now() - start > timeoutMs) throw new Error(`app did not start: ${p.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the production entry point, as a separate process', () => {
  test('a missing variable stops startup with one line naming it', async () => {
    const p = startMain({ SLACK_SIGNING_SECRET: SECRET, DATABASE_URL: 'file:/tmp/never-created.db' });
    expect(await p.exited).toBe(1);
    const lines = p.output().trim().split('\n');
    expect(lines).toEqual(['Configuration error: SLACK_BOT_TOKEN is required: the bot token (xoxb-…) from OAuth & Permissions']);
  });

  test('a rejected bot token stops startup with a clear line and no secret', async () => {
    const fake = await new FakeSlack().start();
    fake.on('auth.test', () => ({ ok: false, error: 'invalid_auth' }));
    const dir = mkdtempSync(join(tmpdir(), 'kpi-main-'));
    try {
      const p = startMain({ SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, DATABASE_URL: `file:${join(dir, 'kpi.db')}`, PORT: '0' });
      expect(await p.exited).toBe(1);
      expect(p.output()).toMatch(/Slack rejected SLACK_BOT_TOKEN at auth.test \(invalid_auth\)/);
      expect(p.output()).not.toContain(TOKEN);
    } finally {
      await fake.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an unreachable Slack API stops startup within seconds, saying so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-main-'));
    try {
      const started = Date.now();
      const p = startMain({ SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: 'http://127.0.0.1:9/api/', DATABASE_URL: `file:${join(dir, 'kpi.db')}`, PORT: '0' });
      expect(await p.exited).toBe(1);
      expect(Date.now() - started).toBeLessThan(25_000);
      expect(p.output()).toMatch(/Could not reach the Slack Web API at http:\/\/127\.0\.0\.1:9\/api\//);
      expect(p.output()).not.toContain(TOKEN);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('serving', () => {
    let fake: FakeSlack;
    let p: Proc;
    let port = 0;
    let dir = '';
    beforeAll(async () => {
      fake = await new FakeSlack().start();
      dir = mkdtempSync(join(tmpdir(), 'kpi-main-'));
      p = startMain({ SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, DATABASE_URL: `file:${join(dir, 'kpi.db')}`, PORT: '0', LOG_LEVEL: 'debug' });
      port = await waitForPort(p);
    });
    afterAll(async () => {
      p?.child.kill('SIGTERM');
      await p?.exited;
      await fake?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    test('serves /healthz', async () => {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true, database: 'sqlite' });
    });

    test('survives every signed malformed body: 400 for each, then /kpi help still answers', async () => {
      const sender = slackSender(`http://127.0.0.1:${port}`, SECRET);
      const statuses: Array<[string, number]> = [];
      for (const [name, contentType, body] of malformedBodies()) {
        const res = await sender.post(body, { contentType }).catch((e: Error) => ({ status: -1, body: e.message }));
        statuses.push([name, res.status]);
      }
      expect(statuses).toEqual(malformedBodies().map(([name]) => [name, 400]));
      expect(p.child.exitCode).toBeNull();
      const help = await sender.command('/kpi', 'help', { response_url: fake.responseUrl('help-after') });
      expect(help.status).toBe(200);
      const [answer] = await fake.waitFor(() => (fake.responsesTo('help-after').length ? fake.responsesTo('help-after') : null));
      expect(String(answer!.text)).toMatch(/kpi/i);
      expect(p.child.exitCode).toBeNull();
      expect(p.output().match(/Slack request refused/g)).toHaveLength(malformedBodies().length);
      expect(p.output()).not.toContain(BODY_MARKER);
    });

    test('refuses a badly signed /deal with 401 and stores exactly one deal per accepted request', async () => {
      const sender = slackSender(`http://127.0.0.1:${port}`, SECRET, { response_url: fake.responseUrl('main') });
      const body = new URLSearchParams({ team_id: 'T0FAKE', user_id: 'U0REP', command: '/deal', text: 'won 5k Forged', response_url: fake.responseUrl('x'), trigger_id: newTriggerId() }).toString();
      const forged = await sender.post(body, { signature: signSlackRequest('wrong-secret', Math.floor(Date.now() / 1000), body) });
      expect(forged.status).toBe(401);
      const trigger = newTriggerId();
      const ok = await sender.command('/deal', 'won 12k Acme upsell', { trigger_id: trigger });
      expect(ok.status).toBe(200);
      const retry = await sender.command('/deal', 'won 12k Acme upsell', { trigger_id: trigger });
      expect(retry.status).toBe(200);
      await fake.waitFor(() => fake.responsesTo('main').length >= 2);
      const db = openDatabase(`file:${join(dir, 'kpi.db')}`);
      try {
        const deals = await db.prisma.deal.findMany();
        expect(deals).toHaveLength(1);
        expect(deals[0]).toMatchObject({ customer: 'Acme', amountMinor: 1_200_000n, type: 'upsell' });
        expect(await db.prisma.deal.count({ where: { customer: 'Forged' } })).toBe(0);
      } finally {
        await db.close();
      }
      expect(p.output()).not.toContain(TOKEN);
      expect(p.output()).not.toContain(SECRET);
    });
  });
});
