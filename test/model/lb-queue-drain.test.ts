// Proves the node's maxconn queue drains by asking the balancer's pool, not a copy of its rules: with a `backup`
// backend, and with linear slow start after a crash and recovery, a freed slot no longer spins one event forever.
import { describe, expect, it } from "vitest";
import { withPreset } from "../../src/health/presets.js";
import type { LbTier } from "../../src/model/lb/lb-tier.js";
import { lbNode, withTier } from "./lb-fixtures.js";
import { backendConfig, clientGroup, Constant, everyUs, makeWorld } from "./world-fixtures.js";

const get = { name: "get", weight: 1, method: "GET", idempotent: true, path: "/", demandUs: new Constant(20_000), needsDependencies: false };

/**
 * A bound on picks, so that a node spinning inside one event fails the test instead of hanging it. A run makes
 * at most one pick per try, plus one per queue drain step; `limit` is far above what the run can need.
 */
function boundPicks(tier: LbTier, limit: number): void {
  for (const node of tier.nodes) {
    const balancer = node.balancer;
    const pick = balancer.pick.bind(balancer);
    let picks = 0;
    balancer.pick = (ctx) => {
      if (++picks > limit) throw new Error(`more than ${limit} picks: the node is spinning`);
      return pick(ctx);
    };
  }
}

describe("the maxconn queue drains by the pool's answer", () => {
  it("with a backup backend, a freed primary slot dispatches the queue and never loops", () => {
    // One primary with maxconn 1 and 20 ms of work, a backup that is healthy but not in the active tier (a primary
    // is up), a request every 10 ms for 1 s: 100 requests. The old node saw the backup's free slot as room, so the
    // balancer answered all-full and the request went back into the queue, forever, inside one event.
    const world = makeWorld({
      backends: [backendConfig("b1"), backendConfig("b2", { backup: true })],
      clients: [clientGroup({ classes: [get], timeoutUs: 10_000_000, load: { kind: "open", arrivals: everyUs(10_000) } })],
      horizonUs: 1_000_000,
    });
    const tier = withTier(world, [lbNode({ maxConnectionsPerBackend: 1, queue: { maxQueue: 1_000, timeoutUs: 300_000 } })]);
    boundPicks(tier, 10_000);
    const result = world.run();
    // b1 serves one request per ~20.5 ms (work plus 2 x 250 us hops) => about 48 in 1 s; the rest wait, and those
    // queued longer than 300 ms time out. The backup never serves while b1 is up (NGINX `backup`).
    expect(result.perBackend[1]!.attempts).toBe(0);
    expect(result.ledger.requests.outcomes.ok).toBeGreaterThanOrEqual(40);
    expect(result.ledger.requests.outcomes.ok).toBeLessThanOrEqual(50);
    expect(result.ledger.requests.outcomes["queue-timeout"]).toBeGreaterThan(0);
  });

  it("with linear slow start, a recovered backend at weight factor 0 does not count as room", () => {
    // Two backends with maxconn 1; b2 crashes at 200 ms and recovers at 400 ms. HAProxy-style linear slow start
    // (10 s window) gives it factor 0 at the instant it turns healthy again, so it is not up for the balancer while
    // the old node saw its free slot as room. fall 1, rise 1 and 50 ms checks make the recovery quick.
    const health = withPreset("haproxy", { probe: "http", intervalUs: 50_000, timeoutUs: 20_000, fall: 1, rise: 1, slowStart: { kind: "linear", windowUs: 10_000_000, applyAtStartup: false } });
    const world = makeWorld({
      backends: [backendConfig("b1"), backendConfig("b2")],
      clients: [clientGroup({ classes: [get], timeoutUs: 10_000_000, load: { kind: "open", arrivals: everyUs(5_000) } })],
      horizonUs: 1_000_000,
    });
    const tier = withTier(world, [{ ...lbNode({ maxConnectionsPerBackend: 1, queue: { maxQueue: 1_000, timeoutUs: 300_000 } }), health }]);
    world.schedule({ atUs: 200_000, label: "crash b2", apply: (w) => w.backends[1]!.crash() });
    world.schedule({ atUs: 400_000, label: "recover b2", apply: (w) => w.backends[1]!.recover() });
    boundPicks(tier, 10_000);
    const result = world.run();
    // A request every 5 ms from t = 5 ms: 199 before the 1 s horizon; two slots of ~20.5 ms serve at most ~97 in 1 s, and fewer while b2 is out.
    expect(result.ledger.requests.sent).toBe(199);
    expect(result.ledger.requests.outcomes.ok).toBeGreaterThanOrEqual(40);
    expect(result.ledger.requests.outcomes.ok).toBeLessThanOrEqual(98);
  });
});
