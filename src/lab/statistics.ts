// Means and 95% confidence intervals across seeds. Runs of different variants with the same seed share their
// random streams (common random numbers), so variants are compared by the per-seed difference: a paired t
// interval, much tighter than comparing two independent means. A variant's own mean gets a percentile bootstrap
// interval instead, because every compared metric is a count, a fraction or a latency: it cannot be negative,
// and a t interval around a skewed sample of counts ([0, 0, 0, 12]) reaches below zero.
import type { RandomSource } from "../engine/ports.js";

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

/** Resamples behind a bootstrap interval: enough that the 2.5% and 97.5% points move by well under 1% of the spread. */
export const BOOTSTRAP_RESAMPLES = 4000;

/**
 * Mean and 95% percentile-bootstrap interval of a sample (Efron & Tibshirani 1993, ch. 13): the 2.5% and 97.5%
 * points of the means of resamples drawn with replacement. Each bound is a mean of sample values, so the interval
 * lies within [min, max] of the sample: counts stay at or above zero and fractions within [0, 1]. Why not a
 * Wilson interval for a fraction such as lostFraction: it treats every request as an independent trial, but
 * losses come in bursts (one hang loses many in a row), so the seeds, not the requests, are the independent units.
 * With few seeds (under about ten) a percentile interval is narrower than it should be, as every interval from
 * so few samples is. The random source is a seeded stream, so the interval is the same on every run.
 */
export function bootstrapInterval(values: readonly number[], random: RandomSource, resamples = BOOTSTRAP_RESAMPLES): Interval {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, n);
  if (n < 2) return { n, mean, low: -Infinity, high: Infinity };
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(random.next() * n)]!;
    means[r] = sum / n;
  }
  means.sort();
  // The order statistics at 2.5% and 97.5% (nearest rank), clamped to the sample's range against rounding.
  const at = (q: number): number => means[Math.min(resamples - 1, Math.max(0, Math.ceil(q * resamples) - 1))]!;
  const min = Math.min(...values);
  const max = Math.max(...values);
  return { n, mean, low: Math.max(min, at(0.025)), high: Math.min(max, at(0.975)) };
}
