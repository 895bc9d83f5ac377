// Proves the balancer node's proxy rules: retries follow NGINX's idempotency rules (a sent POST is not retried
// unless non_idempotent, which then counts duplicates), queue timeouts give 503s, draining with a delay loses
// nothing that finishes within it, nodes disagree about a flapping backend, L4 pins keepalive connections,
// the keepalive timeout mismatch resets requests (unless NGINX gives the try back), rate limits give 429s and a retry budget caps retries.
import { describe, expect, it } from "vitest";
import { Constant } from "../../src/engine/distributions/basic.js";
import type { RetryTarget } from "../../src/balancers/retry-target.js";
import { OUTCOME } from "../../src/metrics/ledger.js";
import type { RetryCondition } from "../../src/model/lb/lb-config.js";
import { backendConfig, clientGroup, everyUs, makeWorld, poissonAt } from "./world-fixtures.js";
import { lbNode, withTier } from "./lb-fixtures.js";

const post = { name: "pay", weight: 1, method: "POST", idempotent: false, path: "/pay", demandUs: new Constant(5_000), needsDependencies: false };
const get = { name: "get", weight: 1, method: "GET", idempotent: true, path: "/", demandUs: new Constant(5_000), needsDependencies: false };

/** b1 is slow (2 s per request), b2 is fast; the node times out at 1 s. Round robin starts at b1. */
function timeoutWorld(klass: typeof post, nonIdempotent: boolean) {
  const world = makeWorld({
    backends: [backendConfig("b1", { speedFactor: 400 }), backendConfig("b2")],
    clients: [clientGroup({ classes: [klass], timeoutUs: 10_000_000, load: { kind: "open", arrivals: everyUs(2_000_000) } })],
    horizonUs: 20_000_000,
  });
  withTier(world, [lbNode({ retry: { tries: 2, on: ["error", "timeout"], nonIdempotent, budget: null, hedge: null, target: { kind: "next-upstream" } } })]);
  return world.run();
}

describe("load-balancer node", () => {
  it("a POST that timed out after it was sent is not retried; with non_idempotent it is, and runs twice", () => {
    const strict = timeoutWorld(post, false);
    // Requests alternate b1 (2 s of work, timed out at 1 s: 504) and b2 (fine): 9 of 10 settle, half fail.
    expect(strict.ledger.attempts.retries).toBe(0);
    expect(strict.ledger.requests.outcomes["upstream-timeout"]).toBeGreaterThanOrEqual(4);
    expect(strict.ledger.attempts.duplicates).toBe(0);
    const relaxed = timeoutWorld(post, true);
    // Now each timed-out POST is retried on b2 and succeeds, while b1 still finishes its copy: a duplicate.
    expect(relaxed.ledger.attempts.retries).toBeGreaterThanOrEqual(4);
    expect(relaxed.ledger.requests.outcomes["upstream-timeout"]).toBe(0);
    expect(relaxed.ledger.attempts.duplicates).toBeGreaterThanOrEqual(4);
    // An idempotent GET is retried without the flag, and re-running it is not a duplicate.
    const idempotent = timeoutWorld(get, false);
    expect(idempotent.ledger.attempts.retries).toBeGreaterThanOrEqual(4);
    expect(idempotent.ledger.attempts.duplicates).toBe(0);
  });

  it("a refused connection is retried even for a POST (nothing was sent)", () => {
    const world = makeWorld({
      backends: [backendConfig("b1"), backendConfig("b2")],
      clients: [clientGroup({ classes: [post], load: { kind: "open", arrivals: everyUs(10_000) } })],
      horizonUs: 1_000_000,
    });
    withTier(world, [lbNode({ retry: { tries: 2, on: ["error"], nonIdempotent: false, budget: null, hedge: null, target: { kind: "next-upstream" } } })]);
    // Crashed just after its first TCP check passed (the check's SYN reaches it at 0.25 ms): the next check is 2 s away.
    world.schedule({ atUs: 5_000, label: "crash b1", apply: (w) => w.backends[0]!.crash() });
    const result = world.run();
    expect(result.ledger.requests.outcomes["connection-refused"]).toBe(0);
    expect(result.ledger.attempts.retries).toBeGreaterThan(0);
    expect(result.ledger.requests.outcomes.ok).toBe(result.ledger.requests.sent - result.ledger.requests.outcomes.unfinished);
  });

  it("requests that wait past `timeout queue` behind maxconn get 503 queue-timeout", () => {
    // One backend, maxconn 1 at the node, 100 ms of work, a request every 20 ms, timeout queue 150 ms: the
    // queue grows by 4 per 100 ms and most requests expire in it.
    const world = makeWorld({
      backends: [backendConfig("b1", { speedFactor: 20 })],
      clients: [clientGroup({ classes: [get], timeoutUs: 5_000_000, load: { kind: "open", arrivals: everyUs(20_000) } })],
      horizonUs: 2_000_000,
    });
    withTier(world, [lbNode({ maxConnectionsPerBackend: 1, queue: { maxQueue: 1_000, timeoutUs: 150_000 } })]);
    const result = world.run();
    expect(result.ledger.requests.outcomes["queue-timeout"]).toBeGreaterThan(50);
    expect(result.ledger.requests.outcomes.ok).toBeGreaterThan(10);
    expect(result.ledger.requests.outcomes.ok).toBeLessThanOrEqual(20); // at most one per 100 ms
  });

  it("a full queue refuses with queue-full", () => {
    const world = makeWorld({
      backends: [backendConfig("b1", { speedFactor: 20 })],
      clients: [clientGroup({ classes: [get], load: { kind: "open", arrivals: everyUs(5_000) } })],
      horizonUs: 500_000,
    });
    withTier(world, [lbNode({ maxConnectionsPerBackend: 1, queue: { maxQueue: 3, timeoutUs: 10_000_000 } })]);
    expect(world.run().ledger.requests.outcomes["queue-full"]).toBeGreaterThan(50);
  });

  it("draining with a delay loses nothing that finishes within it; without one, in-flight work is cut", () => {
    const run = (delayUs: number) => {
      // 300 ms requests every 10 ms over 2 backends; b1 is deregistered at 1 s.
      const world = makeWorld({
        backends: [backendConfig("b1", { workers: 64 }), backendConfig("b2", { workers: 64 })],
        clients: [clientGroup({ classes: [{ ...get, demandUs: new Constant(300_000) }], timeoutUs: 5_000_000, load: { kind: "open", arrivals: everyUs(10_000) } })],
        horizonUs: 3_000_000,
      });
      const tier = withTier(world);
      world.schedule({ atUs: 1_000_000, label: "deregister b1", apply: () => tier.deregister(0, delayUs) });
      return { result: world.run(), world };
    };
    const graceful = run(1_000_000);
    expect(graceful.result.ledger.requests.outcomes["reset-mid-flight"]).toBe(0);
    expect(graceful.world.backends[0]!.up).toBe(false); // terminated once drained (well within the delay)
    const abrupt = run(0);
    // About 300 ms / 20 ms = 15 requests were in flight on b1 when it was cut.
    expect(abrupt.result.ledger.requests.outcomes["reset-mid-flight"]).toBeGreaterThanOrEqual(10);
    expect(abrupt.result.ledger.requests.outcomes["reset-mid-flight"]).toBeLessThanOrEqual(20);
  });

  it("several nodes, each checking on its own, disagree about a flapping backend", () => {
    // b1 pauses for 2.5 s every 4 s (GC thrash). 3 nodes run http checks every 1 s with trigger-happy thresholds
    // (rise 1, fall 1) and 50% spread-checks jitter, so each node's checks land at different moments of the
    // pauses: each node flips with the pauses, and the nodes often disagree.
    const world = makeWorld({
      backends: [
        backendConfig("b1", { gc: [{ name: "full", trigger: "time", intervalUs: new Constant(1_500_000), pauseUs: new Constant(2_500_000), pressure: 0 }] }),
        backendConfig("b2"),
      ],
      clients: [clientGroup({ classes: [get], load: { kind: "open", arrivals: everyUs(10_000) } })],
      horizonUs: 30_000_000,
    });
    const health = { probe: "http" as const, intervalUs: 1_000_000, timeoutUs: 500_000, rise: 1, fall: 1, jitterPercent: 50 };
    const tier = withTier(world, ["a", "b", "c"].map((name) => lbNode({ name }, health)));
    let disagreements = 0;
    let samples = 0;
    for (let t = 1_000_000; t < 30_000_000; t += 100_000) {
      world.schedule({ atUs: t, label: "sample", apply: () => {
        const views = tier.nodes.map((n) => n.health.activelyHealthy(0));
        samples++;
        if (views.some((v) => v !== views[0])) disagreements++;
      } });
    }
    world.run();
    for (const node of tier.nodes) expect(node.health.transitionsOf(0)).toBeGreaterThanOrEqual(6); // it flaps
    expect(disagreements).toBeGreaterThan(samples / 20);
    expect(disagreements).toBeLessThan(samples); // ...but not always
  });

  it("L4 pins each keepalive client's connection to one backend; least-connections cannot rebalance it", () => {
    // 10 closed-loop users on keepalive connections; b1 joins at 1 s. At L4 the existing connections stay
    // where they are, so b1 gets nothing; at L7 least-connections sends it its share at once.
    const run = (mode: "l4" | "l7") => {
      const world = makeWorld({
        backends: [backendConfig("b0")],
        clients: [clientGroup({ clients: 10, classes: [get], load: { kind: "closed", thinkUs: new Constant(10_000) } })],
        horizonUs: 3_000_000,
      });
      withTier(world, [lbNode({ mode, balancer: { algorithm: "least-connections" } })]);
      world.schedule({ atUs: 1_000_000, label: "scale out", apply: (w) => void w.addBackend(backendConfig("b1")) });
      return world.run();
    };
    expect(run("l4").perBackend[1]!.attempts).toBe(0);
    expect(run("l7").perBackend[1]!.attempts).toBeGreaterThan(300);
  });

  it("a backend keepalive timeout shorter than the balancer's resets requests on reused connections", () => {
    const run = (backendIdleUs: number, target: RetryTarget = { kind: "any" }) => {
      // Poisson requests at 100/s over 2 backends: a pooled connection idles for an exponential time (mean
      // ~20 ms less the 9 ms a request takes); the backend closes idle connections after backendIdleUs.
      const world = makeWorld({
        backends: [backendConfig("b1", { keepaliveIdleTimeoutUs: backendIdleUs }), backendConfig("b2", { keepaliveIdleTimeoutUs: backendIdleUs })],
        network: { clientToFrontUs: new Constant(500), frontToBackendUs: new Constant(2_000) },
        clients: [clientGroup({ classes: [get], load: { kind: "open", arrivals: poissonAt(100) } })],
        horizonUs: 5_000_000,
      });
      const retry = { tries: 1, on: ["error", "timeout"] as RetryCondition[], nonIdempotent: false, budget: null, hedge: null, target };
      const tier = withTier(world, [lbNode({ keepalive: { maxIdlePerBackend: 32, idleTimeoutUs: 60_000_000 }, retry })]);
      return { result: world.run(), races: tier.nodes[0]!.counters.keepaliveRaces };
    };
    const matched = run(75_000_000);
    expect(matched.races).toBe(0);
    expect(matched.result.ledger.requests.outcomes["reset-mid-flight"]).toBe(0);
    const mismatched = run(12_000); // the backend closes after 12 ms: ages 8-12 ms meet the FIN in flight
    expect(mismatched.races).toBeGreaterThan(10);
    expect(mismatched.result.ledger.requests.outcomes["reset-mid-flight"]).toBe(mismatched.races);
    // NGINX gives back the try an error on a cached connection cost (ngx_http_upstream_next: `u->peer.tries++`),
    // so even with one try a race is retried, on the other backend (the raced one is in the `tried` bitmap). Only
    // a request that races on both backends has no untried peer left and reaches the client as a reset ("no live
    // upstreams"): every race is either retried or ends such a request, and each such request raced twice.
    const nginx = run(12_000, { kind: "next-upstream" });
    const resets = nginx.result.ledger.requests.outcomes["reset-mid-flight"];
    expect(nginx.races).toBeGreaterThan(10);
    expect(nginx.result.ledger.attempts.retries + resets).toBe(nginx.races);
    expect(2 * resets).toBeLessThanOrEqual(nginx.races);
    expect(resets).toBeLessThan(mismatched.result.ledger.requests.outcomes["reset-mid-flight"]);
  });

  it("a rate limit refuses with 429 beyond its rate", () => {
    // 200 requests/s against 50/s with a burst of 10: about 10 + 50 x 2 = 110 pass in 2 s.
    const world = makeWorld({ clients: [clientGroup({ load: { kind: "open", arrivals: everyUs(5_000) } })], horizonUs: 2_000_000 });
    withTier(world, [lbNode({ rateLimit: { ratePerSecond: 50, burst: 10 } })]);
    const result = world.run();
    expect(result.ledger.requests.outcomes["rate-limited"]).toBeGreaterThan(250);
    expect(result.ledger.requests.outcomes.ok).toBeGreaterThanOrEqual(105);
    expect(result.ledger.requests.outcomes.ok).toBeLessThanOrEqual(115);
  });

  it("a retry budget caps retries when everything fails", () => {
    const run = (budget: { percent: number; minConcurrency: number } | null) => {
      const world = makeWorld({ clients: [clientGroup({ classes: [get], load: { kind: "open", arrivals: everyUs(1_000) } })], horizonUs: 1_000_000 });
      // Envoy's retry budget with Envoy's retry target (no host predicate: any host, tried or not), so nothing but
      // the tries and the budget stops a retry (NGINX's next upstream would stop once both backends were tried).
      withTier(world, [lbNode({ retry: { tries: 4, on: ["http_5xx"], nonIdempotent: false, budget, hedge: null, target: { kind: "any" } } })]);
      world.schedule({ atUs: 0, label: "errors", apply: (w) => w.backends.forEach((b) => b.failFast(1)) });
      return world.run();
    };
    const unlimited = run(null);
    const budgeted = run({ percent: 20, minConcurrency: 1 });
    // Without a budget every failing request is tried 4 times: 3 retries each.
    expect(unlimited.ledger.attempts.retries).toBeGreaterThan(2.9 * unlimited.ledger.requests.sent - 30);
    expect(budgeted.ledger.attempts.retries).toBeLessThan(unlimited.ledger.attempts.retries / 2);
  });

  it("dynamic weights take a weight-5 backend down to weight 1 while GC stalls it, and back up after", () => {
    // b1 (weight 5, 20 workers) stalls from 5 s to 15 s: every request takes 100x longer (5 ms -> 500 ms, as
    // when most of its time goes to GC); two small backends (weight 1, 4 workers). 500 requests/s of 5 ms,
    // client timeout 500 ms, smooth weighted round robin. Static weights keep sending 5/7 of the traffic into
    // the stall; latency-driven weights move most of it away.
    const run = (dynamic: boolean) => {
      const world = makeWorld({
        backends: [
          backendConfig("b1", { weight: 5, workers: 20 }),
          backendConfig("b2", { workers: 4 }),
          backendConfig("b3", { workers: 4 }),
        ],
        clients: [clientGroup({ classes: [get], timeoutUs: 500_000, load: { kind: "open", arrivals: everyUs(2_000) } })],
        horizonUs: 25_000_000,
      });
      const tier = withTier(world, [lbNode({
        balancer: { algorithm: "weighted-round-robin" },
        dynamicWeights: dynamic ? { intervalUs: 250_000, halfLifeUs: 1_000_000, failurePenaltyUs: 1_000_000, minWeight: 1 } : null,
      })]);
      world.schedule({ atUs: 5_000_000, label: "stall", apply: (w) => w.backends[0]!.slow(100) });
      world.schedule({ atUs: 15_000_000, label: "recover", apply: (w) => w.backends[0]!.recover() });
      const weights: number[] = [];
      for (const t of [4_000_000, 12_000_000, 24_000_000]) {
        world.schedule({ atUs: t, label: "sample", apply: () => weights.push(tier.nodes[0]!.balancer.backend("b1")!.weight) });
      }
      return { result: world.run(), weights };
    };
    const fixed = run(false);
    const dynamic = run(true);
    expect(fixed.weights).toEqual([5, 5, 5]);
    expect(dynamic.weights[0]).toBe(5); // healthy: full weight
    expect(dynamic.weights[1]).toBeLessThanOrEqual(2); // under GC pressure: down towards 1
    expect(dynamic.weights[2]).toBe(5); // recovered
    // During the stall b1 gets 5/7 of the traffic with static weights and 1/3 at weight 1: far above its 40/s
    // capacity either way, so its share is lost (queue-full, timeouts). Expected loss ratio (1/3)/(5/7) = 0.47.
    const lost = (r: typeof fixed.result) => r.ledger.requests.sent - r.ledger.requests.outcomes.ok - r.ledger.requests.outcomes.unfinished;
    expect(lost(fixed.result)).toBeGreaterThan(2_500);
    expect(lost(dynamic.result)).toBeLessThan(0.6 * lost(fixed.result));
  });

  it("hedging cuts the tail a GC pause causes; the first success wins and a POST is not hedged", () => {
    // b1 pauses 300 ms every ~1 s; b2 never does. 200 GETs/s of 5 ms, round robin. Without hedging, requests
    // caught in a pause wait up to 300 ms (p99 in the hundreds of ms). A hedge after 20 ms sends a second try to
    // b2, which answers in ~6 ms: p99 drops to about 20 + 6 ms, and every hedge is counted.
    const run = (hedge: boolean, klass = get) => {
      const world = makeWorld({
        backends: [
          backendConfig("b1", { gc: [{ name: "full", trigger: "time", intervalUs: new Constant(1_000_000), pauseUs: new Constant(300_000), pressure: 0 }] }),
          backendConfig("b2"),
        ],
        clients: [clientGroup({ classes: [klass], load: { kind: "open", arrivals: everyUs(5_000) } })],
        horizonUs: 10_000_000,
      });
      withTier(world, [lbNode({ retry: { tries: 2, on: ["error"], nonIdempotent: false, budget: null, hedge: hedge ? { delayUs: 20_000 } : null, target: { kind: "next-upstream" } } })]);
      const latencies: number[] = [];
      world.settleListeners.push({ onRequestEnded: (_r, outcome, latencyUs) => { if (outcome === OUTCOME.ok) latencies.push(latencyUs); } });
      const result = world.run();
      latencies.sort((a, b) => a - b);
      return { result, p99: latencies[Math.floor(latencies.length * 0.99)]! };
    };
    const plain = run(false);
    const hedged = run(true);
    expect(plain.result.ledger.attempts.hedges).toBe(0);
    expect(plain.p99).toBeGreaterThan(100_000);
    expect(hedged.result.ledger.attempts.hedges).toBeGreaterThan(50);
    expect(hedged.p99).toBeLessThan(40_000);
    expect(hedged.result.ledger.requests.outcomes.ok).toBe(plain.result.ledger.requests.outcomes.ok); // nothing lost either way
    expect(hedged.result.ledger.attempts.duplicates).toBe(0); // re-running a GET is not a duplicate
    const posts = run(true, post);
    expect(posts.result.ledger.attempts.hedges).toBe(0); // NGINX rules: a sent POST is not tried again
  });

  it("clients reach nodes round robin per request, or stick to one node for a DNS TTL", () => {
    // One client sending every 10 ms for 3 s (300 requests) to 2 nodes.
    const received = (spread: { kind: "round-robin" } | { kind: "dns"; ttlUs: number }) => {
      const world = makeWorld({ clients: [clientGroup({ clients: 1, load: { kind: "open", arrivals: everyUs(10_000) } })], horizonUs: 3_000_000 });
      const tier = withTier(world, [lbNode({ name: "a" }), lbNode({ name: "b" })], spread);
      world.run();
      return tier.nodes.map((n) => n.counters.received);
    };
    expect(received({ kind: "round-robin" })).toEqual([150, 149]);
    expect(received({ kind: "dns", ttlUs: 60_000_000 })).toEqual([299, 0]); // one lookup for the whole run
    // A 1 s TTL: the client resolves again each second and moves to the other node: about 100 per second each.
    const perSecond = received({ kind: "dns", ttlUs: 1_000_000 });
    expect(perSecond[0]! + perSecond[1]!).toBe(299);
    expect(Math.min(...perSecond)).toBeGreaterThanOrEqual(90);
  });
});
