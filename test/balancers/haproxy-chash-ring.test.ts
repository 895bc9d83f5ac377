// Proves lbsim's copy of HAProxy's consistent-hash tree for random(<draws>): full_hash matches HAProxy's C function
// bit for bit, each server's share of idle draws is the arc of the ring nearest its nodes (three weight-1 servers:
// 35.1 / 29.5 / 35.4 %, the unequal shares the conformance lab measured), and a retry's avoided server is walked past.
import { describe, expect, it } from "vitest";
import { fullHash, SRV_EWGHT_RANGE } from "../../src/balancers/haproxy-chash-ring.js";
import { build, ids, tally } from "./helpers.js";

/**
 * Each server's fraction of the 32-bit key space, from the sorted node keys alone: a key between two nodes goes to
 * the nearer one, so each node owns half of the gap on each side. Independent of the ring's lookup code.
 */
function arcs(servers: ReadonlyArray<{ puid: number; nodes: number }>): number[] {
  const nodes = servers.flatMap((s, i) => Array.from({ length: s.nodes }, (_, n) => ({ key: fullHash(s.puid * SRV_EWGHT_RANGE + n), i })));
  nodes.sort((a, b) => a.key - b.key);
  const owned = servers.map(() => 0);
  for (let k = 0; k < nodes.length; k++) {
    const a = nodes[k]!;
    const b = nodes[(k + 1) % nodes.length]!;
    const gap = (b.key - a.key + 2 ** 32) % 2 ** 32;
    owned[a.i]! += gap / 2;
    owned[b.i]! += gap / 2;
  }
  return owned.map((o) => o / 2 ** 32);
}

describe("HAProxy full_hash", () => {
  it("matches the C function (include/haproxy/tools.h __full_hash, compiled with gcc) on sample inputs", () => {
    // Printed by the C function itself, 32-bit unsigned: 0, 1, the first node of puid 1 and 2, node 15 of puid 3.
    expect([0, 1, 4096, 4097, 8192, 12303, 4294967295].map(fullHash)).toEqual([2874071335, 881230262, 1237450891, 2761370759, 1079705203, 890795054, 2120532354]);
  });
});

describe("balance random(2) on the chash tree", () => {
  it("three weight-1 servers own 35.1 / 29.5 / 35.4 % of the ring, and idle draws follow the arcs", () => {
    const expected = arcs([1, 2, 3].map((puid) => ({ puid, nodes: 16 })));
    // The arcs themselves (BE_WEIGHT_SCALE = 16 nodes each), to one decimal of a percent.
    expect(expected.map((a) => Math.round(a * 1000) / 10)).toEqual([35.1, 29.5, 35.4]);
    // Idle loads tie and the later draw wins, so a server's share is its arc. N = 60000: SE <= sqrt(0.25 / 60000)
    // = 0.0020; tolerance 4 SE = 0.008 (the arcs differ from 1/3 by up to 0.038, so uniform draws would fail).
    const { balancer } = build({ algorithm: "power-of-two-choices", variant: "haproxy" }, ["a", "b", "c"], "chash-3");
    const n = 60_000;
    const counts = tally(balancer, n);
    ["a", "b", "c"].forEach((id, i) => expect(Math.abs(counts.get(id)! / n - expected[i]!)).toBeLessThan(0.008));
  });

  it("a weight-5 server holds 80 nodes: among nine weight-1 servers its share is its arc, not 5/14", () => {
    // heavy is puid 1 with 5 x 16 nodes; b0..b8 are puids 2..10 with 16. N = 40000: SE <= sqrt(0.25 / 40000) =
    // 0.0025; tolerance 4 SE = 0.01.
    const expected = arcs([{ puid: 1, nodes: 80 }, ...ids(9).map((_, i) => ({ puid: i + 2, nodes: 16 }))]);
    const { balancer } = build({ algorithm: "power-of-two-choices", variant: "haproxy" }, [{ id: "heavy", weight: 5 }, ...ids(9).map((id) => ({ id, weight: 1 }))], "chash-heavy");
    const n = 40_000;
    expect(Math.abs(tally(balancer, n).get("heavy")! / n - expected[0]!)).toBeLessThan(0.01);
  });

  it("a down server leaves the tree and the others keep their puids (their nodes do not move)", () => {
    // b goes down: a (puid 1) and c (puid 3) share the ring by their own arcs, computed without b.
    const expected = arcs([{ puid: 1, nodes: 16 }, { puid: 3, nodes: 16 }]);
    const { balancer } = build({ algorithm: "power-of-two-choices", variant: "haproxy" }, ["a", "b", "c"], "chash-down");
    balancer.pick({});
    balancer.setHealth("b", "unhealthy");
    const n = 40_000;
    const counts = tally(balancer, n);
    expect(counts.get("b")).toBeUndefined();
    expect(Math.abs(counts.get("a")! / n - expected[0]!)).toBeLessThan(0.01);
  });
});
