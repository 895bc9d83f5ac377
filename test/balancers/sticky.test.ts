// Proves sticky sessions keep a session on its backend, expire after the idle TTL, rebind (and count the lost
// sessions) when the backend leaves or goes down, overflow without rebinding when it is full, and bound the table.
import { describe, expect, it } from "vitest";
import type { StickyStats } from "../../src/balancers/index.js";
import { build, ids } from "./helpers.js";

const SECOND = 1_000_000;
const stats = (s: Readonly<Record<string, number>>) => s as StickyStats;

describe("sticky", () => {
  it("keeps each session on the backend it was first given", () => {
    const { balancer } = build({ algorithm: "sticky", base: { algorithm: "round-robin" } }, ids(3));
    const first = ["s1", "s2", "s3"].map((s) => balancer.pick({ sessionCookie: s }).backend!.id);
    expect(first).toEqual(["b0", "b1", "b2"]);
    for (let i = 0; i < 5; i++) expect(balancer.pick({ sessionCookie: "s2" }).backend!.id).toBe("b1");
    expect(stats(balancer.stats().picker)).toMatchObject({ sessionsCreated: 3, sessionsRebound: 0, sessions: 3 });
  });

  it("forgets a binding idle for the TTL; use within the TTL refreshes it", () => {
    const { balancer, clock } = build({ algorithm: "sticky", ttlUs: 10 * SECOND }, ids(3));
    expect(balancer.pick({ sessionCookie: "s" }).backend!.id).toBe("b0");
    clock.t = 9 * SECOND; // still bound; refreshed
    expect(balancer.pick({ sessionCookie: "s" }).backend!.id).toBe("b0");
    clock.t = 18 * SECOND; // 9 s after the refresh: still bound
    expect(balancer.pick({ sessionCookie: "s" }).backend!.id).toBe("b0");
    clock.t = 28 * SECOND; // 10 s idle: expired, placed afresh by round robin (b1 next)
    expect(balancer.pick({ sessionCookie: "s" }).backend!.id).toBe("b1");
    expect(stats(balancer.stats().picker)).toMatchObject({ sessionsCreated: 2, sessionsExpired: 1, sessionsRebound: 0 });
  });

  it("rebinds and counts sessions whose backend left or went down", () => {
    const { balancer } = build({ algorithm: "sticky", base: { algorithm: "least-connections" } }, ids(3));
    const owners = new Map<string, string>();
    for (let i = 0; i < 9; i++) owners.set(`s${i}`, balancer.pick({ sessionCookie: `s${i}` }).backend!.id);
    balancer.removeBackend("b0");
    balancer.setHealth("b1", "unhealthy");
    for (const session of owners.keys()) expect(balancer.pick({ sessionCookie: session }).backend!.id).toBe("b2");
    const lost = [...owners.values()].filter((id) => id !== "b2").length;
    expect(lost).toBe(6);
    expect(stats(balancer.stats().picker)).toMatchObject({ sessionsRebound: 6, sessionsCreated: 9 });
    // Rebinding sticks: b1 coming back does not pull the sessions back.
    balancer.setHealth("b1", "healthy");
    for (const session of owners.keys()) expect(balancer.pick({ sessionCookie: session }).backend!.id).toBe("b2");
  });

  it("a full backend overflows this request but keeps the binding", () => {
    const { balancer } = build({ algorithm: "sticky" }, [{ id: "a", maxConnections: 1 }, "b"]);
    const a = balancer.pick({ sessionCookie: "s" }).backend!;
    balancer.onRequestStart(a);
    expect(balancer.pick({ sessionCookie: "s" }).backend!.id).toBe("b");
    balancer.onRequestEnd(a, { latencyUs: 5, success: true });
    expect(balancer.pick({ sessionCookie: "s" }).backend!.id).toBe("a");
    expect(stats(balancer.stats().picker)).toMatchObject({ sessionsOverflowed: 1, sessionsRebound: 0 });
  });

  it("bounds the session table, evicting expired entries first and then the least recently used", () => {
    const { balancer, clock } = build({ algorithm: "sticky", ttlUs: 10 * SECOND, maxSessions: 3 }, ids(2));
    for (const s of ["a", "b", "c"]) balancer.pick({ sessionCookie: s });
    clock.t = 11 * SECOND; // a, b, c all idle past the TTL
    balancer.pick({ sessionCookie: "d" });
    expect(stats(balancer.stats().picker)).toMatchObject({ sessions: 1, sessionsExpired: 3, sessionsEvicted: 0 });
    for (const s of ["e", "f", "g"]) balancer.pick({ sessionCookie: s });
    expect(stats(balancer.stats().picker)).toMatchObject({ sessions: 3, sessionsEvicted: 1 });
    for (let i = 0; i < 1000; i++) balancer.pick({ sessionCookie: `many-${i}` });
    expect(stats(balancer.stats().picker).sessions).toBe(3);
  });

  it("requests without a cookie use the base algorithm and bind nothing", () => {
    const { balancer } = build({ algorithm: "sticky" }, ids(2));
    expect([balancer.pick().backend!.id, balancer.pick().backend!.id]).toEqual(["b0", "b1"]);
    expect(stats(balancer.stats().picker).sessions).toBe(0);
  });
});
