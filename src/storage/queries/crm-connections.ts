import { prismaOf, type Db, type Tx } from '../db.js';
import type { CrmConnection, CrmOwnerMap, CrmStageMap, Rep } from '../models.js';
import type { SqlRunner } from '../bulk-insert.js';

// The CRM connection of a workspace, its stage and owner maps, and the lease that keeps two app
// instances from syncing the same workspace at once (src/domain/crm/sync-crm.ts).

/** The workspace's CRM connection (in a transaction or not), or null when none was ever made. */
export async function crmConnectionOfWorkspace(source: Db | Tx, workspaceId: number): Promise<CrmConnection | null> {
  return prismaOf(source).crmConnection.findUnique({ where: { workspaceId } });
}

/**
 * Connects a CRM (or replaces the connection): sealed credentials, a fresh full load (cursor null),
 * status active, no backoff; the maps of a previous vendor are dropped.
 */
export async function upsertCrmConnection(
  db: Db,
  c: { workspaceId: number; vendor: string; credentials: string; baseUrl: string | null; now: Date },
): Promise<CrmConnection> {
  return db.prisma.$transaction(async (tx: Tx) => {
    const existing = await tx.crmConnection.findUnique({ where: { workspaceId: c.workspaceId } });
    if (existing && existing.vendor !== c.vendor) {
      await tx.crmStageMap.deleteMany({ where: { connectionId: existing.id } });
      await tx.crmOwnerMap.deleteMany({ where: { connectionId: existing.id } });
    }
    const fresh = {
      vendor: c.vendor,
      credentials: c.credentials,
      baseUrl: c.baseUrl,
      // Another token may be another account: its web address is asked again by the next sync.
      appUrl: null,
      status: 'active',
      lastError: null,
      errorNotifiedAt: null,
      failures: 0,
      nextAttemptAt: null,
      updatedAt: c.now,
    };
    const keepCursor = existing !== null && existing.vendor === c.vendor;
    return tx.crmConnection.upsert({
      where: { workspaceId: c.workspaceId },
      create: { workspaceId: c.workspaceId, ...fresh, createdAt: c.now },
      update: { ...fresh, ...(keepCursor ? {} : { cursor: null }) },
    });
  });
}

/** Replaces the sealed credentials (a rotation re-seal, a refreshed token). */
export async function updateCrmCredentials(db: Db, connectionId: number, credentials: string, now: Date): Promise<void> {
  await db.prisma.crmConnection.update({ where: { id: connectionId }, data: { credentials, updatedAt: now } });
}

/** Marks the connection disconnected (kept for its history; the scheduler leaves it alone). */
export async function setCrmConnectionStatus(db: Db, connectionId: number, status: string, now: Date): Promise<void> {
  await db.prisma.crmConnection.update({ where: { id: connectionId }, data: { status, updatedAt: now } });
}

/** Forgets the cursor: the next sync is a full load (`npm run sync -- --full`). */
export async function resetCrmCursor(db: Db, connectionId: number, now: Date): Promise<void> {
  await db.prisma.crmConnection.update({ where: { id: connectionId }, data: { cursor: null, updatedAt: now } });
}

/**
 * Takes the sync lease of a connection when nobody holds it, it expired, or `owner` already holds
 * it: one conditional UPDATE, so of two instances racing exactly one wins. True when taken.
 */
export async function claimCrmLease(db: Db, c: { connectionId: number; owner: string; until: Date; now: Date }): Promise<boolean> {
  const res = await db.prisma.crmConnection.updateMany({
    where: { id: c.connectionId, OR: [{ leaseUntil: null }, { leaseUntil: { lt: c.now } }, { leaseOwner: c.owner }] },
    data: { leaseOwner: c.owner, leaseUntil: c.until, lastSyncStartedAt: c.now },
  });
  return res.count === 1;
}

/** Gives the lease back (only when `owner` still holds it). */
export async function releaseCrmLease(db: Db, connectionId: number, owner: string): Promise<void> {
  await db.prisma.crmConnection.updateMany({ where: { id: connectionId, leaseOwner: owner }, data: { leaseOwner: null, leaseUntil: null } });
}

/**
 * Inside a page's transaction: writes the page's cursor and counts and extends the lease, only
 * while `owner` holds it. False when the lease was lost (another instance took it over after it
 * expired): the caller rolls the page back.
 */
export async function commitCrmPage(
  run: SqlRunner,
  c: { connectionId: number; owner: string; cursor: string; leaseUntil: Date; deals: number; removals: number; now: Date },
): Promise<boolean> {
  const n = await run.execute(
    `UPDATE "CrmConnection" SET "cursor" = ?, "leaseUntil" = ?, "dealsSynced" = "dealsSynced" + ?, "removals" = "removals" + ?, "lastSyncAt" = ?, "updatedAt" = ?
      WHERE "id" = ? AND "leaseOwner" = ?`,
    [c.cursor, c.leaseUntil, c.deals, c.removals, c.now, c.now, c.connectionId, c.owner],
  );
  return n === 1;
}

/** The outcome of a run, written while holding the lease, which it releases. */
export async function finishCrmRun(
  db: Db,
  connectionId: number,
  owner: string,
  patch: {
    status: string;
    lastError: string | null;
    errorNotifiedAt: Date | null;
    failures: number;
    nextAttemptAt: Date | null;
    lastSuccessAt?: Date;
    usage: string | null;
    now: Date;
  },
): Promise<void> {
  await db.prisma.crmConnection.updateMany({
    where: { id: connectionId, leaseOwner: owner },
    data: {
      status: patch.status,
      lastError: patch.lastError,
      errorNotifiedAt: patch.errorNotifiedAt,
      failures: patch.failures,
      nextAttemptAt: patch.nextAttemptAt,
      ...(patch.lastSuccessAt ? { lastSuccessAt: patch.lastSuccessAt } : {}),
      usage: patch.usage,
      lastSyncAt: patch.now,
      leaseOwner: null,
      leaseUntil: null,
      updatedAt: patch.now,
    },
  });
}

/** Connections the scheduler should sync now: active or failing, due, lease free. */
export async function dueCrmConnections(db: Db, now: Date, take = 100): Promise<Array<{ workspaceId: number; vendor: string }>> {
  return db.prisma.crmConnection.findMany({
    where: {
      status: { in: ['active', 'failing'] },
      OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }],
      AND: [{ OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] }],
    },
    select: { workspaceId: true, vendor: true },
    orderBy: [{ nextAttemptAt: 'asc' }, { id: 'asc' }],
    take,
  });
}

/** The stage map of a connection. */
export async function crmStageMaps(db: Db, connectionId: number): Promise<CrmStageMap[]> {
  return db.prisma.crmStageMap.findMany({ where: { connectionId } });
}

/** Writes default stage-map rows (new stages, or defaults that moved); the caller leaves out rows an admin edited. */
export async function upsertCrmStageMaps(db: Db, connectionId: number, rows: ReadonlyArray<{ crmStageId: string; pipelineId: string | null; label: string; target: string }>, now: Date): Promise<void> {
  if (rows.length === 0) return;
  await db.prisma.$transaction(async (tx: Tx) => {
    for (const r of rows) {
      await tx.crmStageMap.upsert({
        where: { connectionId_crmStageId: { connectionId, crmStageId: r.crmStageId } },
        create: { connectionId, ...r, updatedAt: now },
        update: { label: r.label, pipelineId: r.pipelineId, target: r.target, updatedAt: now },
      });
    }
  });
}

/** Sets where a stage lands, as an admin chose (kept by later syncs). */
export async function setCrmStageTarget(db: Db, connectionId: number, crmStageId: string, target: string, now: Date): Promise<void> {
  await db.prisma.crmStageMap.update({ where: { connectionId_crmStageId: { connectionId, crmStageId } }, data: { target, edited: true, updatedAt: now } });
}

/** The owner map of a connection. */
export async function crmOwnerMaps(db: Db, connectionId: number): Promise<CrmOwnerMap[]> {
  return db.prisma.crmOwnerMap.findMany({ where: { connectionId } });
}

/** Links a CRM owner to a rep (replacing an earlier link). */
export async function upsertCrmOwnerMap(db: Db, c: { connectionId: number; crmOwnerId: string; email: string | null; repId: number; now: Date }): Promise<void> {
  await db.prisma.crmOwnerMap.upsert({
    where: { connectionId_crmOwnerId: { connectionId: c.connectionId, crmOwnerId: c.crmOwnerId } },
    create: { connectionId: c.connectionId, crmOwnerId: c.crmOwnerId, email: c.email, repId: c.repId, updatedAt: c.now },
    update: { email: c.email, repId: c.repId, updatedAt: c.now },
  });
}

/**
 * The rep with this import key, created with that name when missing (a CRM owner not found in
 * Slack; `slackUserId` stays null until someone links it). Safe against a concurrent creator.
 */
export async function repOfImportKey(db: Db, workspaceId: number, importKey: string, name: string): Promise<Rep> {
  return db.prisma.rep.upsert({ where: { workspaceId_importKey: { workspaceId, importKey } }, create: { workspaceId, importKey, name }, update: {} });
}

/** Disconnects: status disconnected, the sealed credentials wiped, lease and backoff cleared. */
export async function disconnectCrmConnection(db: Db, workspaceId: number, now: Date): Promise<boolean> {
  const res = await db.prisma.crmConnection.updateMany({
    where: { workspaceId },
    data: { status: 'disconnected', credentials: '', leaseOwner: null, leaseUntil: null, nextAttemptAt: null, errorNotifiedAt: null, updatedAt: now },
  });
  return res.count === 1;
}

/**
 * Points a CRM owner at another rep and moves that owner's synced deals (source = the vendor)
 * from the rep they had, in one transaction with the history bump (per-rep figures of the past change).
 * False when the owner is not mapped.
 */
export async function relinkCrmOwner(db: Db, c: { connectionId: number; workspaceId: number; vendor: string; crmOwnerId: string; repId: number; now: Date }): Promise<{ moved: number } | null> {
  return db.prisma.$transaction(async (tx: Tx) => {
    const row = await tx.crmOwnerMap.findUnique({ where: { connectionId_crmOwnerId: { connectionId: c.connectionId, crmOwnerId: c.crmOwnerId } } });
    if (!row) return null;
    await tx.crmOwnerMap.update({ where: { id: row.id }, data: { repId: c.repId, updatedAt: c.now } });
    const moved = await tx.deal.updateMany({ where: { workspaceId: c.workspaceId, ownerId: row.repId, source: c.vendor }, data: { ownerId: c.repId, updatedAt: c.now } });
    if (moved.count > 0) await tx.$executeRaw`UPDATE "Workspace" SET "historyVersion" = "historyVersion" + 1 WHERE "id" = ${c.workspaceId}`;
    return { moved: moved.count };
  });
}

/** A rep of the workspace by id, or null. */
export async function repOfWorkspace(db: Db, workspaceId: number, repId: number): Promise<Rep | null> {
  return db.prisma.rep.findFirst({ where: { id: repId, workspaceId } });
}

/** The progress message of an announced full load (`CrmConnection.progress*`). */
export interface TCrmProgressRow {
  progressChannel: string | null;
  progressTs: string | null;
  progressStartedAt: Date | null;
  progressDeals: number;
}

/** Sets (or, with nulls, clears) the announced load's progress fields. */
export async function setCrmProgress(db: Db, connectionId: number, patch: Partial<TCrmProgressRow>): Promise<void> {
  await db.prisma.crmConnection.update({ where: { id: connectionId }, data: patch });
}

/** Stores the CRM account's web address (for links to its deals), as the connector reported it. */
export async function setCrmAppUrl(db: Db, connectionId: number, appUrl: string, now: Date): Promise<void> {
  await db.prisma.crmConnection.update({ where: { id: connectionId }, data: { appUrl, updatedAt: now } });
}
