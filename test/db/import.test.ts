import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  genericMapping,
  importDeals,
  importMavenFolder,
  mavenCrmMapping,
  NO_ACCOUNT,
  parseCsv,
  type TCsvTable,
  type TImportReport,
  type TMavenSideFiles,
} from '../../src/domain/imports/index.js';
import { customerKey } from '../../src/shared/customer-key.js';
import { insertDealsBatch } from '../../src/storage/bulk-insert.js';
import { toBigInt, toNumber, type Db } from '../../src/storage/db.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/test-db.js';

const DIR = resolve(import.meta.dirname, '../../datasets/maven-crm');
const read = (name: string): TCsvTable => parseCsv(readFileSync(join(DIR, name)), name);

/**
 * An independent reading of sales_pipeline.csv: plain line and comma splitting (the file has no
 * quoted fields), not the importer's CSV reader or mapping.
 */
function independentCounts(): { byStage: Record<string, number>; wonDollars: bigint; agents: Set<string>; blankAccount: number; gtxPro: number } {
  const text = readFileSync(join(DIR, 'sales_pipeline.csv'), 'utf8');
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = (lines.shift() ?? '').split(',');
  const col = (name: string): number => header.indexOf(name);
  const byStage: Record<string, number> = {};
  let wonDollars = 0n;
  let blankAccount = 0;
  let gtxPro = 0;
  const agents = new Set<string>();
  for (const line of lines) {
    const f = line.split(',');
    const stage = f[col('deal_stage')] ?? '';
    byStage[stage] = (byStage[stage] ?? 0) + 1;
    if (stage === 'Won') wonDollars += BigInt(f[col('close_value')] ?? '0');
    agents.add(f[col('sales_agent')] ?? '');
    if ((f[col('account')] ?? '') === '') blankAccount++;
    if (f[col('product')] === 'GTXPro') gtxPro++;
  }
  return { byStage, wonDollars, agents, blankAccount, gtxPro };
}

async function workspaceId(db: Db, teamId: string): Promise<number | null> {
  return (await db.prisma.workspace.findUnique({ where: { slackTeamId: teamId } }))?.id ?? null;
}

/** Row counts and a checksum over every stored deal field an import writes. */
async function snapshot(db: Db, wsId: number) {
  const deals = await db.query(
    `SELECT "externalId", "ownerId", "customer", "amountMinor", "amountReportingMinor", "status", "stage", "maxStageIndex", "createdAt", "closedAt", "notes", "updatedAt"
       FROM "Deal" WHERE "workspaceId" = ? ORDER BY "externalId"`,
    [wsId],
  );
  const hash = createHash('sha256');
  let amount = 0n;
  for (const d of deals) {
    amount += toBigInt(d['amountMinor']);
    hash.update(JSON.stringify(Object.values(d), (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Date ? v.toISOString() : v)));
  }
  const [counts] = await db.query(
    `SELECT (SELECT COUNT(*) FROM "Deal" WHERE "workspaceId" = ?) AS deals, (SELECT COUNT(*) FROM "Rep" WHERE "workspaceId" = ?) AS reps,
            (SELECT COUNT(*) FROM "SalesTeam" WHERE "workspaceId" = ?) AS teams, (SELECT COUNT(*) FROM "DealStageChange" WHERE "workspaceId" = ?) AS stage_changes,
            (SELECT COUNT(*) FROM "AuditEntry" WHERE "workspaceId" = ?) AS audits`,
    [wsId, wsId, wsId, wsId, wsId],
  );
  return {
    deals: toNumber(counts?.['deals']),
    reps: toNumber(counts?.['reps']),
    teams: toNumber(counts?.['teams']),
    stageChanges: toNumber(counts?.['stage_changes']),
    audits: toNumber(counts?.['audits']),
    amount,
    checksum: hash.digest('hex'),
  };
}

const GENERIC_BAD = [
  'external_id,owner,customer,amount,currency,status,stage,type,created_at,closed_at,lost_reason,discount,recurring_monthly',
  'G-1,Alice Nguyen,Acme,"$12,000",USD,won,,new,2025-01-05,2025-02-01,,500,',
  'G-2,Alice Nguyen,Beta,twelve,,open,demo,,2025-01-06,,,,', // line 3: bad amount
  'G-3,Bob Tran,Gamma,800,USD,lost,proposal,,2025-01-07,2025-03-01,price,,',
  'G-4,Bob Tran,,5k,,open,,,,,,,', // line 5: missing customer
  'G-5,Bob Tran,Delta,1.5m,,won,,upsell,,2025-02-20,,,100k',
  'G-6,Carol Le,Epsilon,0,,open,contacted,,,,,,',
].join('\r\n');

describe.each(testEngines())('CSV import on %s', (dialect) => {
  let t: TestDatabase;
  const pipeline = read('sales_pipeline.csv');
  const side: TMavenSideFiles = { salesTeams: read('sales_teams.csv'), products: read('products.csv'), accounts: read('accounts.csv') };
  const expected = independentCounts();
  const NOW = new Date('2026-11-27T10:00:00Z');
  let first: TImportReport;
  let firstMs = 0;

  const importMaven = (teamId: string, extra: { dryRun?: boolean; now?: Date; rows?: TCsvTable['rows'] } = {}) =>
    importDeals({
      db: t.db,
      workspaceTeamId: teamId,
      rows: extra.rows ?? pipeline.rows,
      columns: pipeline.columns,
      file: pipeline.file,
      mapping: mavenCrmMapping(side),
      now: extra.now ?? NOW,
      ...(extra.dryRun !== undefined ? { dryRun: extra.dryRun } : {}),
    });

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const started = performance.now();
    first = await importMaven('TDEMO');
    firstMs = performance.now() - started;
    console.log(`[${dialect}] imported ${first.imported} Maven deals in ${Math.round(firstMs)} ms (report: ${first.elapsedMs} ms)`);
  }, 120_000);
  afterAll(async () => t?.drop());

  test('the full Maven data set lands: 8,800 deals, counts by status and won total match the CSV', async () => {
    expect(pipeline.lineEndings).toBe('crlf');
    expect(first.refused).toBe(false);
    expect(first).toMatchObject({ rowsRead: 8800, imported: 8800, updated: 0, unchanged: 0, skipped: 0, teamsCreated: 6 });
    expect(first.workspace).toMatchObject({ slackTeamId: 'TDEMO', name: 'Demo workspace (Maven CRM)', created: true });
    const ws = await t.db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: 'TDEMO' } });
    expect(ws).toMatchObject({ currency: 'USD', timeZone: 'UTC' });

    const rows = await t.db.query(`SELECT "status", COUNT(*) AS n, CAST(SUM("amountMinor") AS BIGINT) AS total, CAST(SUM("amountReportingMinor") AS BIGINT) AS reporting FROM "Deal" WHERE "workspaceId" = ? GROUP BY "status"`, [ws.id]);
    const by = Object.fromEntries(rows.map((r) => [String(r['status']), { n: toNumber(r['n']), total: toBigInt(r['total']), reporting: toBigInt(r['reporting']) }]));
    expect(by['won']?.n).toBe(expected.byStage['Won']);
    expect(by['lost']?.n).toBe(expected.byStage['Lost']);
    expect(by['open']?.n).toBe((expected.byStage['Prospecting'] ?? 0) + (expected.byStage['Engaging'] ?? 0));
    expect(by['won']?.total).toBe(expected.wonDollars * 100n);
    expect(by['won']?.reporting).toBe(expected.wonDollars * 100n);
    expect(by['lost']?.total).toBe(0n); // Lost deals carry close_value 0, kept as 0
    expect(Object.values(by).reduce((s, x) => s + x.n, 0)).toBe(8800);
    // Sanity of the independent count itself (README: 8,800 opportunities).
    expect(Object.values(expected.byStage).reduce((s, n) => s + n, 0)).toBe(8800);

    const stages = await t.db.query(`SELECT "stage", "maxStageIndex", COUNT(*) AS n FROM "Deal" WHERE "workspaceId" = ? GROUP BY "stage", "maxStageIndex" ORDER BY "stage"`, [ws.id]);
    expect(stages.map((r) => [String(r['stage']), toNumber(r['maxStageIndex']), toNumber(r['n'])])).toEqual([
      ['contacted', 1, expected.byStage['Engaging']],
      ['lead', 0, expected.byStage['Prospecting']],
      ['lost', 1, expected.byStage['Lost']], // Lost: furthest stage unknown, treated as having reached 'contacted'
      ['won', 4, expected.byStage['Won']],
    ]);
  });

  test('reps: the 30 agents with deals, on their teams; the 5 roster-only agents are reported, not created', async () => {
    const wsId = (await workspaceId(t.db, 'TDEMO'))!;
    const reps = await t.db.prisma.rep.findMany({ where: { workspaceId: wsId }, include: { team: true } });
    expect(expected.agents.size).toBe(30);
    expect(reps).toHaveLength(30);
    expect(first.repsCreated).toBe(30);
    expect(first.repsAssignedToTeams).toBe(30);
    expect(new Set(reps.map((r) => r.name))).toEqual(expected.agents);
    for (const r of reps) {
      expect(r.importKey).toBe(`maven:${r.name}`);
      expect(r.slackUserId).toBeNull();
      expect(r.team).not.toBeNull();
    }
    expect(reps.find((r) => r.name === 'Anna Snelling')?.team?.name).toBe('Central (Dustin Brinkmann)');
    const rosterOnly = ['Carl Lin', 'Carol Thompson', 'Elizabeth Anderson', 'Mei-Mei Johns', 'Natalya Ivanova'];
    for (const name of rosterOnly) expect(reps.some((r) => r.name === name)).toBe(false);
    const warning = first.warnings.find((w) => w.includes('have no deals'));
    expect(warning).toBeDefined();
    for (const name of rosterOnly) expect(warning).toContain(name);
    expect(await t.db.prisma.salesTeam.count({ where: { workspaceId: wsId } })).toBe(6);
  });

  test('quirks: blank accounts, undated leads, product spelling and sector typo are reported, not fixed', async () => {
    const wsId = (await workspaceId(t.db, 'TDEMO'))!;
    expect(await t.db.prisma.deal.count({ where: { workspaceId: wsId, customer: NO_ACCOUNT } })).toBe(expected.blankAccount);
    expect(first.notes.join('\n')).toContain(`${expected.blankAccount.toLocaleString('en-US')} rows without an account`);
    // 500 Prospecting rows without engage_date enter the funnel on the file's latest date, at noon UTC.
    const undated = await t.db.prisma.deal.count({ where: { workspaceId: wsId, stage: 'lead', createdAt: new Date('2017-12-31T12:00:00Z') } });
    expect(undated).toBe(500);
    expect(first.notes.join('\n')).toMatch(/500 open leads without engage_date .*2017-12-31/);
    expect(await t.db.prisma.deal.count({ where: { workspaceId: wsId, notes: 'Product: GTXPro' } })).toBe(expected.gtxPro);
    expect(first.warnings.join('\n')).toContain('"GTXPro"; products.csv spells it "GTX Pro"');
    expect(first.warnings.join('\n')).toContain('"technolgy"');
    expect(first.notes.join('\n')).toContain('MRR/ARR and the new/upsell/renewal mix cannot be derived');
    const sample = await t.db.prisma.deal.findFirstOrThrow({ where: { workspaceId: wsId, externalId: '1C1I7A6R' } });
    expect(sample).toMatchObject({ status: 'won', amountMinor: 105400n, currency: 'USD', type: 'new', source: 'import', notes: 'Product: GTX Plus Basic' });
    expect(sample.createdAt.toISOString()).toBe('2016-10-20T12:00:00.000Z');
    expect(sample.closedAt?.toISOString()).toBe('2017-03-01T12:00:00.000Z');
    // One stage change per deal (its final stage) and one audit entry for the whole import.
    expect(await t.db.prisma.dealStageChange.count({ where: { workspaceId: wsId } })).toBe(8800);
    const change = await t.db.prisma.dealStageChange.findFirstOrThrow({ where: { dealId: sample.id } });
    expect(change).toMatchObject({ fromStage: null, toStage: 'won' });
    expect(change.changedAt.toISOString()).toBe('2017-03-01T12:00:00.000Z');
    const audits = await t.db.prisma.auditEntry.findMany({ where: { workspaceId: wsId } });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ entity: 'import', action: 'create', actorRepId: null });
    expect(JSON.parse(audits[0]?.after ?? '{}')).toMatchObject({ imported: 8800, repsCreated: 30, teamsCreated: 6 });
  });

  test('importing the same files twice changes nothing', async () => {
    const wsId = (await workspaceId(t.db, 'TDEMO'))!;
    const before = await snapshot(t.db, wsId);
    const again = await importMaven('TDEMO', { now: new Date('2026-12-01T00:00:00Z') });
    expect(again).toMatchObject({ rowsRead: 8800, imported: 0, updated: 0, unchanged: 8800, skipped: 0, repsCreated: 0, teamsCreated: 0, repsAssignedToTeams: 0 });
    const after = await snapshot(t.db, wsId);
    expect(after).toEqual(before);
    expect(after).toMatchObject({ deals: 8800, reps: 30, teams: 6, stageChanges: 8800, audits: 1 });
  });

  test('a row whose data changed updates its deal in place (no duplicate), with a stage change', async () => {
    const rows = pipeline.rows.slice(0, 40);
    const open = rows.find((r) => r.values['deal_stage'] === 'Engaging')!;
    await importMaven('TUPDATE', { rows });
    const wsId = (await workspaceId(t.db, 'TUPDATE'))!;
    const won = rows.find((r) => r.values['deal_stage'] === 'Won')!;
    const changed = rows.map((r) =>
      r === open
        ? { line: r.line, values: { ...r.values, deal_stage: 'Won', close_date: '2017-12-30', close_value: '999' } }
        : r === won
          ? { line: r.line, values: { ...r.values, close_value: '1234', account: 'Renamed Inc' } }
          : r,
    );
    const report = await importMaven('TUPDATE', { rows: changed });
    expect(report).toMatchObject({ imported: 0, updated: 2, unchanged: 38 });
    const wonDeal = await t.db.prisma.deal.findFirstOrThrow({ where: { workspaceId: wsId, externalId: won.values['opportunity_id']! } });
    expect(wonDeal).toMatchObject({ amountMinor: 123400n, amountReportingMinor: 123400n, customer: 'Renamed Inc', status: 'won' });
    expect(wonDeal.updatedAt.getTime()).toBe(NOW.getTime());
    const deal = await t.db.prisma.deal.findFirstOrThrow({ where: { workspaceId: wsId, externalId: open.values['opportunity_id']! } });
    expect(deal).toMatchObject({ status: 'won', stage: 'won', maxStageIndex: 4, amountMinor: 99900n });
    expect(await t.db.prisma.deal.count({ where: { workspaceId: wsId } })).toBe(40);
    const moves = await t.db.prisma.dealStageChange.findMany({ where: { dealId: deal.id }, orderBy: { id: 'asc' } });
    expect(moves.map((m) => [m.fromStage, m.toStage])).toEqual([
      [null, 'contacted'],
      ['contacted', 'won'],
    ]);
    expect(await t.db.prisma.auditEntry.count({ where: { workspaceId: wsId, entity: 'import' } })).toBe(2);

    // A deal moved further in Slack keeps its furthest stage when the export still says Engaging.
    const other = rows.find((r) => r.values['deal_stage'] === 'Engaging' && r !== open)!;
    await t.db.prisma.deal.updateMany({ where: { workspaceId: wsId, externalId: other.values['opportunity_id']! }, data: { stage: 'demo', maxStageIndex: 2 } });
    expect(await importMaven('TUPDATE', { rows: changed })).toMatchObject({ updated: 1, unchanged: 39 });
    expect(await t.db.prisma.deal.findFirstOrThrow({ where: { workspaceId: wsId, externalId: other.values['opportunity_id']! } })).toMatchObject({ stage: 'contacted', maxStageIndex: 2 });
    expect(await importMaven('TUPDATE', { rows: changed })).toMatchObject({ updated: 0, unchanged: 40 });
  });

  test('an amount worth more than the reporting cap is refused with its line; nothing is written', async () => {
    const table = parseCsv(['external_id,owner,customer,amount,status,closed_at', 'BIG1,Ann,Hugeco,90000000001,won,2025-01-01', 'OK1,Ann,Fineco,90000000000,won,2025-01-01'].join('\n'), 'big.csv');
    const dealsBefore = await t.db.prisma.deal.count();
    const report = await importDeals({ db: t.db, workspaceTeamId: 'TBIG', rows: table.rows, columns: table.columns, file: table.file, mapping: genericMapping(), now: NOW });
    expect(report.refused).toBe(true);
    expect(report.issues.map((i) => [i.line, i.field, i.kind])).toEqual([[2, 'amount', 'too large']]);
    expect(await t.db.prisma.deal.count()).toBe(dealsBefore);
  });

  test('a malformed generic file is refused whole, naming lines 3 and 5; nothing is written', async () => {
    const table = parseCsv(GENERIC_BAD, 'deals.csv');
    const dealsBefore = await t.db.prisma.deal.count();
    const report = await importDeals({ db: t.db, workspaceTeamId: 'TGENERIC', rows: table.rows, columns: table.columns, file: table.file, mapping: genericMapping(), now: NOW });
    expect(report.refused).toBe(true);
    expect(report.issues.map((i) => [i.line, i.field])).toEqual([
      [3, 'amount'],
      [5, 'customer'],
    ]);
    expect(report).toMatchObject({ rowsRead: 6, imported: 0, skipped: 2 });
    expect(await t.db.prisma.deal.count()).toBe(dealsBefore);
    expect(await workspaceId(t.db, 'TGENERIC')).toBeNull();
    expect(await t.db.prisma.rep.count({ where: { name: 'Alice Nguyen' } })).toBe(0);
  });

  test('with skipInvalid the valid rows of the generic file land, and a re-import is unchanged', async () => {
    const table = parseCsv(GENERIC_BAD, 'deals.csv');
    const opts = { db: t.db, workspaceTeamId: 'TGENERIC', rows: table.rows, columns: table.columns, file: table.file, mapping: genericMapping(), skipInvalid: true };
    const report = await importDeals({ ...opts, now: NOW });
    expect(report).toMatchObject({ refused: false, rowsRead: 6, imported: 4, skipped: 2, repsCreated: 3 });
    expect(report.skippedReasons.map((g) => [g.field, g.kind, g.lines])).toEqual([
      ['amount', 'not an amount', [3]],
      ['customer', 'missing', [5]],
    ]);
    const wsId = (await workspaceId(t.db, 'TGENERIC'))!;
    const deals = await t.db.prisma.deal.findMany({ where: { workspaceId: wsId }, orderBy: { externalId: 'asc' } });
    expect(deals.map((d) => [d.externalId, d.status, d.stage, d.maxStageIndex, d.amountMinor, d.type])).toEqual([
      ['G-1', 'won', 'won', 4, 1_200_000n, 'new'],
      ['G-3', 'lost', 'lost', 3, 80_000n, 'new'],
      ['G-5', 'won', 'won', 4, 150_000_000n, 'upsell'],
      ['G-6', 'open', 'contacted', 1, 0n, 'new'],
    ]);
    expect(deals[0]?.discountMinor).toBe(50_000n);
    expect(deals[1]?.lostReason).toBe('price');
    expect(deals[2]).toMatchObject({ recurringMonthlyMinor: 10_000_000n, recurringReportingMinor: 10_000_000n });
    expect(deals[2]?.createdAt.toISOString()).toBe('2025-02-20T12:00:00.000Z'); // no created_at: its close date
    expect(deals[3]?.createdAt.toISOString()).toBe(NOW.toISOString()); // open, no created_at: the import time
    // A later re-import: the fallback date of G-6 does not overwrite the stored one.
    const again = await importDeals({ ...opts, now: new Date('2026-12-24T00:00:00Z') });
    expect(again).toMatchObject({ imported: 0, updated: 0, unchanged: 4, skipped: 2 });
  });

  test('generic owners: a Slack id or a unique name links to the existing rep; an unknown Slack id is refused', async () => {
    const ws = await t.db.prisma.workspace.create({ data: { slackTeamId: 'TOWNERS', currency: 'EUR', timeZone: 'Europe/Berlin' } });
    const dana = await t.db.prisma.rep.create({ data: { workspaceId: ws.id, slackUserId: 'U0DANA0001', name: 'Dana Slack' } });
    await t.db.prisma.currencyRate.create({ data: { workspaceId: ws.id, fromCurrency: 'USD', rate: 0.9 } });
    const text = [
      'external_id,owner,customer,amount,status,closed_at',
      'O-1,<@U0DANA0001>,Acme,€1000,won,2025-03-30',
      'O-2,dana slack,Beta,$1000,won,2025-03-30',
      'O-3,U0NOBODY01,Gamma,100,open,',
      'O-4,New Person,Delta,100,open,',
    ].join('\n');
    const table = parseCsv(text, 'owners.csv');
    const opts = { db: t.db, workspaceTeamId: 'TOWNERS', rows: table.rows, columns: table.columns, file: table.file, mapping: genericMapping(), now: NOW };
    const refused = await importDeals(opts);
    expect(refused.refused).toBe(true);
    expect(refused.issues.map((i) => [i.line, i.kind])).toEqual([[4, 'unknown Slack user']]);
    const report = await importDeals({ ...opts, skipInvalid: true });
    expect(report).toMatchObject({ imported: 3, skipped: 1, repsCreated: 1, repNamesCreated: ['New Person'] });
    const deals = await t.db.prisma.deal.findMany({ where: { workspaceId: ws.id }, orderBy: { externalId: 'asc' } });
    expect(deals.map((d) => [d.externalId, d.ownerId === dana.id, d.currency, d.amountMinor, d.amountReportingMinor])).toEqual([
      ['O-1', true, 'EUR', 100_000n, 100_000n],
      ['O-2', true, 'USD', 100_000n, 90_000n], // converted with the workspace's rate
      ['O-4', false, 'EUR', 10_000n, 10_000n],
    ]);
    // Date-only values are local noon in the workspace zone (Berlin switched to CEST that day).
    expect(deals[0]?.closedAt?.toISOString()).toBe('2025-03-30T10:00:00.000Z');
  });

  test('imported deals carry the customer key; a stale key is rewritten by the next import, then unchanged', async () => {
    const maven = (await workspaceId(t.db, 'TDEMO'))!;
    expect(await t.db.prisma.deal.count({ where: { workspaceId: maven, customerKey: '' } })).toBe(0);
    const sample = await t.db.prisma.deal.findFirstOrThrow({ where: { workspaceId: maven }, orderBy: { id: 'asc' } });
    expect(sample.customerKey).toBe(customerKey(sample.customer));

    const text = ['external_id,owner,customer,amount,status,stage', 'V-1,Lan Pham,"  Ánh   Dương ",5000,open,demo', 'V-2,Lan Pham,STRAẞE AG,100,open,lead'].join('\n');
    const table = parseCsv(text, 'vn.csv');
    const opts = { db: t.db, workspaceTeamId: 'TKEYS', rows: table.rows, columns: table.columns, file: table.file, mapping: genericMapping(), now: NOW };
    expect(await importDeals(opts)).toMatchObject({ imported: 2 });
    const wsId = (await workspaceId(t.db, 'TKEYS'))!;
    const keys = async () => (await t.db.prisma.deal.findMany({ where: { workspaceId: wsId }, orderBy: { externalId: 'asc' } })).map((d) => [d.externalId, d.customerKey]);
    expect(await keys()).toEqual([
      ['V-1', 'ánh dương'],
      ['V-2', 'straße ag'],
    ]);
    // As the migration's SQLite backfill would leave it (LOWER folds ASCII only).
    await t.db.execute(`UPDATE "Deal" SET "customerKey" = ? WHERE "workspaceId" = ? AND "externalId" = ?`, ['straẞe ag', wsId, 'V-2']);
    expect(await importDeals(opts)).toMatchObject({ imported: 0, updated: 1, unchanged: 1 });
    expect((await keys())[1]).toEqual(['V-2', 'straße ag']);
    expect(await importDeals(opts)).toMatchObject({ imported: 0, updated: 0, unchanged: 2 });
  });

  test('a dry run reports what would happen and writes nothing', async () => {
    const before = await Promise.all([t.db.prisma.deal.count(), t.db.prisma.rep.count(), t.db.prisma.auditEntry.count(), t.db.prisma.workspace.count()]);
    const report = await importMavenFolder({ db: t.db, dir: DIR, workspaceTeamId: 'TDRYRUN', dryRun: true, now: NOW });
    expect(report).toMatchObject({ dryRun: true, refused: false, imported: 8800, repsCreated: 30, teamsCreated: 6 });
    expect(report.workspace.created).toBe(true);
    expect(await workspaceId(t.db, 'TDRYRUN')).toBeNull();
    const after = await Promise.all([t.db.prisma.deal.count(), t.db.prisma.rep.count(), t.db.prisma.auditEntry.count(), t.db.prisma.workspace.count()]);
    expect(after).toEqual(before);
  });

  test('insertDealsBatch inserts in chunks within the parameter limit, with stage changes', async () => {
    const ws = await t.db.prisma.workspace.create({ data: { slackTeamId: `TBULK-${dialect}` } });
    const rep = await t.db.prisma.rep.create({ data: { workspaceId: ws.id, name: 'Bulk Rep' } });
    const base = Date.UTC(2024, 0, 1, 12);
    const deals = Array.from({ length: 2_345 }, (_, i) => ({
      ownerId: rep.id,
      customer: `C${i}`,
      amountMinor: BigInt(i + 1) * 100n,
      currency: 'USD',
      amountReportingMinor: BigInt(i + 1) * 100n,
      type: 'new',
      stage: i % 2 === 0 ? 'won' : 'lead',
      maxStageIndex: i % 2 === 0 ? 4 : 0,
      status: i % 2 === 0 ? 'won' : 'open',
      createdAt: new Date(base + i * 60_000),
      closedAt: i % 2 === 0 ? new Date(base + i * 60_000 + 86_400_000) : null,
      source: 'bench',
    }));
    const ids = await insertDealsBatch(t.db, ws.id, deals, { chunkSize: 2_000 });
    expect(new Set(ids).size).toBe(2_345);
    const [sum] = await t.db.query(`SELECT COUNT(*) AS n, CAST(SUM("amountMinor") AS BIGINT) AS s FROM "Deal" WHERE "workspaceId" = ?`, [ws.id]);
    expect(toNumber(sum?.['n'])).toBe(2_345);
    expect(toBigInt(sum?.['s'])).toBe((2_345n * 2_346n * 100n) / 2n);
    expect(await t.db.prisma.dealStageChange.count({ where: { workspaceId: ws.id } })).toBe(2_345);
    const last = await t.db.prisma.deal.findFirstOrThrow({ where: { workspaceId: ws.id, customer: 'C2344' } });
    expect(last.closedAt?.getTime()).toBe(base + 2_344 * 60_000 + 86_400_000);
  });
});
