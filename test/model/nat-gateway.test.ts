// Proves a NAT gateway refuses connections once its source ports run out, keeps a closed port unusable for
// the reuse delay, returns ports in release order, caps connection churn at ports per delay, and is
// deterministic; and that the IPv4 helpers round-trip.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvariantError } from "../../src/engine/invariant.js";
import { Rng } from "../../src/engine/rng.js";
import {
  AWS_NAT_PORTS_PER_DESTINATION, FIRST_NAT_PORT, NatGateway, formatIpv4, ipv4, parseIpv4,
} from "../../src/model/nat-gateway.js";

const S = 1_000_000;
const MS = 1000;

function nat(ports: number, portReuseDelayUs: number): NatGateway {
  return new NatGateway({ publicAddress: "203.0.113.7", ports, portReuseDelayUs });
}

describe("NatGateway", () => {
  it("refuses the (ports + 1)th concurrent connection and counts it", () => {
    const gateway = nat(3, S);
    expect([gateway.open(0), gateway.open(0), gateway.open(5)]).toEqual([FIRST_NAT_PORT, FIRST_NAT_PORT + 1, FIRST_NAT_PORT + 2]);
    expect(gateway.open(7)).toBe(-1);
    expect(gateway.open(8)).toBe(-1);
    expect(gateway.exhaustedCount).toBe(2);
    expect(gateway.inUse).toBe(3);
    expect(gateway.available(8)).toBe(0);
    expect(gateway.publicAddress).toBe("203.0.113.7");
  });

  it("holds AWS's documented 55,000 connections per destination, and not one more", () => {
    const gateway = nat(AWS_NAT_PORTS_PER_DESTINATION, 0);
    for (let i = 0; i < AWS_NAT_PORTS_PER_DESTINATION; i++) expect(gateway.open(i)).toBe(FIRST_NAT_PORT + i);
    expect(gateway.open(AWS_NAT_PORTS_PER_DESTINATION)).toBe(-1);
  });

  it("keeps a closed port unusable until the reuse delay has passed", () => {
    const delay = 60 * S;
    const gateway = nat(2, delay);
    gateway.open(0);
    const port = gateway.open(0);
    gateway.close(port, 100);
    expect(gateway.inUse).toBe(1);
    expect(gateway.coolingDown(100)).toBe(1);
    expect(gateway.open(100 + delay - 1)).toBe(-1);
    expect(gateway.coolingDown(100 + delay - 1)).toBe(1);
    expect(gateway.coolingDown(100 + delay)).toBe(0);
    expect(gateway.open(100 + delay)).toBe(port);
  });

  it("reuses a port at once when the delay is 0", () => {
    const gateway = nat(1, 0);
    const port = gateway.open(0);
    gateway.close(port, 10);
    expect(gateway.open(10)).toBe(port);
  });

  it("hands out never-used ports first, then released ports in release order", () => {
    const gateway = nat(5, 10);
    const [a, b, c, d] = [gateway.open(0), gateway.open(0), gateway.open(0), gateway.open(0)];
    gateway.close(c, 1);
    gateway.close(a, 2);
    gateway.close(d, 3);
    expect(gateway.open(20)).toBe(FIRST_NAT_PORT + 4); // the one never used
    expect([gateway.open(20), gateway.open(20), gateway.open(20), gateway.open(20)]).toEqual([c, a, d, -1]);
    expect(b).toBe(FIRST_NAT_PORT + 1);
  });

  it("caps churn without keepalive at ports per reuse delay: 100 ports, 60 s, a new connection every 10 ms", () => {
    // Each connection lasts 1 ms, so a port opened at t is ready again at t + 60.001 s and is next taken by the
    // attempt at t + 60.01 s. No port can open twice within 60 s, so any 60 s window holds at most 100 opens.
    // Over 300 s the opens come in 5 bursts of 100 (starting at 0, 60.01, 120.02, 180.03 and 240.04 s):
    // exactly 500 of the 30,000 attempts succeed.
    const gateway = nat(100, 60 * S);
    const opens: number[] = [];
    for (let t = 0; t < 300 * S; t += 10 * MS) {
      const port = gateway.open(t);
      if (port < 0) continue;
      opens.push(t);
      gateway.close(port, t + MS);
    }
    expect(opens.length).toBe(500);
    expect(gateway.exhaustedCount).toBe(30_000 - 500);
    for (let i = 100; i < opens.length; i++) expect(opens[i]! - opens[i - 100]!).toBeGreaterThan(60 * S);
    expect(opens[100]).toBe(60_010 * MS);
  });

  it("accounts for every port and never hands out an open one, under any open/close sequence (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(2000), fc.nat(50)), { maxLength: 300 }), fc.integer({ min: 1, max: 20 }), fc.nat(5000), (steps, ports, delay) => {
        const gateway = nat(ports, delay);
        const open: number[] = [];
        let now = 0;
        for (const [wantOpen, advance, pick] of steps) {
          now += advance;
          if (wantOpen || open.length === 0) {
            const port = gateway.open(now);
            if (port >= 0) {
              if (open.includes(port)) return false;
              open.push(port);
            }
          } else {
            gateway.close(open.splice(pick % open.length, 1)[0]!, now);
          }
          if (gateway.inUse !== open.length) return false;
          if (gateway.inUse + gateway.coolingDown(now) + gateway.available(now) !== ports) return false;
        }
        return true;
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it("gives the same ports for the same sequence of calls (a random workload, run twice)", () => {
    const run = (seed: number): number[] => {
      const rng = Rng.root(seed).fork("nat");
      const gateway = nat(50, 5 * S);
      const open: number[] = [];
      const issued: number[] = [];
      let now = 0;
      for (let i = 0; i < 20_000; i++) {
        now += rng.int(2000);
        if (open.length > 0 && rng.chance(0.5)) {
          gateway.close(open.splice(rng.int(open.length), 1)[0]!, now);
        } else {
          const port = gateway.open(now);
          issued.push(port);
          if (port >= 0) open.push(port);
        }
      }
      return issued;
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
    expect(run(3)).toContain(-1);
  });

  it("treats closing a port that is not open, or going back in time, as a programmer error", () => {
    const gateway = nat(2, 10);
    const port = gateway.open(5);
    expect(() => gateway.close(FIRST_NAT_PORT + 1, 5)).toThrow(InvariantError);
    expect(() => gateway.close(80, 5)).toThrow(InvariantError);
    expect(() => gateway.close(port, 4)).toThrow(InvariantError);
    gateway.close(port, 6);
    expect(() => gateway.close(port, 7)).toThrow(InvariantError);
    expect(() => gateway.open(6.5)).toThrow(InvariantError);
  });

  it("rejects a bad configuration", () => {
    expect(() => new NatGateway({ publicAddress: "203.0.113", ports: 1, portReuseDelayUs: 0 })).toThrow(RangeError);
    expect(() => nat(0, 0)).toThrow(/ports/);
    expect(() => nat(64_513, 0)).toThrow(/ports/);
    expect(() => nat(1, -1)).toThrow(/portReuseDelayUs/);
    expect(() => nat(1, 0.5)).toThrow(/portReuseDelayUs/);
  });
});

describe("IPv4 helpers", () => {
  it("builds, formats and parses addresses", () => {
    expect(ipv4(10, 1, 2, 3)).toBe(0x0a010203);
    expect(formatIpv4(ipv4(255, 255, 255, 255))).toBe("255.255.255.255");
    expect(formatIpv4(ipv4(10, 1, 0, 7))).toBe("10.1.0.7");
    expect(parseIpv4("203.0.113.7")).toBe(ipv4(203, 0, 113, 7));
    for (const text of ["10.1.0.7", "0.0.0.0", "192.168.100.254"]) expect(formatIpv4(parseIpv4(text))).toBe(text);
  });

  it("rejects what is not a dotted quad", () => {
    for (const text of ["10.1.0", "10.1.0.256", "10.01.0.1", "a.b.c.d", "10.1.0.7 ", "::1", ""]) {
      expect(() => parseIpv4(text), text).toThrow(RangeError);
    }
    expect(() => ipv4(1, 2, 3, 256)).toThrow(RangeError);
    expect(() => formatIpv4(2 ** 32)).toThrow(RangeError);
  });
});
