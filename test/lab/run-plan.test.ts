// Proves a full run (world + balancer tier + timeline + observer) yields a summary whose outcomes add up to the
// requests sent after the warm-up at every level (user requests, tries, attempts), chart series that cover the run, and byte-identical output for the same seed;
// a world that breaks while being built names its seed.
import { beforeAll, describe, expect, it } from "vitest";
import { Constant } from "../../src/engine/distributions/basic.js";
import { initHistograms } from "../../src/metrics/histogram.js";
import { SimulationError } from "../../src/engine/invariant.js";
import { executeRun, type RunPlan } from "../../src/lab/run-plan.js";
import { runVariants } from "../../src/lab/scenario-runs.js";
import { ScenarioError } from "../../src/scenario/errors/scenario-error.js";
import { parseScenario } from "../../src/scenario/load.js";
import { backendConfig, clientGroup, poissonAt } from "../model/world-fixtures.js";
import { lbNode } from "../model/lb-fixtures.js";

beforeAll(async () => {
  await initHistograms();
});

function plan(seed: number): RunPlan {
  return {
    scenario: "unit", variant: "base", warmupUs: 1_000_000, windowUs: 500_000,
    world: {
      seed, horizonUs: 10_000_000, sessions: "external",
      backends: ["b1", "b2", "b3"].map((name) => backendConfig(name, {
        gc: [{ name: "young", trigger: "time", intervalUs: new Constant(2_000_000), pauseUs: new Constant(50_000), pressure: 0 }],
      })),
      clients: [clientGroup({ load: { kind: "open", arrivals: poissonAt(300) } })],
      network: { clientToFrontUs: new Constant(500), frontToBackendUs: new Constant(250) },
    },
    // Checks every 500 ms, timeout 250 ms, fall 2: a hang is detected within 2 x (0.5 + 0.25) = 1.5 s.
    tier: { nodes: [lbNode({}, { probe: "http", intervalUs: 500_000, timeoutUs: 250_000, fall: 2 })], spread: { kind: "round-robin" } },
    timeline: [{ atUs: 4_000_000, action: "hang", targets: ["b2"], params: {} }],
  };
}

describe("executeRun", () => {
  it("summarises a run: outcomes add up, b2's hang shows as failures, health and GC markers", () => {
    const { summary, series } = executeRun(plan(3));
    const outcomes = Object.values(summary.requests.outcomes).reduce((a, b) => a + b, 0);
    expect(outcomes).toBe(summary.requests.sent);
    // About 300/s for the 9 s after warm-up.
    expect(summary.requests.sent).toBeGreaterThan(2_400);
    expect(summary.requests.sent).toBeLessThan(3_000);
    // b2's requests fail from the hang until the checks catch it (<= 1.5 s, a third of 300/s): they time out at
    // the client (1 s, started first) rather than at the node's equal 1 s upstream timeout; none fail after.
    const failed = summary.requests.outcomes["client-timeout"] + summary.requests.outcomes["upstream-timeout"];
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThanOrEqual(160);
    expect(summary.requests.outcomes.ok).toBe(summary.requests.sent - failed - summary.requests.outcomes.unfinished);
    expect(summary.latencyMs.p50).toBeGreaterThan(6);
    expect(summary.backends.map((b) => b.name)).toEqual(["b1", "b2", "b3"]);
    expect(summary.backends[1]!.timeInStateMs.unhealthy).toBeGreaterThan(0);
    // Windows tile the whole run (0 to 10 s at 0.5 s).
    expect(series.windows[0]!.startMs).toBe(0);
    expect(series.windows.at(-1)!.endMs).toBe(10_000);
    expect(series.markers.some((m) => m.kind === "gc-pause" && m.endMs !== undefined)).toBe(true);
    expect(series.markers.some((m) => m.kind === "hang" && m.backend === "b2")).toBe(true);
    expect(series.health.some((h) => h.backend === "b2" && h.state === "unhealthy")).toBe(true);
    expect(series.latencyCdf.at(-1)!.fraction).toBe(1);
  });

  it("counts user requests once, with client retries (tries) and balancer retries (attempts) beneath them", () => {
    // b2 and b3 hang at 4 s and stay in rotation until checks catch them: their attempts time out at the node
    // (300 ms), which retries once on another backend (often the other hung one); a client whose request still
    // failed retries once after 50 ms.
    const base = plan(4);
    const retrying: RunPlan = {
      ...base,
      timeline: [{ atUs: 4_000_000, action: "hang", targets: ["b2", "b3"], params: {} }],
      world: { ...base.world, clients: [clientGroup({ load: { kind: "open", arrivals: poissonAt(300) }, retry: { maxRetries: 1, on: ["client-timeout", "upstream-timeout", "retries-exhausted"], delayUs: () => 50_000 } })] },
      tier: { ...base.tier, nodes: [lbNode({ upstreamTimeoutUs: 300_000, retry: { tries: 2, on: ["timeout"], nonIdempotent: false, budget: null, hedge: null, target: { kind: "next-upstream" } } }, { probe: "http", intervalUs: 500_000, timeoutUs: 250_000, fall: 2 })] },
    };
    const { summary } = executeRun(retrying);
    const sum = (outcomes: Record<string, number>): number => Object.values(outcomes).reduce((a, b) => a + b, 0);
    const { requests, tries, attempts } = summary;
    // Every level balances, and each level is counted from the same user requests (sent after the warm-up).
    expect(sum(requests.outcomes)).toBe(requests.sent);
    expect(sum(tries.outcomes)).toBe(tries.sent);
    expect(sum(attempts.outcomes)).toBe(attempts.sent);
    expect(tries.sent).toBe(requests.sent + tries.retries);
    // The hangs made the node and the clients retry (the test means nothing otherwise); the backend list
    // counts the same attempts as the ledger.
    expect(attempts.retries).toBeGreaterThanOrEqual(1);
    expect(tries.retries).toBeGreaterThanOrEqual(1);
    expect(summary.backends.reduce((n, b) => n + b.requests, 0)).toBe(attempts.sent);
    // A failed try is either retried, or ends its user request lost, or waits for a retry past the horizon
    // (a user request unfinished with no try in flight; tries are sequential, so at most one is in flight).
    expect(tries.failed).toBe(tries.retries + requests.lost + (requests.outcomes.unfinished - tries.outcomes.unfinished));
    // A successful try always ends its user request; latency is recorded once per answered user request.
    expect(tries.ok).toBe(requests.ok);
    expect(summary.latencyMs.count).toBe(requests.ok);
    expect(summary.failedLatencyMs.count).toBe(requests.lost);
  });

  it("is deterministic: the same seed gives byte-identical results, another seed differs", () => {
    const a = JSON.stringify(executeRun(plan(5)));
    const b = JSON.stringify(executeRun(plan(5)));
    expect(a).toBe(b);
    expect(JSON.stringify(executeRun(plan(6)))).not.toBe(a);
  });

  it("a world that breaks while being built fails as a SimulationError naming the seed (exit 3), not a bare RangeError", () => {
    const broken = plan(7);
    // Past what a typed array can hold: the schema now refuses this, but the lab must still name the seed.
    broken.world.backends[0] = { ...broken.world.backends[0]!, workers: 1e12 };
    expect(() => executeRun(broken)).toThrow(SimulationError);
    expect(() => executeRun(broken)).toThrow(/^internal error in unit\/base: RangeError: .* \(seed 7, t=0us\)$/);
  });

  it("a user error found while building (a replay log that is not there) stays a ScenarioError (exit 2), not exit 3", () => {
    const text = "name: missing-log\nduration: 1s\nclients:\n  - { name: shop, replay: { file: no-such.log, format: nginx } }\nbackends: [{ name: app }]\n";
    expect(() => runVariants(parseScenario(text, "/tmp/missing-log.yaml"), undefined)).toThrow(ScenarioError);
  });
});
