import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { AppError, isAppError } from '../../errors.js';
import { withTransaction, type SqlRunner, type TDealRow } from '../../storage/bulk-insert.js';
import { inTransaction, type Db, type Tx } from '../../storage/db.js';
import { refreshPlannerStatistics } from '../../storage/maintenance.js';
import type { CrmConnection, Workspace } from '../../storage/models.js';
import {
  claimCrmLease,
  commitCrmPage,
  crmConnectionOfWorkspace,
  crmOwnerMaps,
  crmStageMaps,
  finishCrmRun,
  releaseCrmLease,
  repOfImportKey,
  setCrmAppUrl,
  upsertCrmOwnerMap,
  upsertCrmStageMaps,
} from '../../storage/queries/crm-connections.js';
import {
  appendStageChanges,
  bumpHistoryVersionRaw,
  dealsByExternalIdsForSync,
  deleteDeals,
  insertSyncedDeals,
  localDealsByCustomerKeys,
  moveRefunds,
  replaceStageChanges,
  setDealOrigin,
  updateSyncedDeals,
  type TStoredSyncDeal,
} from '../../storage/queries/crm-deals.js';
import { touchesHistory } from '../../storage/queries/history-version.js';
import { dealInTx, deleteRenewalChanges } from '../../storage/queries/subscriptions.js';
import { insertRep } from '../../storage/queries/members.js';
import { repOfSlackUser } from '../../storage/queries/lookups.js';
import { listWorkspaceRows } from '../../storage/queries/workspaces.js';
import { isUniqueViolation } from '../../storage/direct-sql.js';
import { customerKey } from '../../shared/customer-key.js';
import { funnelStages } from '../deals/stages.js';
import { toReportingCurrency } from '../deals/to-reporting-currency.js';
import { continueRenewedSubscription } from '../subscriptions/continue-renewed-subscription.js';
import { isKnownCurrency, normalizeCurrency } from '../money.js';
import {
  crmExternalId,
  decimalToMinor,
  defaultStageTargets,
  isSameDeal,
  mapDealState,
  retryDelayMs,
  safeErrorText,
  shouldNotifyAdmin,
  stageMoves,
  type TCrmStatus,
  type TStageMove,
  type TStageTarget,
} from './crm-mapping.js';
import { CrmSourceError, type TCrmDeal, type TCrmFailureKind, type TCrmOwner, type TCrmPage, type TCrmSource, type TCrmVendor } from './crm-source.js';

/** Finds the Slack user with this email (`users.lookupByEmail`); null when there is none. */
export type TLookupUserByEmail = (email: string) => Promise<string | null>;

export interface TSyncProgress {
  pages: number;
  /** Deals written so far in this run. */
  deals: number;
  removals: number;
  /** The CRM's total for a full load, when it gives one. */
  total: number | null;
}

export interface SyncCrmOptions {
  db: Db;
  workspaceId: number;
  /** The workspace's connector (src/crm/registry.ts builds it from the stored connection). */
  source: TCrmSource;
  /** When the run starts (injected clock). */
  now: Date;
  /** The time later in the run (lease renewals, the failure's time); default `now` plus the time elapsed. */
  clock?: () => Date;
  /** Owners → Slack users by email; absent: owners become reps linked later. */
  lookupUserByEmail?: TLookupUserByEmail;
  /** Values to keep out of stored errors: the connection's credential values. */
  secrets?: readonly string[];
  /** Who holds the lease (default: host, process and a random id, one per run). */
  leaseOwner?: string;
  /** How long a lease lasts without a committed page. Default 5 minutes. */
  leaseMs?: number;
  /**
   * Reload every deal: start from no cursor instead of the committed one (decided under the lease,
   * so it never disturbs another instance's run). The cursor moves with the pages as usual.
   */
  full?: boolean;
  /** Stop after this many pages (the next run resumes from the committed cursor). Default: no limit. */
  maxPages?: number;
  onProgress?: (progress: TSyncProgress) => void;
  signal?: AbortSignal;
}

export type TSyncOutcome =
  /** Every change up to the CRM's present is stored. */
  | 'synced'
  /** Stopped at `maxPages` or by the signal; the next run resumes. */
  | 'partial'
  /** Another instance holds the lease; nothing done. */
  | 'locked'
  | 'failed'
  /** No connection, or one that is revoked or disconnected. */
  | 'not-connected';

export interface TSyncCrmResult {
  outcome: TSyncOutcome;
  pages: number;
  /** CRM deals written (created + updated + adopted). */
  deals: number;
  created: number;
  updated: number;
  /** CRM changes that left every stored field as it was (nothing written). */
  unchanged: number;
  /** Deals logged in Slack that turned out to be CRM deals and became them. */
  adopted: number;
  removed: number;
  merged: number;
  /** Whether a synced change touched a closed period (the KPI cache of the past was invalidated). */
  historyBumped: boolean;
  /**
   * A full load finished in this run (it started from no cursor, or it is the connection's first
   * success), so the loaded tables' planner statistics were refreshed (PostgreSQL; a no-op on SQLite).
   */
  fullLoadCompleted: boolean;
  /** The connection's status after the run. */
  status: TCrmStatus | null;
  /** Why it failed, safe to show (no secrets). */
  error: string | null;
  errorKind: TCrmFailureKind | 'data' | 'internal' | null;
  /** True once per failing spell (and on revocation): the caller tells an admin now. */
  notifyAdmin: boolean;
  /** When the scheduler may try again (backoff, Retry-After); null = at its next tick. */
  nextAttemptAt: Date | null;
}

const DEFAULT_LEASE_MS = 5 * 60_000;

class LeaseLostError extends Error {
  constructor() {
    super('the sync lease was taken over by another instance');
    this.name = 'LeaseLostError';
  }
}

function emptyResult(outcome: TSyncOutcome, status: TCrmStatus | null): TSyncCrmResult {
  return { outcome, pages: 0, deals: 0, created: 0, updated: 0, unchanged: 0, adopted: 0, removed: 0, merged: 0, historyBumped: false, fullLoadCompleted: false, status, error: null, errorKind: null, notifyAdmin: false, nextAttemptAt: null };
}

const asStatus = (s: string): TCrmStatus => (s === 'failing' || s === 'revoked' || s === 'disconnected' ? s : 'active');

/**
 * Syncs one workspace's CRM into its deals (issue #10): takes the lease, maps stages and owners,
 * then pulls pages from the committed cursor; each page's deals, removals and cursor are written in
 * one transaction, so a crash between pages resumes without loss or duplicates. Errors are
 * recorded on the connection (auth → revoked, else failing, with backoff) and never thrown, except
 * programming errors in the options.
 *
 * @example
 * const r = await syncCrm({ db, workspaceId: ws.id, source, now: new Date(), lookupUserByEmail });
 * if (r.notifyAdmin) await tellAdmin(r.error);
 */
export async function syncCrm(opts: SyncCrmOptions): Promise<TSyncCrmResult> {
  const { db, workspaceId, source } = opts;
  const started = performance.now();
  const clock = opts.clock ?? ((): Date => new Date(opts.now.getTime() + Math.round(performance.now() - started)));
  const connection = await crmConnectionOfWorkspace(db, workspaceId);
  if (!connection || connection.status === 'revoked' || connection.status === 'disconnected') return emptyResult('not-connected', connection ? asStatus(connection.status) : null);
  if (connection.vendor !== source.vendor) throw new AppError('INVALID_INPUT', `This workspace is connected to ${connection.vendor}, not ${source.vendor}.`);
  const owner = opts.leaseOwner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  if (!(await claimCrmLease(db, { connectionId: connection.id, owner, until: new Date(opts.now.getTime() + leaseMs), now: opts.now }))) {
    return emptyResult('locked', asStatus(connection.status));
  }
  const result = emptyResult('synced', asStatus(connection.status));
  try {
    const [workspace] = await listWorkspaceRows(db, [workspaceId]);
    if (!workspace) throw new AppError('NOT_FOUND', 'The workspace of this CRM connection is gone.');
    const funnel = funnelStages(workspace.funnelStages);
    // The account's web address (links to its deals), asked once per connection: connecting again
    // clears it, and the sync that connecting starts asks at once. '' = asked, the CRM gave none.
    if (source.accountAppUrl && connection.appUrl === null) await setCrmAppUrl(db, connection.id, (await source.accountAppUrl(opts.signal)) ?? '', opts.now);
    const targets = await mapStages(db, connection, source, funnel, opts);
    const owners = await mapOwners(db, connection, workspace, await source.listOwners(opts.signal), opts);
    let cursor = opts.full ? null : connection.cursor;
    const fullLoad = cursor === null || connection.lastSuccessAt === null;
    // A vendor gives the total on the first page of a full load only: kept for the progress of the rest.
    let total: number | null = null;
    const maxPages = opts.maxPages ?? Number.POSITIVE_INFINITY;
    for (;;) {
      if (result.pages >= maxPages || opts.signal?.aborted) {
        result.outcome = 'partial';
        break;
      }
      const page = await source.pullChanges({ cursor, now: clock(), ...(opts.signal ? { signal: opts.signal } : {}) });
      await ensureOwnerReps(db, workspace.id, source.vendor, page.deals, owners);
      const applied = await applyPage({ db, workspace, vendor: source.vendor, page, targets, funnel, owners, connectionId: connection.id, owner, leaseMs, clock, now: opts.now });
      result.pages++;
      result.created += applied.created;
      result.updated += applied.updated;
      result.unchanged += applied.unchanged;
      result.adopted += applied.adopted;
      result.deals += applied.created + applied.updated + applied.adopted;
      result.removed += applied.removed;
      result.merged += applied.merged;
      result.historyBumped ||= applied.historyBumped;
      cursor = page.cursor;
      total = page.total ?? total;
      opts.onProgress?.({ pages: result.pages, deals: result.deals, removals: result.removed, total });
      if (page.done) break;
    }
    const now = clock();
    // `lastSuccessAt` (the status's lag) moves only when every change up to the CRM's present is
    // stored: a stopped run (page budget, backfill split over ticks) is not caught up yet, and a
    // connection without it is still in its first full load.
    const caughtUp = result.outcome === 'synced';
    await finishCrmRun(db, connection.id, owner, { status: 'active', lastError: null, errorNotifiedAt: null, failures: 0, nextAttemptAt: null, ...(caughtUp ? { lastSuccessAt: now } : {}), usage: usageJson(source), now });
    result.status = 'active';
    if (caughtUp && fullLoad) {
      result.fullLoadCompleted = true;
      await refreshStatistics(db);
    }
    return result;
  } catch (e) {
    if (e instanceof LeaseLostError) return { ...result, outcome: 'failed', error: e.message, errorKind: 'internal' };
    if (opts.signal?.aborted) {
      // Stopped on purpose (shutdown, Ctrl-C): committed pages stand, the next run resumes.
      await releaseCrmLease(db, connection.id, owner);
      return { ...result, outcome: 'partial' };
    }
    return recordFailure(db, connection, owner, source, e, clock(), result, opts.secrets ?? []);
  }
}

/**
 * After a full load: fresh planner statistics and visibility map of the loaded tables (PostgreSQL's
 * advice after bulk loading; see storage/maintenance.ts), so the first KPI asked is not planned on
 * empty-table guesses. The deals are committed already: a failure here only leaves it to autovacuum.
 */
async function refreshStatistics(db: Db): Promise<void> {
  try {
    await refreshPlannerStatistics(db);
  } catch {
    // Not the sync's failure: autovacuum gets there later.
  }
}

async function recordFailure(db: Db, connection: CrmConnection, owner: string, source: TCrmSource, e: unknown, now: Date, result: TSyncCrmResult, secrets: readonly string[]): Promise<TSyncCrmResult> {
  const kind: TSyncCrmResult['errorKind'] = e instanceof CrmSourceError ? e.kind : isAppError(e) ? 'data' : 'internal';
  const previous = asStatus(connection.status);
  // A rate limit the connector could not wait out is not a failure of the connection: no notice.
  const status: TCrmStatus = kind === 'auth' ? 'revoked' : kind === 'rate-limited' ? previous : 'failing';
  const failures = connection.failures + 1;
  const retryAfter = e instanceof CrmSourceError ? e.retryAfterSeconds : null;
  const nextAttemptAt = status === 'revoked' ? null : new Date(now.getTime() + retryDelayMs(failures, retryAfter));
  const notifyAdmin = shouldNotifyAdmin(connection, status);
  const errorNotifiedAt = notifyAdmin ? now : status === previous ? connection.errorNotifiedAt : null;
  const error = safeErrorText(e, secrets);
  await finishCrmRun(db, connection.id, owner, { status, lastError: error, errorNotifiedAt, failures, nextAttemptAt, usage: usageJson(source), now });
  return { ...result, outcome: 'failed', status, error, errorKind: kind, notifyAdmin, nextAttemptAt };
}

function usageJson(source: TCrmSource): string | null {
  try {
    return JSON.stringify(source.usage());
  } catch {
    return null;
  }
}

/** The stage targets: stored ones (an admin's edits kept), defaults written for new or moved stages. */
async function mapStages(db: Db, connection: CrmConnection, source: TCrmSource, funnel: readonly string[], opts: SyncCrmOptions): Promise<Map<string, TStageTarget>> {
  const stages = await source.listStages(opts.signal);
  const stored = new Map((await crmStageMaps(db, connection.id)).map((m) => [m.crmStageId, m]));
  const defaults = defaultStageTargets(stages, funnel);
  const valid = (t: string): boolean => t === 'won' || t === 'lost' || funnel.includes(t);
  const targets = new Map<string, TStageTarget>();
  const writes: Array<{ crmStageId: string; pipelineId: string | null; label: string; target: string }> = [];
  for (const s of stages) {
    const row = stored.get(s.id);
    const fallback = defaults.get(s.id) ?? funnel[0] ?? 'lead';
    if (row?.edited && valid(row.target)) {
      targets.set(s.id, row.target);
      continue;
    }
    targets.set(s.id, fallback);
    if (!row || row.target !== fallback || row.label !== s.label || row.pipelineId !== s.pipelineId) writes.push({ crmStageId: s.id, pipelineId: s.pipelineId, label: s.label, target: fallback });
  }
  // Stages the CRM no longer lists keep their stored target, for deals still in them.
  for (const [id, row] of stored) if (!targets.has(id) && valid(row.target)) targets.set(id, row.target);
  await upsertCrmStageMaps(db, connection.id, writes, opts.now);
  return targets;
}

/** CRM owner id → rep id: stored links, new owners looked up in Slack by email. */
async function mapOwners(db: Db, connection: CrmConnection, workspace: Workspace, owners: readonly TCrmOwner[], opts: SyncCrmOptions): Promise<Map<string, number>> {
  const stored = new Map((await crmOwnerMaps(db, connection.id)).map((m) => [m.crmOwnerId, m]));
  const out = new Map<string, number>();
  for (const o of owners) {
    const email = o.email?.trim().toLowerCase() || null;
    const row = stored.get(o.id);
    if (row && row.email === email) {
      out.set(o.id, row.repId);
      continue;
    }
    let slackUserId: string | null = null;
    let answered = true;
    try {
      slackUserId = email && opts.lookupUserByEmail ? await opts.lookupUserByEmail(email) : null;
    } catch {
      // Slack did not answer: the owner's deals go to a stand-in rep for now, and the link is not
      // stored, so the next run asks again.
      answered = false;
    }
    const name = o.name?.trim() || email || `CRM owner ${o.id}`;
    const repId = slackUserId ? await repOfSlackUserOrNew(db, workspace.id, slackUserId, name) : (await repOfImportKey(db, workspace.id, ownerImportKey(connection.vendor as TCrmVendor, o.id), name)).id;
    if (answered) await upsertCrmOwnerMap(db, { connectionId: connection.id, crmOwnerId: o.id, email, repId, now: opts.now });
    out.set(o.id, repId);
  }
  return out;
}

/** `Rep.importKey` of a CRM owner not (yet) found in Slack. @example ownerImportKey('hubspot', '42') // 'crm:hubspot:42' */
export function ownerImportKey(vendor: TCrmVendor, crmOwnerId: string | null): string {
  return `crm:${vendor}:${crmOwnerId ?? 'unowned'}`;
}

/** The rep of a Slack user, created the way a first Slack contact creates one (role rep) when missing. */
async function repOfSlackUserOrNew(db: Db, workspaceId: number, slackUserId: string, name: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await inTransaction(db, async (tx: Tx) => {
        const found = await repOfSlackUser(tx, workspaceId, slackUserId);
        if (found) return found.id;
        return (await insertRep(tx, { workspaceId, slackUserId, name, role: 'rep', timeZone: null })).id;
      });
    } catch (e) {
      if (isUniqueViolation(e) && attempt < 3) continue;
      throw e;
    }
  }
}

/** Reps for owners the owner list did not give (or no owner): made before the page's transaction. */
async function ensureOwnerReps(db: Db, workspaceId: number, vendor: TCrmVendor, deals: readonly TCrmDeal[], owners: Map<string, number>): Promise<void> {
  for (const d of deals) {
    const key = d.ownerId ?? '';
    if (owners.has(key)) continue;
    const rep = await repOfImportKey(db, workspaceId, ownerImportKey(vendor, d.ownerId), d.ownerId === null ? 'Unassigned (CRM)' : `CRM owner ${d.ownerId}`);
    owners.set(key, rep.id);
  }
}

interface TApplyPage {
  db: Db;
  workspace: Workspace;
  vendor: TCrmVendor;
  page: TCrmPage;
  targets: ReadonlyMap<string, TStageTarget>;
  funnel: readonly string[];
  owners: ReadonlyMap<string, number>;
  connectionId: number;
  owner: string;
  leaseMs: number;
  clock: () => Date;
  now: Date;
}

interface TApplied {
  created: number;
  updated: number;
  unchanged: number;
  adopted: number;
  removed: number;
  merged: number;
  historyBumped: boolean;
}

interface TPlannedRow {
  deal: TCrmDeal;
  row: TDealRow;
}

/** One page in one transaction: deals, removals, cursor (and the history bump when the past moved). */
async function applyPage(p: TApplyPage): Promise<TApplied> {
  const { workspace, page, vendor } = p;
  const applied: TApplied = { created: 0, updated: 0, unchanged: 0, adopted: 0, removed: 0, merged: 0, historyBumped: false };
  // The last occurrence of a record in a page is its latest state.
  const latest = new Map<string, TCrmDeal>();
  for (const d of page.deals) latest.set(d.crmId, d);
  return withTransaction(p.db, async (run: SqlRunner, tx: Tx) => {
    const touched: Array<Date | null> = [];
    const externalIds = [...latest.keys()].map((id) => crmExternalId(vendor, id));
    const stored = new Map((await dealsByExternalIdsForSync(run, workspace.id, externalIds)).flatMap((d) => (d.externalId ? [[d.externalId, d] as const] : [])));
    const planned: TPlannedRow[] = [];
    for (const deal of latest.values()) planned.push({ deal, row: await dealRow(tx, p, deal, stored.get(crmExternalId(vendor, deal.crmId)) ?? null) });

    // Deals logged in Slack before connecting: adopted when customer, amount and close day agree.
    const fresh = planned.filter((x) => !stored.has(x.row.externalId ?? ''));
    const candidates = await localDealsByCustomerKeys(run, workspace.id, [...new Set(fresh.map((x) => customerKey(x.row.customer)))]);
    const taken = new Set<number>();
    const adoptedBy = new Map<string, TStoredSyncDeal>();
    for (const x of fresh) {
      const match = candidates.find(
        (c) => !taken.has(c.id) && isSameDeal(c, { customerKey: customerKey(x.row.customer), amountMinor: x.row.amountMinor, currency: x.row.currency, closedAt: x.row.closedAt }, workspace.timeZone),
      );
      if (!match) continue;
      taken.add(match.id);
      adoptedBy.set(x.row.externalId ?? '', match);
      await setDealOrigin(run, match.id, vendor, x.row.externalId ?? '');
    }

    const inserts = planned.filter((x) => !stored.has(x.row.externalId ?? '') && !adoptedBy.has(x.row.externalId ?? ''));
    const updates = planned.flatMap((x) => {
      const before = stored.get(x.row.externalId ?? '') ?? adoptedBy.get(x.row.externalId ?? '');
      if (before && before.source === vendor && sameStoredDeal(x.row, before)) {
        // A change the app does not store (a note, a property it does not read): nothing to write,
        // and no cached month of the past to throw away.
        applied.unchanged++;
        return [];
      }
      return before ? [{ ...x, before }] : [];
    });
    const ids = await insertSyncedDeals(run, workspace.id, inserts.map((x) => x.row), p.now);
    await updateSyncedDeals(run, updates.map((u) => ({ ...u.row, id: u.before.id })), p.now);
    for (const u of updates) {
      if (stored.has(u.row.externalId ?? '')) {
        applied.updated++;
        // An export of the same CRM imported before (same external id): the CRM owns it now.
        if (u.before.source !== vendor) await setDealOrigin(run, u.before.id, vendor, u.row.externalId ?? '');
      } else applied.adopted++;
    }
    applied.created = inserts.length;

    // The renewal rule, as /deal applies it: a won recurring renewal continues the customer's running
    // subscription instead of starting a second one. Re-derived on every write of the deal: what an
    // earlier version of it changed is undone first (a renewal edited, lost or no longer recurring).
    for (const u of updates) if (u.before.type === 'renewal') touched.push(...(await deleteRenewalChanges(tx, u.before.id)));
    const renewals = [
      ...inserts.flatMap((x) => (startsRenewal(x.row) ? [ids.get(x.row.externalId ?? '')] : [])),
      ...updates.flatMap((u) => (startsRenewal(u.row) ? [u.before.id] : [])),
    ];
    for (const id of renewals) {
      const deal = id === undefined ? null : await dealInTx(tx, id);
      if (deal) await continueRenewedSubscription(tx, { deal, createdById: null, now: p.now });
    }

    // Stage history: the CRM's when it gives one (replacing ours), else one move per stage change.
    const replaced: number[] = [];
    const moves: Array<TStageMove & { dealId: number }> = [];
    const replacing: Array<TStageMove & { dealId: number }> = [];
    for (const x of inserts) {
      const dealId = ids.get(x.row.externalId ?? '');
      if (dealId === undefined) continue;
      for (const m of historyOf(x, p.targets)) moves.push({ ...m, dealId });
    }
    for (const u of updates) {
      if (u.deal.stageHistory) {
        replaced.push(u.before.id);
        for (const m of historyOf(u, p.targets)) replacing.push({ ...m, dealId: u.before.id });
      } else if (u.before.stage !== u.row.stage) {
        moves.push({ dealId: u.before.id, fromStage: u.before.stage, toStage: u.row.stage, changedAt: u.row.closedAt ?? u.deal.stageChangedAt ?? u.deal.modifiedAt });
      }
      touched.push(u.before.createdAt, u.before.closedAt, u.before.subscriptionStart);
    }
    if (replaced.length > 0) await replaceStageChanges(run, workspace.id, replacing, replaced);
    await appendStageChanges(run, workspace.id, moves);
    for (const x of [...inserts, ...updates]) touched.push(x.row.createdAt, x.row.closedAt, x.row.subscriptionStart ?? null);
    for (const m of [...moves, ...replacing]) touched.push(m.changedAt);

    // Removals: deletions, and merges (refunds move to the surviving deal, the loser goes).
    if (page.removals.length > 0) {
      const gone = await dealsByExternalIdsForSync(run, workspace.id, page.removals.map((r) => crmExternalId(vendor, r.crmId)));
      const byExt = new Map(gone.map((d) => [d.externalId ?? '', d]));
      const survivors = new Map(
        (await dealsByExternalIdsForSync(run, workspace.id, page.removals.flatMap((r) => (r.mergedIntoCrmId ? [crmExternalId(vendor, r.mergedIntoCrmId)] : [])))).map((d) => [d.externalId ?? '', d]),
      );
      const doomed: number[] = [];
      for (const r of page.removals) {
        const loser = byExt.get(crmExternalId(vendor, r.crmId));
        if (!loser) continue;
        const survivor = r.mergedIntoCrmId ? survivors.get(crmExternalId(vendor, r.mergedIntoCrmId)) : undefined;
        if (survivor && survivor.id !== loser.id) {
          await moveRefunds(run, loser.id, survivor.id);
          applied.merged++;
        }
        doomed.push(loser.id);
        touched.push(loser.createdAt, loser.closedAt, loser.subscriptionStart);
      }
      applied.removed = await deleteDeals(run, doomed);
    }

    if (touchesHistory(touched, p.clock())) {
      await bumpHistoryVersionRaw(run, workspace.id);
      applied.historyBumped = true;
    }
    const committedAt = p.clock();
    const held = await commitCrmPage(run, {
      connectionId: p.connectionId,
      owner: p.owner,
      cursor: page.cursor,
      leaseUntil: new Date(committedAt.getTime() + p.leaseMs),
      deals: applied.created + applied.updated + applied.adopted,
      removals: applied.removed,
      now: committedAt,
    });
    if (!held) throw new LeaseLostError();
    return applied;
  });
}

const sameTime = (a: Date | null | undefined, b: Date | null | undefined): boolean => (a ?? null)?.getTime() === (b ?? null)?.getTime();

/** Whether the row a CRM deal maps to is what is stored already (every column the sync writes). */
function sameStoredDeal(row: TDealRow, s: TStoredSyncDeal): boolean {
  return (
    row.ownerId === s.ownerId &&
    row.customer === s.customer &&
    customerKey(row.customer) === s.customerKey &&
    row.amountMinor === s.amountMinor &&
    row.currency === s.currency &&
    row.amountReportingMinor === s.amountReportingMinor &&
    row.type === s.type &&
    row.status === s.status &&
    row.stage === s.stage &&
    row.maxStageIndex === s.maxStageIndex &&
    (row.lostReason ?? null) === s.lostReason &&
    (row.recurringMonthlyMinor ?? null) === s.recurringMonthlyMinor &&
    (row.recurringReportingMinor ?? null) === s.recurringReportingMinor &&
    sameTime(row.createdAt, s.createdAt) &&
    sameTime(row.closedAt, s.closedAt) &&
    // A renewal that continued a running subscription is stored without a start of its own.
    (sameTime(row.subscriptionStart, s.subscriptionStart) || (startsRenewal(row) && s.subscriptionStart === null))
  );
}

/** Whether the renewal rule applies to a deal row: a won renewal with a monthly amount that starts a subscription. */
function startsRenewal(row: TDealRow): boolean {
  return row.type === 'renewal' && row.status === 'won' && (row.recurringMonthlyMinor ?? null) !== null && (row.subscriptionStart ?? null) !== null;
}

function historyOf(x: TPlannedRow, targets: ReadonlyMap<string, TStageTarget>): TStageMove[] {
  if (x.deal.stageHistory) return stageMoves(x.deal.stageHistory, targets, { stage: x.row.stage, closedAt: x.row.closedAt, createdAt: x.row.createdAt });
  return [{ fromStage: null, toStage: x.row.stage, changedAt: x.row.closedAt ?? x.row.createdAt }];
}

/** The stored form of a CRM deal: money in minor units and converted as Slack-logged deals are. */
async function dealRow(tx: Tx, p: TApplyPage, deal: TCrmDeal, before: TStoredSyncDeal | null): Promise<TDealRow> {
  const { workspace } = p;
  const currency = deal.currency ? normalizeCurrency(deal.currency) : workspace.currency;
  if (!isKnownCurrency(currency)) {
    throw new AppError('UNKNOWN_CURRENCY', `CRM deal ${deal.crmId} is in ${currency.slice(0, 8)}, a currency this app does not know yet; the sync stops there until it does.`);
  }
  const minor = (text: string | null, field: string): bigint | null => {
    if (text === null || text.trim() === '') return null;
    const v = decimalToMinor(text, currency);
    if (v === null || v < 0n) throw new AppError('INVALID_AMOUNT', `CRM deal ${deal.crmId} has ${field} "${text.slice(0, 40)}", which is not an amount; fix it in the CRM.`);
    return v;
  };
  const amountMinor = minor(deal.amount, 'the amount') ?? 0n;
  const recurringMonthlyMinor = minor(deal.recurringMonthly, 'the recurring amount');
  const amountReportingMinor = await toReportingCurrency(tx, workspace, amountMinor, currency);
  const recurringReportingMinor = recurringMonthlyMinor === null ? null : await toReportingCurrency(tx, workspace, recurringMonthlyMinor, currency, 'recurring');
  const state = mapDealState(deal, p.targets, p.funnel, before?.maxStageIndex ?? null);
  const ownerId = p.owners.get(deal.ownerId ?? '');
  if (ownerId === undefined) throw new Error(`no rep for CRM owner ${deal.ownerId ?? '(none)'}`);
  const createdAt = state.closedAt && state.closedAt.getTime() < deal.createdAt.getTime() ? state.closedAt : deal.createdAt;
  return {
    ownerId,
    customer: deal.customer.trim() || deal.title.trim() || `CRM deal ${deal.crmId}`,
    amountMinor,
    currency,
    amountReportingMinor,
    type: deal.type ?? 'new',
    stage: state.stage,
    maxStageIndex: state.maxStageIndex,
    status: state.status,
    lostReason: state.status === 'lost' ? deal.lostReason : null,
    recurringMonthlyMinor,
    recurringReportingMinor,
    subscriptionStart: recurringMonthlyMinor !== null && state.status === 'won' ? state.closedAt : null,
    createdAt,
    closedAt: state.closedAt,
    updatedAt: p.now,
    source: p.vendor,
    externalId: crmExternalId(p.vendor, deal.crmId),
  };
}
