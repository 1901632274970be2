import { escapeMrkdwn } from './limits.js';

const VENDOR_NAMES: Readonly<Record<string, string>> = { hubspot: 'HubSpot', pipedrive: 'Pipedrive', salesforce: 'Salesforce' };

/**
 * The one message an admin gets when a CRM sync starts failing or its credentials stop working
 * (sent once per failing spell, src/domain/crm/crm-mapping.ts `shouldNotifyAdmin`). The error is
 * the stored, redacted text, escaped here.
 *
 * @example crmFailureNotice({ vendor: 'hubspot', status: 'revoked', error: '401 Unauthorized' }).text
 * // ':warning: HubSpot stopped accepting the app's credentials (401 Unauthorized). …'
 */
export function crmFailureNotice(n: { vendor: string; status: string | null; error: string }): { text: string } {
  const name = VENDOR_NAMES[n.vendor] ?? n.vendor;
  const error = escapeMrkdwn(n.error);
  if (n.status === 'revoked') {
    return { text: `:warning: ${name} stopped accepting the app's credentials (${error}). Deals are no longer synced until an admin connects ${name} again.` };
  }
  return { text: `:warning: The ${name} sync is failing (${error}). It keeps retrying with a growing delay; you will not be told again until it recovers.` };
}
