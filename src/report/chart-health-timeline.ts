// Chart (e): a Gantt of each backend's health state as each balancer node saw it (one thin lane per node inside a
// backend's row), with what happened to the backend drawn over it: GC pauses and other spans as thick segments,
// crashes, hangs and restarts as ticks. This is the chart that shows a "health check black hole": the backend is
// hung (marker) while every node still shows it healthy (green).
import type { TopLevelSpec } from "vega-lite";
import { backendNames } from "./chart-backend-load.js";
import { type ChartDefinition, paletteColor, seconds, specHeader, variantNames } from "./chart-kit.js";
import type { ScenarioReport } from "./report-data.js";

export interface HealthRow {
  type: "span";
  variant: string;
  backend: string;
  node: string;
  state: string;
  fromS: number;
  toS: number;
}

export interface MarkerRow {
  type: "marker";
  variant: string;
  backend: string;
  kind: string;
  atS: number;
  /** Absent for instants (a crash); the end of a span (a GC pause). */
  endS?: number;
}

// The node-health states (src/model/lb/node-health.ts HEALTH_STATE_NAMES) in traffic-light colours; any other
// state a future model reports gets a palette colour after them.
const STATE_COLORS: Readonly<Record<string, string>> = {
  healthy: "#59a14f",
  unhealthy: "#e15759",
  draining: "#edc948",
  drained: "#9d9d9d",
};

const MARKER_COLORS: Readonly<Record<string, string>> = {
  gc: "#2b2b2b",
  crash: "#7b3294",
  hang: "#e66101",
  restart: "#1f78b4",
  start: "#1f78b4",
  ready: "#1f78b4",
};

export function healthTimelineRows(report: ScenarioReport): Array<HealthRow | MarkerRow> {
  const rows: Array<HealthRow | MarkerRow> = [];
  for (const { summary, series } of report.variants) {
    for (const span of series.health) {
      const { node, backend, state } = span;
      rows.push({ type: "span", variant: summary.variant, backend, node, state, fromS: seconds(span.fromMs), toS: seconds(span.toMs) });
    }
    for (const marker of series.markers) {
      const row: MarkerRow = { type: "marker", variant: summary.variant, backend: marker.backend, kind: marker.kind, atS: seconds(marker.atMs) };
      if (marker.endMs !== undefined) row.endS = seconds(marker.endMs);
      rows.push(row);
    }
  }
  return rows;
}

/**
 * One colour scale for states and events together: states first (traffic lights), then event kinds. A single scale
 * gives a single legend; two independent scales inside a faceted chart would repeat both legends beside every panel.
 */
function stateAndEventScale(states: Iterable<string>, kinds: Iterable<string>): { domain: string[]; range: string[] } {
  const order = (values: Iterable<string>, known: Readonly<Record<string, string>>): string[] => {
    const present = new Set(values);
    return [...Object.keys(known).filter((value) => present.has(value)), ...[...present].filter((value) => !(value in known)).sort()];
  };
  const domain = [...new Set([...order(states, STATE_COLORS), ...order(kinds, MARKER_COLORS)])];
  let extra = 0;
  const range = domain.map((value) => STATE_COLORS[value] ?? MARKER_COLORS[value] ?? paletteColor(6 + extra++));
  return { domain, range };
}

/** Height of one backend's row: a lane of 9 px per node, at least 22 px so the backend's label fits. */
export function backendRowHeight(nodeCount: number): number {
  return Math.max(22, 9 * nodeCount + 6);
}

export function healthTimelineSpec(report: ScenarioReport): TopLevelSpec {
  const rows = healthTimelineRows(report);
  const spans = rows.filter((row): row is HealthRow => row.type === "span");
  const markers = rows.filter((row): row is MarkerRow => row.type === "marker");
  const backends = backendNames(report).filter((backend) => rows.some((row) => row.backend === backend));
  const nodes = [...new Set(spans.map((span) => span.node))].sort();
  const variants = variantNames(report).filter((variant) => rows.some((row) => row.variant === variant));
  const y = { field: "backend", type: "nominal", sort: backends, title: null } as const;
  const x = { type: "quantitative", title: "simulated time (s)" } as const;
  const color = {
    field: "colorKey",
    type: "nominal",
    scale: stateAndEventScale(spans.map((s) => s.state), markers.map((m) => m.kind)),
    title: "state / event",
  } as const;
  return {
    ...specHeader(report, "Backend health as the balancer nodes saw it"),
    data: { values: rows },
    transform: [{ calculate: "datum.type === 'span' ? datum.state : datum.kind", as: "colorKey" }],
    facet: { row: { field: "variant", type: "nominal", sort: variants, title: null } },
    spec: {
      width: 680,
      // A fixed height (not a step): a step on y conflicts with the yOffset lanes inside each band.
      height: backendRowHeight(nodes.length) * Math.max(1, backends.length),
      layer: [
        {
          transform: [{ filter: "datum.type === 'span'" }],
          mark: { type: "bar" },
          encoding: {
            y,
            yOffset: { field: "node", type: "nominal", sort: nodes, scale: { paddingInner: 0.15 } },
            x: { field: "fromS", ...x },
            x2: { field: "toS" },
            color,
          },
        },
        {
          // A square-capped rule stays visible (one cap wide) even for a pause far shorter than a pixel.
          transform: [{ filter: "datum.type === 'marker' && isValid(datum.endS)" }],
          mark: { type: "rule", strokeWidth: 5, strokeCap: "square", opacity: 0.75 },
          encoding: { y, x: { field: "atS", ...x }, x2: { field: "endS" }, color },
        },
        {
          transform: [{ filter: "datum.type === 'marker' && !isValid(datum.endS)" }],
          mark: { type: "tick", thickness: 2, opacity: 0.95 },
          encoding: { y, x: { field: "atS", ...x }, color },
        },
      ],
    },
  };
}

export const healthTimelineChart: ChartDefinition = {
  id: "health-timeline",
  title: "Backend health timeline",
  caption:
    "One row per backend and, inside it, one lane per balancer node (in name order, top to bottom), coloured by the health state that node saw; GC pauses (dark segments) and crashes, hangs and restarts (ticks) drawn over it.",
  emptyNote: "The run recorded no health states (no active or passive health checking) and no backend events.",
  hasData: (report) => healthTimelineRows(report).length > 0,
  spec: healthTimelineSpec,
};
