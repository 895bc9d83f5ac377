// Proves ip-hash reproduces NGINX's hash, puts a whole /24 on one backend (the NAT effect), rehashes only the
// clients of a down backend, and that the whole-address variant spreads a /24.
import { describe, expect, it } from "vitest";
import { build, ids } from "./helpers.js";

const subnet = (prefix: string) => Array.from({ length: 256 }, (_, i) => `${prefix}.${i}`);

describe("ip-hash", () => {
  it("computes NGINX's hash: 89, then (h * 113 + octet) % 6271 over three octets", () => {
    // 1.2.3.x: (89*113+1)%6271 = 3787; (3787*113+2)%6271 = 1505; (1505*113+3)%6271 = 751; 751 % 4 = 3.
    const { balancer } = build({ algorithm: "ip-hash" }, ids(4));
    expect(balancer.pick({ clientAddress: "1.2.3.4" }).backend!.id).toBe("b3");
    expect(balancer.pick({ clientAddress: "::ffff:1.2.3.200" }).backend!.id).toBe("b3");
  });

  it("puts a whole /24 on one backend", () => {
    const { balancer } = build({ algorithm: "ip-hash" }, ids(5));
    for (const prefix of ["203.0.113", "198.51.100", "10.1.2"]) {
      const owners = new Set(subnet(prefix).map((a) => balancer.pick({ clientAddress: a }).backend!.id));
      expect(owners.size).toBe(1);
    }
  });

  it("different /24s spread over every backend", () => {
    const { balancer } = build({ algorithm: "ip-hash" }, ids(5));
    const owners = new Set(Array.from({ length: 200 }, (_, i) => balancer.pick({ clientAddress: `10.${i}.7.9` }).backend!.id));
    expect(owners).toEqual(new Set(ids(5)));
  });

  it("whole-address hashing spreads a /24", () => {
    const { balancer } = build({ algorithm: "ip-hash", wholeAddress: true }, ids(5));
    const owners = new Set(subnet("203.0.113").map((a) => balancer.pick({ clientAddress: a }).backend!.id));
    expect(owners).toEqual(new Set(ids(5)));
  });

  it("a down backend's clients rehash to another backend; everyone else stays", () => {
    const { balancer } = build({ algorithm: "ip-hash" }, ids(5));
    const clients = Array.from({ length: 300 }, (_, i) => `172.16.${i}.1`);
    const before = clients.map((a) => balancer.pick({ clientAddress: a }).backend!.id);
    balancer.setHealth("b2", "unhealthy");
    const after = clients.map((a) => balancer.pick({ clientAddress: a }).backend!.id);
    let moved = 0;
    for (let i = 0; i < clients.length; i++) {
      if (before[i] === "b2") {
        expect(after[i]).not.toBe("b2");
        moved++;
      } else {
        expect(after[i]).toBe(before[i]);
      }
    }
    expect(moved).toBeGreaterThan(0);
  });

  it("non-IPv4 addresses still map stably", () => {
    const { balancer } = build({ algorithm: "ip-hash" }, ids(3));
    const first = balancer.pick({ clientAddress: "2001:db8::1" }).backend!.id;
    for (let i = 0; i < 5; i++) expect(balancer.pick({ clientAddress: "2001:db8::1" }).backend!.id).toBe(first);
  });
});
