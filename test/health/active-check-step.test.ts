// Proves the active check state machine's transition tables for every preset, its startup rules (HAProxy, Envoy,
// NGINX Plus mandatory, ALB), Envoy's immediate down on an unexpected status, and that it is pure.
import { describe, expect, it } from "vitest";
import {
  FAIL_REFUSED,
  FAIL_TIMEOUT,
  PASS,
  PRESET_NAMES,
  initialActiveCheckState,
  preset,
  step,
  withPreset,
  type ActiveCheckConfig,
  type ActiveCheckState,
  type CheckObservation,
  type StepResult,
} from "../../src/health/index.js";

function drive(config: ActiveCheckConfig, observations: readonly CheckObservation[], start?: ActiveCheckState): StepResult[] {
  let state = start ?? initialActiveCheckState(config);
  return observations.map((o) => {
    const r = step(state, o, config);
    state = r.state;
    return r;
  });
}

const repeat = (o: CheckObservation, n: number): CheckObservation[] => Array.from({ length: n }, () => o);
const STATUS_500: CheckObservation = { kind: "fail", reason: "status", status: 500 };

/** For each preset: [rise, fall] the table must show. */
const THRESHOLDS: Record<string, [number, number]> = {
  haproxy: [2, 3],
  "nginx-plus": [1, 1],
  envoy: [2, 3],
  "aws-alb": [5, 2],
  "aws-nlb": [5, 2],
  kubernetes: [1, 3],
};

describe("transition tables per preset (settled start)", () => {
  for (const name of PRESET_NAMES) {
    const base = preset(name).active;
    if (base === null) {
      it(`${name} has no active checks`, () => expect(name).toBe("nginx"));
      continue;
    }
    const [rise, fall] = THRESHOLDS[name]!;
    const config: ActiveCheckConfig = { ...base, initialHealth: "healthy" };

    it(`${name}: fall ${fall} timeouts mark down on the ${fall}th, not before`, () => {
      const results = drive(config, repeat(FAIL_TIMEOUT, fall));
      results.slice(0, -1).forEach((r) => expect(r.transition).toBeNull());
      expect(results.at(-1)!.transition).toEqual({ from: "healthy", to: "unhealthy", reason: "fall" });
    });

    it(`${name}: a pass in between resets the count of failures`, () => {
      const seq = [...repeat(FAIL_REFUSED, fall - 1), PASS, ...repeat(FAIL_REFUSED, fall - 1)];
      expect(drive(config, seq).every((r) => r.transition === null)).toBe(true);
    });

    it(`${name}: rise ${rise} passes mark up again, and a failure in between restarts the count`, () => {
      const down = drive(config, repeat(FAIL_TIMEOUT, fall)).at(-1)!.state;
      const interrupted = drive(config, [...repeat(PASS, rise - 1), FAIL_TIMEOUT, ...repeat(PASS, rise - 1)], down);
      expect(interrupted.every((r) => r.transition === null)).toBe(true);
      const up = drive(config, repeat(PASS, rise), down);
      expect(up.at(-1)!.transition).toEqual({ from: "unhealthy", to: "healthy", reason: "rise" });
      up.slice(0, -1).forEach((r) => expect(r.transition).toBeNull());
    });
  }
});

describe("startup rules", () => {
  it("HAProxy starts up, but falls at the first failed check", () => {
    const config = preset("haproxy").active!;
    expect(initialActiveCheckState(config).status).toBe("healthy");
    expect(drive(config, [FAIL_TIMEOUT])[0]!.transition).toEqual({ from: "healthy", to: "unhealthy", reason: "first-check" });
  });

  it("HAProxy: a first pass settles the server, after which it takes fall failures", () => {
    const results = drive(preset("haproxy").active!, [PASS, FAIL_TIMEOUT, FAIL_TIMEOUT, FAIL_TIMEOUT]);
    expect(results.map((r) => r.transition?.reason ?? null)).toEqual([null, null, null, "fall"]);
  });

  for (const name of ["envoy", "nginx-plus", "aws-alb", "aws-nlb", "kubernetes"] as const) {
    it(`${name}: starts unhealthy and one pass marks it healthy, whatever rise is`, () => {
      const config = preset(name).active!;
      expect(initialActiveCheckState(config).status).toBe("unhealthy");
      const first = drive(config, [PASS])[0]!;
      expect(first.transition?.to).toBe("healthy");
      expect(first.state.status).toBe("healthy");
    });
  }

  it("ALB: a new target whose first check fails then needs HealthyThresholdCount (5) passes", () => {
    const config = preset("aws-alb").active!;
    const results = drive(config, [FAIL_TIMEOUT, ...repeat(PASS, 5)]);
    expect(results.map((r) => r.transition?.reason ?? null)).toEqual([null, null, null, null, null, "rise"]);
  });
});

describe("Envoy immediate down on an unexpected HTTP status", () => {
  it("one 500 marks an Envoy host down at once; timeouts still need unhealthy_threshold", () => {
    const config = { ...preset("envoy").active!, initialHealth: "healthy" as const };
    expect(drive(config, [STATUS_500])[0]!.transition).toEqual({ from: "healthy", to: "unhealthy", reason: "unexpected-status" });
    expect(drive(config, repeat(FAIL_TIMEOUT, 2)).every((r) => r.transition === null)).toBe(true);
  });

  it("a deep check's dependency failure is an application answer too", () => {
    const config = { ...preset("envoy").active!, initialHealth: "healthy" as const };
    const r = drive(config, [{ kind: "fail", reason: "dependency", status: 200 }])[0]!;
    expect(r.transition?.reason).toBe("unexpected-status");
  });

  it("without the rule (HAProxy) a 500 counts like any failure", () => {
    const config = withPreset("haproxy", { initialHealth: "healthy" }).active!;
    expect(drive(config, repeat(STATUS_500, 2)).every((r) => r.transition === null)).toBe(true);
  });
});

describe("purity", () => {
  it("step does not mutate its input and is deterministic", () => {
    const config = preset("haproxy").active!;
    const state = initialActiveCheckState(config);
    const snapshot = JSON.stringify(state);
    const a = step(state, FAIL_TIMEOUT, config);
    const b = step(state, FAIL_TIMEOUT, config);
    expect(JSON.stringify(state)).toBe(snapshot);
    expect(a).toEqual(b);
  });
});
