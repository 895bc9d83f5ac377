// What every chart shares: the look (fonts, sizes), the schema URL, and colors that mean the same thing in every
// chart and every report (a variant keeps its color across charts; "queue-full" is always the same orange).
import type { Config, TopLevelSpec } from "vega-lite";
import { LOSS_CAUSES } from "./loss-causes.js";
import type { ScenarioReport } from "./report-data.js";

/** A chart of the report: its spec is a pure function of the report, so it can be tested without rendering. */
export interface ChartDefinition {
  /** File stem: specs/<id>.vl.json, png/<id>.png. */
  id: string;
  title: string;
  /** One sentence under the chart saying how to read it. */
  caption: string;
  /** Shown instead of the chart when it has nothing to draw. */
  emptyNote: string;
  hasData(report: ScenarioReport): boolean;
  spec(report: ScenarioReport): TopLevelSpec;
}

export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

// DejaVu Sans first: it is the font the PNG renderer finds on typical Linux hosts, and vega's layout estimates
// text widths for a sans-serif of this size. Browsers fall back to their own sans-serif.
export const CHART_FONT = "DejaVu Sans, Helvetica, Arial, sans-serif";

export const CHART_CONFIG: Config = {
  font: CHART_FONT,
  background: "white",
  padding: 8,
  view: { stroke: "#d0d0d0" },
  title: { fontSize: 15, anchor: "start", subtitleFontSize: 11, subtitleColor: "#555" },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: "#ececec", titleFontWeight: "normal" },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 260 },
  header: { labelFontSize: 12, titleFontSize: 12, labelLimit: 400 },
};

// Tableau 10: distinct, colour-blind-aware, and printable.
const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

/** Colour i of the categorical palette, cycling past its end. */
export function paletteColor(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

export function variantNames(report: ScenarioReport): string[] {
  return report.variants.map((variant) => variant.summary.variant);
}

/** Variants in report order, each with its palette colour. */
export function variantScale(report: ScenarioReport): { domain: string[]; range: string[] } {
  const domain = variantNames(report);
  return { domain, range: domain.map((_, index) => paletteColor(index)) };
}

// One fixed colour per loss cause (twelve causes, twelve colours), so a cause reads the same in every report.
const CAUSE_COLORS = [
  "#e15759", "#9c755f", "#b07aa1", "#f28e2b", "#4e79a7", "#ff9da7",
  "#edc948", "#76b7b2", "#59a14f", "#17becf", "#7f7f7f", "#bcbd22",
];

export function causeScale(causes: readonly string[]): { domain: string[]; range: string[] } {
  return {
    domain: [...causes],
    range: causes.map((cause) => {
      const index = (LOSS_CAUSES as readonly string[]).indexOf(cause);
      return CAUSE_COLORS[index >= 0 ? index : CAUSE_COLORS.length - 1]!;
    }),
  };
}

// Fixed colours for what a backend was and what the balancer saw, and for the events on the timeline, so a state
// or an event reads the same in every report whichever others are present. The balancer's view in traffic
// lights; the backend's own states in paler or darker tones beside them; events in dark tones over both.
export const STATE_COLORS: Readonly<Record<string, string>> = {
  // what a balancer node saw (src/health: HEALTH_STATE_NAMES)
  healthy: "#59a14f",
  unhealthy: "#e15759",
  draining: "#edc948",
  drained: "#9d9d9d",
  // what the backend really was (src/lab/backend-states.ts BACKEND_STATES)
  up: "#c7e9c0",
  "not-ready": "#9ecae1",
  degraded: "#dadaeb",
  "gc-pause": "#252525",
  hung: "#fd8d3c",
  down: "#6a51a3",
};

export const EVENT_COLORS: Readonly<Record<string, string>> = {
  crash: "#3f007d",
  hang: "#a63603",
  start: "#08519c",
  restart: "#08519c",
  ready: "#2171b5",
  recover: "#2171b5",
  slow: "#54278f",
  errors: "#cb181d",
  "dependency-down": "#7a0177",
  "dependency-up": "#41ab5d",
};

/** An event kind no map names (a future model's) still gets one fixed colour, not one that depends on the report. */
export const UNKNOWN_EVENT_COLOR = "#525252";

/** Milliseconds to seconds for time axes: runs last seconds to hours, and seconds read well across that range. */
export function seconds(ms: number): number {
  return ms / 1000;
}

/** Chart titles and subtitles longer than this are cut (with an ellipsis): a title is one line above a chart. */
export const MAX_TITLE_CHARS = 120;

/** `text` cut to `max` characters, the last one an ellipsis when anything was cut. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** Which runs a chart shows: its seed, and in a comparison report that it is the first of the compared seeds. */
export function runSubtitle(report: ScenarioReport): string {
  const compared = report.comparisonSeeds.length;
  return `${report.scenario.name} · seed ${report.seed}${compared > 1 ? ` (the first of the ${compared} compared seeds)` : ""}`;
}

/** The seeds of a comparison, named: all of them up to six, else the first three and the last. */
export function seedsSubtitle(report: ScenarioReport): string {
  const seeds = report.comparisonSeeds;
  const named = seeds.length <= 6 ? seeds.join(", ") : `${seeds.slice(0, 3).join(", ")}, ..., ${seeds[seeds.length - 1]!}`;
  return `${report.scenario.name} · ${seeds.length} seeds: ${named} (common random numbers)`;
}

/** Common top of every spec: schema, title with the scenario and seed(s) as subtitle, and the shared config. */
export function specHeader(report: ScenarioReport, title: string, subtitle = runSubtitle(report)): { $schema: string; title: { text: string; subtitle: string }; config: Config } {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: clip(title, MAX_TITLE_CHARS), subtitle: clip(subtitle, MAX_TITLE_CHARS) },
    config: CHART_CONFIG,
  };
}
