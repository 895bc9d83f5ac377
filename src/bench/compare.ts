// Interleaved runs of the hand-written baseline (../shared/bench/mmc_fast.js) and lbsim's engine benchmark on
// the same workload, then the median simSeconds of each and their ratio. The machines are noisy, so only ratios
// from interleaved runs mean anything.
//   npm run bench:compare -- --model=jsq2 --runs=5 --n=1000000
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "./args.js";

const options = parseArgs(process.argv.slice(2), { model: "jsq2", runs: 5, n: 1_000_000, seed: 1, bench: "engine", dispatcher: "production" });
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const baseline = resolve(root, "..", "shared", "bench", "mmc_fast.js");
const lbsim = join(root, "dist", "bench", `${options.bench}-bench.js`);
if (!existsSync(baseline)) {
  console.error(`baseline not found at ${baseline}: it lives in shared/ beside the repository`);
  process.exit(2);
}

interface BenchLine { simSeconds: number; mean: number; p99: number; eventsPerSec: number }

function runOnce(script: string): BenchLine {
  const args = [script, `--model=${options.model}`, `--n=${options.n}`, `--seed=${options.seed}`];
  if (script === lbsim && options.bench === "engine") args.push(`--dispatcher=${options.dispatcher}`);
  const out = execFileSync(process.execPath, args, {
    encoding: "utf8",
    env: { ...process.env, NODE_PATH: join(root, "node_modules") },
  });
  return JSON.parse(out.trim().split("\n").pop()!) as BenchLine;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

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
  model: options.model, bench: options.bench, dispatcher: options.bench === "engine" ? options.dispatcher : "n/a", n: options.n, runs: options.runs,
  baselineSimSecondsMedian: baseMedian, lbsimSimSecondsMedian: oursMedian,
  ratioOfMedians: oursMedian / baseMedian, medianPairedRatio: median(ratios),
  lbsimEventsPerSecMedian: median(ours.map((b) => b.eventsPerSec)),
  baselineMean: base[0]!.mean, lbsimMean: ours[0]!.mean, baselineP99: base[0]!.p99, lbsimP99: ours[0]!.p99,
}));
