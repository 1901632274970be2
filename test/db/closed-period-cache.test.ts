import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WRITE_TX, type Tx } from '../../src/storage/db.js';
import { cacheSplitOf, closedPeriodCacheSize, withClosedPeriodCache } from '../../src/storage/queries/closed-period-cache.js';
import { bumpHistoryVersion, historyHorizon, touchesHistory } from '../../src/storage/queries/history-version.js';
import { closedByOwner, closedDealSeries } from '../../src/storage/queries/metrics.js';
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
    // The open period is never cached: the next answer (a new view) reads it again. Within one
    // view (one answer at one instant) the same read of the present is made once.
    await addWon(d('2026-11-20T10:00:00Z'));
    expect((await closedDealSeries(stale, { workspaceId, ranges: [november], scope }))[0]!.wonCount).toBe(1);
    await addWon(d('2026-11-20T11:00:00Z'));
    expect((await closedDealSeries(stale, { workspaceId, ranges: [november], scope }))[0]!.wonCount).toBe(1);
    const next = await withClosedPeriodCache(t.db, { workspaceId, now: NOW });
    expect((await closedDealSeries(next, { workspaceId, ranges: [november], scope }))[0]!.wonCount).toBe(2);

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
  test('a running period is its cached part before the split plus a fresh rest; a bump shows a change of the cached part', async () => {
    // NOW = Nov 20 12:00: horizon Nov 19 00:00, split Nov 19 00:00.
    const view = await withClosedPeriodCache(t.db, { workspaceId, now: NOW });
    expect(cacheSplitOf(view)).toEqual(d('2026-11-19T00:00:00Z'));
    const before = (await closedDealSeries(view, { workspaceId, ranges: [november], scope }))[0]!.wonCount;
    const owners = (await closedByOwner(view, { workspaceId, range: november, scope }))[0]!.wonCount;
    expect(owners).toBe(before);

    // Behind the cache's back (no bump): a deal in the cached part is not seen, one in the rest is.
    await addWon(d('2026-11-10T00:00:00Z'));
    await addWon(d('2026-11-19T06:00:00Z'));
    const again = await withClosedPeriodCache(t.db, { workspaceId, now: NOW });
    expect((await closedDealSeries(again, { workspaceId, ranges: [november], scope }))[0]!.wonCount).toBe(before + 1);
    expect((await closedByOwner(again, { workspaceId, range: november, scope }))[0]!.wonCount).toBe(owners + 1);

    await t.db.prisma.$transaction((tx: Tx) => bumpHistoryVersion(tx, workspaceId), WRITE_TX);
    const fresh = await withClosedPeriodCache(t.db, { workspaceId, now: NOW });
    expect((await closedDealSeries(fresh, { workspaceId, ranges: [november], scope }))[0]!.wonCount).toBe(before + 2);
    expect((await closedByOwner(fresh, { workspaceId, range: november, scope }))[0]!.wonCount).toBe(owners + 2);
    // The same figures as without a cache.
    expect(await closedDealSeries(fresh, { workspaceId, ranges: [november, october], scope })).toEqual(await closedDealSeries(t.db, { workspaceId, ranges: [november, october], scope }));
    expect(await closedByOwner(fresh, { workspaceId, range: november, scope })).toEqual(await closedByOwner(t.db, { workspaceId, range: november, scope }));
  });

  test('per-rep figures of a closed period are cached (also for a team), the rep names and team members are not', async () => {
    const team = await t.db.prisma.salesTeam.create({ data: { workspaceId, name: 'East' } });
    const view = await withClosedPeriodCache(t.db, { workspaceId, now: NOW });
    const first = await closedByOwner(view, { workspaceId, range: october, scope });
    expect(first.map((o) => o.name)).toEqual(['Ann']);
    expect(await closedByOwner(view, { workspaceId, range: october, scope: { kind: 'team', teamId: team.id } })).toEqual([]);

    // Renamed and moved into the team: no history-version bump, and both show at once. A deal
    // written behind the cache's back is not seen: the per-rep figures come from the cache.
    await addWon(d('2026-10-12T00:00:00Z'));
    await t.db.prisma.rep.update({ where: { id: ownerId }, data: { name: 'Ann B', teamId: team.id } });
    const next = await withClosedPeriodCache(t.db, { workspaceId, now: NOW });
    const renamed = await closedByOwner(next, { workspaceId, range: october, scope });
    expect(renamed.map((o) => [o.name, o.teamId, o.wonCount])).toEqual([['Ann B', team.id, first[0]!.wonCount]]);
    const ofTeam = await closedByOwner(next, { workspaceId, range: october, scope: { kind: 'team', teamId: team.id } });
    expect(ofTeam.map((o) => [o.name, o.wonCount])).toEqual([['Ann B', first[0]!.wonCount]]);
  });

  test('the same closed-period read asked twice at once runs once; a failed one is not kept', async () => {
    // Its own Db object: its own (empty) cache, and a count of the statements that reach the database.
    let statements = 0;
    let failNext = false;
    const counted: typeof t.db = {
      ...t.db,
      query: async (sql, params) => {
        statements++;
        if (failNext) {
          failNext = false;
          throw new Error('connection lost');
        }
        return t.db.query(sql, params);
      },
    };
    const view = await withClosedPeriodCache(counted, { workspaceId, now: NOW });
    statements = 0;
    const [a, b] = await Promise.all([closedDealSeries(view, { workspaceId, ranges: [october], scope }), closedDealSeries(view, { workspaceId, ranges: [october], scope })]);
    expect(a).toEqual(b);
    expect(statements).toBe(1);
    await closedDealSeries(view, { workspaceId, ranges: [october], scope });
    expect(statements).toBe(1);

    const other = { start: d('2026-09-01T00:00:00Z'), end: d('2026-10-01T00:00:00Z') };
    failNext = true;
    const both = await Promise.allSettled([closedDealSeries(view, { workspaceId, ranges: [other], scope }), closedDealSeries(view, { workspaceId, ranges: [other], scope })]);
    expect(both.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(statements).toBe(2);
    expect((await closedDealSeries(view, { workspaceId, ranges: [other], scope }))[0]!.wonCount).toBe(0);
    expect(statements).toBe(3);
  });

  test('only deal and refund statements are cached: a raw read of another table over the past is read every time', async () => {
    const view = await withClosedPeriodCache(t.db, { workspaceId, now: NOW });
    const count = () => view.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM "Quota" q WHERE q."workspaceId" = ? AND q."periodStart" >= ?', [workspaceId, october.start]);
    expect(Number((await count())[0]!.n)).toBe(0);
    await t.db.prisma.quota.create({ data: { workspaceId, repId: ownerId, periodKind: 'month', periodStart: october.start, periodEnd: october.end, amountMinor: 100n, currency: 'USD' } });
    expect(Number((await count())[0]!.n)).toBe(1);
  });
});
