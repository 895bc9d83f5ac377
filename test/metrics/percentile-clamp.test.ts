// Proves percentiles never exceed the recorded maximum: HdrHistogram's bucket value (its highest equivalent value,
// up to 0.1% above what was recorded) is clamped to the exact max, in summaries, in time windows and in the CDF.
import { beforeAll, describe, expect, it } from "vitest";
import { runVariants } from "../../src/lab/scenario-runs.js";
import { createHistogram, initHistograms, summarize, valueAtPercentile } from "../../src/metrics/histogram.js";
import { parseScenario } from "../../src/scenario/load.js";

describe("percentiles", () => {
  it("are clamped to the recorded max, in the JavaScript and the WebAssembly build", async () => {
    for (const build of ["js", "wasm"]) {
      if (build === "wasm") await initHistograms();
      const histogram = createHistogram();
      // 100,001 us lies in a bucket 32 us wide at 3 significant digits: its highest equivalent value is 100,031.
      histogram.recordValue(5);
      histogram.recordValue(100_001);
      expect(histogram.getValueAtPercentile(99), build).toBe(100_031);
      expect(valueAtPercentile(histogram, 99), build).toBe(100_001);
      expect(summarize(histogram), build).toMatchObject({ p50: 5, p90: 100_001, p99: 100_001, p999: 100_001, max: 100_001 });
      histogram.destroy();
    }
  });

  describe("in a run", () => {
    beforeAll(async () => {
      await initHistograms();
    });

    it("never exceed max in the summary, any window or the CDF", () => {
      const text = `
name: clamp
duration: 5s
clients:
  - { name: users, load: { open: { poisson: 400/s } }, classes: [{ name: get, demand: { lognormal: { mean: 20ms, p99: 200ms } } }] }
backends:
  - { name: app, count: 3, workers: 4 }
`;
      const [result] = runVariants(parseScenario(text, "clamp.yaml"), undefined);
      const { latencyMs } = result!.summary;
      for (const p of ["p50", "p90", "p99", "p999"] as const) expect(latencyMs[p], p).toBeLessThanOrEqual(latencyMs.max);
      // The largest latency is recorded exactly, so the top of the CDF is the max itself.
      expect(result!.series.latencyCdf.at(-1)!.latencyMs).toBe(latencyMs.max);
      for (const w of result!.series.windows) {
        expect(w.p99Ms, `window at ${w.startMs} ms`).toBeLessThanOrEqual(w.maxMs);
        expect(w.failedP99Ms, `window at ${w.startMs} ms`).toBeLessThanOrEqual(w.failedMaxMs);
      }
    });
  });
});
