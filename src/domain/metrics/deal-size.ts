import { divRoundHalfUp } from './bigint-math.js';

export interface TAverageDealSize {
  /** total won / number won, rounded half up to a minor unit; null without won deals. */
  readonly averageMinor: bigint | null;
  readonly wonMinor: bigint;
  readonly wonCount: number;
  readonly reason: string | null;
}

/**
 * Average deal size = total won amount / number of won deals (SPEC §1.2; amount divided by count).
 *
 * @example
 * computeAverageDealSize({ wonMinor: 9_100n, wonCount: 6 }).averageMinor; // 1_517n (1516.67 rounded half up)
 * computeAverageDealSize({ wonMinor: 0n, wonCount: 0 }).reason; // 'no won deals yet'
 */
export function computeAverageDealSize({ wonMinor, wonCount }: { wonMinor: bigint; wonCount: number }): TAverageDealSize {
  if (wonCount <= 0) return { averageMinor: null, wonMinor, wonCount, reason: 'no won deals yet' };
  return { averageMinor: divRoundHalfUp(wonMinor, BigInt(wonCount)), wonMinor, wonCount, reason: null };
}

/**
 * Reps whose average deal is below the group average (they may chase small easy deals or
 * over-discount), lowest first. Reps without an average (no won deals) are not listed.
 *
 * @example
 * repsBelowAverage([{ repId: 1, averageMinor: 800n }, { repId: 2, averageMinor: 2_000n }], 1_517n);
 * // [{ repId: 1, averageMinor: 800n }]
 */
export function repsBelowAverage<T extends { readonly averageMinor: bigint | null }>(
  reps: readonly T[],
  groupAverage: bigint | null,
): T[] {
  if (groupAverage === null) return [];
  return reps
    .filter((r) => r.averageMinor !== null && r.averageMinor < groupAverage)
    .sort((a, b) => {
      const x = a.averageMinor ?? 0n;
      const y = b.averageMinor ?? 0n;
      return x < y ? -1 : x > y ? 1 : 0;
    });
}
