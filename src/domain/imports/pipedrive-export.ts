import { crmExportMapping, compactHeader, type TCrmExportSpec } from './crm-export.js';
import { FieldError } from './fields.js';
import type { TImportMapping } from './types.js';

/**
 * A Pipedrive deals export (Deals list view > Export to CSV/XLS): every column is prefixed with
 * its object, `Deal - ID`, `Deal - Title`, `Deal - Value`, `Deal - Currency`, `Deal - Status`,
 * `Deal - Stage`, `Deal - Pipeline`, `Deal - Organization`, `Deal - Owner`, `Deal - Won time`,
 * `Deal - Lost time`, `Deal - Close time` / `Deal - Deal closed on`, `Deal - Deal created` /
 * `Deal - Add time`, `Deal - Lost reason`.
 *
 * Facts it relies on (checked, issue #10):
 * - /work/shared/product/INTEGRATIONS.md (Pipedrive): deal status is `open` / `won` / `lost` /
 *   `deleted`, separate from the stage (a lost deal keeps the stage it was lost in).
 * - Public projects reading these exports (found with the code search): the column names above,
 *   `Deal - Status` values `open`/`won`/`lost` (sometimes capitalised), times such as
 *   `2026-03-01 10:00:00` with no zone, values as plain decimals (`8000`, `1234.50`).
 * - Pipedrive writes times in the exporting user's time zone, so a time without a zone is read in
 *   the workspace's zone (the team's).
 *
 * Won/lost: `Deal - Status`; a `deleted` deal is refused with its line (it is not a deal to count).
 * A lost deal's stage is the furthest stage it reached. No deal type column: every deal is new.
 */
export const PIPEDRIVE_EXPORT: TCrmExportSpec = {
  vendor: 'pipedrive',
  name: 'pipedrive',
  label: 'Pipedrive deals export',
  columns: {
    id: ['dealid'],
    title: ['dealtitle'],
    customer: ['dealorganization', 'dealorganisation', 'dealorganizationname', 'organizationname'],
    amount: ['dealvalue'],
    currency: ['dealcurrency'],
    status: ['dealstatus'],
    stage: ['dealstage'],
    wonAt: ['dealwontime'],
    lostAt: ['deallosttime'],
    closedAt: ['dealclosetime', 'dealdealclosedon', 'dealclosedon'],
    createdAt: ['dealdealcreated', 'dealaddtime', 'dealcreated'],
    owner: ['dealowneremail', 'dealowner'],
    lostReason: ['deallostreason'],
    pipeline: ['dealpipeline'],
  },
  required: ['id', 'title', 'amount', 'status', 'owner'],
  zonelessTimes: 'workspace',
  status(cells) {
    const text = cells.get('status');
    const s = compactHeader(text);
    if (s === 'open' || s === 'won' || s === 'lost') return s;
    if (s === 'deleted') throw new FieldError(cells.column('status'), 'deleted', `${cells.column('status')} is deleted: remove deleted deals from the export`);
    throw new FieldError(cells.column('status'), text ? 'unknown status' : 'missing', text ? `${cells.column('status')} "${text}" is not open, won or lost` : `${cells.column('status')} is empty`);
  },
  detect: (c) => c.has('dealid') && c.has('dealtitle') && c.has('dealstatus'),
};

/** The Pipedrive deals export mapping (see PIPEDRIVE_EXPORT). */
export function pipedriveExportMapping(): TImportMapping {
  return crmExportMapping(PIPEDRIVE_EXPORT);
}
