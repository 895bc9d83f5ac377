// Proves each probe kind's semantics, including the health check black hole: a tcp probe passes on a backend whose
// kernel accepts connections while its application is dead, and only http/deep probes catch it.
import { describe, expect, it } from "vitest";
import { ms, seconds } from "../../src/engine/time.js";
import { STATUS_200, STATUS_2XX_3XX, evaluateProbe, type ProbeResponse } from "../../src/health/index.js";

const config = { timeoutUs: seconds(2), expectedStatuses: STATUS_2XX_3XX };
const accepted = { kind: "accepted", afterUs: ms(1) } as const;

describe("evaluateProbe", () => {
  it("black hole: kernel accepts, application never answers (dead, GC, warmup): tcp passes, http and deep time out", () => {
    const dead: ProbeResponse = { connect: accepted };
    expect(evaluateProbe("tcp", dead, config)).toEqual({ kind: "pass" });
    expect(evaluateProbe("http", dead, config)).toEqual({ kind: "fail", reason: "timeout" });
    expect(evaluateProbe("deep", dead, config)).toEqual({ kind: "fail", reason: "timeout" });
  });

  it("an answer after the timeout is a timeout, an answer at the timeout is in time", () => {
    const late: ProbeResponse = { connect: accepted, http: { status: 200, afterUs: seconds(2) + 1 } };
    const onTime: ProbeResponse = { connect: accepted, http: { status: 200, afterUs: seconds(2) } };
    expect(evaluateProbe("http", late, config)).toEqual({ kind: "fail", reason: "timeout" });
    expect(evaluateProbe("http", onTime, config)).toEqual({ kind: "pass" });
  });

  it("refused connections fail every kind with reason refused; silence is a timeout", () => {
    const refused: ProbeResponse = { connect: { kind: "refused", afterUs: ms(1) } };
    for (const kind of ["tcp", "http", "deep"] as const) {
      expect(evaluateProbe(kind, refused, config)).toEqual({ kind: "fail", reason: "refused" });
      expect(evaluateProbe(kind, { connect: { kind: "no-answer" } }, config)).toEqual({ kind: "fail", reason: "timeout" });
    }
  });

  it("a tcp probe ignores HTTP entirely, even a 503", () => {
    expect(evaluateProbe("tcp", { connect: accepted, http: { status: 503, afterUs: ms(5) } }, config).kind).toBe("pass");
  });

  it("an http probe fails on an unexpected status and reports it", () => {
    const r: ProbeResponse = { connect: accepted, http: { status: 503, afterUs: ms(5) } };
    expect(evaluateProbe("http", r, config)).toEqual({ kind: "fail", reason: "status", status: 503 });
    const redirect: ProbeResponse = { connect: accepted, http: { status: 302, afterUs: ms(5) } };
    expect(evaluateProbe("http", redirect, config).kind).toBe("pass");
    expect(evaluateProbe("http", redirect, { ...config, expectedStatuses: STATUS_200 }).kind).toBe("fail");
  });

  it("a deep probe also fails when the backend reports a dependency down; http does not look", () => {
    const r: ProbeResponse = { connect: accepted, http: { status: 200, afterUs: ms(5) }, dependenciesOk: false };
    expect(evaluateProbe("http", r, config).kind).toBe("pass");
    expect(evaluateProbe("deep", r, config)).toEqual({ kind: "fail", reason: "dependency", status: 200 });
    expect(evaluateProbe("deep", { ...r, dependenciesOk: true }, config).kind).toBe("pass");
  });
});
