// Proves the backend mechanisms behind the founding incidents: a GC pause stalls work in service while the
// kernel keeps accepting connections, a hung backend accepts and never answers, warmup decays as configured,
// a crash resets in-flight work and refuses new connections, a full application queue sheds, and the app's
// accept limit (Tomcat maxConnections) is a second limit beside the kernel backlog.
import { describe, expect, it } from "vitest";
import { OUTCOME } from "../../src/metrics/ledger.js";
import { warmupMultiplier } from "../../src/model/warmup.js";
import { backendConfig, clientGroup, Constant, everyUs, makeWorld, withRoundRobin } from "./world-fixtures.js";

describe("backend", () => {
  it("a GC pause stalls in-flight work by exactly the pause, and TCP still connects during it", () => {
    // One request every 100 ms, 5 ms of work, network 0.5 ms + 0.25 ms each way. A single 300 ms pause starting
    // at t = 1 s (interval constant 1 s, pause constant 300 ms; the next pause would come at 2.3 s, past the end).
    const world = withRoundRobin(makeWorld({
      backends: [backendConfig("b1", { gc: [{ name: "full", trigger: "time", intervalUs: new Constant(1_000_000), pauseUs: new Constant(300_000), pressure: 0 }] })],
      clients: [clientGroup({ load: { kind: "open", arrivals: everyUs(100_000) } })],
      horizonUs: 2_000_000,
    }));
    const probes: Array<{ connected: boolean; answerAtUs: number }> = [];
    world.schedule({ atUs: 1_100_000, label: "probe during pause", apply: (w) => probes.push(w.backends[0]!.observeProbe(w.now)) });
    const latencies: number[] = [];
    world.settleListeners.push({ onRequestEnded: (_r, outcome, latencyUs) => { if (outcome === OUTCOME.ok) latencies.push(latencyUs); } });
    const result = world.run();
    expect(result.ledger.requests.outcomes.ok).toBe(result.ledger.requests.sent);
    // Unpaused: 0.5 (to front) + 0.25 + 5 + 0.25 + 0.5 ms = 6.5 ms, plus a 1 ms handshake on a new connection.
    expect(Math.min(...latencies)).toBe(6_500);
    // The request sent at t = 1.0 s reached the backend at 1.00075 s, after the pause began at 1.0 s: it waits
    // until 1.3 s, then takes 5 ms: latency = 1.3 - 1.0 + 0.005 + 0.00075 = 305.75 ms.
    expect(Math.max(...latencies)).toBe(305_750);
    // During the pause the kernel still completes handshakes, but the health endpoint answers only at its end.
    expect(probes[0]!.connected).toBe(true);
    expect(probes[0]!.answerAtUs).toBe(1_300_000 + 1_000);
  });

  it("a hung backend accepts connections into its backlog and never answers; when full it drops SYNs", () => {
    // Connect timeout 100 ms, client timeout 200 ms: a request meeting a full backlog fails as a connection
    // failure 100 ms after its SYN was dropped, before the client gives up.
    const world = withRoundRobin(makeWorld({
      backends: [backendConfig("b1", { backlog: 5 })],
      clients: [clientGroup({ timeoutUs: 200_000, load: { kind: "open", arrivals: everyUs(50_000) } })],
      horizonUs: 1_000_000,
    }), 100_000);
    world.schedule({ atUs: 300_000, label: "hang", apply: (w) => w.backends[0]!.hang() });
    const refusedLatencies: number[] = [];
    world.settleListeners.push({ onRequestEnded: (_r, outcome, latencyUs) => { if (outcome === OUTCOME["connection-refused"]) refusedLatencies.push(latencyUs); } });
    const result = world.run();
    // Each waited for the handshake's 1 ms round trip, 0.5 + 0.25 ms to the backend, 100 ms, 0.5 ms back.
    expect(refusedLatencies.every((l) => l >= 100_000)).toBe(true);
    const hung = world.backends[0]!;
    expect(hung.observeProbe(world.now).connected).toBe(false); // backlog now full: even TCP fails
    expect(hung.backlogLength).toBe(5);
    // Requests before the hang succeed (t = 0.05 .. 0.25 s); later ones time out (backlog) or are refused (full).
    expect(result.ledger.requests.outcomes.ok).toBe(5);
    expect(result.ledger.requests.outcomes["client-timeout"]).toBeGreaterThanOrEqual(5);
    expect(result.ledger.requests.outcomes["connection-refused"]).toBeGreaterThan(0);
    expect(result.ledger.requests.sent).toBe(result.ledger.requests.outcomes.ok + result.ledger.requests.outcomes["client-timeout"] +
      result.ledger.requests.outcomes["connection-refused"] + result.ledger.requests.outcomes.unfinished);
  });

  it("two limits: at its accept limit (Tomcat maxConnections) a running app leaves connections in the kernel backlog", () => {
    // One worker, 100 ms of work, a request every 10 ms: work arrives ten times faster than it is served. With
    // maxConnections 2 the app holds one in service and one queued; the rest wait in the kernel backlog (3) and,
    // once it is full, SYNs are dropped, so even a TCP probe fails while the app is up and running. With Tomcat's
    // 8192 the app takes everything into its own queue and the backlog stays empty.
    const probe = (maxConnections: number) => {
      const world = withRoundRobin(makeWorld({
        backends: [backendConfig("b1", { workers: 1, backlog: 3, maxConnections, speedFactor: 20 })],
        clients: [clientGroup({ timeoutUs: 10_000_000, load: { kind: "open", arrivals: everyUs(10_000) } })],
        horizonUs: 300_000,
      }), 10_000_000);
      world.run();
      const b = world.backends[0]!;
      return { backlog: b.backlogLength, queue: b.queueLength, busy: b.busy, connected: b.observeProbe(world.now).connected };
    };
    expect(probe(2)).toEqual({ backlog: 3, queue: 1, busy: 1, connected: false });
    const unlimited = probe(8192);
    expect(unlimited.backlog).toBe(0);
    expect(unlimited.connected).toBe(true);
  });

  it("a hung backend passes TCP probes while its backlog has room but never answers HTTP", () => {
    const world = withRoundRobin(makeWorld({ backends: [backendConfig("b1")], horizonUs: 100_000 }));
    world.schedule({ atUs: 10_000, label: "hang", apply: (w) => w.backends[0]!.hang() });
    world.run();
    const seen = world.backends[0]!.observeProbe(world.now);
    expect(seen.connected).toBe(true);
    expect(seen.answerAtUs).toBe(Infinity);
  });

  it("warmup: not ready at first, then a multiplier that decays linearly to 1 over the requests served", () => {
    const warmup = { notReadyUs: 2_000_000, initialMultiplier: 5, requests: 10 };
    expect(warmupMultiplier(warmup, 0)).toBe(5);
    expect(warmupMultiplier(warmup, 5)).toBe(3); // halfway: 1 + 4 x 0.5
    expect(warmupMultiplier(warmup, 20)).toBe(1);
    expect(warmupMultiplier({ ...warmup, requests: 0 }, 0)).toBe(1); // no count: warm at once
    const world = withRoundRobin(makeWorld({
      backends: [backendConfig("b1", { coldStart: true, warmup })],
      // One client on one keepalive connection: only the first request pays the 1 ms handshake.
      clients: [clientGroup({ clients: 1, timeoutUs: 30_000_000, load: { kind: "open", arrivals: everyUs(1_000_000) } })],
      horizonUs: 12_500_000,
    }));
    const latencies: Array<[number, number]> = [];
    world.settleListeners.push({ onRequestEnded: (r, _o, latencyUs) => latencies.push([world.requests.sentUs[r]!, latencyUs]) });
    world.run();
    const probe = world.backends[0]!.observeProbe(0);
    expect(probe.answerAtUs).toBe(Infinity); // at t = 0 the app is not ready
    // The request sent at 1 s (handshake 1 ms, then 0.75 ms to the backend) waits for readiness at 2 s, runs at
    // 5x (25 ms) and is back 0.75 ms later: latency 2.02575 - 1 s. The one sent at 2 s starts at 2.00075 s while
    // the first still runs (0 served: 5x too); from then on each earlier request is done when the next starts, so
    // the one sent at 7 s finds 6 served: multiplier 1 + 4 x (1 - 6/10) = 2.6, 13 ms of work. At 12 s, 11 served: warm.
    const at = (sentUs: number): number => latencies.find(([s]) => s === sentUs)![1];
    expect(at(1_000_000)).toBe(2_000_000 + 25_000 + 750 - 1_000_000);
    expect(at(2_000_000)).toBe(750 + 25_000 + 750);
    expect(at(7_000_000)).toBe(750 + 13_000 + 750);
    expect(at(12_000_000)).toBe(750 + 5_000 + 750);
  });

  it("a crash resets work in flight and refuses new connections; a restart warms up again", () => {
    const world = withRoundRobin(makeWorld({
      backends: [backendConfig("b1", { warmup: { notReadyUs: 100_000, initialMultiplier: 2, requests: 1_000 } })],
      clients: [clientGroup({ classes: [{ name: "slow", weight: 1, method: "GET", idempotent: true, path: "/", demandUs: new Constant(50_000), needsDependencies: false }], load: { kind: "open", arrivals: everyUs(20_000) } })],
      horizonUs: 1_000_000,
    }));
    world.schedule({ atUs: 300_000, label: "crash", apply: (w) => w.backends[0]!.crash() });
    world.schedule({ atUs: 500_000, label: "restart", apply: (w) => w.backends[0]!.recover() });
    const result = world.run();
    expect(result.ledger.requests.outcomes["reset-mid-flight"]).toBeGreaterThan(0);
    expect(result.ledger.requests.outcomes["connection-refused"]).toBeGreaterThan(0);
    expect(result.ledger.requests.outcomes.ok).toBeGreaterThan(0);
    expect(world.backends[0]!.epoch).toBe(1);
    expect(world.backends[0]!.multiplier(world.now)).toBeGreaterThan(1); // cold again after the restart
  });

  it("sheds with queue-full when the application queue is full", () => {
    const world = withRoundRobin(makeWorld({
      backends: [backendConfig("b1", { workers: 1, queueLimit: 2 })],
      clients: [clientGroup({ load: { kind: "open", arrivals: everyUs(1_000) } })],
      horizonUs: 100_000,
    }));
    const result = world.run();
    expect(result.ledger.requests.outcomes["queue-full"]).toBeGreaterThan(0);
  });

  it("fast 5xx at a rate, and a dependency down fails requests that need it", () => {
    const world = withRoundRobin(makeWorld({ backends: [backendConfig("b1")], horizonUs: 1_000_000 }));
    world.schedule({ atUs: 0, label: "errors", apply: (w) => w.backends[0]!.failFast(0.5) });
    world.schedule({ atUs: 500_000, label: "db down", apply: (w) => { w.backends[0]!.failFast(0); w.backends[0]!.dependencyDown("db"); } });
    const result = world.run();
    const errors = result.ledger.requests.outcomes["backend-error"];
    // 50 requests in the first half at p = 0.5 (sd 3.5), then all ~49 of the second half: ~74 +- 14 at 4 SE.
    expect(errors).toBeGreaterThan(60);
    expect(errors).toBeLessThan(90);
    expect(world.backends[0]!.observeProbe(world.now).dependenciesOk).toBe(false);
  });
});
