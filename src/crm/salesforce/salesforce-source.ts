import { Connection } from 'jsforce';
import type { HttpRequest, HttpRequestOptions, HttpResponse } from 'jsforce';
import { z } from 'zod';
import {
  CrmSourceError,
  type TCrmDeal,
  type TCrmOwner,
  type TCrmPage,
  type TCrmRemoval,
  type TCrmSource,
  type TCrmStage,
  type TCrmUsage,
  type TCrmWriteBack,
  type TPullOptions,
} from '../../domain/crm/crm-source.js';
import { postTokenForm } from './oauth.js';
import {
  MAX_SKIP_KEYS,
  buildHistoryQuery,
  buildOpportunityQuery,
  chunkIds,
  decimalText,
  mapOpportunityType,
  parseLimitInfo,
  parseRetryAfter,
  parseSalesforceDate,
  parseSalesforceDateTime,
  readCursor,
  secondOf,
  stageEntries,
  type TSalesforceCursor,
} from './soql.js';

/**
 * The Salesforce connector (issue #10) on jsforce v3: Opportunity, OpportunityHistory, User,
 * OpportunityStage and CurrencyType over the REST query resources.
 *
 * How jsforce is driven (read from node_modules/jsforce/lib, v3.10):
 * - `instanceUrl` points every REST call at the org (or the loopback fake); the token endpoint is
 *   `oauth.loginUrl` + `/services/oauth2/token`.
 * - Every call goes through `conn.request(req, { timeout, retry: { maxRetries: 0 }, transport })`:
 *   jsforce's own retry (5 tries on 429/5xx with its own sleeps, Retry-After ignored) is switched off
 *   so Retry-After is honoured here with the injected `sleep`; `timeout` aborts the HTTP exchange, and
 *   a deadline race on top covers the body read. The per-call transport wraps the connection's to
 *   see each response's status, `Retry-After` and `Sforce-Limit-Info`.
 * - A 401 makes jsforce call the connection's `refreshFn` (ours: one refresh-token grant per
 *   operation, with a deadline) and replay the request with the new token. jsforce then emits
 *   `refresh(accessToken, tokenResponse)` on the connection, but without awaiting listeners; so
 *   `onTokenRefresh` is awaited inside our `refreshFn` before the replay, and a failure to store the
 *   token fails the operation. jsforce's built-in refresh (installed when `oauth2.clientId` is set)
 *   has neither a deadline nor a bound on repeated 401s, hence no `oauth2` option here.
 *
 * Deletions and merges: `queryAll` returns soft-deleted Opportunities (`IsDeleted = true`) while they
 * sit in the recycle bin (15 days), and a delete stamps SystemModstamp, so an incremental run sees
 * them. Merges (`MasterRecordId`) exist on Account, Contact and Lead only: Opportunities are never
 * merged, so deletions cover them. Pausing sync longer than the recycle-bin window loses deletions:
 * a periodic full load reconciles.
 *
 * Watermark ties: the run after a run whose last record was stamped at T asks `SystemModstamp >= T`
 * (second precision) and skips the `id@SystemModstamp` keys it already delivered in T's second
 * (kept in the cursor), so a record saved in the same second but read later is not lost, and none is
 * delivered twice. More than MAX_SKIP_KEYS records in one second fall back to `>`.
 */

export interface TSalesforceOAuthClient {
  loginUrl: string;
  clientId: string;
  /** Absent for a connected app that does not require the secret on the refresh-token grant. */
  clientSecret?: string;
}

export interface TSalesforceSourceOptions {
  instanceUrl: string;
  accessToken: string;
  /** Null when the grant had no `refresh_token` scope: an expired token is then an 'auth' failure. */
  refreshToken: string | null;
  oauth: TSalesforceOAuthClient;
  /** REST API version, e.g. '62.0'. */
  apiVersion?: string;
  /** Deadline of every HTTP call, including the refresh-token grant. */
  timeoutMs: number;
  /** Receives a refreshed access token (and the refresh token, rotated or not) to store encrypted. */
  onTokenRefresh?: (accessToken: string, details: { refreshToken: string | null; instanceUrl: string }) => void | Promise<void>;
  /** Waits out Retry-After; tests inject a recorder. */
  sleep?: (ms: number) => Promise<void>;
  /** Clock for HTTP-date Retry-After values. */
  clock?: () => Date;
  /** Records per query batch (Sforce-Query-Options batchSize, 200–2,000). */
  pageSize?: number;
  /** The org currency when known; otherwise read from Organization.DefaultCurrencyIsoCode (single-currency orgs). */
  defaultCurrency?: string;
  /** Custom Opportunity field holding the lost reason (e.g. 'Loss_Reason__c'); none by default. */
  lostReasonField?: string | null;
  /** Custom Opportunity field holding a monthly recurring amount; none by default. */
  recurringMonthlyField?: string | null;
  /** Fetch OpportunityHistory for each page (default true). */
  includeStageHistory?: boolean;
  /** Throttled replies (429, or 503 with Retry-After) waited out per call before giving up (default 3). */
  maxThrottleRetries?: number;
  /** Longest Retry-After waited in-process; longer ones surface as 'rate-limited' (default 60 s). */
  maxRetryAfterSeconds?: number;
}

export interface TSalesforceCurrency {
  isoCode: string;
  /** Rate against the corporate currency, as decimal text. */
  conversionRate: string;
  isCorporate: boolean;
}

export interface TSalesforceSource extends TCrmSource {
  readonly vendor: 'salesforce';
  /** Active currencies (multi-currency orgs), or the org currency alone. */
  listCurrencies(signal?: AbortSignal): Promise<TSalesforceCurrency[]>;
  /** Whether the org has multi-currency on (CurrencyType queryable); cached after the first call. */
  isMultiCurrency(signal?: AbortSignal): Promise<boolean>;
}

const ZQueryResult = z.object({
  totalSize: z.number().int(),
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(z.record(z.string(), z.unknown())),
});
type TQueryResult = z.infer<typeof ZQueryResult>;

const ZStageRow = z.object({
  MasterLabel: z.string(),
  ApiName: z.string().nullish(),
  SortOrder: z.number().nullish(),
  IsClosed: z.boolean(),
  IsWon: z.boolean(),
});
const ZUserRow = z.object({ Id: z.string(), Email: z.string().nullish(), Name: z.string().nullish(), IsActive: z.boolean() });
const ZCurrencyRow = z.object({ IsoCode: z.string(), ConversionRate: z.number(), IsCorporate: z.boolean() });
const ZOrganizationRow = z.object({ DefaultCurrencyIsoCode: z.string().nullish() });
const ZHistoryRow = z.object({ OpportunityId: z.string(), StageName: z.string().nullable(), CreatedDate: z.string() });
const ZOpportunityRow = z.looseObject({
  Id: z.string(),
  Name: z.string().nullish(),
  Account: z.object({ Name: z.string().nullish() }).nullish(),
  Amount: z.union([z.number(), z.string()]).nullish(),
  StageName: z.string().nullish(),
  IsClosed: z.boolean(),
  IsWon: z.boolean(),
  CloseDate: z.string().nullish(),
  CreatedDate: z.string(),
  Type: z.string().nullish(),
  OwnerId: z.string().nullish(),
  SystemModstamp: z.string(),
  IsDeleted: z.boolean(),
  CurrencyIsoCode: z.string().nullish(),
});
type TOpportunityRow = z.infer<typeof ZOpportunityRow>;

/** The part of a jsforce HttpApiError this code reads. */
const ZApiError = z.object({ errorCode: z.string() });

const DEFAULT_API_VERSION = '62.0';

class DeadlineError extends Error {}

/** Error codes from the vendor are echoed only when they look like codes (never free text). */
function safeCode(code: string): string {
  return /^[A-Z0-9_]{1,60}$/.test(code) ? code : 'ERROR';
}

function withDeadline<T>(promise: Promise<T>, ms: number, signal: AbortSignal | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DeadlineError()), ms);
    const onAbort = (): void => reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * A Salesforce source over jsforce. One operation at a time per instance (the sync runs a workspace
 * serially); each operation may refresh the access token once. An aborted `signal` rejects the
 * operation at once; the HTTP exchange in flight still ends by its own deadline (jsforce's request
 * takes no AbortSignal).
 */
export function createSalesforceSource(options: TSalesforceSourceOptions): TSalesforceSource {
  const apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const clock = options.clock ?? (() => new Date());
  const pageSize = Math.min(2000, Math.max(200, options.pageSize ?? 2000));
  const maxThrottleRetries = options.maxThrottleRetries ?? 3;
  const maxRetryAfterSeconds = options.maxRetryAfterSeconds ?? 60;
  const includeStageHistory = options.includeStageHistory ?? true;
  const lostReasonField = options.lostReasonField ?? null;
  const recurringMonthlyField = options.recurringMonthlyField ?? null;

  let refreshToken = options.refreshToken;
  let refreshedThisOperation = false;
  let refreshFailure: CrmSourceError | null = null;
  const counters = { calls: 0, throttled: 0, dailyUsed: null as number | null, dailyLimit: null as number | null };
  let multiCurrency: boolean | null = null;
  let orgCurrency: string | null | undefined = options.defaultCurrency;

  const conn = new Connection({
    instanceUrl: options.instanceUrl.replace(/\/+$/, ''),
    accessToken: options.accessToken,
    version: apiVersion,
    // No `oauth2` here on purpose: jsforce would then install its own refresh (no deadline, no bound).
    refreshFn: (c: Connection, callback: (err: Error | null | undefined, accessToken?: string) => void): void => {
      if (refreshedThisOperation) {
        refreshFailure = new CrmSourceError('auth', 'Salesforce rejected the refreshed access token: reconnect Salesforce');
        callback(refreshFailure);
        return;
      }
      refreshedThisOperation = true;
      const grant = refreshToken;
      if (grant === null) {
        refreshFailure = new CrmSourceError('auth', 'Salesforce access token expired and no refresh token is stored: reconnect Salesforce');
        callback(refreshFailure);
        return;
      }
      postTokenForm(
        { loginUrl: options.oauth.loginUrl, timeoutMs: options.timeoutMs },
        {
          grant_type: 'refresh_token',
          refresh_token: grant,
          client_id: options.oauth.clientId,
          ...(options.oauth.clientSecret ? { client_secret: options.oauth.clientSecret } : {}),
        },
      )
        .then(async (token) => {
          if (token.refresh_token) refreshToken = token.refresh_token;
          c.instanceUrl = token.instance_url;
          // Awaited here rather than on jsforce's `refresh` event (emitted without awaiting listeners):
          // a token the caller could not store fails the operation instead of vanishing.
          try {
            await options.onTokenRefresh?.(token.access_token, { refreshToken, instanceUrl: token.instance_url });
          } catch {
            throw new CrmSourceError('unavailable', 'Storing the refreshed Salesforce access token failed');
          }
          return token.access_token;
        })
        .then(
          (accessToken) => {
            callback(undefined, accessToken);
          },
          (error: unknown) => {
            refreshFailure = error instanceof CrmSourceError ? error : new CrmSourceError('unavailable', 'Salesforce token refresh failed');
            callback(refreshFailure);
          },
        );
    },
  });

  function beginOperation(): void {
    refreshedThisOperation = false;
    refreshFailure = null;
  }

  /** Maps a failed call onto the port's error kinds; messages carry codes, never tokens or bodies. */
  function classify(error: unknown, status: number | null, retryAfter: number | null, signal: AbortSignal | undefined): Error {
    if (signal?.aborted) return error instanceof Error ? error : new Error('aborted');
    if (refreshFailure) return refreshFailure;
    if (error instanceof CrmSourceError) return error;
    if (error instanceof DeadlineError || (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError'))) {
      return new CrmSourceError('unavailable', `Salesforce did not answer within ${options.timeoutMs} ms`);
    }
    const api = ZApiError.safeParse(error);
    const code = api.success ? safeCode(api.data.errorCode) : null;
    if (code === 'REQUEST_LIMIT_EXCEEDED') {
      return new CrmSourceError('rate-limited', 'Salesforce API request limit exceeded (REQUEST_LIMIT_EXCEEDED): sync resumes when the 24-hour allowance frees up', retryAfter);
    }
    if (status === 401 || code === 'INVALID_SESSION_ID') {
      return new CrmSourceError('auth', 'Salesforce rejected the access token (INVALID_SESSION_ID): reconnect Salesforce');
    }
    if (status === 429) return new CrmSourceError('rate-limited', 'Salesforce throttled the request (HTTP 429)', retryAfter);
    if (status !== null && status >= 500) return new CrmSourceError('unavailable', `Salesforce failed (HTTP ${status}${code ? `, ${code}` : ''})`, retryAfter);
    if (status === 403) return new CrmSourceError('auth', `Salesforce refused access (${code ?? 'HTTP 403'}): check the connected user's API permission`);
    if (status !== null) return new CrmSourceError('bad-response', `Salesforce refused the request (HTTP ${status}${code ? `, ${code}` : ''})`);
    if (error instanceof TypeError) return new CrmSourceError('unavailable', 'Salesforce unreachable (network error)');
    return new CrmSourceError('bad-response', `Salesforce call failed (${code ?? (error instanceof Error ? safeCode(error.name) : 'ERROR')})`);
  }

  /** One GET with a deadline, Retry-After honoured (bounded), the usage header recorded. */
  function getJson(url: string, signal: AbortSignal | undefined, headers: Record<string, string> = {}): Promise<unknown> {
    return call({ method: 'GET', url, headers: { accept: 'application/json', ...headers } }, signal);
  }

  /** One REST call through jsforce with a deadline, Retry-After honoured (bounded), usage recorded. */
  async function call(request: HttpRequest, signal: AbortSignal | undefined): Promise<unknown> {
    for (let attempt = 0; ; attempt += 1) {
      const seen: { status: number | null; retryAfter: string | null } = { status: null, retryAfter: null };
      const transport = {
        httpRequest(req: HttpRequest, httpOptions?: HttpRequestOptions) {
          counters.calls += 1;
          const pending = conn._transport.httpRequest(req, httpOptions);
          pending.then(
            (res: HttpResponse) => {
              seen.status = res.statusCode;
              seen.retryAfter = res.headers['retry-after'] ?? null;
              const limit = parseLimitInfo(res.headers['sforce-limit-info']);
              if (limit) {
                counters.dailyUsed = limit.used;
                counters.dailyLimit = limit.limit;
              }
            },
            () => undefined,
          );
          return pending;
        },
      };
      try {
        const pending = conn.request<unknown>({ ...request }, { timeout: options.timeoutMs, retry: { maxRetries: 0 }, transport, noContentResponse: null });
        return await withDeadline(Promise.resolve(pending), options.timeoutMs, signal);
      } catch (error) {
        const retryAfter = parseRetryAfter(seen.retryAfter, clock());
        const throttled = seen.status === 429 || (seen.status === 503 && retryAfter !== null);
        if (throttled && !refreshFailure && !signal?.aborted && attempt < maxThrottleRetries && (retryAfter ?? 1) <= maxRetryAfterSeconds) {
          counters.throttled += 1;
          await sleep((retryAfter ?? 2 ** attempt) * 1000);
          continue;
        }
        throw classify(error, seen.status, retryAfter, signal);
      }
    }
  }

  async function query(soql: string, signal: AbortSignal | undefined, all = false): Promise<TQueryResult> {
    const resource = all ? 'queryAll' : 'query';
    return parseQueryResult(
      await getJson(`/services/data/v${apiVersion}/${resource}?q=${encodeURIComponent(soql)}`, signal, {
        'Sforce-Query-Options': `batchSize=${pageSize}`,
      }),
    );
  }

  async function more(nextRecordsUrl: string, signal: AbortSignal | undefined): Promise<TQueryResult> {
    if (!nextRecordsUrl.startsWith('/services/data/')) throw new CrmSourceError('bad-response', 'Salesforce returned an unexpected nextRecordsUrl');
    return parseQueryResult(await getJson(nextRecordsUrl, signal, { 'Sforce-Query-Options': `batchSize=${pageSize}` }));
  }

  /** Every row of a (small) query, following nextRecordsUrl. */
  async function queryEvery(soql: string, signal: AbortSignal | undefined): Promise<Array<Record<string, unknown>>> {
    let result = await query(soql, signal);
    const rows = [...result.records];
    while (!result.done && result.nextRecordsUrl) {
      result = await more(result.nextRecordsUrl, signal);
      rows.push(...result.records);
    }
    return rows;
  }

  async function isMultiCurrency(signal?: AbortSignal): Promise<boolean> {
    if (multiCurrency !== null) return multiCurrency;
    try {
      await query('SELECT IsoCode FROM CurrencyType LIMIT 1', signal);
      multiCurrency = true;
    } catch (error) {
      // Single-currency orgs have no CurrencyType object: the query fails with INVALID_TYPE (HTTP 400).
      if (error instanceof CrmSourceError && error.kind === 'bad-response' && /INVALID_TYPE/.test(error.message)) multiCurrency = false;
      else throw error;
    }
    return multiCurrency;
  }

  async function orgDefaultCurrency(signal: AbortSignal | undefined): Promise<string | null> {
    if (orgCurrency !== undefined) return orgCurrency;
    try {
      const rows = await queryEvery('SELECT DefaultCurrencyIsoCode FROM Organization', signal);
      orgCurrency = rows[0] ? (ZOrganizationRow.parse(rows[0]).DefaultCurrencyIsoCode ?? null) : null;
    } catch (error) {
      if (error instanceof CrmSourceError && error.kind === 'bad-response') orgCurrency = null;
      else throw error;
    }
    return orgCurrency;
  }

  function mapDeal(row: TOpportunityRow, currency: string | null): TCrmDeal {
    const status: TCrmDeal['status'] = row.IsWon ? 'won' : row.IsClosed ? 'lost' : 'open';
    const title = row.Name ?? '';
    const custom = row as Record<string, unknown>;
    const lost = lostReasonField && status === 'lost' ? custom[lostReasonField] : null;
    return {
      crmId: row.Id,
      title,
      customer: row.Account?.Name ?? title,
      amount: decimalText(row.Amount),
      currency,
      pipelineId: null,
      stageId: row.StageName ?? null,
      status,
      ownerId: row.OwnerId ?? null,
      createdAt: parseSalesforceDateTime(row.CreatedDate),
      closedAt: row.IsClosed && row.CloseDate ? parseSalesforceDate(row.CloseDate) : null,
      type: mapOpportunityType(row.Type),
      recurringMonthly: recurringMonthlyField ? decimalText(custom[recurringMonthlyField]) : null,
      lostReason: typeof lost === 'string' && lost.trim() !== '' ? lost : null,
      modifiedAt: parseSalesforceDateTime(row.SystemModstamp),
      stageHistory: null,
      url: `${conn.instanceUrl}/lightning/r/Opportunity/${encodeURIComponent(row.Id)}/view`,
    };
  }

  async function attachHistory(deals: TCrmDeal[], signal: AbortSignal | undefined): Promise<void> {
    if (!includeStageHistory || deals.length === 0) return;
    const byId = new Map<string, Array<z.infer<typeof ZHistoryRow>>>();
    for (const ids of chunkIds(deals.map((d) => d.crmId))) {
      for (const raw of await queryEvery(buildHistoryQuery(ids), signal)) {
        const row = ZHistoryRow.parse(raw);
        const list = byId.get(row.OpportunityId) ?? [];
        list.push(row);
        byId.set(row.OpportunityId, list);
      }
    }
    for (const deal of deals) deal.stageHistory = stageEntries(byId.get(deal.crmId) ?? []);
  }

  async function firstBatch(cursor: TSalesforceCursor, signal: AbortSignal | undefined): Promise<TQueryResult> {
    const since = cursor.since ? new Date(cursor.since) : null;
    const soql = buildOpportunityQuery({ since, strict: cursor.strict, multiCurrency: multiCurrency ?? false, lostReasonField, recurringMonthlyField });
    // A full load needs no deleted rows; incremental runs use queryAll to see deletions.
    return query(soql, signal, since !== null);
  }

  async function pullChanges(pull: TPullOptions): Promise<TCrmPage> {
    beginOperation();
    const signal = pull.signal;
    let cursor = readCursor(pull.cursor);
    const multi = await isMultiCurrency(signal);
    const currency = multi ? null : await orgDefaultCurrency(signal);

    let result: TQueryResult;
    if (cursor.next) {
      try {
        result = await more(cursor.next, signal);
      } catch (error) {
        // Query locators expire (about 15 minutes idle): restart after the last delivered record.
        if (!(error instanceof CrmSourceError && /INVALID_QUERY_LOCATOR/.test(error.message))) throw error;
        cursor = restartAfterDelivered(cursor);
        result = await firstBatch(cursor, signal);
      }
    } else {
      result = await firstBatch(cursor, signal);
    }
    const total = cursor.next ? cursor.total : result.totalSize;

    const skip = new Set(cursor.skip);
    let hi = cursor.hi ? new Date(cursor.hi) : null;
    let tail: string[] | null = cursor.tailOverflow ? null : cursor.tail;
    const deals: TCrmDeal[] = [];
    const removals: TCrmRemoval[] = [];
    for (const raw of result.records) {
      const parsed = ZOpportunityRow.safeParse(raw);
      if (!parsed.success) throw new CrmSourceError('bad-response', 'Salesforce returned an Opportunity without its required fields');
      const row = parsed.data;
      const modifiedAt = parseSalesforceDateTime(row.SystemModstamp);
      const key = `${row.Id}@${modifiedAt.toISOString()}`;
      if (hi === null || secondOf(modifiedAt) > secondOf(hi)) tail = [];
      if (hi === null || modifiedAt > hi) hi = modifiedAt;
      if (tail !== null) {
        tail.push(key);
        if (tail.length > MAX_SKIP_KEYS) tail = null;
      }
      if (skip.has(key)) continue;
      if (row.IsDeleted) removals.push({ crmId: row.Id, removedAt: modifiedAt, mergedIntoCrmId: null });
      else deals.push(mapDeal(row, multi ? (row.CurrencyIsoCode ?? null) : currency));
    }
    await attachHistory(deals, signal);

    const done = result.done || !result.nextRecordsUrl;
    const next: TSalesforceCursor = done
      ? endOfRun(cursor, hi, tail)
      : { ...cursor, next: result.nextRecordsUrl ?? null, hi: hi?.toISOString() ?? null, tail: tail ?? [], tailOverflow: tail === null, total };
    return { deals, removals, cursor: JSON.stringify(next), done, total };
  }

  async function listStages(signal: AbortSignal | undefined): Promise<TCrmStage[]> {
    const rows = await queryEvery('SELECT MasterLabel, ApiName, SortOrder, IsClosed, IsWon FROM OpportunityStage WHERE IsActive = true ORDER BY SortOrder', signal);
    return rows.map((raw, order): TCrmStage => {
      const row = ZStageRow.parse(raw);
      // Opportunity.StageName holds the picklist value's API name (ApiName, API 36.0+); MasterLabel is its label.
      return { id: row.ApiName ?? row.MasterLabel, pipelineId: null, pipelineLabel: null, label: row.MasterLabel, order, isWon: row.IsWon, isClosed: row.IsClosed };
    });
  }

  /**
   * PATCH /sobjects/Opportunity/{id} — what jsforce's `sobject('Opportunity').update` sends, issued
   * through `call` because that method passes no per-call timeout to the transport. Won/lost without
   * a stage moves the deal to the org's first active won / closed-lost stage (Salesforce derives
   * IsWon/IsClosed from StageName; they are not writable).
   */
  async function writeBack(change: TCrmWriteBack, signal?: AbortSignal): Promise<void> {
    beginOperation();
    if (!/^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/.test(change.crmId)) throw new CrmSourceError('bad-response', 'Not a Salesforce record id');
    const body: Record<string, unknown> = {};
    let stageName = change.stageId ?? null;
    if (stageName === null && change.status) {
      const wanted = change.status;
      const target = (await listStages(signal)).find((s) => (wanted === 'won' ? s.isWon : s.isClosed && !s.isWon));
      if (!target) throw new CrmSourceError('bad-response', `Salesforce has no active ${wanted} stage to move the opportunity to`);
      stageName = target.id;
    }
    if (stageName !== null) body.StageName = stageName;
    if (change.amount !== undefined) body.Amount = amountForJson(change.amount);
    if (change.closedAt) body.CloseDate = change.closedAt.toISOString().slice(0, 10);
    if (change.currency) {
      if (await isMultiCurrency(signal)) body.CurrencyIsoCode = change.currency;
      else if (change.currency !== (await orgDefaultCurrency(signal))) {
        throw new CrmSourceError('bad-response', `This Salesforce org has a single currency; ${change.currency.slice(0, 3)} cannot be written`);
      }
    }
    if (change.lostReason !== undefined && lostReasonField) body[lostReasonField] = change.lostReason;
    if (Object.keys(body).length === 0) return;
    await call(
      {
        method: 'PATCH',
        url: `/services/data/v${apiVersion}/sobjects/Opportunity/${change.crmId}`,
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', accept: 'application/json' },
      },
      signal,
    );
  }

  return {
    vendor: 'salesforce',
    async listStages(signal) {
      beginOperation();
      return listStages(signal);
    },
    writeBack,
    async listOwners(signal) {
      beginOperation();
      const rows = await queryEvery('SELECT Id, Email, Name, IsActive FROM User', signal);
      return rows.map((raw): TCrmOwner => {
        const row = ZUserRow.parse(raw);
        return { id: row.Id, email: row.Email ?? null, name: row.Name ?? null, active: row.IsActive };
      });
    },
    pullChanges,
    usage(): TCrmUsage {
      return {
        calls: counters.calls,
        dailyRemaining: counters.dailyLimit !== null && counters.dailyUsed !== null ? Math.max(0, counters.dailyLimit - counters.dailyUsed) : null,
        dailyLimit: counters.dailyLimit,
        throttled: counters.throttled,
      };
    },
    isMultiCurrency: async (signal) => {
      beginOperation();
      return isMultiCurrency(signal);
    },
    async listCurrencies(signal) {
      beginOperation();
      if (await isMultiCurrency(signal)) {
        const rows = await queryEvery('SELECT IsoCode, ConversionRate, IsCorporate FROM CurrencyType WHERE IsActive = true', signal);
        return rows.map((raw) => {
          const row = ZCurrencyRow.parse(raw);
          return { isoCode: row.IsoCode, conversionRate: String(row.ConversionRate), isCorporate: row.IsCorporate };
        });
      }
      const code = await orgDefaultCurrency(signal);
      return code ? [{ isoCode: code, conversionRate: '1', isCorporate: true }] : [];
    },
  };
}

/**
 * Decimal text as the JSON number Salesforce's currency(16,2) Amount takes: at most 14 integer and 2
 * fraction digits, so the number prints back as the same decimal (no binary-float drift).
 *
 * @example
 * amountForJson('12000.50') // 12000.5
 * amountForJson('1e3') // throws
 */
function amountForJson(amount: string): number {
  if (!/^-?\d{1,14}(\.\d{1,2})?$/.test(amount)) throw new CrmSourceError('bad-response', 'Amount does not fit Salesforce currency(16,2)');
  return Number(amount);
}

function parseQueryResult(body: unknown): TQueryResult {
  const parsed = ZQueryResult.safeParse(body);
  if (!parsed.success) throw new CrmSourceError('bad-response', 'Salesforce returned a query result without records/done');
  return parsed.data;
}

/** The next run's cursor: from the latest record delivered, skipping that second's delivered keys. */
function endOfRun(cursor: TSalesforceCursor, hi: Date | null, tail: string[] | null): TSalesforceCursor {
  if (hi === null) return { ...cursor, next: null, hi: null, tail: [], tailOverflow: false, total: null };
  const overflow = tail === null;
  return { v: 1, since: hi.toISOString(), skip: overflow ? [] : (tail ?? []), strict: overflow, next: null, hi: null, tail: [], tailOverflow: false, total: null };
}

/** After an expired query locator: a new run starting at the last delivered record. */
function restartAfterDelivered(cursor: TSalesforceCursor): TSalesforceCursor {
  if (cursor.hi === null) return { ...cursor, next: null };
  const sameSecond = cursor.since !== null && secondOf(new Date(cursor.since)) === secondOf(new Date(cursor.hi));
  const skip = cursor.tailOverflow ? [] : sameSecond ? [...new Set([...cursor.skip, ...cursor.tail])] : cursor.tail;
  return { ...cursor, since: cursor.hi, skip, strict: cursor.tailOverflow, next: null };
}
