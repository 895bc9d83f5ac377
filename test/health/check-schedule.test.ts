// Proves the scheduling helpers: HAProxy inter/fastinter/downinter selection, Envoy edge intervals, jitter ranges
// (symmetric spread-checks, additive Envoy jitter), first-check spreading, and the two cadences.
import { describe, expect, it } from "vitest";
import { ms, seconds } from "../../src/engine/time.js";
import {
  FAIL_TIMEOUT,
  PASS,
  baseIntervalUs,
  firstCheckDelayUs,
  initialActiveCheckState,
  intervalKind,
  jitteredUs,
  nextCheckStartUs,
  step,
  withPreset,
} from "../../src/health/index.js";
import { seededRandom } from "./helpers.js";

const haproxy = withPreset("haproxy", {
  initialHealth: "healthy",
  fastIntervalUs: ms(500),
  downIntervalUs: seconds(10),
}).active!;

describe("interval selection (HAProxy srv_getinter)", () => {
  it("inter when fully up, fastinter while falling, downinter when fully down, fastinter while rising", () => {
    let s = initialActiveCheckState(haproxy);
    expect(intervalKind(s, haproxy)).toBe("inter");
    s = step(s, FAIL_TIMEOUT, haproxy).state;
    expect(baseIntervalUs(s, haproxy)).toBe(ms(500));
    s = step(step(s, FAIL_TIMEOUT, haproxy).state, FAIL_TIMEOUT, haproxy).state;
    expect(s.status).toBe("unhealthy");
    expect(baseIntervalUs(s, haproxy)).toBe(seconds(10));
    s = step(s, PASS, haproxy).state;
    expect(baseIntervalUs(s, haproxy)).toBe(ms(500));
  });

  it("HAProxy provisional start is transitional, so fastinter applies until the first result", () => {
    const start = withPreset("haproxy", { fastIntervalUs: ms(500) }).active!;
    expect(intervalKind(initialActiveCheckState(start), start)).toBe("fastinter");
  });

  it("Envoy edge intervals apply right after a change only", () => {
    const envoy = withPreset("envoy", { unhealthyEdgeIntervalUs: ms(100), downIntervalUs: seconds(20) }).active!;
    let s = initialActiveCheckState({ ...envoy, initialHealth: "healthy" });
    s = step(s, { kind: "fail", reason: "status", status: 500 }, envoy).state;
    expect(baseIntervalUs(s, envoy)).toBe(ms(100));
    s = step(s, FAIL_TIMEOUT, envoy).state;
    expect(baseIntervalUs(s, envoy)).toBe(seconds(20));
  });
});

describe("jitter", () => {
  it("spread-checks 50% stays within inter +/- 50% and uses both sides", () => {
    const config = { ...haproxy, jitterPercent: 50 };
    const rng = seededRandom(11);
    const draws = Array.from({ length: 2000 }, () => jitteredUs(seconds(2), config, rng));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(seconds(1));
    expect(Math.max(...draws)).toBeLessThanOrEqual(seconds(3));
    expect(draws.some((d) => d < seconds(1.5)) && draws.some((d) => d > seconds(2.5))).toBe(true);
  });

  it("Envoy jitter only adds: interval_jitter_percent 10 and interval_jitter 1 s", () => {
    const config = { ...withPreset("envoy").active!, jitterPercent: 10, jitterMaxUs: seconds(1) };
    const rng = seededRandom(5);
    const draws = Array.from({ length: 2000 }, () => jitteredUs(seconds(5), config, rng));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(seconds(5));
    expect(Math.max(...draws)).toBeLessThan(seconds(6.5));
  });

  it("no jitter configured draws no randomness", () => {
    let draws = 0;
    const rng = { next: () => (draws++, 0.5) };
    expect(jitteredUs(seconds(5), withPreset("aws-alb").active!, rng)).toBe(seconds(5));
    expect(draws).toBe(0);
  });
});

describe("first checks and cadence", () => {
  it("HAProxy spreads first checks over one fastinter by position; Envoy initial_jitter is random below the bound", () => {
    const h = withPreset("haproxy").active!;
    // fastinter unset follows inter (2 s): server 3 of 4 starts at 2 s x 3/4.
    expect(firstCheckDelayUs(h, seededRandom(1), { index: 3, count: 4 })).toBe(ms(1500));
    // fastinter 500ms, three servers (measured on HAProxy 2.6: 0, 167, 333 ms): server 2 of 3 at 500 x 2/3.
    const fast = withPreset("haproxy", { fastIntervalUs: ms(500) }).active!;
    expect(firstCheckDelayUs(fast, seededRandom(1), { index: 2, count: 3 })).toBe(333_333);
    const e = withPreset("envoy", { initialJitterUs: seconds(2) }).active!;
    const d = firstCheckDelayUs(e, seededRandom(2));
    expect(d).toBeGreaterThanOrEqual(0);
    expect(d).toBeLessThan(seconds(2));
  });

  it("from-start keeps a fixed rate; from-result re-arms after the answer", () => {
    const alb = withPreset("aws-alb", { initialHealth: "healthy" }).active!;
    const s = initialActiveCheckState(alb);
    expect(nextCheckStartUs(0, seconds(5), s, alb, seededRandom(1))).toBe(seconds(30));
    const envoy = withPreset("envoy", { initialHealth: "healthy" }).active!;
    expect(nextCheckStartUs(0, seconds(1), initialActiveCheckState(envoy), envoy, seededRandom(1))).toBe(seconds(6));
  });
});
