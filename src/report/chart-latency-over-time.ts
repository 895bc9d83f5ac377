// Chart (a): user requests' latency per time window (from first send to final answer), one panel per variant:
// p50, p90 and p99 of the successful ones, and the median wait of the failed ones as a separate grey line, never
// mixed into the successful percentiles (the summary's latencyMs and failedLatencyMs, over time). A log scale
// keeps p50 readable next to a GC-pause p99 a hundred times larger; a window without a request of a kind has no
// point for it.
import type { TopLevelSpec } from "vega-lite";
import { type ChartDefinition, seconds, specHeader, variantNames } from "./chart-kit.js";
import type { ScenarioReport } from "./report-data.js";

/** The lines, in legend order: successful requests' percentiles, then failed requests' median. */
export const SERIES = ["p50", "p90", "p99", "failed p50"] as const;
const SERIES_COLORS = ["#4e79a7", "#f28e2b", "#e15759", "#9d9d9d"];

export interface LatencyPoint {
  variant: string;
  timeS: number;
  percentile: (typeof SERIES)[number];
  latencyMs: number;
}

export function latencyOverTimeRows(report: ScenarioReport): LatencyPoint[] {
  const rows: LatencyPoint[] = [];
  for (const { summary, series } of report.variants) {
    for (const window of series.windows) {
      const timeS = seconds(window.startMs);
      const add = (percentile: LatencyPoint["percentile"], latencyMs: number): void => {
        if (latencyMs > 0) rows.push({ variant: summary.variant, timeS, percentile, latencyMs });
      };
      if (window.ok > 0) {
        add("p50", window.p50Ms);
        add("p90", window.p90Ms);
        add("p99", window.p99Ms);
      }
      if (window.failed > 0) add("failed p50", window.failedP50Ms);
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
          scale: { domain: [...SERIES], range: SERIES_COLORS },
          title: "user requests",
        },
        strokeDash: {
          field: "percentile",
          type: "nominal",
          scale: { domain: [...SERIES], range: [[1, 0], [1, 0], [1, 0], [4, 3]] },
          title: "user requests", // the same field and title as color: one legend showing both
        },
      },
    },
  };
}

export const latencyOverTimeChart: ChartDefinition = {
  id: "latency-over-time",
  title: "Latency percentiles over time",
  caption:
    "Latency of user requests (first send to final answer, client retries included) per time window: p50, p90 and p99 of the successful ones, and, dashed grey, the median wait of the failed ones; one panel per variant, log scale.",
  emptyNote: "No time window had an answered request, so there is no latency to draw.",
  hasData: (report) => latencyOverTimeRows(report).length > 0,
  spec: latencyOverTimeSpec,
};
