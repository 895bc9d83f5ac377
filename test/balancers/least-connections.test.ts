// Proves least-connections picks the fewest in flight (per weight), counts queued requests when asked, and (by
// default, NGINX's round robin among tied peers) spreads ties instead of always taking the first backend.
import { describe, expect, it } from "vitest";
import { build, ids, sequence } from "./helpers.js";

describe("least-connections", () => {
  it("takes tied idle backends in turn (NGINX: smooth weighted round robin among the tied peers)", () => {
    const { balancer } = build({ algorithm: "least-connections" }, ids(3));
    expect(sequence(balancer, 6)).toEqual(["b0", "b1", "b2", "b0", "b1", "b2"]);
  });

  it("spreads over the tied subset too, never the first one every time", () => {
    const { balancer } = build({ algorithm: "least-connections" }, ids(4));
    balancer.onRequestStart("b0");
    const picks = sequence(balancer, 12);
    expect(picks).not.toContain("b0");
    for (const id of ["b1", "b2", "b3"]) expect(picks.filter((p) => p === id).length).toBeGreaterThanOrEqual(3);
  });

  it("sends each new request to the backend with the fewest in flight", () => {
    const { balancer } = build({ algorithm: "least-connections" }, ids(3));
    for (let i = 0; i < 5; i++) balancer.onRequestStart("b0");
    for (let i = 0; i < 2; i++) balancer.onRequestStart("b1");
    const placed: string[] = [];
    for (let i = 0; i < 4; i++) {
      const picked = balancer.pick().backend!;
      balancer.onRequestStart(picked);
      placed.push(picked.id);
    }
    // b2 climbs 0->2 alone, then ties b1 at 2 and they alternate; b0 at 5 is never chosen.
    expect(placed.slice(0, 2)).toEqual(["b2", "b2"]);
    expect(new Set(placed.slice(2))).toEqual(new Set(["b1", "b2"]));
    expect(balancer.backend("b0")!.inFlight).toBe(5);
  });

  it("weighted form compares in-flight / weight", () => {
    const { balancer } = build({ algorithm: "least-connections" }, [{ id: "big", weight: 4 }, { id: "small", weight: 1 }]);
    for (let i = 0; i < 3; i++) balancer.onRequestStart("big"); // 3/4 < 1/1
    balancer.onRequestStart("small");
    expect(balancer.pick().backend!.id).toBe("big");
    balancer.onRequestStart("big"); // 4/4 = 1/1: a tie, the round robin among tied peers decides
    balancer.onRequestStart("big"); // 5/4 > 1/1
    expect(balancer.pick().backend!.id).toBe("small");
  });

  it("counts queued requests only with countQueued (HAProxy leastconn)", () => {
    const plain = build({ algorithm: "least-connections" }, ids(2)).balancer;
    const haproxy = build({ algorithm: "least-connections", countQueued: true }, ids(2)).balancer;
    for (const balancer of [plain, haproxy]) {
      balancer.onRequestStart("b1");
      balancer.setQueued("b0", 5);
    }
    expect(sequence(plain, 3)).toEqual(["b0", "b0", "b0"]);
    expect(sequence(haproxy, 3)).toEqual(["b1", "b1", "b1"]);
  });

  it("request end frees the slot", () => {
    const { balancer } = build({ algorithm: "least-connections" }, ids(2));
    const first = balancer.pick().backend!;
    balancer.onRequestStart(first);
    expect(balancer.pick().backend!.id).not.toBe(first.id);
    balancer.onRequestEnd(first, { latencyUs: 1000, success: true });
    expect(balancer.backend(first.id)!.inFlight).toBe(0);
  });
});
