// Proves each retry target sends retries where its proxy does: NGINX's next upstream passes over the failed
// backend, HAProxy without `option redispatch` retries the same server until its retries run out, HAProxy's
// redispatch moves at once under round robin but only on the last retry under a hash, and NGINX gives back the try
// an error on a reused keepalive connection cost.
import { describe, expect, it } from "vitest";
import { Constant } from "../../src/engine/distributions/basic.js";
import type { RetryTarget } from "../../src/balancers/retry-target.js";
import type { BalancerSpec } from "../../src/balancers/balancer-spec.js";
import { backendConfig, clientGroup, everyUs, makeWorld } from "./world-fixtures.js";
import { lbNode, withTier } from "./lb-fixtures.js";

const get = { name: "get", weight: 1, method: "GET", idempotent: true, path: "/", demandUs: new Constant(5_000), needsDependencies: false };

/**
 * b1 refuses every connection from t = 5 ms (crashed just after its first TCP check passed; the next comes 2 s
 * later, past the 1 s run), b2 serves. 100 GETs, one every 10 ms; 3 tries (HAProxy `retries 2`), retried on `error`.
 */
function run(target: RetryTarget, balancer: BalancerSpec = { algorithm: "round-robin" }) {
  const world = makeWorld({
    backends: [backendConfig("b1"), backendConfig("b2")],
    clients: [clientGroup({ classes: [get], load: { kind: "open", arrivals: everyUs(10_000) } })],
    horizonUs: 1_000_000,
  });
  withTier(world, [lbNode({ balancer, retry: { tries: 3, on: ["error"], nonIdempotent: false, budget: null, hedge: null, target } })]);
  world.schedule({ atUs: 5_000, label: "crash b1", apply: (w) => w.backends[0]!.crash() });
  return world.run().ledger;
}

describe("retry targets", () => {
  it("NGINX next upstream: the retry passes over b1, so every request succeeds with one retry each time b1 was picked", () => {
    // Round robin alternates b1, b2 for first tries (a retry's pick also advances it, landing on b2 either way).
    const ledger = run({ kind: "next-upstream" });
    expect(ledger.requests.outcomes.ok).toBe(ledger.requests.sent - ledger.requests.outcomes.unfinished);
    expect(ledger.requests.outcomes["retries-exhausted"]).toBe(0);
  });

  it("HAProxy without redispatch: both retries go back to b1, so every request that started there fails", () => {
    // Retries do not pick, so round robin's first tries alternate exactly: half the requests (within one) start on
    // b1 and use up all three tries there (2 retries each); the other half succeed on b2.
    const ledger = run({ kind: "same-server" });
    const settled = ledger.requests.sent - ledger.requests.outcomes.unfinished;
    const exhausted = ledger.requests.outcomes["retries-exhausted"];
    expect(Math.abs(exhausted - settled / 2)).toBeLessThanOrEqual(1);
    expect(ledger.attempts.retries).toBe(2 * exhausted);
    expect(ledger.requests.outcomes.ok).toBe(settled - exhausted);
  });

  it("HAProxy option redispatch: at once under round robin (more than one server up), on the last retry under a hash", () => {
    const rr = run({ kind: "redispatch", interval: -1 });
    expect(rr.requests.outcomes.ok).toBe(rr.requests.sent - rr.requests.outcomes.unfinished);
    // Hashing the client address: the same requests start on b1 in both runs. Without redispatch they exhaust two
    // retries on b1 (N requests, 2N retries); with it, retry 1 stays on b1 and retry 2 (2 % (2 + 1 - 1) == 0, the
    // last) moves to b2 and succeeds: still 2N retries, no failures.
    const hash: BalancerSpec = { algorithm: "consistent-hash" };
    const stay = run({ kind: "same-server" }, hash);
    const move = run({ kind: "redispatch", interval: -1 }, hash);
    const n = stay.requests.outcomes["retries-exhausted"];
    expect(stay.attempts.retries).toBe(2 * n);
    expect(move.requests.outcomes["retries-exhausted"]).toBe(0);
    expect(move.attempts.retries).toBe(2 * n);
    expect(move.requests.outcomes.ok).toBe(move.requests.sent - move.requests.outcomes.unfinished);
  });
});
