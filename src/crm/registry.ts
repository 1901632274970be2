import type { TCrmCredentials } from '../domain/crm/credentials.js';
import type { TCrmSource, TCrmVendor } from '../domain/crm/crm-source.js';

/**
 * Builds a vendor's connector (`src/crm/<vendor>/`) from a stored connection: the one place the
 * CLI, the scheduler and Slack turn `(vendor, credentials)` into a `TCrmSource`. Each connector
 * registers its factory in `FACTORIES` below.
 */

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
}

export type TCrmSourceFactory = (credentials: TCrmCredentials, options: TCrmSourceOptions) => TCrmSource;

/** The connectors wired in; a vendor missing here answers "connector not available". */
const FACTORIES: Partial<Record<TCrmVendor, TCrmSourceFactory>> = {};

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
 * const source = createCrmSource('hubspot', { token }, { timeoutMs: 30_000 });
 * @throws CrmConnectorUnavailableError when the vendor's connector is not wired in
 */
export function createCrmSource(vendor: TCrmVendor, credentials: TCrmCredentials, options: TCrmSourceOptions): TCrmSource {
  const factory = FACTORIES[vendor];
  if (!factory) throw new CrmConnectorUnavailableError(vendor);
  return factory(credentials, options);
}

/** Whether a vendor's connector is wired in. */
export function isCrmConnectorAvailable(vendor: TCrmVendor): boolean {
  return FACTORIES[vendor] !== undefined;
}
