// Proves slow-start weight factors at known points: linear (HAProxy slowstart, ALB slow_start) and Envoy's
// max(min_weight_percent, (t / window)^(1 / aggression)), and that HAProxy does not slow-start at process startup.
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
  it("linear: 0 at return, 25% at a quarter, 100% from the end of the window", () => {
    expect(slowStartFactor(linear, 0)).toBe(0);
    expect(slowStartFactor(linear, seconds(15))).toBe(0.25);
    expect(slowStartFactor(linear, seconds(60))).toBe(1);
    expect(slowStartFactor(linear, seconds(600))).toBe(1);
  });

  it("HAProxy: no slow start for servers up since process start", () => {
    expect(slowStartFactor(linear, null, seconds(1))).toBe(1);
    expect(slowStartFactor({ ...linear, applyAtStartup: true }, null, seconds(15))).toBe(0.25);
  });

  it("Envoy aggression 2 at window/4: max(0.1, 0.25^(1/2)) = 0.5", () => {
    expect(slowStartFactor(envoy(2), seconds(25))).toBeCloseTo(0.5, 12);
  });

  it("Envoy aggression 1 is linear above the floor; the floor is min_weight_percent 10%", () => {
    expect(slowStartFactor(envoy(1), seconds(50))).toBeCloseTo(0.5, 12);
    // t = 5 s: 0.05 < 0.1, so the floor applies; t < 1 s counts as 1 s (Envoy: max(TimeSinceStartInSeconds, 1)).
    expect(slowStartFactor(envoy(1), seconds(5))).toBeCloseTo(0.1, 12);
    expect(slowStartFactor(envoy(1), 0)).toBeCloseTo(0.1, 12);
  });

  it("Envoy aggression 0.5 ramps slower: (0.5)^2 = 0.25 at half the window", () => {
    expect(slowStartFactor(envoy(0.5), seconds(50))).toBeCloseTo(0.25, 12);
    expect(slowStartFactor(envoy(0.5), seconds(100))).toBe(1);
  });

  it("no slow start configured: always 1", () => {
    expect(slowStartFactor({ kind: "none" }, 0)).toBe(1);
  });
});
