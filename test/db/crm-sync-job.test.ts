import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connectCrm } from '../../src/domain/crm/connect-crm.js';
import { crmKeyRing } from '../../src/domain/crm/credentials.js';
import { createLogger } from '../../src/logger.js';
import { runCrmSyncs, type TCrmFailureNotice, type TRunCrmSyncsOptions } from '../../src/scheduler/crm-sync-job.js';
import { CrmSourceError, FakeCrm } from '../helpers/fake-crm.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/test-db.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const keyRing = crmKeyRing(Buffer.alloc(32, 8).toString('base64'));
const minutes = (n: number): Date => new Date(NOW.getTime() + n * 60_000);

describe.each(testEngines())('CRM sync job on %s', (dialect) => {
  let t: TestDatabase;
  const crms = new Map<number, FakeCrm>();
  const notices: TCrmFailureNotice[] = [];
  const ids: Record<'due' | 'later' | 'revoked' | 'broken', number> = { due: 0, later: 0, revoked: 0, broken: 0 };

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    for (const name of Object.keys(ids) as Array<keyof typeof ids>) {
      const ws = await t.db.prisma.workspace.create({ data: { slackTeamId: `TJOB_${name}`, updatedAt: NOW } });
      ids[name] = ws.id;
      await connectCrm({ db: t.db, workspaceId: ws.id, vendor: 'hubspot', credentials: { token: `tok-${name}-secret` }, keyRing, now: NOW });
      const crm = new FakeCrm('hubspot', 3);
      for (let i = 1; i <= 7; i++) crm.put({ crmId: `${name}-${i}` });
      crms.set(ws.id, crm);
    }
    await t.db.prisma.crmConnection.update({ where: { workspaceId: ids.later }, data: { nextAttemptAt: minutes(10) } });
    await t.db.prisma.crmConnection.update({ where: { workspaceId: ids.revoked }, data: { status: 'revoked' } });
    crms.get(ids.broken)!.failOnPull = { pull: 1, error: new CrmSourceError('unavailable', 'HubSpot 503 for tok-broken-secret') };
  });
  afterAll(async () => t?.drop());

  const tick = (now: Date, over: Partial<TRunCrmSyncsOptions> = {}) =>
    runCrmSyncs({
      db: t.db,
      now,
      clock: () => now,
      keyRing,
      createSource: (c) => crms.get(c.workspaceId)!,
      notifyAdmin: async (n) => void notices.push(n),
      logger: createLogger('error', () => undefined),
      maxPagesPerRun: 2,
      ...over,
    });
  const count = (workspaceId: number) => t.db.prisma.deal.count({ where: { workspaceId } });

  test('OAuth mode: workspaces no active installation serves (uninstalled) are not synced', async () => {
    const s = await tick(NOW, { servedWorkspaceIds: new Set([ids.later]) });
    expect(s).toMatchObject({ due: 0, deals: 0 });
    for (const id of Object.values(ids)) {
      expect(await count(id)).toBe(0);
      expect(crms.get(id)!.pulls).toBe(0);
    }
    expect(notices).toHaveLength(0);
  });

  test('syncs what is due, splits a backfill over ticks, backs off a failing one and tells an admin once', async () => {
    const first = await tick(NOW);
    expect(first).toMatchObject({ due: 2, partial: 1, failed: 1, notified: 1, errors: 0, deals: 6 });
    expect(await count(ids.due)).toBe(6);
    expect(await count(ids.later)).toBe(0);
    expect(await count(ids.revoked)).toBe(0);
    expect(notices).toEqual([{ workspaceId: ids.broken, vendor: 'hubspot', status: 'failing', error: 'HubSpot 503 for [redacted]' }]);

    // A minute later: the backfill goes on; the failing one waits out its backoff (1 min: due again).
    crms.get(ids.broken)!.failOnPull = { pull: crms.get(ids.broken)!.pulls + 1, error: new CrmSourceError('unavailable', 'still down') };
    const second = await tick(minutes(1));
    expect(second).toMatchObject({ due: 2, synced: 1, failed: 1, notified: 0 });
    expect(await count(ids.due)).toBe(7);
    expect(notices).toHaveLength(1);

    // Backoff doubled to 2 minutes: not due at +2, due at +3 where it recovers.
    expect((await tick(minutes(2))).due).toBe(1);
    const recovered = await tick(minutes(3));
    expect(recovered).toMatchObject({ failed: 0 });
    expect(await count(ids.broken)).toBe(6);

    // The later one becomes due at +10.
    await tick(minutes(10));
    expect(await count(ids.later)).toBe(6);
  });

  test('a connection whose credentials do not open is logged and skipped, the others go on', async () => {
    const wrongRing = crmKeyRing(Buffer.alloc(32, 1).toString('base64'));
    const s = await tick(minutes(20), { keyRing: wrongRing });
    expect(s.errors).toBe(s.due);
    expect(s.errors).toBeGreaterThan(0);
  });
});
