import { prismaOf, type Db, type Tx } from '../db.js';
import type { Workspace } from '../models.js';

/** The workspace of a Slack team (in a transaction or not), or null before the app has met it. */
export async function workspaceOfSlackTeam(source: Db | Tx, slackTeamId: string): Promise<Workspace | null> {
  return prismaOf(source).workspace.findUnique({ where: { slackTeamId } });
}

/** The workspace of a Slack team, created with these settings when missing (concurrent callers get the same row). */
export async function upsertWorkspace(
  db: Db,
  data: { slackTeamId: string; timeZone: string; currency: string; installerUserId: string; now: Date },
): Promise<Workspace> {
  return db.prisma.workspace.upsert({
    where: { slackTeamId: data.slackTeamId },
    create: { slackTeamId: data.slackTeamId, timeZone: data.timeZone, currency: data.currency, installerUserId: data.installerUserId, createdAt: data.now, updatedAt: data.now },
    update: {},
  });
}

/** Records the installer of a workspace that has none (conditional: one claimant wins); whether this call did. */
export async function claimInstaller(source: Db | Tx, workspaceId: number, slackUserId: string): Promise<boolean> {
  const res = await prismaOf(source).workspace.updateMany({ where: { id: workspaceId, installerUserId: null }, data: { installerUserId: slackUserId } });
  return res.count === 1;
}

/** Sets the installer of a workspace that has none (`claimInstaller`); returns the row as it is now. */
export async function claimWorkspaceInstaller(db: Db, workspaceId: number, userId: string): Promise<Workspace> {
  await claimInstaller(db, workspaceId, userId);
  return db.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
}

/** Workspaces by id order, all of them or those with the given ids. */
export async function listWorkspaceRows(db: Db, ids?: readonly number[]): Promise<Workspace[]> {
  return db.prisma.workspace.findMany({ ...(ids ? { where: { id: { in: [...ids] } } } : {}), orderBy: { id: 'asc' } });
}

/** Deals stored for the workspace. */
export async function dealCount(db: Db, workspaceId: number): Promise<number> {
  return db.prisma.deal.count({ where: { workspaceId } });
}

/** One outcome of a message delivery (digest, alert, notice), as `Delivery` stores it. */
export interface TDeliveryRow {
  workspaceId: number;
  channelId: string;
  kind: string;
  refId: number | null;
  status: 'sent' | 'retried' | 'failed';
  attempts: number;
  error: string | null;
  messageTs: string | null;
  createdAt: Date;
}

/** Stores a delivery outcome. */
export async function insertDelivery(db: Db, row: TDeliveryRow): Promise<void> {
  await db.prisma.delivery.create({ data: row });
}
