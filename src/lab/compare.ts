// Compare variants of a scenario across seeds with common random numbers: every variant runs with the same
// seeds, so arrivals, service demands, GC pauses and failure times are the same draws in every variant and
// only the setting under test differs. Reports each metric's mean and 95% interval per variant, and a verdict
// where the paired difference between the best variant and another excludes zero.
//
// Every metric says which way is better, and they are judged in order: losses first, then latency, then the
// costs beneath them (retries, duplicates). A variant that is significantly worse on losses or latency does not
// "win" on a cost: fewer retries from a variant that fails seventy times more often is not a success, and the
// verdict says so instead of crowning it.
import { Rng } from "../engine/rng.js";
import { formatMeasured } from "../report/format.js";
import type { ComparisonRow, MetricUnit, RunSummary } from "../report/report-data.js";
import { metricValue } from "../scenario/metric-path.js";
import { bootstrapInterval, pairedDifference, type Interval } from "./statistics.js";

export interface ComparedMetric {
  /** A dotted path into RunSummary. */
  path: string;
  /** How a verdict names it: "tcp beats http on lost requests". */
  label: string;
  unit: MetricUnit;
  /** Which way is better. Every metric compared today is a loss, a latency or a cost: lower. */
  better: "lower" | "higher";
  /** Outcomes (losses, latency) are judged first; a cost only counts for a variant no worse on every outcome. */
  rank: "outcome" | "cost";
}

export const COMPARED_METRICS: readonly ComparedMetric[] = [
  { path: "requests.lostFraction", label: "lost requests", unit: "%", better: "lower", rank: "outcome" },
  { path: "latencyMs.p50", label: "p50 latency", unit: "ms", better: "lower", rank: "outcome" },
  { path: "latencyMs.p99", label: "p99 latency", unit: "ms", better: "lower", rank: "outcome" },
  { path: "latencyMs.p999", label: "p99.9 latency", unit: "ms", better: "lower", rank: "outcome" },
  { path: "tries.retries", label: "client retries", unit: "", better: "lower", rank: "cost" },
  { path: "attempts.retries", label: "balancer retries", unit: "", better: "lower", rank: "cost" },
  { path: "attempts.duplicates", label: "duplicate executions", unit: "", better: "lower", rank: "cost" },
];

export interface Comparison {
  rows: ComparisonRow[];
  verdicts: string[];
}

interface Judged {
  metric: ComparedMetric;
  samples: number[][];
  intervals: Interval[];
}

/**
 * `runs[v][s]` is variant v's summary for seed s (the same seeds, in the same order, for every variant). The
 * bootstrap streams are derived from the first seed and the metric and variant names, so the same runs always
 * give the same intervals.
 */
export function compareVariants(variants: readonly string[], runs: readonly (readonly RunSummary[])[]): Comparison {
  const rows: ComparisonRow[] = [];
  const root = Rng.root(runs[0]?.[0]?.seed ?? "compare").fork("compare/bootstrap");
  const judged: Judged[] = COMPARED_METRICS.map((metric) => {
    const samples = runs.map((perSeed) => perSeed.map((s) => metricValue(s, metric.path)));
    const intervals = samples.map((values, v) => bootstrapInterval(values, root.fork(`${metric.path}/${variants[v]}`)));
    intervals.forEach((interval, v) => rows.push({
      metric: metric.path, variant: variants[v]!, better: metric.better, unit: metric.unit, seeds: interval.n, mean: interval.mean, ciLow: interval.low, ciHigh: interval.high,
    }));
    return { metric, samples, intervals };
  });
  const verdicts: string[] = [];
  if (variants.length < 2 || (runs[0]?.length ?? 0) < 2) return { rows, verdicts };
  const outcomes = judged.filter((j) => j.metric.rank === "outcome");
  for (const rank of ["outcome", "cost"] as const) {
    for (const j of judged.filter((x) => x.metric.rank === rank)) {
      const best = bestVariant(j);
      for (let v = 0; v < variants.length; v++) {
        if (v === best) continue;
        const diff = signed(j.metric, pairedDifference(j.samples[best]!, j.samples[v]!));
        if (!(diff.high < 0)) continue; // not significantly better
        const stat = `${fmtPair(j.intervals[best]!.mean, j.intervals[v]!.mean, j.metric)} (paired difference ${fmtDiff(j.metric, diff)}, ${diff.n} seeds)`;
        const worse = rank === "cost" ? outcomes.find((o) => signed(o.metric, pairedDifference(o.samples[best]!, o.samples[v]!)).low > 0) : undefined;
        if (worse === undefined) {
          verdicts.push(`${variants[best]} beats ${variants[v]} on ${j.metric.label}: ${stat}`);
        } else {
          verdicts.push(`${variants[best]} has fewer ${j.metric.label} than ${variants[v]}: ${stat}, but is worse on ${worse.metric.label} ` +
            `(${fmtPair(worse.intervals[best]!.mean, worse.intervals[v]!.mean, worse.metric)}): not a win`);
        }
      }
    }
  }
  return { rows, verdicts };
}

function bestVariant(j: Judged): number {
  let best = 0;
  j.intervals.forEach((interval, v) => {
    const better = j.metric.better === "lower" ? interval.mean < j.intervals[best]!.mean : interval.mean > j.intervals[best]!.mean;
    if (better) best = v;
  });
  return best;
}

/** The paired difference oriented so that negative means "the first variant is better". */
function signed(metric: ComparedMetric, diff: Interval): Interval {
  return metric.better === "lower" ? diff : { n: diff.n, mean: -diff.mean, low: -diff.high, high: -diff.low };
}

function fmtDiff(metric: ComparedMetric, diff: Interval): string {
  const raw = metric.better === "lower" ? diff : signed(metric, diff);
  return `${fmt(raw.mean, metric)}, 95% CI [${fmt(raw.low, metric)}, ${fmt(raw.high, metric)}]`;
}

/** "25.71 ms vs 25.74 ms": more digits when three would print two different means the same. */
function fmtPair(a: number, b: number, metric: ComparedMetric): string {
  let digits = 3;
  while (digits < 6 && a !== b && formatMeasured(a, metric.unit, digits) === formatMeasured(b, metric.unit, digits)) digits++;
  return `${formatMeasured(a, metric.unit, digits)} vs ${formatMeasured(b, metric.unit, digits)}`;
}

function fmt(value: number, metric: ComparedMetric): string {
  return formatMeasured(value, metric.unit);
}
