import { isAppError } from '../../errors.js';
import { ZDealType, type TDealStatus, type TDealType } from '../deals/schemas.js';
import { parseStage } from '../deals/stages.js';
import { DEAL_TYPE_INDEX, meaningsOf } from '../deals/deal-words.js';
import { cleanName } from '../deals/text-input.js';
import { normalizeCurrency, parseAmount, type TMoney } from '../money.js';
import { zonedDateTime } from '../periods.js';
import { clean, dateReader, FieldError, issueFrom, plural } from './fields.js';
import type { TCsvRow, TDealDraft, TImportMapping, TMappedRows, TMappingContext, TOwnerRef, TRefundDraft, TRowIssue } from './types.js';

/**
 * Header-driven mapping for any CRM export reshaped to these columns (order free; header names
 * are matched case-insensitively, spaces and dashes read as underscores):
 *
 * | column | required | meaning |
 * | --- | --- | --- |
 * | external_id | yes | the source system's id; imports are idempotent on it |
 * | owner | yes | a Slack user id (`U0123ABCD` or `<@U0123ABCD>`, that member must be known) or a rep's name |
 * | customer | yes | at most 200 characters |
 * | amount | yes | anything `/deal` accepts: `12000`, `$12,000`, `12k`, `800tr`; `0` for open or lost deals |
 * | status | yes | open, won or lost (also "closed won" / "closed lost") |
 * | currency | no | ISO code; default: the amount's own currency mark, else the workspace currency |
 * | stage | no | open deals: current stage (default the first); lost deals: the furthest stage reached (default the first) |
 * | type | no | new (default), upsell (cross-sell, expansion), renewal |
 * | created_at | no | entered the funnel; default: closed_at for closed deals, the import time for open ones |
 * | closed_at | won/lost | when it was won or lost; must be empty for open deals |
 * | lost_reason | no | kept for lost deals |
 * | discount | no | amount given off, same currency |
 * | recurring_monthly | no | monthly recurring amount of a subscription (MRR), same currency |
 * | subscription_start | no | won recurring deals: when the subscription starts counting toward MRR (default closed_at) |
 * | subscription_end | no | won recurring deals: the churn date; a date is the start of that day in the workspace's zone (like `/deal churn`); empty keeps an end recorded in Slack |
 * | mrr_changes | no | won recurring deals: changes of the monthly amount, `YYYY-MM-DD=amount` separated by `;` (e.g. `2026-12-01=12m; 2027-03-01=9m`), each from the start of that day, same currency; the deal's imported changes are made to match the cell (empty: none) |
 * | notes | no | free text |
 * | record_type | no | `deal` (default) or `refund`: see refund rows below |
 *
 * Refund rows (`record_type` = `refund`) record a refund or return of a won deal, counted against
 * net revenue in the period it happened. They read `external_id` (the refund's own id: refunds and
 * deals are separate namespaces; re-imports update the refund in place), `amount` (above zero),
 * `currency`, `refunded_at` (required: when it happened), `refund_reason`, and which deal:
 * `deal_external_id` (the external_id of a won deal in this file or imported before), or else
 * `customer` (that customer's only won deal; several are refused as ambiguous). Deal columns
 * (owner, status, stage…) are ignored on refund rows. A file of refund rows only needs just
 * `record_type`, `external_id`, `amount`, `refunded_at` and `deal_external_id` or `customer`.
 *
 * Dates: `YYYY-MM-DD` is local noon in the workspace's zone; ISO date-times with a zone are exact.
 * Owners named by name become reps with importKey `csv:<name, lower case>` unless exactly one
 * existing rep has that name.
 */

export const GENERIC_REQUIRED_COLUMNS = ['external_id', 'owner', 'customer', 'amount', 'status'] as const;
export const GENERIC_OPTIONAL_COLUMNS = [
  'currency',
  'stage',
  'type',
  'created_at',
  'closed_at',
  'lost_reason',
  'discount',
  'recurring_monthly',
  'subscription_start',
  'subscription_end',
  'mrr_changes',
  'notes',
  'record_type',
] as const;
/** Columns only refund rows read (see the table above). */
export const GENERIC_REFUND_COLUMNS = ['deal_external_id', 'refunded_at', 'refund_reason'] as const;
/** What a file of refund rows only must have. */
export const GENERIC_REFUND_REQUIRED_COLUMNS = ['record_type', 'external_id', 'amount', 'refunded_at'] as const;

/** `Created At` → `created_at`. */
export function normalizeHeader(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

const SLACK_ID = /^(?:<@)?([UW][A-Z0-9]{2,})(?:\|[^>]*)?>?$/;
const TYPE_ALIASES: Record<string, TDealType> = { 'cross-sell': 'upsell', crosssell: 'upsell', cross_sell: 'upsell', expansion: 'upsell', renew: 'renewal' };
const STATUS_ALIASES: Record<string, TDealStatus> = { open: 'open', won: 'won', lost: 'lost', closedwon: 'won', closedlost: 'lost' };

/** A `currency` cell: null when empty, the ISO code, or a field error naming the cell. */
function optionalCurrency(c: string): string | null {
  if (!c) return null;
  try {
    return normalizeCurrency(c);
  } catch {
    throw new FieldError('currency', 'unknown currency', `currency "${c}" is not an ISO currency code this app knows (USD, EUR, VND…)`);
  }
}

/**
 * An owner cell: a Slack user id (`U0123ABCD`, `<@U0123ABCD>`) or a rep's name or email (importKey
 * `csv:<text, lower case>`, linked to the one existing rep with exactly that name).
 *
 * @example ownerRef('Anna Snelling') // { importKey: 'csv:anna snelling', name: 'Anna Snelling', slackUserId: null, matchByName: true }
 */
export function ownerRef(text: string): TOwnerRef {
  const slack = SLACK_ID.exec(text);
  if (slack?.[1] && (text.startsWith('<@') || /^[UW][A-Z0-9]{8,}$/.test(text))) {
    return { importKey: `csv:${slack[1].toLowerCase()}`, name: slack[1], slackUserId: slack[1], matchByName: false };
  }
  return { importKey: `csv:${text.toLowerCase()}`, name: text, slackUserId: null, matchByName: true };
}

const AMOUNT_KINDS: Record<string, string> = { INVALID_AMOUNT: 'not an amount', AMBIGUOUS: 'ambiguous amount', UNKNOWN_CURRENCY: 'unknown currency' };

function readMoney(field: string, text: string, currency: string | null, defaultCurrency: string, allowZero: boolean): TMoney {
  if (/^0+(?:[.,]0+)?$/.test(text)) {
    if (!allowZero) throw new FieldError(field, 'zero', `${field} is 0`);
    return { amountMinor: 0n, currency: currency ?? defaultCurrency };
  }
  let money: TMoney;
  try {
    money = parseAmount(text, { defaultCurrency: currency ?? defaultCurrency });
  } catch (e) {
    if (isAppError(e)) throw new FieldError(field, AMOUNT_KINDS[e.code] ?? 'not an amount', `${field} "${text}": ${e.message}`);
    throw e;
  }
  if (currency && money.currency !== currency) {
    throw new FieldError(field, 'currency mismatch', `${field} "${text}" is in ${money.currency} but the row's currency is ${currency}`);
  }
  return money;
}

type TSubscriptionFields = Pick<TDealDraft, 'subscriptionStart' | 'subscriptionEnd' | 'mrrChanges'>;

/** A date column of a subscription: `YYYY-MM-DD` is the start of that day in the zone (like `/deal churn`), a date-time is exact. */
function dayStart(field: string, text: string, timeZone: string, readDate: (f: string, t: string) => Date): Date {
  const t = text.trim();
  const d = readDate(field, t);
  return /^\d{4}-\d{2}-\d{2}$/.test(t) ? zonedDateTime(t, '00:00', timeZone) : d;
}

/**
 * The subscription columns of one row (subscription_start, subscription_end, mrr_changes), checked
 * against each other: only on a won deal with recurring_monthly; start <= now; start < each change
 * < end; change dates distinct; amounts above zero in the deal's currency.
 */
function readSubscription(
  cells: { start: string; end: string; changes: string | null },
  o: { isSubscription: boolean; closedAt: Date | null; currency: string; ctx: TMappingContext; readDate: (f: string, t: string) => Date; latestMs: number },
): TSubscriptionFields {
  const changesText = cells.changes?.trim() ?? '';
  if (!o.isSubscription) {
    const given = cells.start ? 'subscription_start' : cells.end ? 'subscription_end' : changesText ? 'mrr_changes' : null;
    if (given) throw new FieldError(given, 'not a subscription', `${given} is set but the row is not a won deal with recurring_monthly`);
    return cells.changes === null ? {} : { mrrChanges: [] };
  }
  const future = (field: string, d: Date, text: string) => {
    if (d.getTime() > o.latestMs) throw new FieldError(field, 'in the future', `${field} ${text} is in the future`);
  };
  const start = cells.start ? o.readDate('subscription_start', cells.start) : o.closedAt;
  if (cells.start && start) future('subscription_start', start, cells.start);
  const end = cells.end ? dayStart('subscription_end', cells.end, o.ctx.timeZone, o.readDate) : null;
  if (end) {
    future('subscription_end', end, cells.end);
    if (start && end.getTime() <= start.getTime()) throw new FieldError('subscription_end', 'before the start', `subscription_end ${cells.end} is not after the subscription's start`);
  }
  const out: { subscriptionStart?: Date | null; subscriptionEnd?: Date | null; mrrChanges?: Array<{ effectiveAt: Date; monthlyMinor: bigint }> } = {};
  if (cells.start) out.subscriptionStart = start;
  if (end) out.subscriptionEnd = end;
  if (cells.changes !== null) {
    const changes: Array<{ effectiveAt: Date; monthlyMinor: bigint }> = [];
    const seen = new Set<number>();
    for (const part of changesText.split(';').map((x) => x.trim()).filter(Boolean)) {
      const m = /^(\S+)\s*=\s*(.+)$/.exec(part);
      if (!m) throw new FieldError('mrr_changes', 'not a change', `mrr_changes "${part}" is not YYYY-MM-DD=amount`);
      const at = dayStart('mrr_changes', m[1]!, o.ctx.timeZone, o.readDate);
      future('mrr_changes', at, m[1]!);
      if (start && at.getTime() <= start.getTime()) throw new FieldError('mrr_changes', 'before the start', `mrr_changes ${m[1]} is not after the subscription's start`);
      if (end && at.getTime() >= end.getTime()) throw new FieldError('mrr_changes', 'after the end', `mrr_changes ${m[1]} is not before subscription_end`);
      if (seen.has(at.getTime())) throw new FieldError('mrr_changes', 'duplicate', `mrr_changes has ${m[1]} twice`);
      seen.add(at.getTime());
      changes.push({ effectiveAt: at, monthlyMinor: readMoney('mrr_changes', m[2]!.trim(), o.currency, o.ctx.currency, false).amountMinor });
    }
    out.mrrChanges = changes.sort((a, b) => a.effectiveAt.getTime() - b.effectiveAt.getTime());
  }
  return out;
}

/** The generic mapping (see the table above). */
export function genericMapping(): TImportMapping {
  return { name: 'generic', map: mapGeneric };
}

function mapGeneric(rows: readonly TCsvRow[], ctx: TMappingContext): TMappedRows {
  const byName = new Map<string, string>();
  for (const c of ctx.columns) if (!byName.has(normalizeHeader(c))) byName.set(normalizeHeader(c), c);
  const recordTypeOf = (row: TCsvRow): string => {
    const col = byName.get('record_type');
    return col === undefined ? '' : (row.values[col] ?? '').trim().toLowerCase();
  };
  // A file of refund rows only does not need the deal columns.
  const onlyRefunds = byName.has('record_type') && rows.length > 0 && rows.every((r) => recordTypeOf(r) === 'refund');
  const requiredColumns: readonly string[] = onlyRefunds ? GENERIC_REFUND_REQUIRED_COLUMNS : GENERIC_REQUIRED_COLUMNS;
  const missing = requiredColumns.filter((c) => !byName.has(c));
  if (onlyRefunds && !byName.has('deal_external_id') && !byName.has('customer')) missing.push('deal_external_id (or customer)');
  const known = new Set<string>([...GENERIC_REQUIRED_COLUMNS, ...GENERIC_OPTIONAL_COLUMNS, ...GENERIC_REFUND_COLUMNS]);
  const ignored = ctx.columns.filter((c) => !known.has(normalizeHeader(c)));
  const warnings: string[] = [];
  if (ignored.length > 0) warnings.push(`Columns not used: ${ignored.join(', ')}.`);
  if (missing.length > 0) {
    return {
      deals: [],
      issues: [],
      fileErrors: [`${ctx.file} has no column ${missing.join(', ')} (required: ${requiredColumns.join(', ')}${onlyRefunds ? ', and deal_external_id or customer' : ''})`],
      teams: [],
      roster: [],
      notes: [],
      warnings,
    };
  }

  const readDate = dateReader(ctx.timeZone);
  const latestMs = ctx.now.getTime() + 36 * 3600 * 1000;
  const deals: Array<{ line: number; draft: TDealDraft }> = [];
  const refunds: Array<{ line: number; draft: TRefundDraft }> = [];
  const issues: TRowIssue[] = [];
  const seen = new Map<string, number>();
  const seenRefunds = new Map<string, number>();
  let createdFallback = 0;
  let reasonIgnored = 0;

  for (const row of rows) {
    const v = (f: string): string => {
      const col = byName.get(f);
      return col === undefined ? '' : (row.values[col] ?? '').trim();
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
    const required = (f: string, max = 200): string => {
      const text = clean(v(f));
      if (!text) throw new FieldError(f, 'missing', `${f} is empty`);
      if (text.length > max) throw new FieldError(f, 'too long', `${f} is longer than ${max} characters`);
      return text;
    };

    const recordType = recordTypeOf(row);
    if (recordType === 'refund') {
      const refund = mapRefundRow({ v, attempt, required, seen: seenRefunds, line: row.line, ctx, readDate, latestMs });
      if (refund && rowIssues.length === 0) refunds.push({ line: row.line, draft: refund });
      else issues.push(...rowIssues);
      continue;
    }
    if (recordType !== '' && recordType !== 'deal') {
      issues.push({ file: ctx.file, line: row.line, field: 'record_type', kind: 'unknown record type', message: `record_type "${v('record_type')}" is not deal or refund` });
      continue;
    }
    const externalId = attempt(() => {
      const id = required('external_id');
      const first = seen.get(id);
      if (first !== undefined) throw new FieldError('external_id', 'duplicate', `external_id ${id} already appears on line ${first}`);
      seen.set(id, row.line);
      return id;
    });
    const owner = attempt(() => ownerRef(required('owner')));
    const customer = attempt(() => {
      const name = cleanName(required('customer'));
      if (!name) throw new FieldError('customer', 'no visible characters', 'customer has no visible characters');
      return name;
    });
    const status = attempt((): TDealStatus => {
      const s = STATUS_ALIASES[required('status').toLowerCase().replace(/[\s_-]+/g, '')];
      if (!s) throw new FieldError('status', 'unknown status', `status "${v('status')}" is not open, won or lost`);
      return s;
    });
    const currency = attempt(() => optionalCurrency(v('currency')));
    const amount = attempt(() => {
      const text = required('amount', 64);
      const money = readMoney('amount', text, currency ?? null, ctx.currency, status !== 'won');
      if (status === 'won' && money.amountMinor <= 0n) throw new FieldError('amount', 'zero', 'a won deal needs an amount above zero');
      return money;
    });
    const dealCurrency = amount?.currency ?? currency ?? ctx.currency;
    const type = attempt((): TDealType => {
      const t = v('type').toLowerCase();
      if (!t) return 'new';
      const parsed = ZDealType.safeParse(t);
      if (parsed.success) return parsed.data;
      // A type written in Vietnamese or Chinese (`gia hạn`, `续签`) reads as it does in `/deal`.
      const local = meaningsOf(DEAL_TYPE_INDEX, t);
      const alias = TYPE_ALIASES[t] ?? (local.length === 1 ? local[0] : undefined);
      if (!alias) throw new FieldError('type', 'unknown type', `type "${v('type')}" is not new, upsell or renewal`);
      return alias;
    });
    const closedAt = attempt(() => {
      const text = v('closed_at');
      if (!text) {
        if (status === 'won' || status === 'lost') throw new FieldError('closed_at', 'missing', `closed_at is empty on a ${status} deal`);
        return null;
      }
      if (status === 'open') throw new FieldError('closed_at', 'set on an open deal', `closed_at "${text}" is set but the status is open`);
      const d = readDate('closed_at', text);
      if (d.getTime() > latestMs) throw new FieldError('closed_at', 'in the future', `closed_at ${text} is in the future`);
      return d;
    });
    const createdAt = attempt(() => {
      const text = v('created_at');
      if (!text) return null;
      const d = readDate('created_at', text);
      if (d.getTime() > latestMs) throw new FieldError('created_at', 'in the future', `created_at ${text} is in the future`);
      return d;
    });
    const stage = attempt((): { stage: string; maxStageIndex: number } => {
      const text = v('stage');
      if (status === 'won') return { stage: 'won', maxStageIndex: ctx.stages.length };
      const lower = text.toLowerCase();
      if (status === 'open' && (lower === 'won' || lower === 'lost')) throw new FieldError('stage', 'contradicts status', `stage "${text}" on an open deal: set status to ${lower} instead`);
      let key = ctx.stages[0] ?? 'lead';
      if (text && lower !== 'lost') {
        try {
          key = parseStage(text, ctx.stages);
        } catch {
          throw new FieldError('stage', 'unknown stage', `stage "${text}" is not one of ${ctx.stages.join(', ')}`);
        }
      }
      const maxStageIndex = Math.max(0, ctx.stages.indexOf(key));
      return status === 'lost' ? { stage: 'lost', maxStageIndex } : { stage: key, maxStageIndex };
    });
    const discount = attempt(() => (v('discount') ? readMoney('discount', v('discount'), dealCurrency, ctx.currency, true).amountMinor : null));
    const recurring = attempt(() => {
      const text = v('recurring_monthly');
      if (!text || /^0+(?:[.,]0+)?$/.test(text)) return null;
      return readMoney('recurring_monthly', text, dealCurrency, ctx.currency, false).amountMinor;
    });
    const subscription = attempt(() =>
      readSubscription(
        { start: v('subscription_start'), end: v('subscription_end'), changes: byName.has('mrr_changes') ? v('mrr_changes') : null },
        { isSubscription: status === 'won' && recurring !== null && recurring !== undefined, closedAt: closedAt ?? null, currency: dealCurrency, ctx, readDate, latestMs },
      ),
    );
    const lostReason = attempt(() => {
      const text = clean(v('lost_reason'));
      if (text.length > 500) throw new FieldError('lost_reason', 'too long', 'lost_reason is longer than 500 characters');
      return text || null;
    });
    const notes = attempt(() => {
      const text = v('notes');
      if (text.length > 3000) throw new FieldError('notes', 'too long', 'notes are longer than 3,000 characters');
      return text || null;
    });
    if (createdAt && closedAt && createdAt.getTime() > closedAt.getTime()) {
      rowIssues.push({ file: ctx.file, line: row.line, field: 'created_at', kind: 'after closed_at', message: `created_at ${v('created_at')} is after closed_at ${v('closed_at')}` });
    }
    if (
      rowIssues.length > 0 ||
      externalId === undefined ||
      owner === undefined ||
      customer === undefined ||
      status === undefined ||
      amount === undefined ||
      type === undefined ||
      closedAt === undefined ||
      createdAt === undefined ||
      stage === undefined ||
      discount === undefined ||
      recurring === undefined ||
      subscription === undefined ||
      lostReason === undefined ||
      notes === undefined
    ) {
      issues.push(...rowIssues);
      continue;
    }
    const fallback = createdAt === null && closedAt === null;
    if (fallback) createdFallback++;
    if (lostReason && status !== 'lost') reasonIgnored++;
    deals.push({
      line: row.line,
      draft: {
        externalId,
        owner,
        customer,
        amountMinor: amount.amountMinor,
        currency: amount.currency,
        type,
        status,
        stage: stage.stage,
        maxStageIndex: stage.maxStageIndex,
        createdAt: createdAt ?? closedAt ?? ctx.now,
        createdAtIsFallback: fallback,
        closedAt,
        lostReason: status === 'lost' ? lostReason : null,
        discountMinor: discount,
        recurringMonthlyMinor: recurring,
        notes,
        ...subscription,
      },
    });
  }
  const notesOut: string[] = [`Dates without a time are stored at 12:00 in the workspace's time zone (${ctx.timeZone}).`];
  if (createdFallback > 0) notesOut.push(`${plural(createdFallback, 'open deal')} without created_at: entered the funnel at the import time.`);
  if (reasonIgnored > 0) warnings.push(`${plural(reasonIgnored, 'row')} that are not lost have a lost_reason: ignored.`);
  if (refunds.length > 0) notesOut.push(`${plural(refunds.length, 'refund row')}: counted against net revenue when they happened (refunded_at).`);
  return { deals, refunds, issues, fileErrors: [], teams: [], roster: [], notes: notesOut, warnings };
}

/** One `record_type=refund` row (see the table at the top); problems go through `attempt`. */
function mapRefundRow(o: {
  v: (f: string) => string;
  attempt: <T>(fn: () => T) => T | undefined;
  required: (f: string, max?: number) => string;
  seen: Map<string, number>;
  line: number;
  ctx: TMappingContext;
  readDate: (field: string, text: string) => Date;
  latestMs: number;
}): TRefundDraft | null {
  const { v, attempt, required } = o;
  const externalId = attempt(() => {
    const id = required('external_id');
    const first = o.seen.get(id);
    if (first !== undefined) throw new FieldError('external_id', 'duplicate', `refund external_id ${id} already appears on line ${first}`);
    o.seen.set(id, o.line);
    return id;
  });
  const dealExternalId = clean(v('deal_external_id')) || null;
  const customer = attempt(() => {
    const name = cleanName(clean(v('customer')));
    if (!name && !dealExternalId) throw new FieldError('deal_external_id', 'missing', 'a refund row needs deal_external_id (or the customer of a won deal)');
    return name || null;
  });
  const currency = attempt(() => optionalCurrency(v('currency')));
  const amount = attempt(() => readMoney('amount', required('amount', 64), currency ?? null, o.ctx.currency, false));
  const refundedAt = attempt(() => {
    const text = v('refunded_at');
    if (!text) throw new FieldError('refunded_at', 'missing', 'refunded_at is empty on a refund row');
    const d = o.readDate('refunded_at', text);
    if (d.getTime() > o.latestMs) throw new FieldError('refunded_at', 'in the future', `refunded_at ${text} is in the future`);
    return d;
  });
  const reason = attempt(() => {
    const text = clean(v('refund_reason'));
    if (text.length > 500) throw new FieldError('refund_reason', 'too long', 'refund_reason is longer than 500 characters');
    return text || null;
  });
  if (externalId === undefined || customer === undefined || amount === undefined || refundedAt === undefined || reason === undefined || currency === undefined) return null;
  return { externalId, dealExternalId, customer, amountMinor: amount.amountMinor, currency: amount.currency, refundedAt, reason };
}
