// Proves the TypeScript HdrHistogram reports exactly what hdr-histogram-js's WebAssembly build (the one lbsim used
// before, 3 significant digits, 64-bit counts, autoResize) reports: count, max, mean and every percentile, on
// random and edge-case values from 0 to 2^50, so replacing it changed no figure of any run.
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
});
