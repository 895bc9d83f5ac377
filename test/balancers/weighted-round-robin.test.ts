// Proves NGINX smooth WRR's exact sequence, the static shuffled pool's shares and seeded shuffle, and that
// runtime weight changes and slow-start factors are honoured, and NGINX's effective_weight drop on failure.
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

describe("weighted-round-robin smooth: effective_weight on failure (NGINX max_fails)", () => {
  it("a failure drops the server's effective_weight by weight / max_fails; each pick raises it by one", () => {
    // a: weight 3, b: weight 1, max_fails 1. One failure on a: effective_weight 3 - 3/1 = 0. Next round: a adds
    // 0 (then creeps to 1), b adds 1. Trace from zero current weights (no pick happened before the failure):
    // pick 1: a += 0 (ew->1), b += 1 -> cur a 0, b 1 -> b; b -= 1 -> a 0, b 0.
    // pick 2: a += 1 (ew->2), b += 1 -> a 1, b 1 -> a (first on ties); a -= 2 -> a -1, b 1.
    // pick 3: a += 2 (ew->3), b += 1 -> a 1, b 2 -> b; b -= 3 -> a 1, b -1.
    // pick 4: a += 3, b += 1 -> a 4, b 0 -> a. So b a b a instead of a steady 3:1.
    const { balancer } = build({ algorithm: "weighted-round-robin" }, [{ id: "a", weight: 3 }, { id: "b", weight: 1 }]);
    balancer.onRequestStart("a");
    balancer.onRequestEnd("a", { latencyUs: 1, success: false });
    expect(sequence(balancer, 4)).toEqual(["b", "a", "b", "a"]);
    // Back at full weight, the 3:1 pattern returns: 8 picks hold a 6 times.
    expect(sequence(balancer, 8).filter((id) => id === "a").length).toBe(6);
  });

  it("max_fails 0 or a failure NGINX does not count (peerFailed false) leaves the weight alone", () => {
    const off = build({ algorithm: "weighted-round-robin", maxFails: 0 }, [{ id: "a", weight: 3 }, { id: "b", weight: 1 }]).balancer;
    off.onRequestEnd("a", { latencyUs: 1, success: false });
    expect(sequence(off, 4)).toEqual(["a", "a", "b", "a"]);
    const uncounted = build({ algorithm: "weighted-round-robin" }, [{ id: "a", weight: 3 }, { id: "b", weight: 1 }]).balancer;
    uncounted.onRequestEnd("a", { latencyUs: 1, success: false, peerFailed: false });
    expect(sequence(uncounted, 4)).toEqual(["a", "a", "b", "a"]);
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
