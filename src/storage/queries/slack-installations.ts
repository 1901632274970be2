import type { Db } from '../db.js';
import type { SlackInstallation } from '../models.js';

// OAuth installations (issue #11): one row per workspace (`team:T…`) or org-wide install
// (`enterprise:E…`). Tokens arrive sealed; this module never sees them in the clear.

export type TSlackInstallationWrite = Omit<SlackInstallation, 'id' | 'active' | 'uninstalledAt' | 'updatedAt' | 'installedAt'>;

/** Stores an installation (a reinstall replaces the row's tokens and makes it active again). */
export async function upsertSlackInstallation(db: Db, row: TSlackInstallationWrite, now: Date): Promise<SlackInstallation> {
  const data = { ...row, active: true, uninstalledAt: null, installedAt: now, updatedAt: now };
  return db.prisma.slackInstallation.upsert({ where: { installKey: row.installKey }, create: data, update: data });
}

/** The installation stored under that key (active or not), or null. */
export async function slackInstallationByKey(db: Db, installKey: string): Promise<SlackInstallation | null> {
  return db.prisma.slackInstallation.findUnique({ where: { installKey } });
}

/** Marks the installation inactive (its row and the workspace's data are kept). Returns whether a row changed. */
export async function deactivateSlackInstallation(db: Db, installKey: string, now: Date): Promise<boolean> {
  const res = await db.prisma.slackInstallation.updateMany({ where: { installKey, active: true }, data: { active: false, uninstalledAt: now, updatedAt: now } });
  return res.count > 0;
}
