import { isAppError } from '../../errors.js';
import { closeDateProblem } from '../deals/text-input.js';
import { zonedDateTime } from '../periods.js';
import type { TIssueGroup, TRowIssue } from './types.js';

/** A field that cannot be read; collected per row by the mappings. */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    readonly kind: string,
    message: string,
  ) {
    super(message);
    this.name = 'FieldError';
  }
}

/** The time of day a date-only value (`2017-03-01`) is stored at, in the workspace's zone. */
export const DATE_ONLY_LOCAL_TIME = '12:00';

const ISO_DATE = /^(\d{4}-\d{2}-\d{2})$/;
const ISO_ZONED = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
const ISO_LOCAL = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::\d{2})?$/;

/**
 * Reads a date column into an instant, memoising repeated values (a file has few distinct dates).
 * - `YYYY-MM-DD` (date only): local noon in the workspace's zone. Noon keeps the calendar day
 *   whatever the zone's DST offset, so the deal lands in the right day, month and quarter there.
 * - `YYYY-MM-DDTHH:MM[:SS]` with `Z` or an offset: that exact instant.
 * - `YYYY-MM-DD HH:MM` without a zone: that wall-clock time in the workspace's zone.
 * Anything else (`03/04/2017` is ambiguous) throws a FieldError.
 */
export function dateReader(timeZone: string): (field: string, text: string) => Date {
  const cache = new Map<string, Date>();
  return (field, text) => {
    const t = text.trim();
    const hit = cache.get(t);
    if (hit) return hit;
    let d: Date | null = null;
    try {
      const dateOnly = ISO_DATE.exec(t);
      const local = ISO_LOCAL.exec(t);
      if (dateOnly?.[1]) d = zonedDateTime(dateOnly[1], DATE_ONLY_LOCAL_TIME, timeZone);
      else if (local?.[1] && local[2]) d = zonedDateTime(local[1], local[2], timeZone);
      else if (ISO_ZONED.test(t)) {
        const parsed = new Date(t.replace(' ', 'T'));
        if (!Number.isNaN(parsed.getTime())) d = parsed;
      }
    } catch (e) {
      if (!isAppError(e)) throw e;
    }
    if (!d || Number.isNaN(d.getTime())) {
      throw new FieldError(field, 'not a date', `${field} "${t}" is not a date: use YYYY-MM-DD (or an ISO date-time with a zone)`);
    }
    const problem = closeDateProblem(t.slice(0, 10));
    if (problem) throw new FieldError(field, 'not a date', `${field} "${t}": ${problem.replace(/ Pick.*$/, '')}`);
    cache.set(t, d);
    return d;
  };
}

/** The issue for a row from a thrown FieldError (other errors propagate). */
export function issueFrom(file: string, line: number, e: unknown): TRowIssue {
  if (e instanceof FieldError) return { file, line, field: e.field, kind: e.kind, message: e.message };
  throw e;
}

/** Groups issues by file, field and kind, counting rows and keeping the first `maxLines` line numbers. */
export function groupIssues(issues: readonly TRowIssue[], maxLines = 5): TIssueGroup[] {
  const groups = new Map<string, { file: string; field: string; kind: string; count: number; lines: number[]; example: string }>();
  for (const i of issues) {
    const key = `${i.file}\u0000${i.field}\u0000${i.kind}`;
    let g = groups.get(key);
    if (!g) {
      g = { file: i.file, field: i.field, kind: i.kind, count: 0, lines: [], example: i.message };
      groups.set(key, g);
    }
    g.count++;
    if (g.lines.length < maxLines) g.lines.push(i.line);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || (a.lines[0] ?? 0) - (b.lines[0] ?? 0));
}

/** `1425` → `1,425`. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** `1 row` / `2 rows`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** Collapses inner whitespace and trims. */
export function clean(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}
