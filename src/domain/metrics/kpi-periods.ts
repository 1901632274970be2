import { parsePeriod, previousPeriod, trailingPeriods, type TCalendarKind, type TPeriod, type TPeriodContext } from '../periods.js';

/**
 * THE comparison policy (issue 8/9: one rule, so the same words mean the same number on every
 * surface). `/kpi` answers, `/kpi plan`'s basis, the weekly digest, the alert checks and the App
 * Home all take their previous and trailing periods, and the words naming them, from
 * `comparisonPeriods`; nothing else decides how many periods an average covers.
 */

/** Periods of the comparisons: previous period and the trailing ones, with their labels. */
export interface TKpiPeriods {
  readonly period: TPeriod;
  readonly previous: TPeriod;
  /** `the week before`, `the month before`: the previous period relative to `period`. */
  readonly previousLabel: string;
  /** Oldest first; averages over them are pooled (see `trailing-averages.ts`). */
  readonly trailing: readonly TPeriod[];
  /** `the 3 months before`, `the 4 weeks before`: names how many periods of which kind. */
  readonly trailingLabel: string;
}

/** Trailing periods per calendar kind (the only copy of these numbers). */
export const TRAILING_COUNT: Readonly<Record<TCalendarKind, number>> = { day: 7, week: 4, month: 3, quarter: 3, year: 3 };
const UNIT: Readonly<Record<TCalendarKind, string>> = { day: 'days', week: 'weeks', month: 'months', quarter: 'quarters', year: 'years' };
const SINGULAR: Readonly<Record<TCalendarKind, string>> = { day: 'day', week: 'week', month: 'month', quarter: 'quarter', year: 'year' };

/**
 * The comparison periods of a period: previous = `previousPeriod`; trailing (for averages and
 * trends), chosen so each trailing period is comparable with the period itself:
 * - day: the 7 days before; week: the 4 weeks before; month, quarter, fiscal year: the 3 before;
 * - ytd: the same stretch of the 3 fiscal years before (Jan 1 – Nov 27 of 2025, 2024, 2023);
 * - last N days: the 3 windows of N days before it (back to back).
 * The labels name the number and kind of periods, so two different averages never share one.
 *
 * @example
 * const ctx = { now: new Date('2026-11-27T12:00:00Z'), timeZone: 'UTC', fiscalYearStartMonth: 1 };
 * const p = comparisonPeriods(periodOf('week', ctx.now, ctx), ctx);
 * p.trailing.map((t) => t.key); // ['2026-W44', '2026-W45', '2026-W46', '2026-W47']
 * p.trailingLabel; // 'the 4 weeks before'
 * p.previousLabel; // 'the week before'
 */
export function comparisonPeriods(period: TPeriod, ctx: TPeriodContext): TKpiPeriods {
  const previous = previousPeriod(period, ctx);
  if (period.kind === 'ytd' || period.kind === 'rolling') {
    const trailing: TPeriod[] = [];
    let p = period;
    for (let i = 0; i < 3; i++) {
      p = previousPeriod(p, ctx);
      trailing.unshift(p);
    }
    const days = Math.round((period.end.getTime() - period.start.getTime()) / 86_400_000);
    const ytd = period.kind === 'ytd';
    return {
      period,
      previous,
      previousLabel: ytd ? 'the same dates a year before' : `the ${days} days before`,
      trailing,
      trailingLabel: ytd ? 'the same dates in the 3 years before' : `the 3 stretches of ${days} days before`,
    };
  }
  const kind = period.kind;
  const count = TRAILING_COUNT[kind];
  return {
    period,
    previous,
    previousLabel: `the ${SINGULAR[kind]} before`,
    trailing: trailingPeriods(kind, count, period, ctx),
    trailingLabel: `the ${count} ${UNIT[kind]} before`,
  };
}

/**
 * The comparison periods of typed period words (`last month`, `2026-Q3`): `parsePeriod`, then
 * `comparisonPeriods`.
 *
 * @example
 * resolveKpiPeriods('last month', { now: new Date('2026-11-27T12:00:00Z'), timeZone: 'UTC', fiscalYearStartMonth: 1 }).trailing.map((p) => p.key);
 * // ['2026-07', '2026-08', '2026-09']
 */
export function resolveKpiPeriods(periodInput: string, ctx: TPeriodContext): TKpiPeriods {
  return comparisonPeriods(parsePeriod(periodInput, ctx), ctx);
}
