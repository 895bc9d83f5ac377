// Proves the HealthChecker drives checks through its ports as a real proxy would: probes that answer later are applied
// when they answer, probes that never answer time out at `timeoutUs` (and are aborted), late answers are ignored,
// rise/fall mark the backend down and up at the times the config implies, and the balancer hears each change,
// including the changes one backend's check makes to the others' routing (panic) or does not (no panic).
import { describe, expect, it } from "vitest";
import type { ProbeResponse } from "../../src/health/index.js";
import { HealthChecker, withPreset, type HealthTarget, type TimerPort } from "../../src/health/index.js";
import { seededRandom } from "./helpers.js";

/** A manual clock and timer wheel: `advance` runs due timers in (time, order) order. */
class ManualTimers implements TimerPort {
  nowUs = 0;
  private readonly timers = new Map<number, { atUs: number; fn: () => void }>();
  private next = 0;
  setTimer(atUs: number, fn: () => void): number {
    this.timers.set(this.next, { atUs, fn });
    return this.next++;
  }
  cancel(handle: number): void {
    this.timers.delete(handle);
  }
  advance(toUs: number): void {
    for (;;) {
      let due: [number, { atUs: number; fn: () => void }] | undefined;
      for (const entry of this.timers) if (entry[1].atUs <= toUs && (due === undefined || entry[1].atUs < due[1].atUs)) due = entry;
      if (due === undefined) break;
      this.timers.delete(due[0]);
      this.nowUs = due[1].atUs;
      due[1].fn();
    }
    this.nowUs = toUs;
  }
  get pending(): number {
    return this.timers.size;
  }
}

function fakeBalancer(): HealthTarget & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    setHealth: (id, health) => log.push(`${id}:${health}`),
    setWeightFactor: () => {},
    backend: () => ({ member: true }),
  };
}

const PASS_RESPONSE: ProbeResponse = { connect: { kind: "accepted", afterUs: 100 }, http: { status: 200, afterUs: 1_000 } };

describe("HealthChecker with a probe port that answers later", () => {
  // HAProxy preset with http checks: inter 2000 ms, timeout 2000 ms, rise 2, fall 3, starts up.
  const config = withPreset("haproxy", { probe: "http", intervalUs: 1_000_000, timeoutUs: 200_000, fastIntervalUs: 1_000_000 });

  it("marks a never-answering backend down after fall timeouts and aborts each probe", () => {
    const timers = new ManualTimers();
    const balancer = fakeBalancer();
    let aborted = 0;
    let started = 0;
    const checker = new HealthChecker(config, {
      clock: { nowUs: () => timers.nowUs },
      timers,
      rng: seededRandom(1),
      target: balancer,
      probe: { probe: () => { started++; return () => aborted++; } },
    });
    checker.addBackend(0, "a", true, 1);
    // Start healthy-until-first-failure: the first timed-out check (t=0, verdict at 200 ms) already marks it down.
    // First check at 0 (slot 0 of 1), verdict at 0.2 s; from-result cadence: next at 1.2 s.
    timers.advance(199_999);
    expect(checker.stateOf(0)).toBe(0);
    timers.advance(200_000);
    expect(checker.stateOf(0)).toBe(1);
    expect(balancer.log).toEqual(["a:healthy", "a:unhealthy"]);
    expect(aborted).toBe(1);
    timers.advance(1_200_000);
    expect(started).toBe(2);
    expect(checker.view(0)?.lastCheck).toEqual({ kind: "fail", reason: "timeout" });
  });

  it("applies an answer when it comes, ignores one after the timeout, and needs rise passes to come back", () => {
    const timers = new ManualTimers();
    const balancer = fakeBalancer();
    const waiting: ((r: ProbeResponse) => void)[] = [];
    const checker = new HealthChecker({ ...config, active: { ...config.active!, initialHealth: "unhealthy" } }, {
      clock: { nowUs: () => timers.nowUs },
      timers,
      rng: seededRandom(2),
      target: balancer,
      probe: { probe: (_backend, token, done) => { waiting.push((response) => done(token, response)); } },
    });
    checker.addBackend(0, "a", true, 1);
    timers.advance(0); // check 1 starts at 0
    expect(waiting).toHaveLength(1);
    timers.advance(250_000); // timed out at 200 ms; the next check is due at 1.2 s
    waiting[0]!(PASS_RESPONSE); // too late: ignored
    expect(checker.view(0)?.active?.consecutivePasses).toBe(0);
    timers.advance(1_200_000); // check 2 starts
    timers.advance(1_201_000);
    waiting[1]!(PASS_RESPONSE); // answered at 1.201 s: pass 1 of rise 2
    expect(checker.stateOf(0)).toBe(1);
    // Next check 1 s after that result: 2.201 s. Pass 2 marks it up.
    timers.advance(2_201_000);
    expect(waiting).toHaveLength(3);
    waiting[2]!(PASS_RESPONSE);
    expect(checker.stateOf(0)).toBe(0);
    expect(balancer.log).toEqual(["a:unhealthy", "a:healthy"]);
    // Exactly one timer is pending: the next check (the answered probe's timeout was cancelled).
    expect(timers.pending).toBe(1);
    checker.stop();
    expect(timers.pending).toBe(0);
  });
});

describe("HealthChecker routing after one backend's check", () => {
  const FAIL_RESPONSE: ProbeResponse = { connect: { kind: "accepted", afterUs: 100 }, http: { status: 503, afterUs: 1_000 } };

  /** Three backends a, b, c checked by a port that answers at once, pass or fail as `passing` says at the time. */
  function pool(overrides: Parameters<typeof withPreset>[1]) {
    const timers = new ManualTimers();
    const balancer = fakeBalancer();
    const passing = [false, false, false];
    const checker = new HealthChecker(withPreset("haproxy", { probe: "http", intervalUs: 1_000_000, timeoutUs: 200_000, fastIntervalUs: 1_000_000, rise: 1, fall: 1, ...overrides }), {
      clock: { nowUs: () => timers.nowUs },
      timers,
      rng: seededRandom(3),
      target: balancer,
      probe: { probe: (backend, token, done) => done(token, passing[backend] ? PASS_RESPONSE : FAIL_RESPONSE) },
    });
    ["a", "b", "c"].forEach((id, i) => checker.addBackend(i, id, true, 3));
    return { timers, balancer, passing, checker };
  }

  it("without panic, each backend routes on its own health: none when all are down, healthy-only when one is back", () => {
    const { timers, balancer, passing, checker } = pool({});
    // First checks spread over one fastinter by position: a at 0, b at 333,333 us, c at 666,666 us; each verdict
    // 1 ms later (the 503's time) marks it down (fall 1).
    timers.advance(700_000);
    expect(balancer.log).toEqual(["a:healthy", "b:healthy", "c:healthy", "a:unhealthy", "b:unhealthy", "c:unhealthy"]);
    expect(checker.routingMode).toBe("none");
    passing[1] = true; // b's next check (about 1.33 s) passes: rise 1 brings it back alone
    timers.advance(2_000_000);
    expect(balancer.log.slice(6)).toEqual(["b:healthy"]);
    expect(checker.routingMode).toBe("healthy-only");
    expect([0, 1, 2].map((b) => checker.stateOf(b))).toEqual([1, 0, 1]);
  });

  it("with a panic threshold, one backend's check re-routes the others (Envoy healthy_panic_threshold 50%)", () => {
    const { timers, balancer, checker } = pool({ panic: { healthyPanicThresholdPercent: 50, failOpenWhenNoneHealthy: false } });
    // a down: 2 of 3 healthy (67% >= 50%), a leaves. b down: 1 of 3 (33%): panic routes to all, a comes back.
    timers.advance(400_000);
    expect(balancer.log).toEqual(["a:healthy", "b:healthy", "c:healthy", "a:unhealthy", "a:healthy"]);
    expect(checker.routingMode).toBe("panic");
    timers.advance(700_000); // c down too: still panic, nothing to push
    expect(balancer.log).toHaveLength(5);
    expect([0, 1, 2].map((b) => checker.stateOf(b))).toEqual([0, 0, 0]);
  });
});
