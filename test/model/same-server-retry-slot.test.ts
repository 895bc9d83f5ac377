// Proves a same-server retry keeps the connection slot its failed try held, as HAProxy's stream keeps `srv_conn`
// (counted in the server's `served`) through `back_handle_st_cer` and `stream_choose_redispatch` when it does not
// redispatch: the retry goes to the server at once, a request already waiting in the maxconn queue stays behind
// it, the server never holds more than maxconn tries, and `timeout queue` ends only the request that waited.
// After a refused connection the retry first waits HAProxy's turn-around (MIN(1 s, timeout connect)), still
// holding its slot, so a request arriving meanwhile queues (and may meet `timeout queue`), as on real HAProxy.
// Also: a retry that does wait in the queue (its server was removed, or a redispatch found every server full)
// leaves it as a retry, holding its place in the retry budget, not as a first try; a redispatched one goes to
// whichever server has room, as HAProxy's unassigned stream in the backend queue does; a next-upstream one still
// passes over every peer it tried, and ends as NGINX's does once none is left.
import { describe, expect, it } from "vitest";
import type { BackendView } from "../../src/balancers/types.js";
import { withPreset } from "../../src/health/presets.js";
import { OUTCOME } from "../../src/metrics/ledger.js";
import { lbNode, withTier } from "./lb-fixtures.js";
import { backendConfig, clientGroup, Constant, makeWorld } from "./world-fixtures.js";

const get = { name: "get", weight: 1, method: "GET", idempotent: true, path: "/", demandUs: new Constant(30_000), needsDependencies: false };

/**
 * One server b1 behind maxconn 1, 30 ms of work a request, HAProxy's retry (3 tries, same server). One client
 * sends R1 at 10 ms and R2 at 12 ms, nothing after. b1 crashes and restarts at 15 ms, resetting R1 in service.
 * Hops: client to node 0.5 ms, node to backend 0.25 ms, parsing 1 ms; a new connection first takes a handshake
 * (two hops): the client's first request, and every try (the node keeps no idle connections). No active checks.
 */
function run(queueTimeoutUs: number) {
  const sends = [10_000, 12_000];
  const world = makeWorld({
    backends: [backendConfig("b1")],
    clients: [clientGroup({ clients: 1, classes: [get], timeoutUs: 10_000_000, load: { kind: "open", arrivals: { next: (nowUs: number) => sends.find((t) => t > nowUs) ?? 1e12 } } })],
    horizonUs: 500_000,
  });
  const health = { ...withPreset("haproxy"), active: null };
  const tier = withTier(world, [{
    ...lbNode({
      maxConnectionsPerBackend: 1, queue: { maxQueue: 10, timeoutUs: queueTimeoutUs },
      retry: { tries: 3, on: ["error"], nonIdempotent: false, budget: null, hedge: null, target: { kind: "same-server" } },
    }),
    health,
  }]);
  let inFlightMax = 0;
  const balancer = tier.nodes[0]!.balancer;
  const start = balancer.onRequestStart.bind(balancer);
  balancer.onRequestStart = (view) => {
    start(view);
    inFlightMax = Math.max(inFlightMax, (view as BackendView).inFlight);
  };
  world.schedule({ atUs: 15_000, label: "b1 restarts", apply: (w) => { w.backends[0]!.crash(); w.backends[0]!.recover(); } });
  const ended: Array<{ request: number; outcome: number; latencyUs: number }> = [];
  world.settleListeners.push({ onRequestEnded: (request, outcome, latencyUs) => void ended.push({ request, outcome, latencyUs }) });
  const result = world.run();
  return { ledger: result.ledger, ended, inFlightMax };
}

describe("a same-server retry keeps its connection slot (HAProxy srv_conn)", () => {
  it("goes at once; the request queued before the failure waits for the retry to finish", () => {
    // R1: at the node 11.5 ms (after its client's handshake), parsed 12.5 ms, at b1 13.25 ms (handshake, then
    // the request). R2 (on the open client connection): at the node 12.5 ms, parsed 13.5 ms, b1 full: queued. 15 ms: b1 resets R1; the node hears it at 15.25 ms and retries on b1 in the same instant, on the
    // slot R1 held (HAProxy never released it), so R2 stays queued. The retry reaches b1 at 16 ms, ends at 46 ms,
    // the node answers at 46.25 ms, the client has it at 46.75 ms: R1 took 36.75 ms. The slot frees at 46.25 ms:
    // R2 leaves the queue, reaches b1 at 47 ms, ends at 77 ms, node 77.25 ms, client 77.75 ms: 65.75 ms.
    // Had the failed try given its slot to the queue, R2 would have gone first and R1's retry waited behind it.
    const { ledger, ended, inFlightMax } = run(1_000_000);
    expect(ended.map((e) => [e.outcome, e.latencyUs])).toEqual([[OUTCOME.ok, 36_750], [OUTCOME.ok, 65_750]]);
    expect(ledger.attempts.retries).toBe(1);
    expect(ledger.requests.outcomes.ok).toBe(2);
    expect(inFlightMax).toBe(1);
  });

  it("timeout queue ends the request that waited, once, and never the retry, which held its slot", () => {
    // timeout queue 20 ms: R2, queued at 13.5 ms, gets its 503 at 33.5 ms, while R1's retry is in service (till
    // 46 ms): the client hears at 34 ms, 22 ms after sending. R1 succeeds in 36.75 ms as above.
    const { ledger, ended, inFlightMax } = run(20_000);
    expect(ended.map((e) => [e.outcome, e.latencyUs])).toEqual([[OUTCOME["queue-timeout"], 22_000], [OUTCOME.ok, 36_750]]);
    expect(ledger.requests.outcomes["queue-timeout"]).toBe(1);
    expect(ledger.requests.outcomes.ok).toBe(1);
    expect(ledger.requests.sent).toBe(2);
    expect(ledger.attempts.retries).toBe(1);
    expect(inFlightMax).toBe(1);
  });
});

describe("a retry that waits in the maxconn queue leaves it as a retry", () => {
  it("its server removed, it waits for a slot, then goes as a retry and counts in the retry budget", () => {
    // b1, b2, b3 behind maxconn 1, round robin, 30 ms of work, 3 tries on the same server, an Envoy-style retry
    // budget of one retry in progress (min concurrency 1, 0%). One client sends R0, R1, R2 at 10, 11 and 12 ms;
    // timings as above. R0 (node 11.5 after the client's handshake, parsed 12.5) goes to b1 (at 13.25); R1
    // (node 11.5, parsed 12.5, after R0) to b2 (13.25, done 43.25); R2 (parsed 13.5) to b3 (14.25, done 44.25).
    // b1 is deregistered at 15 ms with a 1 ms delay: it terminates at 16 ms, cutting R0, and leaves the pool.
    // R0's retry cannot stay on b1 (gone) and b2 and b3 are full: it waits in the queue, 1 try made. R1 frees b2
    // at 43.5 ms (client 44 ms: 33 ms): R0 leaves the queue as a retry, reaches b2 at 44.25, done 74.25, node
    // 74.5, client 75 ms: 65 ms. b3 restarts at 44 ms, resetting R2; the node hears at 44.25 ms, while R0's retry
    // is in progress: the budget (1 retry in progress) refuses R2's retry, so R2 ends reset-mid-flight, heard at
    // 44.75 ms (32.75 ms). Had R0 left the queue as a first try, the budget would not count it and R2 would have
    // retried on b3 and succeeded (client 75.75 ms: 63.75 ms).
    const sends = [10_000, 11_000, 12_000];
    const world = makeWorld({
      backends: [backendConfig("b1"), backendConfig("b2"), backendConfig("b3")],
      clients: [clientGroup({ clients: 1, classes: [get], timeoutUs: 10_000_000, load: { kind: "open", arrivals: { next: (nowUs: number) => sends.find((t) => t > nowUs) ?? 1e12 } } })],
      horizonUs: 500_000,
    });
    const tier = withTier(world, [{
      ...lbNode({
        maxConnectionsPerBackend: 1, queue: { maxQueue: 10, timeoutUs: 1_000_000 },
        retry: { tries: 3, on: ["error"], nonIdempotent: false, budget: { percent: 0, minConcurrency: 1 }, hedge: null, target: { kind: "same-server" } },
      }),
      health: { ...withPreset("haproxy"), active: null },
    }]);
    world.schedule({ atUs: 15_000, label: "deregister b1", apply: () => tier.deregister(0, 1_000) });
    world.schedule({ atUs: 44_000, label: "b3 restarts", apply: (w) => { w.backends[2]!.crash(); w.backends[2]!.recover(); } });
    const ended: Array<[number, number, number]> = [];
    world.settleListeners.push({ onRequestEnded: (request, outcome, latencyUs) => void ended.push([request, outcome, latencyUs]) });
    const result = world.run();
    expect(ended).toEqual([[1, OUTCOME.ok, 33_000], [2, OUTCOME["reset-mid-flight"], 32_750], [0, OUTCOME.ok, 65_000]]);
    expect(tier.nodes[0]!.counters.queued).toBe(1);
    expect(tier.nodes[0]!.counters.budgetDenied).toBe(1);
    expect(result.ledger.attempts.retries).toBe(1);
  });
});

describe("a redispatched retry that waits in the queue", () => {
  it("goes to whichever server has room when it leaves, its previous one included (pendconn_process_next_strm)", () => {
    // HAProxy `balance first` (fill servers in order), b1 and b2 behind maxconn 1, `option redispatch` (last retry,
    // and at once here: not a hash, two servers up), 3 tries. One client sends R0 at 10 ms and R1 at 11 ms: R0 to
    // b1 (at 13.25 ms), R1 to b2 (b1 full; at 13.25 ms, done 43.25). At 15 ms b1 is taken out of rotation and
    // restarted, resetting R0: the node hears at 15.25 ms and redispatches, but b1 is down and b2 full, so R0
    // waits in the queue, unassigned. b1 is back in rotation at 20 ms. R1 frees b2 at 43.5 ms (client 44 ms:
    // 33 ms) and R0 leaves the queue: `first` gives it b1, the first server with room, although b1 was its last
    // (HAProxy's queue has no notion of a previous server; a pick passing over it would have chosen b2). R0
    // reaches b1 at 44.25 ms, done 74.25, node 74.5, client 75 ms: 65 ms.
    const sends = [10_000, 11_000];
    const world = makeWorld({
      backends: [backendConfig("b1"), backendConfig("b2")],
      clients: [clientGroup({ clients: 1, classes: [get], timeoutUs: 10_000_000, load: { kind: "open", arrivals: { next: (nowUs: number) => sends.find((t) => t > nowUs) ?? 1e12 } } })],
      horizonUs: 500_000,
    });
    const tier = withTier(world, [{
      ...lbNode({
        balancer: { algorithm: "first" }, maxConnectionsPerBackend: 1, queue: { maxQueue: 10, timeoutUs: 1_000_000 },
        retry: { tries: 3, on: ["error"], nonIdempotent: false, budget: null, hedge: null, target: { kind: "redispatch", interval: -1 } },
      }),
      health: { ...withPreset("haproxy"), active: null },
    }]);
    const balancer = tier.nodes[0]!.balancer;
    world.schedule({ atUs: 15_000, label: "b1 out and restarted", apply: (w) => { balancer.setHealth("b1", "unhealthy"); w.backends[0]!.crash(); w.backends[0]!.recover(); } });
    world.schedule({ atUs: 20_000, label: "b1 back", apply: () => balancer.setHealth("b1", "healthy") });
    const ended: Array<[number, number, number, number]> = [];
    world.settleListeners.push({ onRequestEnded: (request, outcome, latencyUs, backend) => void ended.push([request, outcome, latencyUs, backend]) });
    const result = world.run();
    expect(ended).toEqual([[1, OUTCOME.ok, 33_000, 1], [0, OUTCOME.ok, 65_000, 0]]);
    expect(tier.nodes[0]!.counters.queued).toBe(1);
    expect(result.ledger.attempts.retries).toBe(1);
  });
});

describe("a next-upstream retry that waits in the queue", () => {
  it("still passes over every peer it tried: with none left when it leaves, it ends retries-exhausted", () => {
    // `first`, b1 and b2 behind maxconn 1, NGINX's next upstream, 3 tries. One client sends R0 at 10 ms and R1
    // at 14.5 ms. R0 reaches b1 at 13.25 ms. 15 ms: b1 out of rotation and restarted, resetting R0; heard at
    // 15.25 ms, R0's second try goes to b2 (at 16 ms). 15.5 ms: b1 back. R1 (node 15 ms, parsed 16 ms) takes b1
    // (16.75 ms, done 46.75). 17 ms: b2 out and restarted, resetting R0's second try; heard at 17.25 ms, its third
    // try must pass over b1 and b2: b1 is full and b2 down, so it waits in the queue. 20 ms: b2 back. R1 frees b1
    // at 47 ms (client 47.5 ms: 33 ms), and R0 leaves the queue: both peers have room, both were tried, so NGINX's
    // next upstream has no live upstream left and R0 ends retries-exhausted at once (client 47.5 ms: 37.5 ms).
    // Leaving the queue as a first try it would have gone to b1 and succeeded (client 78.5 ms: 68.5 ms).
    const sends = [10_000, 14_500];
    const world = makeWorld({
      backends: [backendConfig("b1"), backendConfig("b2")],
      clients: [clientGroup({ clients: 1, classes: [get], timeoutUs: 10_000_000, load: { kind: "open", arrivals: { next: (nowUs: number) => sends.find((t) => t > nowUs) ?? 1e12 } } })],
      horizonUs: 500_000,
    });
    const tier = withTier(world, [{
      ...lbNode({
        balancer: { algorithm: "first" }, maxConnectionsPerBackend: 1, queue: { maxQueue: 10, timeoutUs: 1_000_000 },
        retry: { tries: 3, on: ["error"], nonIdempotent: false, budget: null, hedge: null, target: { kind: "next-upstream" } },
      }),
      health: { ...withPreset("haproxy"), active: null },
    }]);
    const balancer = tier.nodes[0]!.balancer;
    const outAndRestarted = (name: string, index: number) => (w: typeof world): void => {
      balancer.setHealth(name, "unhealthy");
      w.backends[index]!.crash();
      w.backends[index]!.recover();
    };
    world.schedule({ atUs: 15_000, label: "b1 out and restarted", apply: outAndRestarted("b1", 0) });
    world.schedule({ atUs: 15_500, label: "b1 back", apply: () => balancer.setHealth("b1", "healthy") });
    world.schedule({ atUs: 17_000, label: "b2 out and restarted", apply: outAndRestarted("b2", 1) });
    world.schedule({ atUs: 20_000, label: "b2 back", apply: () => balancer.setHealth("b2", "healthy") });
    const ended: Array<[number, number, number]> = [];
    world.settleListeners.push({ onRequestEnded: (request, outcome, latencyUs) => void ended.push([request, outcome, latencyUs]) });
    const result = world.run();
    expect(ended).toEqual([[1, OUTCOME.ok, 33_000], [0, OUTCOME["retries-exhausted"], 37_500]]);
    expect(tier.nodes[0]!.counters.queued).toBe(1);
    // R0's second try and its third (queued, then found no peer left) were both retries.
    expect(result.ledger.attempts.retries).toBe(2);
  });
});

describe("a same-server retry after a refused connection waits HAProxy's turn-around, holding its slot", () => {
  /**
   * The real HAProxy 2.6.12 run in the report, on simulated time: one server b1 behind maxconn 1, `retries 3`
   * without redispatch, `timeout connect` 1 s, so the turn-around is MIN(1 s, timeout connect) = 1 s. b1 is down
   * until 310 ms. One client sends R1 at 10 ms and R2 at 510 ms; 200 ms of work a request. No active checks.
   */
  function runTurnaround(queueTimeoutUs: number, clientTimeoutUs = 10_000_000, sends = [10_000, 510_000]) {
    const slowGet = { ...get, demandUs: new Constant(200_000) };
    const world = makeWorld({
      backends: [backendConfig("b1")],
      clients: [clientGroup({ clients: 1, classes: [slowGet], timeoutUs: clientTimeoutUs, load: { kind: "open", arrivals: { next: (nowUs: number) => sends.find((t) => t > nowUs) ?? 1e12 } } })],
      horizonUs: 3_000_000,
    });
    withTier(world, [{
      ...lbNode({
        connectTimeoutUs: 1_000_000, maxConnectionsPerBackend: 1, queue: { maxQueue: 10, timeoutUs: queueTimeoutUs },
        retry: { tries: 4, on: ["error"], nonIdempotent: false, budget: null, hedge: null, target: { kind: "same-server" } },
      }),
      health: { ...withPreset("haproxy"), active: null },
    }]);
    world.schedule({ atUs: 0, label: "b1 down", apply: (w) => w.backends[0]!.crash() });
    world.schedule({ atUs: 310_000, label: "b1 up", apply: (w) => w.backends[0]!.recover() });
    const ended: Array<[number, number, number]> = [];
    world.settleListeners.push({ onRequestEnded: (request, outcome, latencyUs) => void ended.push([request, outcome, latencyUs]) });
    const result = world.run();
    return { ended, ledger: result.ledger };
  }

  it("R1 reconnects after 1 s; R2, arriving while R1 waits, queues until R1 is done", () => {
    // R1: node 11.5 ms (client handshake), parsed 12.5 ms; the connection to b1 is refused, which the node hears
    // at 13.5 ms (lbsim's connect path: 0.75 ms to the backend, 0.25 ms back). Turn-around 1 s, slot held: R1
    // reconnects at 1013.5 ms, reaches b1 at 1014.25, done 1214.25, node 1214.5, client 1215 ms: 1205 ms.
    // R2: node 510.5 ms, parsed 511.5 ms: b1 is up and idle, but its one slot is R1's, so R2 waits in the queue
    // until 1214.5 ms (703 ms), reaches b1 at 1215.25, done 1415.25, node 1415.5, client 1416 ms: 906 ms.
    // Real HAProxy (report): R1 1220 ms (Tc 1002 ms), R2 926 ms of which 718 ms queued.
    const { ended, ledger } = runTurnaround(5_000_000);
    expect(ended).toEqual([[0, OUTCOME.ok, 1_205_000], [1, OUTCOME.ok, 906_000]]);
    expect(ledger.attempts.retries).toBe(1);
  });

  it("timeout queue shorter than the wait ends R2 with queue-timeout, once; R1 is not affected", () => {
    // timeout queue 300 ms: R2, queued at 511.5 ms, gets its 503 at 811.5 ms, client 812 ms: 302 ms (real HAProxy:
    // 503 sQ after 305 ms). R1 as above.
    const { ended, ledger } = runTurnaround(300_000);
    expect(ended).toEqual([[1, OUTCOME["queue-timeout"], 302_000], [0, OUTCOME.ok, 1_205_000]]);
    expect(ledger.requests.outcomes["queue-timeout"]).toBe(1);
    expect(ledger.requests.outcomes.ok).toBe(1);
    expect(ledger.requests.sent).toBe(2);
    expect(ledger.attempts.retries).toBe(1);
  });

  it("a client that leaves during the turn-around gets its slot back to the pool when the turn-around ends", () => {
    // Client timeout 500 ms, a third request R3 at 1100 ms. R1 leaves at 510 ms (client-timeout, 500 ms) while
    // its retry waits; R2 (queued at 511.5 ms) leaves at 1010 ms (500 ms), before any slot frees. At 1013.5 ms the
    // turn-around ends: the node hears R1 is gone, sends nothing and frees the slot. R3: node 1100.5, parsed
    // 1101.5, b1 free: at b1 1102.25, done 1302.25, node 1302.5, client 1303 ms: 203 ms. A slot kept would have
    // left R3 queued until its own client timeout.
    const { ended, ledger } = runTurnaround(5_000_000, 500_000, [10_000, 510_000, 1_100_000]);
    // (Request slots are reused once a request ends: R3 takes R1's, so compare outcomes and latencies in order.)
    expect(ended.map(([, outcome, latencyUs]) => [outcome, latencyUs])).toEqual([[OUTCOME["client-timeout"], 500_000], [OUTCOME["client-timeout"], 500_000], [OUTCOME.ok, 203_000]]);
    expect(ledger.attempts.retries).toBe(1);
  });
});
