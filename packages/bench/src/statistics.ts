/**
 * The median of a non-empty list (the mean of the middle two for an even count).
 * @example median([3, 1, 2]) // 2
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * The nearest-rank percentile (0–100) of samples sorted in place; NaN when there are none.
 * @example percentile(Float64Array.from([1, 2, 3, 4]), 50) // 2
 */
export function percentile(sortedSamples: ArrayLike<number>, p: number): number {
  const n = sortedSamples.length;
  if (n === 0) return Number.NaN;
  const rank = Math.min(n, Math.max(1, Math.ceil((p / 100) * n)));
  return sortedSamples[rank - 1] as number;
}

/**
 * Rounds to `digits` decimals (for JSON and tables; the raw runs are kept alongside).
 * @example round(0.123456, 3) // 0.123
 */
export function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
