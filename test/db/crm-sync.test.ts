import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connectCrm } from '../../src/domain/crm/connect-crm.js';
import { crmKeyRing, type TCrmKeyRing } from '../../src/domain/crm/credentials.js';
import { loadCrmConnection } from '../../src/domain/crm/load-crm-connection.js';
import { syncCrm, type SyncCrmOptions } from '../../src/domain/crm/sync-crm.js';
import { disconnectCrm, linkCrmOwner, listCrmStageMapping, readCrmStatus, setCrmStageMapping } from '../../src/domain/crm/manage-crm.js';
import { listDueCrmSyncs } from '../../src/domain/crm/load-crm-connection.js';
import type { Workspace } from '../../src/storage/models.js';
import { withClosedPeriodCache } from '../../src/storage/queries/closed-period-cache.js';
import { closedDealSeries } from '../../src/storage/queries/metrics.js';
import { reportKpi } from '../../src/domain/metrics/report-kpi.js';
import { CrmSourceError, FakeCrm } from '../helpers/fake-crm.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/test-db.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const KEY = Buffer.alloc(32, 7).toString('base64');
const TOKEN = 'pat-na1-11111111-2222-3333-4444-555555555555';
const d = (iso: string): Date => new Date(iso);
const october = { start: d('2026-10-01T00:00:00Z'), end: d('2026-11-01T00:00:00Z') };

describe.each(testEngines())('CRM sync on %s', (dialect) => {
  let t: TestDatabase;
  let keyRing: TCrmKeyRing;
  let seq = 0;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    keyRing = crmKeyRing(KEY);
  });
  afterAll(async () => t?.drop());

  /** A fresh workspace connected to a fresh fake CRM (EUR rate 1.1 to USD). */
  async function setup(pageSize = 10): Promise<{ ws: Workspace; crm: FakeCrm; run: (over?: Partial<SyncCrmOptions>) => ReturnType<typeof syncCrm> }> {
    const ws = await t.db.prisma.workspace.create({ data: { slackTeamId: `TCRM${++seq}`, timeZone: 'Europe/Berlin', currency: 'USD', updatedAt: NOW } });
    await t.db.prisma.currencyRate.create({ data: { workspaceId: ws.id, fromCurrency: 'EUR', rate: 1.1, updatedAt: NOW } });
    await connectCrm({ db: t.db, workspaceId: ws.id, vendor: 'hubspot', credentials: { token: TOKEN }, keyRing, now: NOW });
    const crm = new FakeCrm('hubspot', pageSize);
    const lookupUserByEmail = async (email: string): Promise<string | null> => (email === 'ann@example.com' ? 'UANN' : null);
    const run = (over: Partial<SyncCrmOptions> = {}) => syncCrm({ db: t.db, workspaceId: ws.id, source: crm, now: NOW, clock: () => over.now ?? NOW, lookupUserByEmail, secrets: [TOKEN], ...over });
    return { ws, crm, run };
  }

  const deals = (workspaceId: number) => t.db.prisma.deal.findMany({ where: { workspaceId }, orderBy: { id: 'asc' } });
  const connection = (workspaceId: number) => t.db.prisma.crmConnection.findUniqueOrThrow({ where: { workspaceId } });
  const byExt = async (workspaceId: number, crmId: string) => t.db.prisma.deal.findUniqueOrThrow({ where: { workspaceId_externalId: { workspaceId, externalId: `hubspot:${crmId}` } } });

  function seed(crm: FakeCrm, n: number): void {
    for (let i = 1; i <= n; i++) crm.put({ crmId: String(i), amount: `${i}000.50`, ownerId: i % 2 === 0 ? 'o2' : 'o1' });
  }

  test('a full load stores every deal once, maps stages, owners and money, and commits the cursor', async () => {
    const { ws, crm, run } = await setup(10);
    seed(crm, 22);
    crm.put({ crmId: '23', amount: '2000', currency: 'EUR', status: 'won', stageId: 'closedwon', closedAt: d('2026-10-15T09:00:00Z'), type: 'upsell', recurringMonthly: '100' });
    crm.put({ crmId: '24', status: 'lost', stageId: 'closedlost', closedAt: d('2026-10-16T09:00:00Z'), lostReason: 'price' });
    crm.put({ crmId: '25', stageId: 'presentationscheduled' });
    const progress: number[] = [];
    const r = await run({ onProgress: (p) => progress.push(p.deals) });
    expect(r).toMatchObject({ outcome: 'synced', pages: 3, deals: 25, created: 25, updated: 0, status: 'active', error: null, notifyAdmin: false });
    expect(progress).toEqual([10, 20, 25]);
    const rows = await deals(ws.id);
    expect(rows).toHaveLength(25);
    expect(new Set(rows.map((x) => x.externalId)).size).toBe(25);
    const first = await byExt(ws.id, '1');
    expect(first).toMatchObject({ source: 'hubspot', amountMinor: 100050n, currency: 'USD', amountReportingMinor: 100050n, status: 'open', stage: 'lead', customer: 'Customer 1', customerKey: 'customer 1' });
    expect(await byExt(ws.id, '23')).toMatchObject({ status: 'won', stage: 'won', amountMinor: 200000n, currency: 'EUR', amountReportingMinor: 220000n, type: 'upsell', recurringMonthlyMinor: 10000n, recurringReportingMinor: 11000n, maxStageIndex: 4 });
    expect(await byExt(ws.id, '24')).toMatchObject({ status: 'lost', stage: 'lost', lostReason: 'price' });
    expect(await byExt(ws.id, '25')).toMatchObject({ stage: 'demo', maxStageIndex: 2 });
    // Owners: Ann is a Slack user (linked by email), Bob is not (a rep linked later).
    const ann = await t.db.prisma.rep.findUniqueOrThrow({ where: { workspaceId_slackUserId: { workspaceId: ws.id, slackUserId: 'UANN' } } });
    expect(first.ownerId).toBe(ann.id);
    const bob = await t.db.prisma.rep.findUniqueOrThrow({ where: { workspaceId_importKey: { workspaceId: ws.id, importKey: 'crm:hubspot:o2' } } });
    expect((await byExt(ws.id, '2')).ownerId).toBe(bob.id);
    expect(bob).toMatchObject({ name: 'Bob Ray', slackUserId: null });
    const c = await connection(ws.id);
    expect(c).toMatchObject({ status: 'active', dealsSynced: 25, cursor: JSON.stringify({ seq: 25 }), leaseOwner: null, leaseUntil: null, lastError: null });
    expect(JSON.parse(c.usage ?? '{}')).toMatchObject({ calls: 3 });
    expect(await t.db.prisma.dealStageChange.count({ where: { workspaceId: ws.id } })).toBe(25);
    expect(await t.db.prisma.crmStageMap.count({ where: { connectionId: c.id } })).toBe(6);
  });

  test('incremental runs write only the changes; stage moves and CRM stage history land in the funnel history', async () => {
    const { ws, crm, run } = await setup(10);
    seed(crm, 5);
    expect((await run()).deals).toBe(5);
    crm.put({ crmId: '2', amount: '9999', stageId: 'contractsent', modifiedAt: d('2026-11-20T10:00:00Z') });
    crm.put({ crmId: '6', stageId: 'closedwon', status: 'won', closedAt: d('2026-11-19T12:00:00Z'), stageHistory: [
      { stageId: 'appointmentscheduled', enteredAt: d('2026-11-01T00:00:00Z') },
      { stageId: 'presentationscheduled', enteredAt: d('2026-11-10T00:00:00Z') },
      { stageId: 'closedwon', enteredAt: d('2026-11-19T12:00:00Z') },
    ] });
    const r = await run();
    expect(r).toMatchObject({ outcome: 'synced', pages: 1, deals: 2, created: 1, updated: 1 });
    expect(await deals(ws.id)).toHaveLength(6);
    const two = await byExt(ws.id, '2');
    expect(two).toMatchObject({ amountMinor: 999900n, stage: 'proposal', maxStageIndex: 3 });
    const moves2 = await t.db.prisma.dealStageChange.findMany({ where: { dealId: two.id }, orderBy: { id: 'asc' } });
    expect(moves2.map((m) => [m.fromStage, m.toStage])).toEqual([[null, 'lead'], ['lead', 'proposal']]);
    expect(moves2[1]!.changedAt.toISOString()).toBe('2026-11-20T10:00:00.000Z'); // no stage time given: the modification
    // A CRM that dates the entry into the current stage (Pipedrive stage_change_time): the move is at that time.
    crm.put({ crmId: '3', stageId: 'contractsent', stageChangedAt: d('2026-11-18T08:30:00Z'), modifiedAt: d('2026-11-21T10:00:00Z') });
    expect((await run()).deals).toBe(1);
    const three = await byExt(ws.id, '3');
    const moves3 = await t.db.prisma.dealStageChange.findMany({ where: { dealId: three.id }, orderBy: { id: 'asc' } });
    expect(moves3.map((m) => [m.fromStage, m.toStage, m.changedAt.toISOString()])).toEqual([
      [null, 'lead', moves3[0]!.changedAt.toISOString()],
      ['lead', 'proposal', '2026-11-18T08:30:00.000Z'],
    ]);
    const six = await byExt(ws.id, '6');
    const moves6 = await t.db.prisma.dealStageChange.findMany({ where: { dealId: six.id }, orderBy: { changedAt: 'asc' } });
    expect(moves6.map((m) => [m.fromStage, m.toStage, m.changedAt.toISOString()])).toEqual([
      [null, 'lead', '2026-11-01T00:00:00.000Z'],
      ['lead', 'demo', '2026-11-10T00:00:00.000Z'],
      ['demo', 'won', '2026-11-19T12:00:00.000Z'],
    ]);
    // Nothing changed since: a run pulls one empty page and writes nothing.
    expect(await run()).toMatchObject({ outcome: 'synced', deals: 0, pages: 1 });
  });

  test('deletions remove deals; a merge moves the loser\'s refunds to the survivor and deletes the loser', async () => {
    const { ws, crm, run } = await setup(10);
    seed(crm, 4);
    await run();
    const loser = await byExt(ws.id, '3');
    const survivor = await byExt(ws.id, '4');
    await t.db.prisma.refund.create({ data: { workspaceId: ws.id, dealId: loser.id, amountMinor: 100n, currency: 'USD', amountReportingMinor: 100n, recordedAt: NOW } });
    crm.remove('1');
    crm.remove('3', '4');
    const r = await run();
    expect(r).toMatchObject({ outcome: 'synced', removed: 2, merged: 1 });
    expect((await deals(ws.id)).map((x) => x.externalId)).toEqual(['hubspot:2', 'hubspot:4']);
    expect(await t.db.prisma.refund.count({ where: { dealId: survivor.id } })).toBe(1);
    expect((await connection(ws.id)).removals).toBe(2);
  });

  test('a crash between pages resumes from the committed cursor: no deal lost, none twice; the admin is told once', async () => {
    const { ws, crm, run } = await setup(10);
    seed(crm, 25);
    crm.failOnPull = { pull: 2, error: new CrmSourceError('unavailable', 'HubSpot answered 502') };
    const failed = await run();
    expect(failed).toMatchObject({ outcome: 'failed', pages: 1, deals: 10, status: 'failing', errorKind: 'unavailable', notifyAdmin: true, error: 'HubSpot answered 502' });
    expect(failed.nextAttemptAt).toEqual(new Date(NOW.getTime() + 60_000));
    expect(await deals(ws.id)).toHaveLength(10);
    expect(await connection(ws.id)).toMatchObject({ status: 'failing', failures: 1, cursor: JSON.stringify({ seq: 10 }), leaseOwner: null, errorNotifiedAt: NOW });

    // Fails again: the backoff doubles and nobody is told a second time.
    crm.failOnPull = { pull: crm.pulls + 1, error: new CrmSourceError('unavailable', 'HubSpot answered 503') };
    const again = await run();
    expect(again).toMatchObject({ outcome: 'failed', notifyAdmin: false, pages: 0 });
    expect(again.nextAttemptAt).toEqual(new Date(NOW.getTime() + 120_000));

    const resumed = await run();
    expect(resumed).toMatchObject({ outcome: 'synced', pages: 2, deals: 15, created: 15, updated: 0 });
    const rows = await deals(ws.id);
    expect(rows).toHaveLength(25);
    expect(new Set(rows.map((x) => x.externalId)).size).toBe(25);
    expect(await connection(ws.id)).toMatchObject({ status: 'active', failures: 0, lastError: null, errorNotifiedAt: null, nextAttemptAt: null, dealsSynced: 25 });
  });

  test('a page that fails half-way writes nothing of itself (one transaction per page)', async () => {
    const { ws, crm, run } = await setup(10);
    seed(crm, 5);
    crm.put({ crmId: '6', currency: 'GBP' }); // no GBP rate: refused like a Slack-logged deal would be
    const r = await run();
    expect(r).toMatchObject({ outcome: 'failed', errorKind: 'data', status: 'failing', notifyAdmin: true });
    expect(r.error).toContain('GBP');
    expect(await deals(ws.id)).toHaveLength(0);
    expect((await connection(ws.id)).cursor).toBeNull();
    await t.db.prisma.currencyRate.create({ data: { workspaceId: ws.id, fromCurrency: 'GBP', rate: 1.3, updatedAt: NOW } });
    expect(await run()).toMatchObject({ outcome: 'synced', deals: 6 });
  });

  test('two runs at once: one syncs, the other finds the lease taken; an expired lease is taken over', async () => {
    const { ws, crm, run } = await setup(10);
    seed(crm, 12);
    let release!: () => void;
    crm.gate = new Promise<void>((resolve) => (release = resolve));
    const entered = new Promise<void>((resolve) => (crm.onListStages = resolve));
    const first = run({ leaseOwner: 'instance-a' });
    await entered;
    const second = await run({ leaseOwner: 'instance-b' });
    expect(second).toMatchObject({ outcome: 'locked', deals: 0 });
    release();
    expect(await first).toMatchObject({ outcome: 'synced', deals: 12 });
    expect(await deals(ws.id)).toHaveLength(12);

    // A crashed instance's lease blocks until it expires, then another takes over.
    await t.db.prisma.crmConnection.update({ where: { workspaceId: ws.id }, data: { leaseOwner: 'dead', leaseUntil: new Date(NOW.getTime() + 60_000) } });
    crm.gate = null;
    expect(await run({ leaseOwner: 'instance-b' })).toMatchObject({ outcome: 'locked' });
    expect(await run({ leaseOwner: 'instance-b', now: new Date(NOW.getTime() + 61_000) })).toMatchObject({ outcome: 'synced' });
  });

  test('a run whose lease was taken over rolls its page back', async () => {
    const { ws, crm, run } = await setup(10);
    seed(crm, 3);
    crm.onListStages = async () => {
      // While this run maps stages its lease "expires" and another instance takes it.
      await t.db.prisma.crmConnection.update({ where: { workspaceId: ws.id }, data: { leaseOwner: 'thief', leaseUntil: new Date(NOW.getTime() + 600_000) } });
    };
    const r = await run({ leaseOwner: 'slow' });
    expect(r.outcome).toBe('failed');
    expect(r.error).toContain('lease');
    expect(await deals(ws.id)).toHaveLength(0);
    expect(await connection(ws.id)).toMatchObject({ leaseOwner: 'thief', cursor: null });
  });

  test('a backdated change bumps the history version, and the KPI of that past month changes', async () => {
    const { ws, crm, run } = await setup(10);
    crm.put({ crmId: 'w1', amount: '5000', status: 'won', stageId: 'closedwon', closedAt: d('2026-10-10T10:00:00Z') });
    const scope = { kind: 'workspace' } as const;
    const r1 = await run();
    expect(r1.historyBumped).toBe(true);
    const before = await withClosedPeriodCache(t.db, { workspaceId: ws.id, now: NOW });
    expect((await closedDealSeries(before, { workspaceId: ws.id, ranges: [october], scope }))[0]).toMatchObject({ wonCount: 1 });
    const v1 = (await t.db.prisma.workspace.findUniqueOrThrow({ where: { id: ws.id } })).historyVersion;

    crm.put({ crmId: 'w2', amount: '7000', status: 'won', stageId: 'closedwon', closedAt: d('2026-10-20T10:00:00Z'), createdAt: d('2026-10-01T00:00:00Z') });
    const r2 = await run();
    expect(r2).toMatchObject({ outcome: 'synced', historyBumped: true });
    expect((await t.db.prisma.workspace.findUniqueOrThrow({ where: { id: ws.id } })).historyVersion).toBeGreaterThan(v1);
    const after = await withClosedPeriodCache(t.db, { workspaceId: ws.id, now: NOW });
    expect((await closedDealSeries(after, { workspaceId: ws.id, ranges: [october], scope }))[0]).toMatchObject({ wonCount: 2 });

    // A CRM change to nothing the app stores (a note): nothing written, the cache of the past kept.
    const vNoise = (await t.db.prisma.workspace.findUniqueOrThrow({ where: { id: ws.id } })).historyVersion;
    crm.put({ crmId: 'w1', modifiedAt: d('2026-11-20T11:00:00Z') });
    expect(await run()).toMatchObject({ outcome: 'synced', deals: 0, unchanged: 1, historyBumped: false });
    expect((await t.db.prisma.workspace.findUniqueOrThrow({ where: { id: ws.id } })).historyVersion).toBe(vNoise);

    // A change today of a deal created today does not touch the past: no bump.
    const v2 = (await t.db.prisma.workspace.findUniqueOrThrow({ where: { id: ws.id } })).historyVersion;
    crm.put({ crmId: 'n1', createdAt: d('2026-11-20T09:00:00Z') });
    expect(await run()).toMatchObject({ historyBumped: false, deals: 1 });
    expect((await t.db.prisma.workspace.findUniqueOrThrow({ where: { id: ws.id } })).historyVersion).toBe(v2);
  });

  test('deals logged in Slack before connecting are adopted when customer, amount and close day agree; the rest stay local', async () => {
    const { ws, crm, run } = await setup(10);
    const rep = await t.db.prisma.rep.create({ data: { workspaceId: ws.id, name: 'Ann', slackUserId: 'UANN', updatedAt: NOW } });
    const local = (customer: string, amountMinor: bigint, closedAt: Date | null) =>
      t.db.prisma.deal.create({
        data: {
          workspaceId: ws.id, ownerId: rep.id, customer, customerKey: customer.toLowerCase(), amountMinor, currency: 'USD', amountReportingMinor: amountMinor,
          stage: closedAt ? 'won' : 'lead', status: closedAt ? 'won' : 'open', createdAt: closedAt ?? NOW, closedAt, updatedAt: NOW, source: 'slack-command',
        },
      });
    // Logged on Oct 10 in Berlin (local midnight = Oct 9 22:00 UTC); the CRM says Oct 10 15:00 UTC: same local day.
    const acme = await local('Acme', 1_200_000n, d('2026-10-09T22:00:00Z'));
    const globex = await local('Globex', 500_000n, d('2026-10-09T22:00:00Z'));
    const initech = await local('Initech', 300_000n, null);
    crm.put({ crmId: 'a', customer: 'ACME', amount: '12000.00', status: 'won', stageId: 'closedwon', closedAt: d('2026-10-10T15:00:00Z') });
    crm.put({ crmId: 'g', customer: 'Globex', amount: '5000', status: 'won', stageId: 'closedwon', closedAt: d('2026-10-12T15:00:00Z') });
    crm.put({ crmId: 'i', customer: 'Initech', amount: '3000' });
    const r = await run();
    expect(r).toMatchObject({ outcome: 'synced', adopted: 2, created: 1, deals: 3 });
    const rows = await deals(ws.id);
    expect(rows).toHaveLength(4);
    expect(rows.find((x) => x.id === acme.id)).toMatchObject({ source: 'hubspot', externalId: 'hubspot:a', customer: 'ACME' });
    expect(rows.find((x) => x.id === initech.id)).toMatchObject({ source: 'hubspot', externalId: 'hubspot:i' });
    // Globex closed on another day: the Slack deal stays local, the CRM one is a new deal.
    expect(rows.find((x) => x.id === globex.id)).toMatchObject({ source: 'slack-command', externalId: null });
    expect(rows.filter((x) => x.customerKey === 'globex')).toHaveLength(2);
    // October revenue counts Acme once.
    const [oct] = await closedDealSeries(t.db, { workspaceId: ws.id, ranges: [october], scope: { kind: 'workspace' } });
    expect(oct).toMatchObject({ wonCount: 3 });
  });

  test('revoked credentials mark the connection revoked and stop the schedule; a token in the error is not stored', async () => {
    const { ws, crm, run } = await setup(10);
    seed(crm, 2);
    crm.failOnPull = { pull: 1, error: new CrmSourceError('auth', `401 Unauthorized for Bearer ${TOKEN} (token=${TOKEN})`) };
    const r = await run();
    expect(r).toMatchObject({ outcome: 'failed', status: 'revoked', errorKind: 'auth', notifyAdmin: true, nextAttemptAt: null });
    const c = await connection(ws.id);
    expect(c.status).toBe('revoked');
    expect(c.lastError).toContain('401 Unauthorized');
    expect(c.lastError).not.toContain(TOKEN);
    expect(c.lastError).not.toContain('11111111');
    expect(r.error).not.toContain(TOKEN);
    expect(c.credentials).not.toContain(TOKEN);
    expect(await run()).toMatchObject({ outcome: 'not-connected', status: 'revoked' });
  });

  test('Retry-After is honoured: no notice for a rate limit, next attempt after the vendor\'s wait', async () => {
    const { ws, crm, run } = await setup(10);
    seed(crm, 2);
    crm.failOnPull = { pull: 1, error: new CrmSourceError('rate-limited', 'daily limit reached', 600) };
    const r = await run();
    expect(r).toMatchObject({ outcome: 'failed', status: 'active', notifyAdmin: false });
    expect(r.nextAttemptAt).toEqual(new Date(NOW.getTime() + 600_000));
    expect((await connection(ws.id)).nextAttemptAt).toEqual(new Date(NOW.getTime() + 600_000));
  });

  test('an export of the same CRM imported before (same external id) is taken over, not counted twice', async () => {
    const { ws, crm, run } = await setup(10);
    const rep = await t.db.prisma.rep.create({ data: { workspaceId: ws.id, name: 'Imported', importKey: 'import:Ann', updatedAt: NOW } });
    const imported = await t.db.prisma.deal.create({
      data: { workspaceId: ws.id, ownerId: rep.id, customer: 'Acme', customerKey: 'acme', amountMinor: 100n, currency: 'USD', amountReportingMinor: 100n, stage: 'lead', status: 'open', createdAt: NOW, updatedAt: NOW, source: 'import', externalId: 'hubspot:77' },
    });
    crm.put({ crmId: '77', customer: 'Acme', amount: '250' });
    expect(await run()).toMatchObject({ outcome: 'synced', created: 0, updated: 1 });
    expect(await deals(ws.id)).toHaveLength(1);
    expect(await t.db.prisma.deal.findUniqueOrThrow({ where: { id: imported.id } })).toMatchObject({ source: 'hubspot', amountMinor: 25000n });
  });

  test('a stop by signal keeps the committed pages and releases the lease; --full starts over under the lease', async () => {
    const { ws, crm, run } = await setup(5);
    seed(crm, 12);
    const controller = new AbortController();
    const r = await run({ signal: controller.signal, onProgress: () => controller.abort() });
    expect(r).toMatchObject({ outcome: 'partial', pages: 1, deals: 5 });
    expect(await connection(ws.id)).toMatchObject({ leaseOwner: null, status: 'active', cursor: JSON.stringify({ seq: 5 }) });
    expect(await run()).toMatchObject({ outcome: 'synced', created: 7, pages: 2 });
    expect(await run({ full: true })).toMatchObject({ outcome: 'synced', created: 0, updated: 0, unchanged: 12, pages: 3 });
    expect(await deals(ws.id)).toHaveLength(12);
  });

  test('status, stage mapping edits, owner fixes and disconnecting', async () => {
    const { ws, crm, run } = await setup(10);
    seed(crm, 4);
    expect(await readCrmStatus({ db: t.db, workspaceId: ws.id, now: NOW })).toMatchObject({ vendor: 'hubspot', status: 'active', lagSeconds: null, backfilling: true, syncing: false });
    await run();
    expect(await readCrmStatus({ db: t.db, workspaceId: ws.id, now: new Date(NOW.getTime() + 90_000) })).toMatchObject({
      status: 'active', lagSeconds: 90, dealsSynced: 4, backfilling: false, usage: { calls: 1, dailyLimit: 1000 }, lastError: null,
    });

    // An admin maps "Appointment scheduled" to demo: kept by later syncs, applied on a full reload.
    expect((await listCrmStageMapping({ db: t.db, workspaceId: ws.id })).find((m) => m.crmStageId === 'appointmentscheduled')).toMatchObject({ target: 'lead', edited: false });
    await expect(setCrmStageMapping({ db: t.db, workspaceId: ws.id, crmStageId: 'appointmentscheduled', target: 'nowhere', now: NOW })).rejects.toThrow(/not a stage here/);
    await setCrmStageMapping({ db: t.db, workspaceId: ws.id, crmStageId: 'appointmentscheduled', target: 'Demo', now: NOW });
    expect(await run({ full: true })).toMatchObject({ updated: 4 });
    expect(await byExt(ws.id, '1')).toMatchObject({ stage: 'demo' });
    expect((await listCrmStageMapping({ db: t.db, workspaceId: ws.id })).find((m) => m.crmStageId === 'appointmentscheduled')).toMatchObject({ target: 'demo', edited: true });

    // Bob (o2) was not found in Slack: an admin links him to his rep; his deals move, the past is re-read.
    const bobSlack = await t.db.prisma.rep.create({ data: { workspaceId: ws.id, name: 'Bob', slackUserId: 'UBOB', updatedAt: NOW } });
    const v = (await t.db.prisma.workspace.findUniqueOrThrow({ where: { id: ws.id } })).historyVersion;
    expect(await linkCrmOwner({ db: t.db, workspaceId: ws.id, crmOwnerId: 'o2', repId: bobSlack.id, now: NOW })).toEqual({ moved: 2 });
    expect((await byExt(ws.id, '2')).ownerId).toBe(bobSlack.id);
    expect((await t.db.prisma.workspace.findUniqueOrThrow({ where: { id: ws.id } })).historyVersion).toBe(v + 1);
    crm.put({ crmId: '4', amount: '1' });
    await run();
    expect((await byExt(ws.id, '4')).ownerId).toBe(bobSlack.id);

    expect(await disconnectCrm({ db: t.db, workspaceId: ws.id, now: NOW })).toBe(true);
    expect(await connection(ws.id)).toMatchObject({ status: 'disconnected', credentials: '' });
    expect(await run()).toMatchObject({ outcome: 'not-connected' });
    expect((await listDueCrmSyncs({ db: t.db, now: NOW })).map((c) => c.workspaceId)).not.toContain(ws.id);
    expect(await loadCrmConnection({ db: t.db, workspaceId: ws.id, keyRing, now: NOW })).toMatchObject({ status: 'disconnected', credentials: {} });
    expect(await deals(ws.id)).toHaveLength(4);
  });

  test('credentials sealed with the previous key still open and are re-sealed with the current one (rotation)', async () => {
    const { ws } = await setup(10);
    const oldRing = keyRing;
    const newKey = Buffer.alloc(32, 9).toString('base64');
    const rotated = crmKeyRing(newKey, KEY);
    const sealedBefore = (await connection(ws.id)).credentials;
    expect(sealedBefore.split('.')[1]).toBe(oldRing.current.id);
    const loaded = await loadCrmConnection({ db: t.db, workspaceId: ws.id, keyRing: rotated, now: NOW });
    expect(loaded).toMatchObject({ vendor: 'hubspot', credentials: { token: TOKEN }, resealed: true });
    const sealedAfter = (await connection(ws.id)).credentials;
    expect(sealedAfter.split('.')[1]).toBe(rotated.current.id);
    // The previous key can now be dropped.
    expect((await loadCrmConnection({ db: t.db, workspaceId: ws.id, keyRing: crmKeyRing(newKey), now: NOW }))?.credentials).toEqual({ token: TOKEN });
    // The old key alone no longer opens it.
    await expect(loadCrmConnection({ db: t.db, workspaceId: ws.id, keyRing: oldRing, now: NOW })).rejects.toThrow(/CRM_ENCRYPTION_KEY/);
  });
  test('a won CRM renewal with a recurring amount continues the running subscription: one subscription, MRR not doubled', async () => {
    const { ws, crm, run } = await setup(10);
    crm.put({ crmId: '1', customer: 'Acme', amount: '1200', status: 'won', stageId: 'closedwon', closedAt: d('2026-09-15T10:00:00Z'), type: 'new', recurringMonthly: '100' });
    await run();
    const mrr = async () => {
      const answer = await reportKpi({ db: t.db, workspace: await t.db.prisma.workspace.findUniqueOrThrow({ where: { id: ws.id } }), kpi: 'mrr', periodInput: 'this month', now: NOW });
      if (answer.report.kind !== 'mrr') throw new Error('not an MRR report');
      return { mrrMinor: answer.report.current.mrrMinor, subscriptions: answer.report.current.subscriptions };
    };
    expect(await mrr()).toEqual({ mrrMinor: 10_000n, subscriptions: 1 });

    crm.put({ crmId: '2', customer: 'Acme', amount: '1440', status: 'won', stageId: 'closedwon', closedAt: d('2026-10-20T10:00:00Z'), type: 'renewal', recurringMonthly: '120', modifiedAt: d('2026-11-02T00:00:00Z') });
    expect(await run()).toMatchObject({ outcome: 'synced', created: 1 });
    const first = await byExt(ws.id, '1');
    const renewal = await byExt(ws.id, '2');
    expect(renewal).toMatchObject({ status: 'won', type: 'renewal', recurringMonthlyMinor: 12_000n, subscriptionStart: null, amountMinor: 144_000n });
    expect(first.subscriptionStart?.toISOString()).toBe('2026-09-15T10:00:00.000Z');
    const changes = () => t.db.prisma.subscriptionChange.findMany({ where: { workspaceId: ws.id } });
    expect((await changes()).map((c) => [c.dealId, c.sourceDealId, c.monthlyReportingMinor, c.effectiveAt.toISOString()])).toEqual([[first.id, renewal.id, 12_000n, '2026-10-20T10:00:00.000Z']]);
    expect(await mrr()).toEqual({ mrrMinor: 12_000n, subscriptions: 1 });

    // Synced again unchanged, then edited: the rule is applied once, never stacked.
    crm.put({ crmId: '2', modifiedAt: d('2026-11-03T00:00:00Z') });
    expect(await run()).toMatchObject({ outcome: 'synced', unchanged: 1, updated: 0 });
    crm.put({ crmId: '2', recurringMonthly: '130', modifiedAt: d('2026-11-04T00:00:00Z') });
    expect(await run()).toMatchObject({ outcome: 'synced', updated: 1 });
    expect((await changes()).map((c) => [c.sourceDealId, c.monthlyReportingMinor])).toEqual([[renewal.id, 13_000n]]);
    expect(await mrr()).toEqual({ mrrMinor: 13_000n, subscriptions: 1 });
    // The renewal lost after all: its change goes, the first subscription runs at its own amount.
    crm.put({ crmId: '2', status: 'lost', stageId: 'closedlost', recurringMonthly: null, modifiedAt: d('2026-11-05T00:00:00Z') });
    await run();
    expect(await changes()).toEqual([]);
    expect(await mrr()).toEqual({ mrrMinor: 10_000n, subscriptions: 1 });
  });

  test('a completed full load refreshes planner statistics; an incremental run does not', async () => {
    const { crm, run } = await setup(10);
    seed(crm, 12);
    const partial = await run({ maxPages: 1 });
    expect(partial).toMatchObject({ outcome: 'partial', fullLoadCompleted: false });
    // The rest of the first load, resumed from its cursor: still the connection's first success.
    expect(await run()).toMatchObject({ outcome: 'synced', fullLoadCompleted: true });
    crm.put({ crmId: '3', amount: '5' });
    expect(await run()).toMatchObject({ outcome: 'synced', fullLoadCompleted: false, updated: 1 });
    expect(await run({ full: true })).toMatchObject({ outcome: 'synced', fullLoadCompleted: true });
    if (dialect !== 'postgresql') return;
    const rows = await t.db.query<{ relname: string; analysed: boolean }>(
      `SELECT relname, last_analyze IS NOT NULL AS analysed FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname IN ('Deal', 'DealStageChange') ORDER BY relname`,
    );
    expect(rows).toEqual([
      { relname: 'Deal', analysed: true },
      { relname: 'DealStageChange', analysed: true },
    ]);
  });
});
