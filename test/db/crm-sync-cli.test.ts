import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { progressText, runSyncCli } from '../../src/cli/sync.js';
import { connectCrm } from '../../src/domain/crm/connect-crm.js';
import { crmKeyRing } from '../../src/domain/crm/credentials.js';
import { openDatabase, type Db } from '../../src/storage/db.js';
import { migrateDatabase } from '../../src/storage/migrate.js';
import { FakeCrm } from '../helpers/fake-crm.js';
import { freshDatabaseUrl, testEngines } from '../helpers/test-db.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const KEY = Buffer.alloc(32, 5).toString('base64');

describe('progressText', () => {
  test.each([
    [{ pages: 1, deals: 250, removals: 0, total: 1000 }, `[${'#'.repeat(8)}${'·'.repeat(22)}] 25% 250/1,000 deals, 0 removed, 1 page`],
    [{ pages: 3, deals: 1200, removals: 2, total: null }, '1,200 deals, 2 removed, 3 pages'],
    [{ pages: 9, deals: 1000, removals: 0, total: 1000 }, `[${'#'.repeat(30)}] 100% 1,000/1,000 deals, 0 removed, 9 pages`],
  ])('%o', (p, expected) => {
    expect(progressText(p)).toBe(expected);
  });
});

describe.each(testEngines())('npm run sync on %s', (dialect) => {
  let url = '';
  let cleanup: () => Promise<void> = async () => undefined;
  let db: Db;

  beforeAll(async () => {
    ({ url, cleanup } = await freshDatabaseUrl(dialect));
    db = openDatabase(url);
    await migrateDatabase(db);
    const ws = await db.prisma.workspace.create({ data: { slackTeamId: 'TSYNC', updatedAt: NOW } });
    await connectCrm({ db, workspaceId: ws.id, vendor: 'pipedrive', credentials: { apiToken: 'a'.repeat(40) }, keyRing: crmKeyRing(KEY), now: NOW });
  });
  afterAll(async () => {
    await db?.close();
    await cleanup();
  });

  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
  };

  test('syncs with progress lines, then --full reloads from the start', async () => {
    const crm = new FakeCrm('pipedrive', 4);
    for (let i = 1; i <= 10; i++) crm.put({ crmId: String(i) });
    const env = { DATABASE_URL: url, CRM_ENCRYPTION_KEY: KEY };
    const seen: string[] = [];
    const c = capture();
    const code = await runSyncCli(['--workspace', 'TSYNC'], env, c.io, {
      now: () => NOW,
      createSource: (conn) => {
        seen.push(conn.credentials['apiToken'] ?? '');
        return crm;
      },
    });
    expect(code).toBe(0);
    expect(seen).toEqual(['a'.repeat(40)]);
    expect(c.err.filter((l) => l.includes('deals,'))).toEqual([
      `[${'#'.repeat(12)}${'·'.repeat(18)}] 40% 4/10 deals, 0 removed, 1 page`,
      `[${'#'.repeat(24)}${'·'.repeat(6)}] 80% 8/10 deals, 0 removed, 2 pages`,
      `[${'#'.repeat(30)}] 100% 10/10 deals, 0 removed, 3 pages`,
    ]);
    expect(c.out).toEqual(['Synced pipedrive into TSYNC: 10 deals written (10 new, 0 updated, 0 matched to deals logged in Slack), 0 unchanged, 0 removed, 3 pages in 0.0 s.']);

    const again = capture();
    expect(await runSyncCli(['--workspace', 'TSYNC'], env, again.io, { now: () => NOW, createSource: () => crm })).toBe(0);
    expect(again.out[0]).toContain(': 0 deals written');

    const full = capture();
    expect(await runSyncCli(['--workspace', 'TSYNC', '--full'], env, full.io, { now: () => NOW, createSource: () => crm })).toBe(0);
    expect(full.out[0]).toContain(': 0 deals written (0 new, 0 updated, 0 matched to deals logged in Slack), 10 unchanged');
    expect(await db.prisma.deal.count()).toBe(10);
  });

  test('without the connector wired in, it says so and exits 1', async () => {
    const c = capture();
    expect(await runSyncCli(['--workspace', 'TSYNC'], { DATABASE_URL: url, CRM_ENCRYPTION_KEY: KEY }, c.io)).toBe(1);
    expect(c.err.join('\n')).toContain('The pipedrive connector is not available');
  });

  test.each([
    [['--workspace', 'TSYNC'], { CRM_ENCRYPTION_KEY: 'short' }, 2, 'CRM_ENCRYPTION_KEY must be set'],
    [[], { CRM_ENCRYPTION_KEY: KEY }, 2, '--workspace is required'],
    [['--workspace', 'TNONE'], { CRM_ENCRYPTION_KEY: KEY }, 1, 'No workspace TNONE'],
    [['--workspace', 'TSYNC'], { CRM_ENCRYPTION_KEY: Buffer.alloc(32, 6).toString('base64') }, 1, 'cannot be decrypted'],
  ])('%j %o → exit %i', async (argv, env, code, message) => {
    const c = capture();
    expect(await runSyncCli(argv, { DATABASE_URL: url, ...env }, c.io, { now: () => NOW, createSource: () => new FakeCrm('pipedrive') })).toBe(code);
    expect(c.err.join('\n')).toContain(message);
  });
});
