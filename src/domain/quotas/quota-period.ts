import { AppError } from '../../errors.js';
import { parsePeriod, periodOf, type TPeriod, type TPeriodContext } from '../periods.js';

/** Quotas are set per calendar month or fiscal quarter or fiscal year (SPEC §2). */
export type TQuotaPeriodKind = 'month' | 'quarter' | 'year';

export const QUOTA_PERIOD_KINDS: readonly TQuotaPeriodKind[] = ['month', 'quarter', 'year'];

/** A period a quota can be set for: a month, quarter or year of the workspace's calendar. */
export type TQuotaPeriod = TPeriod & { kind: TQuotaPeriodKind };

export function isQuotaPeriod(p: TPeriod): p is TQuotaPeriod {
  return p.kind === 'month' || p.kind === 'quarter' || p.kind === 'year';
}

const KIND_WORDS: ReadonlyMap<string, TQuotaPeriodKind> = new Map([
  ['month', 'month'],
  ['monthly', 'month'],
  ['quarter', 'quarter'],
  ['quarterly', 'quarter'],
  ['year', 'year'],
  ['yearly', 'year'],
  ['annual', 'year'],
  ['annually', 'year'],
]);

/** Reads `month`, `quarterly`, `annual`… as a quota period kind; null for anything else. */
export function quotaKindOf(word: string): TQuotaPeriodKind | null {
  return KIND_WORDS.get(word.trim().toLowerCase()) ?? null;
}

/**
 * This or next month / quarter / year, in the workspace's zone and fiscal calendar.
 *
 * @example
 * const ctx = { now: new Date('2026-11-27T12:00:00Z'), timeZone: 'UTC', fiscalYearStartMonth: 1 };
 * relativeQuotaPeriod('quarter', 'next', ctx).key; // '2027-Q1'
 */
export function relativeQuotaPeriod(kind: TQuotaPeriodKind, which: 'this' | 'next', ctx: TPeriodContext): TQuotaPeriod {
  const current = periodOf(kind, ctx.now, ctx);
  const p = which === 'this' ? current : periodOf(kind, current.end, ctx);
  return { ...p, kind };
}

const USAGE = 'month, quarter, year, next quarter, 2026-11, 2026-Q3 or 2026';

/**
 * Reads the period part of `/kpi quota set …`. Empty means this month; a bare kind (`quarter`,
 * `quarterly`) means the current one; `this|next|last <kind>` and every form `parsePeriod` knows
 * are accepted as long as the result is a month, a quarter or a year.
 *
 * @example
 * const ctx = { now: new Date('2026-11-27T12:00:00Z'), timeZone: 'Europe/Berlin', fiscalYearStartMonth: 1 };
 * parseQuotaPeriod('', ctx).key; // '2026-11'
 * parseQuotaPeriod('quarter', ctx).key; // '2026-Q4'
 * parseQuotaPeriod('next quarter', ctx).key; // '2027-Q1'
 * parseQuotaPeriod('2026-Q3', ctx).label; // 'Q3 2026 (Jul 1 – Sep 30)'
 * parseQuotaPeriod('last 30 days', ctx); // throws INVALID_PERIOD
 */
export function parseQuotaPeriod(input: string, ctx: TPeriodContext): TQuotaPeriod {
  const s = input.toLowerCase().replace(/\s+/g, ' ').trim();
  if (s === '') return relativeQuotaPeriod('month', 'this', ctx);
  const bare = quotaKindOf(s);
  if (bare) return relativeQuotaPeriod(bare, 'this', ctx);
  const m = /^(this|current|next|coming) ([a-z]+)$/.exec(s);
  const kind = m ? quotaKindOf(m[2] ?? '') : null;
  if (m && kind) return relativeQuotaPeriod(kind, m[1] === 'next' || m[1] === 'coming' ? 'next' : 'this', ctx);
  let p: TPeriod;
  try {
    p = parsePeriod(s, ctx);
  } catch (e) {
    if (e instanceof AppError) throw new AppError('INVALID_PERIOD', `I didn't understand the quota period "${input.trim()}". Use ${USAGE}.`, { example: '/kpi quota set @dana 50k quarter', i18n: { key: 'error.quota.badPeriod', values: { typed: input.trim() } } });
    throw e;
  }
  if (!isQuotaPeriod(p)) {
    throw new AppError('INVALID_PERIOD', `Quotas are set per month, quarter or year, and "${input.trim()}" is ${p.label}. Use ${USAGE}.`, {
      example: '/kpi quota set @dana 50k quarter',
      i18n: { key: 'error.quota.notQuotaPeriod', values: { typed: input.trim() }, periods: { period: p } },
    });
  }
  return p;
}
