import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { logDeal } from '../../src/domain/deals/log-deal.js';
import { recordWonDeal } from '../../src/domain/deals/quick-actions.js';
import { undoLastChange } from '../../src/domain/deals/undo-last-change.js';
import { changeSubscriptionMrr } from '../../src/domain/subscriptions/change-subscription-mrr.js';
import { churnSubscription } from '../../src/domain/subscriptions/churn-subscription.js';
import { ensureMember } from '../../src/domain/workspaces/ensure-member.js';
import { mrrAtInstants } from '../../src/storage/queries/metrics.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/test-db.js';

const NOW = new Date('2026-12-10T12:00:00Z');
const at = (iso: string) => new Date(iso);

describe.each(testEngines())('subscriptions at the database on %s', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(dialect);
  });
  afterAll(async () => t?.drop());

  const member = (teamId: string) => ensureMember({ db: t.db, teamId, userId: 'U1', lookupProfile: async () => ({ name: 'one', timeZone: 'UTC', isSlackAdmin: false }), defaults: { timeZone: 'UTC', currency: 'VND' } });
  const won = (m: Awaited<ReturnType<typeof member>>, customer: string, closedAt: Date, recurring: bigint, type: 'new' | 'renewal' = 'new', requestKey: string | null = null) =>
    logDeal({
      db: t.db,
      workspace: m.workspace,
      actor: m.rep,
      owner: m.rep,
      now: NOW,
      requestKey,
      source: 'slack-modal',
      channelId: null,
      input: { customer, amountMinor: recurring, currency: 'VND', type, status: 'won', stage: 'won', closedAt, recurringMonthlyMinor: recurring, discountMinor: null, lostReason: null, notes: null },
    });
  const mrr = async (workspaceId: number, ...instants: string[]) => (await mrrAtInstants(t.db, { workspaceId, scope: { kind: 'workspace' }, instants: instants.map(at) })).map((p) => p.mrrMinor);

  test('MRR at an instant honours start, changes (from their instant on) and the end (from its instant on)', async () => {
    const m = await member('TMRR');
    const base = { db: t.db, workspace: m.workspace, actor: m.rep, now: NOW, requestKey: null, target: { customer: 'Edge Co', dealId: null } };
    await won(m, 'Edge Co', at('2026-10-05T12:00:00Z'), 10_000_000n);
    await changeSubscriptionMrr({ ...base, amountMinor: 15_000_000n, currency: 'VND', date: '2026-11-01' });
    await churnSubscription({ ...base, date: '2026-12-01' });
    expect(await mrr(m.workspace.id, '2026-10-05T12:00:00Z', '2026-10-05T12:00:00.001Z', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00.001Z', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00.001Z')).toEqual([
      0n, 10_000_000n, 10_000_000n, 15_000_000n, 15_000_000n, 0n,
    ]);
  });

  test('a renewal continues the running subscription; undoing the renewal removes its change with it', async () => {
    const m = await member('TRENEW');
    await won(m, 'Renew Co', at('2026-10-05T12:00:00Z'), 10_000_000n);
    const renewal = await won(m, 'renew co', at('2026-12-03T12:00:00Z'), 12_000_000n, 'renewal', 'view:renewal');
    expect(renewal.deal.subscriptionStart).toBeNull();
    expect(await t.db.prisma.subscriptionChange.count({ where: { sourceDealId: renewal.deal.id } })).toBe(1);
    expect(await mrr(m.workspace.id, '2026-12-01T00:00:00Z', '2026-12-05T00:00:00Z')).toEqual([10_000_000n, 12_000_000n]);
    const undone = await undoLastChange({ db: t.db, actor: m.rep, now: NOW });
    expect(undone).toMatchObject({ action: 'removed', deal: { id: renewal.deal.id } });
    expect(await t.db.prisma.subscriptionChange.count({ where: { workspaceId: m.workspace.id } })).toBe(0);
    expect(await mrr(m.workspace.id, '2026-12-05T00:00:00Z')).toEqual([10_000_000n]);
  });

  test('closing an open recurring renewal as won (/deal won) continues the running subscription too; undo takes the change back', async () => {
    const m = await member('TRENEW3');
    await won(m, 'Open Renew Co', at('2026-10-05T12:00:00Z'), 10_000_000n);
    const open = await logDeal({
      db: t.db,
      workspace: m.workspace,
      actor: m.rep,
      owner: m.rep,
      now: at('2026-12-01T12:00:00Z'),
      requestKey: null,
      source: 'slack-modal',
      channelId: null,
      input: { customer: 'Open Renew Co', amountMinor: 12_000_000n, currency: 'VND', type: 'renewal', status: 'open', stage: 'proposal', closedAt: null, recurringMonthlyMinor: 12_000_000n, discountMinor: null, lostReason: null, notes: null },
    });
    expect(open.deal.subscriptionStart).toBeNull();
    const closed = await recordWonDeal({ db: t.db, workspace: m.workspace, actor: m.rep, now: NOW, requestKey: 'cmd:won-renewal', channelId: null, customer: 'open renew co', amountMinor: 12_000_000n, currency: 'VND', type: null });
    expect(closed).toMatchObject({ outcome: 'closed-existing', deal: { id: open.deal.id, status: 'won', subscriptionStart: null } });
    const row = await t.db.prisma.deal.findUniqueOrThrow({ where: { id: open.deal.id } });
    expect(row.subscriptionStart).toBeNull();
    expect(await t.db.prisma.subscriptionChange.count({ where: { sourceDealId: open.deal.id, monthlyReportingMinor: 12_000_000n } })).toBe(1);
    // One subscription at 12,000,000 from the close, not two (10 + 12).
    expect(await mrr(m.workspace.id, '2026-12-09T00:00:00Z', '2026-12-11T00:00:00Z')).toEqual([10_000_000n, 12_000_000n]);
    expect(await undoLastChange({ db: t.db, actor: m.rep, now: NOW })).toMatchObject({ action: 'restored', deal: { id: open.deal.id, status: 'open' } });
    expect(await t.db.prisma.subscriptionChange.count({ where: { sourceDealId: open.deal.id } })).toBe(0);
    expect(await mrr(m.workspace.id, '2026-12-11T00:00:00Z')).toEqual([10_000_000n]);
  });

  test('a renewal without a running subscription starts one', async () => {
    const m = await member('TRENEW2');
    const renewal = await won(m, 'Late Renewal', at('2026-12-03T12:00:00Z'), 7_000_000n, 'renewal');
    expect(renewal.deal.subscriptionStart?.toISOString()).toBe('2026-12-03T12:00:00.000Z');
    expect(await mrr(m.workspace.id, '2026-12-05T00:00:00Z')).toEqual([7_000_000n]);
  });

  test('a backdated MRR change and its undo each bump the history version; the same delivery twice writes once', async () => {
    const m = await member('TBUMP');
    await won(m, 'Bump Co', at('2026-10-05T12:00:00Z'), 10_000_000n);
    const version = async () => (await t.db.prisma.workspace.findUniqueOrThrow({ where: { id: m.workspace.id } })).historyVersion;
    const v0 = await version();
    const opts = { db: t.db, workspace: m.workspace, actor: m.rep, now: NOW, requestKey: 'cmd:mrr-1', target: { customer: 'Bump Co', dealId: null }, amountMinor: 11_000_000n, currency: 'VND', date: '2026-11-01' };
    const results = await Promise.allSettled([changeSubscriptionMrr(opts), changeSubscriptionMrr(opts), changeSubscriptionMrr(opts)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code?: string }).code] : []))).toEqual(['ALREADY_DONE', 'ALREADY_DONE']);
    expect(await t.db.prisma.subscriptionChange.count({ where: { workspaceId: m.workspace.id } })).toBe(1);
    const v1 = await version();
    expect(v1).toBeGreaterThan(v0);
    await undoLastChange({ db: t.db, actor: m.rep, now: NOW, requestKey: 'cmd:undo-1' });
    expect(await t.db.prisma.subscriptionChange.count({ where: { workspaceId: m.workspace.id } })).toBe(0);
    expect(await version()).toBeGreaterThan(v1);
    // A change dated today leaves the closed periods (and their cache) alone.
    const v2 = await version();
    await changeSubscriptionMrr({ ...opts, requestKey: 'cmd:mrr-2', date: null });
    expect(await version()).toBe(v2);
  });
});
