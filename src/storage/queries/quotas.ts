import type { Db, Tx } from '../db.js';
import type { Quota, Rep, SalesTeam } from '../models.js';

// Quota rows (domain/quotas/set-quota.ts holds the rules: one quota per target and period).

/** A numeric key for PostgreSQL's advisory lock that serialises quota writes per workspace. */
const QUOTA_LOCK_CLASS = 0x51_07_a0;

/** Serialises quota writes of a workspace until the transaction ends (PostgreSQL; SQLite runs one write transaction at a time). */
export async function lockQuotaWrites(db: Db, tx: Tx, workspaceId: number): Promise<void> {
  if (db.dialect !== 'postgresql') return;
  await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1::int, $2::int)', QUOTA_LOCK_CLASS, workspaceId);
}

/** Whether the rep or team exists in the workspace. */
export async function quotaTargetExists(tx: Tx, workspaceId: number, target: { repId: number } | { teamId: number }): Promise<boolean> {
  const row =
    'repId' in target
      ? await tx.rep.findFirst({ where: { id: target.repId, workspaceId }, select: { id: true } })
      : await tx.salesTeam.findFirst({ where: { id: target.teamId, workspaceId }, select: { id: true } });
  return row !== null;
}

/** Who a quota row is for: a rep or a team (the other id null). */
export type TQuotaTargetWhere = { repId: number; teamId: null } | { teamId: number; repId: null };

/** The quotas of one target and period start, oldest first. */
export async function quotasOfTarget(tx: Tx, workspaceId: number, target: TQuotaTargetWhere, periodKind: string, periodStart: Date): Promise<Quota[]> {
  return tx.quota.findMany({ where: { workspaceId, ...target, periodKind, periodStart }, orderBy: { id: 'asc' } });
}

/** Deletes quota rows by id. */
export async function deleteQuotas(tx: Tx, ids: readonly number[]): Promise<void> {
  if (ids.length > 0) await tx.quota.deleteMany({ where: { id: { in: [...ids] } } });
}

/** The amount and setter of a quota. */
export interface TQuotaFields {
  amountMinor: bigint;
  currency: string;
  periodEnd: Date;
  setById: number;
  updatedAt: Date;
}

/** Updates a quota row. */
export async function updateQuota(tx: Tx, id: number, fields: TQuotaFields): Promise<Quota> {
  return tx.quota.update({ where: { id }, data: fields });
}

/** Creates a quota row. */
export async function insertQuota(tx: Tx, workspaceId: number, target: TQuotaTargetWhere, period: { periodKind: string; periodStart: Date }, fields: TQuotaFields, now: Date): Promise<Quota> {
  return tx.quota.create({ data: { workspaceId, ...target, ...period, createdAt: now, ...fields } });
}

/** Quotas overlapping [start, end), of one period kind or all, with their rep or team. */
export async function quotasOverlapping(db: Db, workspaceId: number, range: { start: Date; end: Date }, kind?: string): Promise<Array<Quota & { rep: Rep | null; team: SalesTeam | null }>> {
  return db.prisma.quota.findMany({
    where: { workspaceId, periodStart: { lt: range.end }, periodEnd: { gt: range.start }, ...(kind ? { periodKind: kind } : {}) },
    include: { rep: true, team: true },
  });
}
