/** CSV import of deals (issue 3 item 6): mappings, the `importDeals` use case and its report. */
export { parseCsv } from './csv.js';
export { detectCsvKind, type TCsvKind } from './detect.js';
export { formatImportReport } from './format-report.js';
export { compactHeader, crmDealType, crmExportMapping, closedStatusOfStage, funnelStageOf, readBoolean, type TCrmExportSpec, type TCrmExportVendor } from './crm-export.js';
export { HUBSPOT_EXPORT, hubspotExportMapping } from './hubspot-export.js';
export { PIPEDRIVE_EXPORT, pipedriveExportMapping } from './pipedrive-export.js';
export { SALESFORCE_EXPORT, salesforceExportMapping } from './salesforce-export.js';
export { GENERIC_OPTIONAL_COLUMNS, GENERIC_REQUIRED_COLUMNS, genericMapping, normalizeHeader } from './generic.js';
export { DEMO_TEAM_ID, DEMO_WORKSPACE, importDeals, type ImportDealsOptions, type TWorkspaceDefaults } from './import-deals.js';
export {
  MAVEN_ACCOUNTS_COLUMNS,
  MAVEN_PIPELINE_COLUMNS,
  MAVEN_PRODUCTS_COLUMNS,
  MAVEN_TEAMS_COLUMNS,
  NO_ACCOUNT,
  mavenCrmMapping,
  mavenImportKey,
  mavenTeamName,
  type TMavenSideFiles,
} from './maven-crm.js';
export { importMavenFolder, readMavenFolder } from './maven-folder.js';
export { importLeadCounts, isLeadCountHeader, LEAD_COUNT_OPTIONAL_COLUMNS, LEAD_COUNT_REQUIRED_COLUMNS, type ImportLeadCountsOptions } from './lead-counts.js';
export type * from './types.js';
