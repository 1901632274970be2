import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { customerKey } from '../../src/shared/customer-key.js';
import { findOpenDeal } from '../../src/domain/deals/find-open-deal.js';
import { logDeal } from '../../src/domain/deals/log-deal.js';
import { repairCustomerKeys } from '../../src/domain/deals/repair-customer-keys.js';
import type { Rep, Workspace } from '../../src/generated/sqlite/client.js';
import { insertDealsBatch, updateDealsBatch, withTransaction } from '../../src/storage/bulk-insert.js';
import type { Db } from '../../src/storage/db.js';
import { startHarness, type Harness } from '../helpers/app-harness.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/test-db.js';

const NOW = new Date('2026-11-27T10:00:00Z');

describe.each(testEngines())('finding an open deal by customer on %s', (dialect) => {
  let database: TestDatabase;
  let db: Db;
  let workspace: Workspace;
  let rep: Rep;
  let other: Rep;
  let seq = 0;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = database.db;
    workspace = await db.prisma.workspace.create({ data: { slackTeamId: 'T0MATCH', currency: 'USD' } });
    rep = await db.prisma.rep.create({ data: { workspaceId: workspace.id, slackUserId: 'U0REP', name: 'Bob' } });
    other = await db.prisma.rep.create({ data: { workspaceId: workspace.id, slackUserId: 'U0OTHER', name: 'Carol' } });
  });
  afterAll(async () => database?.drop());

  const open = (customer: string, owner: Rep = rep) =>
    logDeal({
      db,
      workspace,
      actor: owner,
      owner,
      now: NOW,
      requestKey: `req-${++seq}`,
      source: 'slack-command',
      channelId: null,
      input: { customer, amountMinor: 100_000n, currency: 'USD', type: 'new', status: 'open', stage: 'demo', closedAt: null, recurringMonthlyMinor: null, discountMinor: null, lostReason: null, notes: null },
    });

  test('logDeal stores the normalised key beside the name as typed', async () => {
    const { deal } = await open('Ánh Dương');
    expect(deal).toMatchObject({ customer: 'Ánh Dương', customerKey: 'ánh dương' });
  });

  test.each([
    ['ánh dương'],
    ['ÁNH DƯƠNG'],
    ['  ÁNH   dương  '],
    ['\tánh\u00a0dương\n'],
    // Typed decomposed (NFD), as some keyboards and pasted text do.
    ['A\u0301nh Du\u031bo\u031bng'],
  ])('"Ánh Dương" is found by %j', async (typed) => {
    const found = await findOpenDeal(db, rep, typed);
    expect(found).toMatchObject({ customer: 'Ánh Dương', ownerId: rep.id, status: 'open' });
  });

  test('accents still count, and a blank name finds nothing', async () => {
    expect(await findOpenDeal(db, rep, 'ANH dương')).toBeNull();
    expect(await findOpenDeal(db, rep, 'anh duong')).toBeNull();
    expect(await findOpenDeal(db, rep, '   ')).toBeNull();
  });

  test('German ß / ẞ and Turkish İ match their lower-case forms on both engines', async () => {
    await open('STRAẞE Bau GmbH');
    await open('İzmir Tekstil');
    expect(await findOpenDeal(db, rep, 'straße bau gmbh')).toMatchObject({ customer: 'STRAẞE Bau GmbH' });
    expect(await findOpenDeal(db, rep, 'Straße  Bau GmbH')).toMatchObject({ customer: 'STRAẞE Bau GmbH' });
    expect(await findOpenDeal(db, rep, 'i̇zmir tekstil')).toMatchObject({ customer: 'İzmir Tekstil' });
    expect(await findOpenDeal(db, rep, 'İZMIR TEKSTIL')).toMatchObject({ customer: 'İzmir Tekstil' });
    // Lower-casing, not Turkish-locale folding: a dotted capital İ inside the word is i + U+0307.
    expect(await findOpenDeal(db, rep, 'İZMİR TEKSTİL')).toBeNull();
  });

  test("another rep's deal under a differently cased name is still refused, not duplicated silently", async () => {
    await open('Đại Việt', other);
    await expect(findOpenDeal(db, rep, 'đại việt')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  test('bulk insert and bulk update compute the key from the name', async () => {
    const base = { ownerId: rep.id, amountMinor: 1n, currency: 'USD', amountReportingMinor: 1n, type: 'new', stage: 'lead', maxStageIndex: 0, status: 'open', createdAt: NOW, closedAt: null };
    const [id] = await insertDealsBatch(db, workspace.id, [{ ...base, customer: '  Công Ty  ÁNH Sáng ', externalId: 'bulk-1' }], { now: NOW });
    let row = await db.prisma.deal.findUniqueOrThrow({ where: { id: id! } });
    expect(row.customerKey).toBe('công ty ánh sáng');
    expect(await findOpenDeal(db, rep, 'công ty ánh sáng')).toMatchObject({ id });
    await withTransaction(db, (run) => updateDealsBatch(run, [{ ...base, id: id!, customer: 'ÖLFABRİK' }], NOW));
    row = await db.prisma.deal.findUniqueOrThrow({ where: { id: id! } });
    expect(row).toMatchObject({ customer: 'ÖLFABRİK', customerKey: customerKey('ÖLFABRİK') });
    expect(await findOpenDeal(db, rep, 'ölfabri̇k')).toMatchObject({ id });
  });

  test('repairCustomerKeys rewrites stale keys of open deals (as the SQL backfill leaves them) and nothing else', async () => {
    const { deal } = await open('Ngọc Ánh Trading');
    // What the migration's SQLite backfill (LOWER(TRIM(customer))) produces: ASCII folded only.
    await db.execute(`UPDATE "Deal" SET "customerKey" = ? WHERE "id" = ?`, ['ngọc Ánh trading', deal.id]);
    expect(await findOpenDeal(db, rep, 'ngọc ánh trading')).toBeNull();
    const before = await db.prisma.deal.findUniqueOrThrow({ where: { id: deal.id } });
    expect(await repairCustomerKeys(db, { batchSize: 2 })).toBe(1);
    const after = await db.prisma.deal.findUniqueOrThrow({ where: { id: deal.id } });
    expect(after.customerKey).toBe('ngọc ánh trading');
    expect(after.updatedAt).toEqual(before.updatedAt);
    expect(await findOpenDeal(db, rep, 'ngọc ánh trading')).toMatchObject({ id: deal.id });
    expect(await repairCustomerKeys(db)).toBe(0);
  });
});

describe.each(testEngines())('/deal stage then /deal won with another spelling on %s', (dialect) => {
  let h: Harness;
  let seq = 0;

  beforeAll(async () => {
    h = await startHarness(dialect);
    h.fake.addUser({ id: 'U0REP', name: 'bob', real_name: 'Bob Rep', tz: 'Asia/Ho_Chi_Minh' });
  });
  afterAll(async () => h?.stop());

  async function run(text: string) {
    const id = `m${++seq}`;
    const res = await h.slack.command('/deal', text, { user_id: 'U0REP', response_url: h.fake.responseUrl(id) });
    expect(res.status).toBe(200);
    const [answer] = await h.fake.waitFor(() => {
      const r = h.fake.responsesTo(id);
      return r.length > 0 ? r : null;
    });
    return answer as { text: string };
  }

  test('closes the "Ánh Dương" deal instead of opening a second one', async () => {
    const opened = await run('stage "Ánh Dương" demo');
    expect(opened.text).toMatch(/Opened/);
    const won = await run('won 12k ánh dương');
    expect(won.text).toContain('Ánh Dương');
    const deals = await h.database.db.prisma.deal.findMany();
    expect(deals).toHaveLength(1);
    expect(deals[0]).toMatchObject({ customer: 'Ánh Dương', customerKey: 'ánh dương', status: 'won', stage: 'won', amountMinor: 1_200_000n });
    expect(await h.database.db.prisma.dealStageChange.count({ where: { dealId: deals[0]!.id } })).toBe(2);
  });
});
