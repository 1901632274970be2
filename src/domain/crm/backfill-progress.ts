import type { Db } from '../../storage/db.js';
import { crmConnectionOfWorkspace, setCrmProgress } from '../../storage/queries/crm-connections.js';
import { listWorkspaceRows } from '../../storage/queries/workspaces.js';
import type { TCrmVendor } from './crm-source.js';

/**
 * The Slack progress message of a CRM full load (issue #10: "reports progress, a Slack message
 * updated in place"). Connecting from Slack announces the load to the admin who connected; the
 * scheduler posts one message when the load starts, updates it as pages arrive (over as many
 * ticks as the load takes) and leaves it in its final state: done, or stopped with the error.
 */
export interface TCrmBackfillProgress {
  connectionId: number;
  vendor: TCrmVendor;
  channel: string;
  /** The posted message, once there is one. */
  ts: string | null;
  startedAt: Date | null;
  /** Deals written by the load in earlier runs. */
  deals: number;
  /** The workspace's language (`Workspace.language`): the message is written in it. */
  language: string | null;
}

/**
 * Announces the coming full load of a just-connected CRM to `channel` (an admin's user id: the
 * app's DM with them). Nothing when the connection keeps its cursor (the same CRM reconnected: no
 * full load follows).
 *
 * @example await announceCrmBackfill({ db, workspaceId: ws.id, channel: 'U0ADMIN' });
 */
export async function announceCrmBackfill(opts: { db: Db; workspaceId: number; channel: string }): Promise<boolean> {
  const c = await crmConnectionOfWorkspace(opts.db, opts.workspaceId);
  if (!c || c.cursor !== null) return false;
  await setCrmProgress(opts.db, c.id, { progressChannel: opts.channel, progressTs: null, progressStartedAt: null, progressDeals: 0 });
  return true;
}

/** The announced load of a workspace, or null when none is being shown. */
export async function crmBackfillProgress(opts: { db: Db; workspaceId: number }): Promise<TCrmBackfillProgress | null> {
  const c = await crmConnectionOfWorkspace(opts.db, opts.workspaceId);
  if (!c?.progressChannel) return null;
  const [workspace] = await listWorkspaceRows(opts.db, [opts.workspaceId]);
  return { connectionId: c.id, vendor: c.vendor as TCrmVendor, channel: c.progressChannel, ts: c.progressTs, startedAt: c.progressStartedAt, deals: c.progressDeals, language: workspace?.language ?? null };
}

/** Records the posted message and the deals so far; `done` ends the announcement. */
export async function saveCrmBackfillProgress(opts: { db: Db; connectionId: number; ts?: string | null; startedAt?: Date; deals?: number; done?: boolean }): Promise<void> {
  if (opts.done) {
    await setCrmProgress(opts.db, opts.connectionId, { progressChannel: null, progressTs: null, progressStartedAt: null, progressDeals: 0 });
    return;
  }
  await setCrmProgress(opts.db, opts.connectionId, {
    ...(opts.ts !== undefined ? { progressTs: opts.ts } : {}),
    ...(opts.startedAt ? { progressStartedAt: opts.startedAt } : {}),
    ...(opts.deals !== undefined ? { progressDeals: opts.deals } : {}),
  });
}
