/** Lead conversion rate (SPEC §1.3), a cohort figure. */
export interface TConversionRate {
  /** 0..1, or null when the period has no leads. */
  readonly rate: number | null;
  readonly leads: number;
  readonly converted: number;
  readonly reason: string | null;
}

/**
 * Leads created in the period that became won customers / leads created in the period.
 *
 * @example
 * computeConversionRate({ leads: 500, converted: 50 }); // rate 0.1 (the article's 10%)
 * computeConversionRate({ leads: 0, converted: 0 }).reason; // 'no leads in this period'
 */
export function computeConversionRate({ leads, converted }: { leads: number; converted: number }): TConversionRate {
  if (leads <= 0) return { rate: null, leads, converted, reason: 'no leads in this period' };
  return { rate: converted / leads, leads, converted, reason: null };
}
