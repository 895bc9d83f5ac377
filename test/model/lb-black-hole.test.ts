// Proves the black-hole mechanism end to end at small scale: with `tcp` checks a hung backend stays "healthy"
// and keeps receiving (and failing) requests; with `http` checks it is marked down within the detection bound
// (F x I + T for fixed-rate checkers, F x (I + T) for HAProxy's re-arm-after-result) and the failures stop.
import { describe, expect, it } from "vitest";
import { OUTCOME } from "../../src/metrics/ledger.js";
import { backendConfig, clientGroup, everyUs, makeWorld } from "./world-fixtures.js";
import { lbNode, withTier } from "./lb-fixtures.js";

const HANG_AT_US = 1_000_000;

function blackHole(probe: "tcp" | "http") {
  // 4 backends, one request every 5 ms (200/s), round robin; b1 hangs at t = 1 s. HAProxy checks: inter 2 s,
  // fall 3, rise 2; timeout 1 s (a 504 after 1 s upstream timeout, so failures are upstream-timeout).
  const world = makeWorld({
    backends: ["b1", "b2", "b3", "b4"].map((name) => backendConfig(name, { backlog: 10_000 })),
    clients: [clientGroup({ timeoutUs: 5_000_000, load: { kind: "open", arrivals: everyUs(5_000) } })],
    horizonUs: 20_000_000,
  });
  const tier = withTier(world, [lbNode({}, { probe, intervalUs: 2_000_000, timeoutUs: 1_000_000, fall: 3, rise: 2 })]);
  world.schedule({ atUs: HANG_AT_US, label: "hang b1", apply: (w) => w.backends[0]!.hang() });
  let markedDownAt = Infinity;
  tier.nodes[0]!.health.listeners.push({
    onHealthState: (_node, backend, state, now) => { if (backend === 0 && state === 1 && markedDownAt === Infinity) markedDownAt = now; },
  });
  const failuresAfter: number[] = [];
  world.settleListeners.push({
    onRequestEnded: (r, outcome) => { if (outcome !== OUTCOME.ok && outcome !== OUTCOME.unfinished) failuresAfter.push(world.requests.sentUs[r]!); },
  });
  const result = world.run();
  return { result, tier, markedDownAt, failuresAfter };
}

describe("health-check black hole", () => {
  it("with tcp checks the hung backend looks healthy to the end and a quarter of requests fail", () => {
    const { result, tier, markedDownAt } = blackHole("tcp");
    expect(markedDownAt).toBe(Infinity);
    expect(tier.nodes[0]!.health.activelyHealthy(0)).toBe(true);
    // Round robin over 4: every 4th request after t = 1 s goes to b1 and times out (upstream-timeout, 504).
    // Sent over 20 s: 4,000; after the hang (19 s, minus the last second still in flight): about 3,600 / 4 = 900.
    const failed = result.ledger.requests.outcomes["upstream-timeout"];
    expect(failed).toBeGreaterThan(850);
    expect(failed).toBeLessThan(960);
    expect(result.ledger.requests.outcomes.ok + failed + result.ledger.requests.outcomes.unfinished).toBe(result.ledger.requests.sent);
  });

  it("with http checks the hung backend is marked down within the detection bound and failures stop", () => {
    const { result, tier, markedDownAt, failuresAfter } = blackHole("http");
    // I = 2 s, T = 1 s, F = 3, no jitter. A fixed-rate checker ("from-start") sees its first failing check start
    // at most I after the hang and knows the F-th failure T after the F-th check starts: detection <=
    // (F - 1) I + I + T = F I + T = 7 s. HAProxy re-arms after each result ("from-result"): a failing check
    // takes T, so consecutive starts are I + T apart and the bound is F (I + T) = 9 s. Either way detection
    // takes at least (F - 1) I = 4 s. (Plus a probe round trip of 0.5 ms.)
    const active = tier.nodes[0]!.config.health.active!;
    const bound = active.cadence === "from-start" ? 3 * 2_000_000 + 1_000_000 : 3 * (2_000_000 + 1_000_000);
    const detection = markedDownAt - HANG_AT_US;
    expect(detection).toBeGreaterThanOrEqual(4_000_000);
    expect(detection).toBeLessThanOrEqual(bound + 1_000);
    // No request sent after the backend was marked down fails.
    expect(failuresAfter.filter((sent) => sent > markedDownAt + 2_000)).toEqual([]);
    const failed = result.ledger.requests.outcomes["upstream-timeout"];
    // Only the requests of the detection window fail: about 200/s x detection / 4 backends.
    expect(failed).toBeLessThanOrEqual(Math.ceil((200 * detection) / 1e6 / 4) + 2);
    expect(failed).toBeGreaterThan(0);
  });
});
