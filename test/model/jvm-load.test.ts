// Proves the JVM follows the work it does: allocation-triggered GC collects once per heap budget of work served
// (an exact count for a constant budget, none when idle, twice as often at twice the load), and JIT warmup
// progresses with requests served, not with wall time, so a JVM left idle for a minute, or kept out of rotation
// with only health probes reaching it, is still cold.
import { describe, expect, it } from "vitest";
import type { ArrivalSource } from "../../src/model/client-config.js";
import type { GcConfig, WarmupConfig } from "../../src/model/backend-config.js";
import { LbTier } from "../../src/model/lb/lb-tier.js";
import { scheduleTimeline } from "../../src/model/timeline.js";
import { World } from "../../src/model/world.js";
import { buildRun } from "../../src/scenario/build.js";
import { parseScenario } from "../../src/scenario/load.js";
import { backendConfig, clientGroup, Constant, everyUs, makeWorld, withRoundRobin } from "./world-fixtures.js";

/** Young GC on allocation: budget = 100 ms x 1 worker = 100,000 us of work; a constant 1 ms pause. */
const YOUNG: GcConfig = { name: "young", trigger: "allocation", intervalUs: new Constant(100_000), pauseUs: new Constant(1_000), pressure: 0 };

/** One backend with `workers` and `gc`, fed 10 ms requests by `arrivals` for `horizonUs`: GC starts and work started. */
function collections(arrivals: ArrivalSource, horizonUs: number, gc: GcConfig = YOUNG, workers = 1): { gcs: number; started: number } {
  const world = withRoundRobin(makeWorld({
    backends: [backendConfig("b1", { workers, gc: [gc] })],
    clients: [clientGroup({ classes: [{ name: "get", weight: 1, method: "GET", idempotent: true, path: "/", demandUs: new Constant(10_000), needsDependencies: false }], load: { kind: "open", arrivals } })],
    horizonUs,
  }));
  let gcs = 0;
  world.backendListeners.push({ onBackendChange: (_b, marker) => { if (marker === "gc-start") gcs++; } });
  world.run();
  return { gcs, started: world.backends[0]!.startedTotal };
}

describe("GC follows load (trigger: allocation)", () => {
  it("collects exactly once per heap budget of work: 199 requests of 10 ms against a 100 ms budget -> 19 GCs", () => {
    // Arrivals every 50 ms from t = 50 ms; the last before the 10 s horizon is sent at 9.95 s: 199 requests, each
    // started 0.75 ms later (front hop 0.5 ms + backend hop 0.25 ms; a 1 ms pause delays only the one behind it).
    // Each allocates its 10,000 us of demand when it starts; the budget is 100,000 us, so every 10th start fills
    // it and the surplus (0) carries over: GCs at starts 10, 20, ..., 190 -> floor(199 x 10,000 / 100,000) = 19.
    const { gcs, started } = collections(everyUs(50_000), 10_000_000);
    expect(started).toBe(199);
    expect(gcs).toBe(19);
    // `every` is the interval with every worker busy: with 2 workers the budget is 200,000 us, floor(199 / 20) = 9.
    expect(collections(everyUs(50_000), 10_000_000, YOUNG, 2).gcs).toBe(9);
  });

  it("twice the load collects twice as often: 399 requests -> 39 GCs, against 19 at half the rate", () => {
    // Every 25 ms: 399 requests in 10 s, floor(399 / 10) = 39 GCs; ratio 39 / 19 = 2.05, the load ratio 399 / 199
    // up to the floor. The old time trigger would have given the same count at both loads (one per interval).
    const { gcs, started } = collections(everyUs(25_000), 10_000_000);
    expect(started).toBe(399);
    expect(gcs).toBe(39);
    const timeTriggered = { ...YOUNG, trigger: "time" as const };
    // Time trigger: one pause per 100 ms of running time + 1 ms pause: t = 100, 201, 302, ... ms, floor((10,000 - 100) / 101) + 1 = 99 at both loads.
    expect(collections(everyUs(25_000), 10_000_000, timeTriggered).gcs).toBe(99);
    expect(collections(everyUs(50_000), 10_000_000, timeTriggered).gcs).toBe(99);
  });

  it("an idle JVM does not collect: no work, no allocation, no GC in 60 s", () => {
    // The first request arrives after the horizon: nothing starts, nothing allocates.
    const { gcs, started } = collections({ next: () => 61_000_000 }, 60_000_000);
    expect(started).toBe(0);
    expect(gcs).toBe(0);
  });
});

describe("JIT warmup follows requests served", () => {
  const WARMUP: WarmupConfig = { notReadyUs: 0, initialMultiplier: 5, requests: 100 };

  function idleThenBusy(warmup: WarmupConfig): { at60s: number; servedAt65s: number; at65s: number; atEnd: number; servedAtEnd: number } {
    // Cold start at 0, no traffic for 60 s, then one 5 ms request every 100 ms (each done long before the next
    // arrives, even at 5x: 25 ms), for 15 s: 150 requests.
    const world = withRoundRobin(makeWorld({
      backends: [backendConfig("b1", { workers: 1, coldStart: true, warmup })],
      clients: [clientGroup({ clients: 1, timeoutUs: 10_000_000, load: { kind: "open", arrivals: { next: (nowUs) => (nowUs < 60_000_000 ? 60_000_000 : nowUs + 100_000) } } })],
      horizonUs: 75_000_000,
    }));
    const seen = { at60s: 0, servedAt65s: 0, at65s: 0, atEnd: 0, servedAtEnd: 0 };
    const b = () => world.backends[0]!;
    world.schedule({ atUs: 60_000_000, label: "idle minute over", apply: (w) => { seen.at60s = w.backends[0]!.multiplier(w.now); } });
    world.schedule({ atUs: 65_050_000, label: "half way", apply: (w) => { seen.at65s = b().multiplier(w.now); seen.servedAt65s = b().served; } });
    world.run();
    seen.atEnd = b().multiplier(world.now);
    seen.servedAtEnd = b().served;
    return seen;
  }

  it("a JVM idle for 60 s is still cold, and is warm after 100 requests", () => {
    const seen = idleThenBusy(WARMUP);
    expect(seen.at60s).toBe(5); // 60 s up, 0 served: initialMultiplier
    // By 65.05 s the requests sent at 60.0, 60.1, ..., 65.0 s (51) have completed: 1 + 4 x (1 - 51/100) = 2.96.
    expect(seen.servedAt65s).toBe(51);
    expect(seen.at65s).toBeCloseTo(1 + 4 * (1 - 51 / 100), 12);
    expect(seen.servedAtEnd).toBe(150);
    expect(seen.atEnd).toBe(1);
  });
});

describe("a JVM kept out of rotation (a backup the balancer never needs) through the whole path", () => {
  // Two backends behind one L7 node with HTTP checks every second (no jitter, no spread of the first checks):
  // `app` takes every request, `spare` is a backup, so it sees only /healthz probes. Its probes are work that
  // allocates (200 us each against a 1 ms budget, one worker: a GC every 5 probes) but not requests the JIT
  // counts, so after a minute it is exactly as cold as at its start.
  const SCENARIO = `
name: spare
seed: 3
duration: 60s
clients: [{ name: web, load: { open: { constant: 50/s } }, classes: [{ name: get, demand: { constant: 5ms } }] }]
lb: { mode: l7, health: { preset: haproxy, probe: http, interval: 1s, jitter: 0%, spreadFirstChecks: false } }
backends:
  - { name: app, workers: 4 }
  - name: spare
    backup: true
    workers: 1
    healthCheckCost: 200us
    coldStart: true
    warmup: { initialMultiplier: 4, requests: 100 }
    gc: [{ name: young, every: { constant: 1ms }, pause: { constant: 1ms } }]
`;

  it("stays cold (multiplier 4, nothing served) while its probes still allocate: 60 probes -> 12 GCs", () => {
    const built = buildRun(parseScenario(SCENARIO, "spare.yaml"), null);
    const world = new World(built.world);
    const tier = new LbTier(world, built.tier);
    scheduleTimeline(world, tier, built.timeline);
    world.attachFrontDoor(tier);
    let gcs = 0;
    world.backendListeners.push({ onBackendChange: (b, marker) => { if (b.name === "spare" && marker === "gc-start") gcs++; } });
    world.run();
    const spare = world.backends.find((b) => b.name === "spare")!;
    expect(spare.served).toBe(0);
    expect(spare.startedTotal).toBe(0);
    expect(spare.multiplier(world.now)).toBe(4);
    // Checks at 0, 1, ..., 59 s: 60 probes x 200 us = 12,000 us of work against a 1,000 us budget: 12 GCs.
    expect(gcs).toBe(12);
  });
});
