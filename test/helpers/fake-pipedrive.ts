import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback fake of Pipedrive's REST API (the parts the connector uses), following the documented
 * behaviour (developers.pipedrive.com API v1/v2 reference, pipedrive.readme.io rate-limiting page,
 * /work/shared/product/INTEGRATIONS.md):
 * - auth by the `x-api-token` header (or the `api_token` query parameter, which the real API also
 *   accepts; the request log records which one came), 401 `{ success: false }` otherwise;
 * - `GET /api/v2/deals` with `limit` (default 100, at most 500), opaque `cursor` paging through
 *   `additional_data.next_cursor`, `updated_since` (inclusive) / `updated_until` (exclusive) in
 *   RFC 3339, `sort_by` id / update_time / add_time with `sort_direction`, `ids`, and `status`
 *   (comma list; without it every non-deleted deal; `deleted` lists deals deleted in the last 30 days);
 * - `GET /api/v2/stages`, `/api/v2/pipelines`, `/api/v2/organizations` (`ids`), `GET /v1/users`,
 *   `GET /v1/users/me` (the token's user with `company_id`, `company_name`, `company_domain`),
 *   `PATCH /api/v2/deals/{id}`;
 * - `GET /v1/deals/{id}/flow` ("List updates about a deal"): newest first, offset paging (`start`,
 *   `limit` up to 500, `additional_data.pagination.more_items_in_collection` / `next_start`), the
 *   `items` filter (comma list of object types); every field an edit changes is one `dealChange`
 *   item (`field_key`, `old_value`, `new_value` as text, `log_time` as `YYYY-MM-DD HH:MM:SS` UTC),
 *   and a note is logged with each deal so a flow is never only stage changes;
 * - rate-limit headers on every answer (`x-ratelimit-limit`, `x-ratelimit-remaining`,
 *   `x-ratelimit-reset`, `x-daily-requests-left` for writes), 429 with `Retry-After` on demand;
 * - its own clock (`tick`), so update times never depend on the test machine's date.
 */

export interface FakePdDeal {
  id: number;
  title: string;
  value: number | null;
  currency: string;
  status: 'open' | 'won' | 'lost';
  is_deleted: boolean;
  stage_id: number;
  pipeline_id: number;
  owner_id: number;
  org_id: number | null;
  person_id: number | null;
  add_time: string;
  update_time: string;
  stage_change_time: string | null;
  won_time: string | null;
  lost_time: string | null;
  close_time: string | null;
  lost_reason: string | null;
  probability: number | null;
}

export interface FakePdStage {
  id: number;
  name: string;
  order_nr: number;
  pipeline_id: number;
  is_deleted: boolean;
  deal_probability: number;
}

export interface FakePdPipeline {
  id: number;
  name: string;
  order_nr: number;
  is_deleted: boolean;
}

export interface FakePdUser {
  id: number;
  name: string;
  email: string;
  active_flag: boolean;
}

export interface FakePdRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The `x-api-token` header as sent. */
  tokenHeader: string | undefined;
  /** The `api_token` query parameter as sent (should stay undefined). */
  tokenQuery: string | undefined;
  body: unknown;
  status: number;
}

/** One item of a deal's flow, as `GET /v1/deals/{id}/flow` lists it. */
export interface FakePdFlowItem {
  object: 'dealChange' | 'note';
  timestamp: string;
  data: Record<string, unknown>;
}

type TReply = { status: number; body: unknown; headers?: Record<string, string> };

/** v1's `YYYY-MM-DD HH:MM:SS` (UTC). */
function v1Time(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** The deal fields whose edits a flow lists (Pipedrive logs every field change; these are the fake's). */
const FLOW_FIELDS = ['title', 'value', 'currency', 'status', 'stage_id', 'pipeline_id', 'owner_id', 'org_id', 'won_time', 'lost_time', 'close_time', 'lost_reason'] as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** RFC 3339 with whole seconds, as Pipedrive writes times. */
export function pdTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function encodeCursor(key: number, id: number): string {
  return Buffer.from(JSON.stringify({ k: key, id })).toString('base64url');
}

function decodeCursor(text: string): { k: number; id: number } | null {
  try {
    const v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { k: unknown; id: unknown };
    return typeof v.k === 'number' && typeof v.id === 'number' ? { k: v.k, id: v.id } : null;
  } catch {
    return null;
  }
}

export class FakePipedrive {
  readonly deals = new Map<number, FakePdDeal>();
  readonly stages = new Map<number, FakePdStage>();
  readonly pipelines = new Map<number, FakePdPipeline>();
  readonly users: FakePdUser[] = [];
  readonly orgs = new Map<number, { id: number; name: string }>();
  readonly requests: FakePdRequest[] = [];
  /** Each deal's flow, oldest first (listed newest first). */
  readonly flow = new Map<number, FakePdFlowItem[]>();
  /** `company_domain` of `/v1/users/me` (the company's address is `https://<domain>.pipedrive.com`). */
  companyDomain = 'fakeco';
  private flowSeq = 0;
  /** Epoch ms of the fake's clock; `tick` moves it. */
  clockMs: number;
  dailyRequestsLeft = 10_000;
  private readonly deletedAt = new Map<number, number>();
  private server: Server | undefined;
  private nextId = 1;
  /** Bumped by every change of a deal: the listing memo is only valid for one version. */
  private version = 0;
  private listMemo: { key: string; sorted: FakePdDeal[]; sortKey: (d: FakePdDeal) => number } | undefined;
  private throttles: Array<{ retryAfter: string | null }> = [];
  private pathThrottles: Array<{ path: RegExp; retryAfter: string }> = [];
  /** Delays every answer (slow pages for the kill -9 test). */
  delayMs = 0;
  private stalls: number[] = [];
  private failures: number[] = [];
  /** Headers added to the next answer only (e.g. a spent burst window). */
  private oneOffHeaders: Record<string, string> | null = null;
  port = 0;

  constructor(readonly apiToken: string, start = Date.UTC(2025, 2, 1, 9, 0, 0)) {
    this.clockMs = start;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  now(): string {
    return pdTime(this.clockMs);
  }

  tick(seconds: number): this {
    this.clockMs += seconds * 1000;
    return this;
  }

  addPipeline(p: Partial<FakePdPipeline> & { name: string }): FakePdPipeline {
    const pipeline: FakePdPipeline = { id: p.id ?? this.nextId++, order_nr: 0, is_deleted: false, ...p };
    this.pipelines.set(pipeline.id, pipeline);
    return pipeline;
  }

  addStage(s: Partial<FakePdStage> & { name: string; pipeline_id: number; order_nr: number }): FakePdStage {
    const stage: FakePdStage = { id: s.id ?? this.nextId++, is_deleted: false, deal_probability: 100, ...s };
    this.stages.set(stage.id, stage);
    return stage;
  }

  addUser(u: Partial<FakePdUser> & { name: string; email: string }): FakePdUser {
    const user: FakePdUser = { id: u.id ?? this.nextId++, active_flag: true, ...u };
    this.users.push(user);
    return user;
  }

  addOrg(name: string, id = this.nextId++): { id: number; name: string } {
    const org = { id, name };
    this.orgs.set(id, org);
    return org;
  }

  /** A new deal, created and updated now. */
  addDeal(d: Partial<FakePdDeal> & { title: string; stage_id: number; pipeline_id: number; owner_id: number }): FakePdDeal {
    const now = this.now();
    const deal: FakePdDeal = {
      id: d.id ?? this.nextId++,
      value: null,
      currency: 'EUR',
      status: 'open',
      is_deleted: false,
      org_id: null,
      person_id: null,
      add_time: now,
      update_time: now,
      stage_change_time: null,
      won_time: null,
      lost_time: null,
      close_time: null,
      lost_reason: null,
      probability: null,
      ...d,
    };
    this.deals.set(deal.id, deal);
    this.flow.set(deal.id, [{ object: 'note', timestamp: v1Time(this.clockMs), data: { id: ++this.flowSeq, content: 'Created', deal_id: deal.id, add_time: v1Time(this.clockMs) } }]);
    this.version++;
    return deal;
  }

  /** Edits a deal as the Pipedrive UI would: `update_time` becomes now. */
  editDeal(id: number, patch: Partial<FakePdDeal>): FakePdDeal {
    const deal = this.deals.get(id);
    if (!deal) throw new Error(`no fake deal ${id}`);
    const now = this.now();
    // As Pipedrive does: a new stage stamps `stage_change_time`.
    const stageMoved = patch.stage_id !== undefined && patch.stage_id !== deal.stage_id;
    const log = this.flow.get(id) ?? [];
    for (const key of FLOW_FIELDS) {
      const next = patch[key];
      if (next === undefined || next === deal[key]) continue;
      const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
      log.push({
        object: 'dealChange',
        timestamp: v1Time(this.clockMs),
        data: { id: ++this.flowSeq, item_id: id, user_id: deal.owner_id, field_key: key, old_value: text(deal[key]), new_value: text(next), is_bulk_update_flag: null, log_time: v1Time(this.clockMs), change_source: 'app', additional_data: {} },
      });
    }
    this.flow.set(id, log);
    Object.assign(deal, patch, { update_time: now }, stageMoved && patch.stage_change_time === undefined ? { stage_change_time: now } : {});
    this.version++;
    return deal;
  }

  /** Deletes a deal: listed with `status=deleted` (as `is_deleted: true`) for 30 days. */
  deleteDeal(id: number): void {
    this.editDeal(id, { is_deleted: true });
    this.deletedAt.set(id, this.clockMs);
  }

  /** The next `count` requests answer 429 with this `Retry-After` (null: none). */
  throttle(count: number, retryAfter: string | null = '1'): this {
    for (let i = 0; i < count; i += 1) this.throttles.push({ retryAfter });
    return this;
  }

  /** The next `count` requests to a path matching `path` answer 429 with this `Retry-After`. */
  throttlePath(path: RegExp, count: number, retryAfter = '1'): this {
    for (let i = 0; i < count; i += 1) this.pathThrottles.push({ path, retryAfter });
    return this;
  }

  /** The next request waits `ms` before answering (a slow or hung server). */
  stallNext(ms: number): this {
    this.stalls.push(ms);
    return this;
  }

  /** The next request answers this HTTP status with an error body. */
  failNext(status: number): this {
    this.failures.push(status);
    return this;
  }

  /** The next answer carries these headers too, overriding the defaults. */
  headersNext(headers: Record<string, string>): this {
    this.oneOffHeaders = headers;
    return this;
  }

  requestsTo(method: string, path: string): FakePdRequest[] {
    return this.requests.filter((r) => r.method === method && r.path === path);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((e: unknown) => {
        if (res.headersSent) return;
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ success: false, error: 'fake_internal', detail: String(e) }));
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

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const raw = await readBody(req);
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const method = req.method ?? 'GET';
    const query = Object.fromEntries(url.searchParams);
    const tokenHeader = typeof req.headers['x-api-token'] === 'string' ? req.headers['x-api-token'] : undefined;
    let body: unknown = null;
    if (raw) {
      try {
        body = JSON.parse(raw) as unknown;
      } catch {
        body = raw;
      }
    }
    const record: FakePdRequest = { method, path: url.pathname, query, tokenHeader, tokenQuery: query.api_token, body, status: 0 };
    this.requests.push(record);

    const stall = this.stalls.shift();
    if (stall !== undefined) {
      await new Promise((r) => setTimeout(r, stall));
      if (res.destroyed || req.socket.destroyed) return;
    }
    const reply = this.route(method, url, query, body, tokenHeader ?? query.api_token);
    record.status = reply.status;
    if (method !== 'GET' && reply.status < 300) this.dailyRequestsLeft -= 1;
    const oneOff = this.oneOffHeaders ?? {};
    this.oneOffHeaders = null;
    res.writeHead(reply.status, {
      'content-type': 'application/json',
      'x-ratelimit-limit': '40',
      'x-ratelimit-remaining': '39',
      'x-ratelimit-reset': '2',
      'x-daily-requests-left': String(this.dailyRequestsLeft),
      ...(reply.headers ?? {}),
      ...oneOff,
    });
    res.end(JSON.stringify(reply.body));
  }

  private route(method: string, url: URL, query: Record<string, string>, body: unknown, token: string | undefined): TReply {
    const onPath = this.pathThrottles.findIndex((t) => t.path.test(url.pathname));
    const throttle = this.throttles.shift() ?? (onPath >= 0 ? this.pathThrottles.splice(onPath, 1)[0] : undefined);
    if (throttle) {
      return {
        status: 429,
        body: { success: false, error: 'Request over limit', errorCode: 429 },
        headers: throttle.retryAfter === null ? {} : { 'retry-after': throttle.retryAfter },
      };
    }
    if (token !== this.apiToken) return { status: 401, body: { success: false, error: 'unauthorized access', errorCode: 401 } };
    const failure = this.failures.shift();
    if (failure !== undefined) return { status: failure, body: { success: false, error: 'fake failure', errorCode: failure } };

    const path = url.pathname;
    if (method === 'GET' && path === '/api/v2/deals') return this.listDeals(query);
    if (method === 'GET' && path === '/api/v2/stages') {
      const pipelineId = query.pipeline_id ? Number(query.pipeline_id) : null;
      const stages = [...this.stages.values()].filter((s) => !s.is_deleted && (pipelineId === null || s.pipeline_id === pipelineId));
      return this.page(stages, query, query.sort_by === 'order_nr' ? (s) => s.order_nr : (s) => s.id);
    }
    if (method === 'GET' && path === '/api/v2/pipelines') {
      return this.page([...this.pipelines.values()].filter((p) => !p.is_deleted), query, (p) => p.id);
    }
    if (method === 'GET' && path === '/api/v2/organizations') {
      const ids = query.ids ? new Set(query.ids.split(',').map(Number)) : null;
      if (ids && ids.size > 100) return { status: 400, body: { success: false, error: 'too many ids' } };
      return this.page([...this.orgs.values()].filter((o) => !ids || ids.has(o.id)), query, (o) => o.id);
    }
    if (method === 'GET' && path === '/v1/users') return { status: 200, body: { success: true, data: this.users } };
    if (method === 'GET' && path === '/v1/users/me') {
      const me = this.users[0];
      if (!me) return { status: 404, body: { success: false, error: 'User not found', errorCode: 404 } };
      return { status: 200, body: { success: true, data: { ...me, company_id: 7_001, company_name: 'Fake Co', company_domain: this.companyDomain, company_country: 'DE', locale: 'en_US', timezone_name: 'UTC' } } };
    }
    const flow = /^\/v1\/deals\/(\d+)\/flow$/.exec(path);
    if (method === 'GET' && flow) return this.dealFlow(Number(flow[1]), query);
    const patch = /^\/api\/v2\/deals\/(\d+)$/.exec(path);
    if (method === 'PATCH' && patch) return this.patchDeal(Number(patch[1]), body);
    return { status: 404, body: { success: false, error: 'Unknown method .', errorCode: 404 } };
  }

  /** Keyset paging over `items` ordered by (`key`, id); the cursor is the last item's position. */
  private page<T extends { id: number }>(items: T[], query: Record<string, string>, key: (item: T) => number, presorted = false): TReply {
    const limit = query.limit ? Number(query.limit) : 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) return { status: 400, body: { success: false, error: 'limit must be 1..500' } };
    const dir = query.sort_direction === 'desc' ? -1 : 1;
    const cmp = (ka: number, ia: number, kb: number, ib: number): number => dir * (ka - kb || ia - ib);
    const sorted = presorted ? items : [...items].sort((a, b) => cmp(key(a), a.id, key(b), b.id));
    let from = 0;
    if (query.cursor) {
      const at = decodeCursor(query.cursor);
      if (!at) return { status: 400, body: { success: false, error: 'invalid cursor' } };
      from = sorted.findIndex((item) => cmp(key(item), item.id, at.k, at.id) > 0);
      if (from < 0) from = sorted.length;
    }
    const data = sorted.slice(from, from + limit);
    const last = data[data.length - 1];
    const more = from + limit < sorted.length && last !== undefined;
    return { status: 200, body: { success: true, data, additional_data: { next_cursor: more ? encodeCursor(key(last), last.id) : null } } };
  }

  private listDeals(query: Record<string, string>): TReply {
    const statuses = new Set((query.status ?? 'open,won,lost').split(','));
    for (const s of statuses) if (!['open', 'won', 'lost', 'deleted'].includes(s)) return { status: 400, body: { success: false, error: `bad status ${s}` } };
    const since = query.updated_since ? Date.parse(query.updated_since) : null;
    const until = query.updated_until ? Date.parse(query.updated_until) : null;
    if (Number.isNaN(since) || Number.isNaN(until)) return { status: 400, body: { success: false, error: 'updated_since must be RFC3339' } };
    const ids = query.ids ? new Set(query.ids.split(',').map(Number)) : null;
    // Pages of one listing share the filtered, sorted list until the data changes (a 100k-deal
    // backfill in the bench would otherwise sort everything again for every page).
    const memoKey = `${this.version}|${this.clockMs}|${JSON.stringify({ ...query, cursor: undefined, limit: undefined })}`;
    if (this.listMemo?.key === memoKey) return this.page(this.listMemo.sorted, query, this.listMemo.sortKey, true);
    const deals = [...this.deals.values()].filter((d) => {
      if (d.is_deleted) {
        const at = this.deletedAt.get(d.id) ?? 0;
        if (!statuses.has('deleted') || this.clockMs - at > 30 * DAY_MS) return false;
      } else if (!statuses.has(d.status)) return false;
      const updated = Date.parse(d.update_time);
      if (since !== null && updated < since) return false;
      if (until !== null && updated >= until) return false;
      return !ids || ids.has(d.id);
    });
    const sortBy = query.sort_by ?? 'id';
    const parsed = new Map(deals.map((d) => [d.id, sortBy === 'update_time' ? Date.parse(d.update_time) : sortBy === 'add_time' ? Date.parse(d.add_time) : d.id]));
    const key = (d: FakePdDeal): number => parsed.get(d.id) ?? d.id;
    const dir = query.sort_direction === 'desc' ? -1 : 1;
    const sorted = [...deals].sort((a, b) => dir * (key(a) - key(b) || a.id - b.id));
    this.listMemo = { key: memoKey, sorted, sortKey: key };
    return this.page(sorted, query, key, true);
  }

  /** `GET /v1/deals/{id}/flow`: newest first, `start`/`limit` offset paging, `items` filter. */
  private dealFlow(id: number, query: Record<string, string>): TReply {
    const deal = this.deals.get(id);
    if (!deal) return { status: 404, body: { success: false, error: 'Deal not found', errorCode: 404 } };
    const start = query.start ? Number(query.start) : 0;
    const limit = query.limit ? Number(query.limit) : 100;
    if (!Number.isInteger(start) || start < 0 || !Number.isInteger(limit) || limit < 1 || limit > 500) return { status: 400, body: { success: false, error: 'bad start or limit' } };
    const kinds = query.items ? new Set(query.items.split(',')) : null;
    const items = [...(this.flow.get(id) ?? [])].reverse().filter((item) => !kinds || kinds.has(item.object));
    const data = items.slice(start, start + limit);
    const more = start + limit < items.length;
    return {
      status: 200,
      body: { success: true, data, additional_data: { pagination: { start, limit, more_items_in_collection: more, ...(more ? { next_start: start + limit } : {}) } }, related_objects: {} },
    };
  }

  private patchDeal(id: number, body: unknown): TReply {
    const deal = this.deals.get(id);
    if (!deal || deal.is_deleted) return { status: 404, body: { success: false, error: 'Deal not found', errorCode: 404 } };
    if (typeof body !== 'object' || body === null) return { status: 400, body: { success: false, error: 'body must be JSON' } };
    const allowed = ['status', 'stage_id', 'value', 'currency', 'close_time', 'won_time', 'lost_time', 'lost_reason', 'title', 'owner_id', 'org_id'];
    const patch: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body)) {
      if (!allowed.includes(k)) return { status: 400, body: { success: false, error: `unknown field ${k}` } };
      patch[k] = v;
    }
    if (patch.status !== undefined && !['open', 'won', 'lost'].includes(String(patch.status))) return { status: 400, body: { success: false, error: 'bad status' } };
    if (patch.stage_id !== undefined && !this.stages.has(Number(patch.stage_id))) return { status: 400, body: { success: false, error: 'stage not found' } };
    return { status: 200, body: { success: true, data: this.editDeal(id, patch as Partial<FakePdDeal>) } };
  }
}
