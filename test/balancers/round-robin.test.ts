// Proves round robin cycles evenly, skips unavailable backends, and keeps cycling past 2^31 and 2^53 picks.
import { describe, expect, it } from "vitest";
import { build, ids, sequence } from "./helpers.js";

describe("round-robin", () => {
  it("cycles through the backends in id order", () => {
    const { balancer } = build({ algorithm: "round-robin" }, ids(3));
    expect(sequence(balancer, 7)).toEqual(["b0", "b1", "b2", "b0", "b1", "b2", "b0"]);
  });

  it("skips unhealthy, draining and full backends", () => {
    const { balancer } = build({ algorithm: "round-robin" }, ["b0", "b1", { id: "b2", maxConnections: 1 }, "b3"]);
    balancer.setHealth("b1", "unhealthy");
    balancer.setHealth("b3", "draining");
    balancer.onRequestStart("b2");
    expect(sequence(balancer, 3)).toEqual(["b0", "b0", "b0"]);
    balancer.onRequestEnd("b2", { latencyUs: 10, success: true });
    expect(new Set(sequence(balancer, 4))).toEqual(new Set(["b0", "b2"]));
  });

  // The founding article's Java balancer needs Math.abs because an int counter wraps negative at 2^31; a JS number
  // counter stops incrementing at 2^53 (x + 1 === x), which would pin every request to one backend.
  it("documents the 2^53 trap a naive float counter falls into", () => {
    expect(2 ** 53 + 1).toBe(2 ** 53);
  });

  for (const [label, start] of [
    ["2^31", 2 ** 31 - 4],
    ["2^32", 2 ** 32 - 4],
    ["2^53", Number.MAX_SAFE_INTEGER - 4],
  ] as const) {
    it(`keeps an even cycle when started 4 picks before ${label}`, () => {
      const { balancer } = build({ algorithm: "round-robin", initialCounter: start }, ids(5));
      const picks = sequence(balancer, 50);
      // Strict rotation: each pick is the successor of the previous one, through and past the limit.
      for (let i = 1; i < picks.length; i++) {
        const prev = Number(picks[i - 1]!.slice(1));
        expect(picks[i]).toBe(`b${(prev + 1) % 5}`);
      }
      // And the first pick is where the counter says it is.
      expect(picks[0]).toBe(`b${start % 5}`);
      for (const id of ids(5)) expect(picks.filter((p) => p === id)).toHaveLength(10);
    });
  }

  it("rejects an initial counter that is not a safe integer", () => {
    expect(() => build({ algorithm: "round-robin", initialCounter: 2 ** 53 }, ids(2))).toThrow(/safe integer/);
  });

  it("keeps rotating when membership shrinks and grows", () => {
    const { balancer } = build({ algorithm: "round-robin" }, ids(4));
    expect(sequence(balancer, 3)).toEqual(["b0", "b1", "b2"]);
    balancer.removeBackend("b3");
    balancer.removeBackend("b2");
    // The cursor (3) is reduced modulo the new size (2), so rotation continues at b1.
    expect(sequence(balancer, 4)).toEqual(["b1", "b0", "b1", "b0"]);
    balancer.addBackend({ id: "b9" });
    expect(sequence(balancer, 6)).toEqual(["b1", "b9", "b0", "b1", "b9", "b0"]);
  });
});
