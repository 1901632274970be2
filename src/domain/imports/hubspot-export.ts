import { closedStatusOfStage, crmExportMapping, readBoolean, type TCrmExportSpec } from './crm-export.js';
import type { TImportMapping } from './types.js';

/**
 * A HubSpot deals export (CRM > Deals > Export, or the exports API `POST /crm/v3/exports/export/async`
 * with property labels): `Record ID`, `Deal Name`, `Deal Stage`, `Amount`, `Close Date`,
 * `Create Date`, `Deal owner`, `Pipeline`, `Deal Type`, `Currency`, `Associated Company`,
 * `Closed Lost Reason`, optionally `Is Closed Won` / `Is closed lost`, `Monthly recurring revenue`.
 *
 * Facts it relies on (checked, issue #10):
 * - /work/shared/product/INTEGRATIONS.md (HubSpot): the standard deal properties `dealname`,
 *   `amount`, `closedate`, `createdate`, `dealstage`, `pipeline`, `hubspot_owner_id`, `dealtype`
 *   (`newbusiness` / `existingbusiness`), `deal_currency_code`, `closed_lost_reason`, `hs_mrr`.
 * - HubSpot developer docs, CRM API | Exports (developers.hubspot.com/docs/api/crm/exports):
 *   exports are CSV/XLSX/XLS in a chosen language, with property labels or internal names, so the
 *   internal names (`dealname`, `dealstage`, `closedwon`) are accepted too.
 * - HubSpot knowledge base, "HubSpot's default deal properties": Close date is set when a deal
 *   moves into a closed-won or closed-lost stage (so closed deals carry it); Deal owner, Deal
 *   stage, Pipeline, Deal type, Closed lost reason are default properties.
 * - HubSpot FAQ on timestamps: times are stored in UTC and shown in the account's time zone, so a
 *   date-time in an export (`2024-03-15 10:22`) is read in the workspace's zone (the team's).
 *
 * Won/lost: `Is Closed Won` / `Is closed lost` when the file has them, else the stage: "Closed
 * Won" / `closedwon` → won, "Closed Lost" / `closedlost` → lost; custom closed stages with other
 * names read as open (rename them or add the Is Closed Won column). Deal Type: New Business → new,
 * Existing Business → upsell. Owner: the `Deal owner` name (or email).
 */
export const HUBSPOT_EXPORT: TCrmExportSpec = {
  vendor: 'hubspot',
  name: 'hubspot',
  label: 'HubSpot deals export',
  columns: {
    id: ['recordid', 'dealid', 'hsobjectid'],
    title: ['dealname'],
    customer: ['associatedcompany', 'associatedcompanyprimary', 'companyname'],
    amount: ['amount'],
    currency: ['currency', 'dealcurrencycode'],
    stage: ['dealstage'],
    isWon: ['isclosedwon', 'hsisclosedwon'],
    isLost: ['isclosedlost', 'hsisclosedlost'],
    closedAt: ['closedate'],
    createdAt: ['createdate'],
    type: ['dealtype'],
    owner: ['dealowneremail', 'dealowner', 'hubspotownerid'],
    lostReason: ['closedlostreason'],
    pipeline: ['pipeline'],
    recurring: ['monthlyrecurringrevenue', 'hsmrr'],
  },
  required: ['id', 'title', 'amount', 'stage', 'owner'],
  zonelessTimes: 'workspace',
  status(cells) {
    if (readBoolean(cells.column('isWon'), cells.get('isWon')) === true) return 'won';
    if (readBoolean(cells.column('isLost'), cells.get('isLost')) === true) return 'lost';
    return closedStatusOfStage(cells.get('stage')) ?? 'open';
  },
  detect: (c) => (c.has('recordid') || c.has('dealid') || c.has('hsobjectid')) && c.has('dealname') && c.has('dealstage'),
};

/** The HubSpot deals export mapping (see HUBSPOT_EXPORT). */
export function hubspotExportMapping(): TImportMapping {
  return crmExportMapping(HUBSPOT_EXPORT);
}
