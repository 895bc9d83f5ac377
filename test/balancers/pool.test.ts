// Proves the pool semantics every algorithm shares: backups only while no primary is up, "none available"
// values with the right reason, runtime membership and weights, and hooks that tolerate removed backends.
import { describe, expect, it } from "vitest";
import { ALGORITHMS, createBalancer } from "../../src/balancers/index.js";
import { build, fakeClock, ids, sequence } from "./helpers.js";
import { Rng } from "../../src/engine/rng.js";

describe("backup backends", () => {
  it("take traffic only when every primary is unavailable", () => {
    const { balancer } = build({ algorithm: "round-robin" }, ["p1", "p2", { id: "bk", backup: true }]);
    expect(sequence(balancer, 4)).not.toContain("bk");
    balancer.setHealth("p1", "unhealthy");
    expect(new Set(sequence(balancer, 4))).toEqual(new Set(["p2"]));
    balancer.setHealth("p2", "draining");
    expect(new Set(sequence(balancer, 4))).toEqual(new Set(["bk"]));
    balancer.setHealth("p2", "healthy");
    expect(new Set(sequence(balancer, 4))).toEqual(new Set(["p2"]));
  });

  it("do not wake up because primaries are merely full", () => {
    const { balancer } = build({ algorithm: "least-connections" }, [{ id: "p", maxConnections: 1 }, { id: "bk", backup: true }]);
    balancer.onRequestStart("p");
    expect(balancer.pick()).toEqual({ backend: null, reason: "all-full" });
  });

  it("work for every algorithm", () => {
    for (const algorithm of ALGORITHMS) {
      const { balancer } = build({ algorithm }, ["p", { id: "bk", backup: true }]);
      expect(balancer.pick({ clientAddress: "10.0.0.1", sessionCookie: "s" }).backend!.id).toBe("p");
      balancer.setHealth("p", "unhealthy");
      expect([algorithm, balancer.pick({ clientAddress: "10.0.0.1", sessionCookie: "s" }).backend!.id]).toEqual([algorithm, "bk"]);
    }
  });
});

describe("hasRoom: whether a pick can succeed, for hosts that queue", () => {
  it("agrees with pick for every algorithm: a healthy backup, a weight-0 primary and full primaries are no room", () => {
    for (const algorithm of ALGORITHMS) {
      const ctx = { clientAddress: "10.0.0.1", sessionCookie: "s" };
      const { balancer } = build({ algorithm }, [{ id: "p1", maxConnections: 1 }, { id: "p2", maxConnections: 1 }, { id: "bk", backup: true }]);
      expect([algorithm, balancer.hasRoom()]).toEqual([algorithm, true]);
      balancer.onRequestStart("p1");
      balancer.setWeightFactor("p2", 0); // slow start's first instant: healthy, but not up
      // p1 is full, p2 weighs nothing, and the free backup sleeps while a primary is up: no room, and pick agrees.
      expect([algorithm, balancer.hasRoom(), balancer.pick(ctx).backend]).toEqual([algorithm, false, null]);
      balancer.setWeightFactor("p2", 0.5);
      expect([algorithm, balancer.hasRoom(), balancer.pick(ctx).backend?.id]).toEqual([algorithm, true, "p2"]);
    }
  });
});

describe("no backend available", () => {
  it("is a value with a reason, never an exception", () => {
    for (const algorithm of ALGORITHMS) {
      const clock = fakeClock();
      const balancer = createBalancer({ algorithm }, { clock, rng: Rng.root(1).fork("none") });
      expect(balancer.pick({ hashKey: "k" })).toEqual({ backend: null, reason: "no-backends" });
      balancer.addBackend({ id: "x" });
      balancer.setHealth("x", "unhealthy");
      expect(balancer.pick({ hashKey: "k" })).toEqual({ backend: null, reason: "all-unavailable" });
    }
  });
});

describe("runtime changes", () => {
  it("removing a backend with requests in flight lets them end without error", () => {
    const { balancer } = build({ algorithm: "least-connections" }, ids(2));
    const b = balancer.pick().backend!;
    balancer.onRequestStart(b);
    balancer.removeBackend(b.id);
    expect(b.member).toBe(false);
    balancer.onRequestEnd(b, { latencyUs: 10, success: false });
    balancer.onRequestEnd("never-existed", { latencyUs: 10, success: false });
    expect(b.inFlight).toBe(0);
    expect(balancer.size).toBe(1);
  });

  it("a re-added id is a fresh backend; the old record's requests still end on the old record", () => {
    const { balancer } = build({ algorithm: "round-robin" }, ["a"]);
    const old = balancer.pick().backend!;
    balancer.onRequestStart(old);
    balancer.removeBackend("a");
    balancer.addBackend({ id: "a" });
    balancer.onRequestEnd(old, { latencyUs: 1, success: true });
    expect(balancer.backend("a")!.inFlight).toBe(0);
    expect(old.inFlight).toBe(0);
  });

  it("rejects bad configuration loudly (programmer errors), not at pick time", () => {
    const { balancer } = build({ algorithm: "round-robin" }, ["a"]);
    expect(() => balancer.addBackend({ id: "a" })).toThrow(/already/);
    expect(() => balancer.setWeight("a", 1.5)).toThrow(/integer/);
    expect(() => balancer.setWeightFactor("a", 2)).toThrow(/\[0, 1\]/);
    expect(() => balancer.setHealth("zz", "healthy")).toThrow(/unknown backend/);
    expect(() => build({ algorithm: "nope" } as never, ["a"])).toThrow(/unknown balancer algorithm/);
  });

  it("weight 0 takes a backend out of rotation (HAProxy)", () => {
    const { balancer } = build({ algorithm: "random" }, ids(3));
    balancer.setWeight("b1", 0);
    expect(sequence(balancer, 200)).not.toContain("b1");
  });

  it("the slow-start factor shapes weighted picks (P2C, Envoy weighting)", () => {
    // Both idle: cost = (0+1) / effective weight; factor 0.25 on a weight-4 backend makes it 1, below b's 2.
    // The distinct variant compares both every pick, so the heavier effective weight always wins.
    const { balancer } = build({ algorithm: "power-of-two-choices", variant: "distinct" }, [{ id: "a", weight: 4 }, { id: "b", weight: 2 }]);
    expect(new Set(sequence(balancer, 50))).toEqual(new Set(["a"]));
    balancer.setWeightFactor("a", 0.25);
    expect(new Set(sequence(balancer, 50))).toEqual(new Set(["b"]));
  });

  it("reports picks and misses", () => {
    const { balancer } = build({ algorithm: "round-robin" }, ["a"]);
    balancer.pick();
    balancer.setHealth("a", "unhealthy");
    balancer.pick();
    expect(balancer.stats()).toEqual({ picks: 1, noBackend: 1, picker: {} });
  });
});
