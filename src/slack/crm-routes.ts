import type { IncomingMessage, ServerResponse } from 'node:http';
import { isAppError } from '../errors.js';
import { announceCrmBackfill } from '../domain/crm/backfill-progress.js';
import { connectCrm } from '../domain/crm/connect-crm.js';
import { finishCrmOAuth, markHubSpotPortalsDue, markPipedriveWebhookDue } from '../domain/crm/crm-slack-settings.js';
import { CrmSourceError } from '../domain/crm/crm-source.js';
import { parseHubSpotWebhookEvents, verifyHubSpotSignatureV3 } from '../crm/hubspot/hubspot-webhook.js';
import { exchangeCode } from '../crm/salesforce/oauth.js';
import { buildCrmCallbackPage, buildCrmConnected, type TCrmCallbackOutcome } from './blocks/crm-admin.js';
import { INSTALL_PAGE_HEADERS, pageLocale } from './oauth/pages.js';
import type { TLocale } from '../i18n/locales.js';
import { listWorkspaces } from '../domain/workspaces/find-workspace.js';
import { findMember, type AppDeps } from './context.js';
import { localeOf } from './locale-of.js';
import { SALESFORCE_CALLBACK_PATH } from './kpi/crm-subcommand.js';
import { HUBSPOT_WEBHOOK_PATH, PIPEDRIVE_WEBHOOK_PATH, publicRouteUrl } from './listeners/views/crm-modals.js';
import type { THttpRoute } from './receiver.js';
import { send } from './receiver.js';

// CRM webhooks and the Salesforce OAuth callback (issue #10). A webhook is checked (HubSpot's v3
// signature, Pipedrive's per-workspace basic auth), the workspace's connection is marked due in the
// database, and only then does the vendor hear 200: a crash after that loses nothing, the next
// scheduler tick syncs it. `onSyncDue` (main.ts) starts that tick at once.

/** Deadline of the Salesforce code-for-token exchange while the admin's browser waits. */
const OAUTH_EXCHANGE_TIMEOUT_MS = 10_000;

/** A callback page with the install pages' headers (their CSP allows only the page's own style). */
function html(res: ServerResponse, status: number, page: string, locale: TLocale): void {
  if (res.headersSent) return;
  res.writeHead(status, { ...INSTALL_PAGE_HEADERS, 'content-language': locale });
  res.end(page);
}

/** The full URL a vendor called: PUBLIC_URL when set (behind a proxy), else this request's Host. */
function calledUrl(deps: AppDeps, req: IncomingMessage): string {
  const base = deps.crm?.publicUrl ?? `http://${req.headers.host ?? 'localhost'}`;
  return `${base}${req.url ?? '/'}`;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `POST /crm/hubspot/webhook`: v3 signature with the app's client secret, stale refused (401). */
export async function handleHubSpotWebhook(deps: AppDeps, req: IncomingMessage, rawBody: Buffer, res: ServerResponse): Promise<void> {
  const secret = deps.crm?.hubspotClientSecret;
  if (!secret) {
    deps.logger.warn('HubSpot webhook refused: HUBSPOT_CLIENT_SECRET is not set');
    send(res, 503, { ok: false, error: 'webhooks not configured' });
    return;
  }
  const now = deps.now();
  const verdict = verifyHubSpotSignatureV3({
    clientSecret: secret,
    method: req.method ?? 'POST',
    uri: calledUrl(deps, req),
    body: rawBody,
    timestamp: header(req, 'x-hubspot-request-timestamp'),
    signature: header(req, 'x-hubspot-signature-v3'),
    now,
  });
  if (!verdict.ok) {
    deps.logger.warn('HubSpot webhook refused', { reason: verdict.reason });
    send(res, 401, { ok: false });
    return;
  }
  let events: unknown;
  try {
    events = JSON.parse(rawBody.toString('utf8'));
  } catch {
    send(res, 400, { ok: false, error: 'not JSON' });
    return;
  }
  const portals: string[] = [];
  for (const event of Array.isArray(events) ? events : []) {
    const changes = parseHubSpotWebhookEvents([event], now);
    const portal = (event as { portalId?: unknown }).portalId;
    if (changes.refresh.length + changes.removals.length > 0 && (typeof portal === 'number' || typeof portal === 'string') && /^\d{1,20}$/.test(String(portal))) portals.push(String(portal));
  }
  const marked = portals.length ? await markHubSpotPortalsDue({ db: deps.db, portalIds: portals, now }) : [];
  send(res, 200, { ok: true });
  if (marked.length) deps.crm?.onSyncDue?.();
}

/** The user and password of a `Basic` authorization header, or null. */
export function basicCredentials(headerValue: string | undefined): { user: string; password: string } | null {
  const match = /^Basic ([A-Za-z0-9+/=]{1,1024})$/i.exec(headerValue?.trim() ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64');
  if (decoded.toString('base64') !== match[1]) return null;
  const text = decoded.toString('utf8');
  const colon = text.indexOf(':');
  return colon <= 0 ? null : { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** `POST /crm/pipedrive/webhook`: the basic-auth login made for the workspace when it connected. */
export async function handlePipedriveWebhook(deps: AppDeps, req: IncomingMessage, _rawBody: Buffer, res: ServerResponse): Promise<void> {
  const login = basicCredentials(header(req, 'authorization'));
  const now = deps.now();
  const workspaceId = login ? await markPipedriveWebhookDue({ db: deps.db, user: login.user, password: login.password, now }) : null;
  if (workspaceId === null) {
    deps.logger.warn('Pipedrive webhook refused: wrong or missing credentials');
    if (!res.headersSent) res.writeHead(401, { 'www-authenticate': 'Basic realm="crm-webhook"', 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: false }));
    return;
  }
  send(res, 200, { ok: true });
  deps.crm?.onSyncDue?.();
}

/**
 * `GET /crm/salesforce/callback?code&state`: the state must be one the app issued (once, not
 * expired); the code is exchanged with the stored PKCE verifier and the tokens are stored sealed.
 * The page says it worked or what to do; the admin is also told in Slack.
 */
export async function handleSalesforceCallback(deps: AppDeps, req: IncomingMessage, _rawBody: Buffer, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://callback.invalid');
  const state = url.searchParams.get('state') ?? '';
  const code = url.searchParams.get('code') ?? '';
  const denied = url.searchParams.get('error');
  const crm = deps.crm;
  // Until the flow is known, the browser's language; then the admin's who started it.
  let locale = pageLocale(req.headers['accept-language']);
  const page = (status: number, outcome: TCrmCallbackOutcome) => html(res, status, buildCrmCallbackPage(outcome, locale), locale);
  if (!crm?.keyRing || !crm.salesforce || !crm.publicUrl) {
    page(503, { kind: 'notSetUp' });
    return;
  }
  const now = deps.now();
  let flow: Awaited<ReturnType<typeof finishCrmOAuth>>;
  try {
    flow = await finishCrmOAuth({ db: deps.db, keyRing: crm.keyRing, state, now });
  } catch (e) {
    page(400, { kind: 'badLink', why: isAppError(e) && e.code === 'INVALID_INPUT' ? 'expired' : 'unknown' });
    return;
  }
  locale = flow.locale ?? locale;
  if (denied || !code) {
    page(400, { kind: 'denied', error: denied });
    return;
  }
  try {
    const tokens = await exchangeCode({
      loginUrl: crm.salesforce.loginUrl,
      clientId: crm.salesforce.clientId,
      clientSecret: crm.salesforce.clientSecret ?? '',
      redirectUri: `${crm.publicUrl}${SALESFORCE_CALLBACK_PATH}`,
      code,
      codeVerifier: flow.codeVerifier,
      timeoutMs: OAUTH_EXCHANGE_TIMEOUT_MS,
    });
    const credentials: Record<string, string> = { accessToken: tokens.accessToken, instanceUrl: tokens.instanceUrl, loginUrl: crm.salesforce.loginUrl, ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}) };
    await connectCrm({ db: deps.db, workspaceId: flow.workspaceId, vendor: 'salesforce', credentials, keyRing: crm.keyRing, baseUrl: null, now });
    await announceCrmBackfill({ db: deps.db, workspaceId: flow.workspaceId, channel: flow.slackUserId });
  } catch (e) {
    deps.logger.warn('Salesforce callback failed', { kind: e instanceof CrmSourceError ? e.kind : e instanceof Error ? e.name : 'unknown' });
    page(502, { kind: e instanceof CrmSourceError && e.kind === 'auth' ? 'refused' : 'unreachable' });
    return;
  }
  page(200, { kind: 'connected' });
  // The admin's language (a read of what the app knows of them).
  const [workspace] = await listWorkspaces({ db: deps.db, ids: [flow.workspaceId] });
  const dmLocale = workspace ? localeOf(await findMember(deps, workspace.slackTeamId, flow.slackUserId)) : locale;
  await deps.slack
    .postPrivate(undefined, flow.slackUserId, buildCrmConnected({ vendor: 'salesforce', webhookUrl: publicRouteUrl(crm.publicUrl, ''), pipedrive: null, hubspotPortal: null, locale: dmLocale }))
    .catch((e: unknown) => deps.logger.warn('Salesforce confirmation not delivered', { error: e instanceof Error ? e.message : String(e) }));
  crm.onSyncDue?.();
}

/** The CRM routes, reading `deps` when a request arrives. */
export function crmRoutes(deps: () => AppDeps): THttpRoute[] {
  return [
    { method: 'POST', path: HUBSPOT_WEBHOOK_PATH, handler: (req, body, res) => handleHubSpotWebhook(deps(), req, body, res) },
    { method: 'POST', path: PIPEDRIVE_WEBHOOK_PATH, handler: (req, body, res) => handlePipedriveWebhook(deps(), req, body, res) },
    { method: 'GET', path: SALESFORCE_CALLBACK_PATH, handler: (req, body, res) => handleSalesforceCallback(deps(), req, body, res) },
  ];
}
