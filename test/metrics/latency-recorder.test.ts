// Proves the latency recorder's window rows are exact in counts, mean and max and within HdrHistogram's 0.1% in
// percentiles, keep successful and failed requests' latency apart, that empty windows show as zero rows, that outcomes and backends are split correctly, that merging
// rows to stay within the bound keeps every count exact, and that memory stays flat as records grow.
import fc from "fast-check";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Rng } from "../../src/engine/rng.js";
import { initHistograms } from "../../src/metrics/histogram.js";
import { LatencyRecorder, NO_BACKEND, type LatencyRecorderOptions } from "../../src/metrics/latency-recorder.js";
import { OUTCOME, OUTCOME_COUNT } from "../../src/metrics/ledger.js";

beforeAll(async () => {
  await initHistograms();
});

const created: LatencyRecorder[] = [];
afterEach(() => {
  for (const recorder of created.splice(0)) recorder.destroy();
});

function recorder(options: LatencyRecorderOptions): LatencyRecorder {
  const made = new LatencyRecorder(options);
  created.push(made);
  return made;
}

/** HdrHistogram with 3 significant digits reports a value within 0.1% of the true one. */
function expectWithinHdr(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(expected * 0.001);
}

describe("LatencyRecorder windows", () => {
  it("summarises a window from known values: exact count, mean and max, percentiles within 0.1%", () => {
    const latency = recorder({ windowUs: 1_000_000 });
    // Window 0: 1000 successes of 1 ms, 2 ms, ..., 1000 ms. Their p50 is the 500th value, 500 ms; p90 900 ms;
    // p99 990 ms; p99.9 999 ms; mean (1 + 1000) / 2 = 500.5 ms.
    for (let i = 1; i <= 1_000; i++) latency.record(i * 1_000, OUTCOME.ok, NO_BACKEND, i * 500);
    latency.flush(1_000_000);
    const [row, ...rest] = latency.windows();
    expect(rest).toEqual([]);
    expect(row).toMatchObject({ startUs: 0, endUs: 1_000_000, count: 1_000, ok: 1_000, failed: 0, maxUs: 1_000_000, meanUs: 500_500 });
    expectWithinHdr(row!.p50Us, 500_000);
    expectWithinHdr(row!.p90Us, 900_000);
    expectWithinHdr(row!.p99Us, 990_000);
    expectWithinHdr(row!.p999Us, 999_000);
  });

  it("closes windows lazily, emits zero rows for empty windows, and resets the window histogram", () => {
    const latency = recorder({ windowUs: 1_000 });
    latency.record(100, OUTCOME.ok, NO_BACKEND, 10);
    latency.record(300, OUTCOME.ok, NO_BACKEND, 990);
    latency.record(50, OUTCOME["upstream-timeout"], NO_BACKEND, 3_500); // windows 1 and 2 are empty
    latency.flush(3_700);
    const rows = latency.windows();
    expect(rows.map((r) => [r.startUs, r.endUs, r.count])).toEqual([[0, 1_000, 2], [1_000, 2_000, 0], [2_000, 3_000, 0], [3_000, 3_700, 1]]);
    expect(rows[1]).toMatchObject({ count: 0, ok: 0, failed: 0, p50Us: 0, p99Us: 0, maxUs: 0, meanUs: 0 });
    expect(rows[1]!.outcomes).toEqual(new Array(OUTCOME_COUNT).fill(0));
    // The last window saw only the 50 us timeout: nothing from window 0 leaked into its histograms, and the
    // failure is in the failed columns, not in the successful requests' percentiles.
    expect(rows[3]).toMatchObject({ count: 1, ok: 0, failed: 1, p50Us: 0, p999Us: 0, maxUs: 0, meanUs: 0, failedP50Us: 50, failedP99Us: 50, failedMaxUs: 50 });
    expect(rows[3]!.outcomes[OUTCOME["upstream-timeout"]]).toBe(1);
    expect(rows[0]).toMatchObject({ p50Us: 100, maxUs: 300, meanUs: 200 });
  });

  it("counts unfinished requests in the row but not as failed, as the ledger counts lost", () => {
    const latency = recorder({ windowUs: 1_000 });
    latency.record(10, OUTCOME.ok, NO_BACKEND, 0);
    latency.record(10, OUTCOME["queue-full"], NO_BACKEND, 0);
    latency.record(10, OUTCOME.unfinished, NO_BACKEND, 0);
    latency.flush(1_000);
    expect(latency.windows()[0]).toMatchObject({ count: 3, ok: 1, failed: 1 });
  });
});

describe("LatencyRecorder splits", () => {
  it("splits latencies by outcome and by backend, and backends can be added part-way", () => {
    const latency = recorder({ windowUs: 1_000_000, backends: 2 });
    latency.record(1_000, OUTCOME.ok, 0, 1);
    latency.record(3_000, OUTCOME.ok, 1, 2);
    latency.record(5_000, OUTCOME["backend-error"], 1, 3);
    latency.record(7, OUTCOME["no-healthy-upstream"], NO_BACKEND, 4);
    const added = latency.addBackend();
    expect(added).toBe(2);
    latency.record(9_000, OUTCOME.ok, added, 5);
    const summary = latency.summary();
    // Above 2048 us the buckets are 2 us wide or more, so the summaries (unlike the rows' max) are within 0.1%.
    expect(summary.overall.count).toBe(5);
    expectWithinHdr(summary.overall.p50, 3_000);
    expectWithinHdr(summary.overall.max, 9_000);
    expect(summary.byOutcome.ok.count).toBe(3);
    expectWithinHdr(summary.byOutcome.ok.max, 9_000);
    expect(summary.byOutcome["backend-error"].count).toBe(1);
    expectWithinHdr(summary.byOutcome["backend-error"].p50, 5_000);
    expect(summary.byOutcome["no-healthy-upstream"]).toMatchObject({ count: 1, max: 7 });
    expect(summary.byOutcome["queue-full"].count).toBe(0);
    // Failed: the 5 ms backend error and the 7 us no-healthy-upstream, together.
    expect(summary.failed).toMatchObject({ count: 2, max: 5_000 });
    expect(summary.failed.p50).toBe(7);
    expect(summary.byBackend.map((s) => s.count)).toEqual([1, 2, 1]);
    expectWithinHdr(summary.byBackend[1]!.mean, 4_000);
  });

  it("rejects unknown outcome and backend indexes and negative latencies, recording nothing", () => {
    const latency = recorder({ windowUs: 1_000, backends: 1 });
    expect(() => latency.record(1, OUTCOME_COUNT, 0, 0)).toThrow(/outcome/);
    expect(() => latency.record(1, OUTCOME.ok, 1, 0)).toThrow(/backend/);
    expect(() => latency.record(-1, OUTCOME.ok, 0, 0)).toThrow(/latency/);
    expect(latency.summary().overall.count).toBe(0);
  });
});

describe("LatencyRecorder bound", () => {
  it("merges rows when the bound is exceeded: counts, sums and max exact, percentiles the larger (an upper bound)", () => {
    const latency = recorder({ windowUs: 10, maxWindows: 4 });
    // Window k (of 10 us) gets k + 1 requests, all of latency 100 * (k + 1).
    for (let k = 0; k < 6; k++) {
      for (let i = 0; i <= k; i++) latency.record(100 * (k + 1), k % 2 === 0 ? OUTCOME.ok : OUTCOME["reset-mid-flight"], NO_BACKEND, 10 * k + i);
    }
    latency.flush(60);
    // After 4 rows the rows merged into 2 of 20 us; windows 4 and 5 then closed as one 20 us window.
    expect(latency.windowUs).toBe(20);
    const rows = latency.windows();
    expect(rows.map((r) => [r.startUs, r.endUs, r.count, r.ok, r.failed])).toEqual([
      [0, 20, 1 + 2, 1, 2],
      [20, 40, 3 + 4, 3, 4],
      [40, 60, 5 + 6, 5, 6],
    ]);
    // Row [0, 20): one 100 ok and two 200 failures. The ok columns merge a row of one 100 with a row of no
    // successes (zeros): max exact, p50 the larger, mean 100 over the one success; the failed columns take the
    // failures' 200.
    expect(rows[0]).toMatchObject({ maxUs: 100, p50Us: 100, meanUs: 100, failedP50Us: 200, failedP99Us: 200, failedMaxUs: 200 });
    // The rows after the merge are exact again: [40, 60) holds five 500s ok and six 600s failed.
    expect(rows[2]).toMatchObject({ p50Us: 500, maxUs: 500, meanUs: 500, failedP50Us: 600, failedMaxUs: 600 });
  });

  it("keeps every record in exactly the row whose span holds its time, however often rows merge", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5_000 }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 500 }),
        (gaps, windowUs, halfBound, tail) => {
          const latency = new LatencyRecorder({ windowUs, maxWindows: 2 * halfBound });
          try {
            const times: number[] = [];
            let t = 0;
            for (const gap of gaps) {
              t += gap;
              times.push(t);
              latency.record(gap, OUTCOME.ok, NO_BACKEND, t);
            }
            const endUs = t + tail;
            latency.flush(endUs);
            const rows = latency.windows();
            expect(rows.length).toBeLessThanOrEqual(2 * halfBound);
            expect(rows.reduce((sum, r) => sum + r.count, 0)).toBe(times.length);
            rows.forEach((row, r) => {
              const last = r === rows.length - 1;
              if (r > 0) expect(row.startUs).toBe(rows[r - 1]!.endUs);
              const inside = times.filter((x) => x >= row.startUs && (x < row.endUs || (last && x === row.endUs)));
              expect(row.count).toBe(inside.length);
            });
            if (rows.length > 0) {
              expect(rows[0]!.startUs).toBe(0);
              expect(rows[rows.length - 1]!.endUs).toBe(endUs);
            }
          } finally {
            latency.destroy();
          }
        },
      ),
      { seed: 20240611, numRuns: 200 },
    );
  });

  it("stays flat in memory: 2M records keep the same rows, arrays and histograms as 1M", () => {
    // 1 s windows, at most 100 rows; a request every 500 us on average, so 1M records span about 500 s and the
    // rows have merged to 8 s windows; the next 1M double the span and the length, not the storage.
    const latency = recorder({ windowUs: 1_000_000, maxWindows: 100, backends: 8 });
    const rng = Rng.root(7).fork("test/latency-memory");
    let nowUs = 0;
    const recordMillion = (): void => {
      for (let i = 0; i < 1_000_000; i++) {
        nowUs += rng.int(1_000);
        const outcome = rng.chance(0.01) ? OUTCOME["upstream-timeout"] : OUTCOME.ok;
        latency.record(1 + rng.int(2_000_000), outcome, rng.int(8), nowUs);
      }
    };
    recordMillion();
    const afterOne = latency.footprint();
    recordMillion();
    const afterTwo = latency.footprint();
    latency.flush(nowUs);
    expect(latency.summary().overall.count).toBe(2_000_000);
    expect(latency.windows().reduce((sum, r) => sum + r.count, 0)).toBe(2_000_000);
    expect(afterOne.rows).toBeLessThanOrEqual(100);
    expect(afterTwo.rows).toBeLessThanOrEqual(100);
    expect(afterTwo.merges).toBe(afterOne.merges + 1);
    expect(afterTwo.rowCapacity).toBe(afterOne.rowCapacity);
    expect(afterTwo.rowBytes).toBe(afterOne.rowBytes);
    expect(afterTwo.histograms).toBe(afterOne.histograms);
    expect(afterTwo.histogramBytes).toBe(afterOne.histogramBytes);
  });
});
