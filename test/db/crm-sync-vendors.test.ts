import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { connectCrm } from '../../src/domain/crm/connect-crm.js';
import { crmKeyRing } from '../../src/domain/crm/credentials.js';
import type { TCrmCredentials } from '../../src/domain/crm/credentials.js';
import type { TCrmSource, TCrmVendor } from '../../src/domain/crm/crm-source.js';
import { syncCrm, type SyncCrmOptions, type TSyncCrmResult } from '../../src/domain/crm/sync-crm.js';
import { reportKpi } from '../../src/domain/metrics/report-kpi.js';
import { createCrmSource, type TCrmSourceOptions } from '../../src/crm/registry.js';
import type { Workspace } from '../../src/storage/models.js';
import { HARNESSES, hubspotHarness, type THarness, type TSpec, type TStatus, type TTruth } from '../helpers/crm-harness.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/test-db.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { hubspotExportMapping, importDeals, parseCsv } from '../../src/domain/imports/index.js';

/**
 * Issue #10, end to end per vendor: the registry's real connector (official client) against the
 * vendor's loopback fake, through `syncCrm`, on SQLite and PostgreSQL. Backfill over several pages,
 * a 429 with Retry-After in the middle, incremental edits (won, lost, amount, new), deletions (and
 * a HubSpot merge), a crash mid-backfill resumed by a fresh connector; and the win rate and won
 * revenue `/kpi` reports (`reportKpi`) equal to a count made straight from the fake's records.
 */

const NOW = new Date('2025-08-01T12:00:00Z');
const KEY = Buffer.alloc(32, 9).toString('base64');
const MONTHS = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'] as const;


/** Deal i of a seed: a third won, a third lost, a third open, closed over January–June 2025. */
function seedSpec(i: number): TSpec {
  const status: TStatus = (['won', 'lost', 'open'] as const)[i % 3]!;
  const month = (i % 6) + 1;
  const day = 5 + (i % 20);
  return { status, cents: 10_000 + i * 137, closedAt: status === 'open' ? null : new Date(Date.UTC(2025, month - 1, day, 10)), name: `Customer ${i}`, owner: (i % 2) as 0 | 1 };
}

/** Win rate and won revenue of a month, counted straight from the CRM's records (UTC months). */
function truthOfMonth(records: readonly TTruth[], month: string): { won: number; lost: number; wonMinor: bigint } {
  const inMonth = records.filter((r) => r.closedAt !== null && r.closedAt.toISOString().slice(0, 7) === month);
  const won = inMonth.filter((r) => r.status === 'won');
  return { won: won.length, lost: inMonth.filter((r) => r.status === 'lost').length, wonMinor: won.reduce((a, r) => a + r.cents, 0n) };
}

describe.each(testEngines())('CRM sync per vendor against its fake, on %s', (dialect) => {
  let t: TestDatabase;
  let seq = 0;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
  }, 60_000);
  afterAll(async () => t?.drop());
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()?.();
  });

  async function setup(vendor: TCrmVendor) {
    const h = await HARNESSES[vendor]();
    cleanups.push(() => h.stop());
    const ws = await t.db.prisma.workspace.create({ data: { slackTeamId: `TV${vendor.slice(0, 2).toUpperCase()}${++seq}`, timeZone: 'UTC', currency: 'USD', updatedAt: NOW } });
    const keyRing = crmKeyRing(KEY);
    await connectCrm({ db: t.db, workspaceId: ws.id, vendor, credentials: h.credentials, baseUrl: h.url, keyRing, now: NOW });
    const sleeps: number[] = [];
    const source = (): TCrmSource =>
      createCrmSource(vendor, h.credentials, {
        baseUrl: h.url,
        timeoutMs: 5000,
        pageSize: 50,
        sleep: async (ms) => {
          sleeps.push(ms);
        },
        ...h.extra,
      });
    const sync = (over: Partial<SyncCrmOptions> = {}): Promise<TSyncCrmResult> =>
      syncCrm({ db: t.db, workspaceId: ws.id, source: source(), now: new Date(h.now().getTime() + 5000), secrets: Object.values(h.credentials), ...over });
    return { h, ws, sync, source, sleeps };
  }

  const dealCount = (workspaceId: number) => t.db.prisma.deal.count({ where: { workspaceId } });

  /** The stored CRM ids of a workspace, checked for duplicates. */
  async function storedIds(workspaceId: number, vendor: TCrmVendor): Promise<string[]> {
    const rows = await t.db.prisma.deal.findMany({ where: { workspaceId }, select: { externalId: true, source: true } });
    expect(rows.every((r) => r.source === vendor && r.externalId?.startsWith(`${vendor}:`))).toBe(true);
    return rows.map((r) => (r.externalId ?? '').slice(vendor.length + 1)).sort();
  }

  /** `/kpi winrate <month>` and `/kpi revenue <month>` (the app's use case) against the CRM's own count. */
  async function expectKpisEqualCrm(ws: Workspace, h: THarness): Promise<void> {
    const workspace = await t.db.prisma.workspace.findUniqueOrThrow({ where: { id: ws.id } });
    const records = h.truth();
    for (const month of MONTHS) {
      const expected = truthOfMonth(records, month);
      const winrate = (await reportKpi({ db: t.db, workspace, kpi: 'winrate', periodInput: month, now: NOW })).report;
      const revenue = (await reportKpi({ db: t.db, workspace, kpi: 'revenue', periodInput: month, now: NOW })).report;
      if (winrate.kind !== 'winrate' || revenue.kind !== 'revenue') throw new Error('unexpected report kinds');
      expect({ month, won: winrate.current.won, lost: winrate.current.lost, wonMinor: revenue.current.wonMinor }).toEqual({ month, ...expected });
      expect(winrate.current.rate).toBe(expected.won + expected.lost === 0 ? null : expected.won / (expected.won + expected.lost));
    }
  }

  test.each(['hubspot', 'pipedrive', 'salesforce'] as const)(
    '%s: backfill over pages with a 429 in the middle, incremental edits, deletions; KPIs equal the CRM',
    async (vendor) => {
      const { h, ws, sync, sleeps } = await setup(vendor);
      const ids: string[] = [];
      for (let i = 0; i < 240; i++) ids.push(h.add(seedSpec(i)));

      const backfill = await sync({ onProgress: (p) => (p.pages === 2 ? h.throttle() : undefined) });
      expect(backfill).toMatchObject({ outcome: 'synced', created: 240, removed: 0, error: null, fullLoadCompleted: true });
      expect(backfill.pages).toBeGreaterThanOrEqual(5);
      expect(sleeps).toContain(1000); // Retry-After: 1 waited out, and the run went on
      expect(await dealCount(ws.id)).toBe(240);
      expect(await storedIds(ws.id, vendor)).toEqual(h.truth().map((r) => r.id).sort());
      await expectKpisEqualCrm(ws, h);

      // Changes in the CRM: an open deal won, a won deal lost, an amount changed, a new won deal,
      // one deleted.
      const march = new Date('2025-03-12T10:00:00Z');
      h.edit(ids[2]!, { status: 'won', closedAt: march, cents: 77_777 });
      h.edit(ids[0]!, { status: 'lost' });
      h.edit(ids[3]!, { cents: 123_456 });
      const fresh = h.add({ status: 'won', cents: 55_500, closedAt: march, name: 'Newco', owner: 1 });
      h.remove(ids[6]!);
      const incremental = await sync();
      expect(incremental).toMatchObject({ outcome: 'synced', created: 1, removed: 1, error: null, fullLoadCompleted: false });
      expect(incremental.updated).toBeGreaterThanOrEqual(3);
      expect(await dealCount(ws.id)).toBe(240);
      const won = await t.db.prisma.deal.findFirstOrThrow({ where: { workspaceId: ws.id, externalId: `${vendor}:${ids[2]!}` } });
      expect(won).toMatchObject({ status: 'won', amountMinor: 77_777n, closedAt: vendor === 'salesforce' ? expect.any(Date) : march });
      expect(await t.db.prisma.deal.findFirst({ where: { workspaceId: ws.id, externalId: `${vendor}:${ids[6]!}` } })).toBeNull();
      expect(await t.db.prisma.deal.findFirst({ where: { workspaceId: ws.id, externalId: `${vendor}:${fresh}` } })).not.toBeNull();
      expect(await storedIds(ws.id, vendor)).toEqual(h.truth().map((r) => r.id).sort());
      await expectKpisEqualCrm(ws, h);

      // Nothing changed since: nothing written.
      expect(await sync()).toMatchObject({ outcome: 'synced', created: 0, updated: 0, removed: 0 });
    },
    60_000,
  );

  test('hubspot: a merge removes both old deals and keeps the merged one, counted once', async () => {
    const h = await hubspotHarness();
    cleanups.push(() => h.stop());
    const ws = await t.db.prisma.workspace.create({ data: { slackTeamId: `TVMERGE${++seq}`, timeZone: 'UTC', currency: 'USD', updatedAt: NOW } });
    await connectCrm({ db: t.db, workspaceId: ws.id, vendor: 'hubspot', credentials: h.credentials, baseUrl: h.url, keyRing: crmKeyRing(KEY), now: NOW });
    const sync = () => syncCrm({ db: t.db, workspaceId: ws.id, source: createCrmSource('hubspot', h.credentials, { baseUrl: h.url, timeoutMs: 5000 }), now: new Date(h.now().getTime() + 5000) });
    const ids = Array.from({ length: 12 }, (_, i) => h.add(seedSpec(i)));
    await sync();
    const merged = h.merge(ids[0]!, ids[3]!);
    const r = await sync();
    expect(r).toMatchObject({ outcome: 'synced', created: 1, removed: 2 });
    expect(await storedIds(ws.id, 'hubspot')).toEqual(h.truth().map((x) => x.id).sort());
    expect(await dealCount(ws.id)).toBe(11);
    expect((await t.db.prisma.deal.findFirstOrThrow({ where: { workspaceId: ws.id, externalId: `hubspot:${merged}` } })).status).toBe('won');
    await expectKpisEqualCrm(ws, h);
  });

  test.each(['hubspot', 'pipedrive', 'salesforce'] as const)(
    '%s: a crash mid-backfill resumes from the committed page with a fresh connector: 0 lost, 0 duplicated',
    async (vendor) => {
      const { h, ws, sync, source } = await setup(vendor);
      for (let i = 0; i < 180; i++) h.add(seedSpec(i));
      // The process dies while pulling the third page: two pages are committed, the third never is.
      const real = source();
      let pulls = 0;
      const dying: TCrmSource = {
        vendor,
        listStages: (s) => real.listStages(s),
        listOwners: (s) => real.listOwners(s),
        usage: () => real.usage(),
        pullChanges: async (o) => {
          if (++pulls === 3) throw new Error('killed');
          return real.pullChanges(o);
        },
      };
      const crashed = await sync({ source: dying });
      expect(crashed).toMatchObject({ outcome: 'failed', pages: 2 });
      const committed = await dealCount(ws.id);
      expect(committed).toBeGreaterThan(0);
      expect(committed).toBeLessThan(180);
      // An edit made in the CRM while the sync was down (after the crashed run began) is not lost either.
      h.advance(60);
      const edited = h.truth()[0]!.id;
      h.edit(edited, { cents: 99_999 });
      h.advance(60);
      const resumed = await sync();
      expect(resumed).toMatchObject({ outcome: 'synced', fullLoadCompleted: true });
      expect(resumed.created).toBe(180 - committed);
      expect(await dealCount(ws.id)).toBe(180);
      expect(await storedIds(ws.id, vendor)).toEqual(h.truth().map((r) => r.id).sort());
      // The load read the edited deal before the crash; the next incremental run brings its change.
      const next = await sync();
      expect(next).toMatchObject({ outcome: 'synced', created: 0, removed: 0 });
      expect((await t.db.prisma.deal.findFirstOrThrow({ where: { workspaceId: ws.id, externalId: `${vendor}:${edited}` } })).amountMinor).toBe(99_999n);
      expect(await dealCount(ws.id)).toBe(180);
      await expectKpisEqualCrm(ws, h);
    },
    60_000,
  );
  test('an imported HubSpot export, then HubSpot connected: the same deals are updated from the CRM, never counted twice', async () => {
    const file = resolve(import.meta.dirname, '../../datasets/examples/hubspot-deals.csv');
    const table = parseCsv(readFileSync(file), 'hubspot-deals.csv');
    const teamId = `TVIMPORT${++seq}`;
    const ws = await t.db.prisma.workspace.create({ data: { slackTeamId: teamId, timeZone: 'UTC', currency: 'USD', updatedAt: NOW } });
    const imported = await importDeals({ db: t.db, workspaceTeamId: teamId, rows: table.rows, columns: table.columns, file: table.file, mapping: hubspotExportMapping(), now: new Date('2026-11-27T10:00:00Z') });
    expect(imported).toMatchObject({ refused: false, imported: 12 });
    expect(await dealCount(ws.id)).toBe(12);

    // The same portal, live: the same record ids; since the export, one amount changed, an open deal
    // was won and a won deal turned out lost.
    const h = await hubspotHarness();
    cleanups.push(() => h.stop());
    h.fake.now = new Date('2026-11-28T00:00:00Z');
    const stageId = (label: string): string => ({ 'Closed Won': 'closedwon', 'Closed Lost': 'closedlost', 'Contract Sent': 'contractsent', 'Presentation Scheduled': 'appointmentscheduled' })[label] ?? 'qualifiedtobuy';
    for (const row of table.rows) {
      const cell = (name: string): string => row.values[name] ?? '';
      const id = cell('Record ID');
      const props: Record<string, string | null> = {
        dealname: cell('Deal Name'),
        dealstage: stageId(cell('Deal Stage')),
        amount: cell('Amount') ? Number(cell('Amount').replace(/,/g, '')).toFixed(2) : null,
        closedate: `${cell('Close Date').replace(' ', 'T')}:00Z`,
        deal_currency_code: 'USD',
        hubspot_owner_id: '501',
      };
      if (id === '9001234501') props.amount = '5100.00';
      if (id === '9001234508') Object.assign(props, { dealstage: 'closedwon', closedate: '2025-06-20T10:00:00Z' });
      if (id === '9001234507') props.dealstage = 'closedlost';
      h.fake.addDeal(props, h.fake.tick(1000), id);
    }
    await connectCrm({ db: t.db, workspaceId: ws.id, vendor: 'hubspot', credentials: h.credentials, baseUrl: h.url, keyRing: crmKeyRing(KEY), now: NOW });
    const r = await syncCrm({ db: t.db, workspaceId: ws.id, source: createCrmSource('hubspot', h.credentials, { baseUrl: h.url, timeoutMs: 5000 }), now: new Date(h.now().getTime() + 5000) });
    expect(r).toMatchObject({ outcome: 'synced', created: 0, adopted: 0, removed: 0 });
    expect(r.updated).toBe(12);
    expect(await dealCount(ws.id)).toBe(12);
    const deal = (id: string) => t.db.prisma.deal.findUniqueOrThrow({ where: { workspaceId_externalId: { workspaceId: ws.id, externalId: `hubspot:${id}` } } });
    expect(await deal('9001234501')).toMatchObject({ source: 'hubspot', status: 'won', amountMinor: 510_000n });
    expect(await deal('9001234508')).toMatchObject({ status: 'won', amountMinor: 3_800_000n, closedAt: new Date('2025-06-20T10:00:00Z') });
    expect(await deal('9001234507')).toMatchObject({ status: 'lost' });
    await expectKpisEqualCrm(ws, h);
  });
});
