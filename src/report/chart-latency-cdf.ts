// Chart (b): the distribution of successful requests' latency, one line per variant, on a log x axis so the body
// and the tail both show: where the lines part at the top is where the variants' tails differ.
import type { TopLevelSpec } from "vega-lite";
import { type ChartDefinition, specHeader, variantScale } from "./chart-kit.js";
import type { ScenarioReport } from "./report-data.js";

export interface CdfPoint {
  variant: string;
  latencyMs: number;
  fraction: number;
}

export function latencyCdfRows(report: ScenarioReport): CdfPoint[] {
  return report.variants.flatMap(({ summary, series }) =>
    series.latencyCdf
      .filter((point) => point.latencyMs > 0) // a log axis has no place for zero
      .map((point) => ({ variant: summary.variant, latencyMs: point.latencyMs, fraction: point.fraction })),
  );
}

/** Solid for the first variant, then ever shorter dashes, so a line drawn over another leaves gaps to see it through. */
function dashes(count: number): number[][] {
  const patterns = [[1, 0], [8, 4], [3, 3], [1, 3], [12, 3, 3, 3]];
  return Array.from({ length: count }, (_, i) => patterns[i % patterns.length]!);
}

export function latencyCdfSpec(report: ScenarioReport): TopLevelSpec {
  return {
    ...specHeader(report, "Latency distribution (CDF)"),
    data: { values: latencyCdfRows(report) },
    width: 680,
    height: 320,
    mark: { type: "line", interpolate: "step-after", strokeWidth: 1.8 },
    encoding: {
      x: { field: "latencyMs", type: "quantitative", scale: { type: "log" }, title: "latency (ms, log)" },
      y: { field: "fraction", type: "quantitative", scale: { domain: [0, 1] }, axis: { format: "%" }, title: "requests at or below" },
      color: { field: "variant", type: "nominal", scale: variantScale(report), title: "variant" },
      // Variants whose curves coincide (http and deep in the black hole) stay distinguishable by their dashes.
      strokeDash: { field: "variant", type: "nominal", scale: { domain: variantScale(report).domain, range: dashes(report.variants.length) }, title: "variant" },
    },
  };
}

export const latencyCdfChart: ChartDefinition = {
  id: "latency-cdf",
  title: "Latency distribution",
  caption: "Fraction of successful user requests at or below each latency, first send to final answer (log axis; the summary's p50 and p99 lie on it); lines further left are faster.",
  emptyNote: "No successful requests, so there is no latency distribution.",
  hasData: (report) => latencyCdfRows(report).length > 0,
  spec: latencyCdfSpec,
};
