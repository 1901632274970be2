import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { progressText, runSyncCli } from '../../src/cli/sync.js';
import { connectCrm } from '../../src/domain/crm/connect-crm.js';
import { crmKeyRing } from '../../src/domain/crm/credentials.js';
import { openDatabase, type Db } from '../../src/storage/db.js';
import { migrateDatabase } from '../../src/storage/migrate.js';
import { FakeCrm } from '../helpers/fake-crm.js';
import { FakePipedrive } from '../helpers/fake-pipedrive.js';
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

  test('through the wired registry: the stored credentials and base URL reach the Pipedrive connector (a loopback fake)', async () => {
    const pd = await new FakePipedrive('b'.repeat(40)).start();
    try {
      const pipeline = pd.addPipeline({ name: 'Sales' });
      const stage = pd.addStage({ name: 'Qualified', pipeline_id: pipeline.id, order_nr: 1 });
      const user = pd.addUser({ name: 'Ana Garcia', email: 'ana@example.com' });
      for (let i = 0; i < 3; i++) pd.addDeal({ title: `Deal ${i}`, stage_id: stage.id, pipeline_id: pipeline.id, owner_id: user.id, value: 100 + i, currency: 'USD' });
      const ws = await db.prisma.workspace.create({ data: { slackTeamId: 'TSYNCPD', updatedAt: NOW } });
      await connectCrm({ db, workspaceId: ws.id, vendor: 'pipedrive', credentials: { apiToken: 'b'.repeat(40) }, baseUrl: pd.url, keyRing: crmKeyRing(KEY), now: NOW });
      const c = capture();
      const code = await runSyncCli(['--workspace', 'TSYNCPD'], { DATABASE_URL: url, CRM_ENCRYPTION_KEY: KEY, CRM_TIMEOUT_MS: '5000' }, c.io, { now: () => NOW });
      expect(code, c.err.join('\n')).toBe(0);
      expect(c.out.join('\n')).toContain('Synced pipedrive into TSYNCPD: 3 deals written (3 new');
      expect(await db.prisma.deal.count({ where: { workspaceId: ws.id, source: 'pipedrive' } })).toBe(3);
      expect(pd.requests.every((r) => r.tokenHeader === 'b'.repeat(40))).toBe(true);
    } finally {
      await pd.stop();
    }
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
