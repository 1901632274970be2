import { parsePeriod, previousPeriod, trailingPeriods, type TCalendarKind, type TPeriod, type TPeriodContext } from '../periods.js';

/** Periods of the comparisons: previous period and the trailing ones, with their labels. */
export interface TKpiPeriods {
  readonly period: TPeriod;
  readonly previous: TPeriod | null;
  /** Oldest first. */
  readonly trailing: readonly TPeriod[];
  /** `the 3 months before` */
  readonly trailingLabel: string;
}

const TRAILING_COUNT: Readonly<Record<TCalendarKind, number>> = { day: 7, week: 4, month: 3, quarter: 3, year: 3 };
const UNIT: Readonly<Record<TCalendarKind, string>> = { day: 'days', week: 'weeks', month: 'months', quarter: 'quarters', year: 'years' };

/**
 * The comparison periods of a KPI answer. Previous = `previousPeriod`. Trailing (for averages and
 * trends), chosen so each trailing period is comparable with the answer's:
 * - day: the 7 days before; week: the 4 weeks before; month, quarter, fiscal year: the 3 before;
 * - ytd: the same stretch of the 3 fiscal years before (Jan 1 – Nov 27 of 2025, 2024, 2023);
 * - last N days: the 3 windows of N days before it (back to back).
 *
 * @example
 * resolveKpiPeriods('last month', { now: new Date('2026-11-27T12:00:00Z'), timeZone: 'UTC', fiscalYearStartMonth: 1 }).trailing.map((p) => p.key);
 * // ['2026-07', '2026-08', '2026-09']
 */
export function resolveKpiPeriods(periodInput: string, ctx: TPeriodContext): TKpiPeriods {
  const period = parsePeriod(periodInput, ctx);
  const previous = previousPeriod(period, ctx);
  if (period.kind === 'ytd' || period.kind === 'rolling') {
    const trailing: TPeriod[] = [];
    let p = period;
    for (let i = 0; i < 3; i++) {
      p = previousPeriod(p, ctx);
      trailing.unshift(p);
    }
    const days = Math.round((period.end.getTime() - period.start.getTime()) / 86_400_000);
    const trailingLabel = period.kind === 'ytd' ? 'the same dates in the 3 years before' : `the 3 stretches of ${days} days before`;
    return { period, previous, trailing, trailingLabel };
  }
  const kind = period.kind;
  const count = TRAILING_COUNT[kind];
  return { period, previous, trailing: trailingPeriods(kind, count, period, ctx), trailingLabel: `the ${count} ${UNIT[kind]} before` };
}
