import { Client } from '@hubspot/api-client';
import type { FilterOperatorEnum, PublicObjectSearchRequest } from '@hubspot/api-client/lib/codegen/crm/deals/index.js';
import {
  CrmSourceError,
  type TCrmOwner,
  type TCrmPage,
  type TCrmRemoval,
  type TCrmSource,
  type TCrmStage,
  type TCrmUsage,
  type TCrmWriteBack,
  type TPullOptions,
} from '../../domain/crm/crm-source.js';
import {
  classifyHubSpotFailure,
  deadlineAgent,
  headerOf,
  isHubSpotApiError,
  scrubSecret,
  withDeadline,
} from './hubspot-http.js';
import {
  HUBSPOT_DEAL_PROPERTIES,
  decodeHubSpotCursor,
  encodeHubSpotCursor,
  mapHubSpotDeal,
  mapHubSpotOwner,
  mapHubSpotStages,
  mergedIds,
  type THubSpotCursor,
  type THubSpotDealRecord,
  type THubSpotPipeline,
} from './hubspot-mapping.js';

/**
 * The HubSpot connector (issue #10): CRM v3 deals, pipelines and owners through the official
 * `@hubspot/api-client`, pointed at `baseUrl` (HubSpot's `https://api.hubapi.com`, or a loopback
 * fake in tests). Endpoints, as documented by HubSpot and wrapped by the client:
 * - `GET /crm/v3/pipelines/deals` (`crm.pipelines.pipelinesApi.getAll('deals')`);
 * - `GET /crm/v3/owners?limit&after&archived` (`crm.owners.ownersApi.getPage`);
 * - `GET /crm/v3/objects/deals?limit&after&properties&propertiesWithHistory=dealstage&archived`
 *   (`crm.deals.basicApi.getPage`): the full load, and `archived=true` for deletions;
 * - `POST /crm/v3/objects/deals/search` (`crm.deals.searchApi.doSearch`): changes by
 *   `hs_lastmodifieddate`; HubSpot answers 400 past 10,000 results of one query;
 * - `PATCH /crm/v3/objects/deals/{id}` (`crm.deals.basicApi.update`): write-back.
 *
 * Incremental paging is by key, not by offset: each page searches `hs_lastmodifieddate >=` the
 * newest time already seen (skipping the ids already delivered at exactly that time), so a search
 * never nears the 10,000 cap and a deal modified while we page cannot shift another one out of an
 * offset window. Only when a whole page shares one timestamp does it page with `after` inside that
 * instant; a 400 there (the cap) moves the window 1 ms on.
 */

export interface THubSpotSourceOptions {
  /** Private-app token or OAuth access token; never logged or put in an error. */
  accessToken: string;
  /** Default `https://api.hubapi.com`. */
  baseUrl?: string;
  /** Deadline for each HTTP call (also the socket idle limit). */
  timeoutMs: number;
  /** Waits between retries (tests inject a recorder); default a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Retries after a 429 / 5xx / timeout before giving up; default 3. */
  maxRetries?: number;
  /** Portal (hub) id, for deal links in HubSpot's UI; null leaves `url` empty. */
  portalId?: string | null;
  /** The next run re-reads changes this far before the newest one seen (search index lag); default 60 s. */
  overlapMs?: number;
  /** Deals per search page (HubSpot allows up to 200); default 100. */
  pageSize?: number;
  /** Clock for Retry-After dates; default `Date.now`. */
  clock?: () => number;
}

/** A HubSpot source also turns webhook-named deals into fresh records (see `hubspot-webhook.ts`). */
export interface THubSpotSource extends TCrmSource {
  writeBack(change: TCrmWriteBack, signal?: AbortSignal): Promise<void>;
}

const DEFAULT_BASE_URL = 'https://api.hubapi.com';
/** HubSpot's documented cap on results of one search query. */
const SEARCH_RESULT_CAP = 10_000;
/** List pages that carry `propertiesWithHistory` are kept at 50 records (HubSpot's lower cap for them). */
const FULL_PAGE_SIZE = 50;
const ARCHIVED_PAGE_SIZE = 100;
const OWNER_PAGE_SIZE = 100;
const MAX_OWNER_PAGES = 200;

const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface THttpInfo<T> {
  data: T;
  headers: Record<string, string>;
}

interface TPagingResponse<T> {
  results: T[];
  paging?: { next?: { after: string } };
  total?: number;
}

/**
 * Builds the connector.
 *
 * @example
 * const hubspot = createHubSpotSource({ accessToken: process.env.HUBSPOT_TOKEN ?? '', timeoutMs: 15_000 });
 * const first = await hubspot.pullChanges({ cursor: null, now: new Date() });
 */
export function createHubSpotSource(options: THubSpotSourceOptions): THubSpotSource {
  const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs;
  const sleep = options.sleep ?? realSleep;
  const maxRetries = options.maxRetries ?? 3;
  const portalId = options.portalId ?? null;
  const overlapMs = options.overlapMs ?? 60_000;
  const pageSize = Math.min(200, Math.max(1, options.pageSize ?? 100));
  const clock = options.clock ?? Date.now;
  const client = new Client({ accessToken: options.accessToken, basePath: baseUrl, httpAgent: deadlineAgent(baseUrl, timeoutMs) });

  const usage: TCrmUsage = { calls: 0, dailyRemaining: null, dailyLimit: null, throttled: 0 };

  const noteHeaders = (headers: Record<string, string> | undefined): void => {
    const limit = Number(headerOf(headers, 'x-hubspot-ratelimit-daily') ?? 'NaN');
    const remaining = Number(headerOf(headers, 'x-hubspot-ratelimit-daily-remaining') ?? 'NaN');
    if (Number.isFinite(limit)) usage.dailyLimit = limit;
    if (Number.isFinite(remaining)) usage.dailyRemaining = remaining;
  };

  /** One API call with deadline, bounded retries and the port's errors. */
  async function call<T>(label: string, send: () => Promise<THttpInfo<T>>, signal?: AbortSignal): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      usage.calls += 1;
      try {
        const info = await withDeadline(send(), timeoutMs, signal);
        noteHeaders(info.headers);
        return info.data;
      } catch (e) {
        if (signal?.aborted) throw signal.reason;
        if (isHubSpotApiError(e)) noteHeaders(e.headers);
        const f = classifyHubSpotFailure(label, e, clock());
        const message = scrubSecret(f.message, options.accessToken);
        if (f.retryable && attempt < maxRetries) {
          if (f.kind === 'rate-limited') {
            usage.throttled += 1;
            await sleep((f.retryAfterSeconds ?? 10) * 1000);
          } else {
            await sleep(Math.min(30_000, 500 * 2 ** attempt));
          }
          continue;
        }
        throw new CrmSourceError(f.kind, message, f.retryAfterSeconds);
      }
    }
  }

  const badResponse = (label: string): CrmSourceError => new CrmSourceError('bad-response', `HubSpot ${label}: the answer did not have the documented shape`);

  function checkPage<T>(label: string, data: TPagingResponse<T> | undefined): TPagingResponse<T> {
    if (!data || !Array.isArray(data.results)) throw badResponse(label);
    return data;
  }

  const dealsApi = client.crm.deals;

  async function listDeals(after: string | null, archived: boolean, signal?: AbortSignal): Promise<TPagingResponse<THubSpotDealRecord>> {
    const label = archived ? 'archived deals page' : 'deals page';
    const data = await call(
      label,
      () =>
        dealsApi.basicApi.getPageWithHttpInfo(
          archived ? ARCHIVED_PAGE_SIZE : FULL_PAGE_SIZE,
          after ?? undefined,
          archived ? ['hs_lastmodifieddate'] : [...HUBSPOT_DEAL_PROPERTIES],
          archived ? undefined : ['dealstage'],
          undefined,
          archived,
        ),
      signal,
    );
    return checkPage(label, data);
  }

  async function searchDeals(windowStart: number, after: string | null, limit: number, signal?: AbortSignal): Promise<TPagingResponse<THubSpotDealRecord>> {
    const request: PublicObjectSearchRequest = {
      filterGroups: [{ filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE' as FilterOperatorEnum, value: String(windowStart) }] }],
      // HubSpot documents sorts as objects; the client's model types them as strings and sends them as given.
      sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' } as unknown as string],
      properties: [...HUBSPOT_DEAL_PROPERTIES],
      limit,
      ...(after !== null ? { after } : {}),
    };
    const data = await call('deal search', () => dealsApi.searchApi.doSearchWithHttpInfo(request), signal);
    return checkPage('deal search', data);
  }

  const mergeRemovals = (records: THubSpotDealRecord[], modifiedOf: (r: THubSpotDealRecord) => Date): TCrmRemoval[] =>
    records.flatMap((r) => mergedIds(r.properties.hs_merged_object_ids).filter((old) => old !== r.id).map((old) => ({ crmId: old, removedAt: modifiedOf(r), mergedIntoCrmId: r.id })));

  const idleCursor = (watermark: number, archivedSince: number, seenAtWatermark: string[]): THubSpotCursor => ({
    v: 1,
    phase: 'incremental',
    since: watermark,
    archivedSince,
    windowStart: watermark,
    after: null,
    maxSeen: null,
    seenAtMax: seenAtWatermark,
  });

  async function fullPage(c: Extract<THubSpotCursor, { phase: 'full' }>, signal?: AbortSignal): Promise<TCrmPage> {
    const page = await listDeals(c.after, false, signal);
    const deals = page.results.map((r) => mapHubSpotDeal(r, portalId));
    const removals = mergeRemovals(page.results, (r) => mapHubSpotDeal(r, portalId).modifiedAt);
    const next = page.paging?.next?.after;
    if (next) return { deals, removals, cursor: encodeHubSpotCursor({ ...c, after: next }), done: false, total: c.total };
    const start = c.startedAt - overlapMs;
    return { deals, removals, cursor: encodeHubSpotCursor(idleCursor(start, start, [])), done: true, total: c.total };
  }

  async function incrementalPage(c: Extract<THubSpotCursor, { phase: 'incremental' }>, signal?: AbortSignal): Promise<TCrmPage> {
    let page: TPagingResponse<THubSpotDealRecord>;
    let cursor = c;
    try {
      page = await searchDeals(cursor.windowStart, cursor.after, pageSize, signal);
    } catch (e) {
      // Past the cap inside one instant (after > 0): step over that millisecond.
      if (!(e instanceof CrmSourceError) || e.kind !== 'bad-response' || cursor.after === null) throw e;
      cursor = { ...cursor, windowStart: cursor.windowStart + 1, after: null, seenAtMax: [] };
      page = await searchDeals(cursor.windowStart, null, pageSize, signal);
    }
    const seen = new Set(cursor.seenAtMax);
    const fresh: THubSpotDealRecord[] = [];
    const mapped = page.results.map((r) => ({ r, d: mapHubSpotDeal(r, portalId) }));
    for (const { r, d } of mapped) {
      const t = d.modifiedAt.getTime();
      if (t === cursor.windowStart && seen.has(r.id)) continue;
      fresh.push(r);
    }
    const deals = mapped.filter(({ r }) => fresh.includes(r)).map(({ d }) => d);
    const removals = mergeRemovals(fresh, (r) => mapHubSpotDeal(r, portalId).modifiedAt);
    const times = mapped.map(({ d }) => d.modifiedAt.getTime());
    const pageMax = times.length ? Math.max(...times) : null;
    const maxSeen = pageMax === null ? cursor.maxSeen : Math.max(pageMax, cursor.maxSeen ?? pageMax);
    const next = page.paging?.next?.after;
    if (next && pageMax !== null) {
      let nextCursor: THubSpotCursor;
      if (pageMax > cursor.windowStart) {
        // Restart the query at the newest time seen, remembering who was delivered at that instant.
        const atMax = mapped.filter(({ d }) => d.modifiedAt.getTime() === pageMax).map(({ r }) => r.id);
        nextCursor = { ...cursor, windowStart: pageMax, after: null, maxSeen, seenAtMax: atMax };
      } else {
        // The whole page shares windowStart: page inside that instant by offset.
        const ids = [...new Set([...cursor.seenAtMax, ...page.results.map((r) => r.id)])];
        const afterNum = Number(next);
        nextCursor =
          Number.isFinite(afterNum) && afterNum + pageSize > SEARCH_RESULT_CAP
            ? { ...cursor, windowStart: cursor.windowStart + 1, after: null, maxSeen, seenAtMax: [] }
            : { ...cursor, after: next, maxSeen, seenAtMax: ids };
      }
      return { deals, removals, cursor: encodeHubSpotCursor(nextCursor), done: false, total: page.total ?? null };
    }
    const watermark = maxSeen === null ? cursor.since : Math.max(cursor.since, maxSeen - overlapMs);
    // Ids already delivered at exactly the watermark, so the next run does not send them again.
    let seenAtWatermark: string[] = [];
    if (watermark === cursor.windowStart) seenAtWatermark = [...cursor.seenAtMax];
    if (pageMax !== null && watermark === pageMax) {
      const here = mapped.filter(({ d }) => d.modifiedAt.getTime() === pageMax).map(({ r }) => r.id);
      seenAtWatermark = [...new Set([...(pageMax === cursor.windowStart ? cursor.seenAtMax : []), ...here])];
    }
    const archived: THubSpotCursor = { v: 1, phase: 'archived', archivedSince: cursor.archivedSince, after: null, maxArchived: null, watermark, seenAtWatermark };
    return { deals, removals, cursor: encodeHubSpotCursor(archived), done: false, total: page.total ?? null };
  }

  async function archivedPage(c: Extract<THubSpotCursor, { phase: 'archived' }>, signal?: AbortSignal): Promise<TCrmPage> {
    const page = await listDeals(c.after, true, signal);
    const removals: TCrmRemoval[] = [];
    let maxArchived = c.maxArchived;
    for (const r of page.results) {
      const at = r.archivedAt ? new Date(r.archivedAt) : null;
      if (!at || Number.isNaN(at.getTime()) || at.getTime() < c.archivedSince) continue;
      removals.push({ crmId: r.id, removedAt: at, mergedIntoCrmId: null });
      maxArchived = Math.max(maxArchived ?? at.getTime(), at.getTime());
    }
    const next = page.paging?.next?.after;
    if (next) return { deals: [], removals, cursor: encodeHubSpotCursor({ ...c, after: next, maxArchived }), done: false, total: null };
    const archivedSince = maxArchived === null ? c.archivedSince : Math.max(c.archivedSince, maxArchived + 1 - overlapMs);
    return { deals: [], removals, cursor: encodeHubSpotCursor(idleCursor(c.watermark, archivedSince, c.seenAtWatermark)), done: true, total: null };
  }

  async function countDeals(signal?: AbortSignal): Promise<number | null> {
    const data = await call('deal count', () => dealsApi.searchApi.doSearchWithHttpInfo({ filterGroups: [], limit: 1, properties: ['hs_object_id'] }), signal);
    return typeof data?.total === 'number' ? data.total : null;
  }

  return {
    vendor: 'hubspot',

    async listStages(signal?: AbortSignal): Promise<TCrmStage[]> {
      const data = await call('pipelines', () => client.crm.pipelines.pipelinesApi.getAllWithHttpInfo('deals'), signal);
      if (!data || !Array.isArray(data.results)) throw badResponse('pipelines');
      return mapHubSpotStages(data.results as THubSpotPipeline[]);
    },

    async listOwners(signal?: AbortSignal): Promise<TCrmOwner[]> {
      const out = new Map<string, TCrmOwner>();
      for (const archived of [false, true]) {
        let after: string | undefined;
        for (let i = 0; i < MAX_OWNER_PAGES; i++) {
          const page = checkPage('owners', await call('owners', () => client.crm.owners.ownersApi.getPageWithHttpInfo(undefined, after, OWNER_PAGE_SIZE, archived), signal));
          for (const o of page.results) if (!out.has(o.id)) out.set(o.id, mapHubSpotOwner(o));
          after = page.paging?.next?.after;
          if (!after) break;
        }
      }
      return [...out.values()];
    },

    async pullChanges(opts: TPullOptions): Promise<TCrmPage> {
      let cursor: THubSpotCursor | null;
      try {
        cursor = decodeHubSpotCursor(opts.cursor);
      } catch (e) {
        throw new CrmSourceError('bad-response', `HubSpot cursor: ${(e as Error).message}`);
      }
      if (cursor === null) {
        const total = await countDeals(opts.signal);
        cursor = { v: 1, phase: 'full', after: null, startedAt: opts.now.getTime(), total };
      }
      switch (cursor.phase) {
        case 'full':
          return fullPage(cursor, opts.signal);
        case 'incremental':
          return incrementalPage(cursor, opts.signal);
        case 'archived':
          return archivedPage(cursor, opts.signal);
      }
    },

    async writeBack(change: TCrmWriteBack, signal?: AbortSignal): Promise<void> {
      const properties: Record<string, string> = {};
      if (change.stageId !== undefined) properties.dealstage = change.stageId;
      if (change.amount !== undefined) properties.amount = change.amount;
      if (change.currency !== undefined) properties.deal_currency_code = change.currency;
      if (change.closedAt !== undefined) properties.closedate = change.closedAt.toISOString();
      if (change.lostReason !== undefined) properties.closed_lost_reason = change.lostReason;
      // A won/lost status without a stage cannot be written: HubSpot derives it from the stage.
      if (Object.keys(properties).length === 0) return;
      if (!/^\d+$/.test(change.crmId)) throw new CrmSourceError('bad-response', 'HubSpot write-back: the deal id is not a HubSpot id');
      await call('deal update', () => dealsApi.basicApi.updateWithHttpInfo(change.crmId, { properties }), signal);
    },

    usage(): TCrmUsage {
      return { ...usage };
    },
  };
}
