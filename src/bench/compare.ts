// Interleaved runs of the hand-written baseline (../shared/bench/mmc_fast.js) and lbsim's engine benchmark on
// the same workload, then the median simSeconds of each and their ratio. The machines are noisy, so only ratios
// from interleaved runs mean anything.
//   npm run bench:compare -- --model=jsq2 --runs=5 --n=1000000
//   npm run bench:compare -- --bench=model --clock=cpu   # CPU time instead of wall time, both sides (cpu-clock.ts)
import { existsSync } from "node:fs";
import { parseArgs } from "./args.js";
import { BASELINE, benchScript, clockFlags, median, runJson } from "./bench-process.js";

const options = parseArgs(process.argv.slice(2), { model: "jsq2", runs: 5, n: 1_000_000, seed: 1, bench: "engine", dispatcher: "production", clock: "wall" });
const flags = clockFlags(options.clock);
const baseline = BASELINE;
const lbsim = benchScript(options.bench);
if (!existsSync(baseline)) {
  console.error(`baseline not found at ${baseline}: it lives in shared/ beside the repository`);
  process.exit(2);
}

interface BenchLine { simSeconds: number; mean: number; p99: number; eventsPerSec: number }

function runOnce(script: string): BenchLine {
  const args = [`--model=${options.model}`, `--n=${options.n}`, `--seed=${options.seed}`];
  if (script === lbsim && options.bench === "engine") args.push(`--dispatcher=${options.dispatcher}`);
  return runJson(script, args, flags) as unknown as BenchLine;
}

const base: BenchLine[] = [];
const ours: BenchLine[] = [];
for (let run = 0; run < options.runs; run++) {
  // Alternate which goes first, so drift in machine speed falls on both alike.
  if (run % 2 === 0) { base.push(runOnce(baseline)); ours.push(runOnce(lbsim)); }
  else { ours.push(runOnce(lbsim)); base.push(runOnce(baseline)); }
}
const baseMedian = median(base.map((b) => b.simSeconds));
const oursMedian = median(ours.map((b) => b.simSeconds));
const ratios = ours.map((b, i) => b.simSeconds / base[i]!.simSeconds);
console.log(JSON.stringify({
  model: options.model, bench: options.bench, clock: options.clock, dispatcher: options.bench === "engine" ? options.dispatcher : "n/a", n: options.n, runs: options.runs,
  baselineSimSecondsMedian: baseMedian, lbsimSimSecondsMedian: oursMedian,
  ratioOfMedians: oursMedian / baseMedian, medianPairedRatio: median(ratios),
  lbsimEventsPerSecMedian: median(ours.map((b) => b.eventsPerSec)),
  baselineMean: base[0]!.mean, lbsimMean: ours[0]!.mean, baselineP99: base[0]!.p99, lbsimP99: ours[0]!.p99,
}));
