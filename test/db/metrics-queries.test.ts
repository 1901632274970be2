import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Workspace } from '../../src/generated/sqlite/client.js';
import type { Db } from '../../src/storage/db.js';
import {
  closedByOwner,
  closedDealSeries,
  cohortSeries,
  discountByRep,
  funnelSeries,
  mrrAtInstants,
  openDeals,
  refundSeries,
  refundsInRange,
  wonByRepOverLookback,
  wonByType,
} from '../../src/storage/queries/metrics.js';
import { quotasInRange } from '../../src/domain/metrics/allocated-figures.js';
import { buildKpiReport } from '../../src/domain/metrics/build-kpi-report.js';
import type { TScope } from '../../src/domain/metrics/scope.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/test-db.js';

const d = (iso: string) => new Date(iso);
const SEP = { start: d('2025-09-01T00:00:00Z'), end: d('2025-10-01T00:00:00Z') };
const OCT = { start: d('2025-10-01T00:00:00Z'), end: d('2025-11-01T00:00:00Z') };
const AUG = { start: d('2025-08-01T00:00:00Z'), end: d('2025-09-01T00:00:00Z') };
const NOV = { start: d('2025-11-01T00:00:00Z'), end: d('2025-12-01T00:00:00Z') };
const WS: TScope = { kind: 'workspace' };

// One period through the series queries the app uses (single-period copies of them were test-only).
type TOneRange = { workspaceId: number; range: { start: Date; end: Date }; scope: TScope };
const one = <T,>(list: T[]): T => {
  if (list.length !== 1) throw new Error(`expected one period, got ${list.length}`);
  return list[0] as T;
};
const closedDealTotals = async (db: Db, a: TOneRange) => one(await closedDealSeries(db, { workspaceId: a.workspaceId, scope: a.scope, ranges: [a.range] }));
const cohortInRange = async (db: Db, a: TOneRange) => one(await cohortSeries(db, { workspaceId: a.workspaceId, scope: a.scope, ranges: [a.range] }));
const funnelReachedCounts = async (db: Db, a: TOneRange & { stageCount: number }) =>
  one(await funnelSeries(db, { workspaceId: a.workspaceId, scope: a.scope, ranges: [a.range], stageCount: a.stageCount }));
const mrrAt = async (db: Db, a: { workspaceId: number; scope: TScope; instant: Date }) =>
  one(await mrrAtInstants(db, { workspaceId: a.workspaceId, scope: a.scope, instants: [a.instant] }));

interface Seeded {
  ws: Workspace;
  alice: number;
  bob: number;
  carol: number;
  north: number;
  south: number;
  deals: Record<string, number>;
}

/**
 * Known data set (amounts already in the reporting currency, USD cents):
 *
 * | deal | owner | status | type | amount | created | closed | maxStage | extra |
 * | D1 | Alice | won  | new     | 1000  | Sep 05 | Sep 20 | 4 | |
 * | D2 | Bob   | lost | new     | 700   | Sep 03 | Sep 25 | 2 | |
 * | D3 | Alice | won  | new     | 3000  | Oct 02 | Oct 10 | 4 | discount 300 |
 * | D4 | Alice | won  | upsell  | 2000  | Sep 15 | Oct 12 | 4 | MRR 200 from Oct 12 |
 * | D5 | Bob   | won  | renewal | 1000  | Oct 05 | Oct 20 | 4 | discount 0, MRR 100 Oct 20 → Dec 31 |
 * | D6 | Bob   | lost | new     | 900   | Oct 03 | Oct 25 | 2 | |
 * | D7 | Carol | lost | new     | 800   | Oct 07 | Oct 28 | 1 | |
 * | D8 | Carol | open | new     | 20000 | Oct 08 | —      | 3 | |
 * | D9 | Alice | open | new     | 500   | Oct 09 | —      | 0 | |
 * | D10| Carol | won  | new     | 4000  | Oct 01 | Nov 01 00:00 (outside October) | 4 | |
 * | D11| Carol | won  | new     | 1500  | Sep 28 | Oct 01 00:00 (inside October) | 4 | |
 * | D12| Bob   | won  | new     | 600   | Aug 01 | Aug 10 | 4 | MRR 50 Aug 10 → Oct 15 |
 * | X1 | other workspace | won | new | 99999 | Oct 02 | Oct 10 | | must never count |
 * Refunds: R1 Oct 15 500 on D3; R2 Oct 18 100 without deal; R3 Sep 10 200 on D1; X refund in the other workspace.
 * Quotas: Alice Oct month 4000 + Q4 quarter 15000 + Sep month 3000; Bob Q4 quarter 9200 (→ 3100 for Oct);
 *         team North Oct month 10000; Carol none.
 * Lead counts: 40 in Oct (workspace), 30 over Sep 16–Oct 16 (→ 15), 100 in Nov, 10 for Alice Oct 1–11.
 * Teams: North = Alice, Bob; South = Carol.
 */
async function seed(db: Db): Promise<Seeded> {
  const p = db.prisma;
  const ws = await p.workspace.create({ data: { slackTeamId: 'T-METRICS', currency: 'USD' } });
  const other = await p.workspace.create({ data: { slackTeamId: 'T-OTHER', currency: 'USD' } });
  const north = await p.salesTeam.create({ data: { workspaceId: ws.id, name: 'North' } });
  const south = await p.salesTeam.create({ data: { workspaceId: ws.id, name: 'South' } });
  const alice = await p.rep.create({ data: { workspaceId: ws.id, name: 'Alice', slackUserId: 'UALICE', teamId: north.id } });
  const bob = await p.rep.create({ data: { workspaceId: ws.id, name: 'Bob', slackUserId: 'UBOB', teamId: north.id } });
  const carol = await p.rep.create({ data: { workspaceId: ws.id, name: 'Carol', slackUserId: 'UCAROL', teamId: south.id } });
  const otherRep = await p.rep.create({ data: { workspaceId: other.id, name: 'Olga' } });

  const deals: Record<string, number> = {};
  const deal = async (
    key: string,
    data: {
      ownerId: number;
      status: 'won' | 'lost' | 'open';
      type?: string;
      amount: bigint;
      created: string;
      closed?: string;
      maxStageIndex: number;
      discount?: bigint;
      recurring?: bigint;
      subStart?: string;
      subEnd?: string;
      workspaceId?: number;
    },
  ) => {
    const row = await p.deal.create({
      data: {
        workspaceId: data.workspaceId ?? ws.id,
        ownerId: data.ownerId,
        customer: `Customer ${key}`,
        amountMinor: data.amount,
        currency: 'USD',
        amountReportingMinor: data.amount,
        type: data.type ?? 'new',
        stage: data.status === 'open' ? 'demo' : data.status,
        status: data.status,
        maxStageIndex: data.maxStageIndex,
        createdAt: d(data.created),
        closedAt: data.closed ? d(data.closed) : null,
        ...(data.discount !== undefined ? { discountMinor: data.discount, discountReportingMinor: data.discount } : {}),
        ...(data.recurring !== undefined ? { recurringMonthlyMinor: data.recurring, recurringReportingMinor: data.recurring } : {}),
        subscriptionStart: data.subStart ? d(data.subStart) : null,
        subscriptionEnd: data.subEnd ? d(data.subEnd) : null,
      },
    });
    deals[key] = row.id;
  };
  await deal('D1', { ownerId: alice.id, status: 'won', amount: 1000n, created: '2025-09-05T10:00:00Z', closed: '2025-09-20T10:00:00Z', maxStageIndex: 4 });
  await deal('D2', { ownerId: bob.id, status: 'lost', amount: 700n, created: '2025-09-03T10:00:00Z', closed: '2025-09-25T10:00:00Z', maxStageIndex: 2 });
  await deal('D3', { ownerId: alice.id, status: 'won', amount: 3000n, created: '2025-10-02T10:00:00Z', closed: '2025-10-10T10:00:00Z', maxStageIndex: 4, discount: 300n });
  await deal('D4', {
    ownerId: alice.id,
    status: 'won',
    type: 'upsell',
    amount: 2000n,
    created: '2025-09-15T10:00:00Z',
    closed: '2025-10-12T10:00:00Z',
    maxStageIndex: 4,
    recurring: 200n,
    subStart: '2025-10-12T10:00:00Z',
  });
  await deal('D5', {
    ownerId: bob.id,
    status: 'won',
    type: 'renewal',
    amount: 1000n,
    created: '2025-10-05T10:00:00Z',
    closed: '2025-10-20T10:00:00Z',
    maxStageIndex: 4,
    discount: 0n,
    recurring: 100n,
    subStart: '2025-10-20T10:00:00Z',
    subEnd: '2025-12-31T00:00:00Z',
  });
  await deal('D6', { ownerId: bob.id, status: 'lost', amount: 900n, created: '2025-10-03T10:00:00Z', closed: '2025-10-25T10:00:00Z', maxStageIndex: 2 });
  await deal('D7', { ownerId: carol.id, status: 'lost', amount: 800n, created: '2025-10-07T10:00:00Z', closed: '2025-10-28T10:00:00Z', maxStageIndex: 1 });
  await deal('D8', { ownerId: carol.id, status: 'open', amount: 20000n, created: '2025-10-08T10:00:00Z', maxStageIndex: 3 });
  await deal('D9', { ownerId: alice.id, status: 'open', amount: 500n, created: '2025-10-09T10:00:00Z', maxStageIndex: 0 });
  await deal('D10', { ownerId: carol.id, status: 'won', amount: 4000n, created: '2025-10-01T10:00:00Z', closed: '2025-11-01T00:00:00Z', maxStageIndex: 4 });
  await deal('D11', { ownerId: carol.id, status: 'won', amount: 1500n, created: '2025-09-28T10:00:00Z', closed: '2025-10-01T00:00:00Z', maxStageIndex: 4 });
  await deal('D12', {
    ownerId: bob.id,
    status: 'won',
    amount: 600n,
    created: '2025-08-01T10:00:00Z',
    closed: '2025-08-10T10:00:00Z',
    maxStageIndex: 4,
    recurring: 50n,
    subStart: '2025-08-10T10:00:00Z',
    subEnd: '2025-10-15T00:00:00Z',
  });
  await deal('X1', {
    workspaceId: other.id,
    ownerId: otherRep.id,
    status: 'won',
    amount: 99999n,
    created: '2025-10-02T10:00:00Z',
    closed: '2025-10-10T10:00:00Z',
    maxStageIndex: 4,
    recurring: 999n,
    subStart: '2025-10-10T10:00:00Z',
  });

  const refund = (workspaceId: number, dealId: number | null, amount: bigint, at: string) =>
    p.refund.create({ data: { workspaceId, dealId, amountMinor: amount, currency: 'USD', amountReportingMinor: amount, recordedAt: d(at) } });
  await refund(ws.id, deals['D3'] ?? null, 500n, '2025-10-15T10:00:00Z');
  await refund(ws.id, null, 100n, '2025-10-18T10:00:00Z');
  await refund(ws.id, deals['D1'] ?? null, 200n, '2025-09-10T10:00:00Z');
  await refund(other.id, deals['X1'] ?? null, 7777n, '2025-10-15T10:00:00Z');

  const quota = (data: { repId?: number; teamId?: number; kind: string; start: string; end: string; amount: bigint; workspaceId?: number }) =>
    p.quota.create({
      data: {
        workspaceId: data.workspaceId ?? ws.id,
        repId: data.repId ?? null,
        teamId: data.teamId ?? null,
        periodKind: data.kind,
        periodStart: d(data.start),
        periodEnd: d(data.end),
        amountMinor: data.amount,
        currency: 'USD',
      },
    });
  await quota({ repId: alice.id, kind: 'month', start: '2025-10-01T00:00:00Z', end: '2025-11-01T00:00:00Z', amount: 4000n });
  await quota({ repId: alice.id, kind: 'quarter', start: '2025-10-01T00:00:00Z', end: '2026-01-01T00:00:00Z', amount: 15000n });
  await quota({ repId: alice.id, kind: 'month', start: '2025-09-01T00:00:00Z', end: '2025-10-01T00:00:00Z', amount: 3000n });
  await quota({ repId: bob.id, kind: 'quarter', start: '2025-10-01T00:00:00Z', end: '2026-01-01T00:00:00Z', amount: 9200n });
  await quota({ teamId: north.id, kind: 'month', start: '2025-10-01T00:00:00Z', end: '2025-11-01T00:00:00Z', amount: 10000n });
  await quota({ workspaceId: other.id, repId: otherRep.id, kind: 'month', start: '2025-10-01T00:00:00Z', end: '2025-11-01T00:00:00Z', amount: 1n });

  const leads = (data: { repId?: number; start: string; end: string; count: number; workspaceId?: number }) =>
    p.leadCount.create({
      data: { workspaceId: data.workspaceId ?? ws.id, repId: data.repId ?? null, periodStart: d(data.start), periodEnd: d(data.end), count: data.count },
    });
  await leads({ start: '2025-10-01T00:00:00Z', end: '2025-11-01T00:00:00Z', count: 40 });
  await leads({ start: '2025-09-16T00:00:00Z', end: '2025-10-16T00:00:00Z', count: 30 });
  await leads({ start: '2025-11-01T00:00:00Z', end: '2025-12-01T00:00:00Z', count: 100 });
  await leads({ repId: alice.id, start: '2025-10-01T00:00:00Z', end: '2025-10-11T00:00:00Z', count: 10 });
  await leads({ workspaceId: other.id, start: '2025-10-01T00:00:00Z', end: '2025-11-01T00:00:00Z', count: 1000 });

  return { ws, alice: alice.id, bob: bob.id, carol: carol.id, north: north.id, south: south.id, deals };
}

describe.each(testEngines())('metrics queries on %s', (dialect) => {
  let t: TestDatabase;
  let db: Db;
  let s: Seeded;
  let wid: number;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    db = t.db;
    s = await seed(db);
    wid = s.ws.id;
  });
  afterAll(async () => {
    await t?.drop();
  });

  const team = (): TScope => ({ kind: 'team', teamId: s.north });
  const rep = (id: number): TScope => ({ kind: 'rep', repId: id });

  test('won/lost closed in the range, range bounds [start, end)', async () => {
    expect(await closedDealTotals(db, { workspaceId: wid, range: OCT, scope: WS })).toEqual({ wonCount: 4, wonMinor: 7500n, lostCount: 2 });
    expect(await closedDealTotals(db, { workspaceId: wid, range: SEP, scope: WS })).toEqual({ wonCount: 1, wonMinor: 1000n, lostCount: 1 });
    expect(await closedDealTotals(db, { workspaceId: wid, range: NOV, scope: WS })).toEqual({ wonCount: 1, wonMinor: 4000n, lostCount: 0 });
    expect(await closedDealTotals(db, { workspaceId: wid, range: OCT, scope: team() })).toEqual({ wonCount: 3, wonMinor: 6000n, lostCount: 1 });
    expect(await closedDealTotals(db, { workspaceId: wid, range: OCT, scope: rep(s.carol) })).toEqual({ wonCount: 1, wonMinor: 1500n, lostCount: 1 });
    const empty = { start: d('2020-01-01T00:00:00Z'), end: d('2020-02-01T00:00:00Z') };
    expect(await closedDealTotals(db, { workspaceId: wid, range: empty, scope: WS })).toEqual({ wonCount: 0, wonMinor: 0n, lostCount: 0 });
  });

  test('series: several ranges in one go, duplicates and overlaps handled', async () => {
    const series = await closedDealSeries(db, { workspaceId: wid, scope: WS, ranges: [SEP, OCT, AUG] });
    expect(series).toEqual([
      { wonCount: 1, wonMinor: 1000n, lostCount: 1 },
      { wonCount: 4, wonMinor: 7500n, lostCount: 2 },
      { wonCount: 1, wonMinor: 600n, lostCount: 0 },
    ]);
    const gap = await closedDealSeries(db, { workspaceId: wid, scope: WS, ranges: [AUG, OCT] });
    expect(gap[0]).toEqual({ wonCount: 1, wonMinor: 600n, lostCount: 0 }); // September is not in any bucket
    const dup = await closedDealSeries(db, { workspaceId: wid, scope: WS, ranges: [OCT, SEP, OCT] });
    expect(dup[0]).toEqual(dup[2]);
    const q = { start: SEP.start, end: OCT.end };
    const overlapping = await closedDealSeries(db, { workspaceId: wid, scope: WS, ranges: [OCT, q] });
    expect(overlapping).toEqual([
      { wonCount: 4, wonMinor: 7500n, lostCount: 2 },
      { wonCount: 5, wonMinor: 8500n, lostCount: 3 },
    ]);
    expect(await closedDealSeries(db, { workspaceId: wid, scope: WS, ranges: [] })).toEqual([]);
  });

  test('closed by owner with rep identity', async () => {
    const rows = await closedByOwner(db, { workspaceId: wid, range: OCT, scope: WS });
    expect(rows).toEqual([
      { repId: s.alice, name: 'Alice', slackUserId: 'UALICE', teamId: s.north, wonCount: 2, wonMinor: 5000n, lostCount: 0 },
      { repId: s.carol, name: 'Carol', slackUserId: 'UCAROL', teamId: s.south, wonCount: 1, wonMinor: 1500n, lostCount: 1 },
      { repId: s.bob, name: 'Bob', slackUserId: 'UBOB', teamId: s.north, wonCount: 1, wonMinor: 1000n, lostCount: 1 },
    ]);
    expect((await closedByOwner(db, { workspaceId: wid, range: OCT, scope: team() })).map((r) => r.repId)).toEqual([s.alice, s.bob]);
  });

  test('won by type', async () => {
    expect(await wonByType(db, { workspaceId: wid, range: OCT, scope: WS })).toEqual({
      new: { count: 2, wonMinor: 4500n },
      upsell: { count: 1, wonMinor: 2000n },
      renewal: { count: 1, wonMinor: 1000n },
    });
    expect(await wonByType(db, { workspaceId: wid, range: OCT, scope: rep(s.bob) })).toEqual({
      new: { count: 0, wonMinor: 0n },
      upsell: { count: 0, wonMinor: 0n },
      renewal: { count: 1, wonMinor: 1000n },
    });
  });

  test('refunds: total, by owner, by type, unassigned; scoped', async () => {
    expect(await refundsInRange(db, { workspaceId: wid, range: OCT, scope: WS })).toEqual({
      totalMinor: 600n,
      count: 2,
      byOwner: [{ repId: s.alice, refundsMinor: 500n }],
      byType: { new: 500n, upsell: 0n, renewal: 0n },
      unassignedMinor: 100n,
    });
    const aliceOnly = await refundsInRange(db, { workspaceId: wid, range: OCT, scope: rep(s.alice) });
    expect(aliceOnly.totalMinor).toBe(500n);
    expect(aliceOnly.unassignedMinor).toBe(0n);
    expect((await refundsInRange(db, { workspaceId: wid, range: OCT, scope: rep(s.carol) })).totalMinor).toBe(0n);
    expect(await refundSeries(db, { workspaceId: wid, scope: WS, ranges: [SEP, OCT, NOV] })).toEqual([200n, 600n, 0n]);
  });

  test('cohort: deals created in the range and won by now', async () => {
    expect(await cohortInRange(db, { workspaceId: wid, range: OCT, scope: WS })).toEqual({ created: 7, won: 3, lost: 2, open: 2 });
    expect(await cohortInRange(db, { workspaceId: wid, range: OCT, scope: team() })).toEqual({ created: 4, won: 2, lost: 1, open: 1 });
    expect(await cohortSeries(db, { workspaceId: wid, scope: WS, ranges: [SEP, OCT] })).toEqual([
      { created: 4, won: 3, lost: 1, open: 0 },
      { created: 7, won: 3, lost: 2, open: 2 },
    ]);
  });


  test('funnel reached counts (one GROUP BY)', async () => {
    expect(await funnelReachedCounts(db, { workspaceId: wid, range: OCT, scope: WS, stageCount: 4 })).toEqual([7, 6, 5, 4, 3]);
    expect(await funnelReachedCounts(db, { workspaceId: wid, range: OCT, scope: team(), stageCount: 4 })).toEqual([4, 3, 3, 2, 2]);
    // Three open stages configured: deals that got further than the last open stage clamp to it.
    expect(await funnelReachedCounts(db, { workspaceId: wid, range: OCT, scope: WS, stageCount: 3 })).toEqual([7, 6, 5, 3]);
    expect(await funnelSeries(db, { workspaceId: wid, scope: WS, ranges: [SEP, OCT], stageCount: 4 })).toEqual([
      [4, 4, 4, 3, 3],
      [7, 6, 5, 4, 3],
    ]);
  });

  test('MRR at an instant: active subscriptions only', async () => {
    expect(await mrrAt(db, { workspaceId: wid, scope: WS, instant: OCT.end })).toMatchObject({ mrrMinor: 300n, subscriptions: 2 });
    expect(await mrrAt(db, { workspaceId: wid, scope: WS, instant: OCT.start })).toMatchObject({ mrrMinor: 50n, subscriptions: 1 });
    // Ends are inclusive: a subscription ending at the instant still counts.
    expect(await mrrAt(db, { workspaceId: wid, scope: WS, instant: d('2025-10-15T00:00:00Z') })).toMatchObject({ mrrMinor: 250n, subscriptions: 2 });
    const series = await mrrAtInstants(db, { workspaceId: wid, scope: rep(s.bob), instants: [OCT.start, OCT.end, d('2026-01-01T00:00:00Z')] });
    expect(series.map((m) => m.mrrMinor)).toEqual([50n, 100n, 0n]);
  });

  test('won deals per rep over a lookback', async () => {
    const lookback = { start: AUG.start, end: OCT.end };
    const r = await wonByRepOverLookback(db, { workspaceId: wid, range: lookback, scope: WS });
    expect(r.total).toEqual({ wonCount: 6, wonMinor: 9100n });
    const byId = new Map(r.reps.map((x) => [x.repId, x]));
    expect(byId.get(s.alice)).toMatchObject({ wonCount: 3, wonMinor: 6000n });
    expect(byId.get(s.bob)).toMatchObject({ wonCount: 2, wonMinor: 1600n });
    expect(byId.get(s.carol)).toMatchObject({ wonCount: 1, wonMinor: 1500n });
  });

  test('open deals: biggest first, limited, thresholded, scoped', async () => {
    const all = await openDeals(db, { workspaceId: wid, scope: WS });
    expect(all.map((o) => [o.customer, o.amountMinor, o.ownerName])).toEqual([
      ['Customer D8', 20000n, 'Carol'],
      ['Customer D9', 500n, 'Alice'],
    ]);
    expect(all[0]?.createdAt.toISOString()).toBe('2025-10-08T10:00:00.000Z');
    expect(all[0]?.ownerTeamId).toBe(s.south);
    expect(await openDeals(db, { workspaceId: wid, scope: WS, limit: 1 })).toHaveLength(1);
    expect((await openDeals(db, { workspaceId: wid, scope: WS, minAmountMinor: 501n })).map((o) => o.customer)).toEqual(['Customer D8']);
    expect((await openDeals(db, { workspaceId: wid, scope: rep(s.alice) })).map((o) => o.customer)).toEqual(['Customer D9']);
  });

  test('open deals at a past instant: created before it and not closed by it, with their stage then', async () => {
    const p = db.prisma;
    // D13: open through the end of October, won on Nov 5; its stage moves are recorded.
    const d13 = await p.deal.create({
      data: { workspaceId: wid, ownerId: s.alice, customer: 'Customer D13', amountMinor: 50000n, currency: 'USD', amountReportingMinor: 50000n, type: 'new', stage: 'won', status: 'won', maxStageIndex: 4, createdAt: d('2025-10-20T10:00:00Z'), closedAt: d('2025-11-05T10:00:00Z') },
    });
    const move = (dealId: number, toStage: string, at: string) => ({ workspaceId: wid, dealId, fromStage: null, toStage, changedAt: d(at) });
    await p.dealStageChange.createMany({
      data: [
        move(d13.id, 'lead', '2025-10-20T10:00:00Z'),
        move(d13.id, 'proposal', '2025-10-25T10:00:00Z'),
        move(d13.id, 'won', '2025-11-05T10:00:00Z'),
        move(s.deals['D8']!, 'lead', '2025-10-08T10:00:00Z'),
        move(s.deals['D8']!, 'demo', '2025-10-20T10:00:00Z'),
      ],
    });
    try {
      const at = async (iso: string | null, scope: TScope = WS) =>
        (await openDeals(db, { workspaceId: wid, scope, openAt: iso === null ? null : d(iso) })).map((o) => [o.customer, o.amountMinor, o.stage]);
      // Today: only the deals open now.
      expect(await at(null)).toEqual([
        ['Customer D8', 20000n, 'demo'],
        ['Customer D9', 500n, 'demo'],
      ]);
      // The end of October: D13 (won later) and D10 (won exactly at the end) were still open.
      expect(await at(OCT.end.toISOString())).toEqual([
        ['Customer D13', 50000n, 'proposal'],
        ['Customer D8', 20000n, 'demo'],
        ['Customer D10', 4000n, 'open'],
        ['Customer D9', 500n, 'demo'],
      ]);
      // Mid-October: D13 did not exist yet; D5–D7 were still open; D8 was a lead then.
      expect(await at('2025-10-15T00:00:00Z')).toEqual([
        ['Customer D8', 20000n, 'lead'],
        ['Customer D10', 4000n, 'open'],
        ['Customer D5', 1000n, 'open'],
        ['Customer D6', 900n, 'open'],
        ['Customer D7', 800n, 'open'],
        ['Customer D9', 500n, 'demo'],
      ]);
      expect(await at(OCT.end.toISOString(), rep(s.alice))).toEqual([
        ['Customer D13', 50000n, 'proposal'],
        ['Customer D9', 500n, 'demo'],
      ]);
      expect((await openDeals(db, { workspaceId: wid, scope: WS, openAt: OCT.end, limit: 2, minAmountMinor: 1000n })).map((o) => o.customer)).toEqual(['Customer D13', 'Customer D8']);

      // The deal-size report of an ended October flags what was oversized at its end; alerts ask for today's pipeline.
      const report = (now: Date, openDealsAt?: 'now') =>
        buildKpiReport({ db, workspace: s.ws, kpi: 'dealsize', range: OCT, scope: WS, now, options: { lookback: { start: AUG.start, end: OCT.end }, ...(openDealsAt ? { openDealsAt } : {}) } });
      const ended = await report(d('2025-12-02T09:00:00Z'));
      expect(ended.oversizedDeals.map((o) => o.deal.customer)).toEqual(['Customer D13', 'Customer D8']);
      expect(ended.openDealsAsOf).toEqual(OCT.end);
      const judgedNow = await report(d('2025-12-02T09:00:00Z'), 'now');
      expect(judgedNow.oversizedDeals.map((o) => o.deal.customer)).toEqual(['Customer D8']);
      expect(judgedNow.openDealsAsOf).toEqual(d('2025-12-02T09:00:00Z'));
      const running = await report(d('2025-10-16T12:00:00Z'));
      expect(running.oversizedDeals.map((o) => o.deal.customer)).toEqual(['Customer D8']);
    } finally {
      await p.dealStageChange.deleteMany({ where: { workspaceId: wid } });
      await p.deal.delete({ where: { id: d13.id } });
    }
  });

  test('discounts per rep', async () => {
    expect(await discountByRep(db, { workspaceId: wid, range: OCT, scope: WS })).toEqual(
      [
        { repId: s.alice, wonCount: 2, discountedDeals: 1, discountMinor: 300n, discountedWonMinor: 3000n },
        { repId: s.bob, wonCount: 1, discountedDeals: 1, discountMinor: 0n, discountedWonMinor: 1000n },
        { repId: s.carol, wonCount: 1, discountedDeals: 0, discountMinor: 0n, discountedWonMinor: 0n },
      ].sort((a, b) => a.repId - b.repId),
    );
  });

  test('quotas: inside summed, containing pro-rated, other months and workspaces ignored', async () => {
    const q = await quotasInRange(db, { workspaceId: wid, range: OCT, scope: WS });
    expect(q.reps.map((r) => [r.repId, r.quotaMinor, r.method])).toEqual([
      [s.alice, 4000n, 'inside'],
      [s.bob, 3100n, 'prorated'],
    ]);
    expect(q.teams.map((t) => [t.teamId, t.quotaMinor])).toEqual([[s.north, 10000n]]);
    const q4 = await quotasInRange(db, { workspaceId: wid, range: { start: OCT.start, end: d('2026-01-01T00:00:00Z') }, scope: rep(s.alice) });
    expect(q4.reps.map((r) => r.quotaMinor)).toEqual([15000n]);
    const south = await quotasInRange(db, { workspaceId: wid, range: OCT, scope: { kind: 'team', teamId: s.south } });
    expect(south).toEqual({ reps: [], teams: [] });
    const sep = await quotasInRange(db, { workspaceId: wid, range: SEP, scope: WS });
    expect(sep.reps.map((r) => [r.repId, r.quotaMinor])).toEqual([[s.alice, 3000n]]);
  });

  describe('buildKpiReport', () => {
    const now = d('2025-10-16T12:00:00Z'); // half of October elapsed
    const build = <K extends Parameters<typeof buildKpiReport>[0]['kpi']>(kpi: K, scope: TScope = WS, extra: object = {}) =>
      buildKpiReport({ db, workspace: s.ws, kpi, range: OCT, previousRange: SEP, trailingRanges: [SEP, AUG], scope, now, ...extra });

    test('winrate', async () => {
      const r = await build('winrate');
      expect(r.current).toMatchObject({ won: 4, closed: 6 });
      expect(r.current.rate).toBeCloseTo(4 / 6, 10);
      expect(r.previous?.rate).toBe(0.5);
      expect(r.trailing.map((x) => x.rate)).toEqual([1, 0.5]); // Aug then Sep (oldest first)
      expect(r.trailingAverage.rate).toBeCloseTo(2 / 3, 10);
      expect(r.byRep.map((x) => x.rep.name)).toEqual(['Alice', 'Bob', 'Carol']);
      expect(r.currency).toBe('USD');
    });

    test('conversion', async () => {
      const r = await build('conversion');
      // Workspace-wide counts are the total (countLeads): October's 40 + half of the Sep 16 – Oct 16
      // count (15); Alice's own count (10) is part of them, not added.
      expect(r.current).toMatchObject({ leads: 55, converted: 3, dealsCreated: 7, bulkLeads: 55, leadsSource: 'lead-counts', coveredLogged: 7 });
      expect(r.previous).toMatchObject({ leads: 15, converted: 3, dealsCreated: 4, bulkLeads: 15, leadsSource: 'lead-counts' });
      expect(r.winRate.won).toBe(4);
      // Conversion fell (20% → 4.6%) while more deals were won, at a bigger average deal.
      expect(r.reading).toMatchObject({ reading: 'mixed', upMarketCaveat: true });
    });

    test('quota with pacing', async () => {
      const r = await build('quota');
      expect(r.elapsedShare).toBeCloseTo(0.5, 10);
      expect(r.reps.map((x) => [x.rep.name, x.netWonMinor, x.quota?.quotaMinor ?? null, x.pacing.status])).toEqual([
        ['Alice', 4500n, 4000n, 'on-track'],
        ['Bob', 1000n, 3100n, 'at-risk'],
        ['Carol', 1500n, null, null],
      ]);
      expect(r.ratio).toMatchObject({ ratio: 0.5, withQuota: 2, atOrAbove: 1 });
      expect(r.band.band).toBe('unrealistic');
      expect(r.total).toMatchObject({ netWonMinor: 6900n, quotaMinor: 7100n, quotaSource: 'reps' });
      const north = await build('quota', team());
      expect(north.total).toMatchObject({ netWonMinor: 5500n, quotaMinor: 10000n, quotaSource: 'team' });
    });

    test('dealsize with oversized deals and reps below average', async () => {
      const r = await build('dealsize', WS, { options: { lookback: { start: AUG.start, end: OCT.end } } });
      expect(r.current.averageMinor).toBe(1875n);
      expect(r.previous?.averageMinor).toBe(1000n);
      expect(r.groupAverageMinor).toBe(1875n);
      expect(r.repsBelowAverage.map((x) => x.rep.name)).toEqual(['Bob', 'Carol']);
      expect(r.discount).toMatchObject({ discountedDeals: 2, discountMinor: 300n });
      expect(r.oversizedDeals).toHaveLength(1);
      expect(r.oversizedDeals[0]).toMatchObject({ baselineMinor: 1500n, baselineSource: 'rep', carriesMostOfGap: false, gapMinor: null });
      expect(r.oversizedDeals[0]?.deal.customer).toBe('Customer D8');
    });

    test('revenue and mix', async () => {
      const r = await build('revenue');
      expect(r.current).toEqual({ wonMinor: 7500n, refundsMinor: 600n, netMinor: 6900n });
      expect(r.previous).toEqual({ wonMinor: 1000n, refundsMinor: 200n, netMinor: 800n });
      expect(r.mix?.pct).toEqual({ new: 57.1, upsell: 28.6, renewal: 14.3 });
      expect(r.unassignedRefundsMinor).toBe(100n);
    });

    test('mrr, funnel, plan, leaderboard', async () => {
      const mrr = await build('mrr');
      // Read at `now` (Oct 16): D4 only (D12 ended Oct 15, D5 starts Oct 20).
      expect(mrr.current).toMatchObject({ asOf: now, mrrMinor: 200n, arrMinor: 2400n, subscriptions: 1 });
      expect(mrr.previous).toMatchObject({ mrrMinor: 50n });
      const f = await build('funnel');
      expect(f.funnel.reachedCounts).toEqual([7, 6, 5, 4, 3]);
      expect(f.leak?.step).toMatchObject({ from: 'proposal', to: 'won' });
      const plan = await build('plan', WS, { options: { targetMinor: 10_000n } });
      expect(plan).toMatchObject({ targetSource: 'option', netWonToDateMinor: 6900n, remainingMinor: 3100n });
      const lb = await build('leaderboard');
      expect(lb.rows.map((x) => [x.rank, x.rep.name, x.netWonMinor])).toEqual([
        [1, 'Alice', 4500n],
        [2, 'Carol', 1500n],
        [3, 'Bob', 1000n],
      ]);
    });
  });
});
