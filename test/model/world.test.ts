// Proves the world's accounting: sessions die with their backend (and survive in an external store), a NAT
// gateway's port limit refuses new connections, client retries are counted and can execute a POST twice, and
// every request settles exactly once.
import { describe, expect, it } from "vitest";
import { Constant } from "../../src/engine/distributions/basic.js";
import { OUTCOME } from "../../src/metrics/ledger.js";
import type { NatPortPool } from "../../src/model/client-config.js";
import { DirectFrontDoor } from "../../src/model/direct-front-door.js";
import { backendConfig, clientGroup, everyUs, makeWorld, withRoundRobin } from "./world-fixtures.js";

/** A NAT pool of `ports` ports, reusable at once when closed. */
function natPool(ports: number): NatPortPool & { inUse: number } {
  return {
    publicAddress: "203.0.113.7", inUse: 0,
    open() { return this.inUse < ports ? ++this.inUse : -1; },
    close() { this.inUse--; },
  };
}

describe("world", () => {
  it("sessions held on a backend are lost when it crashes; an external store keeps them", () => {
    const run = (sessions: "backend" | "external") => {
      // 10 users pinned by user to one of 2 backends (user % 2), 20 requests per session, 1 request per 10 ms.
      const world = makeWorld({
        sessions,
        clients: [clientGroup({ clients: 10, requestsPerSession: 20, load: { kind: "open", arrivals: everyUs(10_000) } })],
        horizonUs: 2_000_000,
      });
      const pinned = (request: number): number => {
        const user = world.requests.client[request]!;
        const preferred = user % 2;
        return world.backends[preferred]!.up ? preferred : 1 - preferred;
      };
      new DirectFrontDoor(world, pinned);
      world.schedule({ atUs: 1_000_000, label: "crash b1", apply: (w) => w.backends[0]!.crash() });
      return world.run();
    };
    const onBackend = run("backend");
    const external = run("external");
    // With state on b1, each of the 5 users pinned there loses its session at its next request after the crash.
    expect(onBackend.sessionsLost).toBe(5);
    expect(onBackend.ledger.requests.outcomes["session-lost"]).toBe(5);
    expect(external.sessionsLost).toBe(0);
    expect(external.ledger.requests.outcomes["session-lost"]).toBe(0);
  });

  it("a NAT gateway without free ports refuses new connections", () => {
    // 200 requests/s with no keepalive, each holding a port for ~6.5 ms: about 1.3 in use on average, so 1 port
    // is sometimes exhausted and 50 never are.
    const outcomes = (ports: number) => {
      const world = withRoundRobin(makeWorld({
        clients: [clientGroup({ keepalive: false, nat: natPool(ports), load: { kind: "open", arrivals: everyUs(5_000) } })],
      }));
      world.schedule({ atUs: 0, label: "slow", apply: (w) => w.backends.forEach((b) => b.slow(2)) });
      return world.run().ledger.requests.outcomes;
    };
    expect(outcomes(1)["nat-ports-exhausted"]).toBeGreaterThan(0);
    expect(outcomes(50)["nat-ports-exhausted"]).toBe(0);
  });

  it("the balancer sees the NAT's address for every client behind it", () => {
    const world = makeWorld({ clients: [clientGroup({ nat: natPool(1000) })] });
    const seen = new Set<string>();
    new DirectFrontDoor(world, (request) => {
      seen.add(world.clients.addressOf(request));
      return 0;
    });
    world.run();
    expect([...seen]).toEqual(["203.0.113.7"]);
  });

  it("a user request ends once, after its client retries, and its tries and attempts are counted beneath it", () => {
    // The backend takes 300 ms; the client times out at 100 ms and retries twice: each try runs to completion
    // anyway, so a POST executes up to three times: two duplicates per request that was fully retried.
    const post = { name: "pay", weight: 1, method: "POST", idempotent: false, path: "/pay", demandUs: new Constant(300_000), needsDependencies: false };
    const world = withRoundRobin(makeWorld({
      clients: [clientGroup({
        classes: [post], timeoutUs: 100_000, load: { kind: "open", arrivals: everyUs(1_000_000) },
        retry: { maxRetries: 2, on: ["client-timeout"], delayUs: () => 10_000 },
      })],
      horizonUs: 3_500_000,
    }));
    const latencies: number[] = [];
    world.settleListeners.push({ onRequestEnded: (_r, _o, latencyUs) => latencies.push(latencyUs) });
    const result = world.run();
    // Arrivals at 1, 2 and 3 s: three user requests. Each is tried at t, t + 0.11 and t + 0.22 s (100 ms timeout,
    // then 10 ms backoff), and each try times out: 9 tries (3 first tries + 6 client retries), all client-timeout,
    // and each user request ends once, client-timeout, when its third try times out, at t + 0.32 s < 3.5 s.
    expect(result.ledger.requests).toMatchObject({ sent: 3, ok: 0, failed: 3 });
    expect(result.ledger.requests.outcomes["client-timeout"]).toBe(3);
    expect(result.ledger.tries).toMatchObject({ sent: 9, retries: 6, failed: 9 });
    expect(result.ledger.tries.outcomes["client-timeout"]).toBe(9);
    // A user request's latency runs from its first send to its final answer: 320 ms exactly (timers are exact).
    expect(latencies).toEqual([320_000, 320_000, 320_000]);
    // Tries of the request sent at t start at t, t + 0.11 and t + 0.22 s and finish 300 ms (plus ~2 ms of
    // network) later: all three run for t = 1 and 2 s; for t = 3 s the third would finish at 3.52 s, past the
    // 3.5 s horizon. Executions 3 + 3 + 2 = 8, duplicates 2 + 2 + 1 = 5, and every execution came after its
    // own try had timed out (orphaned work). Attempts: one per try, 8 answered 2xx (to nobody), 1 unfinished.
    expect(result.ledger.attempts).toMatchObject({ sent: 9, ok: 8, retries: 0, duplicates: 5 });
    expect(result.ledger.attempts.outcomes.unfinished).toBe(1);
    expect(result.orphanedExecutions).toBe(8);
  });

  it("a retry due at or after the horizon leaves its user request unfinished, not lost and not leaked", () => {
    // Every 100 ms a request; the backend takes 50 ms but the client times out at 20 ms and retries 980 ms later,
    // so a try sent at t is retried at t + 1 s. Horizon 1.5 s: user requests sent at 0.1 .. 1.4 s (14; the
    // arrival at 1.5 s meets the horizon and is not sent). Those sent at t <= 0.4 s are retried at <= 1.4 s,
    // time out again and have no retries left: lost (4). The one sent at 0.5 s has its retry due exactly at the
    // horizon (the path where a retry is never sent), and those from 0.6 s wait for a retry past it: 10
    // unfinished, with no try in flight. Tries: 14 + 4 retries, every one a client timeout.
    const get = { name: "get", weight: 1, method: "GET", idempotent: true, path: "/", demandUs: new Constant(50_000), needsDependencies: false };
    const world = withRoundRobin(makeWorld({
      clients: [clientGroup({
        classes: [get], timeoutUs: 20_000, load: { kind: "open", arrivals: everyUs(100_000) },
        retry: { maxRetries: 1, on: ["client-timeout"], delayUs: () => 980_000 },
      })],
      horizonUs: 1_500_000,
    }));
    const result = world.run();
    expect(result.ledger.requests.sent).toBe(14);
    expect(result.ledger.requests.outcomes["client-timeout"]).toBe(4);
    expect(result.ledger.requests.outcomes.unfinished).toBe(10);
    expect(result.ledger.tries).toMatchObject({ sent: 18, retries: 4 });
    expect(result.ledger.tries.outcomes["client-timeout"]).toBe(18);
  });

  it("no backend to choose gives no-healthy-upstream", () => {
    const world = makeWorld();
    new DirectFrontDoor(world, () => -1);
    const result = world.run();
    expect(result.ledger.requests.outcomes["no-healthy-upstream"]).toBe(result.ledger.requests.sent);
    expect(result.ledger.requests.sent).toBeGreaterThan(100);
  });

  it("requests still in flight at the horizon are counted as unfinished, and the ledger balances", () => {
    const world = withRoundRobin(makeWorld({
      backends: [backendConfig("b1")],
      clients: [clientGroup({ classes: [{ name: "long", weight: 1, method: "GET", idempotent: true, path: "/", demandUs: new Constant(400_000), needsDependencies: false }], timeoutUs: 10_000_000 })],
      horizonUs: 1_000_000,
    }));
    const result = world.run();
    expect(result.ledger.requests.outcomes.unfinished).toBeGreaterThan(0);
    const settled = Object.values(result.ledger.requests.outcomes).reduce((a, b) => a + b, 0);
    expect(settled).toBe(result.ledger.requests.sent);
    expect(OUTCOME.unfinished).toBeGreaterThan(0);
  });
});
