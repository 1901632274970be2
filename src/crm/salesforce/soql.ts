import { z } from 'zod';
import type { TCrmDeal, TCrmStageEntry } from '../../domain/crm/crm-source.js';

/**
 * Pure pieces of the Salesforce connector: SOQL text, record mapping, the resumable cursor and the
 * `Sforce-Limit-Info` header. No I/O here; `salesforce-source.ts` sends what these build.
 */

/** Salesforce custom field API names: letters, digits, underscores, ending in `__c` (or standard names). */
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;

/**
 * Checks a configured field name before it goes into SOQL (no quoting exists for field names).
 *
 * @example
 * assertFieldName('Loss_Reason__c') // 'Loss_Reason__c'
 * assertFieldName('Name, (SELECT Id FROM Tasks)') // throws
 */
export function assertFieldName(name: string): string {
  if (!FIELD_NAME.test(name)) throw new Error(`Not a Salesforce field API name: ${JSON.stringify(name.slice(0, 40))}`);
  return name;
}

/**
 * A SOQL dateTime literal (unquoted, UTC, whole seconds: SOQL's documented forms carry no fraction).
 *
 * @example
 * soqlDateTime(new Date('2025-03-04T05:06:07.890Z')) // '2025-03-04T05:06:07Z'
 */
export function soqlDateTime(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}

/**
 * A SOQL string literal: backslash escapes for quote, backslash and line breaks.
 *
 * @example
 * soqlString("O'Brien") // "'O\\'Brien'"
 */
export function soqlString(value: string): string {
  const escaped = value.replace(/[\\'"\n\r\t]/g, (c) => ({ '\\': '\\\\', "'": "\\'", '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? c);
  return `'${escaped}'`;
}

export interface TOpportunityQueryOptions {
  /** Lower bound on SystemModstamp; null for a full load. */
  since: Date | null;
  /** `>=` (default, ties re-read and deduplicated by the cursor) or `>` after a tie-list overflow. */
  strict?: boolean;
  multiCurrency: boolean;
  lostReasonField: string | null;
  recurringMonthlyField: string | null;
}

/** The Opportunity fields every pull selects (plus CurrencyIsoCode and configured custom fields). */
export const OPPORTUNITY_FIELDS = [
  'Id',
  'Name',
  'Account.Name',
  'Amount',
  'StageName',
  'IsClosed',
  'IsWon',
  'CloseDate',
  'CreatedDate',
  'Type',
  'OwnerId',
  'SystemModstamp',
  'IsDeleted',
] as const;

/**
 * The Opportunity pull. `SystemModstamp >= since` (not `>`): records stamped in the same second as
 * the previous run's last record may commit after that run read them; the cursor's `skip` list drops
 * the ones already delivered, so ties are neither lost nor delivered twice.
 *
 * @example
 * buildOpportunityQuery({ since: new Date('2025-01-01T00:00:00Z'), multiCurrency: false, lostReasonField: null, recurringMonthlyField: null })
 * // 'SELECT Id, Name, Account.Name, Amount, StageName, IsClosed, IsWon, CloseDate, CreatedDate, Type, OwnerId, SystemModstamp, IsDeleted FROM Opportunity WHERE SystemModstamp >= 2025-01-01T00:00:00Z ORDER BY SystemModstamp, Id'
 */
export function buildOpportunityQuery(options: TOpportunityQueryOptions): string {
  const fields: string[] = [...OPPORTUNITY_FIELDS];
  if (options.multiCurrency) fields.push('CurrencyIsoCode');
  if (options.lostReasonField) fields.push(assertFieldName(options.lostReasonField));
  if (options.recurringMonthlyField) fields.push(assertFieldName(options.recurringMonthlyField));
  const where = options.since ? ` WHERE SystemModstamp ${options.strict ? '>' : '>='} ${soqlDateTime(options.since)}` : '';
  return `SELECT ${fields.join(', ')} FROM Opportunity${where} ORDER BY SystemModstamp, Id`;
}

/**
 * Splits ids into `IN (...)` lists that keep the GET URL well under Salesforce's URI length limit
 * (about 16 KB): each id costs ~27 URL-encoded characters, so 300 ids stay near 8 KB.
 *
 * @example
 * chunkIds(['a', 'b', 'c'], 2) // [['a', 'b'], ['c']]
 */
export function chunkIds(ids: readonly string[], size = 300): string[][] {
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += size) chunks.push(ids.slice(i, i + size));
  return chunks;
}

/**
 * The stage-history query for one chunk of opportunity ids, oldest change first.
 *
 * @example
 * buildHistoryQuery(['006A', '006B']) // "SELECT OpportunityId, StageName, CreatedDate FROM OpportunityHistory WHERE OpportunityId IN ('006A', '006B') ORDER BY CreatedDate"
 */
export function buildHistoryQuery(ids: readonly string[]): string {
  return `SELECT OpportunityId, StageName, CreatedDate FROM OpportunityHistory WHERE OpportunityId IN (${ids.map(soqlString).join(', ')}) ORDER BY CreatedDate`;
}

/**
 * Salesforce `Type` picklist text onto the app's deal type. Orgs rename the picklist; the standard
 * values are "New Customer", "Existing Customer - Upgrade/Replacement/Downgrade", and many orgs use
 * "New Business", "Existing Business", "Renewal". Unknown values map to null.
 *
 * @example
 * mapOpportunityType('New Business') // 'new'
 * mapOpportunityType('Existing Customer - Upgrade') // 'upsell'
 * mapOpportunityType('Renewal') // 'renewal'
 * mapOpportunityType('Existing Customer - Downgrade') // null (not an upsell)
 * mapOpportunityType('Partner Referral') // null
 */
export function mapOpportunityType(type: string | null | undefined): TCrmDeal['type'] {
  if (!type) return null;
  const t = type.toLowerCase();
  if (/downgrade|replacement|churn/.test(t)) return null;
  if (t.includes('renew')) return 'renewal';
  if (/\bnew\b/.test(t)) return 'new';
  if (/upsell|upgrade|expansion|cross.?sell|add.?on|existing (business|customer)/.test(t)) return 'upsell';
  return null;
}

/**
 * Stage-entry times from OpportunityHistory rows (oldest first): each row snapshots the stage after
 * any tracked change (amount, close date…), so repeats of the same stage are not new entries.
 *
 * @example
 * stageEntries([{ StageName: 'A', CreatedDate: '2025-01-01T00:00:00.000+0000' }, { StageName: 'A', CreatedDate: '2025-01-02T00:00:00.000+0000' }, { StageName: 'B', CreatedDate: '2025-01-03T00:00:00.000+0000' }])
 * // [{ stageId: 'A', enteredAt: 2025-01-01 }, { stageId: 'B', enteredAt: 2025-01-03 }]
 */
export function stageEntries(rows: ReadonlyArray<{ StageName: string | null; CreatedDate: string }>): TCrmStageEntry[] {
  const out: TCrmStageEntry[] = [];
  for (const row of rows) {
    if (!row.StageName) continue;
    if (out.at(-1)?.stageId === row.StageName) continue;
    out.push({ stageId: row.StageName, enteredAt: parseSalesforceDateTime(row.CreatedDate) });
  }
  return out;
}

/**
 * Salesforce's dateTime text (`2025-01-02T03:04:05.000+0000`) as a Date.
 *
 * @example
 * parseSalesforceDateTime('2025-01-02T03:04:05.000+0000').toISOString() // '2025-01-02T03:04:05.000Z'
 */
export function parseSalesforceDateTime(text: string): Date {
  const normalized = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const at = new Date(normalized);
  if (Number.isNaN(at.getTime())) throw new Error(`Unreadable Salesforce dateTime: ${JSON.stringify(text.slice(0, 40))}`);
  return at;
}

/**
 * A Salesforce date (`2025-03-31`) as UTC midnight.
 *
 * @example
 * parseSalesforceDate('2025-03-31').toISOString() // '2025-03-31T00:00:00.000Z'
 */
export function parseSalesforceDate(text: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) throw new Error(`Unreadable Salesforce date: ${JSON.stringify(text.slice(0, 20))}`);
  return new Date(`${text}T00:00:00.000Z`);
}

/**
 * A JSON number from Salesforce as decimal text without float noise (Amount is currency(16,2), so its
 * shortest round-trip text is exact).
 *
 * @example
 * decimalText(12000.5) // '12000.5'
 * decimalText(null) // null
 */
export function decimalText(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    const text = String(value);
    return /e/i.test(text) ? value.toFixed(2) : text;
  }
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return value;
  return null;
}

/**
 * The org's daily API allowance from `Sforce-Limit-Info` (documented forms: `api-usage=18/5000`,
 * `api-usage=25/5000; per-app-api-usage=17/250(appName=…)`, `api-usage=110018/100000; api-bursts=1/750`).
 * The per-app quota is not the org's allowance and is ignored.
 *
 * @example
 * parseLimitInfo('api-usage=25/15000') // { used: 25, limit: 15000 }
 * parseLimitInfo('per-app-api-usage=17/250(appName=x)') // null
 * parseLimitInfo(undefined) // null
 */
export function parseLimitInfo(header: string | null | undefined): { used: number; limit: number } | null {
  const match = header ? /(?:^|[;,\s])api-usage=(\d+)\/(\d+)/.exec(header) : null;
  if (!match?.[1] || !match[2]) return null;
  return { used: Number(match[1]), limit: Number(match[2]) };
}

/**
 * `Retry-After` as seconds (delta-seconds or an HTTP date against `now`); null when absent or unreadable.
 *
 * @example
 * parseRetryAfter('7', new Date()) // 7
 * parseRetryAfter('Wed, 21 Oct 2025 07:28:05 GMT', new Date('2025-10-21T07:28:00Z')) // 5
 */
export function parseRetryAfter(header: string | null | undefined, now: Date): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

/** Keys of records already delivered at the watermark second; beyond this many, ties fall back to `>`. */
export const MAX_SKIP_KEYS = 500;

export const ZSalesforceCursor = z.object({
  v: z.literal(1),
  /** Inclusive SystemModstamp lower bound of the current run (ISO); null for a full load. */
  since: z.string().nullable(),
  /** `id@SystemModstamp` of records delivered by the previous run in `since`'s second. */
  skip: z.array(z.string()),
  /** When true the previous run's tie list overflowed: records exactly at `since` are skipped as a whole. */
  strict: z.boolean(),
  /** The locator URL of the next batch of the current run, or null at the start of a run. */
  next: z.string().nullable(),
  /** Latest SystemModstamp delivered in the current run (ISO), or null before any. */
  hi: z.string().nullable(),
  /** `id@SystemModstamp` delivered in the current run within `hi`'s second. */
  tail: z.array(z.string()),
  /** True when the current run's `hi` second held more than MAX_SKIP_KEYS records (tail dropped). */
  tailOverflow: z.boolean(),
  total: z.number().int().nullable(),
});
export type TSalesforceCursor = z.infer<typeof ZSalesforceCursor>;

/**
 * Reads a stored cursor; null means a full load. Throws on a cursor this connector did not write.
 *
 * @example
 * readCursor(null).since // null
 */
export function readCursor(text: string | null): TSalesforceCursor {
  if (text === null) return { v: 1, since: null, skip: [], strict: false, next: null, hi: null, tail: [], tailOverflow: false, total: null };
  return ZSalesforceCursor.parse(JSON.parse(text));
}

/** Whole-second bucket of an ISO/Salesforce timestamp (the SOQL literal's precision). */
export function secondOf(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}
