import { GENERIC_REQUIRED_COLUMNS, normalizeHeader } from './generic.js';
import { isLeadCountHeader } from './lead-counts.js';
import { compactHeader } from './crm-export.js';
import { HUBSPOT_EXPORT } from './hubspot-export.js';
import { PIPEDRIVE_EXPORT } from './pipedrive-export.js';
import { SALESFORCE_EXPORT } from './salesforce-export.js';
import { MAVEN_ACCOUNTS_COLUMNS, MAVEN_PRODUCTS_COLUMNS, MAVEN_TEAMS_COLUMNS } from './maven-crm.js';

/** What a CSV file is, judged by its header. */
export type TCsvKind =
  | 'maven-pipeline'
  | 'maven-teams'
  | 'maven-products'
  | 'maven-accounts'
  | 'maven-dictionary'
  | 'salesforce'
  | 'hubspot'
  | 'pipedrive'
  | 'generic'
  | 'lead-counts'
  | 'unknown';

/**
 * Recognises a file by its header: the four Maven CRM files (and its data dictionary), a CRM
 * export (Salesforce Opportunity, HubSpot deals, Pipedrive deals: see `*-export.ts`), a generic
 * deals file (has `external_id`), a lead-count file (`period`, `count`, optional `team`, `rep`,
 * `source`: see domain/imports/lead-counts.ts), or unknown.
 *
 * @example detectCsvKind(['period', 'count', 'team', 'source']) // 'lead-counts'
 * @example detectCsvKind(['opportunity_id', 'sales_agent', 'product', 'account', 'deal_stage', 'engage_date', 'close_date', 'close_value']) // 'maven-pipeline'
 * @example detectCsvKind(['Id', 'Name', 'Amount', 'StageName', 'IsWon', 'IsClosed', 'CloseDate']) // 'salesforce'
 * @example detectCsvKind(['Deal - ID', 'Deal - Title', 'Deal - Value', 'Deal - Status']) // 'pipedrive'
 */
export function detectCsvKind(columns: readonly string[]): TCsvKind {
  const cols = new Set(columns.map(normalizeHeader));
  const all = (wanted: readonly string[]): boolean => wanted.every((c) => cols.has(c));
  if (cols.has('opportunity_id') && cols.has('deal_stage')) return 'maven-pipeline';
  if (all(MAVEN_TEAMS_COLUMNS) && cols.size === MAVEN_TEAMS_COLUMNS.length) return 'maven-teams';
  if (all(MAVEN_PRODUCTS_COLUMNS) && !cols.has('deal_stage')) return 'maven-products';
  if (all(MAVEN_ACCOUNTS_COLUMNS) && !cols.has('deal_stage')) return 'maven-accounts';
  if (all(['table', 'field', 'description']) && cols.size === 3) return 'maven-dictionary';
  if (isLeadCountHeader(columns)) return 'lead-counts';
  const compact = new Set(columns.map(compactHeader));
  if (!cols.has('external_id')) {
    for (const spec of [PIPEDRIVE_EXPORT, HUBSPOT_EXPORT, SALESFORCE_EXPORT]) if (spec.detect(compact)) return spec.vendor;
  }
  if (cols.has('external_id') || GENERIC_REQUIRED_COLUMNS.filter((c) => cols.has(c)).length >= 3) return 'generic';
  return 'unknown';
}

