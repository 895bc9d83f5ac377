// Proves draining with a deregistration delay: no new requests, in-flight ones may finish, what remains at the
// deadline is closed and counted, and an empty target drains at once (ALB).
import { describe, expect, it } from "vitest";
import { seconds } from "../../src/engine/time.js";
import {
  SERVING,
  acceptsNewRequests,
  drainTick,
  drainWakeUpUs,
  preset,
  startDraining,
  withPreset,
} from "../../src/health/index.js";

const alb = preset("aws-alb").drain;

describe("draining", () => {
  it("ALB default: 300 s deadline; requests finishing in time close nothing", () => {
    const s = startDraining(SERVING, seconds(10), alb);
    expect(acceptsNewRequests(s)).toBe(false);
    expect(drainWakeUpUs(s)).toBe(seconds(310));
    const mid = drainTick(s, seconds(100), 3);
    expect(mid.closeNow).toBe(0);
    const done = drainTick(mid.state, seconds(200), 0);
    expect(done.state.phase).toBe("drained");
    expect(done.state.closedAtDeadline).toBe(0);
  });

  it("whatever is in flight at the deadline is closed and counted", () => {
    const s = startDraining(SERVING, 0, { deregistrationDelayUs: seconds(30) });
    expect(drainTick(s, seconds(30) - 1, 7).closeNow).toBe(0);
    const end = drainTick(s, seconds(30), 7);
    expect(end.closeNow).toBe(7);
    expect(end.state).toMatchObject({ phase: "drained", closedAtDeadline: 7 });
    expect(drainTick(end.state, seconds(31), 7).closeNow).toBe(0);
  });

  it("a target with nothing in flight drains at once; draining twice keeps the first deadline", () => {
    const s = startDraining(SERVING, 0, alb);
    expect(startDraining(s, seconds(50), alb)).toBe(s);
    expect(drainTick(s, 1, 0).state.phase).toBe("drained");
  });

  it("a null delay waits for in-flight work forever; the delay is validated", () => {
    const s = startDraining(SERVING, 0, { deregistrationDelayUs: null });
    expect(drainWakeUpUs(s)).toBeNull();
    expect(drainTick(s, seconds(100_000), 1).closeNow).toBe(0);
    expect(() => withPreset("aws-alb", { drain: { deregistrationDelayUs: -1 } })).toThrow(RangeError);
  });
});
