// Proves buildRun turns a scenario into working model objects: fresh stateful objects per call, backoff via backoffDelayUs, and a world that runs.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TimelineStep as LabTimelineStep } from "../../src/model/timeline.js";
import { Rng } from "../../src/engine/rng.js";
import { LbTier } from "../../src/model/lb/lb-tier.js";
import { backoffDelayUs } from "../../src/model/retry-backoff.js";
import { World } from "../../src/model/world.js";
import { buildRun } from "../../src/scenario/build.js";
import { loadScenario, parseScenario } from "../../src/scenario/load.js";

const FULL = join(import.meta.dirname, "fixtures", "full.yaml");

describe("buildRun", () => {
  const scenario = loadScenario(FULL);

  it("resolves the world, the tier and the run's times", () => {
    const run = buildRun(scenario, "http");
    expect(run.variant).toBe("http");
    expect(run.seed).toBe(42);
    expect(run.world.horizonUs).toBe(300_000_000);
    expect(run.warmupUs).toBe(30_000_000);
    expect(run.world.backends).toHaveLength(11);
    expect(run.world.backends[0]!.gc[0]!.intervalUs.mean).toBeCloseTo(5_000_000);
    expect(run.tier.nodes.map((n) => n.name)).toEqual(["lb-1", "lb-2"]);
    expect(run.tier.nodes[0]!.health.active!.probe).toBe("http");
    expect(run.tier.nodes[0]!.queue).toEqual({ maxQueue: 100, timeoutUs: 1_000_000 });
    expect(run.world.clients[0]!.nat!.publicAddress).toBe("203.0.113.7");
  });

  it("overrides the seed when asked", () => {
    expect(buildRun(scenario, null, "sweep-7").world.seed).toBe("sweep-7");
  });

  it("builds fresh NAT gateways and arrival processes on every call", () => {
    const a = buildRun(scenario, null);
    const b = buildRun(scenario, null);
    expect(a.nats).toHaveLength(1);
    expect(a.nats[0]).not.toBe(b.nats[0]);
    expect(a.world.clients[0]!.nat).toBe(a.nats[0]);
    const loadA = a.world.clients[0]!.load;
    const loadB = b.world.clients[0]!.load;
    expect(loadA.kind === "open" && loadB.kind === "open" && loadA.arrivals !== loadB.arrivals).toBe(true);
  });

  it("draws client retry n with backoffDelayUs(n - 1), so the first retry uses the base delay", () => {
    const retry = buildRun(scenario, null).world.clients[0]!.retry!;
    const policy = { baseUs: 100_000, capUs: 2_000_000, multiplier: 2, jitter: "full" as const };
    for (const n of [1, 2, 5]) {
      expect(retry.delayUs(n, Rng.root("r"))).toBe(backoffDelayUs(n - 1, policy, Rng.root("r")));
    }
  });

  it("gives traffic steps one new arrival process per group and add steps ready backends", () => {
    const run = buildRun(scenario, null);
    const traffic = run.timeline.find((s) => s.action === "traffic")!;
    expect(traffic.action === "traffic" && traffic.params.arrivals).toHaveLength(1);
    const add = run.timeline.find((s) => s.action === "add")!;
    expect(add.action === "add" && add.params.backends.map((b) => b.name)).toEqual(["app-11", "app-12"]);
    // The lab applies these steps: the built timeline has the shape it reads.
    const forLab: LabTimelineStep[] = run.timeline;
    expect(forLab).toHaveLength(7);
  });

  it("produces a world and tier the model runs, with a balanced ledger", () => {
    const small = parseScenario(
      [
        "name: smoke",
        "duration: 2s",
        "clients: [{ name: web, count: 10, load: { open: { poisson: 200/s } }, classes: [{ name: r, demand: { exponential: { mean: 5ms } } }] }]",
        "lb: { health: { probe: http, interval: 200ms } }",
        "backends: [{ name: app, count: 3 }]",
      ].join("\n"),
      "smoke.yaml",
    );
    const run = buildRun(small, null);
    const world = new World(run.world);
    new LbTier(world, run.tier);
    const result = world.run();
    expect(result.ledger.requests.sent).toBeGreaterThan(300);
    expect(result.ledger.requests.ok / result.ledger.requests.sent).toBeGreaterThan(0.95);
  });
});
