import { parseArgs } from 'node:util';
import { isCrmKeyText } from '../config.js';
import { crmKeyRing } from '../domain/crm/credentials.js';
import type { TCrmSource } from '../domain/crm/crm-source.js';
import { loadCrmConnection, storeCrmCredentials, workspaceIdOfTeam, type TLoadedCrmConnection } from '../domain/crm/load-crm-connection.js';
import { syncCrm, type TLookupUserByEmail, type TSyncProgress } from '../domain/crm/sync-crm.js';
import { formatCount } from '../domain/money.js';
import { createCrmSource, CrmConnectorUnavailableError, type TCrmSourceOptions, type TSalesforceAppConfig } from '../crm/registry.js';
import { openDatabase } from '../storage/db.js';
import { migrateDatabase } from '../storage/migrate.js';
import { databaseUrlFrom, failureMessage, isEntryPoint, UsageError } from './cli-kit.js';

/**
 * `npm run sync -- --workspace TEAM_ID [--full]`
 *
 * Syncs the CRM connected to the workspace with that Slack team id (an admin connects it from
 * Slack), in the database of DATABASE_URL: the same use case the scheduler runs every minute
 * (`syncCrm`), with a progress bar on stderr (progress lines when stderr is not a terminal).
 * `--full` forgets the committed cursor first and reloads every deal. Ctrl-C stops after the page
 * being written; the next run resumes there.
 *
 * Needs CRM_ENCRYPTION_KEY (and CRM_ENCRYPTION_KEY_PREVIOUS during a rotation). With SLACK_BOT_TOKEN
 * set, CRM owners are matched to Slack users by email (`users.lookupByEmail`).
 *
 * Exit codes: 0 synced (or stopped by Ctrl-C), 1 failed or nothing to sync, 2 usage error.
 */

export const USAGE = 'usage: npm run sync -- --workspace TEAM_ID [--full]';

const HELP = `${USAGE}

Syncs the CRM connected to the workspace with Slack team id TEAM_ID into the database of
DATABASE_URL (default file:./data/kpi.db), from where the last sync stopped.

  --workspace ID   Slack team id of the workspace (its CRM is connected from Slack)
  --full           forget the sync position and reload every deal from the CRM

Environment: CRM_ENCRYPTION_KEY (required), CRM_ENCRYPTION_KEY_PREVIOUS (during a key rotation),
SLACK_BOT_TOKEN (optional: match CRM owners to Slack users by email), CRM_TIMEOUT_MS (default 30000),
CRM_SYNC_LEASE_SECONDS (default 300: how long a run that stopped answering, e.g. a killed one, keeps
other runs of this workspace out),
SALESFORCE_CLIENT_ID / SALESFORCE_CLIENT_SECRET / SALESFORCE_LOGIN_URL (the Salesforce connected app).`;

export interface SyncCliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Write to stderr without a newline (the progress bar), when stderr is a terminal. */
  errRaw?: (text: string) => void;
  isTTY?: boolean;
}

export interface SyncCliDeps {
  /** Builds the connector (default: `createCrmSource` from src/crm/registry.ts). */
  createSource?: (connection: TLoadedCrmConnection, options: TCrmSourceOptions) => TCrmSource;
  now?: () => Date;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}


const BAR = 30;

/**
 * One progress line: a bar when the CRM gave a total, else the counts.
 *
 * @example progressText({ pages: 3, deals: 250, removals: 1, total: 1000 }) // '[#######·······…] 25% 250/1,000 deals, 1 removed, 3 pages'
 */
export function progressText(p: TSyncProgress): string {
  const counts = `${formatCount(p.deals)}${p.total ? `/${formatCount(p.total)}` : ''} deals, ${formatCount(p.removals)} removed, ${formatCount(p.pages)} page${p.pages === 1 ? '' : 's'}`;
  if (!p.total) return counts;
  const ratio = Math.min(1, p.deals / p.total);
  const filled = Math.round(ratio * BAR);
  return `[${'#'.repeat(filled)}${'·'.repeat(BAR - filled)}] ${Math.floor(ratio * 100)}% ${counts}`;
}

/** `users.lookupByEmail` with the bot token, bounded by a timeout; null for no such user (or no token). */
function slackLookup(env: NodeJS.ProcessEnv, fetchImpl: typeof fetch, timeoutMs: number): TLookupUserByEmail | undefined {
  const token = env['SLACK_BOT_TOKEN'];
  if (!token) return undefined;
  const base = (env['SLACK_API_URL'] || 'https://slack.com/api/').replace(/\/?$/, '/');
  return async (email) => {
    const res = await fetchImpl(`${base}users.lookupByEmail?email=${encodeURIComponent(email)}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(timeoutMs) });
    const body = (await res.json()) as { ok?: boolean; user?: { id?: string } };
    return body.ok && body.user?.id ? body.user.id : null;
  };
}

/** The Salesforce connected app from SALESFORCE_CLIENT_ID / _SECRET / _LOGIN_URL; undefined without a client id. */
function salesforceAppOf(env: NodeJS.ProcessEnv): TSalesforceAppConfig | undefined {
  const clientId = env['SALESFORCE_CLIENT_ID']?.trim();
  if (!clientId) return undefined;
  const clientSecret = env['SALESFORCE_CLIENT_SECRET']?.trim();
  const loginUrl = env['SALESFORCE_LOGIN_URL']?.trim();
  return { clientId, ...(clientSecret ? { clientSecret } : {}), ...(loginUrl ? { loginUrl } : {}) };
}

/** Runs the sync command; returns the exit code. */
export async function runSyncCli(argv: readonly string[], env: NodeJS.ProcessEnv, io: SyncCliIo, deps: SyncCliDeps = {}): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      strict: true,
      options: { workspace: { type: 'string' }, full: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    }).values;
  } catch (e) {
    io.err(e instanceof Error ? e.message : String(e));
    io.err(USAGE);
    return 2;
  }
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  let url: string;
  let keyRing;
  let timeoutMs: number;
  let leaseMs: number;
  const teamId = values.workspace ?? '';
  try {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(teamId)) throw new UsageError(teamId ? `--workspace must be a Slack team id such as T0123ABCD, not "${teamId}"` : '--workspace is required');
    url = databaseUrlFrom(env);
    const key = env['CRM_ENCRYPTION_KEY'];
    const previous = env['CRM_ENCRYPTION_KEY_PREVIOUS'] || undefined;
    if (!key || !isCrmKeyText(key)) throw new UsageError('CRM_ENCRYPTION_KEY must be set to 32 random bytes in base64 (the key the CRM credentials were sealed with)');
    if (previous !== undefined && !isCrmKeyText(previous)) throw new UsageError('CRM_ENCRYPTION_KEY_PREVIOUS must be 32 random bytes in base64');
    keyRing = crmKeyRing(key, previous);
    timeoutMs = Number(env['CRM_TIMEOUT_MS'] || 30_000);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1000) throw new UsageError('CRM_TIMEOUT_MS must be a whole number of milliseconds, at least 1000');
    const leaseSeconds = Number(env['CRM_SYNC_LEASE_SECONDS'] || 300);
    if (!Number.isInteger(leaseSeconds) || leaseSeconds < 1 || leaseSeconds > 86_400) throw new UsageError('CRM_SYNC_LEASE_SECONDS must be a whole number of seconds, 1 to 86400');
    leaseMs = leaseSeconds * 1000;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(e.message);
    io.err(USAGE);
    return 2;
  }

  const now = deps.now ?? (() => new Date());
  const db = openDatabase(url);
  try {
    await migrateDatabase(db, (m) => io.err(m));
    const workspaceId = await workspaceIdOfTeam({ db, slackTeamId: teamId });
    if (workspaceId === null) {
      io.err(`No workspace ${teamId} in this database.`);
      return 1;
    }
    const connection = await loadCrmConnection({ db, workspaceId, keyRing, now: now() });
    if (!connection || connection.status === 'disconnected') {
      io.err(`Workspace ${teamId} has no CRM connected. An admin connects HubSpot, Pipedrive or Salesforce from Slack.`);
      return 1;
    }
    if (connection.status === 'revoked') {
      io.err(`The ${connection.vendor} credentials of ${teamId} were revoked or expired. An admin connects ${connection.vendor} again from Slack.`);
      return 1;
    }
    if (values.full) io.err('Full load: every deal is read again from the CRM.');
    const salesforceApp = salesforceAppOf(env);
    const options: TCrmSourceOptions = {
      timeoutMs,
      ...(salesforceApp ? { salesforceApp } : {}),
      ...(connection.baseUrl ? { baseUrl: connection.baseUrl } : {}),
      onCredentialsChanged: (next) => storeCrmCredentials({ db, connectionId: connection.connectionId, workspaceId, credentials: next, keyRing, now: now() }),
    };
    let source: TCrmSource;
    try {
      source = deps.createSource ? deps.createSource(connection, options) : createCrmSource(connection.vendor, connection.credentials, options);
    } catch (e) {
      if (e instanceof CrmConnectorUnavailableError) {
        io.err(e.message);
        return 1;
      }
      throw e;
    }
    const startedAt = now();
    let drawn = false;
    const lookup = slackLookup(env, deps.fetch ?? fetch, timeoutMs);
    const result = await syncCrm({
      db,
      workspaceId,
      source,
      now: startedAt,
      clock: now,
      full: values.full,
      leaseMs,
      secrets: Object.values(connection.credentials),
      ...(lookup ? { lookupUserByEmail: lookup } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
      onProgress: (p) => {
        if (io.isTTY && io.errRaw) {
          io.errRaw(`\r${progressText(p)}`);
          drawn = true;
        } else io.err(progressText(p));
      },
    });
    if (drawn && io.errRaw) io.errRaw('\n');
    const seconds = ((now().getTime() - startedAt.getTime()) / 1000).toFixed(1);
    const counts = `${formatCount(result.deals)} deals written (${formatCount(result.created)} new, ${formatCount(result.updated)} updated, ${formatCount(result.adopted)} matched to deals logged in Slack), ${formatCount(result.unchanged)} unchanged, ${formatCount(result.removed)} removed`;
    switch (result.outcome) {
      case 'synced':
        io.out(`Synced ${connection.vendor} into ${teamId}: ${counts}, ${formatCount(result.pages)} pages in ${seconds} s.`);
        return 0;
      case 'partial':
        io.out(`Stopped: ${counts} so far. The next run resumes from there.`);
        return 0;
      case 'locked':
        io.err(`Another instance is syncing ${teamId} right now; nothing done. (A run that was killed keeps the others out until its lease ends: CRM_SYNC_LEASE_SECONDS after its last page.)`);
        return 1;
      case 'not-connected':
        io.err(`Workspace ${teamId} has no active CRM connection.`);
        return 1;
      case 'failed':
        io.err(`Sync of ${teamId} failed (${result.status ?? 'failing'}): ${result.error ?? 'unknown error'}. ${counts} were stored before it.`);
        if (result.nextAttemptAt) io.err(`The scheduler tries again after ${result.nextAttemptAt.toISOString()}.`);
        return 1;
    }
  } catch (e) {
    io.err(failureMessage('sync', e));
    return 1;
  } finally {
    await db.close();
  }
}

if (isEntryPoint(import.meta.url)) {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const code = await runSyncCli(
    process.argv.slice(2),
    process.env,
    { out: (l) => console.log(l), err: (l) => console.error(l), errRaw: (t) => process.stderr.write(t), isTTY: process.stderr.isTTY === true },
    { signal: controller.signal },
  );
  process.exitCode = code;
}
