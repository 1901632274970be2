import { customerKey } from '../../src/shared/customer-key.js';
import type { Rep, Workspace } from '../../src/generated/sqlite/client.js';
import type { Db } from '../../src/storage/db.js';

/**
 * A small, known sales history for alert and digest tests (amounts in USD cents, deals created
 * long before so the funnel stays empty unless asked for):
 * - W44–W47 2026 (Oct 26 – Nov 22): each week 4 won × $1,000 and 6 lost → win rate 40%, net $4,000;
 * - W48 (Nov 23–29): 2 won × $1,000 and 8 lost → win rate 20% (20 points below), net $2,000 (−50%).
 * Evaluated on Monday Nov 30 (W49), last week is W48: `winrate-drop` and `revenue-drop` breach,
 * nothing else does.
 */
export const MONDAY_NOV_30 = new Date('2026-11-30T09:00:00Z');
export const WEEK_STARTS = ['2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23'] as const;

export interface TSeeded {
  workspace: Workspace;
  manager: Rep;
  alice: Rep;
  bob: Rep;
  teamId: number;
}

let seq = 0;

export async function seedAlertWorkspace(db: Db, opts: { timeZone?: string; alertsChannelId?: string | null } = {}): Promise<TSeeded> {
  const p = db.prisma;
  seq += 1;
  const workspace = await p.workspace.create({
    data: { slackTeamId: `T-ALERT-${Date.now().toString(36)}-${seq}`, currency: 'USD', timeZone: opts.timeZone ?? 'UTC', alertsChannelId: opts.alertsChannelId ?? null },
  });
  const team = await p.salesTeam.create({ data: { workspaceId: workspace.id, name: 'North' } });
  const manager = await p.rep.create({ data: { workspaceId: workspace.id, name: 'Mia Manager', slackUserId: `UMGR${seq}`, role: 'manager' } });
  const alice = await p.rep.create({ data: { workspaceId: workspace.id, name: 'Alice', slackUserId: `UALICE${seq}`, teamId: team.id } });
  const bob = await p.rep.create({ data: { workspaceId: workspace.id, name: 'Bob', slackUserId: `UBOB${seq}`, teamId: team.id } });
  await seedAlertHistory(db, workspace, [alice, bob]);
  return { workspace, manager, alice, bob, teamId: team.id };
}

/** The closed deals described above, in an existing workspace, alternating between `owners`. */
export async function seedAlertHistory(db: Db, workspace: Workspace, owners: readonly Rep[]): Promise<void> {
  const weeks: Array<[string, number, number]> = [
    ['2026-10-27', 4, 6],
    ['2026-11-03', 4, 6],
    ['2026-11-10', 4, 6],
    ['2026-11-17', 4, 6],
    ['2026-11-24', 2, 8],
  ];
  for (const [day, won, lost] of weeks) await addClosedDeals(db, { workspace, owners, day, won, lost });
}

let dealSeq = 0;

/** Closed deals on `day` (noon UTC), alternating owners; won ones $1,000 each unless `amountMinor`. */
export async function addClosedDeals(
  db: Db,
  opts: { workspace: Workspace; owners: readonly Rep[]; day: string; won: number; lost: number; amountMinor?: bigint },
): Promise<void> {
  const rows = [];
  for (let i = 0; i < opts.won + opts.lost; i++) {
    const won = i < opts.won;
    const owner = opts.owners[i % opts.owners.length]!;
    dealSeq += 1;
    const amount = opts.amountMinor ?? 100_000n;
    rows.push({
      workspaceId: opts.workspace.id,
      ownerId: owner.id,
      customer: `Customer ${dealSeq}`,
      customerKey: customerKey(`Customer ${dealSeq}`),
      amountMinor: amount,
      currency: 'USD',
      amountReportingMinor: amount,
      stage: won ? 'won' : 'lost',
      status: won ? 'won' : 'lost',
      maxStageIndex: won ? 4 : 1,
      createdAt: new Date('2026-01-05T10:00:00Z'),
      closedAt: new Date(`${opts.day}T12:00:00Z`),
    });
  }
  await db.prisma.deal.createMany({ data: rows });
}

/** An open deal (for oversized-deal alerts). */
export async function addOpenDeal(db: Db, opts: { workspace: Workspace; owner: Rep; amountMinor: bigint; customer: string }): Promise<number> {
  const row = await db.prisma.deal.create({
    data: {
      workspaceId: opts.workspace.id,
      ownerId: opts.owner.id,
      customer: opts.customer,
      customerKey: customerKey(opts.customer),
      amountMinor: opts.amountMinor,
      currency: 'USD',
      amountReportingMinor: opts.amountMinor,
      stage: 'proposal',
      status: 'open',
      maxStageIndex: 3,
      createdAt: new Date('2026-11-02T10:00:00Z'),
    },
  });
  return row.id;
}
