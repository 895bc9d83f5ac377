// Proves an L4 node's least-connections counts connections as IPVS `lc` does (include/net/ip_vs.h
// `ip_vs_dest_conn_overhead`: activeconns << 8 plus inactconns): idle keepalive connections are active and make lc
// avoid their backend, and closed connections still in the table (TIME_WAIT, 2 minutes) count 1/256 each.
import { describe, expect, it } from "vitest";
import { Constant } from "../../src/engine/distributions/basic.js";
import { withPreset } from "../../src/health/presets.js";
import type { ClientGroupConfig, ReplayRequests } from "../../src/model/client-config.js";
import { backendConfig, clientGroup, makeWorld } from "./world-fixtures.js";
import { lbNode, withTier } from "./lb-fixtures.js";

const get = { name: "get", weight: 1, method: "GET", idempotent: true, path: "/", demandUs: new Constant(5_000), needsDependencies: false };

/** `count` requests, one every `everyUs` from `startUs`, each from its own client (client i % clients). */
function replay(count: number, startUs: number, everyUs: number, clients: number): ReplayRequests {
  return {
    offsetsUs: Float64Array.from({ length: count }, (_, i) => startUs + i * everyUs),
    classIndex: new Uint16Array(count),
    demandUs: new Float64Array(count).fill(5_000),
    client: Int32Array.from({ length: count }, (_, i) => i % clients),
    periodUs: null,
  };
}

function group(name: string, keepalive: boolean, requests: ReplayRequests, clients: number): ClientGroupConfig {
  return clientGroup({ name, clients, addressPrefix: name === "idle" ? "10.1" : "10.2", keepalive, classes: [get], load: { kind: "replay", requests } });
}

/**
 * One backend, b1, until b2 is added (a scale-out) at 100 ms. An L4 node with least-connections, no health checks
 * (both backends stay in rotation), network 0.5 ms client hop and 0.25 ms to the backend, 5 ms of work each.
 */
function run(groups: ClientGroupConfig[], horizonUs: number) {
  const world = makeWorld({ backends: [backendConfig("b1")], clients: groups, horizonUs });
  const health = { ...withPreset("haproxy"), active: null };
  withTier(world, [lbNode({ mode: "l4", balancer: { algorithm: "least-connections" }, health })]);
  world.schedule({ atUs: 100_000, label: "scale out", apply: (w) => w.addBackend(backendConfig("b2")) });
  const result = world.run();
  return Object.fromEntries(result.perBackend.map((b) => [b.name, b.attempts]));
}

describe("L4 least-connections counts connections (IPVS lc)", () => {
  it("six idle keepalive connections on b1 make lc send every new connection to b2", () => {
    // Before b2 exists, six keepalive clients each send one request (t = 10..60 ms) and keep their connection
    // open, idle: b1 holds 6 active connections, score 6 x 256 = 1536. From 200 ms, 200 requests without
    // keepalive, one every 10 ms, each done in about 6.5 ms: b2's score is at most 1 x 256 (the one open) plus the
    // closed ones still in TIME_WAIT (at most 199, all within 2 minutes) = 455 < 1536, so all 200 go to b2.
    // Counting requests in flight instead, both backends are idle between requests and the 200 split evenly.
    const perBackend = run([group("idle", true, replay(6, 10_000, 10_000, 6), 6), group("fresh", false, replay(200, 200_000, 10_000, 50), 50)], 3_000_000);
    expect(perBackend).toEqual({ b1: 6, b2: 200 });
  });

  it("closed connections in TIME_WAIT break the tie: b1's 300 lately closed ones count as 300/256 of an open one", () => {
    // 300 requests without keepalive, one every 250 us from 10 ms (the last sent at 84.75 ms, at the node 0.5 ms
    // later), reach b1 alone, before b2 is added at 100 ms; all closed by ~91 ms: b1 has 0 active, 300 inactive. Six
    // keepalive clients connect one at a time (from 200 ms, every 10 ms) and stay open. Scores (active x 256 +
    // inactive), lowest wins: c1 b1 300 / b2 0 -> b2 (b2 256); c2 300 / 256 -> b2 (512); c3 300 / 512 -> b1 (556);
    // c4 556 / 512 -> b2 (768); c5 556 / 768 -> b1 (812); c6 812 / 768 -> b2. b2 takes 4 of the 6, b1 2: without
    // the inactive count the first connection would tie and the six would split 3 and 3.
    const perBackend = run([group("fresh", false, replay(300, 10_000, 250, 50), 50), group("idle", true, replay(6, 200_000, 10_000, 6), 6)], 1_000_000);
    expect(perBackend).toEqual({ b1: 302, b2: 4 });
  });
});
