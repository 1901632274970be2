import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Rep, Workspace } from '../../src/generated/sqlite/client.js';
import { loadHome } from '../../src/domain/home/load-home.js';
import { parseQuotaPeriod } from '../../src/domain/quotas/quota-period.js';
import { setQuota } from '../../src/domain/quotas/set-quota.js';
import { buildAppHome, HOME_MAX_DEALS } from '../../src/slack/blocks/app-home.js';
import { findViewViolations } from '../../src/slack/blocks/limits.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/test-db.js';

const now = new Date('2026-08-15T10:00:00Z');
const d = (iso: string) => new Date(iso);

/**
 * Berlin workspace, August 2026. North = Dana, Eli, Gil.
 * Dana: 4 won $10,000 in May–July, 1 won $10,000 on Aug 5; quota Aug $50,000 and Q3 $150,000;
 *       200 open deals ($1,000 … ), one of them $45,000 (4.5× her average, most of her $40,000 gap).
 * Eli: won $12,000 and lost one in August; quota Aug $10,000 (met).
 * Gil: quota Aug $30,000, no deals (averages fall back to the team's).
 * Fay: nothing, no team.
 */
describe.each(testEngines())('loadHome on %s', (dialect) => {
  let t: TestDatabase;
  let ws: Workspace;
  let dana: Rep;
  let gil: Rep;
  let fay: Rep;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    const p = t.db.prisma;
    ws = await p.workspace.create({ data: { slackTeamId: 'T-HOME', currency: 'USD', timeZone: 'Europe/Berlin' } });
    const north = await p.salesTeam.create({ data: { workspaceId: ws.id, name: 'North' } });
    const mia = await p.rep.create({ data: { workspaceId: ws.id, name: 'Mia', slackUserId: 'UMIA', role: 'manager' } });
    dana = await p.rep.create({ data: { workspaceId: ws.id, name: 'Dana', slackUserId: 'UDANA', teamId: north.id } });
    const eli = await p.rep.create({ data: { workspaceId: ws.id, name: 'Eli', slackUserId: 'UELI', teamId: north.id } });
    gil = await p.rep.create({ data: { workspaceId: ws.id, name: 'Gil', slackUserId: 'UGIL', teamId: north.id } });
    fay = await p.rep.create({ data: { workspaceId: ws.id, name: 'Fay', slackUserId: 'UFAY' } });
    const base = { workspaceId: ws.id, currency: 'USD', type: 'new' };
    const closed = (ownerId: number, customer: string, amount: bigint, status: 'won' | 'lost', at: string) => ({
      ...base,
      ownerId,
      customer,
      amountMinor: amount,
      amountReportingMinor: amount,
      status,
      stage: status,
      maxStageIndex: status === 'won' ? 4 : 2,
      createdAt: d(at),
      closedAt: d(at),
    });
    await p.deal.createMany({
      data: [
        closed(dana.id, 'May Co', 1_000_000n, 'won', '2026-05-12T10:00:00Z'),
        closed(dana.id, 'June Co', 1_000_000n, 'won', '2026-06-12T10:00:00Z'),
        closed(dana.id, 'July Co', 1_000_000n, 'won', '2026-07-02T10:00:00Z'),
        closed(dana.id, 'July Two', 1_000_000n, 'won', '2026-07-22T10:00:00Z'),
        closed(dana.id, 'August Co', 1_000_000n, 'won', '2026-08-05T10:00:00Z'),
        closed(eli.id, 'Eli Won', 1_200_000n, 'won', '2026-08-06T10:00:00Z'),
        closed(eli.id, 'Eli Lost', 900_000n, 'lost', '2026-08-07T10:00:00Z'),
      ],
    });
    const open = Array.from({ length: 199 }, (_, i) => ({
      ...base,
      ownerId: dana.id,
      customer: `Open ${i + 1}`,
      amountMinor: BigInt(100_000 + i * 1_000),
      amountReportingMinor: BigInt(100_000 + i * 1_000),
      status: 'open',
      stage: 'demo',
      maxStageIndex: 2,
      createdAt: d('2026-08-01T10:00:00Z'),
    }));
    open.push({ ...open[0]!, customer: 'Megacorp', amountMinor: 4_500_000n, amountReportingMinor: 4_500_000n, stage: 'proposal', maxStageIndex: 3 });
    await p.deal.createMany({ data: open });
    const ctx = { now, timeZone: ws.timeZone, fiscalYearStartMonth: 1 };
    const aug = parseQuotaPeriod('2026-08', ctx);
    const set = (repId: number, amountMinor: bigint, period = aug) => setQuota({ db: t.db, actor: mia, workspace: ws, target: { repId }, amountMinor, currency: 'USD', period, now });
    await set(dana.id, 5_000_000n);
    await set(dana.id, 15_000_000n, parseQuotaPeriod('2026-Q3', ctx));
    await set(eli.id, 1_000_000n);
    await set(gil.id, 3_000_000n);
  });
  afterAll(async () => t?.drop());

  test('my quota, pace, gap plan, biggest open deals with the oversized warning, and the team headline', async () => {
    const home = await loadHome({ db: t.db, workspace: ws, viewer: dana, now });
    expect(home.month).toMatchObject({ quotaMinor: 5_000_000n, netWonMinor: 1_000_000n, quotaKind: 'month', period: { key: '2026-08', timeZone: 'Europe/Berlin' } });
    expect(home.month.attainment.attainment).toBeCloseTo(0.2);
    expect(home.month.pacing.status).toBe('at-risk');
    expect(home.month.pacing.expectedToDateMinor).toBeGreaterThan(2_000_000n);
    expect(home.quarter).toMatchObject({ quotaMinor: 15_000_000n, quotaKind: 'quarter', period: { key: '2026-Q3' } });
    expect(home.gapPlan).toMatchObject({ remainingMinor: 4_000_000n, dealsNeeded: 4, averageDealMinor: 1_000_000n, basis: 'rep' });
    expect(home.openDeals.total).toBe(200);
    expect(home.openDeals.shown).toHaveLength(HOME_MAX_DEALS);
    expect(home.openDeals.shown[0]).toMatchObject({ customer: 'Megacorp', amountMinor: 4_500_000n, oversize: { baselineSource: 'rep', baselineMinor: 1_000_000n, carriesMostOfGap: true, gapMinor: 4_000_000n } });
    expect(home.openDeals.shown.slice(1).every((x) => x.oversize === null)).toBe(true);
    expect(home.team).toMatchObject({ scope: { kind: 'team', name: 'North' }, winRate: { won: 2, closed: 3 }, netRevenue: { netMinor: 2_200_000n }, ratio: { withQuota: 3, atOrAbove: 1 }, band: { band: 'unrealistic' } });
    expect(home.viewer.canSetQuotas).toBe(false);

    const view = buildAppHome(home);
    expect(findViewViolations(view)).toEqual([]);
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('*$10,000* won of *$50,000*');
    expect(text).toContain('At risk');
    expect(text).toContain('carries most of your remaining gap ($40,000)');
    expect(text).toContain('…and 185 more open deals');
  });

  test('without won deals of my own, the gap plan uses the team average', async () => {
    const home = await loadHome({ db: t.db, workspace: ws, viewer: gil, now });
    expect(home.month.quotaMinor).toBe(3_000_000n);
    expect(home.quarter).toBeNull();
    // Team history, the policy's 3 months before August (May–July, as `/kpi plan`): Dana's
    // 4 × $10,000 over 4 won deals = $10,000 → 3 deals for $30,000. (August's own deals are not history.)
    expect(home.gapPlan).toMatchObject({ basis: 'team', dealsNeeded: 3, averageDealMinor: 1_000_000n, basisPeriods: { count: 3, kind: 'month' } });
    expect(home.gapPlan?.basisRange).toEqual({ start: d('2026-04-30T22:00:00Z'), end: d('2026-07-31T22:00:00Z') });
    expect(home.openDeals).toMatchObject({ total: 0, shown: [] });
  });

  test('a new rep without a team or quota gets the empty state and workspace figures', async () => {
    const home = await loadHome({ db: t.db, workspace: ws, viewer: fay, now });
    expect(home.month.quotaMinor).toBeNull();
    expect(home.gapPlan).toBeNull();
    expect(home.team.scope).toEqual({ kind: 'workspace' });
    const text = JSON.stringify(buildAppHome(home).blocks);
    expect(text).toContain('No quota set for you this month — ask your manager to run `/kpi quota set @you 50k`');
    expect(text).toContain('Whole workspace: August 2026');
  });
});
