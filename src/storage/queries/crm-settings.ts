import { prismaOf, type Db, type Tx } from '../db.js';
import type { CrmSettings } from '../models.js';

// What an admin set around a CRM connection from Slack (write-back, HubSpot portal, Pipedrive
// webhook login), the Salesforce authorizations in flight, and "sync this workspace now" for webhooks.

/** The workspace's CRM settings, or null when none were ever stored. */
export async function crmSettingsOfWorkspace(source: Db | Tx, workspaceId: number): Promise<CrmSettings | null> {
  return prismaOf(source).crmSettings.findUnique({ where: { workspaceId } });
}

/** Creates or changes the workspace's CRM settings. */
export async function upsertCrmSettings(
  db: Db,
  workspaceId: number,
  patch: { writeBack?: boolean; hubspotPortalId?: string | null; webhookUser?: string | null; webhookPasswordHash?: string | null },
  now: Date,
): Promise<CrmSettings> {
  return db.prisma.crmSettings.upsert({
    where: { workspaceId },
    create: { workspaceId, ...patch, updatedAt: now },
    update: { ...patch, updatedAt: now },
  });
}

/** Forgets a HubSpot portal id wherever it is stored (it moves to the workspace connecting it now). */
export async function clearHubSpotPortal(db: Db, portalId: string, exceptWorkspaceId: number, now: Date): Promise<void> {
  await db.prisma.crmSettings.updateMany({ where: { hubspotPortalId: portalId, workspaceId: { not: exceptWorkspaceId } }, data: { hubspotPortalId: null, updatedAt: now } });
}

/** The settings that own this HubSpot portal id, or null. */
export async function crmSettingsOfHubSpotPortal(db: Db, portalId: string): Promise<CrmSettings | null> {
  return db.prisma.crmSettings.findUnique({ where: { hubspotPortalId: portalId } });
}

/** The settings that own this Pipedrive webhook user name, or null. */
export async function crmSettingsOfWebhookUser(db: Db, webhookUser: string): Promise<CrmSettings | null> {
  return db.prisma.crmSettings.findUnique({ where: { webhookUser } });
}

/**
 * Marks a workspace's connection of this vendor due now (a webhook said something changed): the
 * next scheduler tick syncs it. Only an active connection: a failing one keeps its backoff (and the
 * vendor's Retry-After), disconnected and revoked ones are left alone. True when one was marked.
 */
export async function markCrmConnectionDue(db: Db, workspaceId: number, vendor: string, now: Date): Promise<boolean> {
  const res = await db.prisma.crmConnection.updateMany({
    where: { workspaceId, vendor, status: 'active' },
    data: { nextAttemptAt: now, updatedAt: now },
  });
  return res.count === 1;
}

/** Stores a Salesforce authorization in flight. */
export async function insertCrmOAuthState(db: Db, s: { stateHash: string; workspaceId: number; slackUserId: string; vendor: string; sealed: string; expiresAt: Date; now: Date }): Promise<void> {
  await db.prisma.$transaction(async (tx: Tx) => {
    // Expired authorizations of anyone are swept on the way.
    await tx.crmOAuthState.deleteMany({ where: { expiresAt: { lt: s.now } } });
    await tx.crmOAuthState.create({ data: { stateHash: s.stateHash, workspaceId: s.workspaceId, slackUserId: s.slackUserId, vendor: s.vendor, sealed: s.sealed, expiresAt: s.expiresAt, createdAt: s.now } });
  });
}

/** Takes (deletes and returns) an authorization in flight by its state's hash: one use only. */
export async function takeCrmOAuthState(db: Db, stateHash: string): Promise<{ workspaceId: number; slackUserId: string; vendor: string; sealed: string; expiresAt: Date } | null> {
  return db.prisma.$transaction(async (tx: Tx) => {
    const row = await tx.crmOAuthState.findUnique({ where: { stateHash } });
    if (!row) return null;
    const gone = await tx.crmOAuthState.deleteMany({ where: { id: row.id } });
    if (gone.count !== 1) return null;
    return { workspaceId: row.workspaceId, slackUserId: row.slackUserId, vendor: row.vendor, sealed: row.sealed, expiresAt: row.expiresAt };
  });
}

/** The CRM owners of the workspace's connection with the rep each maps to (Slack id null = a stand-in). */
export async function crmOwnersWithReps(db: Db, workspaceId: number): Promise<Array<{ crmOwnerId: string; email: string | null; repId: number; repName: string; slackUserId: string | null }>> {
  const rows = await db.prisma.crmOwnerMap.findMany({ where: { connection: { workspaceId } }, include: { rep: true }, orderBy: { crmOwnerId: 'asc' } });
  return rows.map((r) => ({ crmOwnerId: r.crmOwnerId, email: r.email, repId: r.repId, repName: r.rep.name, slackUserId: r.rep.slackUserId }));
}
