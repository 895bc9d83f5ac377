// Proves the charts' data agrees with the summary table of the same run: latency charts hold successful user
// requests only (failed ones on their own line), loss charts sum to the summary's outcomes, the CDF passes
// through the summary's percentiles, and the health timeline covers the whole run for every backend and node.
// A real run (hung backends, GC, balancer and client retries), so failures are slower than any success and a
// chart that mixed them in would show it.
import { beforeAll, describe, expect, it } from "vitest";
import { Constant } from "../../src/engine/distributions/basic.js";
import { executeRun, type RunPlan } from "../../src/lab/run-plan.js";
import { initHistograms } from "../../src/metrics/histogram.js";
import { BACKEND_LANE, healthTimelineRows, type HealthRow } from "../../src/report/chart-health-timeline.js";
import { latencyCdfRows } from "../../src/report/chart-latency-cdf.js";
import { latencyOverTimeRows } from "../../src/report/chart-latency-over-time.js";
import { lossByCauseRows } from "../../src/report/chart-loss-by-cause.js";
import { lossOverTimeRows } from "../../src/report/chart-loss-over-time.js";
import type { RunSummary, ScenarioReport } from "../../src/report/report-data.js";
import { lbNode } from "../model/lb-fixtures.js";
import { backendConfig, clientGroup, poissonAt } from "../model/world-fixtures.js";

// b2 and b3 hang at 4 s until HTTP checks (every 500 ms, timeout 250 ms, fall 2) catch them. The node waits
// 300 ms per attempt and retries once, so a failed try takes about 600 ms; the client retries once after 50 ms,
// so a lost user request takes about 600 + 50 + 600 = 1,250 ms, longer than any success (at most a failed try,
// the backoff, one more timed-out attempt and the 5 ms service: about 960 ms). Two nodes, so each backend has
// two views of its health.
function plan(): RunPlan {
  return {
    scenario: "agreement", variant: "base", warmupUs: 1_000_000, windowUs: 500_000,
    world: {
      seed: 11, horizonUs: 10_000_000, sessions: "external", measureFromUs: 1_000_000,
      backends: ["b1", "b2", "b3", "b4"].map((name) => backendConfig(name, {
        gc: [{ name: "young", trigger: "time", intervalUs: new Constant(2_000_000), pauseUs: new Constant(50_000), pressure: 0 }],
      })),
      clients: [clientGroup({
        load: { kind: "open", arrivals: poissonAt(300) },
        retry: { maxRetries: 1, on: ["client-timeout", "upstream-timeout", "retries-exhausted"], delayUs: () => 50_000 },
      })],
      network: { clientToFrontUs: new Constant(500), frontToBackendUs: new Constant(250) },
    },
    tier: {
      nodes: ["lb1", "lb2"].map((name) => lbNode(
        { name, upstreamTimeoutUs: 300_000, retry: { tries: 2, on: ["timeout"], nonIdempotent: false, budget: null, hedge: null, target: { kind: "next-upstream" } } },
        { probe: "http", intervalUs: 500_000, timeoutUs: 250_000, fall: 2 },
      )),
      spread: { kind: "round-robin" },
    },
    timeline: [{ atUs: 4_000_000, action: "hang", targets: ["b2", "b3"], params: {} }],
  };
}

let report: ScenarioReport;
let summary: RunSummary;

beforeAll(async () => {
  await initHistograms();
  const result = executeRun(plan());
  summary = result.summary;
  report = {
    scenario: { name: "agreement", title: "agreement", description: "", file: "inline" },
    command: "", seed: summary.seed, version: summary.version, variants: [result], comparison: [], comparisonSeeds: [], verdicts: [], expectations: [], skippedExpectations: [],
  };
});

/** HdrHistogram at 3 significant digits: a summary percentile is within 0.1% of the value recorded. */
const HDR = 1.001;

describe("chart data and the summary agree", () => {
  it("the run is one where failures are slower than successes (else the checks below prove little)", () => {
    // Seed 11 gives 5 lost, 44 client retries and 205 balancer retries; the guards leave room for model changes.
    expect(summary.requests.lost).toBeGreaterThanOrEqual(3);
    expect(summary.tries.retries).toBeGreaterThanOrEqual(20);
    expect(summary.attempts.retries).toBeGreaterThanOrEqual(100);
    expect(summary.failedLatencyMs.p50).toBeGreaterThan(summary.latencyMs.max);
  });

  it("latency over time: successful requests' percentiles only, the summary's within their range", () => {
    const rows = latencyOverTimeRows(report);
    const of = (series: string): number[] => rows.filter((r) => r.percentile === series).map((r) => r.latencyMs);
    // No window's successful percentile exceeds the slowest success: failed requests are not mixed in.
    for (const series of ["p50", "p90", "p99"]) expect(Math.max(...of(series))).toBeLessThanOrEqual(summary.latencyMs.max * HDR);
    // A quantile of the whole run lies between the smallest and largest of the windows' quantiles.
    for (const [series, value] of [["p50", summary.latencyMs.p50], ["p90", summary.latencyMs.p90], ["p99", summary.latencyMs.p99]] as const) {
      expect(value, series).toBeGreaterThanOrEqual(Math.min(...of(series)) / HDR);
      expect(value, series).toBeLessThanOrEqual(Math.max(...of(series)) * HDR);
    }
    const failed = of("failed p50");
    expect(summary.failedLatencyMs.p50).toBeGreaterThanOrEqual(Math.min(...failed) / HDR);
    expect(summary.failedLatencyMs.p50).toBeLessThanOrEqual(Math.max(...failed) * HDR);
    // The windows' exact maxima are the summary's maxima (within the histogram's precision).
    const windows = report.variants[0]!.series.windows;
    expect(Math.max(...windows.map((w) => w.maxMs))).toBeCloseTo(summary.latencyMs.max, -Math.log10(summary.latencyMs.max * 0.001));
    expect(Math.max(...windows.map((w) => w.failedMaxMs))).toBeCloseTo(summary.failedLatencyMs.max, -Math.log10(summary.failedLatencyMs.max * 0.001));
  });

  it("the windows count every answered user request once: ok and lost as the summary has them", () => {
    const windows = report.variants[0]!.series.windows;
    expect(windows.reduce((n, w) => n + w.ok, 0)).toBe(summary.requests.ok);
    expect(windows.reduce((n, w) => n + w.failed, 0)).toBe(summary.requests.lost);
  });

  it("loss charts sum, cause by cause, to the summary's outcomes", () => {
    const byCause = new Map<string, number>();
    for (const row of lossOverTimeRows(report)) byCause.set(row.cause, (byCause.get(row.cause) ?? 0) + row.count);
    const bars = new Map(lossByCauseRows(report).map((row) => [row.cause, row.count]));
    const expected = new Map(Object.entries(summary.requests.outcomes).filter(([cause, n]) => n > 0 && cause !== "ok" && cause !== "unfinished"));
    expect(byCause).toEqual(expected);
    expect(bars).toEqual(expected);
  });

  it("the CDF passes through the summary's p50, p90, p99 and max", () => {
    const at = (fraction: number): number | undefined => latencyCdfRows(report).find((row) => row.fraction === fraction)?.latencyMs;
    expect(at(0.5)).toBe(summary.latencyMs.p50);
    expect(at(0.9)).toBe(summary.latencyMs.p90);
    expect(at(0.99)).toBe(summary.latencyMs.p99);
    expect(at(1)).toBe(summary.latencyMs.max);
  });

  it("the health timeline covers the whole run for every backend's real state and every node's view of it", () => {
    const bars = healthTimelineRows(report).filter((row): row is HealthRow => row.type !== "marker");
    const runS = summary.simulatedMs / 1000;
    for (const backend of ["b1", "b2", "b3", "b4"]) {
      for (const lane of [BACKEND_LANE, "lb1", "lb2"]) {
        const spans = bars.filter((row) => row.backend === backend && row.lane === lane);
        expect(spans.reduce((s, row) => s + (row.toS - row.fromS), 0), `${backend} ${lane}`).toBeCloseTo(runS, 6);
      }
      // Time in each state, averaged over the nodes, is what the summary's table says.
      for (const [state, ms] of Object.entries(summary.backends.find((b) => b.name === backend)!.timeInStateMs)) {
        const seen = bars.filter((row) => row.type === "span" && row.backend === backend && row.state === state).reduce((s, row) => s + (row.toS - row.fromS), 0);
        expect(seen * 1000 / 2, `${backend} ${state}`).toBeCloseTo(ms, 0);
      }
    }
    // The hung backends are hung in their own lane from 4 s to the end: the root cause is a span, not a tick.
    for (const backend of ["b2", "b3"]) {
      const hung = bars.filter((row) => row.type === "actual" && row.backend === backend && row.state === "hung");
      expect(hung.map((row) => [row.fromS, row.toS])).toEqual([[4, runS]]);
    }
  });
});
