// Proves the sweep's per-cell interval is the percentile bootstrap `compare` uses: it stays within the values the
// seeds gave (a count never goes below zero), is the same bytes on every call, and collapses for one seed.
import { describe, expect, it } from "vitest";
import { sweepRows, type SweepCellResult } from "../../src/report/sweep-report.js";
import type { RunSummary } from "../../src/report/report-data.js";

function result(values: string[], seed: string, lost: number): SweepCellResult {
  // Only the fields sweepRows reads: the seed, the variant and the metric path.
  const summary = { seed, variant: "rr", requests: { lost } } as unknown as RunSummary;
  return { cell: { index: 0, values, variant: "rr", seed }, summary };
}

describe("sweep rows", () => {
  it("keeps a count's interval within the seeds' values, where a t interval reaches below zero", () => {
    // Lost counts [0, 0, 0, 12]: mean 3, sample sd 6, t(3) = 3.182, so the t interval is 3 ± 3.182 * 6 / 2 =
    // [-6.55, 12.55]. Every bootstrap resample's mean is one of 0, 3, 6, 9, 12 with 0 at probability (3/4)^4 =
    // 31.6% > 2.5%, so the low end is exactly 0; the high end is at most the largest value, 12.
    const group = ["1", "2", "3", "4"].map((seed, i) => result(["10"], seed, i === 3 ? 12 : 0));
    const [row] = sweepRows(group, ["requests.lost"]);
    const m = row!.metrics[0]!;
    expect(m.mean).toBe(3);
    expect(m.low).toBe(0);
    expect(m.high).toBeGreaterThanOrEqual(6); // P(resample mean <= 3) = 0.316 + 4 * (3/4)^3 * (1/4) = 0.738 < 0.975
    expect(m.high).toBeLessThanOrEqual(12);
    expect(sweepRows(group, ["requests.lost"])).toEqual([row]);
  });

  it("gives one seed an unbounded interval around its value", () => {
    const [row] = sweepRows([result(["10"], "7", 5)], ["requests.lost"]);
    expect(row!.metrics[0]).toEqual({ metric: "requests.lost", mean: 5, low: -Infinity, high: Infinity });
  });
});
