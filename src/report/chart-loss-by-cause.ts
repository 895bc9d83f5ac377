// Chart (c), first half: lost requests of each variant as one stacked bar, split by the ledger's loss causes, so
// "how many did we lose, and why" reads at a glance and across variants.
import type { TopLevelSpec } from "vega-lite";
import { type ChartDefinition, causeScale, specHeader, variantNames } from "./chart-kit.js";
import { LOSS_CAUSES, lossCausesPresent } from "./loss-causes.js";
import type { ScenarioReport } from "./report-data.js";

export interface LossCount {
  variant: string;
  cause: string;
  /** Ledger order, so stacks are drawn in the same order in every chart. */
  order: number;
  count: number;
}

export function lossByCauseRows(report: ScenarioReport): LossCount[] {
  return report.variants.flatMap(({ summary }) =>
    LOSS_CAUSES.map((cause, order) => ({ variant: summary.variant, cause, order, count: summary.requests.outcomes[cause] ?? 0 })).filter(
      (row) => row.count > 0,
    ),
  );
}

export function lossByCauseSpec(report: ScenarioReport): TopLevelSpec {
  const causes = lossCausesPresent(report.variants.map((variant) => variant.summary));
  return {
    ...specHeader(report, "Lost requests by cause"),
    data: { values: lossByCauseRows(report) },
    width: 680,
    height: { step: 34 },
    mark: { type: "bar" },
    encoding: {
      y: { field: "variant", type: "nominal", sort: variantNames(report), title: null },
      x: { field: "count", type: "quantitative", stack: "zero", title: "lost requests" },
      color: { field: "cause", type: "nominal", scale: causeScale(causes), title: "loss cause" },
      order: { field: "order", type: "quantitative" },
    },
  };
}

export const lossByCauseChart: ChartDefinition = {
  id: "loss-by-cause",
  title: "Lost requests by cause",
  caption: "Every user request that did not succeed ends, after its client's retries, in exactly one named cause (the summary's requests.outcomes); one bar per variant.",
  emptyNote: "No request was lost in any variant.",
  hasData: (report) => lossByCauseRows(report).length > 0,
  spec: lossByCauseSpec,
};
