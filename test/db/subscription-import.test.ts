import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { genericMapping, importDeals, parseCsv } from '../../src/domain/imports/index.js';
import { buildKpiReport } from '../../src/domain/metrics/index.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/test-db.js';

const NOW = new Date('2026-12-10T12:00:00Z');
const FILE = 'datasets/examples/generic-subscriptions.csv';
const month = (m: number) => ({ start: new Date(Date.UTC(2026, m - 1, 1)), end: new Date(Date.UTC(2026, m, 1)) });

describe.each(testEngines())('importing subscriptions (generic CSV) on %s', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
  });
  afterAll(async () => t?.drop());

  const run = (text: string, file = 'subs.csv') => {
    const table = parseCsv(text, file);
    return importDeals({ db: t.db, workspaceTeamId: 'TSUBS', rows: table.rows, columns: table.columns, file, mapping: genericMapping(), now: NOW, workspaceDefaults: { currency: 'VND', timeZone: 'UTC' } });
  };
  const mrr = async (m: number) => {
    const workspace = await t.db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: 'TSUBS' } });
    return buildKpiReport({ db: t.db, workspace, kpi: 'mrr', range: month(m), scope: { kind: 'workspace' }, now: NOW });
  };

  test('the example file: starts, ends and MRR changes give each month its MRR and movements; re-import is idempotent', async () => {
    const text = readFileSync(FILE, 'utf8');
    const first = await run(text);
    expect(first).toMatchObject({ refused: false, imported: 5, updated: 0, issues: [] });
    expect(await t.db.prisma.subscriptionChange.count()).toBe(3);

    const oct = await mrr(10);
    expect(oct.current.mrrMinor).toBe(45_000_000n); // 4 × 10m + 5m
    const nov = await mrr(11);
    // Globex 10m→15m, Initech 10m→8m, Saigon Foods churned.
    expect(nov.current.mrrMinor).toBe(38_000_000n); // 10 + 15 + 0 + 8 + 5
    expect(nov.movements).toMatchObject({ startMrrMinor: 45_000_000n, expansionMinor: 5_000_000n, contractionMinor: 2_000_000n, churnedMinor: 10_000_000n, newMinor: 0n, netChangeMinor: -7_000_000n });
    const dec = await mrr(12);
    expect(dec.current.mrrMinor).toBe(42_000_000n); // Initech 8m→12m
    expect(dec.movements.expansionMinor).toBe(4_000_000n);

    const again = await run(text);
    expect(again).toMatchObject({ imported: 0, updated: 0, unchanged: 5 });
    expect(await t.db.prisma.subscriptionChange.count()).toBe(3);
    expect((await mrr(12)).current.mrrMinor).toBe(42_000_000n);
  });

  test('a changed file updates the changes (amount changed, one removed), leaving changes made in Slack alone', async () => {
    const deal = await t.db.prisma.deal.findFirstOrThrow({ where: { externalId: 'SUB-1' } });
    await t.db.prisma.subscriptionChange.create({ data: { workspaceId: deal.workspaceId, dealId: deal.id, effectiveAt: new Date('2026-12-01T00:00:00Z'), monthlyMinor: 11_000_000n, currency: 'VND', monthlyReportingMinor: 11_000_000n, requestKey: 'cmd:slack' } });
    const text = readFileSync(FILE, 'utf8').replace('2026-11-01=8m; 2026-12-01=12m', '2026-11-01=9m').replace('2026-11-01=15m', '2026-11-01=16m');
    const report = await run(text);
    expect(report).toMatchObject({ imported: 0, updated: 2, unchanged: 3 });
    const changes = await t.db.prisma.subscriptionChange.findMany({ orderBy: { id: 'asc' } });
    expect(changes.map((c) => [c.externalId, c.monthlyMinor])).toEqual([
      ['SUB-2#mrr:2026-11-01T00:00:00.000Z', 16_000_000n],
      ['SUB-4#mrr:2026-11-01T00:00:00.000Z', 9_000_000n],
      [null, 11_000_000n],
    ]);
    // Oct 45m; Nov: 10 + 16 + 9 + 5 = 40m (Saigon gone); Dec: Acme 11m (Slack) → 41m.
    expect((await mrr(11)).current.mrrMinor).toBe(40_000_000n);
    expect((await mrr(12)).current.mrrMinor).toBe(41_000_000n);
  });

  test('bad subscription cells are refused with line and reason, nothing written', async () => {
    const before = await t.db.prisma.subscriptionChange.count();
    const header = 'external_id,owner,customer,amount,status,closed_at,recurring_monthly,subscription_start,subscription_end,mrr_changes';
    const report = await run(
      [
        header,
        'B1,Dana,Bad End,1m,won,2026-10-10,1m,,2026-10-01,',
        'B2,Dana,Bad Change,1m,won,2026-10-10,1m,,,2026-09-01=2m',
        'B3,Dana,No Sub,1m,won,2026-10-10,,,2026-11-01,',
        'B4,Dana,Bad Amount,1m,won,2026-10-10,1m,,,2026-11-01=lots',
        'B5,Dana,Future,1m,won,2026-10-10,1m,,2027-01-01,',
        'B6,Dana,Change After End,1m,won,2026-10-10,1m,,2026-11-01,2026-11-15=2m',
      ].join('\n'),
    );
    expect(report.refused).toBe(true);
    expect(report.issues.map((i) => [i.line, i.field, i.kind])).toEqual([
      [2, 'subscription_end', 'before the start'],
      [3, 'mrr_changes', 'before the start'],
      [4, 'subscription_end', 'not a subscription'],
      [5, 'mrr_changes', 'not an amount'],
      [6, 'subscription_end', 'in the future'],
      [7, 'mrr_changes', 'after the end'],
    ]);
    expect(await t.db.prisma.subscriptionChange.count()).toBe(before);
    expect(await t.db.prisma.deal.count({ where: { externalId: { startsWith: 'B' } } })).toBe(0);
  });
});
