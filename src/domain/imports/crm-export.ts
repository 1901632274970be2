import { isAppError } from '../../errors.js';
import { crmExternalId } from '../crm/crm-mapping.js';
import type { TDealStatus, TDealType } from '../deals/schemas.js';
import { parseStage } from '../deals/stages.js';
import { cleanName } from '../deals/text-input.js';
import { decimalTextToMinor, MAX_AMOUNT_MINOR, normalizeCurrency } from '../money.js';
import { clean, dateReader, FieldError, issueFrom, plural } from './fields.js';
import { ownerRef } from './generic.js';
import type { TCsvRow, TDealDraft, TImportMapping, TMappedRows, TMappingContext, TRowIssue } from './types.js';

/**
 * The engine shared by the CRM export mappings (issue #10 item 7): a Salesforce Opportunity export
 * (`salesforce-export.ts`), a HubSpot deals export (`hubspot-export.ts`) and a Pipedrive deals
 * export (`pipedrive-export.ts`). Each vendor module only says which of its columns hold what
 * (`TCrmExportSpec`), how won/lost is read, and how its date-times without a zone are meant; this
 * engine turns a row into the same `TDealDraft` the generic import produces, so the pipeline
 * (`importDeals`: refusal with line numbers, idempotency, currency conversion) is the same.
 *
 * - Identity: the deal's `externalId` is `<vendor>:<record id>` (`crmExternalId`), with the vendor
 *   as `source`: the form the live sync stores, so re-importing the same export changes nothing, a
 *   later export updates deals in place, and connecting that CRM afterwards takes these deals over
 *   instead of counting them twice.
 * - Amounts: plain decimal text (`1234.56`, `1,234.56`) read exactly by `decimalTextToMinor` in the
 *   row's currency (any ISO 4217 code) or the workspace's; other text is refused with its line.
 *   An empty amount is 0 (allowed on open and lost deals, refused on won ones, like the generic file).
 * - Owners: by the owner column the way the generic import does (a Slack id, or a rep's name or
 *   email: importKey `csv:<text>`, linked to the one existing rep with exactly that name).
 * - Stages: won/lost from the vendor's flags or stage names; an open deal's stage name goes to the
 *   workspace funnel stage of that name or alias, else by its words (proposal/quote/contract/
 *   negotiation → proposal, demo/presentation/trial → demo, contact/qualified/appointment/needs →
 *   contacted, lead/prospect → lead), else the first stage (counted in the report's notes).
 * - Closed deals need their close date; open deals' expected close dates are ignored. A creation
 *   time after the close date (same-day deals, a date-only close date at noon) becomes the close date.
 */

export type TCrmExportVendor = 'salesforce' | 'hubspot' | 'pipedrive';

/** What a column may hold; a spec names the vendor's columns for each. */
export type TCrmField =
  | 'id'
  | 'title'
  | 'customer'
  | 'amount'
  | 'currency'
  | 'stage'
  | 'status'
  | 'isWon'
  | 'isClosed'
  | 'isLost'
  | 'isDeleted'
  | 'closedAt'
  | 'wonAt'
  | 'lostAt'
  | 'createdAt'
  | 'type'
  | 'owner'
  | 'lostReason'
  | 'pipeline'
  | 'recurring';

/** One row's cells by field: '' when the file has no such column or the cell is empty. */
export interface TCrmCells {
  get(field: TCrmField): string;
  /** The header the field was read from (for messages), or the field name. */
  column(field: TCrmField): string;
  has(field: TCrmField): boolean;
}

export interface TCrmExportSpec {
  readonly vendor: TCrmExportVendor;
  /** Mapping name in reports and `--mapping`. */
  readonly name: string;
  /** For messages: "Salesforce Opportunity export". */
  readonly label: string;
  /** Column names per field, compacted (`compactHeader`), in order of preference. */
  readonly columns: Readonly<Partial<Record<TCrmField, readonly string[]>>>;
  /** Fields whose column the file must have. */
  readonly required: readonly TCrmField[];
  /** How a date-time without a zone (`2024-03-15 10:22`) is meant: UTC, or the workspace's zone. */
  readonly zonelessTimes: 'utc' | 'workspace';
  /** Ids that mean "none" (Salesforce writes empty ids as `000000000000000AAA`). */
  readonly emptyIds?: readonly string[];
  /** open / won / lost of a row; throws FieldError when the row contradicts itself. */
  status(cells: TCrmCells): TDealStatus;
  /** Whether a header (compacted column names) is this vendor's export. */
  detect(columns: ReadonlySet<string>): boolean;
}

/**
 * A header name reduced to lower-case letters and digits, so `Deal - Won time`, `Account.Name`
 * and `Loss_Reason__c` compare as `dealwontime`, `accountname`, `lossreasonc`.
 *
 * @example compactHeader('Deal - Won time') // 'dealwontime'
 */
export function compactHeader(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * A boolean cell as CRM exports write it: true/false, 1/0, yes/no (y/n, on/off: Data Loader's
 * list); null when empty; anything else is a FieldError.
 *
 * @example readBoolean('IsWon', '1') // true
 * @example readBoolean('IsWon', 'FALSE') // false
 */
export function readBoolean(column: string, text: string): boolean | null {
  const t = text.trim().toLowerCase();
  if (t === '') return null;
  if (['true', '1', 'yes', 'y', 'on'].includes(t)) return true;
  if (['false', '0', 'no', 'n', 'off'].includes(t)) return false;
  throw new FieldError(column, 'not a boolean', `${column} "${text.trim()}" is not true/false (or 1/0)`);
}

/**
 * Won or lost from a stage name such as `Closed Won`, `closedwon`, `Closed Lost`; null otherwise.
 *
 * @example closedStatusOfStage('Closed Won') // 'won'
 * @example closedStatusOfStage('Negotiation/Review') // null
 */
export function closedStatusOfStage(stage: string): 'won' | 'lost' | null {
  const s = compactHeader(stage);
  if (s === 'closedwon' || s === 'won') return 'won';
  if (s === 'closedlost' || s === 'lost') return 'lost';
  return null;
}

/**
 * The deal type from a CRM's type text: renewal words → renewal; existing business, upgrade,
 * upsell, expansion, cross-sell, add-on → upsell; new business / new customer or empty → new;
 * anything else → null (the caller counts it and uses new).
 *
 * @example crmDealType('Existing Customer - Upgrade') // 'upsell'
 * @example crmDealType('newbusiness') // 'new'
 */
export function crmDealType(text: string): TDealType | null {
  const t = compactHeader(text);
  if (t === '') return 'new';
  if (t.includes('renew')) return 'renewal';
  if (/existing|upgrade|upsell|expansion|crosssell|addon/.test(t)) return 'upsell';
  if (t.includes('new')) return 'new';
  return null;
}

const STAGE_WORDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/proposal|quote|contract|negotiat|commit/, 'proposal'],
  [/demo|presentation|trial|evaluation/, 'demo'],
  [/contact|qualif|appointment|needs|discovery|meeting/, 'contacted'],
  [/lead|prospect/, 'lead'],
];

/**
 * The workspace funnel stage for a CRM stage name: the stage of that name or alias, else by its
 * words (when the funnel has that stage); null when nothing fits.
 *
 * @example funnelStageOf('Proposal/Price Quote', ['lead', 'contacted', 'demo', 'proposal']) // 'proposal'
 * @example funnelStageOf('Appointment Scheduled', ['lead', 'contacted', 'demo', 'proposal']) // 'contacted'
 */
export function funnelStageOf(name: string, stages: readonly string[]): string | null {
  const text = name.trim();
  if (!text) return null;
  try {
    return parseStage(text, stages);
  } catch (e) {
    if (!isAppError(e)) throw e;
  }
  const lower = text.toLowerCase();
  for (const [re, key] of STAGE_WORDS) if (re.test(lower) && stages.includes(key)) return key;
  return null;
}

const AMOUNT_KINDS: Record<string, string> = { INVALID_AMOUNT: 'not an amount', AMBIGUOUS: 'ambiguous amount', UNKNOWN_CURRENCY: 'unknown currency' };
const ZONELESS = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?$/;
const MAX_LISTED_COLUMNS = 12;

/** The mapping of one vendor's export (see the top of this file). */
export function crmExportMapping(spec: TCrmExportSpec): TImportMapping {
  return { name: spec.name, map: (rows, ctx) => mapCrmExport(spec, rows, ctx) };
}

/** The header column for each field the file has (first alias present). */
function resolveColumns(spec: TCrmExportSpec, columns: readonly string[]): Map<TCrmField, string[]> {
  const byCompact = new Map<string, string>();
  for (const c of columns) if (!byCompact.has(compactHeader(c))) byCompact.set(compactHeader(c), c);
  const out = new Map<TCrmField, string[]>();
  for (const [field, aliases] of Object.entries(spec.columns) as Array<[TCrmField, readonly string[]]>) {
    const found = aliases.flatMap((a) => byCompact.get(a) ?? []);
    if (found.length > 0) out.set(field, found);
  }
  return out;
}

function mapCrmExport(spec: TCrmExportSpec, rows: readonly TCsvRow[], ctx: TMappingContext): TMappedRows {
  const cols = resolveColumns(spec, ctx.columns);
  const used = new Set([...cols.values()].flat());
  const ignored = ctx.columns.filter((c) => !used.has(c) && c.trim() !== '');
  const warnings: string[] = [];
  if (ignored.length > 0) {
    const shown = ignored.slice(0, MAX_LISTED_COLUMNS).join(', ');
    warnings.push(`Columns not used: ${shown}${ignored.length > MAX_LISTED_COLUMNS ? ` and ${ignored.length - MAX_LISTED_COLUMNS} more` : ''}.`);
  }
  const missing = spec.required.filter((f) => !cols.has(f));
  if (missing.length > 0) {
    const names = missing.map((f) => spec.columns[f]?.[0] ?? f);
    return { deals: [], issues: [], fileErrors: [`${ctx.file} looks like a ${spec.label} but has no column for ${missing.join(', ')} (e.g. ${names.join(', ')})`], teams: [], roster: [], notes: [], warnings };
  }

  const baseReader = dateReader(ctx.timeZone);
  const readDate = (field: string, text: string): Date => {
    const t = text.trim();
    return baseReader(field, spec.zonelessTimes === 'utc' && ZONELESS.test(t) ? `${t}Z` : t);
  };
  const latestMs = ctx.now.getTime() + 36 * 3600 * 1000;
  const emptyIds = new Set(spec.emptyIds ?? []);
  const deals: Array<{ line: number; draft: TDealDraft }> = [];
  const issues: TRowIssue[] = [];
  const seen = new Map<string, number>();
  const counts = { customerFromTitle: 0, stageDefault: new Map<string, number>(), typeUnknown: new Map<string, number>(), createdClamped: 0, createdFallback: 0 };
  const pipelines = new Set<string>();

  for (const row of rows) {
    const cells: TCrmCells = {
      // The first of the field's columns with a value (e.g. Owner.Email, else Owner.Name).
      get: (f) => {
        for (const c of cols.get(f) ?? []) {
          const v = (row.values[c] ?? '').trim();
          if (v !== '') return v;
        }
        return '';
      },
      column: (f) => {
        const list = cols.get(f) ?? [];
        return list.find((c) => (row.values[c] ?? '').trim() !== '') ?? list[0] ?? f;
      },
      has: (f) => cols.has(f),
    };
    const rowIssues: TRowIssue[] = [];
    const attempt = <T>(fn: () => T): T | undefined => {
      try {
        return fn();
      } catch (e) {
        rowIssues.push(issueFrom(ctx.file, row.line, e));
        return undefined;
      }
    };
    const date = (f: TCrmField): Date | null => {
      const text = cells.get(f);
      if (!text) return null;
      const d = readDate(cells.column(f), text);
      if (d.getTime() > latestMs) throw new FieldError(cells.column(f), 'in the future', `${cells.column(f)} ${text} is in the future`);
      return d;
    };

    const externalId = attempt(() => {
      const id = clean(cells.get('id'));
      if (!id || emptyIds.has(id)) throw new FieldError(cells.column('id'), 'missing', `${cells.column('id')} is empty`);
      if (id.length > 200) throw new FieldError(cells.column('id'), 'too long', `${cells.column('id')} is longer than 200 characters`);
      const first = seen.get(id);
      if (first !== undefined) throw new FieldError(cells.column('id'), 'duplicate', `${cells.column('id')} ${id} already appears on line ${first}`);
      seen.set(id, row.line);
      return id;
    });
    const owner = attempt(() => {
      const text = clean(cells.get('owner'));
      if (!text || emptyIds.has(text)) throw new FieldError(cells.column('owner'), 'missing', `${cells.column('owner')} is empty: every deal needs its rep`);
      if (text.length > 200) throw new FieldError(cells.column('owner'), 'too long', `${cells.column('owner')} is longer than 200 characters`);
      return ownerRef(text);
    });
    const customer = attempt(() => {
      const name = cleanName(clean(cells.get('customer')));
      const title = cleanName(clean(cells.get('title')));
      const chosen = name || title;
      if (!chosen) throw new FieldError(cells.column('customer'), 'missing', `${cells.column('customer')} and ${cells.column('title')} are empty`);
      if (chosen.length > 200) throw new FieldError(name ? cells.column('customer') : cells.column('title'), 'too long', 'the customer name is longer than 200 characters');
      if (!name) counts.customerFromTitle++;
      return chosen;
    });
    const status = attempt(() => {
      // A deleted record (Salesforce Data Export with deleted rows) is no deal to count.
      if (readBoolean(cells.column('isDeleted'), cells.get('isDeleted')) === true) {
        throw new FieldError(cells.column('isDeleted'), 'deleted', `${cells.column('isDeleted')} is true: the record was deleted in the CRM`);
      }
      return spec.status(cells);
    });
    const currency = attempt(() => {
      const c = cells.get('currency');
      if (!c) return ctx.currency;
      try {
        return normalizeCurrency(c);
      } catch {
        throw new FieldError(cells.column('currency'), 'unknown currency', `${cells.column('currency')} "${c}" is not an ISO 4217 currency code`);
      }
    });
    const money = (f: TCrmField, cur: string): bigint | null => {
      const text = cells.get(f);
      if (!text) return null;
      let minor: bigint;
      try {
        minor = decimalTextToMinor(text, cur);
      } catch (e) {
        if (isAppError(e)) throw new FieldError(cells.column(f), AMOUNT_KINDS[e.code] ?? 'not an amount', `${cells.column(f)} "${text}": ${e.message}`);
        throw e;
      }
      if (minor < 0n) throw new FieldError(cells.column(f), 'negative', `${cells.column(f)} "${text}" is negative`);
      if (minor > MAX_AMOUNT_MINOR) throw new FieldError(cells.column(f), 'too large', `${cells.column(f)} "${text}" is larger than any deal amount the app records`);
      return minor;
    };
    const amount = currency === undefined ? undefined : attempt(() => {
      const minor = money('amount', currency) ?? 0n;
      if (status === 'won' && minor <= 0n) throw new FieldError(cells.column('amount'), 'zero', `a won deal needs an amount above zero (${cells.column('amount')} is ${cells.get('amount') || 'empty'})`);
      return minor;
    });
    const recurring = currency === undefined ? undefined : attempt(() => {
      const minor = money('recurring', currency);
      return minor === null || minor === 0n ? null : minor;
    });
    const closedAt = attempt((): Date | null => {
      if (status === undefined || status === 'open') return null;
      const specific = status === 'won' ? 'wonAt' : 'lostAt';
      const d = date(specific) ?? date('closedAt');
      if (!d) {
        const names = [cells.has(specific) ? cells.column(specific) : null, cells.has('closedAt') ? cells.column('closedAt') : null].filter(Boolean).join(' or ') || 'a close date column';
        throw new FieldError(cells.column(cells.has(specific) ? specific : 'closedAt'), 'missing', `${names} is empty on a ${status} deal`);
      }
      return d;
    });
    const createdAt = attempt(() => date('createdAt'));
    const stage = attempt((): { stage: string; maxStageIndex: number } => {
      if (status === 'won') return { stage: 'won', maxStageIndex: ctx.stages.length };
      const text = clean(cells.get('stage'));
      const key = closedStatusOfStage(text) ? null : funnelStageOf(text, ctx.stages);
      if (status === 'open' && key === null) {
        const shown = text || '(empty)';
        counts.stageDefault.set(shown, (counts.stageDefault.get(shown) ?? 0) + 1);
      }
      const resolved = key ?? ctx.stages[0] ?? 'lead';
      const maxStageIndex = Math.max(0, ctx.stages.indexOf(resolved));
      return status === 'lost' ? { stage: 'lost', maxStageIndex: key === null ? 0 : maxStageIndex } : { stage: resolved, maxStageIndex };
    });
    const type = attempt((): TDealType => {
      const text = clean(cells.get('type'));
      const t = crmDealType(text);
      if (t === null) counts.typeUnknown.set(text, (counts.typeUnknown.get(text) ?? 0) + 1);
      return t ?? 'new';
    });
    const lostReason = attempt(() => {
      const text = clean(cells.get('lostReason'));
      if (text.length > 500) throw new FieldError(cells.column('lostReason'), 'too long', `${cells.column('lostReason')} is longer than 500 characters`);
      return text || null;
    });
    const pipeline = clean(cells.get('pipeline'));

    if (
      rowIssues.length > 0 ||
      externalId === undefined ||
      owner === undefined ||
      customer === undefined ||
      status === undefined ||
      currency === undefined ||
      amount === undefined ||
      recurring === undefined ||
      closedAt === undefined ||
      createdAt === undefined ||
      stage === undefined ||
      type === undefined ||
      lostReason === undefined
    ) {
      issues.push(...rowIssues);
      continue;
    }
    if (pipeline) pipelines.add(pipeline);
    let created = createdAt ?? closedAt ?? ctx.now;
    if (closedAt && created.getTime() > closedAt.getTime()) {
      created = closedAt;
      counts.createdClamped++;
    }
    const fallback = createdAt === null && closedAt === null;
    if (fallback) counts.createdFallback++;
    deals.push({
      line: row.line,
      draft: {
        externalId: crmExternalId(spec.vendor, externalId),
        source: spec.vendor,
        owner,
        customer,
        amountMinor: amount,
        currency,
        type,
        status,
        stage: stage.stage,
        maxStageIndex: stage.maxStageIndex,
        createdAt: created,
        createdAtIsFallback: fallback,
        closedAt,
        lostReason: status === 'lost' ? lostReason : null,
        discountMinor: null,
        recurringMonthlyMinor: recurring,
        notes: null,
      },
    });
  }

  const notes: string[] = [
    `Read as a ${spec.label}: ids kept as external ids ${spec.vendor}:<id> (source ${spec.vendor}, as the live sync stores them); dates without a time at 12:00 ${ctx.timeZone}; date-times without a zone ${spec.zonelessTimes === 'utc' ? 'in UTC' : `in ${ctx.timeZone}`}.`,
  ];
  const list = (m: Map<string, number>): string =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([k, n]) => `${k} ×${n}`)
      .join(', ');
  const total = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
  if (counts.stageDefault.size > 0) {
    notes.push(`${plural(total(counts.stageDefault), 'open deal')} in a stage the funnel has no match for (${list(counts.stageDefault)}): put at the first stage, ${ctx.stages[0] ?? 'lead'}.`);
  }
  if (counts.customerFromTitle > 0) notes.push(`${plural(counts.customerFromTitle, 'deal')} without a company: the deal's name is the customer.`);
  if (counts.typeUnknown.size > 0) notes.push(`${plural(total(counts.typeUnknown), 'deal')} with a type that is not new, upsell or renewal (${list(counts.typeUnknown)}): counted as new.`);
  if (counts.createdClamped > 0) notes.push(`${plural(counts.createdClamped, 'deal')} created after their close date (same day): entered the funnel at the close date.`);
  if (counts.createdFallback > 0) notes.push(`${plural(counts.createdFallback, 'open deal')} without a creation date: entered the funnel at the import time.`);
  if (pipelines.size > 1) warnings.push(`${plural(pipelines.size, 'pipeline')} (${[...pipelines].slice(0, 5).join(', ')}) are counted in the one funnel of this workspace.`);
  return { deals, issues, fileErrors: [], teams: [], roster: [], notes, warnings };
}
