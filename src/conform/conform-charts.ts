// The report's charts for one conformance case: the real run and lbsim's prediction on the same axes, so a reader
// sees where they part. Specs are pure functions of the case, built with the report's shared look (chart-kit).
import type { TopLevelSpec } from "vega-lite";
import { CHART_CONFIG, VEGA_LITE_SCHEMA, paletteColor } from "../report/chart-kit.js";
import type { Measured } from "./measure.js";
import type { CaseRun } from "./run-case.js";

const SIDES = { domain: ["real", "lbsim"], range: [paletteColor(2), paletteColor(0)] };

function sides(run: CaseRun): Array<{ side: string; m: Measured }> {
  return [...(run.real ? [{ side: "real", m: run.real }] : []), { side: "lbsim", m: run.simulated }];
}

function header(run: CaseRun, title: string): { $schema: string; title: { text: string; subtitle: string }; config: typeof CHART_CONFIG; width: number; height: number } {
  return { $schema: VEGA_LITE_SCHEMA, title: { text: title, subtitle: `${run.name} · ${run.proxy}${run.proxyVersion ? ` ${run.proxyVersion}` : ""}` }, config: CHART_CONFIG, width: 760, height: 200 };
}

/** Lost requests per window, real and simulated. */
export function lossSpec(run: CaseRun): TopLevelSpec {
  const values = sides(run).flatMap(({ side, m }) => m.windows.map((w) => ({ side, t: w.startMs / 1000, lost: w.lost, sent: w.sent })));
  return {
    ...header(run, "Lost requests per second"),
    data: { values },
    mark: { type: "line", point: true, interpolate: "step-after" },
    encoding: {
      x: { field: "t", type: "quantitative", title: "time (s)" },
      // Counts per 1 s window: whole-number ticks (a run with no loss drew a flat line on ticks labelled 0.000000).
      y: { field: "lost", type: "quantitative", title: "lost per second", axis: { tickMinStep: 1, format: ",d" } },
      color: { field: "side", type: "nominal", title: null, scale: SIDES },
    },
  } as TopLevelSpec;
}

/** p50 and p99 of successful requests per window, real and simulated. */
export function latencySpec(run: CaseRun): TopLevelSpec {
  const values = sides(run).flatMap(({ side, m }) => m.windows.flatMap((w) => [
    ...(w.p50Ms === null ? [] : [{ side, t: w.startMs / 1000, quantile: "p50", ms: w.p50Ms }]),
    ...(w.p99Ms === null ? [] : [{ side, t: w.startMs / 1000, quantile: "p99", ms: w.p99Ms }]),
  ]));
  return {
    ...header(run, "Latency of successful requests (p50 solid, p99 dashed)"),
    data: { values },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "t", type: "quantitative", title: "time (s)" },
      y: { field: "ms", type: "quantitative", title: "ms", scale: { type: "symlog" } },
      color: { field: "side", type: "nominal", title: null, scale: SIDES },
      strokeDash: { field: "quantile", type: "nominal", title: null, scale: { domain: ["p50", "p99"], range: [[1, 0], [5, 3]] } },
      detail: { field: "quantile" },
    },
  } as TopLevelSpec;
}

/** Health transitions per backend: the time each side marked it down, up, draining or in maintenance. */
export function healthSpec(run: CaseRun): TopLevelSpec {
  const values = sides(run).flatMap(({ side, m }) => m.health.map((e) => ({ side, t: e.atMs / 1000, backend: e.backend, state: e.state, row: `${e.backend} · ${side}` })));
  return {
    ...header(run, "Health transitions"),
    data: { values },
    mark: { type: "point", filled: true, size: 90 },
    encoding: {
      x: { field: "t", type: "quantitative", title: "time (s)" },
      y: { field: "row", type: "nominal", title: null, sort: "ascending" },
      color: { field: "state", type: "nominal", title: "marked", scale: { domain: ["down", "up", "drain", "maint"], range: ["#e15759", "#59a14f", "#f28e2b", "#7f7f7f"] } },
      shape: { field: "side", type: "nominal", title: null, scale: { domain: ["real", "lbsim"], range: ["circle", "diamond"] } },
    },
  } as TopLevelSpec;
}

export function hasHealth(run: CaseRun): boolean {
  return sides(run).some(({ m }) => m.health.length > 0);
}
