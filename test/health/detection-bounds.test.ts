// Proves detection and recovery time bounds by driving the step function from a small host loop: a backend that
// fails at t is marked down no earlier than (fall - 1) x interval and no later than about fall x interval + timeout
// (plus jitter); one that recovers at t is marked up within rise intervals.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seconds } from "../../src/engine/time.js";
import { withPreset, type ActiveCheckConfig, type PresetName } from "../../src/health/index.js";
import { PASS_LATENCY_US, runChecker, seededRandom } from "./helpers.js";

const RUNS = { seed: 7, numRuns: 150 } as const;

/** Longest and shortest interval a jittered healthy checker can draw. */
function intervalRange(config: ActiveCheckConfig): { min: number; max: number } {
  const spread = Math.floor((config.intervalUs * config.jitterPercent) / 100);
  const max = config.intervalUs + spread + config.jitterMaxUs;
  const min = config.jitterMode === "plus-minus" ? config.intervalUs - spread : config.intervalUs;
  return { min, max };
}

/**
 * Upper bound on the time from failure to "down", derived for each cadence. Fixed rate (`from-start`): the first
 * failing check starts within one interval of the failure, fall - 1 more follow one interval apart, and the last
 * answers after the timeout: F x Imax + T. Re-armed after each result (`from-result`): the pending check may be up
 * to Imax + (pass latency) away, and each failing check takes T before the next interval starts:
 * F x (Imax + T) + pass latency.
 */
function detectionUpperUs(config: ActiveCheckConfig): number {
  const { max } = intervalRange(config);
  return config.cadence === "from-start"
    ? config.fall * max + config.timeoutUs
    : config.fall * (max + config.timeoutUs) + PASS_LATENCY_US;
}

const CASES: Array<[string, PresetName, Parameters<typeof withPreset>[1]]> = [
  ["aws-alb (fixed rate, 30 s, fall 2, timeout 5 s)", "aws-alb", { initialHealth: "healthy" }],
  ["kubernetes (fixed rate, 10 s, fall 3, timeout 1 s)", "kubernetes", { initialHealth: "healthy" }],
  ["haproxy with spread-checks 5% (re-armed, 2 s, fall 3)", "haproxy", { initialHealth: "healthy", jitterPercent: 5 }],
  ["envoy with interval_jitter 500 ms (re-armed, 5 s, fall 3)", "envoy", { initialHealth: "healthy", jitterMaxUs: 500_000 }],
];

describe("detection bounds", () => {
  for (const [label, name, overrides] of CASES) {
    it(label, () => {
      const config = withPreset(name, overrides).active!;
      const lowerUs = (config.fall - 1) * intervalRange(config).min;
      const upperUs = detectionUpperUs(config);
      fc.assert(
        fc.property(fc.integer({ min: 0, max: seconds(120) }), fc.integer(), (failAtUs, seed) => {
          const transitions = runChecker(config, (t) => t < failAtUs, failAtUs + upperUs + seconds(60), seededRandom(seed));
          const down = transitions.find((x) => x.transition.to === "unhealthy");
          expect(down).toBeDefined();
          const tookUs = down!.atUs - failAtUs;
          expect(tookUs).toBeGreaterThanOrEqual(lowerUs);
          expect(tookUs).toBeLessThanOrEqual(upperUs);
        }),
        RUNS,
      );
    });
  }

  it("the bound is tight: ALB with the failure just after a check takes about 2 x 30 s + 5 s", () => {
    // Checks start at 0, 30 s, 60 s, ... (fixed rate). Failing at 1 us misses the check at 0; the checks at 30 s and
    // 60 s time out; the second answers at 65 s.
    const config = withPreset("aws-alb", { initialHealth: "healthy" }).active!;
    const down = runChecker(config, (t) => t < 1, seconds(200), seededRandom(1)).find((x) => x.transition.to === "unhealthy");
    expect(down!.atUs).toBe(seconds(65));
  });
});

describe("recovery bounds", () => {
  for (const name of ["aws-alb", "haproxy", "envoy", "kubernetes"] as const) {
    it(`${name}: marked up within rise intervals of recovering, not sooner than rise - 1`, () => {
      const config = withPreset(name, { initialHealth: "unhealthy" }).active!;
      const { min, max } = intervalRange(config);
      // The check in progress at recovery may still time out (from-result re-arms after it), then rise passes follow.
      const upperUs =
        config.cadence === "from-start"
          ? config.rise * max + PASS_LATENCY_US
          : config.timeoutUs + config.rise * (max + PASS_LATENCY_US);
      const lowerUs = (config.rise - 1) * min;
      fc.assert(
        fc.property(fc.integer({ min: 0, max: seconds(120) }), fc.integer(), (recoverAtUs, seed) => {
          const transitions = runChecker(config, (t) => t >= recoverAtUs, recoverAtUs + upperUs + seconds(60), seededRandom(seed));
          const up = transitions.find((x) => x.transition.to === "healthy");
          expect(up).toBeDefined();
          expect(up!.atUs - recoverAtUs).toBeGreaterThanOrEqual(lowerUs);
          expect(up!.atUs - recoverAtUs).toBeLessThanOrEqual(upperUs);
        }),
        RUNS,
      );
    });
  }
});
