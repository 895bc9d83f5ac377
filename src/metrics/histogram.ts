// Latency histograms: HdrHistogram (Gil Tene's log-linear buckets, 3 significant digits) in plain TypeScript
// (hdr-histogram.ts), the same buckets and figures as the `hdr-histogram-js` WebAssembly build it replaces, at a
// fraction of the cost per recorded value.
import { HdrHistogram } from "./hdr-histogram.js";

/**
 * Kept for callers written when histograms came from a WebAssembly module that loaded asynchronously: there is
 * nothing to load now, so this resolves at once.
 */
export async function initHistograms(): Promise<void> {}

export type Histogram = HdrHistogram;

/** A histogram of non-negative integers (microseconds) that grows to fit whatever is recorded. */
export function createHistogram(): Histogram {
  return new HdrHistogram();
}

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/**
 * The value at `percentile`, never above the largest value recorded. HdrHistogram answers with the highest value
 * equivalent to the bucket's (up to 0.1% above what was recorded at 3 significant digits), so the top
 * percentiles could read above the exact `maxValue`; clamped, p99 <= max always holds. No clamp is needed below:
 * the highest equivalent value of a bucket is at least every value in it, so it is never under the minimum.
 */
export function valueAtPercentile(histogram: Histogram, percentile: number): number {
  return Math.min(histogram.getValueAtPercentile(percentile), histogram.maxValue);
}

/** Percentiles in the histogram's unit. An empty histogram summarises to zeros with count 0. */
export function summarize(histogram: Histogram): LatencySummary {
  const count = histogram.totalCount;
  if (count === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  return {
    count,
    mean: histogram.mean,
    p50: valueAtPercentile(histogram, 50),
    p90: valueAtPercentile(histogram, 90),
    p99: valueAtPercentile(histogram, 99),
    p999: valueAtPercentile(histogram, 99.9),
    max: histogram.maxValue,
  };
}
