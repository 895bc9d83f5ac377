// Compare variants of a scenario across seeds with common random numbers: every variant runs with the same
// seeds, so arrivals, service demands, GC pauses and failure times are the same draws in every variant and
// only the setting under test differs. Reports each metric's mean and 95% CI per variant, and a verdict where
// the paired difference between the best variant and another excludes zero.
import type { ComparisonRow, RunSummary } from "../report/report-data.js";
import { metricValue } from "../scenario/metric-path.js";
import { meanInterval, pairedDifference } from "./statistics.js";

export interface ComparedMetric {
  /** A dotted path into RunSummary. */
  path: string;
  label: string;
  /** Lower is better for every metric here (losses, latency, retries). */
  unit: string;
}

export const COMPARED_METRICS: readonly ComparedMetric[] = [
  { path: "requests.lostFraction", label: "lost", unit: "%" },
  { path: "latencyMs.p50", label: "p50", unit: "ms" },
  { path: "latencyMs.p99", label: "p99", unit: "ms" },
  { path: "latencyMs.p999", label: "p99.9", unit: "ms" },
  { path: "attempts.retries", label: "balancer retries", unit: "" },
  { path: "attempts.duplicates", label: "duplicates", unit: "" },
];

export interface Comparison {
  rows: ComparisonRow[];
  verdicts: string[];
}

/** `runs[v][s]` is variant v's summary for seed s (the same seeds, in the same order, for every variant). */
export function compareVariants(variants: readonly string[], runs: readonly (readonly RunSummary[])[]): Comparison {
  const rows: ComparisonRow[] = [];
  const verdicts: string[] = [];
  for (const metric of COMPARED_METRICS) {
    const samples = runs.map((perSeed) => perSeed.map((s) => metricValue(s, metric.path)));
    const intervals = samples.map((values) => meanInterval(values));
    intervals.forEach((interval, v) => rows.push({
      metric: metric.path, variant: variants[v]!, seeds: interval.n, mean: interval.mean, ciLow: interval.low, ciHigh: interval.high,
    }));
    if (variants.length < 2 || samples[0]!.length < 2) continue;
    let best = 0;
    intervals.forEach((interval, v) => {
      if (interval.mean < intervals[best]!.mean) best = v;
    });
    for (let v = 0; v < variants.length; v++) {
      if (v === best) continue;
      const diff = pairedDifference(samples[best]!, samples[v]!);
      if (diff.high < 0) {
        verdicts.push(`${variants[best]} beats ${variants[v]} on ${metric.label}: ${format(intervals[best]!.mean, metric)} vs ${format(intervals[v]!.mean, metric)} ` +
          `(paired difference ${format(diff.mean, metric)}, 95% CI [${format(diff.low, metric)}, ${format(diff.high, metric)}], ${diff.n} seeds)`);
      }
    }
  }
  return { rows, verdicts };
}

function format(value: number, metric: ComparedMetric): string {
  if (metric.unit === "%") return `${(value * 100).toFixed(2)}%`;
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)}${metric.unit ? ` ${metric.unit}` : ""}`;
}
