// Proves the end-of-run audit makes the ledger a check that can fail: a front door that silently loses one request
// in ten (never answers, sends nothing) balanced before, every lost request booked `unfinished`; now the run fails
// naming the seed, because nothing is in flight for those requests. Requests genuinely in flight at the horizon
// (on the wire, in a backend's queue, in a balancer queue, waiting out a client retry's backoff) still pass.
import { describe, expect, it } from "vitest";
import { SimulationError } from "../../src/engine/invariant.js";
import { DirectFrontDoor } from "../../src/model/direct-front-door.js";
import { lbNode, withTier } from "./lb-fixtures.js";
import { backendConfig, clientGroup, Constant, everyUs, makeWorld } from "./world-fixtures.js";

const slow = { name: "get", weight: 1, method: "GET", idempotent: true, path: "/", demandUs: new Constant(300_000), needsDependencies: false };

/** A request every 10 ms for 1 s against one backend with 2 workers and 300 ms of work: many in flight at the end. */
function world(seed: number) {
  return makeWorld({
    seed,
    backends: [backendConfig("b1", { workers: 2 })],
    clients: [clientGroup({ classes: [slow], timeoutUs: 60_000_000, load: { kind: "open", arrivals: everyUs(10_000) } })],
    horizonUs: 1_000_000,
  });
}

describe("the in-flight audit at the horizon", () => {
  it("passes when every open request is really in flight, however many there are", () => {
    const w = world(1);
    new DirectFrontDoor(w, () => 0);
    const result = w.run();
    // 99 requests; 2 workers finish one per 150 ms: 6 are answered, 93 are in the backend's queue or serving.
    expect(result.ledger.requests.outcomes.ok).toBe(6);
    expect(result.ledger.requests.outcomes.unfinished).toBe(93);
  });

  it("catches a planted leak: a front door that drops every tenth request without a word", () => {
    const w = world(77);
    const direct = new DirectFrontDoor(w, () => 0);
    let received = 0;
    w.attachFrontDoor({ receive: (request) => (++received % 10 === 0 ? undefined : direct.receive(request)) });
    let error: unknown;
    try {
      w.run();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SimulationError);
    // 99 requests reach the front door; every tenth (9 of them) is dropped, and the first is the 10th, sent at 100 ms.
    expect((error as SimulationError).message).toMatch(/^9 user request\(s\) still open at the horizon with nothing in flight for them .* the first was sent at 100000us by client \d+ \(seed 77, t=1000000us\)$/);
  });

  it("passes with balancer queues, balancer retries and client retries in flight at the horizon", () => {
    // One backend behind an L7 node with maxconn 1 (a queue forms at the node), 2 tries, and clients retrying
    // 503s after 50 ms: at the horizon requests sit in the node's queue, on the backend and in client backoff.
    const w = makeWorld({
      backends: [backendConfig("b1", { workers: 1, speedFactor: 10 })],
      clients: [clientGroup({
        classes: [{ ...slow, demandUs: new Constant(5_000) }], timeoutUs: 60_000_000, load: { kind: "open", arrivals: everyUs(20_000) },
        retry: { maxRetries: 3, on: ["queue-timeout"], delayUs: () => 50_000 },
      })],
      horizonUs: 2_000_000,
    });
    withTier(w, [lbNode({ maxConnectionsPerBackend: 1, queue: { maxQueue: 1_000, timeoutUs: 200_000 }, retry: { tries: 2, on: ["error", "timeout"], nonIdempotent: false, budget: null, hedge: null, target: { kind: "next-upstream" } } })]);
    const result = w.run();
    // 50 ms of work per request against one every 20 ms: the queue overflows its 200 ms timeout and clients retry.
    expect(result.ledger.requests.outcomes.unfinished).toBeGreaterThan(0);
    expect(result.ledger.tries.outcomes["queue-timeout"]).toBeGreaterThan(0);
    expect(result.ledger.requests.outcomes.ok).toBeGreaterThan(0);
  });
});
