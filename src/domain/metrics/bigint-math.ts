/**
 * Exact integer helpers for money in minor units (bigint). No floats touch stored amounts; ratios
 * are computed as JS numbers only for display and classification.
 */

/**
 * a / b rounded half away from zero (half up for non-negative values).
 *
 * @example
 * divRoundHalfUp(9100n, 6n); // 1517n (1516.67)
 * divRoundHalfUp(5n, 2n); // 3n
 */
export function divRoundHalfUp(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new RangeError('division by zero');
  const negative = a < 0n !== b < 0n;
  const absA = a < 0n ? -a : a;
  const absB = b < 0n ? -b : b;
  const q = (absA * 2n + absB) / (absB * 2n);
  return negative ? -q : q;
}

/**
 * Ceiling of a / b for positive b.
 *
 * @example
 * ceilDiv(800_000_000n, 10_000_000n); // 80n
 * ceilDiv(801n, 10n); // 81n
 */
export function ceilDiv(a: bigint, b: bigint): bigint {
  if (b <= 0n) throw new RangeError('ceilDiv needs a positive divisor');
  if (a <= 0n) return -(-a / b);
  return (a + b - 1n) / b;
}

/**
 * a / b as a JS number, or null when b is 0. Exact enough for display (ratios of amounts below
 * 2^53 lose nothing that one-decimal percentages could show).
 *
 * @example
 * ratioOf(1n, 4n); // 0.25
 * ratioOf(1n, 0n); // null
 */
export function ratioOf(a: bigint, b: bigint): number | null {
  if (b === 0n) return null;
  return Number(a) / Number(b);
}

/**
 * amount × share (share in [0, 1] as a number) rounded half up, computed through parts per
 * million so the result is deterministic.
 *
 * @example
 * scaleByShare(9_200n, 31 / 92); // 3_100n
 */
export function scaleByShare(amount: bigint, share: number): bigint {
  if (!Number.isFinite(share)) throw new RangeError('share must be finite');
  const ppm = BigInt(Math.round(share * 1_000_000));
  return divRoundHalfUp(amount * ppm, 1_000_000n);
}

/**
 * amount × num / den rounded half up (exact, for pro-rating by time).
 *
 * @example
 * mulDivRoundHalfUp(9_200n, 31n, 92n); // 3_100n
 */
export function mulDivRoundHalfUp(amount: bigint, num: bigint, den: bigint): bigint {
  return divRoundHalfUp(amount * num, den);
}

/**
 * Smaller of two bigints.
 *
 * @example
 * minBig(3n, 5n); // 3n
 */
export function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/**
 * Larger of two bigints.
 *
 * @example
 * maxBig(0n, -5n); // 0n
 */
export function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
