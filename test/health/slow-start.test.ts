// Proves slow-start weight factors at known points: linear (HAProxy slowstart's 1/16 steps from the minimal step,
// never 0) and Envoy's max(min_weight_percent, (max(t, 1 ms) / window)^(1 / aggression)), and that HAProxy does not
// slow-start at process startup.
import { describe, expect, it } from "vitest";
import { seconds } from "../../src/engine/time.js";
import { slowStartFactor, type SlowStartConfig } from "../../src/health/index.js";

const linear: SlowStartConfig = { kind: "linear", windowUs: seconds(60), applyAtStartup: false };
const envoy = (aggression: number): SlowStartConfig => ({
  kind: "envoy",
  windowUs: seconds(100),
  aggression,
  minWeightPercent: 10,
  applyAtStartup: true,
});

describe("slow start", () => {
  it("linear (HAProxy server_recalc_eweight): the minimal step 1/16 at return, never 0; whole steps after", () => {
    // w = floor(16 x t / 60 s) + 1, factor w / 16: t = 0 -> 1/16; t = 15 s -> floor(4) + 1 = 5 -> 5/16;
    // t = 59.9 s -> floor(15.97) + 1 = 16 -> 1; from the end of the window, 1.
    expect(slowStartFactor(linear, 0)).toBe(1 / 16);
    expect(slowStartFactor(linear, seconds(15))).toBe(5 / 16);
    expect(slowStartFactor(linear, seconds(14.9))).toBe(4 / 16); // floor(3.97) + 1
    expect(slowStartFactor(linear, seconds(59.9))).toBe(1);
    expect(slowStartFactor(linear, seconds(60))).toBe(1);
    expect(slowStartFactor(linear, seconds(600))).toBe(1);
  });

  it("HAProxy: no slow start for servers up since process start", () => {
    expect(slowStartFactor(linear, null, seconds(1))).toBe(1);
    expect(slowStartFactor({ ...linear, applyAtStartup: true }, null, seconds(15))).toBe(5 / 16);
  });

  it("Envoy aggression 2 at window/4: max(0.1, 0.25^(1/2)) = 0.5", () => {
    expect(slowStartFactor(envoy(2), seconds(25))).toBeCloseTo(0.5, 12);
  });

  it("Envoy aggression 1 is linear above the floor; the floor is min_weight_percent 10%", () => {
    expect(slowStartFactor(envoy(1), seconds(50))).toBeCloseTo(0.5, 12);
    // t = 5 s: 0.05 < 0.1, so the floor applies; t < 1 ms counts as 1 ms (applySlowStartFactor floors at 1 ms).
    expect(slowStartFactor(envoy(1), seconds(5))).toBeCloseTo(0.1, 12);
    expect(slowStartFactor(envoy(1), 0)).toBeCloseTo(0.1, 12);
  });

  it("Envoy's time floor is 1 ms, not 1 s: with no minimum weight, t = 0 gives 1 ms / window", () => {
    // min_weight_percent 0, aggression 1, window 100 s: t = 0 -> 0.001 / 100 = 1e-5; t = 0.5 s -> 0.005. A 1 s
    // floor would give 0.01 for both.
    const noFloor: SlowStartConfig = { kind: "envoy", windowUs: seconds(100), aggression: 1, minWeightPercent: 0, applyAtStartup: true };
    expect(slowStartFactor(noFloor, 0)).toBeCloseTo(1e-5, 15);
    expect(slowStartFactor(noFloor, seconds(0.5))).toBeCloseTo(0.005, 15);
  });

  it("Envoy aggression 0.5 ramps slower: (0.5)^2 = 0.25 at half the window", () => {
    expect(slowStartFactor(envoy(0.5), seconds(50))).toBeCloseTo(0.25, 12);
    expect(slowStartFactor(envoy(0.5), seconds(100))).toBe(1);
  });

  it("no slow start configured: always 1", () => {
    expect(slowStartFactor({ kind: "none" }, 0)).toBe(1);
  });
});
