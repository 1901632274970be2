import { AppError } from '../../errors.js';
import type { Db } from '../../storage/db.js';
import { upsertCrmConnection } from '../../storage/queries/crm-connections.js';
import { CRM_VENDORS } from './crm-mapping.js';
import { sealCredentials, type TCrmCredentials, type TCrmKeyRing } from './credentials.js';
import type { TCrmVendor } from './crm-source.js';

export interface ConnectCrmOptions {
  db: Db;
  workspaceId: number;
  vendor: TCrmVendor;
  /** Stored sealed with the ring's current key; never logged, never shown back. */
  credentials: TCrmCredentials;
  keyRing: TCrmKeyRing;
  /** API base URL override (sandbox, Salesforce instance, a loopback fake). */
  baseUrl?: string | null;
  now: Date;
}

/**
 * Connects a workspace to a CRM (or replaces its connection): credentials sealed at rest, status
 * active, the next sync a full load unless the same vendor was connected before (its cursor kept).
 *
 * @example
 * await connectCrm({ db, workspaceId: ws.id, vendor: 'hubspot', credentials: { token }, keyRing, now });
 */
export async function connectCrm(opts: ConnectCrmOptions): Promise<{ connectionId: number }> {
  if (!CRM_VENDORS.includes(opts.vendor)) throw new AppError('INVALID_INPUT', `Unknown CRM "${String(opts.vendor)}": use ${CRM_VENDORS.join(', ')}.`, { i18n: { key: 'error.crm.unknownVendor', values: { vendor: String(opts.vendor), vendors: CRM_VENDORS.join(', ') } } });
  if (opts.baseUrl) {
    let url: URL;
    try {
      url = new URL(opts.baseUrl);
    } catch {
      throw new AppError('INVALID_INPUT', 'The CRM base URL must be an http(s) URL.', { i18n: { key: 'error.crm.baseUrl' } });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new AppError('INVALID_INPUT', 'The CRM base URL must be an http(s) URL.', { i18n: { key: 'error.crm.baseUrl' } });
  }
  const row = await upsertCrmConnection(opts.db, {
    workspaceId: opts.workspaceId,
    vendor: opts.vendor,
    credentials: sealCredentials(opts.keyRing, opts.workspaceId, opts.credentials),
    baseUrl: opts.baseUrl ?? null,
    now: opts.now,
  });
  return { connectionId: row.id };
}
