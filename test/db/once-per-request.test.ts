import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { changeDeal } from '../../src/domain/deals/change-deal.js';
import { logDeal } from '../../src/domain/deals/log-deal.js';
import { undoLastChange } from '../../src/domain/deals/undo-last-change.js';
import { setRole } from '../../src/domain/workspaces/admin-settings.js';
import { ensureMember } from '../../src/domain/workspaces/ensure-member.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/test-db.js';

/** Far from the real clock on purpose: stamps must come from the caller, not the database. */
const NOW = new Date('2031-03-14T15:09:00Z');

describe.each(testEngines())('once per request at the database on %s', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
  });
  afterAll(async () => t?.drop());

  const profile = (name: string, isSlackAdmin = false) => async () => ({ name, timeZone: 'UTC', isSlackAdmin });
  const defaults = { timeZone: 'UTC', currency: 'USD' };

  test('the request key is unique per workspace; rows without one (older rows, imports) are not limited', async () => {
    const a = await ensureMember({ db: t.db, teamId: 'TKEYA', userId: 'U1', lookupProfile: profile('a'), defaults });
    const b = await ensureMember({ db: t.db, teamId: 'TKEYB', userId: 'U1', lookupProfile: profile('b'), defaults });
    const row = (workspaceId: number, requestKey: string | null) => ({ data: { workspaceId, entity: 'x', entityId: 1, action: 'update', requestKey } });
    await t.db.prisma.auditEntry.create(row(a.workspace.id, null));
    await t.db.prisma.auditEntry.create(row(a.workspace.id, null));
    await t.db.prisma.auditEntry.create(row(a.workspace.id, 'cmd:1'));
    await expect(t.db.prisma.auditEntry.create(row(a.workspace.id, 'cmd:1'))).rejects.toMatchObject({ code: 'P2002' });
    await t.db.prisma.auditEntry.create(row(b.workspace.id, 'cmd:1'));
    expect(await t.db.prisma.auditEntry.count({ where: { workspaceId: a.workspace.id } })).toBe(3);
  });

  test('six deliveries of one role change at once: one change, one audit entry stamped with the caller clock, five ALREADY_DONE', async () => {
    const admin = await ensureMember({ db: t.db, teamId: 'TROLE', userId: 'UADMIN', lookupProfile: profile('admin'), defaults });
    const dana = await ensureMember({ db: t.db, teamId: 'TROLE', userId: 'UDANA', lookupProfile: profile('dana'), defaults });
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => setRole({ db: t.db, actor: admin.rep, target: dana.rep, role: 'manager', now: NOW, requestKey: 'cmd:role-1' })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refusals = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as { code?: string; message?: string }] : []));
    expect(refusals.map((e) => e.code)).toEqual(Array(5).fill('ALREADY_DONE'));
    expect(refusals[0]?.message).toBe('Already done — this request was handled at 15:09; nothing changed again.');
    const entries = await t.db.prisma.auditEntry.findMany({ where: { workspaceId: admin.workspace.id, entity: 'rep' } });
    expect(entries).toHaveLength(1);
    expect(entries[0]!.createdAt.toISOString()).toBe(NOW.toISOString());
    expect((await t.db.prisma.rep.findUniqueOrThrow({ where: { id: dana.rep.id } })).updatedAt.toISOString()).toBe(NOW.toISOString());
  });

  test('four deliveries of one undo at once undo one change; a stage move at a standing clock still moves the version on', async () => {
    const { workspace, rep } = await ensureMember({ db: t.db, teamId: 'TUNDO', userId: 'U1', lookupProfile: profile('one'), defaults });
    const input = { customer: 'Undo Co', amountMinor: 100n, currency: 'USD', type: 'new' as const, status: 'open' as const, stage: 'lead', closedAt: null, recurringMonthlyMinor: null, discountMinor: null, lostReason: null, notes: null };
    const { deal } = await logDeal({ db: t.db, workspace, actor: rep, owner: rep, now: NOW, requestKey: 'cmd:u1', source: 'slack-command', channelId: null, input });
    const moved = await changeDeal({ db: t.db, workspace, actor: rep, deal, now: NOW, requestKey: 'cmd:u2', patch: () => ({ stage: 'demo', maxStageIndex: 2 }) });
    expect(moved.updatedAt.getTime()).toBeGreaterThan(deal.updatedAt.getTime());
    // A stale copy is still refused although the clock did not move.
    await expect(changeDeal({ db: t.db, workspace, actor: rep, deal, now: NOW, patch: () => ({ stage: 'proposal' }) })).rejects.toMatchObject({ code: 'CONFLICT' });

    const results = await Promise.allSettled(Array.from({ length: 4 }, () => undoLastChange({ db: t.db, actor: rep, now: NOW, requestKey: 'cmd:u3' })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code?: string }).code] : []))).toEqual(Array(3).fill('ALREADY_DONE'));
    // Back at lead, and the deal still exists: a second undo would have removed it.
    expect(await t.db.prisma.deal.findUniqueOrThrow({ where: { id: deal.id } })).toMatchObject({ stage: 'lead' });
    expect(await t.db.prisma.auditEntry.count({ where: { entityId: deal.id, entity: 'deal', action: 'undo' } })).toBe(1);
    const stamps = await t.db.prisma.auditEntry.findMany({ where: { entityId: deal.id, entity: 'deal' }, select: { createdAt: true } });
    expect(new Set(stamps.map((s) => s.createdAt.toISOString()))).toEqual(new Set([NOW.toISOString()]));
  });
});
