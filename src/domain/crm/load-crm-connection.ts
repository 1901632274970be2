import type { Db } from '../../storage/db.js';
import { crmConnectionOfWorkspace, dueCrmConnections, resetCrmCursor, updateCrmCredentials } from '../../storage/queries/crm-connections.js';
import { workspaceOfSlackTeam } from '../../storage/queries/workspaces.js';
import { isCrmSource, type TCrmStatus } from './crm-mapping.js';
import { openCredentials, sealCredentials, type TCrmCredentials, type TCrmKeyRing } from './credentials.js';
import type { TCrmVendor } from './crm-source.js';

/** A stored connection with its credentials opened: what a composition root needs to build the connector. */
export interface TLoadedCrmConnection {
  connectionId: number;
  workspaceId: number;
  vendor: TCrmVendor;
  credentials: TCrmCredentials;
  baseUrl: string | null;
  /** The account's web address for deal links, as the CRM reported it (not secret); null until known. */
  appUrl: string | null;
  status: TCrmStatus;
  cursor: string | null;
  /** Whether the credentials were sealed with the previous key and have just been re-sealed. */
  resealed: boolean;
}

export interface LoadCrmConnectionOptions {
  db: Db;
  workspaceId: number;
  keyRing: TCrmKeyRing;
  now: Date;
}

/**
 * The workspace's CRM connection with its credentials decrypted, or null when it has none. A blob
 * sealed with `CRM_ENCRYPTION_KEY_PREVIOUS` is re-sealed with the current key on the way (rotation).
 *
 * @example
 * const c = await loadCrmConnection({ db, workspaceId, keyRing, now });
 * const source = c && createCrmSource(c.vendor, c.credentials, { baseUrl: c.baseUrl ?? undefined, timeoutMs: 30_000 });
 */
export async function loadCrmConnection(opts: LoadCrmConnectionOptions): Promise<TLoadedCrmConnection | null> {
  const row = await crmConnectionOfWorkspace(opts.db, opts.workspaceId);
  if (!row || !isCrmSource(row.vendor)) return null;
  if (row.status === 'disconnected') {
    // Its credentials were wiped on disconnecting: nothing to open.
    return { connectionId: row.id, workspaceId: row.workspaceId, vendor: row.vendor, credentials: {}, baseUrl: row.baseUrl, appUrl: row.appUrl, status: 'disconnected', cursor: row.cursor, resealed: false };
  }
  const opened = openCredentials(opts.keyRing, row.workspaceId, row.credentials);
  if (opened.stale) await updateCrmCredentials(opts.db, row.id, sealCredentials(opts.keyRing, row.workspaceId, opened.credentials), opts.now);
  const status: TCrmStatus = row.status === 'failing' || row.status === 'revoked' || row.status === 'disconnected' ? row.status : 'active';
  return { connectionId: row.id, workspaceId: row.workspaceId, vendor: row.vendor, credentials: opened.credentials, baseUrl: row.baseUrl, appUrl: row.appUrl, status, cursor: row.cursor, resealed: opened.stale };
}

/** Stores credentials a connector refreshed (a new Salesforce access token), sealed with the current key. */
export async function storeCrmCredentials(opts: { db: Db; connectionId: number; workspaceId: number; credentials: TCrmCredentials; keyRing: TCrmKeyRing; now: Date }): Promise<void> {
  await updateCrmCredentials(opts.db, opts.connectionId, sealCredentials(opts.keyRing, opts.workspaceId, opts.credentials), opts.now);
}

/** The workspace id of a Slack team, or null. */
export async function workspaceIdOfTeam(opts: { db: Db; slackTeamId: string }): Promise<number | null> {
  return (await workspaceOfSlackTeam(opts.db, opts.slackTeamId))?.id ?? null;
}

/** Forgets the committed cursor: the next sync reloads everything (`npm run sync -- --full`). */
export async function resetCrmSync(opts: { db: Db; connectionId: number; now: Date }): Promise<void> {
  await resetCrmCursor(opts.db, opts.connectionId, opts.now);
}

/** Workspaces whose connection is due a sync now (active or failing, backoff over, lease free). */
export async function listDueCrmSyncs(opts: { db: Db; now: Date; take?: number }): Promise<Array<{ workspaceId: number; vendor: string }>> {
  return dueCrmConnections(opts.db, opts.now, opts.take);
}
