import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatImportReport, genericMapping, importDeals, parseCsv } from '../../src/domain/imports/index.js';
import type { Db } from '../../src/storage/db.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/test-db.js';

const EXAMPLE = resolve(import.meta.dirname, '../../datasets/examples/generic-deals-with-refunds.csv');
const NOW = new Date('2026-12-02T09:00:00Z');

/**
 * Refund rows of the generic CSV mapping (`record_type=refund`): linked to won deals by
 * `deal_external_id` or by customer, at `refunded_at` (local noon), idempotent on their own
 * external ids, and refused with line numbers when they cannot be resolved.
 */
describe.each(testEngines())('CSV refund rows on %s', (dialect) => {
  let t: TestDatabase;
  let db: Db;
  const run = (text: string, opts: { dryRun?: boolean; skipInvalid?: boolean; team?: string; file?: string } = {}) => {
    const table = parseCsv(text, opts.file ?? 'refunds.csv');
    return importDeals({ db, workspaceTeamId: opts.team ?? 'TREF', rows: table.rows, columns: table.columns, file: table.file, mapping: genericMapping(), now: NOW, ...opts });
  };
  const refunds = async (team = 'TREF') =>
    db.prisma.refund.findMany({ where: { workspace: { slackTeamId: team } }, orderBy: { externalId: 'asc' }, include: { deal: { select: { externalId: true } } } });
  const version = async (team = 'TREF') => (await db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: team } })).historyVersion;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    db = t.db;
  });
  afterAll(async () => t?.drop());

  test('the example file: deals and refunds, each refund on its won deal at local noon of refunded_at', async () => {
    const text = readFileSync(EXAMPLE, 'utf8');
    const report = await run(text, { file: 'generic-deals-with-refunds.csv' });
    expect(report).toMatchObject({ refused: false, imported: 3, refunds: { imported: 2, updated: 0, unchanged: 0 } });
    expect(formatImportReport(report)).toMatch(/refunds imported\s+2/);
    const rows = await refunds();
    expect(rows.map((r) => ({ externalId: r.externalId, deal: r.deal?.externalId, amountMinor: r.amountMinor, amountReportingMinor: r.amountReportingMinor, reason: r.reason, source: r.source, recordedAt: r.recordedAt.toISOString() }))).toEqual([
      { externalId: 'RF-1', deal: 'CRM-2001', amountMinor: 200_000n, amountReportingMinor: 200_000n, reason: 'Damaged unit returned', source: 'import', recordedAt: '2026-10-20T12:00:00.000Z' },
      { externalId: 'RF-2', deal: 'CRM-2002', amountMinor: 50_000n, amountReportingMinor: 50_000n, reason: 'Service credit', source: 'import', recordedAt: '2026-11-05T12:00:00.000Z' },
    ]);

    // The same file again: nothing changes, nothing is written (not even an audit entry or a version bump).
    const audits = await db.prisma.auditEntry.count();
    const v = await version();
    const again = await run(text);
    expect(again).toMatchObject({ imported: 0, updated: 0, unchanged: 3, refunds: { imported: 0, updated: 0, unchanged: 2 } });
    expect(formatImportReport(again)).toContain('Nothing changed');
    expect(await db.prisma.auditEntry.count()).toBe(audits);
    expect(await version()).toBe(v);

    // A changed refund row updates that refund in place (same row), and bumps the history version.
    const before = await refunds();
    const changed = await run(text.replace('"$2,000",USD,,,,CRM-2001,2026-10-20', '"$2,500",USD,,,,CRM-2001,2026-10-21'));
    expect(changed.refunds).toEqual({ imported: 0, updated: 1, unchanged: 1 });
    const after = await refunds();
    expect(after.map((r) => r.id)).toEqual(before.map((r) => r.id));
    expect(after[0]).toMatchObject({ amountMinor: 250_000n, amountReportingMinor: 250_000n });
    expect(after[0]!.recordedAt.toISOString()).toBe('2026-10-21T12:00:00.000Z');
    expect(await version()).toBeGreaterThan(v);
  });

  test('a refunds-only file against stored deals needs only the refund columns', async () => {
    const file = ['record_type,external_id,deal_external_id,customer,amount,currency,refunded_at,refund_reason', 'refund,RF-3,,acme corp,100,USD,2026-11-10,', 'refund,RF-4,CRM-2002,,1k,USD,2026-11-11,late'].join('\n');
    const dry = await run(file, { dryRun: true });
    expect(dry).toMatchObject({ refused: false, dryRun: true, refunds: { imported: 2, updated: 0, unchanged: 0 } });
    expect((await refunds()).length).toBe(2);
    const report = await run(file);
    expect(report.refunds).toEqual({ imported: 2, updated: 0, unchanged: 0 });
    const rows = await refunds();
    expect(rows.find((r) => r.externalId === 'RF-3')?.deal?.externalId).toBe('CRM-2001');
    expect(rows.find((r) => r.externalId === 'RF-4')).toMatchObject({ amountMinor: 100_000n, reason: 'late' });
  });

  test('refund rows that cannot be resolved refuse the file with their lines, and nothing is written', async () => {
    const before = await db.prisma.refund.count();
    const bad = [
      'record_type,external_id,owner,customer,amount,currency,status,closed_at,deal_external_id,refunded_at',
      'deal,CRM-3001,Dana Nguyen,Twin,1k,USD,won,2026-10-01,,',
      'deal,CRM-3002,Dana Nguyen,Twin,2k,USD,won,2026-10-02,,',
      'refund,RF-10,,,100,USD,,,CRM-2003,2026-11-01',
      'refund,RF-11,,,100,USD,,,NOPE,2026-11-01',
      'refund,RF-12,,Twin,100,USD,,,,2026-11-01',
      'refund,RF-13,,,100,USD,,,CRM-2001,',
      'refund,RF-14,,,0,USD,,,CRM-2001,2026-11-01',
      'refund,RF-15,,,100,EUR,,,CRM-2001,2026-11-01',
      'refund,RF-16,,,100,USD,,,CRM-2001,2027-05-01',
      'refund,RF-16,,,100,USD,,,CRM-2001,2026-11-01',
      'refund,RF-17,,,100,USD,,,,2026-11-01',
      'rebate,RF-18,,,100,USD,,,CRM-2001,2026-11-01',
    ].join('\n');
    const report = await run(bad);
    expect(report.refused).toBe(true);
    expect(report.issues.map((i) => [i.line, i.field, i.kind])).toEqual([
      [4, 'deal_external_id', 'deal not won'],
      [5, 'deal_external_id', 'unknown deal'],
      [6, 'customer', 'several won deals'],
      [7, 'refunded_at', 'missing'],
      [8, 'amount', 'zero'],
      [9, 'currency', 'no conversion rate'],
      [10, 'refunded_at', 'in the future'],
      [11, 'external_id', 'duplicate'],
      [12, 'deal_external_id', 'missing'],
      [13, 'record_type', 'unknown record type'],
    ]);
    expect(formatImportReport(report)).toMatch(/line 5: deal_external_id NOPE is no deal of this file nor one imported before/);
    expect(await db.prisma.refund.count()).toBe(before);
    expect(await db.prisma.deal.count({ where: { externalId: { in: ['CRM-3001', 'CRM-3002'] } } })).toBe(0);
    // With --skip-invalid the good deal rows go in and the bad refund rows are reported.
    const skipped = await run(bad, { skipInvalid: true });
    expect(skipped).toMatchObject({ refused: false, imported: 2, skipped: 10, refunds: { imported: 0 } });
    expect(await db.prisma.refund.count()).toBe(before);
  });
});
