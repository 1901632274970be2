import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback fake of Slack's Web API. Records every call (method, parsed arguments, token) and
 * answers like Slack does. Tests override any method with `on(method, handler)`. It also serves
 * `response_url`s (`/respond/<id>`) and file upload URLs, recording what the app posted there.
 * Web API calls come form-encoded (the WebClient) or as JSON with a Bearer token (chat.postMessage,
 * web-api-post.ts); a handler answering `{ status: 429, headers: { 'Retry-After': '1' }, body }`
 * rate-limits as Slack does (see `rateLimitOnce`).
 */
export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  /** From `Authorization: Bearer …` (JSON bodies, as Slack documents for write methods) or the form's `token`. */
  token: string | undefined;
  /** The request's Content-Type (`application/json; charset=utf-8` or form-encoded). */
  contentType?: string | undefined;
  at: number;
}

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  body: Record<string, unknown>;
}

export type FakeHandler = (args: Record<string, unknown>, call: RecordedCall) => FakeReply | Record<string, unknown> | Promise<FakeReply | Record<string, unknown>>;

export interface FakeUser {
  id: string;
  name: string;
  real_name?: string;
  tz?: string;
  /** Answered by users.info only when asked with `include_locale` (as Slack does). */
  locale?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  /** Found by `users.lookupByEmail` (case-insensitive). */
  email?: string;
}

/** What `oauth.v2.access` answers for one authorisation code (see `FakeSlack.grant`). */
export interface FakeOAuthGrant {
  botToken: string;
  /** The installing user. */
  userId: string;
  teamId?: string;
  teamName?: string;
  enterpriseId?: string;
  enterpriseName?: string;
  /** An org-wide install: `team` is null, `enterprise` is set. */
  isEnterpriseInstall?: boolean;
  scopes?: string[];
  botUserId?: string;
  /**
   * Token rotation on: the answer carries `refresh_token` and `expires_in` (default 12 h), and the
   * refresh token can be exchanged once (`grant_type=refresh_token`) for the next pair.
   */
  refreshToken?: string;
  expiresIn?: number;
  /** Set when the code came from the fake authorize page: `oauth.v2.access` must name the same redirect URL. */
  redirectUri?: string;
}

/** One refresh-token exchange the fake answered (successful or refused). */
export interface FakeRefresh {
  refreshToken: string;
  ok: boolean;
  /** The new access token (successful exchanges). */
  accessToken?: string;
}

const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'files', 'metadata']);

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseArgs(contentType: string | undefined, raw: string): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    if (JSON_FIELDS.has(k)) {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        /* keep as string */
      }
    }
    out[k] = v;
  }
  return out;
}

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly responses: Array<{ id: string; body: Record<string, unknown>; at: number }> = [];
  readonly users = new Map<string, FakeUser>();
  readonly channelsWithBot = new Set<string>();
  private readonly handlers = new Map<string, FakeHandler>();
  /** Authorisation codes `oauth.v2.access` accepts (each once), as Slack hands them to the redirect. */
  readonly grants = new Map<string, FakeOAuthGrant>();
  /**
   * The fake authorize page (`GET /oauth/v2/authorize`, what a browser opens from "Add to Slack"):
   * the app's configured redirect URLs (manifest `oauth_config.redirect_urls`; a `redirect_uri` not
   * among them is refused as Slack does), the code its Allow link hands out (a `grant`), and every
   * authorize URL opened.
   */
  readonly authorize = { redirectUrls: [] as string[], code: undefined as string | undefined, opened: [] as URL[] };
  /** Refresh tokens not yet used, with the installation they renew and their generation. */
  private readonly refreshable = new Map<string, { grant: FakeOAuthGrant; generation: number }>();
  /** Every refresh-token exchange, in order. */
  readonly refreshes: FakeRefresh[] = [];
  /** Tokens Slack no longer accepts (uninstalled, revoked): every call with one gets `token_revoked`. */
  readonly revokedTokens = new Set<string>();
  /** Last token generation per installation, so a reinstall's refreshes never reuse a revoked name. */
  private readonly generations = new Map<string, number>();
  private server: Server | undefined;
  private ts = 1_700_000_000;
  port = 0;
  /** Whether the bot is treated as a member of every channel (default) or only `channelsWithBot`. */
  botInAllChannels = true;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get apiUrl(): string {
    return `${this.url}/api/`;
  }
  responseUrl(id: string): string {
    return `${this.url}/respond/${id}`;
  }

  addUser(user: FakeUser): this {
    this.users.set(user.id, user);
    return this;
  }

  on(method: string, handler: FakeHandler): this {
    this.handlers.set(method, handler);
    return this;
  }

  /** The next call of `method` gets HTTP 429 with this Retry-After (seconds); later ones the default answer. */
  rateLimitOnce(method: string, retryAfterSeconds: number): this {
    return this.on(method, () => {
      this.off(method);
      return { status: 429, headers: { 'Retry-After': String(retryAfterSeconds) }, body: { ok: false, error: 'ratelimited' } };
    });
  }

  off(method: string): this {
    this.handlers.delete(method);
    return this;
  }

  /** Makes `code` redeemable once at `oauth.v2.access` for this installation. */
  grant(code: string, grant: FakeOAuthGrant): this {
    this.grants.set(code, grant);
    return this;
  }

  /** Revokes tokens, as an uninstall does: calls made with them are refused from now on. */
  revoke(...tokens: string[]): this {
    for (const t of tokens) this.revokedTokens.add(t);
    for (const [refresh, r] of this.refreshable) if (tokens.includes(refresh) || tokens.includes(r.grant.botToken)) this.refreshable.delete(refresh);
    return this;
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  responsesTo(id: string): Array<Record<string, unknown>> {
    return this.responses.filter((r) => r.id === id).map((r) => r.body);
  }

  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
  }

  /** Resolves when `predicate` holds over the recorded calls, or rejects after `timeoutMs`. */
  async waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs = 5000): Promise<T> {
    const start = Date.now();
    for (;;) {
      const v = predicate();
      if (v) return v;
      if (Date.now() - start > timeoutMs) throw new Error('FakeSlack.waitFor timed out');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((e: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: 'fake_internal', detail: String(e) }));
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

  private nextTs(): string {
    this.ts += 1;
    return `${this.ts}.000100`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const raw = await readBody(req);
    if (url.pathname.startsWith('/respond/')) {
      const body = parseArgs(req.headers['content-type'], raw);
      this.responses.push({ id: url.pathname.slice('/respond/'.length), body, at: Date.now() });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (url.pathname.startsWith('/upload/')) {
      this.calls.push({ method: 'upload', args: { bytes: raw.length, path: url.pathname }, token: undefined, at: Date.now() });
      res.writeHead(200);
      res.end('OK - ' + raw.length);
      return;
    }
    if (url.pathname === '/oauth/v2/authorize' && req.method === 'GET') {
      this.authorizePage(url, res);
      return;
    }
    if (!url.pathname.startsWith('/api/')) {
      res.writeHead(404);
      res.end();
      return;
    }
    const method = url.pathname.slice('/api/'.length);
    const args = parseArgs(req.headers['content-type'], raw);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : (args.token as string | undefined);
    const call: RecordedCall = { method, args, token, contentType: req.headers['content-type'], at: Date.now() };
    this.calls.push(call);
    const custom = this.handlers.get(method);
    const result = token !== undefined && this.revokedTokens.has(token) ? { ok: false, error: 'token_revoked' } : custom ? await custom(args, call) : this.defaultReply(method, args);
    const reply: FakeReply = 'body' in result && typeof result.body === 'object' && result.body !== null ? (result as FakeReply) : { body: result as Record<string, unknown> };
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
    res.end(JSON.stringify(reply.body));
  }

  /** Slack's consent screen, reduced to its two outcomes: Allow (code and state) and Cancel (access_denied). */
  private authorizePage(url: URL, res: ServerResponse): void {
    this.authorize.opened.push(url);
    const p = url.searchParams;
    const redirect = p.get('redirect_uri') ?? this.authorize.redirectUrls[0];
    const refuse = (why: string): void => {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="en"><title>Slack: error</title><h1>${why}</h1></html>`);
    };
    if (!p.get('client_id')) return refuse('invalid_client_id');
    if (!redirect || !this.authorize.redirectUrls.includes(redirect)) return refuse('bad_redirect_uri');
    const back = (params: Record<string, string>): string => {
      const to = new URL(redirect);
      for (const [k, v] of Object.entries(params)) to.searchParams.set(k, v);
      return to.toString().replace(/&/g, '&amp;');
    };
    const state = p.get('state') ?? '';
    const code = this.authorize.code;
    if (code && p.get('redirect_uri')) {
      const grant = this.grants.get(code);
      if (grant) grant.redirectUri = redirect;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      '<!doctype html><html lang="en"><head><title>Fake Slack: allow access</title></head><body><main><h1>Allow access?</h1>' +
        `<a id="allow" href="${back({ code: code ?? 'no-code-set', state })}">Allow</a> ` +
        `<a id="cancel" href="${back({ error: 'access_denied', state })}">Cancel</a></main></body></html>`,
    );
  }

  private tokenAnswer(grant: FakeOAuthGrant, accessToken: string, refreshToken: string | undefined): Record<string, unknown> {
    const orgWide = grant.isEnterpriseInstall === true;
    return {
      ok: true,
      app_id: 'A0KPI',
      authed_user: { id: grant.userId },
      scope: (grant.scopes ?? ['commands', 'chat:write', 'users:read', 'channels:read', 'groups:read']).join(','),
      token_type: 'bot',
      access_token: accessToken,
      bot_user_id: grant.botUserId ?? 'UBOT',
      team: orgWide ? null : { id: grant.teamId ?? 'T0FAKE', name: grant.teamName ?? 'Fake Team' },
      enterprise: grant.enterpriseId ? { id: grant.enterpriseId, name: grant.enterpriseName ?? 'Fake Org' } : null,
      is_enterprise_install: orgWide,
      ...(refreshToken !== undefined ? { refresh_token: refreshToken, expires_in: grant.expiresIn ?? 43_200 } : {}),
    };
  }

  /**
   * `oauth.v2.access` with `grant_type=refresh_token`, as Slack documents it: the client's
   * credentials and an unused refresh token give a new access token (`xoxe.xoxb-…`) and a new
   * refresh token (`xoxe-1-…`); the refresh token used is spent (a second exchange is refused).
   */
  private exchangeRefreshToken(args: Record<string, unknown>): Record<string, unknown> {
    const refreshToken = String(args.refresh_token ?? '');
    if (!args.client_id || !args.client_secret) return { ok: false, error: 'invalid_client_id' };
    const found = this.refreshable.get(refreshToken);
    if (!found) {
      this.refreshes.push({ refreshToken, ok: false });
      return { ok: false, error: 'invalid_refresh_token' };
    }
    this.refreshable.delete(refreshToken);
    const family = found.grant.teamId ?? found.grant.enterpriseId ?? 'T0FAKE';
    const generation = Math.max(found.generation, this.generations.get(family) ?? 0) + 1;
    this.generations.set(family, generation);
    const accessToken = `xoxe.xoxb-${family}-r${generation}`;
    const next = `xoxe-1-${family}-r${generation}`;
    this.refreshable.set(next, { grant: found.grant, generation });
    this.refreshes.push({ refreshToken, ok: true, accessToken });
    return this.tokenAnswer(found.grant, accessToken, next);
  }

  private defaultReply(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'oauth.v2.access': {
        if (args.grant_type === 'refresh_token') return this.exchangeRefreshToken(args);
        const grant = this.grants.get(String(args.code ?? ''));
        if (!grant) return { ok: false, error: 'invalid_code' };
        if (grant.redirectUri !== undefined && args.redirect_uri !== grant.redirectUri) return { ok: false, error: 'bad_redirect_uri' };
        this.grants.delete(String(args.code));
        if (grant.refreshToken !== undefined) this.refreshable.set(grant.refreshToken, { grant, generation: 0 });
        return this.tokenAnswer(grant, grant.botToken, grant.refreshToken);
      }
      case 'auth.test':
        return { ok: true, url: 'https://fake.slack.com/', team: 'Fake Team', user: 'kpibot', team_id: 'T0FAKE', user_id: 'UBOT', bot_id: 'BBOT' };
      case 'users.info': {
        const id = String(args.user ?? '');
        const u = this.users.get(id) ?? { id, name: id.toLowerCase(), real_name: `User ${id}`, tz: 'UTC' };
        return {
          ok: true,
          user: { id: u.id, name: u.name, real_name: u.real_name ?? u.name, tz: u.tz ?? 'UTC', is_admin: u.is_admin ?? false, is_owner: u.is_owner ?? false, profile: { real_name: u.real_name ?? u.name, display_name: u.name }, ...(args.include_locale === true || args.include_locale === 'true' ? { locale: u.locale ?? 'en-US' } : {}) },
        };
      }
      case 'users.lookupByEmail': {
        const email = String(args.email ?? '').toLowerCase();
        const u = [...this.users.values()].find((x) => x.email?.toLowerCase() === email);
        return u ? { ok: true, user: { id: u.id, name: u.name } } : { ok: false, error: 'users_not_found' };
      }
      case 'chat.postMessage':
      case 'chat.postEphemeral': {
        const channel = String(args.channel ?? '');
        if (!this.botInAllChannels && !channel.startsWith('U') && !channel.startsWith('D') && !this.channelsWithBot.has(channel)) {
          return { ok: false, error: 'not_in_channel' };
        }
        return method === 'chat.postMessage' ? { ok: true, channel, ts: this.nextTs(), message: { text: args.text } } : { ok: true, message_ts: this.nextTs() };
      }
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts };
      case 'conversations.info': {
        const channel = String(args.channel ?? '');
        return { ok: true, channel: { id: channel, name: channel.toLowerCase(), is_member: this.botInAllChannels || this.channelsWithBot.has(channel), is_archived: false } };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users ?? 'X')}` } };
      case 'views.open':
      case 'views.push':
      case 'views.update':
      case 'views.publish': {
        const view = (args.view ?? {}) as Record<string, unknown>;
        return { ok: true, view: { ...view, id: `V${this.nextTs().replace('.', '')}`, hash: 'h1' } };
      }
      case 'files.getUploadURLExternal':
        return { ok: true, upload_url: `${this.url}/upload/${this.nextTs()}`, file_id: `F${this.nextTs().replace('.', '')}` };
      case 'files.completeUploadExternal':
        return { ok: true, files: ((args.files as Array<{ id: string }>) ?? []).map((f) => ({ id: f.id })) };
      default:
        return { ok: true };
    }
  }
}
