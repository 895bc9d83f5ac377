// Proves least-response-time follows the fastest backend, and peak-ewma is peak-sensitive, decays with its 10 s
// time constant, probes unknown backends one request at a time, and shuns a fast-failing backend when the
// failure penalty is on (and is fooled by it when the penalty is off).
import { describe, expect, it } from "vitest";
import type { BalancerSpec, LoadBalancer } from "../../src/balancers/index.js";
import { build, type FakeClock } from "./helpers.js";

/** One request at a time: pick, start, let `latencyUs(id)` pass, end with `success(id)`. Returns picks per id. */
function runSequential(
  balancer: LoadBalancer,
  clock: FakeClock,
  n: number,
  latencyUs: (id: string) => number,
  success: (id: string) => boolean,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const b = balancer.pick().backend!;
    balancer.onRequestStart(b);
    clock.t += latencyUs(b.id);
    balancer.onRequestEnd(b, { latencyUs: latencyUs(b.id), success: success(b.id) });
    counts.set(b.id, (counts.get(b.id) ?? 0) + 1);
  }
  return counts;
}

const latency = (id: string) => (id === "slow" ? 50_000 : id === "fast" ? 5_000 : id === "failing" ? 100 : 10_000);

describe("least-response-time", () => {
  it("sends almost everything to the backend with the lowest average time", () => {
    const { balancer, clock } = build({ algorithm: "least-response-time" }, ["slow", "fast"]);
    const counts = runSequential(balancer, clock, 1000, latency, () => true);
    // Each backend gets its first probe; after that fast (5 ms) always beats slow (50 ms).
    expect(counts.get("slow")).toBe(1);
    expect(counts.get("fast")).toBe(999);
  });

  it("uses time to first byte when given", () => {
    const { balancer } = build({ algorithm: "least-response-time" }, ["x", "y"]);
    balancer.onRequestEnd("x", { latencyUs: 1_000, ttfbUs: 900, success: true });
    balancer.onRequestEnd("y", { latencyUs: 500, ttfbUs: 450, success: true });
    expect(balancer.backends().map((b) => b.load)).toEqual([900, 450]);
  });
});

describe("peak-ewma", () => {
  // The penalty is an lbsim extension (Finagle and tower have none), so it is off unless named.
  const penalised: BalancerSpec = { algorithm: "peak-ewma", failurePenaltyUs: 1_000_000 };
  const unpenalised: BalancerSpec = { algorithm: "peak-ewma" };

  it("shuns a backend that fails fast when the failure penalty is on", () => {
    const { balancer, clock } = build(penalised, ["a", "b", "failing"], "peak-penalty");
    const counts = runSequential(balancer, clock, 3000, latency, (id) => id !== "failing");
    // Its first failure costs 1 s, which decays below the others' 10 ms only after ~10 s x ln(100) = 46 s idle;
    // the whole run lasts about 30 s, so it gets its first probe and not much else.
    expect(counts.get("failing") ?? 0).toBeLessThan(10);
  });

  it("without the penalty the fast failures attract most of the traffic", () => {
    const { balancer, clock } = build(unpenalised, ["a", "b", "failing"], "peak-penalty");
    const counts = runSequential(balancer, clock, 3000, latency, (id) => id !== "failing");
    // P2C: failing (0.1 ms) wins every pair it is drawn into, i.e. 2 of the 3 pairs: about 2/3 of requests.
    expect(counts.get("failing")! / 3000).toBeGreaterThan(0.6);
  });

  it("decays the cost on every read (Finagle get() calls observe(0)), so a sample after a read weighs less", () => {
    // Cost 100 ms at t = 0. Read at t = 10 s: cost becomes 100 e^-1 (stamp moves to 10 s). A 1 ms sample at
    // t = 10.5 s is blended with w = e^-0.05 (time since the read), not e^-1.05 (time since the last sample):
    // 100000 e^-1 e^-0.05 + 1000 (1 - e^-0.05).
    const { balancer, clock } = build({ algorithm: "peak-ewma" }, ["x", "y"], "decay-on-read");
    balancer.onRequestEnd("x", { latencyUs: 100_000, success: true });
    balancer.onRequestEnd("y", { latencyUs: 100_000, success: true });
    clock.t = 10_000_000;
    balancer.pick(); // the distinct pair reads both
    clock.t = 10_500_000;
    balancer.onRequestEnd("x", { latencyUs: 1_000, success: true });
    const w = Math.exp(-0.05);
    expect(balancer.backends()[0]!.load).toBeCloseTo(100_000 * Math.exp(-1) * w + 1_000 * (1 - w), 6);
  });

  it("jumps to a slower sample at once and decays with the 10 s time constant", () => {
    const { balancer, clock } = build(penalised, ["x"]);
    balancer.onRequestEnd("x", { latencyUs: 1_000, success: true });
    clock.t = 1_000;
    balancer.onRequestEnd("x", { latencyUs: 100_000, success: true }); // peak: cost becomes 100 ms at once
    expect(balancer.backends()[0]!.load).toBeCloseTo(100_000, 6);
    clock.t += 10_000_000; // one time constant later, idle: 100 ms x e^-1
    expect(balancer.backends()[0]!.load).toBeCloseTo(100_000 * Math.exp(-1), 6);
    // A faster sample 10 s after the last one moves the estimate by 1 - e^-1 toward it.
    balancer.onRequestEnd("x", { latencyUs: 1_000, success: true });
    expect(balancer.backends()[0]!.load).toBeCloseTo(100_000 * Math.exp(-1) + 1_000 * (1 - Math.exp(-1)), 6);
  });

  it("cost = estimate x (in flight + 1)", () => {
    const { balancer } = build(penalised, ["x"]);
    balancer.onRequestEnd("x", { latencyUs: 2_000, success: true });
    balancer.onRequestStart("x");
    balancer.onRequestStart("x");
    expect(balancer.backends()[0]!.load).toBe(6_000);
  });

  it("a backend with no latency yet gets one probe at a time (Finagle's penalty)", () => {
    const { balancer } = build({ algorithm: "peak-ewma", picker: "least" }, ["known", "new"]);
    balancer.onRequestEnd("known", { latencyUs: 10_000, success: true });
    const first = balancer.pick().backend!;
    expect(first.id).toBe("new"); // cost 0: worth a try
    balancer.onRequestStart(first);
    expect(balancer.pick().backend!.id).toBe("known"); // new is busy with an unknown cost
  });
});
