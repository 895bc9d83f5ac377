// Memory of the metrics time series against the number of requests (DESIGN.md invariant 6: bounded memory).
// Records N synthetic requests into a LatencyRecorder and BackendGauges, at a fixed arrival rate, so simulated
// time grows with N (1M requests at 5,000/s are 200 s; 100M are 20,000 s, which passes the 10,000-window bound
// with 1 s windows and so exercises merging), then prints heapUsed + arrayBuffers + external after a full GC:
//   npm run build && node --expose-gc dist/bench/metrics-memory-bench.js [--counts=1000000,100000000] [--rate=5000]
// WebAssembly memory never shrinks, so later phases may reuse what earlier ones grew: pass a single count to
// measure one size in a fresh process.
import { LogNormal } from "../engine/distributions/normal.js";
import { Rng } from "../engine/rng.js";
import { US_PER_SECOND } from "../engine/time.js";
import { BackendGauges } from "../metrics/backend-gauges.js";
import { initHistograms } from "../metrics/histogram.js";
import { LatencyRecorder } from "../metrics/latency-recorder.js";
import { OUTCOME } from "../metrics/ledger.js";
import { parseArgs } from "./args.js";

const options = parseArgs(process.argv.slice(2), {
  counts: "1000000,100000000",
  rate: 5_000,
  backends: 20,
  workers: 8,
  windowUs: US_PER_SECOND,
  maxWindows: 10_000,
  seed: 1,
});

const STATES = ["healthy", "unhealthy", "draining", "down"];
const LOSSES = [OUTCOME["upstream-timeout"], OUTCOME["connection-refused"], OUTCOME["queue-full"], OUTCOME["backend-error"]];

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc for the memory measurement");
const collect: () => void = gc;

function memory(): { heapUsed: number; arrayBuffers: number; external: number; total: number } {
  collect();
  collect();
  const { heapUsed, arrayBuffers, external } = process.memoryUsage();
  // arrayBuffers is part of external in Node's accounting; the sum asked for counts it twice, so also print
  // heapUsed + external, the figure without double counting.
  return { heapUsed, arrayBuffers, external, total: heapUsed + arrayBuffers + external };
}

function run(records: number, baseline: ReturnType<typeof memory>): void {
  const rng = Rng.root(options.seed).fork(`bench/metrics-memory/${records}`);
  const latency = LogNormal.fromMeanAndP99(20_000, 250_000);
  const meanGapUs = US_PER_SECOND / options.rate;
  const windows = { windowUs: options.windowUs, maxWindows: options.maxWindows };
  const recorder = new LatencyRecorder({ ...windows, backends: options.backends });
  const gauges = new BackendGauges({ ...windows, stateNames: STATES, workers: new Array<number>(options.backends).fill(options.workers) });
  const started = process.hrtime.bigint();
  let nowUs = 0;
  for (let i = 0; i < records; i++) {
    nowUs += Math.round(-Math.log(1 - rng.next()) * meanGapUs);
    const backend = rng.int(options.backends);
    const outcome = rng.chance(0.02) ? LOSSES[rng.int(LOSSES.length)]! : OUTCOME.ok;
    recorder.record(Math.round(latency.sample(rng)), outcome, backend, nowUs);
    gauges.requestCompleted(backend, nowUs);
    gauges.setInFlight(backend, rng.int(16), nowUs);
    gauges.setBusy(backend, rng.int(options.workers + 1), nowUs);
    if (i % 100_000 === 0) {
      gauges.setState(backend, rng.int(STATES.length), nowUs);
      gauges.mark(backend, "gc", nowUs, nowUs + 50_000);
    }
  }
  recorder.flush(nowUs);
  gauges.flush(nowUs);
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const after = memory();
  const footprint = recorder.footprint();
  console.log(JSON.stringify({
    bench: "metrics-memory", records, simulatedSeconds: Math.round(nowUs / US_PER_SECOND),
    latencyWindows: footprint.rows, windowUs: footprint.windowUs, merges: footprint.merges,
    gaugeWindows: gauges.windowCount, markers: gauges.markerList().length, markersDropped: gauges.markersDropped,
    rowBytes: footprint.rowBytes, histogramBytes: footprint.histogramBytes, gaugeBytes: gauges.byteLength,
    ...after, heapPlusExternal: after.heapUsed + after.external, totalGrowth: after.total - baseline.total,
    recordedCount: recorder.summary().overall.count, wallSeconds: Number(wallSeconds.toFixed(1)),
  }));
  recorder.destroy();
}

await initHistograms();
const baseline = memory();
console.log(JSON.stringify({ bench: "metrics-memory", records: 0, ...baseline, heapPlusExternal: baseline.heapUsed + baseline.external }));
for (const count of options.counts.split(",")) run(Number(count), baseline);
