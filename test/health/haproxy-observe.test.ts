// Proves HAProxy `observe layer7` with `error-limit` and each `on-error` mode acting on the active checker, and the
// status classification (5xx are errors except 501 and 505).
import { describe, expect, it } from "vitest";
import { ms } from "../../src/engine/time.js";
import {
  FAIL_TIMEOUT,
  HAPROXY_OBSERVE_DEFAULTS,
  HAPROXY_OBSERVE_INITIAL,
  haproxyObserve,
  haproxyObserveOnCheckPassed,
  initialActiveCheckState,
  intervalKind,
  observeVerdict,
  step,
  withPreset,
  type ActiveCheckState,
  type OnErrorMode,
} from "../../src/health/index.js";

const active = withPreset("haproxy", { initialHealth: "healthy", fastIntervalUs: ms(500) }).active!;
const error500 = { kind: "http-response", status: 500 } as const;

function errors(onError: OnErrorMode, count: number, start: ActiveCheckState = initialActiveCheckState(active)) {
  const config = { ...HAPROXY_OBSERVE_DEFAULTS, onError };
  let observe = HAPROXY_OBSERVE_INITIAL;
  let state = start;
  let last = null;
  for (let i = 0; i < count; i++) {
    last = haproxyObserve(observe, state, error500, config, active);
    observe = last.observe;
    state = last.active;
  }
  return last!;
}

describe("HAProxy observe layer7", () => {
  it("classifies like analyze_statuses: 5xx are errors except 501/505; connects are ignored at layer7", () => {
    expect(observeVerdict({ kind: "http-response", status: 503 }, "layer7")).toBe("error");
    expect(observeVerdict({ kind: "http-response", status: 501 }, "layer7")).toBe("ok");
    expect(observeVerdict({ kind: "http-response", status: 404 }, "layer7")).toBe("ok");
    expect(observeVerdict({ kind: "connect-ok" }, "layer7")).toBe("ignore");
    expect(observeVerdict({ kind: "connect-error" }, "layer7")).toBe("error");
    expect(observeVerdict({ kind: "read-timeout" }, "layer4")).toBe("ignore");
  });

  it("nothing happens before error-limit (10) consecutive errors; an ok answer clears the count", () => {
    const nine = errors("mark-down", 9);
    expect(nine.active.status).toBe("healthy");
    expect(nine.observe.consecutiveErrors).toBe(9);
    const cleared = haproxyObserve(nine.observe, nine.active, { kind: "http-response", status: 200 }, HAPROXY_OBSERVE_DEFAULTS, active);
    expect(cleared.observe.consecutiveErrors).toBe(0);
    expect(haproxyObserveOnCheckPassed(nine.observe).consecutiveErrors).toBe(0);
  });

  it("mark-down: down at the 10th error, with fastinter forced", () => {
    const r = errors("mark-down", 10);
    expect(r.transition).toEqual({ from: "healthy", to: "unhealthy", reason: "observed-errors" });
    expect(r.recheckWithinUs).toBe(ms(500));
  });

  it("fail-check (default): counts as one failed check; two more failed checks (fall 3) mark down", () => {
    const r = errors("fail-check", 10);
    expect(r.transition).toBeNull();
    expect(r.active.toFlip).toBe(2);
    expect(intervalKind(r.active, active)).toBe("fastinter");
    const once = step(r.active, FAIL_TIMEOUT, active);
    expect(once.transition).toBeNull();
    expect(step(once.state, FAIL_TIMEOUT, active).transition?.to).toBe("unhealthy");
  });

  it("sudden-death: one more failed check marks down", () => {
    const r = errors("sudden-death", 10);
    expect(r.transition).toBeNull();
    expect(step(r.active, FAIL_TIMEOUT, active).transition?.reason).toBe("observed-errors");
  });

  it("fastinter: only the check interval changes", () => {
    const r = errors("fastinter", 10);
    expect(r.active.toFlip).toBe(active.fall);
    expect(r.active.forceFastInterval).toBe(true);
    expect(intervalKind(r.active, active)).toBe("fastinter");
  });
});
