// Chart (f): each compared metric's mean per variant over the seeds, with its 95% confidence interval as an error
// bar. Overlapping bars mean the seeds do not separate the variants; one panel per metric since units differ.
import type { TopLevelSpec } from "vega-lite";
import { type ChartDefinition, seedsSubtitle, specHeader, variantNames, variantScale } from "./chart-kit.js";
import type { ComparisonRow, ScenarioReport } from "./report-data.js";

type ConcatPanel = Extract<TopLevelSpec, { concat: unknown }>["concat"][number];

export function comparisonRows(report: ScenarioReport): ComparisonRow[] {
  return report.comparison.map((row) => ({ ...row }));
}

export function comparisonSpec(report: ScenarioReport): TopLevelSpec {
  const rows = comparisonRows(report);
  const metrics = [...new Set(rows.map((row) => row.metric))];
  const variants = variantNames(report);
  // Variants named only in the comparison (not in the runs) still get an axis slot, after the others.
  for (const row of rows) if (!variants.includes(row.variant)) variants.push(row.variant);
  const x = { field: "variant", type: "nominal", sort: variants, title: null, axis: { labelAngle: -30, labelLimit: 160 } } as const;
  // One concatenated panel per metric rather than a wrapped facet: each panel keeps its own y scale (units differ)
  // and draws its own x axis flush under its bars (a wrapped facet moves x axes into footers, detached from them).
  const panel = (metric: string): ConcatPanel => ({
      title: { text: `${metric} (${rows.find((r) => r.metric === metric)?.better ?? "lower"} is better)`, fontSize: 12 },
      transform: [{ filter: { field: "metric", equal: metric } }],
      width: 200,
      height: 170,
      // x lives on the layer, not on each child, so both marks share one axis.
      encoding: { x },
      layer: [
        {
          mark: { type: "bar", opacity: 0.85 },
          encoding: {
            y: { field: "mean", type: "quantitative", title: "mean (95% interval)" },
            color: { field: "variant", type: "nominal", scale: { ...variantScale(report), domain: variants }, legend: null },
          },
        },
        {
          mark: { type: "errorbar", ticks: { size: 18 }, color: "#222", thickness: 1.5 },
          encoding: { y: { field: "ciLow", type: "quantitative", title: "mean (95% interval)" }, y2: { field: "ciHigh" } },
        },
      ],
    });
  return {
    ...specHeader(report, "Comparison across seeds (mean and 95% interval)", seedsSubtitle(report)),
    data: { values: rows },
    concat: metrics.map(panel),
    columns: 3,
    resolve: { scale: { y: "independent" } },
  };
}

export const comparisonChart: ChartDefinition = {
  id: "comparison",
  title: "Comparison across seeds",
  caption: "Mean of each metric per variant over the seeds named in the subtitle, with 95% percentile-bootstrap intervals; one panel per metric, each saying which way is better.",
  emptyNote: "This report has no multi-seed comparison.",
  hasData: (report) => report.comparison.length > 0,
  spec: comparisonSpec,
};
