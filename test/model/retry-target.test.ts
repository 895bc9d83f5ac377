// Proves each retry target sends retries where its proxy does: NGINX's next upstream passes over the failed
// backend, HAProxy without `option redispatch` retries the same server until its retries run out, HAProxy's
// redispatch moves at once under round robin but only on the last retry under a hash, NGINX's next upstream passes
// over every peer it tried (not only the last) and gives up once none is left, and NGINX gives back the try an error
// on a reused keepalive connection cost.
import { describe, expect, it } from "vitest";
import { Constant } from "../../src/engine/distributions/basic.js";
import type { RetryTarget } from "../../src/balancers/retry-target.js";
import type { BalancerSpec } from "../../src/balancers/balancer-spec.js";
import { backendConfig, clientGroup, everyUs, makeWorld } from "./world-fixtures.js";
import { lbNode, withTier } from "./lb-fixtures.js";
import { withPreset } from "../../src/health/presets.js";

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
  // `timeout connect` 1 ms: HAProxy waits MIN(1 s, timeout connect) before reconnecting to a server that refused
  // (same-server-retry-slot.test.ts), so its retries here happen 1 ms after each refusal, well within the run.
  withTier(world, [lbNode({ balancer, connectTimeoutUs: 1_000, retry: { tries: 3, on: ["error"], nonIdempotent: false, budget: null, hedge: null, target } })]);
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

  describe("NGINX next upstream passes over every tried peer (ngx_http_upstream_round_robin.c `rrp->tried`)", () => {
    // HAProxy `balance first` always picks the first available server in order, so where each try goes is fixed:
    // try 1 -> b1; try 2 passes over {b1} -> b2; try 3 passes over {b1, b2} -> b3. Passing over only the last
    // tried backend would send try 3 to {b1, b3} minus {b2} -> b1 again. No active or passive checks, so crashed
    // backends stay in rotation and every try meets what the test planted.
    function runFirst(crashed: number, tries: number, target: RetryTarget = { kind: "next-upstream" }) {
      const world = makeWorld({
        backends: [backendConfig("b1"), backendConfig("b2"), backendConfig("b3")],
        clients: [clientGroup({ classes: [get], load: { kind: "open", arrivals: everyUs(10_000) } })],
        horizonUs: 1_000_000,
      });
      const health = { ...withPreset("haproxy"), active: null };
      withTier(world, [lbNode({ balancer: { algorithm: "first" }, health, retry: { tries, on: ["error"], nonIdempotent: false, budget: null, hedge: null, target } })]);
      // t = 5 ms: the first request (sent at 0, at b1 from ~1.75 ms for 5 ms) is reset in service, the rest refused.
      world.schedule({ atUs: 5_000, label: "crash", apply: (w) => { for (let b = 0; b < crashed; b++) w.backends[b]!.crash(); } });
      return world.run().ledger;
    }

    it("b1 and b2 down, 3 tries: the third try reaches b3, so every request succeeds after exactly 2 retries", () => {
      const ledger = runFirst(2, 3);
      const settled = ledger.requests.sent - ledger.requests.outcomes.unfinished;
      expect(ledger.requests.outcomes.ok).toBe(settled);
      expect(ledger.requests.outcomes["retries-exhausted"]).toBe(0);
      // Every request whose first try met b1 after the crash retried twice (b2, then b3): requests sent at 0..990 ms
      // every 10 ms, all of them (the first one's try was reset by the crash) -> 2 x settled, within the ones still
      // in flight at the horizon.
      expect(Math.abs(ledger.attempts.retries - 2 * settled)).toBeLessThanOrEqual(2);
    });

    it("the same world passing over only the previous server (HAProxy redispatch) goes back to b1 and fails", () => {
      // Redispatch under a non-hash algorithm with several servers up moves at once, avoiding only the previous
      // server: b1 -> b2 -> (avoid b2) b1. Every request exhausts its 3 tries: the difference the bitmap makes.
      const ledger = runFirst(2, 3, { kind: "redispatch", interval: -1 });
      const settled = ledger.requests.sent - ledger.requests.outcomes.unfinished;
      expect(ledger.requests.outcomes["retries-exhausted"]).toBe(settled);
      expect(ledger.requests.outcomes.ok).toBe(0);
    });

    it("every backend down, 5 tries: NGINX stops after trying each once (no live upstreams), 2 retries per request", () => {
      // b1, b2, b3 each refuse once; the fourth pick finds no untried peer, so the request is answered with its
      // failure after 3 tries instead of 5 (ngx_http_upstream_get_peer returns NULL, NGX_BUSY, 502).
      const ledger = runFirst(3, 5);
      const settled = ledger.requests.sent - ledger.requests.outcomes.unfinished;
      expect(ledger.requests.outcomes["retries-exhausted"]).toBe(settled);
      expect(Math.abs(ledger.attempts.retries - 2 * settled)).toBeLessThanOrEqual(2);
    });
  });
});
