// Proves Envoy outlier detection timelines: consecutive 5xx ejection, ejection durations 30 s, 60 s, 90 s ... capped
// at 300 s, backoff decay, max_ejection_percent (and always_eject_one_host), gateway failures not enforced by
// default, un-ejection by a passing active check, and counters left alone for a host already ejected.
import { describe, expect, it } from "vitest";
import { seconds } from "../../src/engine/time.js";
import {
  ENVOY_OUTLIER_DEFAULTS,
  OUTLIER_HOST_INITIAL,
  maxEjectableHosts,
  outlierOnActiveCheck,
  outlierRecordResponse,
  outlierSweep,
  type OutlierHostState,
} from "../../src/health/index.js";
import { seededRandom } from "./helpers.js";

const config = ENVOY_OUTLIER_DEFAULTS;
const rng = seededRandom(3);
const alone = { hostCount: 10, ejectedCount: 0 };

function send(state: OutlierHostState, status: number, times: number, nowUs: number) {
  let s = state;
  let last = null;
  for (let i = 0; i < times; i++) {
    const r = outlierRecordResponse(s, status, alone, nowUs, config, rng);
    s = r.state;
    last = r.event;
  }
  return { state: s, event: last };
}

describe("consecutive 5xx", () => {
  it("ejects on the 5th consecutive 500, not the 4th; a 200 resets the count", () => {
    expect(send(OUTLIER_HOST_INITIAL, 500, 4, 0).state.ejected).toBe(false);
    const interrupted = send(send(OUTLIER_HOST_INITIAL, 500, 4, 0).state, 200, 1, 0).state;
    expect(send(interrupted, 500, 4, 0).state.ejected).toBe(false);
    const r = send(OUTLIER_HOST_INITIAL, 500, 5, 0);
    expect(r.state.ejected).toBe(true);
    expect(r.event).toEqual({ kind: "ejected", detector: "consecutive-5xx", durationUs: seconds(30) });
  });

  it("an ejected host's counter is not reset when it reaches the threshold again (onConsecutiveErrorWorker returns first)", () => {
    // Ejected by the 5th 500, counter reset to 0. Five more 500s while ejected (traffic from before the ejection
    // still ending): the 10th response reaches the threshold again, but the worker returns before resetting, so
    // the counter stays at 5, then 6 on the next; while the counter is past 5, no further detection can fire.
    let s = send(OUTLIER_HOST_INITIAL, 500, 5, 0).state;
    expect(s.ejected).toBe(true);
    expect(s.consecutive5xx).toBe(0);
    s = send(s, 500, 5, seconds(1)).state;
    expect(s.consecutive5xx).toBe(5);
    s = send(s, 500, 1, seconds(1)).state;
    expect(s.consecutive5xx).toBe(6);
  });

  it("5 consecutive 503s trip the gateway detector, which is not enforced by default, and the 5xx one, which is", () => {
    let s = OUTLIER_HOST_INITIAL;
    const events = [];
    for (let i = 0; i < 5; i++) {
      const r = outlierRecordResponse(s, 503, alone, 0, config, rng);
      s = r.state;
      events.push(r.event);
    }
    expect(events[4]).toEqual({ kind: "ejected", detector: "consecutive-5xx", durationUs: seconds(30) });
    const gatewayOnly = { ...config, consecutive5xx: 100 };
    let g = OUTLIER_HOST_INITIAL;
    let last = null;
    for (let i = 0; i < 5; i++) ({ state: g, event: last } = outlierRecordResponse(g, 503, alone, 0, gatewayOnly, rng));
    expect(last).toEqual({ kind: "not-enforced", detector: "consecutive-gateway-failure" });
    expect(g.ejected).toBe(false);
  });
});

describe("ejection timeline", () => {
  it("a host that fails again right after each return is ejected for 30, 60, 90 ... 300, 300 s", () => {
    // Sweeps every 10 s. The host is re-ejected at the sweep that returned it, so the backoff never decays.
    let s = OUTLIER_HOST_INITIAL;
    let nowUs = 0;
    const durations: number[] = [];
    for (let round = 0; round < 12; round++) {
      s = send(s, 500, 5, nowUs).state;
      const ejectedAt = nowUs;
      do {
        nowUs += config.intervalUs;
        s = outlierSweep(s, nowUs, config).state;
      } while (s.ejected);
      durations.push((nowUs - ejectedAt) / 1e6);
    }
    expect(durations).toEqual([30, 60, 90, 120, 150, 180, 210, 240, 270, 300, 300, 300]);
  });

  it("the multiplier decays by one per healthy interval, so a host that stays healthy starts again at 30 s", () => {
    let s = send(OUTLIER_HOST_INITIAL, 500, 5, 0).state; // backoff 1
    s = outlierSweep(s, seconds(30), config).state; // returned at 30 s
    s = send(s, 500, 5, seconds(30)).state; // backoff 2: 60 s
    expect(s.backoff).toBe(2);
    s = outlierSweep(s, seconds(90), config).state; // returned at 90 s
    s = outlierSweep(s, seconds(100), config).state; // healthy for an interval: backoff 1
    s = outlierSweep(s, seconds(110), config).state; // backoff 0
    expect(s.backoff).toBe(0);
    expect(send(s, 500, 5, seconds(115)).event).toEqual({ kind: "ejected", detector: "consecutive-5xx", durationUs: seconds(30) });
  });

  it("un-ejection happens at sweeps only: an ejection at 5 s ends at the 40 s sweep", () => {
    let s = send(OUTLIER_HOST_INITIAL, 500, 5, seconds(5)).state;
    s = outlierSweep(s, seconds(30), config).state;
    expect(s.ejected).toBe(true);
    const r = outlierSweep(s, seconds(40), config);
    expect(r.event).toEqual({ kind: "unejected", cause: "timer" });
  });
});

describe("max_ejection_percent", () => {
  it("10% of 10 hosts allows one ejection; the second is an overflow", () => {
    expect(maxEjectableHosts(10, config)).toBe(1);
    let s = OUTLIER_HOST_INITIAL;
    let event = null;
    for (let i = 0; i < 5; i++) ({ state: s, event } = outlierRecordResponse(s, 500, { hostCount: 10, ejectedCount: 1 }, 0, config, rng));
    expect(event).toEqual({ kind: "overflow", detector: "consecutive-5xx" });
    expect(s.ejected).toBe(false);
  });

  it("with 5 hosts 10% allows none, unless always_eject_one_host keeps at least one ejectable", () => {
    const pool = { hostCount: 5, ejectedCount: 0 };
    let s = OUTLIER_HOST_INITIAL;
    for (let i = 0; i < 5; i++) s = outlierRecordResponse(s, 500, pool, 0, config, rng).state;
    expect(s.ejected).toBe(false);
    const oneHost = { ...config, alwaysEjectOneHost: true };
    let t = OUTLIER_HOST_INITIAL;
    for (let i = 0; i < 5; i++) t = outlierRecordResponse(t, 500, pool, 0, oneHost, rng).state;
    expect(t.ejected).toBe(true);
    let u = OUTLIER_HOST_INITIAL;
    for (let i = 0; i < 5; i++) u = outlierRecordResponse(u, 500, { hostCount: 5, ejectedCount: 1 }, 0, oneHost, rng).state;
    expect(u.ejected).toBe(false);
  });
});

describe("active check un-ejection", () => {
  it("a passing active check on an actively healthy host un-ejects it and clears the counters", () => {
    const s = send(OUTLIER_HOST_INITIAL, 500, 5, 0).state;
    expect(outlierOnActiveCheck(s, true, false, seconds(1), config).state.ejected).toBe(true);
    expect(outlierOnActiveCheck(s, false, true, seconds(1), config).state.ejected).toBe(true);
    const r = outlierOnActiveCheck(s, true, true, seconds(1), config);
    expect(r.event).toEqual({ kind: "unejected", cause: "active-check" });
    expect(r.state.consecutive5xx).toBe(0);
    const off = { ...config, successfulActiveHealthCheckUnejectHost: false };
    expect(outlierOnActiveCheck(s, true, true, seconds(1), off).state.ejected).toBe(true);
  });
});
