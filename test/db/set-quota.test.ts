import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { AppError } from '../../src/errors.js';
import type { Rep, SalesTeam, Workspace } from '../../src/generated/sqlite/client.js';
import { buildKpiReport } from '../../src/domain/metrics/build-kpi-report.js';
import { parseQuotaPeriod } from '../../src/domain/quotas/quota-period.js';
import { listQuotas, setQuota, type SetQuotaOptions } from '../../src/domain/quotas/set-quota.js';
import { addRepToTeam } from '../../src/domain/teams/add-rep-to-team.js';
import { createTeam } from '../../src/domain/teams/create-team.js';
import { setCurrencyRate } from '../../src/domain/workspaces/admin-settings.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/test-db.js';

const now = new Date('2026-08-15T10:00:00Z');

async function refused(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe.each(testEngines())('quotas and teams on %s', (dialect) => {
  let t: TestDatabase;
  let ws: Workspace;
  let admin: Rep;
  let manager: Rep;
  let dana: Rep;
  let eli: Rep;
  let north: SalesTeam;
  let otherRep: Rep;
  const ctx = () => ({ now, timeZone: ws.timeZone, fiscalYearStartMonth: ws.fiscalYearStartMonth });
  const q3 = () => parseQuotaPeriod('2026-Q3', ctx());
  const base = (over: Partial<SetQuotaOptions> = {}): SetQuotaOptions => ({
    db: t.db,
    actor: manager,
    workspace: ws,
    target: { repId: dana.id },
    amountMinor: 5_000_000n,
    currency: 'USD',
    period: q3(),
    now,
    ...over,
  });

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const p = t.db.prisma;
    ws = await p.workspace.create({ data: { slackTeamId: 'T-QUOTA', currency: 'USD', timeZone: 'Europe/Berlin' } });
    const other = await p.workspace.create({ data: { slackTeamId: 'T-OTHER', currency: 'USD' } });
    admin = await p.rep.create({ data: { workspaceId: ws.id, name: 'Ada', slackUserId: 'UADA', role: 'admin' } });
    manager = await p.rep.create({ data: { workspaceId: ws.id, name: 'Mia', slackUserId: 'UMIA', role: 'manager' } });
    dana = await p.rep.create({ data: { workspaceId: ws.id, name: 'Dana', slackUserId: 'UDANA' } });
    eli = await p.rep.create({ data: { workspaceId: ws.id, name: 'Eli', slackUserId: 'UELI' } });
    otherRep = await p.rep.create({ data: { workspaceId: other.id, name: 'Olga', slackUserId: 'UOLGA', role: 'admin' } });
    north = await createTeam({ db: t.db, actor: manager, workspace: ws, name: 'North', now });
  });
  afterAll(async () => t?.drop());
  beforeEach(async () => {
    await t.db.prisma.quota.deleteMany({});
    await t.db.prisma.auditEntry.deleteMany({ where: { entity: 'quota' } });
  });

  const quotas = () => t.db.prisma.quota.findMany({ orderBy: { id: 'asc' } });
  const audits = () => t.db.prisma.auditEntry.findMany({ where: { entity: 'quota' }, orderBy: { id: 'asc' } });

  test('stores the local quarter boundaries of the workspace zone, in the reporting currency, with an audit entry', async () => {
    const r = await setQuota(base());
    expect(r.changed).toBe(true);
    expect(r.previous).toBeNull();
    const rows = await quotas();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      workspaceId: ws.id,
      repId: dana.id,
      teamId: null,
      periodKind: 'quarter',
      periodStart: new Date('2026-06-30T22:00:00Z'),
      periodEnd: new Date('2026-09-30T22:00:00Z'),
      amountMinor: 5_000_000n,
      currency: 'USD',
      setById: manager.id,
    });
    const [audit] = await audits();
    expect(audit).toMatchObject({ action: 'create', actorRepId: manager.id, actorSlackUserId: 'UMIA', entityId: rows[0]!.id, before: null });
    expect(JSON.parse(audit!.after ?? '{}')).toMatchObject({ amountMinor: '5000000', periodKind: 'quarter', periodStart: '2026-06-30T22:00:00.000Z', enteredCurrency: 'USD' });
  });

  test('setting it again replaces it (one row), audits before and after; the same value again writes nothing', async () => {
    await setQuota(base());
    const second = await setQuota(base({ actor: admin, amountMinor: 6_000_000n }));
    expect(second).toMatchObject({ changed: true, previous: { amountMinor: 5_000_000n } });
    let rows = await quotas();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ amountMinor: 6_000_000n, setById: admin.id });
    let trail = await audits();
    expect(trail.map((a) => a.action)).toEqual(['create', 'update']);
    expect(JSON.parse(trail[1]!.before ?? '{}')).toMatchObject({ amountMinor: '5000000' });
    expect(JSON.parse(trail[1]!.after ?? '{}')).toMatchObject({ amountMinor: '6000000' });

    const third = await setQuota(base({ actor: admin, amountMinor: 6_000_000n }));
    expect(third.changed).toBe(false);
    rows = await quotas();
    expect(rows).toHaveLength(1);
    trail = await audits();
    expect(trail).toHaveLength(2);
  });

  test('different periods, kinds and targets are different quotas', async () => {
    await setQuota(base());
    await setQuota(base({ period: parseQuotaPeriod('2026-08', ctx()), amountMinor: 2_000_000n }));
    await setQuota(base({ period: parseQuotaPeriod('2026-Q4', ctx()) }));
    await setQuota(base({ target: { repId: eli.id } }));
    await setQuota(base({ target: { teamId: north.id }, amountMinor: 20_000_000n }));
    const rows = await quotas();
    expect(rows).toHaveLength(5);
    expect(rows.filter((q) => q.teamId === north.id)).toMatchObject([{ repId: null, amountMinor: 20_000_000n }]);
  });

  test('concurrent writes of the same quota leave exactly one row', async () => {
    await Promise.all(Array.from({ length: 6 }, (_, i) => setQuota(base({ amountMinor: BigInt(1_000_000 * (i + 1)) }))));
    const rows = await quotas();
    expect(rows).toHaveLength(1);
    expect(await audits()).toHaveLength(6);
  });

  test('reps cannot set quotas; the refusal says who can, and nothing is stored', async () => {
    const e = await refused(setQuota(base({ actor: dana })));
    expect(e.code).toBe('FORBIDDEN');
    expect(e.message).toMatch(/Only managers and admins can set quotas/);
    expect(await quotas()).toHaveLength(0);
    expect(await audits()).toHaveLength(0);
  });

  test.each([
    ['zero', { amountMinor: 0n }, 'INVALID_AMOUNT'],
    ['negative', { amountMinor: -5n }, 'INVALID_AMOUNT'],
  ])('a %s amount is refused', async (_n, over, code) => {
    expect((await refused(setQuota(base(over)))).code).toBe(code);
    expect(await quotas()).toHaveLength(0);
  });

  test('a week is not a quota period', async () => {
    const week = { ...q3(), kind: 'week' as const };
    const e = await refused(setQuota(base({ period: week })));
    expect(e.message).toMatch(/month, quarter or year/);
  });

  test('a currency without a rate is refused, never mixed; with a rate it is converted and the entry audited', async () => {
    const e = await refused(setQuota(base({ currency: 'EUR', amountMinor: 5_000_000n })));
    expect(e.code).toBe('NO_RATE');
    expect(e.message).toMatch(/no conversion rate for EUR, so the quota was not saved/);
    expect(e.field).toBe('currency');
    expect(await quotas()).toHaveLength(0);

    await setCurrencyRate({ db: t.db, actor: admin, workspace: ws, fromCurrency: 'EUR', rate: 1.08, now });
    const r = await setQuota(base({ currency: 'EUR', amountMinor: 5_000_000n }));
    expect(r.entered).toEqual({ amountMinor: 5_000_000n, currency: 'EUR' });
    expect(await quotas()).toMatchObject([{ amountMinor: 5_400_000n, currency: 'USD' }]);
    const [audit] = await audits();
    expect(JSON.parse(audit!.after ?? '{}')).toMatchObject({ amountMinor: '5400000', enteredAmountMinor: '5000000', enteredCurrency: 'EUR' });
  });

  test('a rep or team of another workspace is refused', async () => {
    expect((await refused(setQuota(base({ target: { repId: otherRep.id } })))).code).toBe('NOT_FOUND');
    expect((await refused(setQuota(base({ target: { teamId: 999_999 } })))).code).toBe('NOT_FOUND');
    expect((await refused(setQuota(base({ actor: otherRep })))).code).toBe('FORBIDDEN');
    expect(await quotas()).toHaveLength(0);
  });

  test('listQuotas: the quarter lists team quotas first, then reps, monthly ones inside it too', async () => {
    await setQuota(base());
    await setQuota(base({ target: { repId: eli.id }, period: parseQuotaPeriod('2026-08', ctx()), amountMinor: 1_000_000n }));
    await setQuota(base({ target: { teamId: north.id }, amountMinor: 20_000_000n }));
    await setQuota(base({ period: parseQuotaPeriod('2026-Q4', ctx()) }));
    const list = await listQuotas({ db: t.db, workspace: ws, period: q3() });
    expect(list.map((i) => [i.target.kind, i.target.name, i.quota.periodKind])).toEqual([
      ['team', 'North', 'quarter'],
      ['rep', 'Dana', 'quarter'],
      ['rep', 'Eli', 'month'],
    ]);
    expect(await listQuotas({ db: t.db, workspace: ws, period: q3(), kind: 'month' })).toHaveLength(1);
  });

  test('the KPI report sees the quota (attainment against it)', async () => {
    await setQuota(base());
    const report = await buildKpiReport({ db: t.db, workspace: ws, kpi: 'quota', range: q3(), scope: { kind: 'rep', repId: dana.id }, now });
    expect(report.reps).toMatchObject([{ rep: { repId: dana.id }, quota: { quotaMinor: 5_000_000n, method: 'inside', periodKind: 'quarter' } }]);
  });

  describe('teams', () => {
    test('names are unique whatever their case; reps and bad names are refused', async () => {
      expect((await refused(createTeam({ db: t.db, actor: admin, workspace: ws, name: '  north ', now }))).code).toBe('CONFLICT');
      expect((await refused(createTeam({ db: t.db, actor: dana, workspace: ws, name: 'South', now }))).message).toMatch(/Only managers and admins/);
      expect((await refused(createTeam({ db: t.db, actor: admin, workspace: ws, name: '<@U1>', now }))).code).toBe('INVALID_INPUT');
      expect((await refused(createTeam({ db: t.db, actor: admin, workspace: ws, name: '2026', now }))).code).toBe('INVALID_INPUT');
      expect(await t.db.prisma.salesTeam.count({ where: { workspaceId: ws.id } })).toBe(1);
    });

    test('adding a rep moves them into the team, audited; again changes nothing', async () => {
      const south = await createTeam({ db: t.db, actor: admin, workspace: ws, name: 'South  America', now });
      expect(south.name).toBe('South America');
      const first = await addRepToTeam({ db: t.db, actor: manager, rep: eli, team: north, now });
      expect(first).toMatchObject({ changed: true, previousTeamId: null, rep: { teamId: north.id } });
      const moved = await addRepToTeam({ db: t.db, actor: manager, rep: first.rep, team: south, now });
      expect(moved).toMatchObject({ changed: true, previousTeamId: north.id, rep: { teamId: south.id } });
      const again = await addRepToTeam({ db: t.db, actor: manager, rep: moved.rep, team: south, now });
      expect(again.changed).toBe(false);
      const trail = await t.db.prisma.auditEntry.findMany({ where: { entity: 'rep', entityId: eli.id }, orderBy: { id: 'asc' } });
      expect(trail.map((a) => [a.before, a.after])).toEqual([
        [JSON.stringify({ teamId: null }), JSON.stringify({ teamId: north.id })],
        [JSON.stringify({ teamId: north.id }), JSON.stringify({ teamId: south.id })],
      ]);
      expect((await refused(addRepToTeam({ db: t.db, actor: dana, rep: dana, team: north, now }))).code).toBe('FORBIDDEN');
    });
  });
});
