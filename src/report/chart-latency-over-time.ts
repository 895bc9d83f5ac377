// Chart (a): client-observed p50/p90/p99 per time window, one panel per variant. A log scale keeps p50 readable
// next to a GC-pause p99 a hundred times larger; windows with no successful request have no latency and are left out.
import type { TopLevelSpec } from "vega-lite";
import { type ChartDefinition, seconds, specHeader, variantNames } from "./chart-kit.js";
import type { ScenarioReport } from "./report-data.js";

export interface LatencyPoint {
  variant: string;
  timeS: number;
  percentile: "p50" | "p90" | "p99";
  latencyMs: number;
}

export function latencyOverTimeRows(report: ScenarioReport): LatencyPoint[] {
  const rows: LatencyPoint[] = [];
  for (const { summary, series } of report.variants) {
    for (const window of series.windows) {
      if (window.ok === 0) continue;
      const timeS = seconds(window.startMs);
      const add = (percentile: LatencyPoint["percentile"], latencyMs: number): void => {
        if (latencyMs > 0) rows.push({ variant: summary.variant, timeS, percentile, latencyMs });
      };
      add("p50", window.p50Ms);
      add("p90", window.p90Ms);
      add("p99", window.p99Ms);
    }
  }
  return rows;
}

export function latencyOverTimeSpec(report: ScenarioReport): TopLevelSpec {
  return {
    ...specHeader(report, "Latency percentiles over time"),
    data: { values: latencyOverTimeRows(report) },
    facet: { row: { field: "variant", type: "nominal", sort: variantNames(report), title: null } },
    spec: {
      width: 680,
      height: 150,
      mark: { type: "line", strokeWidth: 1.4, interpolate: "step-after" },
      encoding: {
        x: { field: "timeS", type: "quantitative", title: "simulated time (s)" },
        y: { field: "latencyMs", type: "quantitative", scale: { type: "log" }, title: "latency (ms, log)" },
        color: {
          field: "percentile",
          type: "nominal",
          scale: { domain: ["p50", "p90", "p99"], range: ["#4e79a7", "#f28e2b", "#e15759"] },
          title: "percentile",
        },
      },
    },
  };
}

export const latencyOverTimeChart: ChartDefinition = {
  id: "latency-over-time",
  title: "Latency percentiles over time",
  caption: "Client-observed latency of successful requests per time window; one panel per variant, log scale.",
  emptyNote: "No time window had a successful request, so there is no latency to draw.",
  hasData: (report) => latencyOverTimeRows(report).length > 0,
  spec: latencyOverTimeSpec,
};
