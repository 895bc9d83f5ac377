// Proves P2C draws distinct choices (derived shares with one busy host), or independent draws as HAProxy random(2)
// makes them, honours Envoy's weighted cost, and that weighted random matches its weights; all statistical checks use a fixed seed and a 4-standard-error tolerance.
import { describe, expect, it } from "vitest";
import { build, ids, sequence, tally } from "./helpers.js";

describe("power-of-two-choices", () => {
  it("one busy host of three: distinct choices give 50 / 50 / 0 %", () => {
    // With replacement the busy host c would win only when both draws are c: 1/9 = 11.1%, leaving 44.4% each to
    // a and b. With distinct choices (Mitzenmacher, NGINX random two) the pair is one of {a,b}, {a,c}, {b,c}, each 1/3.
    // c loses every pair it is in, so c gets exactly 0. a wins {a,c} (1/3) and half of {a,b} (tie, first drawn,
    // 1/6): 1/3 + 1/6 = 1/2, and b likewise. N = 30000 picks, loads held fixed (no start hooks):
    // SE = sqrt(0.5 x 0.5 / 30000) = 0.0029; tolerance 4 SE = 0.0116.
    const { balancer } = build({ algorithm: "power-of-two-choices" }, ["a", "b", "c"], "p2c-busy");
    for (let i = 0; i < 10; i++) balancer.onRequestStart("c");
    const n = 30_000;
    const counts = tally(balancer, n);
    expect(counts.get("c")).toBeUndefined();
    expect(Math.abs(counts.get("a")! / n - 0.5)).toBeLessThan(0.0116);
    expect(Math.abs(counts.get("b")! / n - 0.5)).toBeLessThan(0.0116);
  });

  it("with replacement (HAProxy random(2)): the busy host wins only when both draws are it, ties go to the later draw", () => {
    // HAProxy backend.c get_server_rnd: two independent draws; the later draw is kept unless strictly more loaded.
    // Ordered draws over {a, b, c}, c busy: c wins only (c, c) = 1/9; a wins (a,a), (b,a), (a,c), (c,a) = 4/9 (the
    // tie (a,b) goes to b); b likewise 4/9. N = 30000: SE(c) = sqrt(1/9 x 8/9 / 30000) = 0.0018, tolerance 4 SE =
    // 0.0073; SE(a) = sqrt(4/9 x 5/9 / 30000) = 0.0029, tolerance 0.0115.
    const { balancer } = build({ algorithm: "power-of-two-choices", draws: "with-replacement" }, ["a", "b", "c"], "p2c-replace");
    for (let i = 0; i < 10; i++) balancer.onRequestStart("c");
    const n = 30_000;
    const counts = tally(balancer, n);
    expect(Math.abs(counts.get("c")! / n - 1 / 9)).toBeLessThan(0.0073);
    expect(Math.abs(counts.get("a")! / n - 4 / 9)).toBeLessThan(0.0115);
    expect(Math.abs(counts.get("b")! / n - 4 / 9)).toBeLessThan(0.0115);
  });

  it("with two backends the less loaded always wins (the two choices are never the same host)", () => {
    const { balancer } = build({ algorithm: "power-of-two-choices" }, ["a", "b"], "p2c-two");
    balancer.onRequestStart("b");
    expect(new Set(sequence(balancer, 1000))).toEqual(new Set(["a"]));
  });

  it("choiceCount = pool size is deterministic least-loaded", () => {
    const { balancer } = build({ algorithm: "power-of-two-choices", choiceCount: 4 }, ids(4), "p2c-all");
    for (const id of ["b0", "b1", "b3"]) balancer.onRequestStart(id);
    expect(new Set(sequence(balancer, 200))).toEqual(new Set(["b2"]));
  });

  it("Envoy weighting: weight / (active + 1)^bias", () => {
    // big: weight 4, active 2 -> 4/3 = 1.33; small: weight 1, active 0 -> 1/1. big wins with bias 1.
    const { balancer } = build({ algorithm: "power-of-two-choices" }, [{ id: "big", weight: 4 }, { id: "small", weight: 1 }]);
    balancer.onRequestStart("big");
    balancer.onRequestStart("big");
    expect(new Set(sequence(balancer, 100))).toEqual(new Set(["big"]));
    // Bias 2: 4/9 = 0.44 < 1, so small wins.
    const biased = build({ algorithm: "power-of-two-choices", activeRequestBias: 2 }, [{ id: "big", weight: 4 }, { id: "small", weight: 1 }]).balancer;
    biased.onRequestStart("big");
    biased.onRequestStart("big");
    expect(new Set(sequence(biased, 100))).toEqual(new Set(["small"]));
  });

  it("is reproducible: same seed, same picks", () => {
    const run = () => sequence(build({ algorithm: "power-of-two-choices" }, ids(10), "repro").balancer, 50, {}).join(",");
    expect(run()).toBe(run());
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
