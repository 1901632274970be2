import { closedStatusOfStage, crmExportMapping, readBoolean, type TCrmExportSpec } from './crm-export.js';
import { FieldError } from './fields.js';
import type { TImportMapping } from './types.js';

/**
 * A Salesforce Opportunity export: a Data Loader / Data Export `Opportunity.csv` (API names: `Id`,
 * `Name`, `AccountId`, `Amount`, `CurrencyIsoCode`, `StageName`, `IsWon`, `IsClosed`, `CloseDate`,
 * `CreatedDate`, `Type`, `OwnerId`; related fields as `Account.Name`, `Owner.Email`, `Owner.Name`)
 * or an Opportunities report exported as CSV (labels: `Opportunity ID`, `Opportunity Name`,
 * `Account Name`, `Stage`, `Won`, `Closed`, `Close Date`, `Created Date`, `Opportunity Owner`,
 * `Opportunity Currency`, a custom `Loss Reason` / `Loss_Reason__c`).
 *
 * Facts it relies on (checked, issue #10):
 * - /work/shared/product/INTEGRATIONS.md (Salesforce): the Opportunity fields above;
 *   `CurrencyIsoCode` exists in multi-currency orgs only (otherwise the org's one currency: the
 *   workspace's is assumed); a Data Export `Opportunity.csv` quotes every field, writes booleans as
 *   `0`/`1`, empty ids as `000000000000000AAA`, date-times as `YYYY-MM-DD HH:MM:SS`, and may hold
 *   HTML with doubled quotes (the CSV reader handles quoting).
 * - Salesforce Data Loader guide, "Data Types Supported by Data Loader"
 *   (developer.salesforce.com/docs/atlas.en-us.dataLoader.meta/dataLoader/supported_data_types.htm):
 *   booleans are yes/y/true/on/1 and no/n/false/off/0 (case-insensitive); dates `yyyy-MM-dd`,
 *   date-times `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`, `yyyy-MM-dd HH:mm:ss`, offsets as `+/-HHmm`.
 * - Salesforce Help 000385916 ("Set the Date and Time timezone during import…"): date-times are
 *   stored in UTC and the API returns them in UTC, so a date-time without a zone is read as UTC.
 *   `CloseDate` is a date (no time): noon in the workspace's zone, like every date-only value.
 *
 * Won/lost: `IsWon`/`IsClosed` when the file has them (IsWon true → won, closed and not won →
 * lost, not closed → open; IsWon true on an open deal is refused), else the stage name
 * (`Closed Won` / `Closed Lost`; any other stage is open). `Type`: "New Customer" → new,
 * "Existing Customer - Upgrade/Replacement/Downgrade" → upsell, "Renewal" → renewal.
 * A row with `IsDeleted` true (a Data Export that includes deleted records) is refused with its line.
 * Owner: the owner's name (`Owner.Name`, `Opportunity Owner`), so the same rep in a HubSpot or
 * Pipedrive export or the generic file is the same rep here; else `Owner.Email`; else `OwnerId`.
 */
export const SALESFORCE_EXPORT: TCrmExportSpec = {
  vendor: 'salesforce',
  name: 'salesforce',
  label: 'Salesforce Opportunity export',
  columns: {
    id: ['id', 'opportunityid'],
    title: ['name', 'opportunityname'],
    customer: ['accountname'],
    amount: ['amount'],
    currency: ['currencyisocode', 'opportunitycurrency', 'amountcurrency'],
    stage: ['stagename', 'stage'],
    isWon: ['iswon', 'won'],
    isClosed: ['isclosed', 'closed'],
    isDeleted: ['isdeleted'],
    closedAt: ['closedate'],
    createdAt: ['createddate'],
    type: ['type', 'opportunitytype'],
    owner: ['ownername', 'opportunityowner', 'owner', 'owneremail', 'opportunityowneremail', 'ownerid'],
    lostReason: ['lossreason', 'lossreasonc', 'lostreason', 'lostreasonc', 'closedlostreason'],
  },
  required: ['id', 'title', 'amount', 'stage', 'owner'],
  zonelessTimes: 'utc',
  emptyIds: ['000000000000000AAA'],
  status(cells) {
    const won = readBoolean(cells.column('isWon'), cells.get('isWon'));
    const closed = readBoolean(cells.column('isClosed'), cells.get('isClosed'));
    if (won === true) {
      if (closed === false) throw new FieldError(cells.column('isClosed'), 'contradicts', `${cells.column('isWon')} is true but ${cells.column('isClosed')} is false`);
      return 'won';
    }
    if (closed === true) return 'lost';
    if (closed === false) return 'open';
    return closedStatusOfStage(cells.get('stage')) ?? 'open';
  },
  detect: (c) => (c.has('stagename') && c.has('id')) || ((c.has('opportunityname') || c.has('opportunityid')) && c.has('stage')),
};

/** The Salesforce Opportunity export mapping (see SALESFORCE_EXPORT). */
export function salesforceExportMapping(): TImportMapping {
  return crmExportMapping(SALESFORCE_EXPORT);
}
