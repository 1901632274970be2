export type TConversionTrendReading = 'improving' | 'problem' | 'steady' | 'mixed' | 'insufficient-data';
export type TConversionTrendKind = 'improving' | 'problem' | 'steady' | 'up-fewer-deals' | 'down-more-deals' | 'insufficient-data';

export interface TConversionTrend {
  readonly reading: TConversionTrendReading;
  /** Average deal size rose while conversion fell: moving up-market lowers conversion for a while. */
  readonly upMarketCaveat: boolean;
  /** Plain-English reading for the Slack layer. */
  readonly text: string;
  /** Which of the readings `text` says (the catalog key of other languages). */
  readonly kind: TConversionTrendKind;
}

const direction = (d: number, band: number): -1 | 0 | 1 => (d > band ? 1 : d < -band ? -1 : 0);

/**
 * Trend reading of SPEC §1.3. Deltas are relative changes vs the comparison period
 * (+0.1 = +10%; null when unknown); |delta| <= flatBand (default 5%) counts as flat.
 * - conversion up, won deals flat or up → 'improving';
 * - conversion down, won deals flat or down → 'problem' (process, team or lead quality);
 * - conversion flat → 'steady'; anything else → 'mixed';
 * - `upMarketCaveat` when conversion is down while the average deal size is up.
 *
 * @example
 * readConversionTrend({ conversionDelta: -0.2, dealsDelta: 0, avgDealDelta: 0.3 });
 * // { reading: 'problem', upMarketCaveat: true, text: 'Conversion is down … moving up-market …' }
 */
export function readConversionTrend(
  {
    conversionDelta,
    dealsDelta,
    avgDealDelta,
  }: { conversionDelta: number | null; dealsDelta: number | null; avgDealDelta: number | null },
  { flatBand = 0.05 }: { flatBand?: number } = {},
): TConversionTrend {
  if (conversionDelta === null || dealsDelta === null) {
    return { reading: 'insufficient-data', kind: 'insufficient-data', upMarketCaveat: false, text: 'Not enough history yet to read the conversion trend.' };
  }
  const conv = direction(conversionDelta, flatBand);
  const deals = direction(dealsDelta, flatBand);
  const upMarketCaveat = conv < 0 && avgDealDelta !== null && direction(avgDealDelta, flatBand) > 0;
  let reading: TConversionTrendReading;
  let text: string;
  let kind: TConversionTrendKind;
  if (conv > 0 && deals >= 0) {
    reading = 'improving';
    kind = 'improving';
    text = 'Conversion is up and won deals are flat or up: performance is improving.';
  } else if (conv < 0 && deals <= 0) {
    reading = 'problem';
    kind = 'problem';
    text = 'Conversion is down and won deals are flat or down: look for a process, team or lead-quality problem.';
  } else if (conv === 0) {
    reading = 'steady';
    kind = 'steady';
    text = 'Conversion is flat.';
  } else if (conv > 0) {
    reading = 'mixed';
    kind = 'up-fewer-deals';
    text = 'Conversion is up but fewer deals were won: check lead volume.';
  } else {
    reading = 'mixed';
    kind = 'down-more-deals';
    text = 'Conversion is down but more deals were won: lead volume is carrying the result.';
  }
  if (upMarketCaveat) {
    text += ' Average deal size rose at the same time: moving up-market lowers conversion for a while.';
  }
  return { reading, kind, upMarketCaveat, text };
}
