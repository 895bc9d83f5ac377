// Proves the default event budget is proportional to the scenario (rate x duration x tries, plus checks and GC),
// that a scenario's maxEvents replaces it, and that a run past its budget fails with the seed.
import { describe, expect, it } from "vitest";
import { SimulationError } from "../../src/engine/invariant.js";
import { runVariants } from "../../src/lab/scenario-runs.js";
import { buildRun } from "../../src/scenario/build.js";
import { parseScenario } from "../../src/scenario/load.js";

const scenario = (extra = "", duration = "10s") => parseScenario(`
name: budget
description: one open-loop group and two backends
seed: 3
duration: ${duration}
clients:
  - { name: web, load: { open: { poisson: 100/s } }, classes: [{ name: get, demand: { constant: 5ms } }], retry: { maxRetries: 1, on: [client-timeout] } }
lb: { retries: { tries: 2 }, health: { preset: haproxy, interval: 1s } }
backends: [{ name: app, count: 2 }]
${extra}`, "budget.yaml");

describe("the default event budget", () => {
  it("is 4 x (requests x 8 events per try x tries + checks) + 1,000,000", () => {
    // Requests: 100/s x 10 s = 1,000, each up to 2 balancer tries x 2 client tries x 8 events = 32,000 events.
    // Checks: 1 node x 2 backends (x2 for replacements) x 2 events per 1 s x 10 s = 80 events (the HAProxy
    // preset's fastinter is not below inter here). 4 x 32,080 + 1,000,000 = 1,128,320.
    expect(buildRun(scenario(), null).world.maxEvents).toBe(1_128_320);
    // Ten times the duration: ten times the proportional part.
    expect(buildRun(scenario("", "100s"), null).world.maxEvents).toBe(1_000_000 + 10 * 128_320);
  });

  it("follows a traffic step's peak rate", () => {
    // A 3x multiplier at 5 s makes the peak 300/s for the whole estimate: 3 x 128,000 + 4 x 80 = 384,320.
    expect(buildRun(scenario("timeline: [{ at: 5s, traffic: { multiplier: 3 } }]"), null).world.maxEvents).toBe(1_000_000 + 384_320);
  });

  it("is replaced by maxEvents, and a run past it fails naming the seed", () => {
    const loaded = scenario("maxEvents: 500");
    expect(buildRun(loaded, null).world.maxEvents).toBe(500);
    expect(() => runVariants(loaded, undefined)).toThrowError(SimulationError);
    expect(() => runVariants(loaded, undefined)).toThrowError(/event budget of \d+ exhausted before the horizon \(seed 3, t=\d+us\)/);
  });
});
