// Proves the loop's watchdog: time that stops (a cycle of zero-delay events) and a handler that loops (schedules
// without end) fail at once with the seed, the time and the kinds involved, while bursts that a world of the
// given size can really cause at one instant pass; and a scenario with 0 us hops and 0 think time after a crash
// fails with exit-3 material (a SimulationError) instead of running until the event budget runs out.
import { describe, expect, it } from "vitest";
import { SimulationError } from "../../src/engine/invariant.js";
import { Simulation } from "../../src/engine/simulation.js";
import { EVENTS_PER_INSTANT_PER_ENTITY, watchdogBounds } from "../../src/engine/watchdog.js";
import { runVariants } from "../../src/lab/scenario-runs.js";
import { parseScenario } from "../../src/scenario/load.js";

function thrown(run: () => unknown): SimulationError {
  try {
    run();
  } catch (error) {
    if (error instanceof SimulationError) return error;
    throw error;
  }
  throw new Error("expected a SimulationError");
}

describe("the watchdog", () => {
  it("fails when simulated time stops: a zero-delay cycle, naming the seed, the instant and the looping kinds", () => {
    const sim = new Simulation("stall-seed");
    const ping = sim.on("ping", () => sim.after(0, pong));
    const pong = sim.on("pong", () => sim.after(0, ping));
    sim.at(5_000, ping);
    sim.measureWorld(() => 10);
    const error = thrown(() => sim.run());
    // Bound for 10 entities: 100,000 + 256 x 10 = 102,560 events at one instant; the cycle alternates two kinds.
    expect(watchdogBounds(10).eventsPerInstant).toBe(102_560);
    expect(error.message).toMatch(/simulated time stopped: more than 102560 events at one instant .*ping x\d+, pong x\d+ \(seed stall-seed, t=5000us\)/);
    expect(sim.eventsRun).toBe(102_560); // the event past the bound is reported, not run
  });

  it("lets a burst the world's size allows pass, and re-reads the size when the world grows", () => {
    const sim = new Simulation(1);
    let ran = 0;
    const tick = sim.on("tick", () => ran++);
    let entities = 1;
    sim.measureWorld(() => entities);
    // 400,000 events at one instant: above the bound for 1 entity (100,256), below the one for 2,000 entities
    // (612,000). The world grows before the run reaches the instant, as a scale-out would.
    for (let i = 0; i < 400_000; i++) sim.at(7, tick, i);
    const grow = sim.on("grow", () => (entities = 2_000));
    sim.at(1, grow);
    sim.run();
    expect(ran).toBe(400_000);
    expect(400_000).toBeGreaterThan(watchdogBounds(1).eventsPerInstant);
    expect(400_000).toBeLessThan(watchdogBounds(2_000).eventsPerInstant);
  });

  it("does not mistake many instants for one: the count restarts whenever time moves", () => {
    const sim = new Simulation(1);
    let ran = 0;
    const tick = sim.on("tick", () => {
      if (++ran < 300_000) sim.after(ran % 2, tick); // pairs of events at each instant, 300,000 in all
    });
    sim.at(0, tick);
    sim.run();
    expect(ran).toBe(300_000);
  });

  it("fails when one event loops: a handler scheduling and cancelling without end", () => {
    const sim = new Simulation("loop-seed");
    const timeout = sim.on("queue-timeout", () => undefined);
    const drain = sim.on("drain", () => {
      for (;;) sim.cancel(sim.timer(1_000, timeout)); // a queue drained and refilled by the same request
    });
    sim.at(250, drain);
    sim.measureWorld(() => 3);
    // Bound for 3 entities: 10,000 + 16 x 3 = 10,048 events scheduled by one handler.
    expect(() => sim.run()).toThrowError(/one drain event scheduled more than 10048 events .* a loop inside one event, scheduling queue-timeout \(seed loop-seed, t=250us\)/);
  });

  it("scales its per-instant bound per entity as documented", () => {
    expect(watchdogBounds(1_000).eventsPerInstant - watchdogBounds(0).eventsPerInstant).toBe(EVENTS_PER_INSTANT_PER_ENTITY * 999);
  });

  it("turns a scenario whose time stops (0 us hops, 0 think time, a crash) into a SimulationError at the crash", () => {
    const text = `
name: stall
description: zero hops and zero think time; the only backend crashes and every request is refused at once
seed: 7
duration: 10s
network: { clientToLb: { constant: 0us }, lbToBackend: { constant: 0us } }
clients:
  - { name: users, count: 10, load: { closed: { think: { constant: 0us } } }, classes: [{ name: get, demand: { constant: 1ms } }] }
lb: { parseOverhead: { constant: 0us } }
backends: [{ name: app, count: 1 }]
timeline: [{ at: 1s, crash: {}, targets: app }]
`;
    const loaded = parseScenario(text, "stall.yaml");
    const error = thrown(() => runVariants(loaded, undefined));
    expect(error.seed).toBe("7");
    expect(error.timeUs).toBe(1_000_000);
    expect(error.message).toMatch(/simulated time stopped: .*client-send x\d+/);
  });
});
