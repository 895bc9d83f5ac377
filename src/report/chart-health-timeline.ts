// Chart (e): a Gantt per backend of what it really was (the top lane: up, not ready, degraded, GC pause, hung,
// down) and, beneath it, the health state each balancer node saw (one thin lane per node), with instant events
// (a crash, a hang, a restart) as ticks across the row. This is the chart that shows a "health check black hole":
// the backend lane is orange (hung) while every node's lane below it stays green (healthy).
import type { TopLevelSpec } from "vega-lite";
import { backendNames } from "./chart-backend-load.js";
import { type ChartDefinition, EVENT_COLORS, seconds, specHeader, STATE_COLORS, UNKNOWN_EVENT_COLOR, variantNames } from "./chart-kit.js";
import type { ScenarioReport } from "./report-data.js";

/** The top lane of each backend's row: what the backend really was. */
export const BACKEND_LANE = "backend";

export interface HealthRow {
  /** "span": a node's view; "actual": what the backend was. */
  type: "span" | "actual";
  variant: string;
  backend: string;
  /** BACKEND_LANE, or the balancer node's name. */
  lane: string;
  state: string;
  fromS: number;
  toS: number;
  /** Where the bar is drawn to: at least a pixel wide, so a 50 ms GC pause in a 3-minute run still shows. */
  drawToS: number;
}

export interface MarkerRow {
  type: "marker";
  variant: string;
  backend: string;
  kind: string;
  atS: number;
}

const WIDTH = 680;

/** The run's end in seconds: the x axis ends there and nothing is drawn past it. */
function endOfRun(report: ScenarioReport): number {
  let endS = 0;
  for (const { series } of report.variants) {
    for (const w of series.windows) endS = Math.max(endS, seconds(w.endMs));
    for (const s of series.health) endS = Math.max(endS, seconds(s.toMs));
    for (const s of series.backendStates) endS = Math.max(endS, seconds(s.toMs));
  }
  return endS;
}

export function healthTimelineRows(report: ScenarioReport): Array<HealthRow | MarkerRow> {
  const endS = endOfRun(report);
  const minWidthS = (1.5 * endS) / WIDTH;
  const drawTo = (fromS: number, toS: number): number => Math.min(endS, Math.max(toS, fromS + minWidthS));
  const rows: Array<HealthRow | MarkerRow> = [];
  for (const { summary, series } of report.variants) {
    const variant = summary.variant;
    for (const span of series.backendStates) {
      const fromS = seconds(span.fromMs);
      const toS = seconds(span.toMs);
      rows.push({ type: "actual", variant, backend: span.backend, lane: BACKEND_LANE, state: span.state, fromS, toS, drawToS: drawTo(fromS, toS) });
    }
    for (const span of series.health) {
      const fromS = seconds(span.fromMs);
      const toS = seconds(span.toMs);
      rows.push({ type: "span", variant, backend: span.backend, lane: span.node, state: span.state, fromS, toS, drawToS: drawTo(fromS, toS) });
    }
    // Spans (GC pauses) are in the backend lane already; instants are drawn as ticks.
    for (const marker of series.markers) {
      if (marker.endMs === undefined) rows.push({ type: "marker", variant, backend: marker.backend, kind: marker.kind, atS: seconds(marker.atMs) });
    }
  }
  return rows;
}

/** States in the fixed order of STATE_COLORS, then events in EVENT_COLORS' order, then unknown ones sorted. */
export function stateAndEventScale(states: Iterable<string>, kinds: Iterable<string>): { domain: string[]; range: string[] } {
  const order = (values: Iterable<string>, known: Readonly<Record<string, string>>): string[] => {
    const present = new Set(values);
    return [...Object.keys(known).filter((value) => present.has(value)), ...[...present].filter((value) => !(value in known)).sort()];
  };
  const domain = [...new Set([...order(states, STATE_COLORS), ...order(kinds, EVENT_COLORS)])];
  const range = domain.map((value) => STATE_COLORS[value] ?? EVENT_COLORS[value] ?? UNKNOWN_EVENT_COLOR);
  return { domain, range };
}

/** Height of one backend's row: a lane of 9 px for the backend and each node, at least 22 px so the label fits. */
export function backendRowHeight(lanes: number): number {
  return Math.max(22, 9 * lanes + 6);
}

export function healthTimelineSpec(report: ScenarioReport): TopLevelSpec {
  const rows = healthTimelineRows(report);
  const bars = rows.filter((row): row is HealthRow => row.type !== "marker");
  const markers = rows.filter((row): row is MarkerRow => row.type === "marker");
  const backends = backendNames(report).filter((backend) => rows.some((row) => row.backend === backend));
  const nodes = [...new Set(rows.flatMap((row) => (row.type === "span" ? [row.lane] : [])))].sort();
  const lanes = [...(bars.some((bar) => bar.type === "actual") ? [BACKEND_LANE] : []), ...nodes];
  const variants = variantNames(report).filter((variant) => rows.some((row) => row.variant === variant));
  const y = { field: "backend", type: "nominal", sort: backends, title: null } as const;
  const domain: number[] = [0, endOfRun(report)];
  const x = { type: "quantitative" as const, title: "simulated time (s)", scale: { domain, nice: false } };
  const color = {
    field: "colorKey",
    type: "nominal",
    scale: stateAndEventScale(bars.map((s) => s.state), markers.map((m) => m.kind)),
    title: "state / event",
  } as const;
  return {
    ...specHeader(report, "Backend health: what it was, and what the balancer saw"),
    data: { values: rows },
    transform: [{ calculate: "datum.type === 'marker' ? datum.kind : datum.state", as: "colorKey" }],
    facet: { row: { field: "variant", type: "nominal", sort: variants, title: null } },
    spec: {
      width: WIDTH,
      // A fixed height (not a step): a step on y conflicts with the yOffset lanes inside each band.
      height: backendRowHeight(lanes.length) * Math.max(1, backends.length),
      layer: [
        {
          transform: [{ filter: "datum.type !== 'marker'" }],
          mark: { type: "bar", clip: true },
          encoding: {
            y,
            yOffset: { field: "lane", type: "nominal", sort: lanes, scale: { paddingInner: 0.15 } },
            x: { field: "fromS", ...x },
            x2: { field: "drawToS" },
            color,
          },
        },
        {
          transform: [{ filter: "datum.type === 'marker'" }],
          mark: { type: "tick", thickness: 2, opacity: 0.95, clip: true },
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
    "One row per backend. Its top lane is what the backend really was (up, not ready, degraded, GC pause in black, " +
    "hung in orange, down); the lanes beneath it are the health state each balancer node saw, in node-name order " +
    "(green healthy, red unhealthy). Ticks mark instant events (crash, hang, restart...). A hung backend above green " +
    "lanes is a health check black hole.",
  emptyNote: "The run recorded no health states (no active or passive health checking) and no backend events.",
  hasData: (report) => healthTimelineRows(report).length > 0,
  spec: healthTimelineSpec,
};
