// Proves every chart spec is valid Vega-Lite that compiles without errors or warnings, carries its data inline,
// is a pure function of the report, draws what the report holds, and is skipped when there is nothing to draw.
import { compile, type TopLevelSpec } from "vega-lite";
import { describe, expect, it } from "vitest";
import { backendLoadSpec, decades } from "../../src/report/chart-backend-load.js";
import { comparisonSpec } from "../../src/report/chart-comparison.js";
import { BACKEND_LANE, healthTimelineRows, healthTimelineSpec, stateAndEventScale } from "../../src/report/chart-health-timeline.js";
import { EVENT_COLORS, STATE_COLORS } from "../../src/report/chart-kit.js";
import { latencyCdfRows } from "../../src/report/chart-latency-cdf.js";
import { latencyOverTimeRows } from "../../src/report/chart-latency-over-time.js";
import { lossByCauseRows } from "../../src/report/chart-loss-by-cause.js";
import { lossOverTimeRows } from "../../src/report/chart-loss-over-time.js";
import { REPORT_CHARTS } from "../../src/report/charts.js";
import { collectingLogger, renderSvg } from "../../src/report/render-svg.js";
import { buildEmptyReport, buildFixtureReport } from "./fixture.js";

const report = buildFixtureReport();

/** The inline data of a spec (top level, or per concatenated view). */
function inlineValues(spec: TopLevelSpec): unknown[] {
  const data = (spec as { data?: { values?: unknown[] } }).data;
  expect(data?.values, "data is inlined as data.values").toBeInstanceOf(Array);
  return data!.values!;
}

describe("chart specs", () => {
  it("has unique chart ids usable as file names", () => {
    const ids = REPORT_CHARTS.map((chart) => chart.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9-]+$/);
  });

  for (const chart of REPORT_CHARTS) {
    it(`${chart.id}: compiles to Vega without warnings, with its data inline`, () => {
      expect(chart.hasData(report)).toBe(true);
      const spec = chart.spec(report);
      const warnings: string[] = [];
      const { spec: vega } = compile(spec, { logger: collectingLogger(warnings) });
      expect(warnings).toEqual([]);
      expect(vega.marks?.length ?? 0).toBeGreaterThan(0);
      expect(inlineValues(spec).length).toBeGreaterThan(0);
      // A pure function of the report: the same input gives the same spec, and the report is not changed.
      const before = JSON.stringify(report);
      expect(JSON.stringify(chart.spec(report))).toBe(JSON.stringify(spec));
      expect(JSON.stringify(report)).toBe(before);
    });
  }

  it("renders each chart to SVG with no vega warnings at runtime", async () => {
    for (const chart of REPORT_CHARTS) {
      const warnings: string[] = [];
      const svg = await renderSvg(chart.spec(report), warnings);
      expect(svg.startsWith("<svg"), chart.id).toBe(true);
      expect(warnings, chart.id).toEqual([]);
    }
  });

  it("skips every chart for a report with no data", () => {
    const empty = buildEmptyReport();
    for (const chart of REPORT_CHARTS) expect(chart.hasData(empty), chart.id).toBe(false);
  });
});

describe("chart data", () => {
  it("latency over time: three percentiles per window with successes, and failed p50 per window with failures", () => {
    const rows = latencyOverTimeRows(report);
    const windows = report.variants.reduce((sum, v) => sum + v.series.windows.filter((w) => w.ok > 0).length, 0);
    const failing = report.variants.reduce((sum, v) => sum + v.series.windows.filter((w) => w.failed > 0).length, 0);
    expect(rows.filter((row) => row.percentile !== "failed p50").length).toBe(windows * 3);
    expect(rows.filter((row) => row.percentile === "failed p50").length).toBe(failing);
    expect(new Set(rows.map((row) => row.variant))).toEqual(new Set(["round-robin", "least-connections", "peak-ewma"]));
  });

  it("latency CDF leaves out zero latencies (a log axis cannot show them)", () => {
    const withZero = buildFixtureReport();
    withZero.variants[0]!.series.latencyCdf.unshift({ latencyMs: 0, fraction: 0 });
    expect(latencyCdfRows(withZero).length).toBe(latencyCdfRows(report).length);
  });

  it("loss by cause: one row per non-zero cause, never ok or unfinished, summing to each variant's lost", () => {
    const rows = lossByCauseRows(report);
    for (const row of rows) expect(["ok", "unfinished"]).not.toContain(row.cause);
    for (const { summary } of report.variants) {
      const sum = rows.filter((row) => row.variant === summary.variant).reduce((total, row) => total + row.count, 0);
      expect(sum).toBe(summary.requests.lost);
    }
  });

  it("loss over time sums to the windows' losses", () => {
    const rows = lossOverTimeRows(report);
    const windowLosses = report.variants.reduce((sum, v) => sum + v.series.windows.reduce((s, w) => s + w.failed, 0), 0);
    expect(rows.reduce((sum, row) => sum + row.count, 0)).toBe(windowLosses);
  });

  it("health timeline draws what each backend was beside every node's view, and instant events as ticks", () => {
    const rows = healthTimelineRows(report);
    const spans = report.variants.reduce((sum, v) => sum + v.series.health.length, 0);
    const actual = report.variants.reduce((sum, v) => sum + v.series.backendStates.length, 0);
    const instants = report.variants.reduce((sum, v) => sum + v.series.markers.filter((m) => m.endMs === undefined).length, 0);
    expect(rows.filter((row) => row.type === "span").length).toBe(spans);
    expect(rows.filter((row) => row.type === "actual").length).toBe(actual);
    expect(rows.filter((row) => row.type === "marker").length).toBe(instants);
    // The hang is a span in the backend lane as long as the hang itself (fixture: 120 s to 200 s), not a tick.
    const hung = rows.find((row) => row.type === "actual" && row.state === "hung");
    expect(hung && hung.type === "actual" ? [hung.lane, hung.fromS, hung.toS] : undefined).toEqual([BACKEND_LANE, 120, 200]);
    // Nothing is drawn past the run's end (300 one-second windows), however short a span is widened to show.
    const bars = rows.flatMap((row) => (row.type === "marker" ? [] : [row.drawToS]));
    expect(Math.max(...bars)).toBe(300);
    const scale = JSON.stringify(healthTimelineSpec(report));
    for (const name of ["healthy", "unhealthy", "up", "hung", "hang", "restart"]) expect(scale).toContain(`"${name}"`);
  });

  it("gives a state or event the same colour in every report, whichever others are present", () => {
    const all = stateAndEventScale(["healthy", "hung", "up", "gc-pause"], ["crash", "dependency-down", "made-up"]);
    const few = stateAndEventScale(["gc-pause"], ["dependency-down", "made-up"]);
    const colourOf = (scale: { domain: string[]; range: string[] }, key: string): string | undefined => scale.range[scale.domain.indexOf(key)];
    for (const key of ["gc-pause", "dependency-down", "made-up"]) expect(colourOf(few, key)).toBe(colourOf(all, key));
    expect(colourOf(all, "gc-pause")).toBe(STATE_COLORS["gc-pause"]);
    expect(colourOf(all, "dependency-down")).toBe(EVENT_COLORS["dependency-down"]);
    expect(new Set(Object.values(STATE_COLORS)).size).toBe(Object.keys(STATE_COLORS).length); // no two states alike
  });

  it("backend load draws one panel row per measure and keeps utilisation on 0..100%", () => {
    const spec = backendLoadSpec(report) as { vconcat: Array<{ spec: { encoding: { y: { field: string; scale?: unknown } } } }> };
    expect(spec.vconcat.map((panel) => panel.spec.encoding.y.field)).toEqual(["meanInFlight", "utilisation"]);
    expect(spec.vconcat[1]!.spec.encoding.y.scale).toEqual({ domain: [0, 1] });
    // In-flight counts on a symmetric log scale: a healthy backend's 2 and a black hole's 3,600 both readable.
    expect(spec.vconcat[0]!.spec.encoding.y.scale).toEqual({ type: "symlog" });
    expect(decades(3_600)).toEqual([0, 1, 10, 100, 1_000, 10_000]);
    expect(decades(0)).toEqual([0, 1]);
  });

  it("comparison draws one panel per metric with CI error bars", () => {
    const spec = comparisonSpec(report) as { concat: Array<{ layer: Array<{ mark: { type: string }; encoding: Record<string, { field?: string }> }> }> };
    expect(spec.concat.length).toBe(3);
    const errorbar = spec.concat[0]!.layer[1]!;
    expect(errorbar.mark.type).toBe("errorbar");
    expect(errorbar.encoding.y?.field).toBe("ciLow");
    expect(errorbar.encoding.y2?.field).toBe("ciHigh");
  });
});
