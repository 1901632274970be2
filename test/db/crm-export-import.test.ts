import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  detectCsvKind,
  genericMapping,
  hubspotExportMapping,
  importDeals,
  parseCsv,
  pipedriveExportMapping,
  salesforceExportMapping,
  type TCsvTable,
  type TImportMapping,
} from '../../src/domain/imports/index.js';
import { toBigInt, toNumber, type Db } from '../../src/storage/db.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/test-db.js';

const DIR = resolve(import.meta.dirname, '../../datasets/examples');
const readExample = (name: string): TCsvTable => parseCsv(readFileSync(join(DIR, name)), name);
const NOW = new Date('2026-11-27T10:00:00Z');

/**
 * What each example file holds, counted independently of the importer (Python's csv module over
 * the files: rows per status and the won total in dollars).
 */
const EXAMPLES = [
  { vendor: 'salesforce', file: 'salesforce-opportunities.csv', mapping: salesforceExportMapping, rows: 14, won: 6, lost: 3, open: 5, wonMinor: 18_405_050n, reps: 3 },
  { vendor: 'hubspot', file: 'hubspot-deals.csv', mapping: hubspotExportMapping, rows: 12, won: 6, lost: 2, open: 4, wonMinor: 5_475_075n, reps: 3 },
  { vendor: 'pipedrive', file: 'pipedrive-deals.csv', mapping: pipedriveExportMapping, rows: 12, won: 5, lost: 3, open: 4, wonMinor: 3_275_000n, reps: 3 },
] as const;

/** Counts of everything an import writes in a workspace. */
async function counts(db: Db, teamId: string) {
  const ws = await db.prisma.workspace.findUnique({ where: { slackTeamId: teamId } });
  if (!ws) return null;
  const [c] = await db.query(
    `SELECT (SELECT COUNT(*) FROM "Deal" WHERE "workspaceId" = ?) AS deals, (SELECT COUNT(*) FROM "Rep" WHERE "workspaceId" = ?) AS reps,
            (SELECT COUNT(*) FROM "DealStageChange" WHERE "workspaceId" = ?) AS moves, (SELECT COUNT(*) FROM "AuditEntry" WHERE "workspaceId" = ?) AS audits,
            (SELECT MAX("updatedAt") FROM "Deal" WHERE "workspaceId" = ?) AS last_update`,
    [ws.id, ws.id, ws.id, ws.id, ws.id],
  );
  return { deals: toNumber(c?.['deals']), reps: toNumber(c?.['reps']), moves: toNumber(c?.['moves']), audits: toNumber(c?.['audits']), lastUpdate: String(c?.['last_update']) };
}

describe.each(testEngines())('CRM export import on %s', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
  }, 60_000);
  afterAll(async () => t?.drop());

  const run = (teamId: string, table: TCsvTable, mapping: TImportMapping, extra: { now?: Date; skipInvalid?: boolean } = {}) =>
    importDeals({ db: t.db, workspaceTeamId: teamId, rows: table.rows, columns: table.columns, file: table.file, mapping, now: extra.now ?? NOW, ...(extra.skipInvalid ? { skipInvalid: true } : {}) });

  test.each(EXAMPLES)('the $vendor example is detected, lands whole, and re-importing it changes nothing', async (ex) => {
    const table = readExample(ex.file);
    expect(detectCsvKind(table.columns)).toBe(ex.vendor);
    const teamId = `T${ex.vendor.toUpperCase()}`;
    const first = await run(teamId, table, ex.mapping());
    expect(first.issues).toEqual([]);
    expect(first).toMatchObject({ refused: false, mapping: ex.vendor, rowsRead: ex.rows, imported: ex.rows, updated: 0, unchanged: 0, skipped: 0, repsCreated: ex.reps });
    const wsId = (await t.db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: teamId } })).id;
    const deals = await t.db.prisma.deal.findMany({ where: { workspaceId: wsId } });
    const by = (s: string) => deals.filter((d) => d.status === s);
    expect([by('won').length, by('lost').length, by('open').length]).toEqual([ex.won, ex.lost, ex.open]);
    expect(by('won').reduce((a, d) => a + d.amountMinor, 0n)).toBe(ex.wonMinor);
    expect(by('won').reduce((a, d) => a + d.amountReportingMinor, 0n)).toBe(ex.wonMinor);
    expect(new Set(deals.map((d) => d.source))).toEqual(new Set([ex.vendor]));
    const table2 = readExample(ex.file);
    expect(new Set(deals.map((d) => d.externalId))).toEqual(new Set(table2.rows.map((r) => `${ex.vendor}:${String(Object.values(r.values)[0])}`)));
    // Every closed deal has its close date; every open one is on a funnel stage.
    expect(deals.filter((d) => d.status !== 'open' && d.closedAt === null)).toEqual([]);
    expect(by('open').every((d) => ['lead', 'contacted', 'demo', 'proposal'].includes(d.stage))).toBe(true);

    const before = await counts(t.db, teamId);
    const again = await run(teamId, table, ex.mapping(), { now: new Date('2026-12-20T00:00:00Z') });
    expect(again).toMatchObject({ refused: false, imported: 0, updated: 0, unchanged: ex.rows, repsCreated: 0 });
    expect(await counts(t.db, teamId)).toEqual(before);
  });

  test('Salesforce: stage names map onto the funnel, types onto new/upsell/renewal, owners by name', async () => {
    const ws = (await t.db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: 'TSALESFORCE' } })).id;
    const deal = (id: string) => t.db.prisma.deal.findFirstOrThrow({ where: { workspaceId: ws, externalId: `salesforce:${id}` }, include: { owner: true } });
    expect(await deal('0065g00000QzA09AAF')).toMatchObject({ stage: 'proposal', status: 'open', customer: 'Iris Pharma', closedAt: null }); // Negotiation/Review
    expect(await deal('0065g00000QzA11AAF')).toMatchObject({ stage: 'contacted', amountMinor: 0n }); // Qualification, no amount yet
    expect(await deal('0065g00000QzA12AAF')).toMatchObject({ stage: 'lead', type: 'new' }); // Prospecting, empty Type
    const upgrade = await deal('0065g00000QzA03AAF');
    expect(upgrade).toMatchObject({ type: 'upsell', amountMinor: 1_275_000n, status: 'won', stage: 'won' });
    expect(upgrade.owner.name).toBe('Ben Okafor'); // Owner.Name before Owner.Email
    expect(await deal('0065g00000QzA02AAF')).toMatchObject({ type: 'renewal', amountMinor: 1_850_050n });
    const lost = await deal('0065g00000QzA06AAF');
    expect(lost).toMatchObject({ status: 'lost', stage: 'lost', lostReason: 'Went with competitor' });
    // CloseDate is a date: noon in the workspace zone (UTC); CreatedDate is an exact UTC time.
    expect(lost.closedAt?.toISOString()).toBe('2025-05-29T12:00:00.000Z');
    expect(lost.createdAt.toISOString()).toBe('2025-04-01T13:20:00.000Z');
  });

  test('HubSpot: owners link to an existing rep by name; deals without a company take their name', async () => {
    const ws = await t.db.prisma.workspace.create({ data: { slackTeamId: 'THSREPS', currency: 'USD', timeZone: 'America/New_York' } });
    const ana = await t.db.prisma.rep.create({ data: { workspaceId: ws.id, slackUserId: 'U0ANA00001', name: 'Ana Garcia' } });
    const report = await run('THSREPS', readExample('hubspot-deals.csv'), hubspotExportMapping());
    expect(report).toMatchObject({ refused: false, imported: 12, repsCreated: 2 });
    expect([...report.repNamesCreated].sort()).toEqual(['Ben Okafor', 'Chloe Martin']);
    expect(await t.db.prisma.deal.count({ where: { workspaceId: ws.id, ownerId: ana.id } })).toBe(4);
    const xenon = await t.db.prisma.deal.findFirstOrThrow({ where: { workspaceId: ws.id, externalId: 'hubspot:9001234510' } });
    expect(xenon).toMatchObject({ customer: 'Xenon Games - Studio', stage: 'contacted', amountMinor: 0n });
    // `2026-01-08 10:22` is a wall-clock time in the workspace's zone (New York, UTC−5 in January).
    const orbit = await t.db.prisma.deal.findFirstOrThrow({ where: { workspaceId: ws.id, externalId: 'hubspot:9001234501' } });
    expect(orbit.createdAt.toISOString()).toBe('2025-01-08T15:22:00.000Z');
    expect(orbit.amountMinor).toBe(480_000n);
    expect(report.warnings.join(' ')).toMatch(/2 pipelines \(Sales Pipeline, Renewals\)/);
  });

  test('a bad row is refused with its line number and nothing is written; with skipInvalid the rest lands', async () => {
    const table = readExample('hubspot-deals-bad-row.csv');
    const dealsBefore = await t.db.prisma.deal.count();
    const refused = await run('THSBAD', table, hubspotExportMapping());
    expect(refused.refused).toBe(true);
    expect(refused.issues.map((i) => [i.line, i.field, i.kind])).toEqual([
      [3, 'Amount', 'not an amount'],
      [4, 'Close Date', 'missing'],
    ]);
    expect(refused.issues[0]?.message).toContain('"1.234,56"');
    expect(await t.db.prisma.deal.count()).toBe(dealsBefore);
    expect(await t.db.prisma.workspace.findUnique({ where: { slackTeamId: 'THSBAD' } })).toBeNull();
    const partial = await run('THSBAD', table, hubspotExportMapping(), { skipInvalid: true });
    expect(partial).toMatchObject({ refused: false, imported: 1, skipped: 2 });
  });

  test('Salesforce Data Export form: 0/1 booleans, UTC date-times, empty ids, every ISO currency converted exactly', async () => {
    const ws = await t.db.prisma.workspace.create({ data: { slackTeamId: 'TSFFX', currency: 'USD', timeZone: 'America/Bogota' } });
    await t.db.prisma.currencyRate.create({ data: { workspaceId: ws.id, fromCurrency: 'COP', rate: 0.00025 } });
    await t.db.prisma.currencyRate.create({ data: { workspaceId: ws.id, fromCurrency: 'KWD', rate: 3.25 } });
    await t.db.prisma.currencyRate.create({ data: { workspaceId: ws.id, fromCurrency: 'PEN', rate: 0.27 } });
    const text = [
      '"Id","IsDeleted","AccountId","Name","StageName","Amount","CloseDate","Type","IsClosed","IsWon","OwnerId","CreatedDate","CurrencyIsoCode"',
      '"006A1","0","000000000000000AAA","Bogota Retail","Closed Won","12500000.50","2026-03-10","New Customer","1","1","005OWNER1","2026-03-10 18:30:00","COP"',
      '"006A2","0","001X","Kuwait Trading","Closed Won","1234.567","2026-04-01","Existing Customer - Upgrade","1","1","005OWNER1","2026-02-01 08:00:00","KWD"',
      '"006A3","0","001Y","Lima Textiles","Closed Lost","8000","2026-05-05","","1","0","005OWNER2","2026-04-20 12:00:00","PEN"',
      '"006A4","0","001Z","Lima Textiles II","Prospecting","950000","2026-12-31","","0","0","005OWNER2","2026-11-01 00:00:00","COP"',
    ].join('\r\n');
    const table = parseCsv(text, 'Opportunity.csv');
    expect(detectCsvKind(table.columns)).toBe('salesforce');
    const report = await run('TSFFX', table, salesforceExportMapping());
    expect(report.issues).toEqual([]);
    expect(report).toMatchObject({ refused: false, imported: 4 });
    const deals = await t.db.prisma.deal.findMany({ where: { workspaceId: ws.id }, orderBy: { externalId: 'asc' } });
    expect(deals.map((d) => [d.externalId, d.customer, d.status, d.currency, d.amountMinor, d.amountReportingMinor, d.type])).toEqual([
      ['salesforce:006A1', 'Bogota Retail', 'won', 'COP', 1_250_000_050n, 312_500n, 'new'], // COP has 2 decimals; ×0.00025 → $3,125.00
      ['salesforce:006A2', 'Kuwait Trading', 'won', 'KWD', 1_234_567n, 401_234n, 'upsell'], // KWD has 3; ×3.25 = $4,012.34275 → $4,012.34
      ['salesforce:006A3', 'Lima Textiles', 'lost', 'PEN', 800_000n, 216_000n, 'new'],
      ['salesforce:006A4', 'Lima Textiles II', 'open', 'COP', 95_000_000n, 23_750n, 'new'],
    ]);
    // Created 18:30 UTC, closed on that date (noon in Bogota = 17:00 UTC): entered at the close.
    expect(deals[0]?.createdAt.toISOString()).toBe('2026-03-10T17:00:00.000Z');
    expect(deals[1]?.createdAt.toISOString()).toBe('2026-02-01T08:00:00.000Z');
    expect(report.notes.join(' ')).toMatch(/created after their close date/);
  });

  test('export ids carry the vendor: a generic row 101 stays apart, a generic row pipedrive:101 is refused, not overwritten', async () => {
    const generic = parseCsv(['external_id,owner,customer,amount,status,closed_at', '101,Ana Garcia,Someone Else,500,won,2026-01-10'].join('\n'), 'generic.csv');
    expect((await run('TPDMIX', generic, genericMapping())).imported).toBe(1);
    const report = await run('TPDMIX', readExample('pipedrive-deals.csv'), pipedriveExportMapping());
    expect(report).toMatchObject({ refused: false, imported: 12 });
    const ws = (await t.db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: 'TPDMIX' } })).id;
    const of101 = async () =>
      (await t.db.query(`SELECT "externalId", "customer", "source" FROM "Deal" WHERE "workspaceId" = ? AND "externalId" IN ('101', 'pipedrive:101') ORDER BY "externalId"`, [ws])).map((r) => [
        r['externalId'],
        r['customer'],
        r['source'],
      ]);
    const both = await of101();
    expect(both).toHaveLength(2);
    expect(both[0]).toEqual(['101', 'Someone Else', 'import']);
    expect(both[1]?.[2]).toBe('pipedrive');

    const claim = parseCsv(['external_id,owner,customer,amount,status,closed_at', 'pipedrive:101,Ana Garcia,Someone Else,500,won,2026-01-10'].join('\n'), 'generic.csv');
    const refused = await run('TPDMIX', claim, genericMapping());
    expect(refused.refused).toBe(true);
    expect(refused.issues.map((i) => [i.line, i.kind])).toEqual([[2, 'id of another source']]);
    expect(await of101()).toEqual(both);
  });
});
