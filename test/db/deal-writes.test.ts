import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { changeDeal } from '../../src/domain/deals/change-deal.js';
import { findOpenDeal } from '../../src/domain/deals/find-open-deal.js';
import { logDeal } from '../../src/domain/deals/log-deal.js';
import { snapshotDeal } from '../../src/domain/deals/snapshot.js';
import { ensureMember } from '../../src/domain/workspaces/ensure-member.js';
import { findKnownMember } from '../../src/domain/workspaces/find-workspace.js';
import type { TDealInput } from '../../src/domain/deals/schemas.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/test-db.js';

// The deal hot path runs on the driver with statements prepared once
// (src/storage/queries/deal-writes.ts); these prove it stores exactly what Prisma would read, in
// one transaction, and never inside someone else's Prisma transaction.
describe.each(testEngines())('deal writes on the driver, %s', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
  });
  afterAll(async () => t?.drop());

  const now = new Date('2026-11-20T15:30:45.123Z');
  const member = (team: string) =>
    ensureMember({ db: t.db, teamId: team, userId: 'U1', lookupProfile: async () => ({ name: 'One', timeZone: 'UTC', isSlackAdmin: false }), defaults: { timeZone: 'UTC', currency: 'USD' } });
  const input = (over: Partial<TDealInput> = {}): TDealInput => ({
    customer: 'Ánh Dương Co',
    amountMinor: 8_999_999_999_999n, // the largest recordable amount: must survive as a bigint
    currency: 'USD',
    type: 'upsell',
    status: 'open',
    stage: 'demo',
    closedAt: null,
    recurringMonthlyMinor: 5000n,
    discountMinor: 100n,
    lostReason: null,
    notes: 'first call',
    ...over,
  });

  test('a logged deal is the row Prisma reads, with its stage change and an audit entry of that row', async () => {
    const { workspace, rep } = await member('TROW');
    const { deal, duplicate } = await logDeal({ db: t.db, workspace, actor: rep, owner: rep, now, requestKey: 'row-1', source: 'slack-modal', channelId: 'C1', input: input() });
    expect(duplicate).toBe(false);
    const stored = await t.db.prisma.deal.findUniqueOrThrow({ where: { id: deal.id } });
    expect(deal).toEqual(stored);
    expect(Object.keys(deal)).toEqual(Object.keys(stored));
    expect(stored).toMatchObject({ amountMinor: 8_999_999_999_999n, customerKey: 'ánh dương co', createdAt: now, updatedAt: now, closedAt: null, subscriptionEnd: null, externalId: null });
    expect(await t.db.prisma.dealStageChange.findMany({ where: { dealId: deal.id }, select: { fromStage: true, toStage: true, changedAt: true, changedById: true } })).toEqual([
      { fromStage: null, toStage: 'demo', changedAt: now, changedById: rep.id },
    ]);
    const audit = await t.db.prisma.auditEntry.findUniqueOrThrow({ where: { workspaceId_requestKey: { workspaceId: workspace.id, requestKey: 'row-1' } } });
    expect(audit).toMatchObject({ entity: 'deal', entityId: deal.id, action: 'create', actorRepId: rep.id, actorSlackUserId: 'U1', before: null, createdAt: now });
    expect(JSON.parse(audit.after!)).toEqual(snapshotDeal(stored));
    // Byte for byte (PostgreSQL writes it in one statement, splicing the new id in).
    expect(audit.after).toBe(JSON.stringify(snapshotDeal(stored)));
    // The quick forms' look-up reads the same row back.
    expect(await findOpenDeal(t.db, rep, '  ÁNH   dương co ')).toEqual(stored);
  });

  test('a change writes the patch, one stage change and an audit entry with before and after, and bumps the history version only for old dates', async () => {
    const { workspace, rep } = await member('TCHANGE');
    const { deal } = await logDeal({ db: t.db, workspace, actor: rep, owner: rep, now, requestKey: 'ch-1', source: 'slack-command', channelId: null, input: input({ customer: 'Change Co' }) });
    const version = async () => (await t.db.prisma.workspace.findUniqueOrThrow({ where: { id: workspace.id } })).historyVersion;
    const v0 = await version();
    const later = new Date(now.getTime() + 60_000);
    const won = await changeDeal({ db: t.db, workspace, actor: rep, deal, now: later, requestKey: 'ch-2', patch: () => ({ status: 'won', stage: 'won', closedAt: later, amountMinor: 7n, amountReportingMinor: 7n }) });
    expect(won).toEqual(await t.db.prisma.deal.findUniqueOrThrow({ where: { id: deal.id } }));
    expect(await version()).toBe(v0);
    const changes = await t.db.prisma.dealStageChange.findMany({ where: { dealId: deal.id }, orderBy: { id: 'asc' }, select: { fromStage: true, toStage: true } });
    expect(changes).toEqual([
      { fromStage: null, toStage: 'demo' },
      { fromStage: 'demo', toStage: 'won' },
    ]);
    const audit = await t.db.prisma.auditEntry.findUniqueOrThrow({ where: { workspaceId_requestKey: { workspaceId: workspace.id, requestKey: 'ch-2' } } });
    expect(JSON.parse(audit.before!)).toEqual(snapshotDeal(deal));
    expect(JSON.parse(audit.after!)).toEqual(snapshotDeal(won));
    // Moving the close date back three months touches closed periods: the version moves on.
    const old = new Date('2026-08-10T00:00:00.000Z');
    await changeDeal({ db: t.db, workspace, actor: rep, deal: won, now: new Date(later.getTime() + 1000), requestKey: 'ch-3', patch: () => ({ closedAt: old }) });
    expect(await version()).toBe(v0 + 1);
    // A deal logged as closed long ago bumps it in its own transaction too.
    await logDeal({ db: t.db, workspace, actor: rep, owner: rep, now, requestKey: 'ch-4', source: 'slack-modal', channelId: null, input: input({ customer: 'Old Co', status: 'won', stage: 'won', closedAt: old }) });
    expect(await version()).toBe(v0 + 2);
  });

  test('the member behind a request is read in one statement, equal to the rows Prisma reads', async () => {
    const { workspace, rep } = await member('TMEMBER');
    await t.db.prisma.workspace.update({ where: { id: workspace.id }, data: { alertsChannelId: 'CALERTS', historyVersion: 3 } });
    const team = await t.db.prisma.salesTeam.create({ data: { workspaceId: workspace.id, name: 'East' } });
    await t.db.prisma.rep.update({ where: { id: rep.id }, data: { teamId: team.id, timeZone: 'Asia/Ho_Chi_Minh' } });
    const known = await findKnownMember({ db: t.db, slackTeamId: 'TMEMBER', slackUserId: 'U1' });
    expect(known.workspace).toEqual(await t.db.prisma.workspace.findUniqueOrThrow({ where: { id: workspace.id } }));
    expect(known.rep).toEqual(await t.db.prisma.rep.findUniqueOrThrow({ where: { id: rep.id } }));
    expect(Object.keys(known.rep!)).toEqual(Object.keys(rep));
    expect(await findKnownMember({ db: t.db, slackTeamId: 'TMEMBER', slackUserId: 'UNEW' })).toEqual({ workspace: known.workspace, rep: null });
    expect(await findKnownMember({ db: t.db, slackTeamId: 'TNOBODY', slackUserId: 'U1' })).toEqual({ workspace: null, rep: null });
  });

  test('a new deal closed in a past period bumps the history version once; one closed now does not', async () => {
    const { workspace, rep } = await member('TBUMP');
    const version = async () => (await t.db.prisma.workspace.findUniqueOrThrow({ where: { id: workspace.id } })).historyVersion;
    const v0 = await version();
    await logDeal({ db: t.db, workspace, actor: rep, owner: rep, now, requestKey: 'bump-now', source: 'slack-command', channelId: null, input: input({ customer: 'Now Co', status: 'won', stage: 'won', closedAt: now }) });
    expect(await version()).toBe(v0);
    const { deal } = await logDeal({ db: t.db, workspace, actor: rep, owner: rep, now, requestKey: 'bump-old', source: 'slack-command', channelId: null, input: input({ customer: 'Old Co', status: 'won', stage: 'won', closedAt: new Date('2026-09-03T10:00:00Z') }) });
    expect(await version()).toBe(v0 + 1);
    const audit = await t.db.prisma.auditEntry.findUniqueOrThrow({ where: { workspaceId_requestKey: { workspaceId: workspace.id, requestKey: 'bump-old' } } });
    expect(audit.after).toBe(JSON.stringify(snapshotDeal(await t.db.prisma.deal.findUniqueOrThrow({ where: { id: deal.id } }))));
  });

  test('a write that fails half-way leaves nothing: the audit key already used rolls the deal back', async () => {
    const { workspace, rep } = await member('TATOMIC');
    await t.db.prisma.auditEntry.create({ data: { workspaceId: workspace.id, entity: 'team', entityId: 1, action: 'create', createdAt: now, requestKey: 'taken' } });
    await expect(logDeal({ db: t.db, workspace, actor: rep, owner: rep, now, requestKey: 'taken', source: 'slack-command', channelId: null, input: input({ customer: 'Atomic Co' }) })).rejects.toBeTruthy();
    expect(await t.db.prisma.deal.count({ where: { workspaceId: workspace.id } })).toBe(0);
    expect(await t.db.prisma.dealStageChange.count({ where: { workspaceId: workspace.id } })).toBe(0);
    // The same delivery again after a real write: the stored deal, nothing new.
    const first = await logDeal({ db: t.db, workspace, actor: rep, owner: rep, now, requestKey: 'again', source: 'slack-command', channelId: null, input: input({ customer: 'Atomic Co' }) });
    const second = await logDeal({ db: t.db, workspace, actor: rep, owner: rep, now, requestKey: 'again', source: 'slack-command', channelId: null, input: input({ customer: 'Atomic Co' }) });
    expect(second).toEqual({ deal: first.deal, duplicate: true });
    expect(await t.db.prisma.deal.count({ where: { workspaceId: workspace.id } })).toBe(1);
    expect(await t.db.prisma.auditEntry.count({ where: { workspaceId: workspace.id, entity: 'deal' } })).toBe(1);
  });

  test('a direct write never lands inside an open Prisma transaction, and that transaction rolling back does not take it along', async () => {
    const { workspace, rep } = await member('TLOCK');
    let open!: () => void;
    const opened = new Promise<void>((r) => (open = r));
    let finish!: () => void;
    const gate = new Promise<void>((r) => (finish = r));
    const prismaTx = t.db.prisma
      .$transaction(async (tx) => {
        await tx.salesTeam.create({ data: { workspaceId: workspace.id, name: 'Rolled back' } });
        open();
        await gate;
        throw new Error('roll back');
      })
      .catch((e: unknown) => (e as Error).message);
    await opened;
    let done = false;
    const logged = logDeal({ db: t.db, workspace, actor: rep, owner: rep, now, requestKey: 'lock-1', source: 'slack-command', channelId: null, input: input({ customer: 'Lock Co' }) }).then((r) => {
      done = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 50));
    // SQLite has one connection: the write waits for the transaction; PostgreSQL may commit on its own connection.
    if (dialect === 'sqlite') expect(done).toBe(false);
    finish();
    expect(await prismaTx).toBe('roll back');
    const { deal } = await logged;
    expect(await t.db.prisma.deal.findUnique({ where: { id: deal.id } })).not.toBeNull();
    expect(await t.db.prisma.salesTeam.count({ where: { workspaceId: workspace.id } })).toBe(0);
  });
});
