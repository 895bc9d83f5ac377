// Proves the confidence intervals: t quantiles match tables, a 95% interval covers the true mean about 95% of
// the time, and the comparison finds a real difference between variants and no verdict where there is none.
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/engine/rng.js";
import { standardNormal } from "../../src/engine/distributions/normal.js";
import { compareVariants } from "../../src/lab/compare.js";
import { metricValue } from "../../src/scenario/metric-path.js";
import { meanInterval, pairedDifference, tQuantile975 } from "../../src/lab/statistics.js";
import type { RunSummary } from "../../src/report/report-data.js";

describe("statistics", () => {
  it("t quantiles: table values and the large-df expansion", () => {
    expect(tQuantile975(1)).toBe(12.706);
    expect(tQuantile975(9)).toBe(2.262);
    expect(tQuantile975(60)).toBeCloseTo(2.0003, 3); // table: 2.000
    expect(tQuantile975(120)).toBeCloseTo(1.9799, 3); // table: 1.980
  });

  it("a 95% interval from 10 normal draws covers the mean in about 95% of 4,000 trials", () => {
    // Coverage is Binomial(4000, 0.95): sd = sqrt(4000 x 0.95 x 0.05) = 13.8 hits; 4 SE = 55 hits = 1.4%.
    const rng = Rng.root(9).fork("coverage");
    let covered = 0;
    for (let trial = 0; trial < 4_000; trial++) {
      const values = Array.from({ length: 10 }, () => 5 + 2 * standardNormal(rng));
      const interval = meanInterval(values);
      if (interval.low <= 5 && 5 <= interval.high) covered++;
    }
    expect(Math.abs(covered / 4_000 - 0.95)).toBeLessThan(0.014);
  });

  it("pairing removes the shared noise", () => {
    const a = [10, 20, 30, 40, 50];
    const b = a.map((x) => x + 1); // b is always exactly 1 worse
    const paired = pairedDifference(a, b);
    expect(paired.mean).toBe(-1);
    expect(paired.high).toBe(-1); // no spread at all in the difference
    expect(meanInterval(a).high - meanInterval(a).low).toBeGreaterThan(30); // the unpaired spread is huge
  });

  it("metricValue reads dotted paths, backends by name", () => {
    const summary = { requests: { outcomes: { "client-timeout": 7 } }, backends: [{ name: "app-1", requests: 3 }] } as unknown as RunSummary;
    expect(metricValue(summary, "requests.outcomes.client-timeout")).toBe(7);
    expect(metricValue(summary, "backends.app-1.requests")).toBe(3);
    expect(metricValue(summary, "requests.nope")).toBeNaN();
  });

  it("compareVariants names the winner only when the paired difference excludes zero", () => {
    const make = (p99: number, lost: number): RunSummary =>
      ({ requests: { lostFraction: lost, retries: 0, duplicates: 0 }, latencyMs: { p50: 1, p99, p999: p99 } }) as unknown as RunSummary;
    const seeds = [0, 1, 2, 3, 4, 5];
    const fast = seeds.map((s) => make(100 + s * 10, 0.01));
    const slow = seeds.map((s) => make(150 + s * 10 + (s % 2), 0.01));
    const { rows, verdicts } = compareVariants(["fast", "slow"], [fast, slow]);
    expect(rows.filter((r) => r.metric === "latencyMs.p99").map((r) => r.variant)).toEqual(["fast", "slow"]);
    expect(verdicts.some((v) => v.startsWith("fast beats slow on p99"))).toBe(true);
    expect(verdicts.some((v) => v.includes("on lost"))).toBe(false); // identical losses: no verdict
  });
});
