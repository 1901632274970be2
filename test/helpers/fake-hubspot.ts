import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback fake of HubSpot's CRM v3 API, as far as the connector uses it, following HubSpot's
 * documented shapes: deals (list with `after` paging, `propertiesWithHistory`, `archived=true`;
 * search on `hs_lastmodifieddate` with a result cap answered by 400 past it; PATCH update),
 * pipelines with stage metadata, owners. Bearer token checked (401 otherwise), daily rate-limit
 * headers on every non-search answer, 429 with `Retry-After` on demand, hanging answers on demand.
 * Records every request. Time is the fake's `now` (set by tests), never the wall clock.
 */

export interface FakeHubSpotRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  authorization: string | undefined;
  status: number;
}

export interface FakeDeal {
  id: string;
  properties: Record<string, string | null>;
  createdAt: Date;
  updatedAt: Date;
  archived: boolean;
  archivedAt: Date | null;
  stageHistory: Array<{ value: string; timestamp: Date }>;
}

export interface FakeStage {
  id: string;
  label: string;
  displayOrder: number;
  isClosed: boolean;
  probability: string;
}

export interface FakePipeline {
  id: string;
  label: string;
  displayOrder: number;
  stages: FakeStage[];
}

export interface FakeOwner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  archived?: boolean;
}

const DEFAULT_PIPELINE: FakePipeline = {
  id: 'default',
  label: 'Sales Pipeline',
  displayOrder: 0,
  stages: [
    { id: 'appointmentscheduled', label: 'Appointment Scheduled', displayOrder: 0, isClosed: false, probability: '0.2' },
    { id: 'qualifiedtobuy', label: 'Qualified To Buy', displayOrder: 1, isClosed: false, probability: '0.4' },
    { id: 'contractsent', label: 'Contract Sent', displayOrder: 2, isClosed: false, probability: '0.8' },
    { id: 'closedwon', label: 'Closed Won', displayOrder: 3, isClosed: true, probability: '1.0' },
    { id: 'closedlost', label: 'Closed Lost', displayOrder: 4, isClosed: true, probability: '0.0' },
  ],
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const iso = (d: Date): string => d.toISOString();

export class FakeHubSpot {
  readonly requests: FakeHubSpotRequest[] = [];
  readonly deals = new Map<string, FakeDeal>();
  readonly pipelines: FakePipeline[] = [structuredClone(DEFAULT_PIPELINE)];
  readonly owners: FakeOwner[] = [];
  /** The token the fake accepts. */
  token = 'pat-na1-fake-token-0000';
  /** HubSpot's search cap (10,000); tests lower it. */
  searchCap = 10_000;
  dailyLimit = 250_000;
  dailyRemaining = 250_000;
  /** The fake's clock: creation and modification times of changes made through its helpers. */
  now = new Date('2024-01-01T00:00:00.000Z');
  private nextId = 1000;
  /** Bumped by every change of a deal: the listing memo is only valid for one version. */
  private version = 0;
  private listMemo: { key: string; all: FakeDeal[] } | undefined;
  private throttles: Array<{ retryAfter: string | null; policyName: string }> = [];
  private hangs = 0;
  private failures: number[] = [];
  private server: Server | undefined;
  port = 0;
  /** Delays every answer (slow pages for the kill -9 test). */
  delayMs = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The next `count` requests get a 429 (HubSpot's TEN_SECONDLY_ROLLING body) with this Retry-After. */
  throttleNext(count: number, retryAfter: string | null = '1', policyName = 'TEN_SECONDLY_ROLLING'): this {
    for (let i = 0; i < count; i++) this.throttles.push({ retryAfter, policyName });
    return this;
  }

  /** The next `count` requests fail with `status` (a 5xx HubSpot error body). */
  failNext(count: number, status = 503): this {
    for (let i = 0; i < count; i++) this.failures.push(status);
    return this;
  }

  /** The next `count` requests are read and never answered. */
  hangNext(count: number): this {
    this.hangs += count;
    return this;
  }

  requestsTo(method: string, pathPrefix: string): FakeHubSpotRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix));
  }

  addOwner(owner: FakeOwner): this {
    this.owners.push(owner);
    return this;
  }

  /** Moves the clock on by `ms` and returns the new time. */
  tick(ms = 1000): Date {
    this.now = new Date(this.now.getTime() + ms);
    return this.now;
  }

  private stage(id: string | null | undefined): FakeStage | undefined {
    for (const p of this.pipelines) for (const s of p.stages) if (s.id === id) return s;
    return undefined;
  }

  /** HubSpot's calculated properties, from the stage. */
  private recompute(d: FakeDeal): void {
    const s = this.stage(d.properties.dealstage);
    const closed = s?.isClosed ?? false;
    d.properties.hs_is_closed = String(closed);
    d.properties.hs_is_closed_won = String(closed && Number(s?.probability) === 1);
    d.properties.hs_lastmodifieddate = iso(d.updatedAt);
    d.properties.createdate = iso(d.createdAt);
    d.properties.hs_object_id = d.id;
  }

  /** A new deal; `id` gives it a chosen record id (the id an earlier export of the portal carried). */
  addDeal(props: Record<string, string | null>, at: Date = this.now, id: string = String(this.nextId++)): FakeDeal {
    if (this.deals.has(id)) throw new Error(`fake: deal ${id} exists`);
    const d: FakeDeal = {
      id,
      properties: { pipeline: 'default', dealstage: 'appointmentscheduled', ...props },
      createdAt: at,
      updatedAt: at,
      archived: false,
      archivedAt: null,
      stageHistory: [],
    };
    d.stageHistory.push({ value: d.properties.dealstage ?? '', timestamp: at });
    this.recompute(d);
    this.deals.set(id, d);
    this.version++;
    return d;
  }

  updateDeal(id: string, props: Record<string, string | null>, at: Date = this.now): FakeDeal {
    const d = this.deals.get(id);
    if (!d || d.archived) throw new Error(`fake: no deal ${id}`);
    if (props.dealstage !== undefined && props.dealstage !== d.properties.dealstage) d.stageHistory.push({ value: props.dealstage ?? '', timestamp: at });
    Object.assign(d.properties, props);
    d.updatedAt = at;
    this.recompute(d);
    return d;
  }

  deleteDeal(id: string, at: Date = this.now): void {
    const d = this.deals.get(id);
    if (!d) throw new Error(`fake: no deal ${id}`);
    d.archived = true;
    d.archivedAt = at;
    d.updatedAt = at;
    this.version++;
  }

  /**
   * Merges like HubSpot's UI does (changelog "Deals now support merging"): a new deal takes the
   * primary's properties, lists both old ids in `hs_merged_object_ids`, and the old ones vanish
   * (they are not listed as archived).
   */
  mergeDeals(primaryId: string, mergedId: string, at: Date = this.now): FakeDeal {
    const a = this.deals.get(primaryId);
    const b = this.deals.get(mergedId);
    if (!a || !b) throw new Error('fake: merge of unknown deals');
    const c = this.addDeal({ ...a.properties }, at);
    c.createdAt = a.createdAt;
    c.stageHistory = [...a.stageHistory];
    c.properties.hs_merged_object_ids = [primaryId, mergedId].join(';');
    this.recompute(c);
    this.deals.delete(primaryId);
    this.deals.delete(mergedId);
    this.version++;
    return c;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((e: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'error', message: 'fake internal error', category: 'INTERNAL', detail: String(e) }));
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

  private send(res: ServerResponse, rec: FakeHubSpotRequest, status: number, body: unknown, headers: Record<string, string> = {}): void {
    rec.status = status;
    res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', ...headers });
    res.end(status === 204 ? undefined : JSON.stringify(body));
  }

  private rateHeaders(): Record<string, string> {
    return {
      'x-hubspot-ratelimit-daily': String(this.dailyLimit),
      'x-hubspot-ratelimit-daily-remaining': String(this.dailyRemaining),
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
      'x-hubspot-ratelimit-max': '190',
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const raw = await readBody(req);
    let body: unknown = null;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const rec: FakeHubSpotRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body, authorization: req.headers.authorization, status: 0 };
    this.requests.push(rec);
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.hangs > 0) {
      this.hangs -= 1;
      return;
    }
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      this.send(res, rec, 401, {
        status: 'error',
        message: 'Authentication credentials not found. This API supports OAuth 2.0 authentication.',
        correlationId: 'fake-0001',
        category: 'INVALID_AUTHENTICATION',
      });
      return;
    }
    const failure = this.failures.shift();
    if (failure !== undefined) {
      this.send(res, rec, failure, { status: 'error', message: 'Service unavailable', category: 'SERVICE_UNAVAILABLE', correlationId: 'fake-0003' });
      return;
    }
    const isSearch = rec.method === 'POST' && url.pathname.endsWith('/search');
    const throttle = this.throttles.shift();
    if (throttle) {
      const headers: Record<string, string> = isSearch ? {} : this.rateHeaders();
      if (throttle.retryAfter !== null) headers['retry-after'] = throttle.retryAfter;
      this.send(res, rec, 429, { status: 'error', message: `You have reached your ${throttle.policyName.toLowerCase()} limit.`, errorType: 'RATE_LIMIT', correlationId: 'fake-0002', policyName: throttle.policyName }, headers);
      return;
    }
    this.dailyRemaining = Math.max(0, this.dailyRemaining - 1);
    // HubSpot leaves the rate-limit headers off search answers.
    const headers = isSearch ? {} : this.rateHeaders();
    const p = url.pathname;
    if (rec.method === 'GET' && p === '/crm/v3/pipelines/deals') return this.send(res, rec, 200, { results: this.pipelinesBody() }, headers);
    if (rec.method === 'GET' && (p === '/crm/v3/owners' || p === '/crm/v3/owners/')) return this.send(res, rec, 200, this.ownersPage(url.searchParams), headers);
    if (rec.method === 'GET' && p === '/crm/v3/objects/deals') return this.send(res, rec, 200, this.dealsPage(url.searchParams), headers);
    if (rec.method === 'POST' && p === '/crm/v3/objects/deals/search') {
      const result = this.search(body);
      return this.send(res, rec, result.status, result.body, headers);
    }
    const m = /^\/crm\/v3\/objects\/deals\/(\d+)$/.exec(p);
    if (rec.method === 'PATCH' && m) {
      const d = this.deals.get(m[1]!);
      if (!d || d.archived) return this.send(res, rec, 404, { status: 'error', message: 'resource not found', category: 'OBJECT_NOT_FOUND' }, headers);
      const props = ((body as { properties?: Record<string, string> } | null)?.properties ?? {}) as Record<string, string>;
      this.updateDeal(d.id, props, this.now);
      return this.send(res, rec, 200, this.dealBody(d, Object.keys(d.properties), false), headers);
    }
    this.send(res, rec, 404, { status: 'error', message: `fake: no route ${rec.method} ${p}`, category: 'OBJECT_NOT_FOUND' }, headers);
  }

  private pipelinesBody(): unknown[] {
    const t = iso(new Date('2020-01-01T00:00:00Z'));
    return this.pipelines.map((pl) => ({
      id: pl.id,
      label: pl.label,
      displayOrder: pl.displayOrder,
      archived: false,
      createdAt: t,
      updatedAt: t,
      stages: pl.stages.map((s) => ({
        id: s.id,
        label: s.label,
        displayOrder: s.displayOrder,
        archived: false,
        createdAt: t,
        updatedAt: t,
        writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
        metadata: { isClosed: String(s.isClosed), probability: s.probability },
      })),
    }));
  }

  private ownersPage(q: URLSearchParams): unknown {
    const archived = q.get('archived') === 'true';
    const limit = Math.min(500, Number(q.get('limit') ?? '100'));
    const start = Number(q.get('after') ?? '0');
    const all = this.owners.filter((o) => (o.archived ?? false) === archived);
    const slice = all.slice(start, start + limit);
    const t = iso(new Date('2020-01-01T00:00:00Z'));
    return {
      results: slice.map((o) => ({ id: o.id, email: o.email, firstName: o.firstName, lastName: o.lastName, userId: Number(o.id), archived, createdAt: t, updatedAt: t, type: 'PERSON', teams: [] })),
      ...(start + limit < all.length ? { paging: { next: { after: String(start + limit), link: 'fake' } } } : {}),
    };
  }

  private dealBody(d: FakeDeal, props: string[], withHistory: boolean): Record<string, unknown> {
    const defaults = ['createdate', 'hs_lastmodifieddate', 'hs_object_id'];
    const properties: Record<string, string | null> = {};
    for (const k of new Set([...defaults, ...props])) properties[k] = d.properties[k] ?? null;
    return {
      id: d.id,
      properties,
      createdAt: iso(d.createdAt),
      updatedAt: iso(d.updatedAt),
      archived: d.archived,
      ...(d.archivedAt ? { archivedAt: iso(d.archivedAt) } : {}),
      ...(withHistory
        ? { propertiesWithHistory: { dealstage: [...d.stageHistory].reverse().map((h) => ({ value: h.value, timestamp: iso(h.timestamp), sourceType: 'CRM_UI' })) } }
        : {}),
    };
  }

  /** `GET /crm/v3/objects/deals`: ordered by id, `after` is the next id (as HubSpot's list does). */
  private dealsPage(q: URLSearchParams): unknown {
    const archived = q.get('archived') === 'true';
    const list = (name: string): string[] => q.getAll(name).flatMap((v) => v.split(',')).filter(Boolean);
    const withHistory = list('propertiesWithHistory').includes('dealstage');
    const max = withHistory ? 50 : 100;
    const limit = Math.min(max, Number(q.get('limit') ?? '10'));
    const after = Number(q.get('after') ?? '0');
    const props = list('properties');
    // Pages of one listing share the sorted list until the data changes (the bench's 100k backfill).
    const memoKey = `${this.version}|${archived}`;
    if (this.listMemo?.key !== memoKey) this.listMemo = { key: memoKey, all: [...this.deals.values()].filter((d) => d.archived === archived).sort((a, b) => Number(a.id) - Number(b.id)) };
    const all = this.listMemo.all;
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (Number(all[mid]!.id) < after) lo = mid + 1;
      else hi = mid;
    }
    const from = all.slice(lo, lo + limit + 1);
    const slice = from.slice(0, limit);
    const next = from[limit];
    return {
      results: slice.map((d) => this.dealBody(d, props, withHistory)),
      ...(next ? { paging: { next: { after: next.id, link: 'fake' } } } : {}),
    };
  }

  private search(body: unknown): { status: number; body: unknown } {
    const req = (body ?? {}) as {
      filterGroups?: Array<{ filters?: Array<{ propertyName: string; operator: string; value?: string }> }>;
      sorts?: Array<{ propertyName: string; direction: string } | string>;
      properties?: string[];
      limit?: number;
      after?: string;
    };
    const limit = Math.min(200, req.limit ?? 10);
    const after = Number(req.after ?? '0');
    // "Attempting to page beyond 10,000 will result in a 400 error" (HubSpot search docs).
    if (after >= this.searchCap) {
      return { status: 400, body: { status: 'error', message: `There was a problem with the request.`, category: 'VALIDATION_ERROR', context: { after: [String(after)] } } };
    }
    let rows = [...this.deals.values()].filter((d) => !d.archived);
    for (const group of req.filterGroups ?? []) {
      for (const f of group.filters ?? []) {
        if (f.propertyName !== 'hs_lastmodifieddate' || f.operator !== 'GTE') throw new Error(`fake search: unsupported filter ${JSON.stringify(f)}`);
        const v = Number(f.value);
        rows = rows.filter((d) => d.updatedAt.getTime() >= v);
      }
    }
    for (const s of req.sorts ?? []) {
      if (typeof s === 'string' || s.propertyName !== 'hs_lastmodifieddate') throw new Error('fake search: sorts must be documented objects on hs_lastmodifieddate');
      const dir = s.direction === 'DESCENDING' ? -1 : 1;
      rows.sort((a, b) => dir * (a.updatedAt.getTime() - b.updatedAt.getTime()) || Number(a.id) - Number(b.id));
    }
    const slice = rows.slice(after, Math.min(after + limit, this.searchCap));
    const more = after + limit < rows.length;
    return {
      status: 200,
      body: {
        total: rows.length,
        results: slice.map((d) => this.dealBody(d, req.properties ?? [], false)),
        ...(more ? { paging: { next: { after: String(after + limit) } } } : {}),
      },
    };
  }
}
