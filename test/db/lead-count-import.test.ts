import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { detectCsvKind, genericMapping, importDeals, importLeadCounts, parseCsv } from '../../src/domain/imports/index.js';
import { leadTotalSeries } from '../../src/domain/leads/lead-series.js';
import { runImportCli } from '../../src/cli/import.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/test-db.js';

const EXAMPLES = resolve(import.meta.dirname, '../../datasets/examples');
/** After the example periods (Sep–Oct 2026), fixed: the tests do not depend on today. */
const NOW = new Date('2026-11-20T12:00:00Z');
const SEP = { start: new Date('2026-09-01T00:00:00Z'), end: new Date('2026-10-01T00:00:00Z') };
const OCT = { start: new Date('2026-10-01T00:00:00Z'), end: new Date('2026-11-01T00:00:00Z') };

describe.each(testEngines())('lead-count CSV import on %s', (dialect) => {
  let t: TestDatabase;
  const counts = () => t.db.prisma.leadCount.findMany({ orderBy: { id: 'asc' }, select: { count: true, source: true, repId: true, teamId: true, periodStart: true, periodEnd: true, scopeKey: true } });
  const version = async () => (await t.db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: 'TLEADS' } })).historyVersion;
  const importText = (text: string, opts: { skipInvalid?: boolean; dryRun?: boolean } = {}) => {
    const table = parseCsv(text, 'leads.csv');
    return importLeadCounts({ db: t.db, workspaceTeamId: 'TLEADS', rows: table.rows, file: table.file, readIssues: table.malformed, now: NOW, ...opts });
  };

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    // The example deals create the reps the example lead counts name (Dana Nguyen, Bao Tran).
    const deals = parseCsv(readFileSync(resolve(EXAMPLES, 'generic-deals.csv')), 'generic-deals.csv');
    const report = await importDeals({ db: t.db, workspaceTeamId: 'TLEADS', rows: deals.rows, columns: deals.columns, file: deals.file, mapping: genericMapping(), now: NOW });
    expect(report.refused).toBe(false);
  });
  afterAll(async () => t?.drop());

  test('the example file is a lead-count file; importing it twice changes nothing the second time', async () => {
    const table = parseCsv(readFileSync(resolve(EXAMPLES, 'lead-counts.csv')), 'lead-counts.csv');
    expect(detectCsvKind(table.columns)).toBe('lead-counts');
    const v0 = await version();
    const first = await importLeadCounts({ db: t.db, workspaceTeamId: 'TLEADS', rows: table.rows, file: table.file, now: NOW });
    expect(first).toMatchObject({ refused: false, imported: 5, updated: 0, unchanged: 0, mapping: 'lead-counts' });
    // Closed periods: the history version moved, so cached closed-period figures are read again.
    expect(await version()).toBeGreaterThan(v0);
    const stored = await counts();
    expect(stored.map((r) => [r.count, r.source])).toEqual([
      [420, null],
      [250, 'web'],
      [150, 'referral'],
      [60, null],
      [35, 'event'],
    ]);
    const v1 = await version();
    const second = await importLeadCounts({ db: t.db, workspaceTeamId: 'TLEADS', rows: table.rows, file: table.file, now: NOW });
    expect(second).toMatchObject({ refused: false, imported: 0, updated: 0, unchanged: 5 });
    expect(await counts()).toEqual(stored);
    expect(await version()).toBe(v1);

    // The conversion rule reads them: October's workspace counts per source add up (250 + 150);
    // Dana's 60 is part of them, not added.
    const [sep, oct] = await leadTotalSeries(t.db, { workspaceId: (await t.db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: 'TLEADS' } })).id, scope: { kind: 'workspace' }, ranges: [SEP, OCT] });
    expect(sep).toMatchObject({ leads: 420, basis: 'bulk' });
    expect(oct).toMatchObject({ leads: 400, basis: 'bulk' });
  });

  test('a changed count replaces the stored one, the same key as /kpi leads', async () => {
    const r = await importText('period,count,rep,source\n2026-10,75,Dana Nguyen,\n');
    expect(r).toMatchObject({ imported: 0, updated: 1, unchanged: 0 });
    expect((await counts()).filter((c) => c.repId !== null && c.source === null).map((c) => c.count)).toEqual([75]);
  });

  test('invalid rows refuse the whole file and write nothing, naming lines and reasons', async () => {
    const before = await counts();
    const r = await importText(
      ['period,count,team,rep,source', '2026-10,-3,,,', '2026-13,5,,,', '2026-10,5,Nowhere,,', '2026-10,5,,Nobody,', '2027-01,5,,,', '2026-09,7,,,web', '2026-09,8,,,Web', '2026-08,12.5,,,'].join('\n'),
    );
    expect(r.refused).toBe(true);
    expect(r.issues.map((i) => [i.line, i.field, i.kind])).toEqual([
      [2, 'count', 'not a count'],
      [3, 'period', 'not a period'],
      [4, 'team', 'unknown team'],
      [5, 'rep', 'unknown rep'],
      [6, 'period', 'in the future'],
      [8, 'row', 'repeated'],
      [9, 'count', 'not a count'],
    ]);
    expect(await counts()).toEqual(before);
    // With --skip-invalid the valid row goes in.
    const skipped = await importText('period,count,source\n2026-09,7,web\n2026-09,-1,\n', { skipInvalid: true });
    expect(skipped).toMatchObject({ refused: false, imported: 1, skipped: 1 });
  });

  test('a dry run counts what would change and writes nothing', async () => {
    const before = await counts();
    const r = await importText('period,count,source\n2026-09,9,web\n2026-08,3,\n', { dryRun: true });
    expect(r).toMatchObject({ dryRun: true, imported: 1, updated: 1, unchanged: 0 });
    expect(await counts()).toEqual(before);
  });

  test('npm run import takes a deals file and a lead-count file together (lead counts after the deals)', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runImportCli([resolve(EXAMPLES, 'lead-counts.csv'), resolve(EXAMPLES, 'generic-deals.csv'), '--workspace', 'TCLILEADS'], { DATABASE_URL: t.url }, { out: (l) => out.push(l), err: (l) => err.push(l) });
    expect(err.filter((l) => !/migrat/i.test(l))).toEqual([]);
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toContain('generic-deals.csv → workspace TCLILEADS');
    expect(text).toMatch(/lead-counts\.csv → workspace TCLILEADS[^\n]*, mapping lead-counts\n\s+rows read\s+5\n\s+imported\s+5/);
    const again: string[] = [];
    expect(await runImportCli([resolve(EXAMPLES, 'lead-counts.csv'), '--workspace', 'TCLILEADS'], { DATABASE_URL: t.url }, { out: (l) => again.push(l), err: () => undefined })).toBe(0);
    expect(again.join('\n')).toMatch(/unchanged\s+5/);
  });
});
