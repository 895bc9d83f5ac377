// Chart (c), second half: when the losses happened, per time window and cause, one panel per variant that lost
// anything. Lined up with the health timeline it shows, for example, a black hole's losses stopping when the
// health check finally marks the backend down.
import type { TopLevelSpec } from "vega-lite";
import { type ChartDefinition, causeScale, seconds, specHeader, variantNames } from "./chart-kit.js";
import { LOSS_CAUSES } from "./loss-causes.js";
import type { ScenarioReport } from "./report-data.js";

export interface LossWindow {
  variant: string;
  startS: number;
  endS: number;
  cause: string;
  order: number;
  count: number;
}

export function lossOverTimeRows(report: ScenarioReport): LossWindow[] {
  const rows: LossWindow[] = [];
  for (const { summary, series } of report.variants) {
    for (const window of series.windows) {
      LOSS_CAUSES.forEach((cause, order) => {
        const count = window.outcomes[cause] ?? 0;
        if (count > 0) {
          rows.push({ variant: summary.variant, startS: seconds(window.startMs), endS: seconds(window.endMs), cause, order, count });
        }
      });
    }
  }
  return rows;
}

export function lossOverTimeSpec(report: ScenarioReport): TopLevelSpec {
  const rows = lossOverTimeRows(report);
  const causes = LOSS_CAUSES.filter((cause) => rows.some((row) => row.cause === cause));
  const variants = variantNames(report).filter((variant) => rows.some((row) => row.variant === variant));
  // The whole run on the x axis (not just the windows that lost something), so it lines up with the other charts.
  const windows = report.variants.flatMap((variant) => variant.series.windows);
  const domain = [Math.min(...windows.map((w) => seconds(w.startMs))), Math.max(...windows.map((w) => seconds(w.endMs)))];
  return {
    ...specHeader(report, "Lost requests over time"),
    data: { values: rows },
    facet: { row: { field: "variant", type: "nominal", sort: variants, title: null } },
    spec: {
      width: 680,
      height: 120,
      mark: { type: "bar" },
      encoding: {
        // "binned" says each row already is a bin [startS, endS): bars stand on the x axis and stack upwards.
        x: { field: "startS", type: "quantitative", bin: "binned", scale: { domain }, title: "simulated time (s)" },
        x2: { field: "endS" },
        y: { field: "count", type: "quantitative", stack: "zero", title: "lost per window" },
        color: { field: "cause", type: "nominal", scale: causeScale(causes), title: "loss cause" },
        order: { field: "order", type: "quantitative" },
      },
    },
  };
}

export const lossOverTimeChart: ChartDefinition = {
  id: "loss-over-time",
  title: "Lost requests over time",
  caption: "Lost user requests per time window in which they ended, stacked by cause (they sum to the summary's lost); one panel per variant that lost any.",
  emptyNote: "No time window recorded a lost request.",
  hasData: (report) => lossOverTimeRows(report).length > 0,
  spec: lossOverTimeSpec,
};
