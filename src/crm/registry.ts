import { z } from 'zod';
import type { TCrmCredentials } from '../domain/crm/credentials.js';
import { CrmSourceError, type TCrmSource, type TCrmUsage, type TCrmVendor } from '../domain/crm/crm-source.js';
import { createHubSpotSource } from './hubspot/hubspot-source.js';
import { createPipedriveSource } from './pipedrive/index.js';
import { createSalesforceSource } from './salesforce/salesforce-source.js';

/**
 * Builds a vendor's connector (`src/crm/<vendor>/`) from a stored connection: the one place the
 * CLI, the scheduler and Slack turn `(vendor, credentials)` into a `TCrmSource`.
 *
 * Stored credentials per vendor (sealed by `domain/crm/credentials.ts`, text values only):
 * - `hubspot`: `{ accessToken, portalId? }`: a private-app token (or an OAuth access token);
 *   `portalId` only builds links to deals in HubSpot's UI.
 * - `pipedrive`: `{ apiToken, appUrl? }`: a user's personal API token; `appUrl`
 *   (`https://acme.pipedrive.com`) only builds links to deals.
 * - `salesforce`: `{ accessToken, refreshToken?, instanceUrl, loginUrl?, clientId?, clientSecret? }`:
 *   what the OAuth web-server flow answered. The connected app's client id, secret and login URL
 *   come from the credentials when stored there, else from the app's configuration
 *   (`SALESFORCE_CLIENT_ID`, `SALESFORCE_CLIENT_SECRET`, `SALESFORCE_LOGIN_URL`, passed as
 *   `options.salesforceApp`). A refreshed access token (and a rotated refresh token) is handed to
 *   `onCredentialsChanged` as the whole new credentials object, to be sealed and stored.
 *
 * Credentials missing a required value do not throw here: the connector answers every call with an
 * 'auth' failure, so the sync records the connection as revoked and tells an admin once to
 * reconnect (the same path as a token the vendor revoked).
 */

/** The Salesforce connected app, from the environment (src/config.ts). */
export interface TSalesforceAppConfig {
  clientId: string;
  /** Absent for a connected app that does not require the secret on refresh (PKCE only). */
  clientSecret?: string;
  /** `https://login.salesforce.com`, `https://test.salesforce.com` or a My Domain URL. */
  loginUrl?: string;
}

export interface TCrmSourceOptions {
  /** API base URL override (sandbox, Salesforce instance URL, a loopback fake in tests). */
  baseUrl?: string;
  /** Timeout of every outbound call, in milliseconds. */
  timeoutMs: number;
  /**
   * Called when the connector obtained new credentials (a refreshed OAuth access token), so the
   * caller stores them sealed (`storeCrmCredentials`). Optional: a token-only connector never calls it.
   */
  onCredentialsChanged?: (next: TCrmCredentials) => Promise<void>;
  /** The Salesforce connected app (client id/secret, login URL) when the credentials do not carry it. */
  salesforceApp?: TSalesforceAppConfig;
  /** Waits out Retry-After and backoff (tests inject a short or recording sleep); default a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Deals per page, within each vendor's bounds (tests use small pages); default the vendor's best. */
  pageSize?: number;
}

export type TCrmSourceFactory = (credentials: TCrmCredentials, options: TCrmSourceOptions) => TCrmSource;

export const DEFAULT_PIPEDRIVE_URL = 'https://api.pipedrive.com';
export const DEFAULT_SALESFORCE_LOGIN_URL = 'https://login.salesforce.com';

const ZText = z.string().trim().min(1);
const ZUrlText = z.url().refine((u) => /^https?:\/\//.test(u));

/** HubSpot credentials as stored. */
export const ZHubSpotCredentials = z.object({ accessToken: ZText, portalId: ZText.optional() });
/** Pipedrive credentials as stored. */
export const ZPipedriveCredentials = z.object({ apiToken: ZText, appUrl: ZUrlText.optional() });
/** Salesforce credentials as stored. */
export const ZSalesforceCredentials = z.object({
  accessToken: ZText,
  refreshToken: ZText.optional(),
  instanceUrl: ZUrlText,
  loginUrl: ZUrlText.optional(),
  clientId: ZText.optional(),
  clientSecret: ZText.optional(),
});
export type THubSpotCredentials = z.infer<typeof ZHubSpotCredentials>;
export type TPipedriveCredentials = z.infer<typeof ZPipedriveCredentials>;
export type TSalesforceCredentials = z.infer<typeof ZSalesforceCredentials>;

const LABEL: Record<TCrmVendor, string> = { hubspot: 'HubSpot', pipedrive: 'Pipedrive', salesforce: 'Salesforce' };

/**
 * A connector that refuses every call with an 'auth' failure: what unusable stored credentials
 * give, so the sync marks the connection revoked and an admin is told to reconnect.
 */
function refusingSource(vendor: TCrmVendor, message: string): TCrmSource {
  const fail = (): Promise<never> => Promise.reject(new CrmSourceError('auth', message));
  const usage: TCrmUsage = { calls: 0, dailyRemaining: null, dailyLimit: null, throttled: 0 };
  return { vendor, listStages: fail, listOwners: fail, pullChanges: fail, usage: () => ({ ...usage }) };
}

/** Parses stored credentials; the names of the missing or bad fields only (never values). */
function parseCredentials<S extends z.ZodType>(vendor: TCrmVendor, schema: S, credentials: TCrmCredentials): { ok: true; value: z.infer<S> } | { ok: false; source: TCrmSource } {
  const parsed = schema.safeParse(credentials);
  if (parsed.success) return { ok: true, value: parsed.data };
  const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || 'credentials'))].join(', ');
  return { ok: false, source: refusingSource(vendor, `The stored ${LABEL[vendor]} credentials are incomplete (${fields}): an admin connects ${LABEL[vendor]} again.`) };
}

const hubspotFactory: TCrmSourceFactory = (credentials, options) => {
  const c = parseCredentials('hubspot', ZHubSpotCredentials, credentials);
  if (!c.ok) return c.source;
  return createHubSpotSource({
    accessToken: c.value.accessToken,
    timeoutMs: options.timeoutMs,
    portalId: c.value.portalId ?? null,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
  });
};

const pipedriveFactory: TCrmSourceFactory = (credentials, options) => {
  const c = parseCredentials('pipedrive', ZPipedriveCredentials, credentials);
  if (!c.ok) return c.source;
  const sleep = options.sleep;
  return createPipedriveSource({
    apiToken: c.value.apiToken,
    baseUrl: options.baseUrl ?? DEFAULT_PIPEDRIVE_URL,
    timeoutMs: options.timeoutMs,
    ...(c.value.appUrl ? { appUrl: c.value.appUrl } : {}),
    ...(sleep ? { sleep: (ms: number) => sleep(ms) } : {}),
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
  });
};

const salesforceFactory: TCrmSourceFactory = (credentials, options) => {
  const c = parseCredentials('salesforce', ZSalesforceCredentials, credentials);
  if (!c.ok) return c.source;
  const stored = c.value;
  const clientId = stored.clientId ?? options.salesforceApp?.clientId;
  if (!clientId) return refusingSource('salesforce', 'No Salesforce connected app is configured (SALESFORCE_CLIENT_ID): the access token cannot be refreshed.');
  const clientSecret = stored.clientSecret ?? options.salesforceApp?.clientSecret;
  const loginUrl = stored.loginUrl ?? options.salesforceApp?.loginUrl ?? DEFAULT_SALESFORCE_LOGIN_URL;
  // The latest credentials: a second refresh in the same process stores on top of the first one's.
  let current: TCrmCredentials = { ...credentials };
  const onChanged = options.onCredentialsChanged;
  return createSalesforceSource({
    instanceUrl: options.baseUrl ?? stored.instanceUrl,
    accessToken: stored.accessToken,
    refreshToken: stored.refreshToken ?? null,
    oauth: { loginUrl, clientId, ...(clientSecret ? { clientSecret } : {}) },
    timeoutMs: options.timeoutMs,
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
    onTokenRefresh: async (accessToken, details) => {
      const next: Record<string, string> = { ...current, accessToken, instanceUrl: details.instanceUrl };
      if (details.refreshToken) next['refreshToken'] = details.refreshToken;
      current = next;
      await onChanged?.(next);
    },
  });
};

/** The connectors wired in; a vendor missing here answers "connector not available". */
const FACTORIES: Partial<Record<TCrmVendor, TCrmSourceFactory>> = {
  hubspot: hubspotFactory,
  pipedrive: pipedriveFactory,
  salesforce: salesforceFactory,
};

export class CrmConnectorUnavailableError extends Error {
  constructor(readonly vendor: string) {
    super(`The ${vendor} connector is not available in this build of the app.`);
    this.name = 'CrmConnectorUnavailableError';
  }
}

/**
 * The connector for a vendor, built with these credentials and options.
 *
 * @example
 * const source = createCrmSource('hubspot', { accessToken: 'pat-na1-…' }, { timeoutMs: 30_000 });
 * @throws CrmConnectorUnavailableError when the vendor's connector is not wired in
 */
export function createCrmSource(vendor: TCrmVendor, credentials: TCrmCredentials, options: TCrmSourceOptions): TCrmSource {
  const factory = Object.hasOwn(FACTORIES, vendor) ? FACTORIES[vendor] : undefined;
  if (!factory) throw new CrmConnectorUnavailableError(String(vendor));
  return factory(credentials, options);
}

/** Whether a vendor's connector is wired in. */
export function isCrmConnectorAvailable(vendor: TCrmVendor): boolean {
  return Object.hasOwn(FACTORIES, vendor) && FACTORIES[vendor] !== undefined;
}
