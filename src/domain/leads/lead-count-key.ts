import { AppError } from '../../errors.js';
import { cleanName } from '../deals/text-input.js';
import { commaDecimalReader } from '../money.js';

/** Who a bulk lead count is for: the whole workspace, one sales team, or one rep. */
export type TLeadCountWho = { readonly kind: 'workspace' } | { readonly kind: 'team'; readonly teamId: number } | { readonly kind: 'rep'; readonly repId: number };

export const LEAD_SOURCE_MAX = 40;

/**
 * A lead source as stored: trimmed, runs of spaces collapsed, lower-cased (so `Web` and `web`
 * are one source); null for none. Refused when longer than 40 characters.
 *
 * @example
 * normalizeLeadSource('  Trade   Show '); // 'trade show'
 * normalizeLeadSource(''); // null
 */
export function normalizeLeadSource(raw: string | null | undefined, example = '/kpi leads 500 2026-03 web'): string | null {
  if (raw === null || raw === undefined) return null;
  const s = cleanName(raw).toLowerCase();
  if (s === '') return null;
  if (s.length > LEAD_SOURCE_MAX) throw new AppError('INVALID_INPUT', `A lead source is at most ${LEAD_SOURCE_MAX} characters (this one has ${s.length}).`, { example, field: 'source', i18n: { key: 'error.leads.sourceLong', values: { max: LEAD_SOURCE_MAX, n: s.length } } });
  return s;
}

/**
 * The key one count is stored under (`LeadCount.scopeKey`): period, who and source. A second
 * count with the same key replaces the first; a different period, scope or source is another
 * count.
 *
 * @example
 * leadCountKey({ start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-04-01T00:00:00Z') }, { kind: 'team', teamId: 3 }, 'web');
 * // '2026-03-01T00:00:00.000Z/2026-04-01T00:00:00.000Z|t3|"web"'
 */
export function leadCountKey(period: { readonly start: Date; readonly end: Date }, who: TLeadCountWho, source: string | null): string {
  const w = who.kind === 'workspace' ? 'w' : who.kind === 'team' ? `t${who.teamId}` : `r${who.repId}`;
  return `${period.start.toISOString()}/${period.end.toISOString()}|${w}|${JSON.stringify(source)}`;
}

/** Largest count one row may hold. */
export const MAX_LEAD_COUNT = 10_000_000;

/**
 * Reads a typed lead count: a whole number from 0 to 10,000,000, thousands separated by `,` or
 * `_` if wanted, or by `.` for a reader whose language groups with it (`locale`: Vietnamese
 * `1.200`; a count has no fraction, so `1,200` stays 1,200 for them too). Anything else (negative,
 * a fraction, a word) is refused saying the right form.
 *
 * @example
 * parseLeadCount('1,200'); // 1200
 * parseLeadCount('1.200', undefined, 'vi'); // 1200
 * parseLeadCount('-5'); // throws INVALID_INPUT
 */
export function parseLeadCount(raw: string, example = '/kpi leads 500 2026-03', locale?: string): number {
  const s = raw.trim();
  if (/^-/.test(s)) throw new AppError('INVALID_INPUT', `A lead count cannot be negative ("${s}"). Give the number of leads, e.g. 500.`, { example, field: 'count', i18n: { key: 'error.leads.negative', values: { typed: s } } });
  const grouped = commaDecimalReader(locale) ? /^\d{1,3}([,_]\d{3})*$|^\d{1,3}(\.\d{3})+$|^\d+$/ : /^\d{1,3}([,_]\d{3})*$|^\d+$/;
  if (!grouped.test(s)) {
    throw new AppError('INVALID_INPUT', `"${s}" is not a whole number of leads. Give a count such as 500 (no fractions, no "k").`, { example, field: 'count', i18n: { key: 'error.leads.notWhole', values: { typed: s } } });
  }
  const n = Number(s.replace(/[,_.]/g, ''));
  if (!Number.isSafeInteger(n) || n > MAX_LEAD_COUNT) throw new AppError('INVALID_INPUT', `A lead count is at most ${MAX_LEAD_COUNT.toLocaleString('en-US')}.`, { example, field: 'count', i18n: { key: 'error.leads.tooMany', values: { max: MAX_LEAD_COUNT } } });
  return n;
}
