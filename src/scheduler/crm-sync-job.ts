import type { TCrmKeyRing } from '../domain/crm/credentials.js';
import type { TCrmSource, TCrmVendor } from '../domain/crm/crm-source.js';
import { listDueCrmSyncs, loadCrmConnection, storeCrmCredentials, type TLoadedCrmConnection } from '../domain/crm/load-crm-connection.js';
import { syncCrm, type TLookupUserByEmail, type TSyncCrmResult } from '../domain/crm/sync-crm.js';
import type { TCrmSourceOptions, TSalesforceAppConfig } from '../crm/registry.js';
import type { Logger } from '../logger.js';
import type { Db } from '../storage/db.js';
import { CrmBackfillReporter, type TCrmProgressPort } from './crm-backfill-reporter.js';
import { CronJob } from './cron-job.js';
import { newInstanceId } from './weekly-digest-job.js';

/**
 * CRM sync on a node-cron tick (every minute): each active or failing connection whose
 * `nextAttemptAt` has passed is synced from its committed cursor (`syncCrm`). Several instances may
 * tick at once: the connection's lease lets one of them sync a workspace, the others skip it. A long
 * backfill is split over ticks (`maxPagesPerRun`) so one workspace never holds up the others.
 */

export const DEFAULT_CRM_SYNC_CRON = '* * * * *';
export const DEFAULT_MAX_PAGES_PER_RUN = 50;

/** What an admin is told when a sync starts failing, or the credentials were revoked (once per spell). */
export interface TCrmFailureNotice {
  workspaceId: number;
  vendor: TCrmVendor;
  status: 'failing' | 'revoked' | 'active' | 'disconnected' | null;
  /** Safe to show: secrets removed. */
  error: string;
}

export interface TRunCrmSyncsOptions {
  db: Db;
  now: Date;
  keyRing: TCrmKeyRing;
  /** Builds a connector (`createCrmSource` from src/crm/registry.ts in production). */
  createSource: (connection: TLoadedCrmConnection, options: TCrmSourceOptions) => TCrmSource;
  /** Slack's users.lookupByEmail for the workspace, when Slack is wired. */
  lookupUserByEmail?: (workspaceId: number) => TLookupUserByEmail | undefined;
  /** Tells the workspace's admins (called at most once per failing spell). */
  notifyAdmin?: (notice: TCrmFailureNotice) => Promise<void>;
  logger: Logger;
  /** Timeout of every call to the CRM. Default 30 s. */
  timeoutMs?: number;
  /** The Salesforce connected app from the configuration (SALESFORCE_CLIENT_ID…), for token refreshes. */
  salesforceApp?: TSalesforceAppConfig;
  maxPagesPerRun?: number;
  instanceId?: string;
  /** Injected clock for the time inside a run; default: `now` plus the time elapsed. */
  clock?: () => Date;
  signal?: AbortSignal;
  /** OAuth mode: only workspaces an active installation serves; default all. */
  servedWorkspaceIds?: ReadonlySet<number>;
  /**
   * Posts and updates the Slack progress message of a full load announced at connect time: one port,
   * or the port of a workspace (OAuth mode: posted with that workspace's own token).
   */
  progress?: TCrmProgressPort | ((workspaceId: number) => TCrmProgressPort);
  /** At most one progress update per this many ms of `clock` (default 5 s). */
  progressIntervalMs?: number;
}

export interface TCrmSyncTickSummary {
  due: number;
  synced: number;
  partial: number;
  locked: number;
  failed: number;
  notified: number;
  /** Connections that could not even start (credentials unreadable, connector missing). */
  errors: number;
  deals: number;
  removed: number;
}

/**
 * One tick: syncs every due connection in turn. Never throws for one workspace's trouble; each is
 * recorded on its connection (or logged when the connection cannot be opened).
 *
 * @example
 * await runCrmSyncs({ db, now: new Date(), keyRing, createSource: (c, o) => createCrmSource(c.vendor, c.credentials, o), logger });
 */
export async function runCrmSyncs(opts: TRunCrmSyncsOptions): Promise<TCrmSyncTickSummary> {
  const { db, now, logger } = opts;
  const summary: TCrmSyncTickSummary = { due: 0, synced: 0, partial: 0, locked: 0, failed: 0, notified: 0, errors: 0, deals: 0, removed: 0 };
  const served = opts.servedWorkspaceIds;
  const due = (await listDueCrmSyncs({ db, now })).filter((d) => !served || served.has(d.workspaceId));
  summary.due = due.length;
  const instanceId = opts.instanceId ?? newInstanceId();
  for (const { workspaceId } of due) {
    if (opts.signal?.aborted) break;
    let result: TSyncCrmResult;
    let vendor: TCrmVendor;
    try {
      const connection = await loadCrmConnection({ db, workspaceId, keyRing: opts.keyRing, now });
      if (!connection) continue;
      vendor = connection.vendor;
      const source = opts.createSource(connection, {
        timeoutMs: opts.timeoutMs ?? 30_000,
        ...(opts.salesforceApp ? { salesforceApp: opts.salesforceApp } : {}),
        ...(connection.baseUrl ? { baseUrl: connection.baseUrl } : {}),
        onCredentialsChanged: (next) => storeCrmCredentials({ db, connectionId: connection.connectionId, workspaceId, credentials: next, keyRing: opts.keyRing, now }),
      });
      const lookup = opts.lookupUserByEmail?.(workspaceId);
      const started = Date.now();
      const clock = opts.clock ?? ((): Date => new Date(now.getTime() + (Date.now() - started)));
      const reporter = opts.progress ? await CrmBackfillReporter.start({ db, workspaceId, port: typeof opts.progress === 'function' ? opts.progress(workspaceId) : opts.progress, clock, logger, ...(opts.progressIntervalMs !== undefined ? { intervalMs: opts.progressIntervalMs } : {}) }) : null;
      result = await syncCrm({
        db,
        workspaceId,
        source,
        now,
        leaseOwner: instanceId,
        maxPages: opts.maxPagesPerRun ?? DEFAULT_MAX_PAGES_PER_RUN,
        secrets: Object.values(connection.credentials),
        ...(opts.clock ? { clock: opts.clock } : {}),
        ...(lookup ? { lookupUserByEmail: lookup } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(reporter ? { onProgress: reporter.onProgress } : {}),
      });
      await reporter?.finish(result);
    } catch (e) {
      summary.errors++;
      logger.error('CRM sync could not start', { workspaceId, error: e instanceof Error ? e.message : String(e) });
      continue;
    }
    summary.deals += result.deals;
    summary.removed += result.removed;
    if (result.outcome === 'synced') summary.synced++;
    else if (result.outcome === 'partial') summary.partial++;
    else if (result.outcome === 'locked') summary.locked++;
    else if (result.outcome === 'failed') {
      summary.failed++;
      logger.warn('CRM sync failed', { workspaceId, vendor, status: result.status, kind: result.errorKind, error: result.error, nextAttemptAt: result.nextAttemptAt?.toISOString() ?? null });
    }
    if (result.notifyAdmin && opts.notifyAdmin) {
      try {
        await opts.notifyAdmin({ workspaceId, vendor, status: result.status, error: result.error ?? 'unknown error' });
        summary.notified++;
      } catch (e) {
        logger.error('CRM failure notice not delivered', { workspaceId, error: e instanceof Error ? e.message : String(e) });
      }
    }
  }
  return summary;
}

export interface CrmSyncJobOptions extends Omit<TRunCrmSyncsOptions, 'now' | 'instanceId'> {
  cronExpression?: string;
  /** Injected clock. */
  now?: () => Date;
  /** OAuth mode: the workspaces an active installation serves, asked at each tick; default all. */
  servedWorkspaces?: () => Promise<ReadonlySet<number>>;
}

/**
 * node-cron wrapper around `runCrmSyncs`: ticks every minute (UTC), skips a tick while the previous
 * one still runs, never throws.
 *
 * @example
 * const job = new CrmSyncJob({ db, keyRing, createSource, logger });
 * job.start();
 * // on shutdown: await job.stop();
 */
export class CrmSyncJob extends CronJob<TCrmSyncTickSummary> {
  readonly instanceId = newInstanceId();

  constructor(private readonly opts: CrmSyncJobOptions) {
    super('CRM sync', opts.cronExpression ?? DEFAULT_CRM_SYNC_CRON, opts.logger);
  }

  protected async runOnce(): Promise<TCrmSyncTickSummary> {
    const { cronExpression: _cron, now, servedWorkspaces, ...rest } = this.opts;
    const servedWorkspaceIds = await servedWorkspaces?.();
    return runCrmSyncs({ ...rest, now: now?.() ?? new Date(), instanceId: this.instanceId, ...(servedWorkspaceIds ? { servedWorkspaceIds } : {}) });
  }

  protected worthLogging(s: TCrmSyncTickSummary): boolean {
    return s.deals > 0 || s.removed > 0 || s.failed > 0 || s.errors > 0;
  }
}
