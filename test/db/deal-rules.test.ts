import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { changeDeal } from '../../src/domain/deals/change-deal.js';
import { logDeal } from '../../src/domain/deals/log-deal.js';
import { ensureMember } from '../../src/domain/workspaces/ensure-member.js';
import { updateWorkspaceSettings } from '../../src/domain/workspaces/admin-settings.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/test-db.js';

describe.each(testEngines())('deal and workspace rules on %s', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
  });
  afterAll(async () => t?.drop());

  const profile = (name: string, isSlackAdmin = false) => async () => ({ name, timeZone: 'UTC', isSlackAdmin });
  const defaults = { timeZone: 'UTC', currency: 'USD' };

  test('a workspace created without an installer (CSV import) gets one: the first Slack user, once', async () => {
    await t.db.prisma.workspace.create({ data: { slackTeamId: 'TIMPORTED', name: 'Imported' } });
    const [a, b] = await Promise.all([
      ensureMember({ db: t.db, teamId: 'TIMPORTED', userId: 'UA', lookupProfile: profile('a'), defaults }),
      ensureMember({ db: t.db, teamId: 'TIMPORTED', userId: 'UB', lookupProfile: profile('b'), defaults }),
    ]);
    const roles = [a.rep.role, b.rep.role].sort();
    expect(roles).toEqual(['admin', 'rep']);
    const ws = await t.db.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: 'TIMPORTED' } });
    expect(ws.installerUserId).toBe(a.rep.role === 'admin' ? 'UA' : 'UB');
    const c = await ensureMember({ db: t.db, teamId: 'TIMPORTED', userId: 'UC', lookupProfile: profile('c'), defaults });
    expect(c.rep.role).toBe('rep');
  });

  test('two changes of the same deal from the same stale read: the second is refused, nothing half-written', async () => {
    const { workspace, rep } = await ensureMember({ db: t.db, teamId: 'TRACE', userId: 'U1', lookupProfile: profile('one'), defaults });
    const now = new Date();
    const { deal } = await logDeal({
      db: t.db,
      workspace,
      actor: rep,
      owner: rep,
      now,
      requestKey: 'race-1',
      source: 'slack-command',
      channelId: null,
      input: { customer: 'Race Co', amountMinor: 100n, currency: 'USD', type: 'new', status: 'open', stage: 'demo', closedAt: null, recurringMonthlyMinor: null, discountMinor: null, lostReason: null, notes: null },
    });
    await new Promise((r) => setTimeout(r, 5));
    await changeDeal({ db: t.db, workspace, actor: rep, deal, now: new Date(), patch: () => ({ status: 'won', stage: 'won', closedAt: new Date() }) });
    const audits = await t.db.prisma.auditEntry.count({ where: { entityId: deal.id } });
    await expect(changeDeal({ db: t.db, workspace, actor: rep, deal, now: new Date(), patch: () => ({ status: 'lost', stage: 'lost', closedAt: new Date() }) })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await t.db.prisma.deal.findUniqueOrThrow({ where: { id: deal.id } })).toMatchObject({ status: 'won' });
    expect(await t.db.prisma.auditEntry.count({ where: { entityId: deal.id } })).toBe(audits);
  });

  test('the same delivery arriving twice at the same moment stores one deal and answers both', async () => {
    const { workspace, rep } = await ensureMember({ db: t.db, teamId: 'TDUP', userId: 'U1', lookupProfile: profile('one'), defaults });
    const input = { customer: 'Twice Co', amountMinor: 100n, currency: 'USD', type: 'new' as const, status: 'won' as const, stage: 'won', closedAt: new Date(), recurringMonthlyMinor: null, discountMinor: null, lostReason: null, notes: null };
    const results = await Promise.all(
      Array.from({ length: 6 }, () => logDeal({ db: t.db, workspace, actor: rep, owner: rep, now: new Date(), requestKey: 'same-trigger', source: 'slack-command', channelId: null, input })),
    );
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.deal.id)).size).toBe(1);
    expect(await t.db.prisma.deal.count({ where: { workspaceId: workspace.id } })).toBe(1);
    expect(await t.db.prisma.auditEntry.count({ where: { workspaceId: workspace.id, entity: 'deal' } })).toBe(1);
  });

  test('the reporting currency cannot change once quotas or rates exist', async () => {
    const { workspace, rep } = await ensureMember({ db: t.db, teamId: 'TCUR', userId: 'U1', lookupProfile: profile('admin'), defaults });
    await t.db.prisma.currencyRate.create({ data: { workspaceId: workspace.id, fromCurrency: 'EUR', rate: 1.08 } });
    await expect(updateWorkspaceSettings({ db: t.db, actor: rep, workspace, patch: { currency: 'VND' }, now: new Date('2026-11-30T10:00:00Z') })).rejects.toThrow(/1 conversion rates in USD/);
    expect((await t.db.prisma.workspace.findUniqueOrThrow({ where: { id: workspace.id } })).currency).toBe('USD');
  });
});
