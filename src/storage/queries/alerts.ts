import { toNumber, type Db, type Tx } from '../db.js';
import type { AlertEvent, AlertSetting, AlertSnooze, Workspace } from '../models.js';

// The alert tables (AlertEvent, AlertSetting, AlertSnooze) and the alert settings kept on the
// Workspace row. The rules (what fires, what is owed a post) live in domain/alerts/; these are
// the statements they need.

const inList = (n: number): string => new Array<string>(n).fill('?').join(', ');
/** Workspace-wide condition keys: `all` or `all/…` (team-scoped ones are `team:<id>…`). */
const WORKSPACE_SCOPE = [{ conditionKey: 'all' }, { conditionKey: { startsWith: 'all/' } }];

/** Sets the posting lease on the events still unposted, unrecovered and unclaimed (or whose lease ended); the ids won. */
export async function claimUnpostedAlertEvents(db: Db, eventIds: readonly number[], leaseUntil: Date, now: Date): Promise<number[]> {
  if (eventIds.length === 0) return [];
  const rows = await db.query<{ id: unknown }>(
    `UPDATE "AlertEvent" SET "postingUntil" = ?
      WHERE "id" IN (${inList(eventIds.length)}) AND "postedAt" IS NULL AND "recoveredAt" IS NULL AND ("postingUntil" IS NULL OR "postingUntil" < ?)
      RETURNING "id"`,
    [leaseUntil, ...eventIds, now],
  );
  return rows.map((r) => toNumber(r.id));
}

/** `postedAt = now` on the events still held under this lease; how many. */
export async function markClaimedAlertEventsPosted(db: Db, eventIds: readonly number[], leaseUntil: Date, now: Date): Promise<number> {
  if (eventIds.length === 0) return 0;
  return db.execute(`UPDATE "AlertEvent" SET "postedAt" = ?, "postingUntil" = NULL WHERE "id" IN (${inList(eventIds.length)}) AND "postedAt" IS NULL AND "postingUntil" = ?`, [
    now,
    ...eventIds,
    leaseUntil,
  ]);
}

/** Replaces this lease by `retryAt` (null: claimable at once) on the events still held under it; how many. */
export async function releaseClaimedAlertEvents(db: Db, eventIds: readonly number[], leaseUntil: Date, retryAt: Date | null): Promise<number> {
  if (eventIds.length === 0) return 0;
  return db.execute(`UPDATE "AlertEvent" SET "postingUntil" = ? WHERE "id" IN (${inList(eventIds.length)}) AND "postedAt" IS NULL AND "postingUntil" = ?`, [
    retryAt,
    ...eventIds,
    leaseUntil,
  ]);
}

/** `postedAt = now` on unposted workspace-wide events of workspaces without an alerts channel; how many. */
export async function markChannelLessAlertEventsPosted(db: Db, now: Date, workspaceIds?: readonly number[]): Promise<number> {
  const res = await db.prisma.alertEvent.updateMany({
    where: { postedAt: null, OR: WORKSPACE_SCOPE, workspace: { alertsChannelId: null }, ...(workspaceIds ? { workspaceId: { in: [...workspaceIds] } } : {}) },
    data: { postedAt: now },
  });
  return res.count;
}

/**
 * `postedAt = now` on unposted, unrecovered, unclaimed events with a sent `Delivery` (kind 'alert',
 * refId = the event) made since the event last fired; how many.
 */
export async function markDeliveredAlertEventsPosted(db: Db, now: Date, workspaceIds?: readonly number[]): Promise<number> {
  const only = workspaceIds ? ` AND "workspaceId" IN (${workspaceIds.length ? inList(workspaceIds.length) : 'NULL'})` : '';
  return db.execute(
    `UPDATE "AlertEvent" SET "postedAt" = ?, "postingUntil" = NULL
      WHERE "postedAt" IS NULL AND "recoveredAt" IS NULL AND ("postingUntil" IS NULL OR "postingUntil" < ?)${only}
        AND EXISTS (SELECT 1 FROM "Delivery" d WHERE d."kind" = 'alert' AND d."refId" = "AlertEvent"."id" AND d."status" = 'sent' AND d."createdAt" >= "AlertEvent"."firedAt")`,
    [now, now, ...(workspaceIds ?? [])],
  );
}

/**
 * Unposted, unrecovered, unclaimed (or lease ended) workspace-wide events fired since `since`, of
 * workspaces with an alerts channel, with their workspace; by workspace, then oldest first.
 */
export async function unpostedWorkspaceAlertEvents(db: Db, now: Date, since: Date, workspaceIds?: readonly number[]): Promise<Array<AlertEvent & { workspace: Workspace }>> {
  return db.prisma.alertEvent.findMany({
    where: {
      postedAt: null,
      recoveredAt: null,
      firedAt: { gte: since },
      AND: [{ OR: WORKSPACE_SCOPE }, { OR: [{ postingUntil: null }, { postingUntil: { lt: now } }] }],
      workspace: { alertsChannelId: { not: null } },
      ...(workspaceIds ? { workspaceId: { in: [...workspaceIds] } } : {}),
    },
    include: { workspace: true },
    orderBy: [{ workspaceId: 'asc' }, { firedAt: 'asc' }, { id: 'asc' }],
  });
}

/** Unrecovered events fired since `since`: the newest `limit` and how many in all. */
export async function recentActiveAlertEvents(db: Db, workspaceId: number, since: Date, limit: number): Promise<{ events: AlertEvent[]; total: number }> {
  const where = { workspaceId, recoveredAt: null, firedAt: { gte: since } };
  const [events, total] = await Promise.all([
    db.prisma.alertEvent.findMany({ where, orderBy: [{ firedAt: 'desc' }, { id: 'desc' }], take: limit }),
    db.prisma.alertEvent.count({ where }),
  ]);
  return { events, total };
}

/** Snoozes still running at `now`, soonest end first. */
export async function runningAlertSnoozes(db: Db, workspaceId: number, now: Date): Promise<AlertSnooze[]> {
  return db.prisma.alertSnooze.findMany({ where: { workspaceId, until: { gt: now } }, orderBy: { until: 'asc' } });
}

/** One snooze row, or null. */
export async function findAlertSnooze(tx: Tx, workspaceId: number, rule: string, conditionKey: string): Promise<AlertSnooze | null> {
  return tx.alertSnooze.findUnique({ where: { workspaceId_rule_conditionKey: { workspaceId, rule, conditionKey } } });
}

/** Creates the snooze or moves its end to `until`. */
export async function upsertAlertSnooze(tx: Tx, s: { workspaceId: number; rule: string; conditionKey: string; until: Date; bySlackUserId: string | null; now: Date }): Promise<AlertSnooze> {
  return tx.alertSnooze.upsert({
    where: { workspaceId_rule_conditionKey: { workspaceId: s.workspaceId, rule: s.rule, conditionKey: s.conditionKey } },
    create: { workspaceId: s.workspaceId, rule: s.rule, conditionKey: s.conditionKey, until: s.until, bySlackUserId: s.bySlackUserId, createdAt: s.now },
    update: { until: s.until, bySlackUserId: s.bySlackUserId },
  });
}

/** Deletes a rule's snoozes still running at `now`; how many. */
export async function deleteRunningAlertSnoozes(tx: Tx, workspaceId: number, rule: string, now: Date): Promise<number> {
  const res = await tx.alertSnooze.deleteMany({ where: { workspaceId, rule, until: { gt: now } } });
  return res.count;
}

/** One rule's AlertSetting row, or null. */
export async function findAlertSetting(tx: Tx, workspaceId: number, rule: string): Promise<AlertSetting | null> {
  return tx.alertSetting.findUnique({ where: { workspaceId_rule: { workspaceId, rule } } });
}

/** Creates or updates a rule's AlertSetting row with these fields. */
export async function upsertAlertSetting(tx: Tx, workspaceId: number, rule: string, fields: { enabled?: boolean; threshold?: number }, now: Date): Promise<AlertSetting> {
  return tx.alertSetting.upsert({
    where: { workspaceId_rule: { workspaceId, rule } },
    create: { workspaceId, rule, ...fields, updatedAt: now },
    update: { ...fields, updatedAt: now },
  });
}

/** The alert settings kept on the Workspace row (alerts channel, attainment band, oversize multiple). */
export async function updateWorkspaceAlertFields(
  tx: Tx,
  workspaceId: number,
  fields: { alertsChannelId?: string | null; attainmentLowBp?: number; attainmentHighBp?: number; oversizeMultiplePct?: number },
  now: Date,
): Promise<Workspace> {
  return tx.workspace.update({ where: { id: workspaceId }, data: { ...fields, updatedAt: now } });
}

/** Team names by id, of this workspace's teams among `teamIds`. */
export async function teamNamesByIds(db: Db, workspaceId: number, teamIds: readonly number[]): Promise<Record<number, string>> {
  if (teamIds.length === 0) return {};
  const teams = await db.prisma.salesTeam.findMany({ where: { workspaceId, id: { in: [...teamIds] } }, select: { id: true, name: true } });
  return Object.fromEntries(teams.map((t) => [t.id, t.name]));
}
