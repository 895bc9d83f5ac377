// Proves real and simulated runs are counted alike (a request answered after the horizon is unfinished, not
// lost; percentiles over successes), real failures get lbsim's cause names, and each tolerance passes exactly
// up to its bound and fails past it.
import { describe, expect, it } from "vitest";
import { compareRuns, firstTransition } from "../../src/conform/compare-runs.js";
import { lateness, type RequestResult } from "../../src/conform/load-generator.js";
import { measureReal, percentile, realCause } from "../../src/conform/measure.js";
import { renderTemplate } from "../../src/conform/proxies.js";
import { latencyTolerance, row } from "../../src/conform/tolerance.js";

const result = (id: number, sentUs: number, latencyUs: number, status: number, backend = "app-1", kind?: string): RequestResult => ({
  id, atUs: sentUs, sentUs, status, result: kind ?? (status > 0 && status < 400 ? "ok" : `http-${status}`), latencyUs, backend, tries: 1,
});

describe("measureReal", () => {
  it("counts like lbsim's summary", () => {
    const results = [
      result(0, 0, 10_000, 200),
      result(1, 100_000, 20_000, 200, "app-2"),
      result(2, 200_000, 3_000_000, 504, ""),
      result(3, 900_000, 200_000, 200), // ends at 1.1 s, past the 1 s horizon: unfinished
      result(4, 300_000, 5_000, 0, "", "client-timeout"),
    ];
    const logs = new Map([[0, { id: 0, servers: ["app-1"], status: 200, termination: "--" }], [1, { id: 1, servers: ["app-2"], status: 200, termination: "--" }], [2, { id: 2, servers: ["app-1"], status: 504, termination: "sH" }]]);
    const m = measureReal(results, logs, [], 1_000_000, 1_000);
    // Request 2 ends at 3.2 s, also past the horizon: unfinished. Lost: only the client timeout, 1 of the 3
    // that finished (lbsim's lostFraction = lost / (sent - unfinished)).
    expect({ sent: m.sent, ok: m.ok, lost: m.lost, unfinished: m.unfinished, lostFraction: m.lostFraction }).toEqual({ sent: 5, ok: 2, lost: 1, unfinished: 2, lostFraction: 1 / 3 });
    expect(m.outcomes).toEqual({ ok: 2, unfinished: 2, "client-timeout": 1 });
    expect([m.p50Ms, m.p99Ms]).toEqual([10, 20]);
    expect(m.shares).toEqual({ "app-1": 2 / 3, "app-2": 1 / 3 });
  });

  it("names real causes as lbsim does", () => {
    expect(realCause(result(0, 0, 1, 504, ""), undefined)).toBe("upstream-timeout");
    expect(realCause(result(0, 0, 1, 503, ""), { id: 0, servers: [], status: 503, termination: "sQ" })).toBe("queue-timeout");
    expect(realCause(result(0, 0, 1, 503, ""), { id: 0, servers: [], status: 503, termination: "SC" })).toBe("no-healthy-upstream");
    expect(realCause(result(0, 0, 1, 503, "app-1"), undefined)).toBe("queue-full");
    expect(realCause(result(0, 0, 1, 500, "app-1"), undefined)).toBe("backend-error");
    expect(realCause(result(0, 0, 1, 502, ""), { id: 0, servers: ["a", "b"], status: 502, termination: "" })).toBe("retries-exhausted");
    expect(realCause(result(0, 0, 1, 0, "", "reset"), undefined)).toBe("reset-mid-flight");
    expect(realCause(result(0, 0, 1, 502, ""), { id: 0, servers: ["a"], status: 502, termination: "SH" })).toBe("reset-mid-flight");
  });

  it("takes percentiles by nearest rank", () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(sorted, 0.5), percentile(sorted, 0.99), percentile([], 0.5)]).toEqual([50, 99, null]);
    // Lateness: negatives (early sends) count as 0.
    expect(lateness([-5, 0, 10, 20_000])).toEqual({ p50: 10, p99: 20_000, max: 20_000 });
  });
});

describe("tolerances", () => {
  it("passes up to the bound and fails past it", () => {
    expect(row("lost", 0.45, 0.40, 0.05, "fraction").passed).toBe(true);
    expect(row("lost", 0.451, 0.40, 0.05, "fraction").passed).toBe(false);
    expect(row("never", null, null, 1000, "ms").passed).toBe(true);
    expect(row("one never", 5000, null, 1000, "ms").passed).toBe(false);
    // 20% of 100 ms is 20 ms; 20% of 10 ms is 2 ms, below the 5 ms floor.
    expect([latencyTolerance(100), latencyTolerance(10)]).toEqual([20, 5]);
  });

  it("compares detection times from the event, in check intervals", () => {
    const base = { sent: 1, ok: 1, lost: 0, unfinished: 0, lostFraction: 0, outcomes: {}, p50Ms: 10, p99Ms: 40, attempts: {}, shares: {}, windows: [] };
    const real = { ...base, health: [{ atMs: 1_000, backend: "gc", state: "down" as const, reason: "" }, { atMs: 7_100, backend: "gc", state: "down" as const, reason: "" }] };
    const sim = { ...base, health: [{ atMs: 6_000, backend: "gc", state: "down" as const, reason: "" }] };
    // The real DOWN at 1 s is before the event at 4 s and does not count: 7.1 - 4 = 3.1 s vs 2 s, 1.1 s apart > 1 s.
    expect(firstTransition(real, "gc", "down", 4_000)).toBe(3_100);
    const [detection] = compareRuns([{ kind: "detection", backend: "gc", fromMs: 4_000 }], real, sim, 1_000);
    expect(detection).toMatchObject({ real: 3_100, simulated: 2_000, passed: false });
  });
});

describe("renderTemplate", () => {
  const values = { listen: "127.0.0.1:8000", stats: "/tmp/s.sock", dir: "/tmp/d", servers: new Map([["app-1", "127.0.0.1:9001"]]) };
  it("fills placeholders and refuses unknown ones", () => {
    expect(renderTemplate("bind {{listen}}\nserver app-1 {{server app-1}} # {{ stats }}", values, "x.cfg")).toBe("bind 127.0.0.1:8000\nserver app-1 127.0.0.1:9001 # /tmp/s.sock");
    expect(() => renderTemplate("{{server app-9}}", values, "x.cfg")).toThrow(/x.cfg: \{\{server app-9\}\} names no backend/);
    expect(() => renderTemplate("{{port}}", values, "x.cfg")).toThrow(/unknown placeholder/);
  });
});
