import { DealsApi as DealsApiV1, UsersApi } from 'pipedrive/v1';
import { DealsApi, OrganizationsApi, PipelinesApi, StagesApi, type DealsApiGetDealsRequest, type UpdateDealRequest } from 'pipedrive/v2';
import type { z } from 'zod';
import {
  CrmSourceError,
  type TCrmDeal,
  type TCrmOwner,
  type TCrmPage,
  type TCrmRemoval,
  type TCrmSource,
  type TCrmStage,
  type TCrmStageEntry,
  type TCrmWriteBack,
  type TPullOptions,
} from '../../domain/crm/crm-source.js';
import { createPipedriveCaller, sleepFor, type TPipedriveCaller } from './pipedrive-calls.js';
import {
  MAX_BOUNDARY_IDS,
  ZPipedriveCurrentUser,
  ZPipedriveDeal,
  ZPipedriveFlow,
  ZPipedriveOrganization,
  ZPipedrivePipeline,
  ZPipedriveStage,
  ZPipedriveUsers,
  amountNumber,
  dealFingerprint,
  flowNextStart,
  flowStageHistory,
  isDeletedDeal,
  parsePipedriveTime,
  pipedriveAppUrl,
  readCursor,
  rfc3339,
  toCrmDeal,
  toCrmOwner,
  toCrmRemoval,
  toCrmStages,
  zPipedriveList,
  type TPipedriveCursor,
  type TPipedriveDeal,
  type TPipedriveFlowItem,
} from './pipedrive-mapping.js';

export interface TPipedriveSourceOptions {
  /** The user's personal API token (Settings → Personal preferences → API). Sent only as `x-api-token`. */
  apiToken: string;
  /** `https://api.pipedrive.com` or the company domain (`https://acme.pipedrive.com`); a fake in tests. */
  baseUrl: string;
  /** Deadline of each HTTP request. */
  timeoutMs: number;
  /** Waits out `Retry-After`; defaults to a real timer. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Deals per page, at most 500 (Pipedrive's cap). Default 500. */
  pageSize?: number;
  /** 429s waited out per request before 'rate-limited'. Default 3. */
  maxRetries?: number;
  /** Longest `Retry-After` waited out, in seconds; a longer one fails at once. Default 60. */
  maxWaitSeconds?: number;
  /** The company's web app URL (`https://acme.pipedrive.com`) for deal links; no links when absent. */
  appUrl?: string;
  /**
   * A full load asks each deal past its pipeline's first stage for its stage history
   * (`GET /v1/deals/{id}/flow`, one request per such deal). Default true.
   */
  stageFlow?: boolean;
  /**
   * Deals whose flow is fetched per delivered part of a deals page: a page is delivered (and
   * committed by the sync) in parts of at most this many flow look-ups, so a run stopped mid-page
   * repeats at most one part's requests. Default 100.
   */
  flowDealsPerPart?: number;
}

/** The Pipedrive connector: the port, plus a look-up of given deals (after a webhook, say). */
export interface TPipedriveSource extends TCrmSource {
  /** The current state of up to 100 deals by id; ids Pipedrive does not list (deleted, invisible) are absent. */
  fetchDeals(options: { crmIds: readonly string[]; now: Date; signal?: AbortSignal }): Promise<TCrmDeal[]>;
  /** `https://<company_domain>.pipedrive.com` from `GET /v1/users/me` (one request); null when Pipedrive does not say. */
  accountAppUrl(signal?: AbortSignal): Promise<string | null>;
}

/**
 * Every status, deleted included: "If omitted, all not deleted deals are returned. If set to
 * deleted, deals that have been deleted up to 30 days ago will be included. Multiple statuses can
 * be included as a comma separated array" (Pipedrive API v2, Get all deals, `status`). The
 * client's type admits one status only, hence the widening cast. Archived deals are never listed.
 */
const EVERY_STATUS = 'open,won,lost,deleted' as string as NonNullable<DealsApiGetDealsRequest['status']>;

const ZDeals = zPipedriveList(ZPipedriveDeal);
const ZStages = zPipedriveList(ZPipedriveStage);
const ZPipelines = zPipedriveList(ZPipedrivePipeline);
const ZOrganizations = zPipedriveList(ZPipedriveOrganization);

/** Organization names are cached this long, so a page of deals costs one deals call, not six. */
const ORG_NAME_TTL_MS = 60 * 60 * 1000;
const ORG_CACHE_MAX = 20_000;
/** Pipedrive's `ids` filter takes up to 100 ids. */
const IDS_PER_CALL = 100;
/** Guard against a server that never ends a listing. */
const MAX_LIST_PAGES = 1000;
/** Flow items per request, and the most pages read for one deal (beyond: its history is left unknown). */
const FLOW_PAGE_SIZE = 500;
const MAX_FLOW_PAGES = 4;

function check<S extends z.ZodType>(schema: S, body: unknown, label: string): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new CrmSourceError('bad-response', `Pipedrive ${label} answered an unexpected shape`);
  return parsed.data;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Connects to one Pipedrive company through the official `pipedrive` client (v2 deals, stages,
 * pipelines and organizations; v1 users).
 *
 * Incremental pulls list `GET /api/v2/deals?updated_since=…&sort_by=update_time&sort_direction=asc`
 * with every status (deleted ones become removals; Pipedrive lists them for 30 days, so a sync
 * stopped longer than that needs a full load to notice deletions), following
 * `additional_data.next_cursor`; the cursor is described at `ZPipedriveCursor`. A full load (no
 * `updated_since`) also reads `GET /v1/deals/{id}/flow?items=dealChange` for each deal not in its
 * pipeline's first stage (a deal still there has no stage history to tell; one moved back there is
 * not asked), one request per such deal, and delivers a page in parts of at most
 * `flowDealsPerPart` such deals (the page is listed again for each part, the ids already delivered
 * kept in the cursor), so a stopped run repeats at most one part's requests. Incremental pulls ask
 * for no flow: the sync records a stage move it sees at the deal's `stage_change_time`.
 *
 * @example
 * const source = createPipedriveSource({ apiToken, baseUrl: 'https://api.pipedrive.com', timeoutMs: 10_000 });
 * let page = await source.pullChanges({ cursor: null, now: new Date() });
 * while (!page.done) page = await source.pullChanges({ cursor: page.cursor, now: new Date() });
 */
export function createPipedriveSource(options: TPipedriveSourceOptions): TPipedriveSource {
  const pageSize = Math.min(500, Math.max(1, options.pageSize ?? 500));
  const appUrl = options.appUrl ?? null;
  const stageFlow = options.stageFlow ?? true;
  const flowDealsPerPart = Math.max(1, Math.floor(options.flowDealsPerPart ?? 100));
  /** Ids of every pipeline's first stage, from the last `listStages`: deals there have no history to fetch. */
  let firstStageIds: Set<string> | null = null;
  const caller: TPipedriveCaller = createPipedriveCaller({
    apiToken: options.apiToken,
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    sleep: options.sleep ?? sleepFor,
    maxRetries: options.maxRetries ?? 3,
    maxWaitSeconds: options.maxWaitSeconds ?? 60,
  });
  const orgNames = new Map<number, { name: string; at: number }>();

  /** Follows a v2 listing's cursors to the end. */
  async function listAll<S extends z.ZodType>(
    label: string,
    schema: ReturnType<typeof zPipedriveList<S>>,
    fetchPage: (config: Parameters<Parameters<TPipedriveCaller['call']>[1]>[0], cursor: string | undefined) => Promise<unknown>,
    signal?: AbortSignal,
  ): Promise<Array<z.infer<S>>> {
    const out: Array<z.infer<S>> = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page += 1) {
      const body = check(schema, await caller.call(label, (config) => fetchPage(config, cursor), signal), label);
      out.push(...((body.data ?? []) as Array<z.infer<S>>));
      const next = body.additional_data?.next_cursor;
      if (!next) return out;
      cursor = next;
    }
    throw new CrmSourceError('bad-response', `Pipedrive ${label} did not end after ${MAX_LIST_PAGES} pages`);
  }

  async function listStages(signal?: AbortSignal): Promise<TCrmStage[]> {
    const pipelines = await listAll(
      'GET /api/v2/pipelines',
      ZPipelines,
      (config, cursor) => new PipelinesApi(config.v2).getPipelines({ limit: 500, ...(cursor ? { cursor } : {}) }),
      signal,
    );
    const stages = await listAll(
      'GET /api/v2/stages',
      ZStages,
      (config, cursor) => new StagesApi(config.v2).getStages({ limit: 500, sort_by: 'order_nr', sort_direction: 'asc', ...(cursor ? { cursor } : {}) }),
      signal,
    );
    const mapped = toCrmStages(stages, pipelines);
    firstStageIds = new Set(mapped.filter((s) => s.order === 0).map((s) => s.id));
    return mapped;
  }

  /** `https://<company_domain>.pipedrive.com` from `GET /v1/users/me`; null when Pipedrive does not say. */
  async function accountAppUrl(signal?: AbortSignal): Promise<string | null> {
    const label = 'GET /v1/users/me';
    const body = check(ZPipedriveCurrentUser, await caller.call(label, (config) => new UsersApi(config.v1).getCurrentUser(), signal), label);
    return pipedriveAppUrl(body.data?.company_domain ?? null);
  }

  /**
   * A deal's stage history from `GET /v1/deals/{id}/flow?items=dealChange` (offset paging); null
   * when it has more than MAX_FLOW_PAGES pages (the oldest changes, listed last, would be missing).
   */
  async function flowHistory(deal: TPipedriveDeal, signal?: AbortSignal): Promise<TCrmStageEntry[] | null> {
    const label = 'GET /v1/deals/{id}/flow';
    const items: TPipedriveFlowItem[] = [];
    let start = 0;
    for (let page = 0; page < MAX_FLOW_PAGES; page += 1) {
      const body = check(
        ZPipedriveFlow,
        await caller.call(label, (config) => new DealsApiV1(config.v1).getDealUpdates({ id: deal.id, start, limit: FLOW_PAGE_SIZE, items: 'dealChange' }), signal),
        label,
      );
      const data = body.data ?? [];
      items.push(...data);
      const next = flowNextStart(body, start, data.length);
      if (next === null) return flowStageHistory(deal, items);
      start = next;
    }
    return null;
  }

  async function listOwners(signal?: AbortSignal): Promise<TCrmOwner[]> {
    const label = 'GET /v1/users';
    const body = check(ZPipedriveUsers, await caller.call(label, (config) => new UsersApi(config.v1).getUsers(), signal), label);
    return (body.data ?? []).map(toCrmOwner);
  }

  /** Names of the deals' organizations, from the cache or `GET /api/v2/organizations?ids=…`. */
  async function organizationNames(deals: readonly TPipedriveDeal[], nowMs: number, signal?: AbortSignal): Promise<Map<number, string>> {
    const wanted = new Set<number>();
    for (const d of deals) if (d.org_id && !isDeletedDeal(d)) wanted.add(d.org_id);
    const names = new Map<number, string>();
    const missing: number[] = [];
    for (const id of wanted) {
      const hit = orgNames.get(id);
      if (hit && nowMs - hit.at < ORG_NAME_TTL_MS && nowMs >= hit.at) names.set(id, hit.name);
      else missing.push(id);
    }
    const label = 'GET /api/v2/organizations';
    for (const ids of chunks(missing, IDS_PER_CALL)) {
      const body = check(
        ZOrganizations,
        await caller.call(label, (config) => new OrganizationsApi(config.v2).getOrganizations({ ids: ids.join(','), limit: IDS_PER_CALL }), signal),
        label,
      );
      for (const org of body.data ?? []) {
        names.set(org.id, org.name);
        if (orgNames.size >= ORG_CACHE_MAX) orgNames.delete(orgNames.keys().next().value!);
        orgNames.set(org.id, { name: org.name, at: nowMs });
      }
    }
    return names;
  }

  function mapDeal(deal: TPipedriveDeal, names: Map<number, string>, stageHistory: TCrmStageEntry[] | null = null): TCrmDeal {
    const mapped = toCrmDeal(deal, { orgName: deal.org_id ? (names.get(deal.org_id) ?? null) : null, appUrl });
    if (!mapped) throw new CrmSourceError('bad-response', `Pipedrive deal ${deal.id} has an unknown status or unreadable dates`);
    return stageHistory ? { ...mapped, stageHistory } : mapped;
  }

  async function pullChanges(pull: TPullOptions): Promise<TCrmPage> {
    const state = readCursor(pull.cursor);
    if (!state) throw new CrmSourceError('bad-response', 'the stored Pipedrive sync cursor is unreadable; start a full load');
    const label = 'GET /api/v2/deals';
    const request: DealsApiGetDealsRequest = {
      status: EVERY_STATUS,
      sort_by: 'update_time',
      sort_direction: 'asc',
      limit: pageSize,
      ...(state.since ? { updated_since: state.since } : {}),
      ...(state.pageCursor ? { cursor: state.pageCursor } : {}),
    };
    const body = check(ZDeals, await caller.call(label, (config) => new DealsApi(config.v2).getDeals(request), pull.signal), label);
    const listed = body.data ?? [];
    const names = await organizationNames(listed, pull.now.getTime(), pull.signal);
    // A full load asks Pipedrive for the stage history of deals past their pipeline's first stage.
    const withFlow = stageFlow && state.since === null;
    if (withFlow && firstStageIds === null) await listStages(pull.signal);
    const delivered = new Set(state.delivered ?? []);
    const newlyDelivered: string[] = [];
    let flowCalls = 0;
    let cut = false;

    const sinceMs = state.since ? parsePipedriveTime(state.since)?.getTime() : undefined;
    let maxUpdate = state.maxUpdate;
    let maxMs = maxUpdate ? (parsePipedriveTime(maxUpdate)?.getTime() ?? Number.NEGATIVE_INFINITY) : Number.NEGATIVE_INFINITY;
    let atMax: Record<string, string> = { ...state.atMax };
    const deals: TCrmDeal[] = [];
    const removals: TCrmRemoval[] = [];
    for (const raw of listed) {
      const updated = parsePipedriveTime(raw.update_time);
      if (!updated) throw new CrmSourceError('bad-response', `Pipedrive deal ${raw.id} has an unreadable update_time`);
      const ms = updated.getTime();
      const fingerprint = dealFingerprint(raw);
      const id = String(raw.id);
      if (ms > maxMs) {
        maxMs = ms;
        maxUpdate = rfc3339(updated);
        atMax = {};
      }
      if (ms === maxMs && Object.keys(atMax).length < MAX_BOUNDARY_IDS) atMax[id] = fingerprint;
      // Already delivered at the end of the previous run and unchanged since.
      if (sinceMs !== undefined && ms === sinceMs && state.skip[id] === fingerprint) continue;
      // Delivered by an earlier part of this page, or left for the next part.
      if (delivered.has(id) || cut) continue;
      if (isDeletedDeal(raw)) removals.push(toCrmRemoval(raw, pull.now));
      else if (withFlow && raw.stage_id && !firstStageIds?.has(String(raw.stage_id))) {
        if (flowCalls >= flowDealsPerPart) {
          cut = true;
          continue;
        }
        flowCalls += 1;
        deals.push(mapDeal(raw, names, await flowHistory(raw, pull.signal)));
      } else deals.push(mapDeal(raw, names));
      newlyDelivered.push(id);
    }

    if (cut) {
      // The rest of this page comes with the next pull: same page, same run state, these ids skipped.
      const partial: TPipedriveCursor = { ...state, delivered: [...delivered, ...newlyDelivered] };
      return { deals, removals, cursor: JSON.stringify(partial), done: false, total: null };
    }

    const next = body.additional_data?.next_cursor ?? null;
    const done = !next;
    const cursor: TPipedriveCursor = done
      ? {
          v: 1,
          since: maxUpdate ?? state.since,
          pageCursor: null,
          maxUpdate: null,
          atMax: {},
          skip: maxUpdate && maxUpdate !== state.since ? atMax : { ...state.skip, ...atMax },
        }
      : { v: 1, since: state.since, pageCursor: next, maxUpdate, atMax, skip: state.skip };
    return { deals, removals, cursor: JSON.stringify(cursor), done, total: null };
  }

  async function fetchDeals({ crmIds, now, signal }: { crmIds: readonly string[]; now: Date; signal?: AbortSignal }): Promise<TCrmDeal[]> {
    const ids = [...new Set(crmIds)].filter((id) => /^\d{1,15}$/.test(id));
    if (ids.length > IDS_PER_CALL) throw new RangeError(`at most ${IDS_PER_CALL} deals per look-up`);
    if (ids.length === 0) return [];
    const label = 'GET /api/v2/deals';
    const body = check(
      ZDeals,
      await caller.call(label, (config) => new DealsApi(config.v2).getDeals({ ids: ids.join(','), limit: IDS_PER_CALL }), signal),
      label,
    );
    const listed = (body.data ?? []).filter((d) => !isDeletedDeal(d));
    const names = await organizationNames(listed, now.getTime(), signal);
    return listed.map((d) => mapDeal(d, names));
  }

  async function writeBack(change: TCrmWriteBack, signal?: AbortSignal): Promise<void> {
    if (!/^\d{1,15}$/.test(change.crmId)) throw new CrmSourceError('bad-response', 'not a Pipedrive deal id');
    const patch: UpdateDealRequest = {};
    if (change.status) patch.status = change.status;
    if (change.stageId !== undefined) {
      if (!/^\d{1,15}$/.test(change.stageId)) throw new CrmSourceError('bad-response', 'not a Pipedrive stage id');
      patch.stage_id = Number(change.stageId);
    }
    if (change.amount !== undefined) {
      const value = amountNumber(change.amount);
      if (value === null) throw new CrmSourceError('bad-response', 'amount is not a decimal Pipedrive can store exactly');
      patch.value = value;
    }
    if (change.currency !== undefined) patch.currency = change.currency.toUpperCase();
    if (change.closedAt) {
      const at = rfc3339(change.closedAt);
      patch.close_time = at;
      if (change.status === 'won') patch.won_time = at;
      if (change.status === 'lost') patch.lost_time = at;
    }
    if (change.lostReason !== undefined) patch.lost_reason = change.lostReason;
    if (Object.keys(patch).length === 0) return;
    const label = 'PATCH /api/v2/deals/{id}';
    await caller.call(label, (config) => new DealsApi(config.v2).updateDeal({ id: Number(change.crmId), UpdateDealRequest: patch }), signal);
  }

  return { vendor: 'pipedrive', listStages, listOwners, accountAppUrl, pullChanges, fetchDeals, writeBack, usage: () => caller.usage() };
}
