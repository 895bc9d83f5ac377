// Chart (d): how the balancer spread the load: each backend's mean in-flight requests and its workers'
// utilisation per time window, one column per variant. Shared y scales within a row let variants be compared;
// in-flight counts are on a symmetric log scale so a hung backend's pile-up does not flatten the healthy ones.
import type { TopLevelSpec } from "vega-lite";
import { type ChartDefinition, paletteColor, seconds, specHeader, variantNames } from "./chart-kit.js";
import type { ScenarioReport } from "./report-data.js";

export interface LoadPoint {
  variant: string;
  backend: string;
  timeS: number;
  meanInFlight: number;
  utilisation: number;
}

export function backendLoadRows(report: ScenarioReport): LoadPoint[] {
  return report.variants.flatMap(({ summary, series }) =>
    series.backendLoad.map((point) => ({
      variant: summary.variant,
      backend: point.backend,
      timeS: seconds(point.startMs),
      meanInFlight: point.meanInFlight,
      utilisation: point.utilisation,
    })),
  );
}

/** Backends in the order the summaries list them, then any others in order of appearance. */
export function backendNames(report: ScenarioReport): string[] {
  const names: string[] = [];
  const add = (name: string): void => {
    if (!names.includes(name)) names.push(name);
  };
  for (const { summary } of report.variants) for (const backend of summary.backends) add(backend.name);
  for (const { series } of report.variants) for (const point of series.backendLoad) add(point.backend);
  for (const { series } of report.variants) for (const span of series.health) add(span.backend);
  return names;
}

export function backendLoadSpec(report: ScenarioReport): TopLevelSpec {
  const variants = variantNames(report).filter((variant) => report.variants.some((v) => v.summary.variant === variant && v.series.backendLoad.length > 0));
  const backends = backendNames(report);
  const color = {
    field: "backend",
    type: "nominal",
    scale: { domain: backends, range: backends.map((_, index) => paletteColor(index)) },
    title: "backend",
  } as const;
  const maxInFlight = Math.max(0, ...report.variants.flatMap((v) => v.series.backendLoad.map((p) => p.meanInFlight)));
  const width = Math.max(220, Math.floor(720 / Math.max(1, variants.length)));
  const panel = (field: "meanInFlight" | "utilisation", title: string, percent: boolean) =>
    ({
      facet: { column: { field: "variant", type: "nominal", sort: variants, title: null } },
      spec: {
        width,
        height: 140,
        mark: { type: "line", strokeWidth: 1.2, interpolate: "step-after" },
        encoding: {
          x: { field: "timeS", type: "quantitative", title: "simulated time (s)" },
          y: {
            field,
            type: "quantitative",
            title,
            // In-flight counts span a healthy backend's handful to a black hole's thousands: a symmetric log scale
            // keeps both readable (and zero on the axis) where a linear one flattens every healthy backend.
            ...(percent
              ? { axis: { format: "%" }, scale: { domain: [0, 1] } }
              : { scale: { type: "symlog" }, axis: { values: decades(maxInFlight), format: ",.0f" } }),
          },
          color,
        },
      },
    }) as const;
  return {
    ...specHeader(report, "Backend load"),
    data: { values: backendLoadRows(report) },
    vconcat: [panel("meanInFlight", "mean in-flight", false), panel("utilisation", "utilisation", true)],
  } as TopLevelSpec; // the two panels' y encodings differ in shape, which the spec types cannot follow through a union
}

/** Axis ticks for a symmetric log scale: 0, then 1, 10, 100... up to the first decade at or above the maximum. */
export function decades(max: number): number[] {
  const ticks = [0, 1];
  while (ticks.at(-1)! < max) ticks.push(ticks.at(-1)! * 10);
  return ticks;
}

export const backendLoadChart: ChartDefinition = {
  id: "backend-load",
  title: "Backend load",
  caption: "Mean requests in flight (top, symmetric log scale: 0, 1, 10, 100...) and worker utilisation (bottom) per backend and time window; one column per variant.",
  emptyNote: "The run recorded no backend load series.",
  hasData: (report) => backendLoadRows(report).length > 0,
  spec: backendLoadSpec,
};
