import { prismaOf, type Db, type Tx } from '../db.js';
import type { DigestSubscription, Rep, SalesTeam } from '../models.js';

// Small reads the Slack adapters used to run themselves; domain use cases call them
// (domain/workspaces/lookups.ts, domain/alerts/find-alert-event.ts).

/** The workspace's conversion rates, by source currency. */
export async function currencyRates(db: Db, workspaceId: number): Promise<Array<{ fromCurrency: string; rate: number }>> {
  return db.prisma.currencyRate.findMany({ where: { workspaceId }, orderBy: { fromCurrency: 'asc' }, select: { fromCurrency: true, rate: true } });
}

/** A rep of the workspace by id; throws when there is none there (callers hold an id read from a row). */
export async function repByIdOrThrow(db: Db, workspaceId: number, repId: number): Promise<Rep> {
  return db.prisma.rep.findFirstOrThrow({ where: { id: repId, workspaceId } });
}

/** Members per team (reps without a team left out). */
export async function repCountsByTeam(db: Db, workspaceId: number): Promise<Map<number, number>> {
  const counts = await db.prisma.rep.groupBy({ by: ['teamId'], where: { workspaceId, teamId: { not: null } }, _count: { _all: true } });
  return new Map(counts.flatMap((c) => (c.teamId === null ? [] : [[c.teamId, c._count._all] as const])));
}

/** The channel's digest subscription, or null. */
export async function subscriptionOfChannel(db: Db, workspaceId: number, channelId: string): Promise<DigestSubscription | null> {
  return db.prisma.digestSubscription.findUnique({ where: { workspaceId_channelId: { workspaceId, channelId } } });
}

/** The most recent alert event of one rule and condition, or null. */
export async function latestAlertEvent(db: Db, workspaceId: number, rule: string, conditionKey: string): Promise<{ id: number; message: string | null } | null> {
  return db.prisma.alertEvent.findFirst({
    where: { workspaceId, rule, conditionKey },
    orderBy: [{ firedAt: 'desc' }, { id: 'desc' }],
    select: { id: true, message: true },
  });
}

/** A rep by Slack user id (in a transaction or not), or null when the app has not met them. */
export async function repOfSlackUser(source: Db | Tx, workspaceId: number, slackUserId: string): Promise<Rep | null> {
  return prismaOf(source).rep.findUnique({ where: { workspaceId_slackUserId: { workspaceId, slackUserId } } });
}

/** The rate of one source currency, or null when the workspace has none (read in `source`: the database or a transaction). */
export async function currencyRateOf(source: Db | Tx, workspaceId: number, fromCurrency: string): Promise<{ id: number; rate: number } | null> {
  return prismaOf(source).currencyRate.findUnique({ where: { workspaceId_fromCurrency: { workspaceId, fromCurrency } }, select: { id: true, rate: true } });
}

/** Reps created by an import and not linked to a Slack user yet (at most `take`). */
export async function unlinkedReps(db: Db, workspaceId: number, take: number): Promise<Array<{ id: number; name: string }>> {
  return db.prisma.rep.findMany({ where: { workspaceId, slackUserId: null }, select: { id: true, name: true }, take });
}

/** The team id of a rep of the workspace (null: no team, or no such rep). */
export async function teamIdOfRep(db: Db, workspaceId: number, repId: number): Promise<number | null> {
  const rep = await db.prisma.rep.findFirst({ where: { id: repId, workspaceId }, select: { teamId: true } });
  return rep?.teamId ?? null;
}

/** The workspace's sales teams, by name. */
export async function teamsByName(db: Db, workspaceId: number): Promise<SalesTeam[]> {
  return db.prisma.salesTeam.findMany({ where: { workspaceId }, orderBy: { name: 'asc' } });
}

/** Stored alert settings of a workspace (rules without a row use the defaults). */
export async function alertSettingRows(db: Db, workspaceId: number): Promise<Array<{ rule: string; threshold: number | null; enabled: boolean }>> {
  return db.prisma.alertSetting.findMany({ where: { workspaceId }, select: { rule: true, threshold: true, enabled: true } });
}

/** Snoozes of a workspace still running at `now`. */
export async function activeSnoozeRows(db: Db, workspaceId: number, now: Date): Promise<Array<{ rule: string; conditionKey: string; until: Date }>> {
  return db.prisma.alertSnooze.findMany({ where: { workspaceId, until: { gt: now } }, select: { rule: true, conditionKey: true, until: true } });
}

/** A rep's open deals: how many, and their total in the reporting currency. */
export async function openDealTotalsOfRep(db: Db, workspaceId: number, ownerId: number): Promise<{ count: number; sumReportingMinor: bigint }> {
  const agg = await db.prisma.deal.aggregate({ where: { workspaceId, ownerId, status: 'open' }, _count: { _all: true }, _sum: { amountReportingMinor: true } });
  return { count: agg._count._all, sumReportingMinor: agg._sum.amountReportingMinor ?? 0n };
}

/** A team of the workspace by id, or null. */
export async function teamById(db: Db, workspaceId: number, teamId: number): Promise<SalesTeam | null> {
  return db.prisma.salesTeam.findFirst({ where: { id: teamId, workspaceId } });
}
