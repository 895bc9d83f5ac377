// Proves the share metric's `together` option: the named backends are compared as one summed share, `a+b`, and the
// others one by one, so a split that timing decides between identical servers cannot fail a case.
import { describe, expect, it } from "vitest";
import { compareRuns, comparedShares } from "../../src/conform/compare-runs.js";
import type { Measured } from "../../src/conform/measure.js";

describe("comparedShares", () => {
  it("sums the together backends into one share and keeps the others", () => {
    expect(comparedShares({ "app-1": 0.4, "app-2": 0.425, slow: 0.175 }, ["app-1", "app-2"])).toEqual({ "app-1+app-2": 0.825, slow: 0.175 });
    expect(comparedShares({ a: 0.5, b: 0.5 }, undefined)).toEqual({ a: 0.5, b: 0.5 });
  });

  it("passes a 3.2-point split between identical servers that the world does not decide, and still fails the sum", () => {
    // The CI run's leastconn case: real 40.0 / 42.5 / 17.6%, lbsim 42.2 / 39.3 / 18.5%. Alone, app-2 is 3.2 points
    // out; together app-1+app-2 is 82.5 vs 81.5% (1.0 point) and slow 0.9 points: both within 3.
    const measured = (shares: Record<string, number>): Measured => ({ shares } as unknown as Measured);
    const real = measured({ "app-1": 0.4, "app-2": 0.425, slow: 0.176 });
    const sim = measured({ "app-1": 0.422, "app-2": 0.393, slow: 0.185 });
    expect(compareRuns([{ kind: "share" }], real, sim, 1_000).map((r) => [r.name, r.passed])).toEqual([["share app-1", true], ["share app-2", false], ["share slow", true]]);
    expect(compareRuns([{ kind: "share", together: ["app-1", "app-2"] }], real, sim, 1_000).map((r) => [r.name, r.passed])).toEqual([["share app-1+app-2", true], ["share slow", true]]);
    // A slow server given 6 points more than predicted fails either way.
    const off = measured({ "app-1": 0.38, "app-2": 0.375, slow: 0.245 });
    expect(compareRuns([{ kind: "share", together: ["app-1", "app-2"] }], off, sim, 1_000).map((r) => r.passed)).toEqual([false, false]);
  });
});
