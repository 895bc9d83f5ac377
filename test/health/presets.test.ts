// Proves the presets carry their documented defaults and merge with overrides: HAProxy inter 2000 ms / rise 2 /
// fall 3 / timeout = inter, NGINX max_fails 1 / fail_timeout 10 s, NGINX Plus 5 s / 1 / 1 / mandatory, Envoy outlier
// and panic defaults, ALB 30 s / 5 s / 5 / 2 / 300 s, NLB TCP 30 s / 10 s, Kubernetes 10 s / 1 s / 3 / 1.
import { describe, expect, it } from "vitest";
import { ms, seconds } from "../../src/engine/time.js";
import { PRESET_NAMES, activeCheckConfigProblems, preset, withPreset } from "../../src/health/index.js";

describe("preset defaults", () => {
  it("haproxy", () => {
    expect(preset("haproxy").active).toMatchObject({ intervalUs: ms(2000), timeoutUs: ms(2000), rise: 2, fall: 3, probe: "tcp" });
  });
  it("nginx: passive only", () => {
    expect(preset("nginx").active).toBeNull();
    expect(preset("nginx").passive).toEqual({ kind: "nginx", maxFails: 1, failTimeoutUs: seconds(10), singleServer: false });
  });
  it("nginx-plus", () => {
    expect(preset("nginx-plus").active).toMatchObject({ intervalUs: seconds(5), jitterMaxUs: 0, rise: 1, fall: 1, initialHealth: "unhealthy-until-first-pass" });
  });
  it("envoy", () => {
    const e = preset("envoy");
    expect(e.active).toMatchObject({ intervalUs: seconds(5), immediateDownOnStatus: true, initialHealth: "unhealthy-until-first-pass" });
    expect(e.passive).toMatchObject({ consecutive5xx: 5, intervalUs: seconds(10), baseEjectionTimeUs: seconds(30), maxEjectionTimeUs: seconds(300), maxEjectionPercent: 10 });
    expect(e.panic.healthyPanicThresholdPercent).toBe(50);
  });
  it("aws-alb and aws-nlb", () => {
    expect(preset("aws-alb").active).toMatchObject({ intervalUs: seconds(30), timeoutUs: seconds(5), rise: 5, fall: 2, cadence: "from-start", probe: "http" });
    expect(preset("aws-alb").drain.deregistrationDelayUs).toBe(seconds(300));
    expect(preset("aws-alb").panic.failOpenWhenNoneHealthy).toBe(true);
    expect(preset("aws-nlb").active).toMatchObject({ intervalUs: seconds(30), timeoutUs: seconds(10), rise: 5, fall: 2, probe: "tcp" });
  });
  it("kubernetes", () => {
    expect(preset("kubernetes").active).toMatchObject({ intervalUs: seconds(10), timeoutUs: seconds(1), fall: 3, rise: 1 });
  });
  it("every preset's active config is valid", () => {
    for (const name of PRESET_NAMES) {
      const a = preset(name).active;
      if (a !== null) expect(activeCheckConfigProblems(a)).toEqual([]);
    }
  });
});

describe("withPreset", () => {
  it("merges overrides: withPreset('haproxy', { fall: 5 })", () => {
    const c = withPreset("haproxy", { fall: 5 });
    expect(c.active).toMatchObject({ fall: 5, rise: 2, intervalUs: ms(2000) });
    expect(preset("haproxy").active!.fall).toBe(3);
  });
  it("HAProxy timeout check and fastinter follow inter unless given", () => {
    expect(withPreset("haproxy", { intervalUs: seconds(5) }).active).toMatchObject({ timeoutUs: seconds(5), fastIntervalUs: seconds(5) });
    expect(withPreset("haproxy", { intervalUs: seconds(5), timeoutUs: seconds(1) }).active!.timeoutUs).toBe(seconds(1));
  });
  it("nested parts merge by name", () => {
    const c = withPreset("envoy", { panic: { healthyPanicThresholdPercent: 0 }, slowStart: { kind: "envoy", windowUs: seconds(60), aggression: 1, minWeightPercent: 10, applyAtStartup: false } });
    expect(c.panic).toEqual({ healthyPanicThresholdPercent: 0, failOpenWhenNoneHealthy: false });
    expect(c.slowStart.kind).toBe("envoy");
  });
  it("rejects unusable configs with the reason", () => {
    expect(() => withPreset("haproxy", { rise: 0 })).toThrow(/rise must be an integer >= 1/);
    expect(() => withPreset("aws-alb", { timeoutUs: seconds(60) })).toThrow(/must not exceed intervalUs/);
    expect(() => withPreset("nginx", { fall: 2 })).toThrow(/no active health checks/);
  });
});
