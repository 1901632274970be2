import { toLocale, type TLocale } from '../../i18n/locales.js';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../errors.js';
import type { Db } from '../../storage/db.js';
import type { Rep } from '../../storage/models.js';
import {
  clearHubSpotPortal,
  crmOwnersWithReps,
  crmSettingsOfHubSpotPortal,
  crmSettingsOfWebhookUser,
  crmSettingsOfWorkspace,
  insertCrmOAuthState,
  markCrmConnectionDue,
  takeCrmOAuthState,
  upsertCrmSettings,
} from '../../storage/queries/crm-settings.js';
import { roleOf } from '../workspaces/ensure-member.js';
import { openCredentials, sealCredentials, type TCrmKeyRing } from './credentials.js';
import type { TCrmVendor } from './crm-source.js';

// The Slack side of a CRM connection (issue #10) besides connecting and syncing: who may manage it,
// the write-back opt-in, webhook identities (HubSpot portal, Pipedrive basic-auth login), webhooks
// marking a sync due, and Salesforce authorizations in flight.

/**
 * Refuses anyone but an admin: connecting, disconnecting and mapping a CRM are admin matters.
 *
 * @example assertCanManageCrm({ role: 'rep' }) // throws AppError FORBIDDEN
 */
export function assertCanManageCrm(actor: Pick<Rep, 'role'>): void {
  if (roleOf(actor) !== 'admin') throw new AppError('FORBIDDEN', 'Only admins can manage the CRM connection. Ask an admin of this workspace (the person who installed the app, or a Slack admin).', { i18n: { key: 'error.crm.adminsOnly' } });
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Whether `/deal` on a CRM deal writes back to the CRM in this workspace (off unless an admin opted in). */
export async function readCrmWriteBack(opts: { db: Db; workspaceId: number }): Promise<boolean> {
  return (await crmSettingsOfWorkspace(opts.db, opts.workspaceId))?.writeBack ?? false;
}

/**
 * Turns write-back on or off (admins only).
 *
 * @example await setCrmWriteBack({ db, actor, workspaceId, on: true, now }) // true
 */
export async function setCrmWriteBack(opts: { db: Db; actor: Pick<Rep, 'role'>; workspaceId: number; on: boolean; now: Date }): Promise<boolean> {
  assertCanManageCrm(opts.actor);
  return (await upsertCrmSettings(opts.db, opts.workspaceId, { writeBack: opts.on }, opts.now)).writeBack;
}

/** A Pipedrive webhook login, shown once: paste it into Pipedrive's webhook form. */
export interface TPipedriveWebhookLogin {
  user: string;
  password: string;
}

/**
 * Stores what identifies the workspace's webhooks when it connects: the HubSpot account id (moved
 * here from any other workspace that claimed it), or a fresh Pipedrive basic-auth login whose
 * password is stored only as a hash and returned this once.
 *
 * @example await prepareCrmWebhooks({ db, workspaceId, vendor: 'pipedrive', now }) // { pipedrive: { user: 'kpi-…', password: '…' } }
 */
export async function prepareCrmWebhooks(opts: {
  db: Db;
  workspaceId: number;
  vendor: TCrmVendor;
  hubspotPortalId?: string | null;
  now: Date;
  random?: (size: number) => Buffer;
}): Promise<{ pipedrive: TPipedriveWebhookLogin | null }> {
  const random = opts.random ?? randomBytes;
  if (opts.vendor === 'hubspot') {
    const portal = opts.hubspotPortalId?.trim() || null;
    if (portal !== null && !/^\d{1,20}$/.test(portal)) throw new AppError('INVALID_INPUT', 'The HubSpot account ID is a number (HubSpot shows it in the account menu).', { field: 'portal', i18n: { key: 'error.crm.portalNotNumber' } });
    if (portal) await clearHubSpotPortal(opts.db, portal, opts.workspaceId, opts.now);
    await upsertCrmSettings(opts.db, opts.workspaceId, { hubspotPortalId: portal }, opts.now);
    return { pipedrive: null };
  }
  if (opts.vendor === 'pipedrive') {
    const login = { user: `kpi-${random(9).toString('base64url')}`, password: random(24).toString('base64url') };
    await upsertCrmSettings(opts.db, opts.workspaceId, { webhookUser: login.user, webhookPasswordHash: sha256Hex(login.password) }, opts.now);
    return { pipedrive: login };
  }
  return { pipedrive: null };
}

/**
 * A HubSpot webhook batch arrived (signature already verified): every workspace connected to one
 * of these portals is marked due, so its next sync tick reads the changes. Returns the workspaces marked.
 *
 * @example await markHubSpotPortalsDue({ db, portalIds: ['62515'], now }) // [3]
 */
export async function markHubSpotPortalsDue(opts: { db: Db; portalIds: readonly string[]; now: Date }): Promise<number[]> {
  const marked: number[] = [];
  for (const portal of new Set(opts.portalIds)) {
    const settings = await crmSettingsOfHubSpotPortal(opts.db, portal);
    if (settings && (await markCrmConnectionDue(opts.db, settings.workspaceId, 'hubspot', opts.now))) marked.push(settings.workspaceId);
  }
  return marked;
}

/**
 * A Pipedrive webhook arrived with these basic-auth credentials: the workspace whose login they
 * are is marked due and returned; wrong credentials mark nothing (null). Compared in constant time.
 *
 * @example await markPipedriveWebhookDue({ db, user: 'kpi-abc', password: 'wrong', now }) // null
 */
export async function markPipedriveWebhookDue(opts: { db: Db; user: string; password: string; now: Date }): Promise<number | null> {
  if (!opts.user || !opts.password || opts.user.length > 200 || opts.password.length > 200) return null;
  const settings = await crmSettingsOfWebhookUser(opts.db, opts.user);
  if (!settings?.webhookPasswordHash) return null;
  const given = Buffer.from(sha256Hex(opts.password), 'hex');
  const expected = Buffer.from(settings.webhookPasswordHash, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  await markCrmConnectionDue(opts.db, settings.workspaceId, 'pipedrive', opts.now);
  return settings.workspaceId;
}

/** How long an admin has to finish the Salesforce consent screen. */
export const CRM_OAUTH_TTL_MS = 10 * 60_000;

/**
 * Starts an OAuth authorization: a random state (returned, for the authorize URL) stored as a hash
 * with the PKCE verifier sealed, bound to the workspace and the admin, expiring after `CRM_OAUTH_TTL_MS`.
 *
 * @example const { state } = await startCrmOAuth({ db, keyRing, actor, workspaceId, slackUserId: 'U1', vendor: 'salesforce', codeVerifier, now })
 */
export async function startCrmOAuth(opts: {
  db: Db;
  keyRing: TCrmKeyRing;
  actor: Pick<Rep, 'role'>;
  workspaceId: number;
  slackUserId: string;
  vendor: TCrmVendor;
  codeVerifier: string;
  now: Date;
  /** The admin's language: the callback page speaks it (kept in the sealed blob, no column). */
  locale?: TLocale;
  random?: (size: number) => Buffer;
}): Promise<{ state: string; expiresAt: Date }> {
  assertCanManageCrm(opts.actor);
  const state = (opts.random ?? randomBytes)(32).toString('base64url');
  const expiresAt = new Date(opts.now.getTime() + CRM_OAUTH_TTL_MS);
  await insertCrmOAuthState(opts.db, {
    stateHash: sha256Hex(state),
    workspaceId: opts.workspaceId,
    slackUserId: opts.slackUserId,
    vendor: opts.vendor,
    sealed: sealCredentials(opts.keyRing, opts.workspaceId, { codeVerifier: opts.codeVerifier, ...(opts.locale ? { locale: opts.locale } : {}) }),
    expiresAt,
    now: opts.now,
  });
  return { state, expiresAt };
}

/**
 * Takes the authorization a callback's `state` names (once: a replay finds nothing). Throws
 * AppError NOT_FOUND for an unknown or spent state and INVALID_INPUT for an expired one.
 *
 * @example await finishCrmOAuth({ db, keyRing, state, now }) // { workspaceId: 3, slackUserId: 'U1', vendor: 'salesforce', codeVerifier: '…', locale: 'vi' }
 */
export async function finishCrmOAuth(opts: { db: Db; keyRing: TCrmKeyRing; state: string; now: Date }): Promise<{ workspaceId: number; slackUserId: string; vendor: TCrmVendor; codeVerifier: string; locale: TLocale | null }> {
  const unknown = () => new AppError('NOT_FOUND', 'This link is not one the app made, or it was already used.', { i18n: { key: 'page.crm.badLink.unknown' } });
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(opts.state)) throw unknown();
  const row = await takeCrmOAuthState(opts.db, sha256Hex(opts.state));
  if (!row) throw unknown();
  if (row.expiresAt.getTime() < opts.now.getTime()) throw new AppError('INVALID_INPUT', 'This link expired.', { i18n: { key: 'page.crm.badLink.expired' } });
  const opened = openCredentials(opts.keyRing, row.workspaceId, row.sealed);
  const codeVerifier = opened.credentials.codeVerifier;
  if (!codeVerifier || (row.vendor !== 'salesforce' && row.vendor !== 'hubspot' && row.vendor !== 'pipedrive')) throw unknown();
  // Flows started before the locale was kept have none: the page falls back to the browser's.
  return { workspaceId: row.workspaceId, slackUserId: row.slackUserId, vendor: row.vendor, codeVerifier, locale: toLocale(opened.credentials.locale) };
}

/** A CRM owner and the rep it maps to; `matched` false when that rep is a stand-in not linked to anyone in Slack. */
export interface TCrmOwnerLink {
  crmOwnerId: string;
  email: string | null;
  repName: string;
  slackUserId: string | null;
  matched: boolean;
}

/**
 * The connection's CRM owners, unmatched ones first (`/kpi crm owners`).
 *
 * @example await listCrmOwners({ db, workspaceId }) // [{ crmOwnerId: '42', email: 'x@y.com', matched: false, … }]
 */
export async function listCrmOwners(opts: { db: Db; workspaceId: number }): Promise<TCrmOwnerLink[]> {
  const rows = await crmOwnersWithReps(opts.db, opts.workspaceId);
  return rows
    .map((r) => ({ crmOwnerId: r.crmOwnerId, email: r.email, repName: r.repName, slackUserId: r.slackUserId, matched: r.slackUserId !== null }))
    .sort((a, b) => Number(a.matched) - Number(b.matched));
}
