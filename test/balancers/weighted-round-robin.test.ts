// Proves NGINX smooth WRR's exact sequence, the static shuffled pool's shares and seeded shuffle, and that
// runtime weight changes and slow-start factors are honoured.
import { describe, expect, it } from "vitest";
import { build, sequence, tally } from "./helpers.js";

const abc = (wa: number, wb: number, wc: number) => [
  { id: "a", weight: wa },
  { id: "b", weight: wb },
  { id: "c", weight: wc },
];

describe("weighted-round-robin smooth (NGINX)", () => {
  it("weights 5,1,1 give exactly a a b a c a a, then repeat", () => {
    const { balancer } = build({ algorithm: "weighted-round-robin" }, abc(5, 1, 1));
    const once = ["a", "a", "b", "a", "c", "a", "a"];
    expect(sequence(balancer, 14)).toEqual([...once, ...once]);
  });

  it("follows a runtime weight change (updateWeight under GC pressure)", () => {
    const { balancer } = build({ algorithm: "weighted-round-robin", variant: "smooth" }, abc(5, 1, 1));
    sequence(balancer, 7); // one full cycle: current weights are back to zero
    balancer.setWeight("a", 1);
    const counts = tally(balancer, 300);
    expect([counts.get("a"), counts.get("b"), counts.get("c")]).toEqual([100, 100, 100]);
  });

  it("uses weight x slow-start factor", () => {
    const { balancer } = build({ algorithm: "weighted-round-robin" }, abc(4, 2, 2));
    balancer.setWeightFactor("a", 0.5); // effective 2,2,2
    const counts = tally(balancer, 300);
    expect([counts.get("a"), counts.get("b"), counts.get("c")]).toEqual([100, 100, 100]);
    balancer.setWeightFactor("a", 0); // effective 0: out of rotation, as HAProxy weight 0
    expect(tally(balancer, 10).get("a")).toBeUndefined();
  });
});

describe("weighted-round-robin static (founding article's shuffled pool)", () => {
  it("every window of one pool length holds each backend exactly weight times", () => {
    const { balancer } = build({ algorithm: "weighted-round-robin", variant: "static" }, abc(5, 1, 1));
    const picks = sequence(balancer, 70);
    for (let start = 0; start < 70; start += 7) {
      const window = picks.slice(start, start + 7);
      expect(window.filter((p) => p === "a")).toHaveLength(5);
      expect(window.filter((p) => p === "b")).toHaveLength(1);
    }
  });

  it("the shuffle is drawn from the injected rng: same seed same order, and seeds differ", () => {
    const order = (seed: number) => sequence(build({ algorithm: "weighted-round-robin", variant: "static" }, abc(3, 3, 3), seed).balancer, 9).join("");
    expect(order(7)).toBe(order(7));
    const orders = new Set([1, 2, 3, 4, 5, 6].map(order));
    // 9!/(3!3!3!) = 1680 orders; six seeds all colliding would mean the shuffle ignores the rng.
    expect(orders.size).toBeGreaterThan(1);
  });

  it("divides weights by their gcd, and rebuilds the pool on setWeight", () => {
    const { balancer } = build({ algorithm: "weighted-round-robin", variant: "static" }, [{ id: "x", weight: 100 }, { id: "y", weight: 200 }]);
    const counts = tally(balancer, 3);
    expect([counts.get("x"), counts.get("y")]).toEqual([1, 2]);
    balancer.setWeight("y", 100);
    const after = tally(balancer, 20);
    expect([after.get("x"), after.get("y")]).toEqual([10, 10]);
  });
});
