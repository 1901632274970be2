import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback fake of the Salesforce pieces the connector uses, following the documented shapes:
 * - `POST /services/oauth2/token`: `authorization_code` (with the PKCE check: base64url(SHA-256(
 *   code_verifier)) must equal the challenge of the code; a wrong verifier → 400 `invalid_request`, a
 *   missing one → `invalid_grant`) and `refresh_token` (revoked → 400 `invalid_grant`).
 * - `GET /services/data/vXX.X/query?q=` and `/queryAll?q=` for the few SOQL shapes the connector sends
 *   (matched on the FROM object, the SystemModstamp bound, `OpportunityId IN (...)`), paged with
 *   `nextRecordsUrl` (`/services/data/vXX.X/query/<locator>-<offset>`, also for queryAll, as documented).
 * - `Sforce-Limit-Info: api-usage=N/L` on every REST reply; 401 `INVALID_SESSION_ID` for an unknown or
 *   expired token; 403 `REQUEST_LIMIT_EXCEEDED` on demand; any reply injected with `failNext`.
 * Every request is logged (path, SOQL, bearer token).
 */

export interface FakeOpportunity {
  Id: string;
  Name: string;
  AccountName: string | null;
  Amount: number | null;
  CurrencyIsoCode: string;
  StageName: string;
  IsClosed: boolean;
  IsWon: boolean;
  CloseDate: string;
  CreatedDate: Date;
  Type: string | null;
  OwnerId: string;
  SystemModstamp: Date;
  IsDeleted: boolean;
  custom: Record<string, unknown>;
}

export interface FakeStage {
  MasterLabel: string;
  ApiName: string;
  SortOrder: number;
  IsClosed: boolean;
  IsWon: boolean;
  IsActive: boolean;
}

export interface FakeUserRow {
  Id: string;
  Email: string | null;
  Name: string;
  IsActive: boolean;
}

export interface FakeHistoryRow {
  OpportunityId: string;
  StageName: string;
  CreatedDate: Date;
}

export interface FakeCurrency {
  IsoCode: string;
  ConversionRate: number;
  IsCorporate: boolean;
  IsActive: boolean;
}

export interface SalesforceRequest {
  method: string;
  path: string;
  /** The SOQL of a query/queryAll call. */
  soql: string | null;
  resource: 'query' | 'queryAll' | 'more' | 'token' | 'update' | 'other';
  token: string | null;
  /** Form fields of a token call (secrets included: tests only). */
  form: Record<string, string> | null;
  /** JSON body of an update. */
  body?: unknown;
}

export interface FakeSalesforceReply {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

const DEFAULT_STAGES: FakeStage[] = [
  { MasterLabel: 'Prospecting', ApiName: 'Prospecting', SortOrder: 1, IsClosed: false, IsWon: false, IsActive: true },
  { MasterLabel: 'Qualification', ApiName: 'Qualification', SortOrder: 2, IsClosed: false, IsWon: false, IsActive: true },
  { MasterLabel: 'Proposal/Price Quote', ApiName: 'Proposal/Price Quote', SortOrder: 3, IsClosed: false, IsWon: false, IsActive: true },
  { MasterLabel: 'Negotiation/Review', ApiName: 'Negotiation/Review', SortOrder: 4, IsClosed: false, IsWon: false, IsActive: true },
  { MasterLabel: 'Closed Won', ApiName: 'Closed Won', SortOrder: 5, IsClosed: true, IsWon: true, IsActive: true },
  { MasterLabel: 'Closed Lost', ApiName: 'Closed Lost', SortOrder: 6, IsClosed: true, IsWon: false, IsActive: true },
  { MasterLabel: 'Old Stage', ApiName: 'Old Stage', SortOrder: 7, IsClosed: false, IsWon: false, IsActive: false },
];

const OPPORTUNITY_COLUMNS = new Set(['Id', 'Name', 'Account.Name', 'Amount', 'StageName', 'IsClosed', 'IsWon', 'CloseDate', 'CreatedDate', 'Type', 'OwnerId', 'SystemModstamp', 'IsDeleted', 'CurrencyIsoCode']);

function sfDateTime(at: Date): string {
  return at.toISOString().replace('Z', '+0000');
}

function base64Url(bytes: Buffer): string {
  return bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function apiError(status: number, errorCode: string, message: string): FakeSalesforceReply {
  return { status, body: [{ message, errorCode }] };
}

export class FakeSalesforce {
  readonly clientId = 'fake-client-id';
  readonly clientSecret = 'fake-client-secret';
  readonly apiVersion = '62.0';
  readonly requests: SalesforceRequest[] = [];
  readonly opportunities = new Map<string, FakeOpportunity>();
  readonly history: FakeHistoryRow[] = [];
  stages: FakeStage[] = DEFAULT_STAGES.map((s) => ({ ...s }));
  readonly users: FakeUserRow[] = [];
  /** null: a single-currency org (CurrencyType does not exist, CurrencyIsoCode is not a field). */
  currencies: FakeCurrency[] | null = null;
  orgCurrency = 'USD';
  /** Custom Opportunity fields that exist in this org (e.g. Loss_Reason__c). */
  readonly customFields = new Set<string>();
  /** Records per batch at most (Salesforce's is 2,000; the request header may ask for fewer). */
  pageSize = 2000;
  apiUsed = 0;
  apiLimit = 15000;
  /** Answer every REST call with 403 REQUEST_LIMIT_EXCEEDED. */
  limitExceeded = false;
  /** Replies served (in order) instead of the next REST calls. */
  readonly failNext: FakeSalesforceReply[] = [];
  /** Delays every REST reply (to exercise deadlines). */
  delayMs = 0;
  /** The `instance_url` the token endpoint gives (default: this fake), e.g. an https org address for links. */
  instanceUrl: string | null = null;
  /** SystemModstamp given to records the connector updates. */
  writeTime = new Date(Date.UTC(2025, 5, 1));

  private readonly accessTokens = new Set<string>();
  private readonly refreshTokens = new Map<string, { revoked: boolean }>();
  private readonly codes = new Map<string, { challenge: string | null; redirectUri: string; used: boolean }>();
  private readonly locators = new Map<string, Array<Record<string, unknown>>>();
  private server: Server | undefined;
  private seq = 0;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Signs a token pair in directly (as after a past OAuth flow). */
  issueTokens(): { accessToken: string; refreshToken: string } {
    const accessToken = `00DFAKE!${base64Url(randomBytes(24))}`;
    const refreshToken = `5Aep${base64Url(randomBytes(24))}`;
    this.accessTokens.add(accessToken);
    this.refreshTokens.set(refreshToken, { revoked: false });
    return { accessToken, refreshToken };
  }

  /** What the authorize page does once the admin consents: a one-time code bound to the challenge. */
  authorize(options: { codeChallenge: string | null; redirectUri: string }): string {
    const code = `aPrx${base64Url(randomBytes(18))}`;
    this.codes.set(code, { challenge: options.codeChallenge, redirectUri: options.redirectUri, used: false });
    return code;
  }

  expireAccessToken(token: string): void {
    this.accessTokens.delete(token);
  }

  revokeRefreshToken(token: string): void {
    const entry = this.refreshTokens.get(token);
    if (entry) entry.revoked = true;
  }

  addOpportunity(opp: Omit<FakeOpportunity, 'IsDeleted' | 'custom' | 'CurrencyIsoCode'> & Partial<Pick<FakeOpportunity, 'IsDeleted' | 'custom' | 'CurrencyIsoCode'>>): FakeOpportunity {
    const row: FakeOpportunity = { IsDeleted: false, custom: {}, CurrencyIsoCode: this.orgCurrency, ...opp };
    this.opportunities.set(row.Id, row);
    this.history.push({ OpportunityId: row.Id, StageName: row.StageName, CreatedDate: row.CreatedDate });
    return row;
  }

  /** An edit as Salesforce makes it: new SystemModstamp, and a history row when the stage changes. */
  updateOpportunity(id: string, at: Date, change: Partial<Omit<FakeOpportunity, 'Id' | 'SystemModstamp'>>): void {
    const row = this.opportunities.get(id);
    if (!row) throw new Error(`no opportunity ${id}`);
    const stageChanged = change.StageName !== undefined && change.StageName !== row.StageName;
    Object.assign(row, change, { SystemModstamp: at });
    if (stageChanged) this.history.push({ OpportunityId: id, StageName: row.StageName, CreatedDate: at });
  }

  deleteOpportunity(id: string, at: Date): void {
    this.updateOpportunity(id, at, { IsDeleted: true });
  }

  requestsTo(resource: SalesforceRequest['resource']): SalesforceRequest[] {
    return this.requests.filter((r) => r.resource === resource);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((e: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify([{ errorCode: 'UNKNOWN_EXCEPTION', message: String(e) }]));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server!.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  private send(res: ServerResponse, reply: FakeSalesforceReply, rest: boolean): void {
    const headers: Record<string, string> = { 'content-type': 'application/json;charset=UTF-8', ...(reply.headers ?? {}) };
    if (rest) headers['sforce-limit-info'] = `api-usage=${this.apiUsed}/${this.apiLimit}`;
    if (reply.status === 204) delete headers['content-type'];
    res.writeHead(reply.status, headers);
    res.end(reply.status === 204 ? undefined : JSON.stringify(reply.body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const raw = await readBody(req);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : null;
    if (url.pathname === '/services/oauth2/token' && req.method === 'POST') {
      const form = Object.fromEntries(new URLSearchParams(raw));
      this.requests.push({ method: 'POST', path: url.pathname, soql: null, resource: 'token', token: null, form });
      this.send(res, this.token(form), false);
      return;
    }
    const base = `/services/data/v${this.apiVersion}/`;
    if (!url.pathname.startsWith(base)) {
      this.requests.push({ method: req.method ?? 'GET', path: url.pathname, soql: null, resource: 'other', token, form: null });
      this.send(res, apiError(404, 'NOT_FOUND', 'The requested resource does not exist'), false);
      return;
    }
    const tail = url.pathname.slice(base.length);
    const update = /^sobjects\/Opportunity\/(\w+)$/.exec(tail);
    if (update?.[1] && req.method === 'PATCH') {
      const body = JSON.parse(raw) as Record<string, unknown>;
      this.requests.push({ method: 'PATCH', path: url.pathname, soql: null, resource: 'update', token, form: null, body });
      if (token === null || !this.accessTokens.has(token)) return this.send(res, apiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid'), true);
      this.apiUsed += 1;
      const injected = this.failNext.shift();
      if (injected) return this.send(res, injected, true);
      return this.send(res, this.update(update[1], body), true);
    }
    const soql = url.searchParams.get('q');
    const resource: SalesforceRequest['resource'] = /^query\/[^/]+$/.test(tail) ? 'more' : tail.replace(/\/$/, '') === 'queryAll' ? 'queryAll' : tail.replace(/\/$/, '') === 'query' ? 'query' : 'other';
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, soql, resource, token, form: null });
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (token === null || !this.accessTokens.has(token)) {
      this.send(res, apiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid'), true);
      return;
    }
    this.apiUsed += 1;
    const injected = this.failNext.shift();
    if (injected) return this.send(res, injected, true);
    if (this.limitExceeded) return this.send(res, apiError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'), true);
    const batch = Math.min(this.pageSize, this.batchSizeHeader(req) ?? 2000);
    if (resource === 'more') return this.send(res, this.page(tail.slice('query/'.length), batch), true);
    if ((resource === 'query' || resource === 'queryAll') && soql) return this.send(res, this.query(soql, resource === 'queryAll', batch), true);
    this.send(res, apiError(404, 'NOT_FOUND', 'The requested resource does not exist'), true);
  }

  private batchSizeHeader(req: IncomingMessage): number | null {
    const header = req.headers['sforce-query-options'];
    const match = typeof header === 'string' ? /batchSize=(\d+)/.exec(header) : null;
    return match?.[1] ? Number(match[1]) : null;
  }

  private token(form: Record<string, string>): FakeSalesforceReply {
    if (form.client_id !== this.clientId || form.client_secret !== this.clientSecret) {
      return { status: 400, body: { error: 'invalid_client', error_description: 'invalid client credentials' } };
    }
    const tokens = (refreshToken: string | null): FakeSalesforceReply => {
      const accessToken = `00DFAKE!${base64Url(randomBytes(24))}`;
      this.accessTokens.add(accessToken);
      return {
        status: 200,
        body: {
          access_token: accessToken,
          ...(refreshToken ? { refresh_token: refreshToken } : {}),
          instance_url: this.instanceUrl ?? this.url,
          id: `${this.url}/id/00DFAKE000000000AAA/005FAKE000000000AAA`,
          token_type: 'Bearer',
          issued_at: '1735689600000',
          signature: base64Url(randomBytes(32)),
          scope: 'api refresh_token',
        },
      };
    };
    if (form.grant_type === 'authorization_code') {
      const code = this.codes.get(form.code ?? '');
      if (!code || code.used || code.redirectUri !== form.redirect_uri) return { status: 400, body: { error: 'invalid_grant', error_description: 'invalid authorization code' } };
      if (code.challenge !== null) {
        if (!form.code_verifier) return { status: 400, body: { error: 'invalid_grant', error_description: 'invalid code verifier' } };
        const expected = base64Url(createHash('sha256').update(form.code_verifier, 'ascii').digest());
        if (expected !== code.challenge) return { status: 400, body: { error: 'invalid_request', error_description: 'invalid code verifier' } };
      }
      code.used = true;
      const refreshToken = `5Aep${base64Url(randomBytes(24))}`;
      this.refreshTokens.set(refreshToken, { revoked: false });
      return tokens(refreshToken);
    }
    if (form.grant_type === 'refresh_token') {
      const entry = this.refreshTokens.get(form.refresh_token ?? '');
      if (!entry || entry.revoked) return { status: 400, body: { error: 'invalid_grant', error_description: 'expired access/refresh token' } };
      return tokens(null);
    }
    return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'grant type not supported' } };
  }

  /** Runs the query into a snapshot and serves its first batch. */
  private query(soql: string, all: boolean, batch: number): FakeSalesforceReply {
    const from = /\bFROM\s+(\w+)/i.exec(soql)?.[1];
    const fields = (/^SELECT\s+(.+?)\s+FROM\s/i.exec(soql)?.[1] ?? '').split(',').map((f) => f.trim());
    let rows: Array<Record<string, unknown>>;
    switch (from) {
      case 'Opportunity': {
        const unknown = fields.find((f) => !OPPORTUNITY_COLUMNS.has(f) && !this.customFields.has(f));
        if (unknown || (fields.includes('CurrencyIsoCode') && this.currencies === null)) {
          return apiError(400, 'INVALID_FIELD', `No such column '${unknown ?? 'CurrencyIsoCode'}' on entity 'Opportunity'.`);
        }
        const bound = /SystemModstamp\s*(>=|>)\s*(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)/.exec(soql);
        const since = bound?.[2] ? new Date(bound[2]).getTime() : null;
        rows = [...this.opportunities.values()]
          .filter((o) => all || !o.IsDeleted)
          .filter((o) => since === null || (bound?.[1] === '>' ? o.SystemModstamp.getTime() > since : o.SystemModstamp.getTime() >= since))
          .sort((a, b) => a.SystemModstamp.getTime() - b.SystemModstamp.getTime() || (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0))
          .map((o) => this.projectOpportunity(o, fields));
        break;
      }
      case 'OpportunityHistory': {
        const ids = new Set([...(/OpportunityId\s+IN\s*\(([^)]*)\)/i.exec(soql)?.[1] ?? '').matchAll(/'([^']*)'/g)].map((m) => m[1]));
        rows = this.history
          .filter((h) => ids.has(h.OpportunityId))
          .sort((a, b) => a.CreatedDate.getTime() - b.CreatedDate.getTime())
          .map((h) => ({ attributes: { type: 'OpportunityHistory' }, OpportunityId: h.OpportunityId, StageName: h.StageName, CreatedDate: sfDateTime(h.CreatedDate) }));
        break;
      }
      case 'OpportunityStage':
        rows = this.stages
          .filter((s) => !/IsActive\s*=\s*true/i.test(soql) || s.IsActive)
          .sort((a, b) => a.SortOrder - b.SortOrder)
          .map((s) => ({ attributes: { type: 'OpportunityStage' }, MasterLabel: s.MasterLabel, ApiName: s.ApiName, SortOrder: s.SortOrder, IsClosed: s.IsClosed, IsWon: s.IsWon }));
        break;
      case 'User':
        rows = this.users.map((u) => ({ attributes: { type: 'User' }, ...u }));
        break;
      case 'CurrencyType':
        if (this.currencies === null) return apiError(400, 'INVALID_TYPE', "sObject type 'CurrencyType' is not supported.");
        rows = this.currencies
          .filter((c) => !/IsActive\s*=\s*true/i.test(soql) || c.IsActive)
          .map((c) => ({ attributes: { type: 'CurrencyType' }, IsoCode: c.IsoCode, ConversionRate: c.ConversionRate, IsCorporate: c.IsCorporate }));
        break;
      case 'Organization':
        rows = [{ attributes: { type: 'Organization' }, DefaultCurrencyIsoCode: this.currencies === null ? this.orgCurrency : null }];
        break;
      default:
        return apiError(400, 'INVALID_TYPE', `sObject type '${from ?? ''}' is not supported.`);
    }
    const limit = /\bLIMIT\s+(\d+)/i.exec(soql)?.[1];
    if (limit) rows = rows.slice(0, Number(limit));
    this.seq += 1;
    const locator = `01gFAKE${String(this.seq).padStart(8, '0')}`;
    this.locators.set(locator, rows);
    return this.page(`${locator}-0`, batch);
  }

  private page(locatorAndOffset: string, batch: number): FakeSalesforceReply {
    const match = /^(01g\w+)-(\d+)$/.exec(locatorAndOffset);
    const rows = match?.[1] ? this.locators.get(match[1]) : undefined;
    if (!match?.[1] || !rows) return apiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    const offset = Number(match[2]);
    const records = rows.slice(offset, offset + batch);
    const done = offset + batch >= rows.length;
    return {
      status: 200,
      body: {
        totalSize: rows.length,
        done,
        ...(done ? {} : { nextRecordsUrl: `/services/data/v${this.apiVersion}/query/${match[1]}-${offset + batch}` }),
        records,
      },
    };
  }

  private update(id: string, body: Record<string, unknown>): FakeSalesforceReply {
    const row = this.opportunities.get(id);
    if (!row || row.IsDeleted) return apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    const writable = new Set(['StageName', 'Amount', 'CloseDate', 'Name', ...(this.currencies ? ['CurrencyIsoCode'] : []), ...this.customFields]);
    const unknown = Object.keys(body).find((k) => !writable.has(k));
    if (unknown) return apiError(400, 'INVALID_FIELD', `No such column '${unknown}' on sobject of type Opportunity`);
    const change: Partial<FakeOpportunity> = {};
    if (typeof body.StageName === 'string') {
      const stage = this.stages.find((s) => s.ApiName === body.StageName && s.IsActive);
      if (!stage) return apiError(400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'Stage: bad value for restricted picklist field');
      Object.assign(change, { StageName: stage.ApiName, IsClosed: stage.IsClosed, IsWon: stage.IsWon });
    }
    if ('Amount' in body) change.Amount = body.Amount as number | null;
    if (typeof body.CloseDate === 'string') change.CloseDate = body.CloseDate;
    if (typeof body.CurrencyIsoCode === 'string') change.CurrencyIsoCode = body.CurrencyIsoCode;
    for (const field of this.customFields) if (field in body) row.custom[field] = body[field];
    this.updateOpportunity(id, this.writeTime, change);
    return { status: 204, body: null };
  }

  /** Forgets every open query locator (as Salesforce does after ~15 idle minutes). */
  expireLocators(): void {
    this.locators.clear();
  }

  private projectOpportunity(o: FakeOpportunity, fields: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = { attributes: { type: 'Opportunity', url: `/services/data/v${this.apiVersion}/sobjects/Opportunity/${o.Id}` } };
    for (const f of fields) {
      switch (f) {
        case 'Account.Name':
          out.Account = o.AccountName === null ? null : { attributes: { type: 'Account' }, Name: o.AccountName };
          break;
        case 'CreatedDate':
          out.CreatedDate = sfDateTime(o.CreatedDate);
          break;
        case 'SystemModstamp':
          out.SystemModstamp = sfDateTime(o.SystemModstamp);
          break;
        default:
          out[f] = f in o ? (o as unknown as Record<string, unknown>)[f] : (o.custom[f] ?? null);
      }
    }
    return out;
  }
}
