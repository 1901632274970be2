import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { connectCrm } from '../../src/domain/crm/connect-crm.js';
import { crmKeyRing } from '../../src/domain/crm/credentials.js';
import type { TCrmVendor } from '../../src/domain/crm/crm-source.js';
import { openDatabase, type Db } from '../../src/storage/db.js';
import { migrateDatabase } from '../../src/storage/migrate.js';
import { childEnv } from '../helpers/child-env.js';
import { HARNESSES, type THarness, type TStatus } from '../helpers/crm-harness.js';
import type { FakeHubSpot } from '../helpers/fake-hubspot.js';
import type { FakePipedrive } from '../helpers/fake-pipedrive.js';
import type { FakeSalesforce } from '../helpers/fake-salesforce.js';
import { freshDatabaseUrl, testEngines } from '../helpers/test-db.js';

/**
 * Issue #10, "Done when": `kill -9` mid-backfill. The real `npm run sync -- --workspace T --full`
 * (src/cli/sync.ts, its own process) loads a vendor's loopback fake whose answers are slow; it is
 * SIGKILLed once some pages are committed, restarted (after its lease ran out), and the stored
 * deals are exactly the CRM's: 0 lost, 0 duplicated (count and ids, and no stage-history entry
 * twice). And two `npm run sync` started at once: one syncs, the other finds the lease taken.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const KEY = Buffer.alloc(32, 7).toString('base64');
const NOW = new Date('2026-11-20T12:00:00Z');
/** Deals per vendor: several pages at each connector's own page size (HubSpot 100, Pipedrive 500, the Salesforce fake 100). */
const SIZE: Record<TCrmVendor, number> = { hubspot: 600, pipedrive: 3000, salesforce: 600 };

interface TRun {
  code: Promise<number | null>;
  output: () => string;
  kill: () => void;
}

function runSync(args: string[], env: Record<string, string>): TRun {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/sync.ts', ...args], { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  return { code, output: () => out, kill: () => child.kill('SIGKILL') };
}

async function until<T>(what: string, probe: () => T | null | undefined | Promise<T | null | undefined>, ms = 90_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await probe();
    if (v !== null && v !== undefined) return v;
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function slow(h: THarness, ms: number): void {
  (h as THarness & { fake: FakeHubSpot | FakePipedrive | FakeSalesforce }).fake.delayMs = ms;
  if (h.vendor === 'salesforce') (h as THarness & { fake: FakeSalesforce }).fake.pageSize = 100;
}

const spec = (i: number) => {
  const status: TStatus = (['won', 'lost', 'open'] as const)[i % 3]!;
  // Every 30th deal went through two more stages: Pipedrive's full load fetches its flow (one request each).
  const path = i % 30 === 0 ? { path: [0, 1, 2] } : {};
  return { status, cents: 10_000 + i * 13, closedAt: status === 'open' ? null : new Date(Date.UTC(2025, i % 6, 3 + (i % 20), 10)), name: `Customer ${i}`, owner: (i % 2) as 0 | 1, ...path };
};

describe.each(testEngines())('CRM sync killed with -9 mid-backfill, on %s', (dialect) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()?.();
  });

  async function setup(vendor: TCrmVendor, teamId: string) {
    const h = await HARNESSES[vendor]();
    cleanups.push(() => h.stop());
    for (let i = 0; i < SIZE[vendor]; i++) h.add(spec(i));
    const { url, cleanup } = await freshDatabaseUrl(dialect);
    const db: Db = openDatabase(url);
    cleanups.push(async () => {
      await db.close();
      await cleanup();
    });
    await migrateDatabase(db);
    const ws = await db.prisma.workspace.create({ data: { slackTeamId: teamId, timeZone: 'UTC', currency: 'USD', updatedAt: NOW } });
    await connectCrm({ db, workspaceId: ws.id, vendor, credentials: h.credentials, baseUrl: h.url, keyRing: crmKeyRing(KEY), now: NOW });
    const sf = h.extra.salesforceApp;
    const env = { DATABASE_URL: url, CRM_ENCRYPTION_KEY: KEY, CRM_TIMEOUT_MS: '20000', ...(sf ? { SALESFORCE_CLIENT_ID: sf.clientId, SALESFORCE_CLIENT_SECRET: sf.clientSecret ?? '' } : {}) };
    return { h, db, ws, env };
  }

  /** The stored CRM ids (sorted), and the stage-history entries stored more than once. */
  async function stored(db: Db, workspaceId: number, vendor: TCrmVendor) {
    const deals = await db.prisma.deal.findMany({ where: { workspaceId }, select: { externalId: true } });
    const history = await db.prisma.dealStageChange.findMany({ where: { deal: { workspaceId } }, select: { dealId: true, toStage: true, changedAt: true } });
    const seen = new Set<string>();
    const twice = history.filter((c) => {
      const key = `${c.dealId}|${c.toStage}|${c.changedAt.toISOString()}`;
      return seen.has(key) || !seen.add(key);
    });
    return { ids: deals.map((d) => (d.externalId ?? '').slice(vendor.length + 1)).sort(), twice };
  }

  test.each(['hubspot', 'pipedrive', 'salesforce'] as const)(
    '%s: SIGKILL after some committed pages, restart: 0 lost, 0 duplicated',
    async (vendor) => {
      const { h, db, ws, env } = await setup(vendor, 'TKILL');
      slow(h, 250);
      const lease = { ...env, CRM_SYNC_LEASE_SECONDS: '2' };
      const first = runSync(['--workspace', 'TKILL', '--full'], lease);
      // Progress lines (stderr is no terminal) come after each committed page.
      await until('two committed pages', () => (/\b([2-9]|\d\d+) pages\b/.test(first.output()) ? true : null));
      first.kill();
      expect(await first.code).toBeNull(); // killed by the signal, not exited
      const committed = await db.prisma.deal.count({ where: { workspaceId: ws.id } });
      const total = SIZE[vendor];
      expect(committed).toBeGreaterThan(0);
      expect(committed).toBeLessThan(total);
      const held = await db.prisma.crmConnection.findUniqueOrThrow({ where: { workspaceId: ws.id } });
      expect(held.leaseOwner).not.toBeNull();
      expect(held.cursor).not.toBeNull();

      // The killed run's lease keeps others out for CRM_SYNC_LEASE_SECONDS after its last page.
      await until('the lease to end', () => (held.leaseUntil && Date.now() > held.leaseUntil.getTime() + 50 ? true : null), 10_000);
      slow(h, 0);
      const second = runSync(['--workspace', 'TKILL'], lease);
      const code = await second.code;
      expect(code, second.output()).toBe(0);
      expect(second.output()).toContain(`${(total - committed).toLocaleString('en-US')} new`);
      const after = await stored(db, ws.id, vendor);
      expect(after.ids).toHaveLength(total);
      expect(after.ids).toEqual(h.truth().map((r) => r.id).sort());
      expect(after.twice).toEqual([]);
      // The deals that went through three stages have the whole history, once (Pipedrive: from the flow).
      const walked = h.truth().filter((r) => r.visited.length === 3);
      expect(walked.length).toBe(Math.ceil(total / 30));
      const reached = await db.prisma.deal.findMany({ where: { workspaceId: ws.id, externalId: { in: walked.map((r) => `${vendor}:${r.id}`) } }, select: { maxStageIndex: true, status: true } });
      expect(reached.filter((d) => d.status !== 'won' && d.maxStageIndex < 2)).toEqual([]);
      if (vendor === 'pipedrive') {
        const flows = (h as THarness & { fake: FakePipedrive }).fake.requests.filter((r) => r.path.endsWith('/flow'));
        // One request per walked deal, plus those of the killed run's uncommitted part at most.
        expect(flows.length).toBeGreaterThanOrEqual(walked.length);
        expect(flows.length).toBeLessThanOrEqual(walked.length + 100);
      }
      expect(await db.prisma.crmConnection.findUniqueOrThrow({ where: { workspaceId: ws.id } })).toMatchObject({ leaseOwner: null, status: 'active' });
    },
    180_000,
  );

  test('two npm run sync started at once: one syncs, the other finds the lease taken and does nothing', async () => {
    const { h, db, ws, env } = await setup('pipedrive', 'TTWICE');
    slow(h, 500);
    const runs = [runSync(['--workspace', 'TTWICE', '--full'], env), runSync(['--workspace', 'TTWICE', '--full'], env)];
    const codes = await Promise.all(runs.map((r) => r.code));
    const outputs = runs.map((r) => r.output());
    expect([...codes].sort(), outputs.join('\n---\n')).toEqual([0, 1]);
    const loser = outputs[codes.indexOf(1)]!;
    expect(loser).toContain('Another instance is syncing TTWICE right now; nothing done.');
    expect(loser).not.toMatch(/\d+ pages?\b/);
    expect(outputs[codes.indexOf(0)]).toContain(`${SIZE.pipedrive.toLocaleString('en-US')} new`);
    const after = await stored(db, ws.id, 'pipedrive');
    expect(after.ids).toEqual(h.truth().map((r) => r.id).sort());
    expect(after.twice).toEqual([]);
  }, 180_000);
});
