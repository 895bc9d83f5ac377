// Proves least-connections breaks ties as each proxy does, pick by pick: "haproxy" walks HAProxy's leastconn tree
// (key 0 when idle, else (inflight + 1) x 4096 / eweight; equal keys in insertion order, src/lb_fwlc.c), "nginx"
// runs the smooth weighted round robin over the tied peers only (ngx_http_upstream_get_least_conn_peer). Every
// expected sequence is derived by hand in its comment; each differs from the old rotating scan's, given beside it.
// The last block replays, pick for pick, what HAProxy 2.6.12 and NGINX 1.22.1 did on loopback.
import { describe, expect, it } from "vitest";
import type { LoadBalancer } from "../../src/balancers/index.js";
import { fwlcKey } from "../../src/balancers/haproxy-fwlc-order.js";
import { build, ids, sequence } from "./helpers.js";

/** Picks and starts a request on the pick, n times: each pick sees the previous ones in flight. */
function startEach(balancer: LoadBalancer, n: number, ctx: Parameters<LoadBalancer["pick"]>[0] = {}): string[] {
  return Array.from({ length: n }, () => {
    const b = balancer.pick(ctx).backend;
    if (b === null) return "none";
    balancer.onRequestStart(b);
    return b.id;
  });
}

const OK = { latencyUs: 1000, success: true } as const;

describe("least-connections variant haproxy (the leastconn tree)", () => {
  const haproxy = { algorithm: "least-connections", variant: "haproxy" } as const;

  it("keys idle servers 0 and loaded ones (inflight + 1) x SRV_EWGHT_MAX / eweight, truncated", () => {
    // eweight = weight x 16: weight 1 -> 16, weight 3 -> 48. (1 + 1) x 4096 / 16 = 512; (2 + 1) x 4096 / 48 = 256;
    // (1 + 1) x 4096 / 48 = 170.67 -> 170.
    expect([fwlcKey(0, 16), fwlcKey(1, 16), fwlcKey(2, 48), fwlcKey(1, 48)]).toEqual([0, 512, 256, 170]);
  });

  it("three idle servers: after requests end, the one idle longest goes first", () => {
    // Tree at start, in configuration order: b0, b1, b2 at key 0. Each pick takes the first and its start moves it
    // to key 512 behind the others: b0, b1, b2. The ends re-insert at key 0 in the order they happen, b2, b0, b1,
    // so the next three picks follow that order.
    // The old rotating scan (start one later per pick, 3 picks brought it back to b0) gave b0, b1, b2 again.
    // HAProxy 2.6.12 on loopback did exactly this (three servers, `balance leastconn`; requests of 300, 500 and
    // 100 ms sent 50 ms apart went to s1, s2, s3; the next three, one at a time, to s3, s1, s2).
    const { balancer } = build(haproxy, ids(3));
    expect(startEach(balancer, 3)).toEqual(["b0", "b1", "b2"]);
    for (const id of ["b2", "b0", "b1"]) balancer.onRequestEnd(id, OK);
    expect(startEach(balancer, 3)).toEqual(["b2", "b0", "b1"]);
  });

  it("a pick that starts nothing leaves the order alone: the first server keeps being picked", () => {
    // No start, no key change, no re-insertion: fwlc_get_next_server returns the same first node each time.
    // The old scan rotated: b0, b1, b2.
    const { balancer } = build(haproxy, ids(3));
    expect(sequence(balancer, 3)).toEqual(["b0", "b0", "b0"]);
  });

  it("weighted: the integer key's + 1 orders a heavy server before an equally loaded light one", () => {
    // A weight 2 (eweight 32) with 2 in flight, B weight 1 (eweight 16) with 1: per weight both carry 1, but the
    // keys are 3 x 4096 / 32 = 384 and 2 x 4096 / 16 = 512, so A goes first.
    //   pick 1: A 384 < B 512 -> A; A to 3 in flight: 4 x 128 = 512, inserted after B (B reached 512 earlier).
    //   pick 2: B first at 512 -> B; B to 2: 3 x 256 = 768.
    //   pick 3: A 512 -> A; A to 4: 5 x 128 = 640.   pick 4: A 640 < 768 -> A; A to 5: 6 x 128 = 768, after B.
    //   pick 5: B first at 768 -> B.
    // The old scan compared in-flight / weight (1 = 1 at pick 1, 2 = 2 at pick 4) and rotated: A, B, A, B, A.
    const { balancer } = build(haproxy, [{ id: "A", weight: 2 }, { id: "B", weight: 1 }]);
    balancer.onRequestStart("A");
    balancer.onRequestStart("A");
    balancer.onRequestStart("B");
    expect(startEach(balancer, 5)).toEqual(["A", "B", "A", "A", "B"]);
  });

  it("passes over a server at maxconn and keeps its place for when it has room", () => {
    // b0 has maxconn 1. Picks 1-3 take b0, b1, b2 (all to key 512, in that order); b0 is now full.
    //   pick 4: b0 is first at 512 but full -> b1, which moves to 768.   pick 5: b2 (512) -> 768, after b1.
    //   pick 6: b0 still full; b1 and b2 at 768, b1 inserted first -> b1.
    // The old scan: b0, b1, b2, b1, b2, then from b2 onwards the first minimum b2 (b1 and b2 both at 2).
    const { balancer } = build(haproxy, [{ id: "b0", maxConnections: 1 }, "b1", "b2"]);
    expect(startEach(balancer, 6)).toEqual(["b0", "b1", "b2", "b1", "b2", "b1"]);
    // b0's request ends: key 0, first in the tree again.
    balancer.onRequestEnd("b0", OK);
    expect(startEach(balancer, 1)).toEqual(["b0"]);
  });

  it("a retry passes over the server it avoids, and falls back to it when nothing else can take it", () => {
    // b0 and b1 take a request each and end in the order b1, b0: the idle tree is b2 (never used), b1, b0.
    // A retry avoiding b2 takes the next, b1 (`srvtoavoid`). The old scan, two picks in, started at b2, passed
    // over it and kept the first minimum after it: b0.
    const { balancer } = build(haproxy, ids(3));
    expect(startEach(balancer, 2)).toEqual(["b0", "b1"]);
    balancer.onRequestEnd("b1", OK);
    balancer.onRequestEnd("b0", OK);
    expect(balancer.pick({ avoid: "b2" }).backend!.id).toBe("b1");
    // With b0 and b1 full (maxconn 1, one request each), only the avoided b2 is left: `if (!srv) srv = avoided`.
    const full = build(haproxy, ["b0", "b1", "b2"].map((id) => ({ id, maxConnections: 1 }))).balancer;
    expect(startEach(full, 2)).toEqual(["b0", "b1"]);
    expect(full.pick({ avoid: "b2" }).backend!.id).toBe("b2");
  });

  it("a server that comes back up, or changes weight, queues behind the servers already at its key", () => {
    // fwlc_set_server_status_down removes b0, fwlc_set_server_status_up inserts it again at key 0 after b1 and b2;
    // fwlc_update_server_weight dequeues and queues b1 again even though its key stays 0: b2, b0, b1.
    // The old scan took b0 first whatever had happened to it.
    const { balancer } = build(haproxy, ids(3));
    balancer.setHealth("b0", "unhealthy");
    balancer.setHealth("b0", "healthy");
    balancer.setWeight("b1", 2);
    expect(startEach(balancer, 3)).toEqual(["b2", "b0", "b1"]);
  });
});

describe("least-connections variant nginx (smooth weighted round robin among the tied peers)", () => {
  const nginx = { algorithm: "least-connections", variant: "nginx" } as const;

  it("is the default", () => {
    const a = build({ algorithm: "least-connections" }, ids(3)).balancer;
    const b = build(nginx, ids(3)).balancer;
    expect(startEach(a, 3)).toEqual(startEach(b, 3));
  });

  it("three idle servers: only the tied peers' current weights move", () => {
    // current_weight starts at 0 and weights are 1.
    //   pick 1, all three tied at 0 conns: each +1 -> 1, 1, 1; b0 (the first) wins and gives back 3: b0 -2, b1 1, b2 1.
    //   pick 2, b1 and b2 tied (b0 has 1): b1 2, b2 2 -> b1 (the first), gives back 2 -> b1 0.
    //   pick 3: b2 alone at 0 conns (many = 0): b2, current weights untouched (b2 stays 2).
    // All three end; pick 4 over all: b0 -1, b1 1, b2 3 -> b2, -3 -> 0.  pick 5 over b0, b1: b0 0, b1 2 -> b1.
    //   pick 6: b0 alone -> b0.
    // The old scan: b0, b1, b2, then (3 picks brought it back to b0) b0, b1, b2.
    const { balancer } = build(nginx, ids(3));
    expect(startEach(balancer, 3)).toEqual(["b0", "b1", "b2"]);
    for (const id of ["b2", "b0", "b1"]) balancer.onRequestEnd(id, OK);
    expect(startEach(balancer, 3)).toEqual(["b2", "b1", "b0"]);
  });

  it("weighted idle peers tie at 0 connections and share by weight, smoothly", () => {
    // A weight 2, B weight 1, nothing started: always tied. Smooth WRR: A 2, B 1 -> A (-3: -1); A 1, B 2 -> B
    // (-1); A 3, B 0 -> A (0); then the cycle again: A, B, A.
    // The old scan rotated regardless of weight: A, B, A, B, A, B.
    const { balancer } = build(nginx, [{ id: "A", weight: 2 }, { id: "B", weight: 1 }]);
    expect(sequence(balancer, 6)).toEqual(["A", "B", "A", "A", "B", "A"]);
  });

  it("passes over a peer at max_conns in both passes", () => {
    // b0 has max_conns 1 and one request: skipped. b1 and b2 tie at 0: b1 1, b2 1 -> b1 (-2: -1); b1 0, b2 2 -> b2
    // (0); b1 1, b2 1 -> b1.
    // The old scan: b1, then from b1 b1 again, then from b2 b2: b1, b1, b2.
    const { balancer } = build(nginx, [{ id: "b0", maxConnections: 1 }, "b1", "b2"]);
    balancer.onRequestStart("b0");
    expect(sequence(balancer, 3)).toEqual(["b1", "b2", "b1"]);
  });

  it("a failed try lowers the peer's effective weight (max_fails 1), so it loses the next ties", () => {
    // Pick 1, all tied: 1, 1, 1 -> b0, gives back 3: b0 -2, b1 1, b2 1. Its request fails: effective_weight
    // 1 - 1/1 = 0 (ngx_http_upstream_free_round_robin_peer). Then, nothing started, all tied:
    //   b0 -2 + 0 = -2 (effective weight back to 1), b1 2, b2 2 -> b1, gives back 0 + 1 + 1 = 2: b1 0.
    //   b0 -1, b1 1, b2 3 -> b2 (0).   b0 0, b1 2, b2 1 -> b1 (-1).   b0 1, b1 0, b2 2 -> b2 (-1).   b0 2 -> b0.
    // With maxFails 0 the failure changes nothing: b1 (-1), then b0 0, b1 0, b2 3 -> b2, then 1, 1, 1 -> b0, ...
    // The old scan: b1, b2, b0, b1, b2 either way.
    const failed = { latencyUs: 1000, success: false } as const;
    const sequences = [1, 0].map((maxFails) => {
      const { balancer } = build({ ...nginx, maxFails }, ids(3));
      expect(startEach(balancer, 1)).toEqual(["b0"]);
      balancer.onRequestEnd("b0", failed);
      return sequence(balancer, 5);
    });
    expect(sequences).toEqual([["b1", "b2", "b1", "b2", "b0"], ["b1", "b2", "b0", "b1", "b2"]]);
  });

  it("a retry passes over the tried peer: the round robin runs over the others", () => {
    // Avoiding b0 (NGINX `tried`): b1 and b2 tie at 0: b1 1, b2 1 -> b1 (-1); again: b1 0, b2 2 -> b2.
    // The old scan: b1 from b0, then b1 again from b1.
    const { balancer } = build(nginx, ids(3));
    expect(sequence(balancer, 2, { avoid: "b0" })).toEqual(["b1", "b2"]);
  });
});

describe("least-connections variant ipvs (Linux IPVS lc/wlc: the first least loaded, newest destination first)", () => {
  const ipvs = { algorithm: "least-connections", variant: "ipvs" } as const;

  it("three idle servers: ties go to the backend added last, whatever happened before", () => {
    // The destination list is b2, b1, b0 (list_add_rcu at the head). Pick 1: all at 0 -> b2; pick 2: b1 and b0 at
    // 0, b1 first -> b1; pick 3: b0. All end (in any order): all at 0 again -> b2, b1, b0. No state of its own.
    // The old scan: b0, b1, b2 both times.
    const { balancer } = build(ipvs, ids(3));
    expect(startEach(balancer, 3)).toEqual(["b2", "b1", "b0"]);
    for (const id of ["b2", "b0", "b1"]) balancer.onRequestEnd(id, OK);
    expect(startEach(balancer, 3)).toEqual(["b2", "b1", "b0"]);
    // Picks that start nothing stay on the first least loaded: b2. (The old scan rotated.)
    expect(sequence(balancer, 3)).toEqual(["b2", "b2", "b2"]);
  });

  it("weighted (wlc): equal connections per weight keep the first in the list; a new backend goes first", () => {
    // A weight 2 with 2 connections, B weight 1 with 1: the walk starts at B (added last); A replaces it only if
    // loh x w_A > doh x w_B, 1 x 2 > 2 x 1: no. So B. Then C (weight 1, added now, 0 connections) heads the list.
    // The old scan took A (the rotation's start, tied at 1 per weight).
    const { balancer } = build(ipvs, [{ id: "A", weight: 2 }, { id: "B", weight: 1 }]);
    balancer.onRequestStart("A");
    balancer.onRequestStart("A");
    balancer.onRequestStart("B");
    expect(balancer.pick().backend!.id).toBe("B");
    balancer.addBackend({ id: "C", weight: 1 });
    expect(balancer.pick().backend!.id).toBe("C");
  });

  it("passes over a full (overloaded) destination and a retry's avoided one", () => {
    // b2 at its connection limit (IP_VS_DEST_F_OVERLOAD) is skipped: b1 is the first least loaded after it; a retry
    // avoiding b1 takes b0. The old scan took b0 for the first as well (its rotation's start).
    const { balancer } = build(ipvs, ["b0", "b1", { id: "b2", maxConnections: 1 }]);
    balancer.onRequestStart("b2");
    expect(balancer.pick().backend!.id).toBe("b1");
    expect(balancer.pick({ avoid: "b1" }).backend!.id).toBe("b0");
  });
});

describe("least-connections variants beside the real proxies", () => {
  // Measured on loopback (30 November 2026): three servers s1-s3, `balance leastconn` (HAProxy 2.6.12, nbthread 1)
  // and `least_conn` (NGINX 1.22.1, worker_processes 1). Six requests one at a time, then three times: three
  // overlapping requests of 300, 500 and 100 ms sent 50 ms apart (they end third, first, second), then three one at
  // a time. The real proxies' picks, as curl saw them, are the expected values; the old rotation gave s1 s2 s3
  // after every trial.
  const REAL = {
    haproxy: ["s1 s2 s3 s1 s2 s3", "s1 s2 s3 | s3 s1 s2", "s3 s1 s2 | s2 s3 s1", "s2 s3 s1 | s1 s2 s3"],
    nginx: ["s1 s2 s3 s1 s2 s3", "s1 s2 s3 | s3 s2 s3", "s1 s2 s3 | s3 s2 s1", "s3 s2 s1 | s1 s2 s3"],
  } as const;

  for (const variant of ["haproxy", "nginx"] as const) {
    it(`${variant}: the same 24 picks as the real proxy`, () => {
      const { balancer } = build({ algorithm: "least-connections", variant }, ["s1", "s2", "s3"]);
      const one = () => {
        const b = balancer.pick().backend!;
        balancer.onRequestStart(b);
        balancer.onRequestEnd(b, OK);
        return b.id;
      };
      const lines = [Array.from({ length: 6 }, one).join(" ")];
      for (let trial = 0; trial < 3; trial++) {
        const overlapping = startEach(balancer, 3);
        for (const i of [2, 0, 1]) balancer.onRequestEnd(overlapping[i]!, OK);
        lines.push(`${overlapping.join(" ")} | ${Array.from({ length: 3 }, one).join(" ")}`);
      }
      expect(lines).toEqual(REAL[variant]);
    });
  }
});
