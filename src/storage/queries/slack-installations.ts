import type { Db } from '../db.js';
import type { SlackInstallation } from '../models.js';

// OAuth installations (issue #11): one row per workspace (`team:T…`) or org-wide install
// (`enterprise:E…`). Tokens arrive sealed; this module never sees them in the clear.

export type TSlackInstallationWrite = Omit<SlackInstallation, 'id' | 'active' | 'uninstalledAt' | 'updatedAt' | 'installedAt' | 'tokenVersion' | 'refreshClaimedUntil'>;

/**
 * Stores an installation (a reinstall replaces the row's tokens and makes it active again). The
 * token version moves on, so a refresh that started from the old tokens is not stored over these.
 */
export async function upsertSlackInstallation(db: Db, row: TSlackInstallationWrite, now: Date): Promise<SlackInstallation> {
  const data = { ...row, active: true, uninstalledAt: null, installedAt: now, updatedAt: now, refreshClaimedUntil: null };
  return db.prisma.slackInstallation.upsert({ where: { installKey: row.installKey }, create: data, update: { ...data, tokenVersion: { increment: 1 } } });
}

/** The installation stored under that key (active or not), or null. */
export async function slackInstallationByKey(db: Db, installKey: string): Promise<SlackInstallation | null> {
  return db.prisma.slackInstallation.findUnique({ where: { installKey } });
}

/**
 * Marks the installation inactive (its row and the workspace's data are kept). With `notInstalledAfter`
 * (an uninstall event's time) a row installed again after that moment is left alone: a late or
 * repeated delivery never undoes a reinstall. Returns whether a row changed.
 */
export async function deactivateSlackInstallation(db: Db, installKey: string, now: Date, notInstalledAfter?: Date): Promise<boolean> {
  const res = await db.prisma.slackInstallation.updateMany({
    where: { installKey, active: true, ...(notInstalledAfter ? { installedAt: { lte: notInstalledAfter } } : {}) },
    data: { active: false, uninstalledAt: now, updatedAt: now, refreshClaimedUntil: null },
  });
  return res.count > 0;
}

/**
 * Takes the right to exchange the refresh token of this token version: true for exactly one caller
 * while the lease runs (a conditional UPDATE), false when another holds it or the tokens moved on.
 */
export async function claimSlackTokenRefresh(db: Db, installKey: string, tokenVersion: number, now: Date, leaseUntil: Date): Promise<boolean> {
  const res = await db.prisma.slackInstallation.updateMany({
    where: { installKey, tokenVersion, active: true, OR: [{ refreshClaimedUntil: null }, { refreshClaimedUntil: { lt: now } }] },
    data: { refreshClaimedUntil: leaseUntil },
  });
  return res.count > 0;
}

/** Gives a refresh claim back (the exchange failed before anything was stored). */
export async function releaseSlackTokenRefresh(db: Db, installKey: string, tokenVersion: number): Promise<void> {
  await db.prisma.slackInstallation.updateMany({ where: { installKey, tokenVersion }, data: { refreshClaimedUntil: null } });
}

/**
 * Stores refreshed (sealed) tokens over the version they were refreshed from; false when the row
 * moved on meanwhile (a reinstall), so nothing older is written over it.
 */
export async function storeRefreshedSlackTokens(
  db: Db,
  installKey: string,
  fromVersion: number,
  tokens: { botToken: string; botRefreshToken: string; botTokenExpiresAt: Date },
  now: Date,
): Promise<boolean> {
  const res = await db.prisma.slackInstallation.updateMany({
    where: { installKey, tokenVersion: fromVersion },
    data: { ...tokens, tokenVersion: fromVersion + 1, refreshClaimedUntil: null, updatedAt: now },
  });
  return res.count > 0;
}

/** Records that a workspace belongs to an org (seen in a request served by the org's install). */
export async function recordSlackOrgTeam(db: Db, teamId: string, enterpriseId: string, now: Date): Promise<void> {
  await db.prisma.slackOrgTeam.upsert({ where: { teamId }, create: { teamId, enterpriseId, seenAt: now }, update: { enterpriseId, seenAt: now } });
}

/**
 * The Workspace ids an active installation serves: its own workspace install, or the org-wide
 * install of the org it was seen in.
 */
export async function servedWorkspaceIds(db: Db): Promise<number[]> {
  const active = await db.prisma.slackInstallation.findMany({ where: { active: true }, select: { teamId: true, enterpriseId: true, isEnterpriseInstall: true } });
  const teams = new Set(active.filter((i) => !i.isEnterpriseInstall && i.teamId).map((i) => i.teamId as string));
  const orgs = active.filter((i) => i.isEnterpriseInstall && i.enterpriseId).map((i) => i.enterpriseId as string);
  if (orgs.length > 0) {
    for (const t of await db.prisma.slackOrgTeam.findMany({ where: { enterpriseId: { in: orgs } }, select: { teamId: true } })) teams.add(t.teamId);
  }
  if (teams.size === 0) return [];
  const rows = await db.prisma.workspace.findMany({ where: { slackTeamId: { in: [...teams] } }, select: { id: true }, orderBy: { id: 'asc' } });
  return rows.map((r) => r.id);
}

/** The Slack ids behind a workspace (its team id and, when seen through an org install, its org). */
export async function slackIdsOfWorkspace(db: Db, workspaceId: number): Promise<{ teamId: string; enterpriseId: string | null } | null> {
  const ws = await db.prisma.workspace.findUnique({ where: { id: workspaceId }, select: { slackTeamId: true } });
  if (!ws) return null;
  const org = await db.prisma.slackOrgTeam.findUnique({ where: { teamId: ws.slackTeamId }, select: { enterpriseId: true } });
  return { teamId: ws.slackTeamId, enterpriseId: org?.enterpriseId ?? null };
}
