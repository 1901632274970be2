import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WRITE_TX, type Tx } from '../../src/storage/db.js';
import { closedPeriodCacheSize, withClosedPeriodCache } from '../../src/storage/queries/closed-period-cache.js';
import { bumpHistoryVersion, historyHorizon, touchesHistory } from '../../src/storage/queries/history-version.js';
import { closedDealSeries } from '../../src/storage/queries/metrics.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/test-db.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const d = (iso: string) => new Date(iso);
const october = { start: d('2026-10-01T00:00:00Z'), end: d('2026-11-01T00:00:00Z') };
const november = { start: d('2026-11-01T00:00:00Z'), end: d('2026-12-01T00:00:00Z') };

describe('history horizon', () => {
  test.each([
    ['today', '2026-11-20T08:00:00Z', false],
    ['yesterday noon (inside the 36 h margin)', '2026-11-19T12:00:00Z', false],
    ['two days ago', '2026-11-18T11:59:59Z', true],
    ['last month', '2026-10-15T00:00:00Z', true],
  ])('a write dated %s touches history: %s', (_label, iso, expected) => {
    expect(touchesHistory([null, d(iso)], NOW)).toBe(expected);
  });

  test('the horizon is 36 hours before now', () => {
    expect(historyHorizon(NOW)).toEqual(d('2026-11-19T00:00:00Z'));
  });
});

describe.each(testEngines())('closed-period cache on %s', (dialect) => {
  let t: TestDatabase;
  let workspaceId = 0;
  let ownerId = 0;
  const scope = { kind: 'workspace' } as const;

  async function addWon(closedAt: Date): Promise<void> {
    await t.db.prisma.deal.create({
      data: { workspaceId, ownerId, customer: 'X', amountMinor: 100n, currency: 'USD', amountReportingMinor: 100n, stage: 'won', status: 'won', createdAt: closedAt, closedAt, updatedAt: closedAt },
    });
  }

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const ws = await t.db.prisma.workspace.create({ data: { slackTeamId: 'TCACHE', updatedAt: NOW } });
    workspaceId = ws.id;
    ownerId = (await t.db.prisma.rep.create({ data: { workspaceId, name: 'Ann', slackUserId: 'UANN', updatedAt: NOW } })).id;
    await addWon(d('2026-10-10T00:00:00Z'));
  });
  afterAll(async () => t?.drop());

  test('a closed period is served from the cache until the history version moves', async () => {
    const first = await withClosedPeriodCache(t.db, { workspaceId, now: NOW });
    expect((await closedDealSeries(first, { workspaceId, ranges: [october], scope }))[0]!.wonCount).toBe(1);
    expect(closedPeriodCacheSize(t.db)).toBeGreaterThan(0);

    // Written behind the cache's back (no bump): the cached answer stands, which shows it is cached.
    await addWon(d('2026-10-11T00:00:00Z'));
    const stale = await withClosedPeriodCache(t.db, { workspaceId, now: NOW });
    expect((await closedDealSeries(stale, { workspaceId, ranges: [october], scope }))[0]!.wonCount).toBe(1);
    // The open period is never cached.
    await addWon(d('2026-11-20T10:00:00Z'));
    expect((await closedDealSeries(stale, { workspaceId, ranges: [november], scope }))[0]!.wonCount).toBe(1);
    await addWon(d('2026-11-20T11:00:00Z'));
    expect((await closedDealSeries(stale, { workspaceId, ranges: [november], scope }))[0]!.wonCount).toBe(2);

    await t.db.prisma.$transaction((tx: Tx) => bumpHistoryVersion(tx, workspaceId), WRITE_TX);
    const fresh = await withClosedPeriodCache(t.db, { workspaceId, now: NOW });
    expect((await closedDealSeries(fresh, { workspaceId, ranges: [october], scope }))[0]!.wonCount).toBe(2);
  });

  test('a series mixing closed and open periods gives the same numbers with and without the cache', async () => {
    const ranges = [november, october, { start: d('2026-09-01T00:00:00Z'), end: october.start }];
    const cached = await withClosedPeriodCache(t.db, { workspaceId, now: NOW });
    const plain = await closedDealSeries(t.db, { workspaceId, scope, ranges });
    expect(await closedDealSeries(cached, { workspaceId, scope, ranges })).toEqual(plain);
    expect(await closedDealSeries(cached, { workspaceId, scope, ranges })).toEqual(plain);
    expect(plain.map((p) => p.wonCount)).toEqual([2, 2, 0]);
  });
});
