import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { Db } from '../../storage/db.js';
import {
  crmConnectionOfWorkspace,
  crmOwnerMaps,
  crmStageMaps,
  disconnectCrmConnection,
  relinkCrmOwner,
  repOfWorkspace,
  setCrmStageTarget,
} from '../../storage/queries/crm-connections.js';
import { listWorkspaceRows } from '../../storage/queries/workspaces.js';
import { funnelStages } from '../deals/stages.js';
import { isCrmSource, type TCrmStatus } from './crm-mapping.js';
import type { TCrmUsage, TCrmVendor } from './crm-source.js';

// What the Slack side of issue #10 needs around a connection: its status (`/kpi crm status`, App
// Home), disconnecting, the stage mapping an admin edits, and fixing an owner matched to the wrong rep.

const ZUsage = z.object({ calls: z.number(), dailyRemaining: z.number().nullable(), dailyLimit: z.number().nullable(), throttled: z.number() });

export interface TCrmStatusView {
  vendor: TCrmVendor;
  status: TCrmStatus;
  lastSyncAt: Date | null;
  lastSuccessAt: Date | null;
  /** Seconds since the last successful sync (null before the first). */
  lagSeconds: number | null;
  dealsSynced: number;
  removals: number;
  usage: TCrmUsage | null;
  /** Safe to show (redacted when stored). */
  lastError: string | null;
  nextAttemptAt: Date | null;
  /** An instance holds the lease now. */
  syncing: boolean;
  /** Whether this is still the first full load (no cursor committed yet). */
  backfilling: boolean;
}

/**
 * The connection's health, for `/kpi crm status` and the App Home; null when no CRM was connected.
 *
 * @example await readCrmStatus({ db, workspaceId, now }) // { vendor: 'hubspot', status: 'active', lagSeconds: 42, … }
 */
export async function readCrmStatus(opts: { db: Db; workspaceId: number; now: Date }): Promise<TCrmStatusView | null> {
  const c = await crmConnectionOfWorkspace(opts.db, opts.workspaceId);
  if (!c || !isCrmSource(c.vendor)) return null;
  let usage: TCrmUsage | null = null;
  try {
    usage = c.usage ? ZUsage.parse(JSON.parse(c.usage)) : null;
  } catch {
    usage = null;
  }
  const status: TCrmStatus = c.status === 'failing' || c.status === 'revoked' || c.status === 'disconnected' ? c.status : 'active';
  return {
    vendor: c.vendor,
    status,
    lastSyncAt: c.lastSyncAt,
    lastSuccessAt: c.lastSuccessAt,
    lagSeconds: c.lastSuccessAt ? Math.max(0, Math.round((opts.now.getTime() - c.lastSuccessAt.getTime()) / 1000)) : null,
    dealsSynced: c.dealsSynced,
    removals: c.removals,
    usage,
    lastError: c.lastError,
    nextAttemptAt: c.nextAttemptAt,
    syncing: c.leaseUntil !== null && c.leaseUntil.getTime() > opts.now.getTime(),
    backfilling: c.cursor === null,
  };
}

/**
 * Disconnects the workspace's CRM: the sync stops and the stored credentials are wiped. Synced
 * deals stay (they are the workspace's history); connecting again resumes.
 *
 * @example await disconnectCrm({ db, workspaceId, now }) // true
 */
export async function disconnectCrm(opts: { db: Db; workspaceId: number; now: Date }): Promise<boolean> {
  return disconnectCrmConnection(opts.db, opts.workspaceId, opts.now);
}

/** The stage mapping an admin sees: each CRM stage and where it lands. */
export async function listCrmStageMapping(opts: { db: Db; workspaceId: number }): Promise<Array<{ crmStageId: string; pipelineId: string | null; label: string; target: string; edited: boolean }>> {
  const c = await crmConnectionOfWorkspace(opts.db, opts.workspaceId);
  if (!c) return [];
  return (await crmStageMaps(opts.db, c.id)).map((m) => ({ crmStageId: m.crmStageId, pipelineId: m.pipelineId, label: m.label, target: m.target, edited: m.edited }));
}

/**
 * Sets where a CRM stage lands (a funnel stage key, `won` or `lost`), kept by later syncs. Deals
 * already synced take it when they next change in the CRM, or on a full reload.
 *
 * @example await setCrmStageMapping({ db, workspaceId, crmStageId: 'qualifiedtobuy', target: 'demo', now })
 */
export async function setCrmStageMapping(opts: { db: Db; workspaceId: number; crmStageId: string; target: string; now: Date }): Promise<void> {
  const c = await crmConnectionOfWorkspace(opts.db, opts.workspaceId);
  const [workspace] = await listWorkspaceRows(opts.db, [opts.workspaceId]);
  if (!c || !workspace) throw new AppError('NOT_FOUND', 'No CRM is connected to this workspace.', { i18n: { key: 'error.crm.notConnected' } });
  const funnel = funnelStages(workspace.funnelStages);
  const target = opts.target.trim().toLowerCase();
  if (target !== 'won' && target !== 'lost' && !funnel.includes(target)) {
    throw new AppError('INVALID_INPUT', `"${opts.target}" is not a stage here. Stages: ${[...funnel, 'won', 'lost'].join(', ')}.`, { i18n: { key: 'error.crm.notAStage', values: { target: opts.target }, stages: { stages: { keys: [...funnel, 'won', 'lost'], separator: ', ', typed: true } } } });
  }
  if (!(await crmStageMaps(opts.db, c.id)).some((m) => m.crmStageId === opts.crmStageId)) throw new AppError('NOT_FOUND', 'That CRM stage is not known yet; it appears after the next sync.', { i18n: { key: 'error.crm.stageUnknown' } });
  await setCrmStageTarget(opts.db, c.id, opts.crmStageId, target, opts.now);
}

/**
 * Fixes an owner matched to the wrong rep (or to a stand-in): the owner's synced deals move to
 * `repId`, in one transaction that also invalidates the cached past (per-rep figures change).
 *
 * @example await linkCrmOwner({ db, workspaceId, crmOwnerId: '42', repId: ann.id, now }) // { moved: 17 }
 */
export async function linkCrmOwner(opts: { db: Db; workspaceId: number; crmOwnerId: string; repId: number; now: Date }): Promise<{ moved: number }> {
  const c = await crmConnectionOfWorkspace(opts.db, opts.workspaceId);
  if (!c) throw new AppError('NOT_FOUND', 'No CRM is connected to this workspace.', { i18n: { key: 'error.crm.notConnected' } });
  if (!(await repOfWorkspace(opts.db, opts.workspaceId, opts.repId))) throw new AppError('NOT_FOUND', 'That person is not a rep of this workspace.', { i18n: { key: 'error.crm.notARep' } });
  const res = await relinkCrmOwner(opts.db, { connectionId: c.id, workspaceId: opts.workspaceId, vendor: c.vendor, crmOwnerId: opts.crmOwnerId, repId: opts.repId, now: opts.now });
  if (!res) throw new AppError('NOT_FOUND', 'That CRM owner is not known yet; it appears after the next sync.', { i18n: { key: 'error.crm.ownerUnknown' } });
  return res;
}

/** CRM owners and the reps they map to, for the fix-mismatches command. */
export async function listCrmOwnerLinks(opts: { db: Db; workspaceId: number }): Promise<Array<{ crmOwnerId: string; email: string | null; repId: number }>> {
  const c = await crmConnectionOfWorkspace(opts.db, opts.workspaceId);
  if (!c) return [];
  return (await crmOwnerMaps(opts.db, c.id)).map((m) => ({ crmOwnerId: m.crmOwnerId, email: m.email, repId: m.repId }));
}
