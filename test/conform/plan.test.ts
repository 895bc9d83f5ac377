// Proves the lab replays the scenario itself: the arrival schedule is the simulated clients' own requests (same
// count, times, addresses and demands, from the same streams), and the timeline plan puts each action and each
// GC pause (drawn from the model's stream) at the simulated time, refusing what it cannot enact.
import { beforeAll, describe, expect, it } from "vitest";
import { executeRun } from "../../src/lab/run-plan.js";
import { planFor } from "../../src/lab/scenario-runs.js";
import { initHistograms } from "../../src/metrics/histogram.js";
import { buildRun, loadScenario, parseScenario } from "../../src/scenario/index.js";
import { arrivalSchedule } from "../../src/conform/arrival-schedule.js";
import { timelinePlan } from "../../src/conform/timeline-plan.js";

beforeAll(async () => {
  await initHistograms();
});

const BLACK_HOLE = "conformance/black-hole.yaml";

describe("arrivalSchedule", () => {
  it("sends exactly the requests the simulated clients send", () => {
    const loaded = loadScenario(BLACK_HOLE, { variant: "tcp" });
    const schedule = arrivalSchedule(buildRun(loaded, "tcp"));
    const simulated = executeRun(planFor(buildRun(loaded, "tcp")));
    // warmup 0s: the simulation's `sent` counts every request its clients sent before the 20 s horizon.
    expect(schedule.length).toBe(simulated.summary.requests.sent);
    // Poisson 100/s over 20 s: 2000 expected, sd sqrt(2000) = 45; the seed's draw lies within 4 sd.
    expect(Math.abs(schedule.length - 2000)).toBeLessThan(180);
    expect(schedule.every((r, i) => i === 0 || r.atUs >= schedule[i - 1]!.atUs)).toBe(true);
    expect(schedule.every((r) => r.atUs < 20_000_000 && /^127\.1\.0\.\d+$/.test(r.address))).toBe(true);
  });

  it("is the same for the same seed and differs for another", () => {
    const loaded = loadScenario(BLACK_HOLE, { variant: "http" });
    const a = arrivalSchedule(buildRun(loaded, "http"));
    const b = arrivalSchedule(buildRun(loaded, "http"));
    const c = arrivalSchedule(buildRun(loaded, "http", 18));
    expect(b).toEqual(a);
    expect(c.slice(0, 5)).not.toEqual(a.slice(0, 5));
  });

  it("draws demands from the class distribution (lognormal mean 20 ms)", () => {
    const schedule = arrivalSchedule(buildRun(loadScenario(BLACK_HOLE), null));
    const mean = schedule.reduce((s, r) => s + r.demandUs, 0) / schedule.length;
    // Lognormal mean 20 ms, p99 80 ms: sigma = 0.76, sd = 20 x sqrt(e^(sigma^2) - 1) = 17.9 ms; over ~2000
    // draws the standard error is 0.4 ms, so the mean lies within 18.4..21.6 ms (4 standard errors).
    expect(mean).toBeGreaterThan(18_400);
    expect(mean).toBeLessThan(21_600);
  });

  const small = (clients: string, timeline = "[]"): ReturnType<typeof parseScenario> => parseScenario(`
name: n
seed: 9
duration: 20s
clients: ${clients}
backends: [{ name: app, count: 2 }]
timeline: ${timeline}
`, "n.yaml");

  it("replays traffic steps: the same requests as the simulated clients, at the stepped rate", () => {
    // 20/s, then x5 (100/s) from 5 s to 10 s, then 20/s again: about 100 + 500 + 200 = 800 requests.
    const loaded = small("[{ name: users, load: { open: { poisson: 20/s } }, classes: [{ name: get, demand: { constant: 1ms } }] }]",
      "[{ at: 5s, traffic: { multiplier: 5 } }, { at: 10s, traffic: { multiplier: 1 } }]");
    const schedule = arrivalSchedule(buildRun(loaded, null));
    const simulated = executeRun(planFor(buildRun(loaded, null)));
    expect(schedule.length).toBe(simulated.summary.requests.sent);
    const inWindow = (from: number, to: number): number => schedule.filter((r) => r.atUs >= from * 1e6 && r.atUs < to * 1e6).length;
    // Poisson counts: 100 (sd 10) before 5 s, 500 (sd 22) in 5..10 s, 200 (sd 14) after: each within 4 sd.
    expect(Math.abs(inWindow(0, 5) - 100)).toBeLessThan(40);
    expect(Math.abs(inWindow(5, 10) - 500)).toBeLessThan(90);
    expect(Math.abs(inWindow(10, 20) - 200)).toBeLessThan(57);
    // The simulated windows see the same stepped rate: the lab's schedule and the model draw the same arrivals.
    expect(simulated.series.windows.reduce((n, w) => n + w.count, 0)).toBe(schedule.length);
  });

  it("sends a NAT group's requests from its public address, and refuses what loopback cannot enact", () => {
    const nat = (spec: string): ReturnType<typeof parseScenario> => small(`[{ name: office, count: 50, nat: ${spec}, load: { open: { poisson: 10/s } }, classes: [{ name: get, demand: { constant: 1ms } }] }]`);
    const schedule = arrivalSchedule(buildRun(nat("{ publicAddress: 127.20.0.1 }"), null));
    expect(new Set(schedule.map((r) => r.address))).toEqual(new Set(["127.20.0.1"]));
    expect(() => arrivalSchedule(buildRun(nat("{}"), null))).toThrow(/203\.0\.113\.1 is not on loopback/);
    // 10/s for 20 s is about 200 connections: a NAT of 50 ports runs out, and the lab does not enact that.
    expect(() => arrivalSchedule(buildRun(nat("{ publicAddress: 127.20.0.1, ports: 50 }"), null))).toThrow(/would exhaust it/);
  });

  it("refuses what it cannot replay", () => {
    const closed = small("[{ name: users, load: { closed: { think: { constant: 1s } } }, classes: [{ name: get, demand: { constant: 1ms } }] }]");
    expect(() => arrivalSchedule(buildRun(closed, null))).toThrow(/open-loop arrivals only/);
  });
});

describe("timelinePlan", () => {
  it("places the hang and the GC pause where the model has them", () => {
    const plan = timelinePlan(buildRun(loadScenario(BLACK_HOLE), null));
    // gc: every constant 4 s, pause constant 12 s -> one pause 4 s..16 s; the next would start at 20 s, the horizon.
    expect(plan).toEqual([
      { atUs: 2_500_000, backend: "app-1", kind: "command", command: { kind: "hang" } },
      { atUs: 4_000_000, backend: "gc", kind: "gc", pauseUs: 12_000_000 },
    ]);
  });

  const scenario = (timeline: string, gc = "[]"): ReturnType<typeof parseScenario> => parseScenario(`
name: t
seed: 3
duration: 30s
clients: [{ name: users, load: { open: { poisson: 10/s } }, classes: [{ name: get, demand: { constant: 1ms } }] }]
backends: [{ name: app, count: 2, gc: ${gc} }]
timeline: ${timeline}
`, "t.yaml");

  it("turns restart into crash then start, and stops GC while the process is down", () => {
    const loaded = scenario("[{ at: 5s, restart: { delay: 10s }, targets: app-1 }]", "[{ name: young, trigger: time, every: { constant: 3s }, pause: { constant: 1s } }]");
    const plan = timelinePlan(buildRun(loaded, null));
    const app1 = plan.filter((a) => a.backend === "app-1");
    // Pauses at 3 s (3..4 s), next at 4+3 = 7 s is after the crash at 5 s: dropped. Restart at 15 s: 18, 22, 26 s.
    expect(app1.map((a) => [a.atUs / 1e6, a.kind === "command" ? a.command.kind : a.kind])).toEqual([
      [3, "gc"], [5, "crash"], [15, "start"], [18, "gc"], [22, "gc"], [26, "gc"],
    ]);
    // app-2 never stops: 3, 7, 11, ..., 27 s.
    expect(plan.filter((a) => a.backend === "app-2").map((a) => a.atUs / 1e6)).toEqual([3, 7, 11, 15, 19, 23, 27]);
  });

  it("plans a timeline add as the new backend's start, with its GC from then on", () => {
    const loaded = scenario("[{ at: 5s, add: { like: app } }]", "[{ name: young, trigger: time, every: { constant: 4s }, pause: { constant: 1s } }]");
    const plan = timelinePlan(buildRun(loaded, null));
    const app3 = plan.filter((a) => a.backend === "app-3");
    // app-3 starts at 5 s; its GC (every 4 s of running time, 1 s pauses) at 9, 14, 19, 24, 29 s.
    expect(app3.map((a) => [a.atUs / 1e6, a.kind])).toEqual([[5, "add"], [9, "gc"], [14, "gc"], [19, "gc"], [24, "gc"], [29, "gc"]]);
  });

  it("refuses actions and GC it cannot enact", () => {
    expect(() => timelinePlan(buildRun(scenario("[{ at: 5s, deploy: {}, targets: app-1 }]"), null))).toThrow(/deploy.*not enacted/);
    const pressure = scenario("[]", "[{ name: full, trigger: time, every: { constant: 3s }, pause: { constant: 1s }, pressure: 1 }]");
    expect(() => timelinePlan(buildRun(pressure, null))).toThrow(/pressure/);
    // Allocation-triggered GC (the default) depends on the load the real proxy sends: no schedule to replay.
    const allocation = scenario("[]", "[{ name: full, every: { constant: 3s }, pause: { constant: 1s } }]");
    expect(() => timelinePlan(buildRun(allocation, null))).toThrow(/trigger: time only/);
  });
});
