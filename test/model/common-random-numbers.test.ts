// Proves common random numbers (DESIGN.md invariant 3): variants that differ only in the balancing algorithm, or
// only in the health-check interval, see identical arrivals, service demands, client network trips, GC pauses and
// failure times, because every random purpose draws from its own stream (each group's hops, upstream hops, each
// node's parsing and probes). The variants must still differ in what the balancer did, or the test proves nothing.
//
// What "identical GC pauses" can mean once GC follows load: a time-triggered GC (the `app` group) is identical in
// time and length across variants. An allocation-triggered GC (the default; the `alloc` group) starts when the work
// a backend was given fills its heap budget, and the algorithm decides that work, so its times (and how many fit in
// the run) legitimately differ. What stays common is the draw: the k-th collection of a backend has the same budget
// and the same pause length in every variant (one stream per backend and GC kind, drawn in a fixed order), so the
// GC schedule is identical exactly when the load is identical, and differs only as much as the load does.
import { describe, expect, it } from "vitest";
import { scheduleTimeline } from "../../src/model/timeline.js";
import { LbTier } from "../../src/model/lb/lb-tier.js";
import { World } from "../../src/model/world.js";
import { buildRun } from "../../src/scenario/build.js";
import { parseScenario } from "../../src/scenario/load.js";

const SCENARIO = `
name: crn
description: two open-loop groups, lognormal hops and parsing, time- and allocation-triggered GC, a crash, a hang and a recovery
seed: 11
duration: 8s
network: { clientToLb: { lognormal: { mean: 2ms, p99: 10ms } }, lbToBackend: { lognormal: { mean: 300us, p99: 2ms } } }
clients:
  - name: web
    count: 50
    keepalive: false
    load: { open: { poisson: 300/s } }
    classes: [{ name: get, demand: { exponential: { mean: 8ms } } }, { name: post, method: POST, demand: { lognormal: { mean: 20ms, p99: 200ms } } }]
    timeout: 2s
  - { name: batch, count: 5, load: { open: { constant: 20/s } }, classes: [{ name: report, demand: { uniform: { min: 50ms, max: 150ms } } }] }
lb:
  nodes: 2
  parseOverhead: { uniform: { min: 500us, max: 2ms } }
  health: { preset: haproxy, probe: http, interval: 1s }
  retries: { tries: 2 }
backends:
  - name: app
    count: 4
    workers: 4
    gc: [{ name: young, trigger: time, every: { exponential: { mean: 700ms } }, pause: { lognormal: { mean: 30ms, p99: 200ms } }, pressure: 0 }]
  - name: alloc
    count: 2
    workers: 4
    gc: [{ name: young, every: { exponential: { mean: 150ms } }, pause: { lognormal: { mean: 20ms, p99: 100ms } } }]
timeline:
  - { at: 2s, crash: {}, targets: app-2 }
  - { at: 4s, recover: {}, targets: app-2 }
  - { at: 5s, hang: {}, targets: app-3 }
variants:
  - { name: rr, set: { lb.algorithm: round-robin } }
  - { name: lc, set: { lb.algorithm: least-connections } }
  - { name: p2c, set: { lb.algorithm: power-of-two-choices } }
  - { name: ewma, set: { lb.algorithm: peak-ewma } }
  - { name: fast-checks, set: { lb.algorithm: round-robin, lb.health.interval: 250ms } }
`;

interface Draws {
  /** Each first try reaching the front door: group, client, send time, demand, trip there and the trip back. */
  arrivals: string[];
  /** GC pauses and failures, per backend, with their times. */
  backendEvents: string[];
  /** Attempts per backend: what the balancer decided (must differ between algorithms). */
  perBackend: number[];
  /** Allocation-triggered collections of the alloc backends: name, then each pause's length (us) and start time. */
  allocPauses: Map<string, Array<{ lengthUs: number; atUs: number }>>;
}

function observe(variant: string): Draws {
  const built = buildRun(parseScenario(SCENARIO, "crn.yaml"), variant);
  const world = new World(built.world);
  const tier = new LbTier(world, built.tier);
  scheduleTimeline(world, tier, built.timeline);
  const draws: Draws = { arrivals: [], backendEvents: [], perBackend: [], allocPauses: new Map() };
  const requests = world.requests;
  // A test hook at the front door: every request passes through it on its way to the tier.
  world.attachFrontDoor({
    receive(request) {
      if (requests.clientTry[request] === 0) {
        const sent = requests.sentUs[request]!;
        draws.arrivals.push(`${requests.group[request]} ${requests.client[request]} ${sent} ${requests.demandUs[request]} ${world.now - sent} ${requests.responseHopUs[request]}`);
      }
      tier.receive(request);
    },
  });
  world.backendListeners.push({
    onBackendChange(backend, marker) {
      if (backend.name.startsWith("alloc")) {
        // One GC kind and no other pause: at its start the pause ends at pausedUntilUs.
        if (marker === "gc-start") draws.allocPauses.set(backend.name, [...(draws.allocPauses.get(backend.name) ?? []), { lengthUs: backend.pausedUntilUs - world.now, atUs: world.now }]);
        return;
      }
      if (marker !== undefined && marker !== "ready" && marker !== "start") draws.backendEvents.push(`${backend.name} ${marker} ${world.now}`);
    },
  });
  const result = world.run();
  draws.perBackend = result.perBackend.map((b) => b.attempts);
  return draws;
}

describe("common random numbers", () => {
  const rr = observe("rr");

  it("the base variant draws what the scenario says: arrivals, GC pauses and the timeline's failures", () => {
    // web 300/s + batch 20/s over 8 s: about 2,560 first tries (Poisson: sd about 50 for web's 2,400).
    expect(rr.arrivals.length).toBeGreaterThan(2_560 - 250);
    expect(rr.arrivals.length).toBeLessThan(2_560 + 250);
    // 4 backends x 8 s / 700 ms: about 46 GC starts (fewer while app-2 is down and app-3 hangs).
    const gcStarts = rr.backendEvents.filter((e) => e.includes("gc-start")).length;
    expect(gcStarts).toBeGreaterThan(20);
    // Each of the 6 backends gets about 470 attempts in 8 s (59/s) of mean demand about (300 x 14 ms + 20 x 100 ms)
    // / 320 = 19 ms: 1.1 busy workers. An alloc backend's budget, 150 ms x 4 workers = 600 ms of work (mean, drawn
    // exponentially), fills about every 0.5 s: some 15 collections each in 8 s (seed 11 gives 15 and 10). At least
    // 5 each, so the pause comparison below compares something.
    for (const name of ["alloc-1", "alloc-2"]) expect(rr.allocPauses.get(name)!.length).toBeGreaterThanOrEqual(5);
    expect(rr.backendEvents).toContain("app-2 crash 2000000");
    expect(rr.backendEvents).toContain("app-3 hang 5000000");
  });

  for (const variant of ["lc", "p2c", "ewma", "fast-checks"]) {
    it(`${variant} sees the same arrivals, demands, client trips, GC pauses and failures as round robin`, () => {
      const other = observe(variant);
      expect(other.arrivals).toEqual(rr.arrivals);
      expect(other.backendEvents).toEqual(rr.backendEvents);
      // ...while the balancer's decisions differ (else the comparison would be vacuous). The check interval
      // changes when the hung app-3 leaves rotation, so its attempts differ too.
      expect(other.perBackend).not.toEqual(rr.perBackend);
      // Allocation-triggered GC: the k-th pause of each backend is as long in both (same stream, same order) for
      // as many collections as both runs had; when they happen follows each variant's load, and differs.
      for (const name of ["alloc-1", "alloc-2"]) {
        const mine = other.allocPauses.get(name)!;
        const base = rr.allocPauses.get(name)!;
        const n = Math.min(mine.length, base.length);
        expect(mine.slice(0, n).map((p) => p.lengthUs)).toEqual(base.slice(0, n).map((p) => p.lengthUs));
      }
      expect([...other.allocPauses.values()].flat().map((p) => p.atUs)).not.toEqual([...rr.allocPauses.values()].flat().map((p) => p.atUs));
    });
  }
});
