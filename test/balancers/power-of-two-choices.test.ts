// Proves each P2C variant's draw and comparison against shares derived in the comments (Envoy with replacement
// and EDF, HAProxy random(2)'s comparison on its hash tree, Mitzenmacher's distinct pair) and that weighted random matches its weights;
// statistical checks use a fixed seed and a 4-standard-error tolerance.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { build, ids, sequence, tally } from "./helpers.js";

describe("power-of-two-choices, distinct (Mitzenmacher, Finagle)", () => {
  it("one busy host of three: distinct choices give 50 / 50 / 0 %", () => {
    // The pair is one of {a,b}, {a,c}, {b,c}, each 1/3. c loses every pair it is in, so c gets exactly 0. a wins
    // {a,c} (1/3) and half of {a,b} (tie, first drawn, 1/6): 1/3 + 1/6 = 1/2, and b likewise. N = 30000 picks,
    // loads held fixed (no start hooks): SE = sqrt(0.5 x 0.5 / 30000) = 0.0029; tolerance 4 SE = 0.0116.
    const { balancer } = build({ algorithm: "power-of-two-choices", variant: "distinct" }, ["a", "b", "c"], "p2c-busy");
    for (let i = 0; i < 10; i++) balancer.onRequestStart("c");
    const n = 30_000;
    const counts = tally(balancer, n);
    expect(counts.get("c")).toBeUndefined();
    expect(Math.abs(counts.get("a")! / n - 0.5)).toBeLessThan(0.0116);
    expect(Math.abs(counts.get("b")! / n - 0.5)).toBeLessThan(0.0116);
  });

  it("with two backends the less loaded always wins (the two choices are never the same host)", () => {
    const { balancer } = build({ algorithm: "power-of-two-choices", variant: "distinct" }, ["a", "b"], "p2c-two");
    balancer.onRequestStart("b");
    expect(new Set(sequence(balancer, 1000))).toEqual(new Set(["a"]));
  });

  it("choiceCount = pool size is deterministic least-loaded", () => {
    const { balancer } = build({ algorithm: "power-of-two-choices", variant: "distinct", choiceCount: 4 }, ids(4), "p2c-all");
    for (const id of ["b0", "b1", "b3"]) balancer.onRequestStart(id);
    expect(new Set(sequence(balancer, 200))).toEqual(new Set(["b2"]));
  });

  it("a weight-5 backend among nine weight-1 gets only the pairs it is in: 2/10, not 5/14", () => {
    // Idle: cost (0 + 1) / weight, so the heavy one wins every pair it is drawn into, P = 1 - (9/10)(8/9) = 0.2.
    // N = 40000: SE = sqrt(0.2 x 0.8 / 40000) = 0.002; tolerance 4 SE = 0.008.
    const { balancer } = build({ algorithm: "power-of-two-choices", variant: "distinct" }, heavyAmongNine, "p2c-split");
    const n = 40_000;
    expect(Math.abs(tally(balancer, n).get("heavy")! / n - 0.2)).toBeLessThan(0.008);
  });
});

const heavyAmongNine = [{ id: "heavy", weight: 5 }, ...ids(9).map((id) => ({ id, weight: 1 }))];

describe("power-of-two-choices, Envoy least request (the default)", () => {
  it("equal weights draw with replacement: one busy host of three gets 1/9", () => {
    // Draws X then Y, 9 equally likely pairs; Y replaces X only if strictly less loaded. c (busy) wins only (c,c):
    // 1/9. a wins (a,a), (a,b) (tie: first drawn), (a,c), (c,a): 4/9; b likewise. N = 30000: SE(c) =
    // sqrt((1/9)(8/9)/30000) = 0.0018, tolerance 4 SE = 0.0073; SE(a) = 0.0029, tolerance 0.0115.
    const { balancer } = build({ algorithm: "power-of-two-choices" }, ["a", "b", "c"], "envoy-busy");
    for (let i = 0; i < 10; i++) balancer.onRequestStart("c");
    const n = 30_000;
    const counts = tally(balancer, n);
    expect(Math.abs(counts.get("c")! / n - 1 / 9)).toBeLessThan(0.0073);
    expect(Math.abs(counts.get("a")! / n - 4 / 9)).toBeLessThan(0.0115);
  });

  it("with two hosts it compares a host with itself half the time (envoy#11004): the busy one gets 1/4", () => {
    // b busy: b is picked only when both draws are b, 1/4. N = 20000: SE = sqrt(0.25 x 0.75 / 20000) = 0.0031,
    // tolerance 4 SE = 0.0122.
    const { balancer } = build({ algorithm: "power-of-two-choices" }, ["a", "b"], "envoy-two");
    balancer.onRequestStart("b");
    const n = 20_000;
    expect(Math.abs(tally(balancer, n).get("b")! / n - 0.25)).toBeLessThan(0.0122);
  });

  it("unequal weights use the EDF schedule: idle, shares are exactly the weights", () => {
    // Weights 5 and nine 1s, no load: hostWeight = weight / 1, and EDF gives each host weight / total of every
    // whole cycle: 14 x 1000 picks -> heavy exactly 5000 (about 36%), each other 1000.
    const { balancer } = build({ algorithm: "power-of-two-choices" }, heavyAmongNine, "envoy-edf");
    const counts = tally(balancer, 14_000);
    expect(counts.get("heavy")).toBe(5000);
    for (const id of ids(9)) expect(counts.get(id)).toBe(1000);
  });

  it("EDF weight is weight / (active + 1)^bias", () => {
    // big: weight 4, active 2 -> 4/3; small: weight 1, active 0 -> 1. Loads held fixed, so EDF shares are
    // (4/3) / (4/3 + 1) = 4/7 and 3/7: 7000 picks -> 4000 and 3000, within one pick of schedule phase.
    const { balancer } = build({ algorithm: "power-of-two-choices" }, [{ id: "big", weight: 4 }, { id: "small", weight: 1 }]);
    balancer.onRequestStart("big");
    balancer.onRequestStart("big");
    expect(Math.abs(tally(balancer, 7000).get("big")! - 4000)).toBeLessThanOrEqual(1);
    // Bias 2: 4/9 against 1 -> (4/9) / (13/9) = 4/13: 13000 picks -> 4000.
    const biased = build({ algorithm: "power-of-two-choices", activeRequestBias: 2 }, [{ id: "big", weight: 4 }, { id: "small", weight: 1 }]).balancer;
    biased.onRequestStart("big");
    biased.onRequestStart("big");
    expect(Math.abs(tally(biased, 13_000).get("big")! - 4000)).toBeLessThanOrEqual(1);
  });

  it("is reproducible: same seed, same picks", () => {
    const run = () => sequence(build({ algorithm: "power-of-two-choices" }, ids(10), "repro").balancer, 50, {}).join(",");
    expect(run()).toBe(run());
  });
});

describe("power-of-two-choices, HAProxy random(2)", () => {
  // Draws land on HAProxy's consistent-hash tree (shares by arc: test/balancers/haproxy-chash-ring.test.ts); these
  // tests hold the comparison, with loads that make the arcs irrelevant or exactly known.
  it("compares in-flight / weight: a loaded server wins only when both draws land on it", () => {
    // a: weight 3, 3 in flight (3/3 = 1); b: weight 1, idle (0). b wins any pair it is in, so a needs both draws
    // on its arc: P(a) = A^2 where A is a's share of idle draws (its arc), measured first with no load.
    // N = 40000 each: SE(A^2) <= sqrt(0.25 / 40000) = 0.0025 plus 2A x SE(A) <= 0.005; tolerance 0.015 (4 SE).
    const idle = build({ algorithm: "power-of-two-choices", variant: "haproxy" }, [{ id: "a", weight: 3 }, { id: "b", weight: 1 }], "haproxy-load").balancer;
    const n = 40_000;
    const arc = tally(idle, n).get("a")! / n;
    const { balancer } = build({ algorithm: "power-of-two-choices", variant: "haproxy" }, [{ id: "a", weight: 3 }, { id: "b", weight: 1 }], "haproxy-load-2");
    for (let i = 0; i < 3; i++) balancer.onRequestStart("a");
    expect(Math.abs(tally(balancer, n).get("a")! / n - arc * arc)).toBeLessThan(0.015);
  });

  it("a busy server is picked only when every draw lands on it: random(2) over two, one busy", () => {
    // b busy, a idle: b needs both draws on its arc B, P = B^2, and a wins everything else; with random(1) b would
    // get B. Checked as share(b, random(2)) = share(b, random(1) idle)^2 within 0.015 (as above).
    const one = build({ algorithm: "power-of-two-choices", variant: "haproxy", choiceCount: 1 }, ["a", "b"], "haproxy-one").balancer;
    const n = 40_000;
    const arc = tally(one, n).get("b")! / n;
    const { balancer } = build({ algorithm: "power-of-two-choices", variant: "haproxy" }, ["a", "b"], "haproxy-two");
    balancer.onRequestStart("b");
    expect(Math.abs(tally(balancer, n).get("b")! / n - arc * arc)).toBeLessThan(0.015);
  });
});

describe("random", () => {
  it("weights 3:1 give shares 75 / 25 %", () => {
    // P(a) = 3 / (3 + 1) = 0.75. N = 40000: SE = sqrt(0.75 x 0.25 / 40000) = 0.00217; tolerance 4 SE = 0.0087.
    const { balancer } = build({ algorithm: "random" }, [{ id: "a", weight: 3 }, { id: "b", weight: 1 }], "random-w");
    const n = 40_000;
    const share = tally(balancer, n).get("a")! / n;
    expect(Math.abs(share - 0.75)).toBeLessThan(0.0087);
  });

  it("equal weights are uniform over three backends", () => {
    // P = 1/3 each. N = 30000: SE = sqrt((1/3)(2/3)/30000) = 0.00272; tolerance 4 SE = 0.0109.
    const { balancer } = build({ algorithm: "random" }, ids(3), "random-u");
    const n = 30_000;
    const counts = tally(balancer, n);
    for (const id of ids(3)) expect(Math.abs(counts.get(id)! / n - 1 / 3)).toBeLessThan(0.0109);
  });
});

describe("power-of-two-choices, the distinct pair's shortcut for equal weights", () => {
  it("comparing in-flight counts orders backends exactly as (load + 1) / weight does (property)", () => {
    // pickDistinctPair skips the two divisions when both weights are equal: for integer loads x, y and a weight w > 0,
    // (x + 1) / w < (y + 1) / w must hold exactly when x < y. Division by one positive double is monotonic, and
    // integers below 2^31 differ by at least 1 part in 2^31, far more than a double's rounding (2^-53), so two
    // distinct quotients never round together. Checked on the weights slow start makes (factors down to 1%).
    fc.assert(
      fc.property(fc.nat(2 ** 31), fc.nat(2 ** 31), fc.constantFrom(1, 2, 3, 7, 100, 0.01, 1 / 3, 0.37, 1e-6), (x, y, w) => {
        expect((x + 1) / w < (y + 1) / w).toBe(x < y);
      }),
      { seed: 20261130, numRuns: 2000 },
    );
  });
});
