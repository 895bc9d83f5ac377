// Proves the TypeScript HdrHistogram reports exactly what hdr-histogram-js's WebAssembly build (the one lbsim used
// before, 3 significant digits, 64-bit counts, autoResize) reports: count, max, mean and every percentile, on
// random and edge-case values from 0 to 2^50, so replacing it changed no figure of any run; and that adding
// histograms (the recorder's whole-run and failed figures are sums of its outcome histograms) reports exactly
// what one histogram of every value reports, past 2^32 counts too.
import * as hdr from "hdr-histogram-js";
import { beforeAll, describe, expect, it } from "vitest";
import { Rng } from "../../src/engine/rng.js";
import { HdrHistogram } from "../../src/metrics/hdr-histogram.js";

const PERCENTILES = [0, 0.001, 1, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 99.999, 100];

function reference(): hdr.Histogram {
  return hdr.build({ bitBucketSize: 64, numberOfSignificantValueDigits: 3, autoResize: true, useWebAssembly: true });
}

/** Records `values` into both histograms and expects the same count, maximum, mean and percentiles. */
function recordAndCompare(ours: HdrHistogram, theirs: ReturnType<typeof reference>, values: readonly number[]): void {
  for (const v of values) {
    ours.recordValue(v);
    theirs.recordValue(v);
  }
  compare(ours, theirs);
}

function compare(ours: HdrHistogram, theirs: ReturnType<typeof reference>): void {
  expect(ours.totalCount).toBe(theirs.totalCount);
  expect(ours.maxValue).toBe(theirs.maxValue);
  expect(ours.mean).toBe(theirs.mean);
  for (const p of PERCENTILES) expect([p, ours.getValueAtPercentile(p)]).toEqual([p, theirs.getValueAtPercentile(p)]);
}

/** Records `values` into both and expects identical answers (exact equality: these are the run's output figures). */
function expectSame(values: readonly number[]): void {
  const ours = new HdrHistogram();
  const theirs = reference();
  try {
    recordAndCompare(ours, theirs, values);
    // After a reset both start again from nothing (the recorder reuses its window histograms).
    ours.reset();
    theirs.reset();
    for (const v of values.slice(0, 100)) {
      ours.recordValue(v);
      theirs.recordValue(v);
    }
    expect(ours.mean).toBe(theirs.mean);
    for (const p of PERCENTILES) expect(ours.getValueAtPercentile(p)).toBe(theirs.getValueAtPercentile(p));
  } finally {
    theirs.destroy();
  }
}

describe("HdrHistogram against hdr-histogram-js (WebAssembly)", () => {
  beforeAll(async () => {
    await hdr.initWebAssembly();
  });

  it("agrees when empty and with one value", () => {
    expectSame([]);
    expectSame([0]);
    expectSame([1]);
    expectSame([2047]);
    expectSame([2048]);
  });

  it("agrees on every bucket edge from 1 to 2^50 (2^k - 1, 2^k, 2^k + 1)", () => {
    const values: number[] = [];
    for (let k = 0; k <= 50; k++) values.push(2 ** k - 1, 2 ** k, 2 ** k + 1);
    expectSame(values);
  });

  it("agrees on random latencies: small integers, exponential and heavy-tailed microseconds, huge values", () => {
    const rng = Rng.root(7).fork("hdr-agreement");
    const shapes: Array<() => number> = [
      () => rng.int(3000),
      () => Math.round(-Math.log(1 - rng.next()) * 1_000_000),
      () => Math.round(Math.exp(8 + 4 * (rng.next() + rng.next() + rng.next() - 1.5))),
      () => Math.round(rng.next() * 2 ** 45),
    ];
    for (const shape of shapes) {
      for (const n of [10, 1_000, 50_000]) expectSame(Array.from({ length: n }, shape));
    }
  });

  it("agrees after a reset that follows large values, whatever comes next (scans cover only what was recorded)", () => {
    const ours = new HdrHistogram();
    const theirs = reference();
    try {
      for (const round of [[5e9, 7e12], [3, 40_000, 2047], [1e6], [], [0, 2 ** 40]]) {
        ours.reset();
        theirs.reset();
        recordAndCompare(ours, theirs, round);
      }
    } finally {
      theirs.destroy();
    }
  });

  it("truncates a non-integer value as the WebAssembly build's u64 argument does", () => {
    expectSame([0.5, 1.9, 2047.5, 4096.7, 1e6 + 0.25]);
  });

  it("adds histograms exactly: the sum of parts reports what one histogram of every value reports", () => {
    const rng = Rng.root(11).fork("hdr-add");
    const shapes: Array<() => number> = [
      () => Math.round(-Math.log(1 - rng.next()) * 1_000_000),
      () => Math.round(Math.exp(8 + 4 * (rng.next() + rng.next() + rng.next() - 1.5))),
    ];
    for (const shape of shapes) {
      const values = Array.from({ length: 20_000 }, shape);
      // Three parts of different ranges (the last holds the largest values, so adding it resizes the sum), and
      // an empty one; the sum starts empty, as the recorder's does.
      values.sort((a, b) => a - b);
      const parts = [values.slice(5_000, 12_000), [], values.slice(0, 5_000), values.slice(12_000)];
      const sum = new HdrHistogram();
      const theirs = reference();
      try {
        for (const part of parts) {
          const h = new HdrHistogram();
          for (const v of part) h.recordValue(v);
          sum.add(h);
        }
        for (const v of values) theirs.recordValue(v);
        compare(sum, theirs);
      } finally {
        theirs.destroy();
      }
    }
  });

  it("keeps counts past 2^32 exact (32-bit counts widen to doubles before they could wrap)", () => {
    // 5 twice and 7 once, then the histogram added to itself 31 times: 5 counts 2^32 (one more than 32 bits
    // hold) and 7 counts 2^31, as recording each value with those counts into hdr-histogram-js (64-bit counts).
    const ours = new HdrHistogram();
    for (const v of [5, 5, 7]) ours.recordValue(v);
    for (let i = 0; i < 31; i++) ours.add(ours);
    const theirs = reference();
    try {
      theirs.recordValueWithCount(5, 2 ** 32);
      theirs.recordValueWithCount(7, 2 ** 31);
      compare(ours, theirs);
      expect(ours.totalCount).toBe(3 * 2 ** 31);
      // p66 is 5 (2^32 of the 3 x 2^31 values are 5: 66.7%), p67 is 7.
      expect([ours.getValueAtPercentile(66), ours.getValueAtPercentile(67)]).toEqual([5, 7]);
      ours.recordValue(7);
      theirs.recordValue(7);
      compare(ours, theirs);
    } finally {
      theirs.destroy();
    }
  });
});
