// Proves the loop's contract: it stops at the horizon (and sets the clock there), on an empty queue, and fails
// loudly, naming the seed, when the event budget runs out, a handler throws, or a time is in the past.
import { describe, expect, it } from "vitest";
import { SimulationError, invariant } from "../../src/engine/invariant.js";
import { Simulation } from "../../src/engine/simulation.js";

describe("Simulation", () => {
  it("runs events in time order and stops when the queue is empty", () => {
    const sim = new Simulation(7);
    const seen: Array<[number, number]> = [];
    const kind = sim.on("tick", (target) => seen.push([sim.now, target]));
    sim.at(300, kind, 3);
    sim.at(100, kind, 1);
    sim.after(200, kind, 2);
    const result = sim.run();
    expect(seen).toEqual([[100, 1], [200, 2], [300, 3]]);
    expect(result).toEqual({ stoppedBy: "empty", events: 3, endTimeUs: 300 });
  });

  it("stops at the horizon, leaves later events pending and moves the clock to the horizon", () => {
    const sim = new Simulation(1);
    let count = 0;
    const kind = sim.on("periodic", () => {
      count++;
      sim.after(1_000, kind);
    });
    sim.at(0, kind);
    const result = sim.run({ untilUs: 10_500 });
    expect(count).toBe(11); // t = 0, 1000, ..., 10000
    expect(result.stoppedBy).toBe("horizon");
    expect(sim.now).toBe(10_500);
    expect(sim.pendingEvents).toBe(1);
    sim.run({ untilUs: 12_000 }); // a later call continues where the first stopped
    expect(count).toBe(13);
  });

  it("cancelled events never run", () => {
    const sim = new Simulation(1);
    const ran: number[] = [];
    const kind = sim.on("timeout", (target) => ran.push(target));
    const handle = sim.timerAt(50, kind, 1);
    sim.at(60, kind, 2);
    expect(sim.cancel(handle)).toBe(true);
    sim.run();
    expect(ran).toEqual([2]);
  });

  it("reports an exhausted event budget as an error naming the seed, not a hang", () => {
    const sim = new Simulation("budget-seed");
    const kind = sim.on("forever", () => sim.after(1, kind));
    sim.at(0, kind);
    expect(() => sim.run({ maxEvents: 1_000 })).toThrowError(SimulationError);
    expect(() => sim.run({ maxEvents: 10 })).toThrowError(/event budget of 10 exhausted.*seed budget-seed/);
  });

  it("rejects times in the past and fractional times", () => {
    const sim = new Simulation(3);
    const kind = sim.on("x", () => undefined);
    sim.at(100, kind);
    sim.run();
    expect(() => sim.at(99, kind)).toThrowError(/whole microseconds, not before now.*seed 3/);
    expect(() => sim.after(0.5, kind)).toThrowError(SimulationError);
    expect(() => sim.after(Number.NaN, kind)).toThrowError(SimulationError);
  });

  it("wraps a handler's exception and a broken invariant with the seed and the time", () => {
    const sim = new Simulation(42);
    const kind = sim.on("broken", () => invariant(false, "ledger does not balance"));
    sim.at(1_234, kind);
    expect(() => sim.run()).toThrowError(/ledger does not balance \(seed 42, t=1234us\)/);

    const other = new Simulation(43);
    const boom = other.on("boom", () => {
      throw new TypeError("bad");
    });
    other.at(5, boom);
    expect(() => other.run()).toThrowError(/uncaught TypeError: bad in a boom handler \(seed 43, t=5us\)/);
  });
});
