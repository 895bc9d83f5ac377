// Means and 95% confidence intervals across seeds. Runs of different variants with the same seed share their
// random streams (common random numbers), so variants are compared by the per-seed difference: a paired t
// interval, much tighter than comparing two independent means.

/** Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom (standard tables). */
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12,
  2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** t_{0.975, df}; beyond the table, the Cornish-Fisher expansion around z = 1.96 (error below 0.001). */
export function tQuantile975(df: number): number {
  if (df < 1) return Infinity;
  if (df <= T_975.length) return T_975[df - 1]!;
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
}

export interface Interval {
  n: number;
  mean: number;
  low: number;
  high: number;
}

/** Mean and 95% t interval of a sample; with one value the interval is unbounded. */
export function meanInterval(values: readonly number[]): Interval {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, n);
  if (n < 2) return { n, mean, low: -Infinity, high: Infinity };
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
  const half = tQuantile975(n - 1) * Math.sqrt(variance / n);
  return { n, mean, low: mean - half, high: mean + half };
}

/** The paired interval of a - b (same seeds, same order). */
export function pairedDifference(a: readonly number[], b: readonly number[]): Interval {
  if (a.length !== b.length) throw new RangeError("paired samples must have the same length");
  return meanInterval(a.map((value, i) => value - b[i]!));
}
