// Every benchmark in one table, with the hand-written baseline (../shared/bench/mmc_fast.js) measured in the same
// run, interleaved with lbsim, so each ratio compares two figures taken moments apart on the same noisy machine:
//   npm run bench:all                                   # N = 1,000,000, 5 interleaved runs
//   npm run bench:all -- --n=100000 --runs=1 --picks=100000 --out=reports/bench   # CI's smoke size, saved
//   npm run bench:all -- --clock=cpu   # simSeconds in CPU time on both sides (cpu-clock.ts): steadier when the machine is shared
// Rows: the engine on mm1 and on jsq2 through the production power-of-two-choices, the full model on jsq2,
// picks per second of the balancers, and memory (bytes per pending event, the full model's retained heap).
// --out=DIR writes the table as bench-<time>.md and every measured line as bench-<time>.json.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "./args.js";
import { BASELINE, benchScript, clockFlags, median, runJson, runJsonLines } from "./bench-process.js";

const options = parseArgs(process.argv.slice(2), { n: 1_000_000, runs: 5, seed: 1, picks: 1_000_000, out: "", clock: "wall" });
const flags = clockFlags(options.clock);
// A clone without shared/ beside it still gets lbsim's own figures; the ratios then read "no baseline".
const haveBaseline = existsSync(BASELINE);
if (!haveBaseline) console.error(`baseline not found at ${BASELINE} (set LBSIM_BASELINE): lbsim's figures only, no ratios`);

type Line = Record<string, unknown>;
const num = (line: Line, key: string): number => {
  const value = line[key];
  if (typeof value !== "number") throw new Error(`benchmark line has no number ${key}: ${JSON.stringify(line)}`);
  return value;
};

interface Pair { name: string; model: string; script: string; args: string[] }
const common = [`--n=${options.n}`, `--seed=${options.seed}`];
const PAIRS: Pair[] = [
  { name: "engine mm1 (one server)", model: "mm1", script: benchScript("engine"), args: ["--model=mm1", ...common] },
  { name: "engine jsq2, production power-of-two-choices", model: "jsq2", script: benchScript("engine"), args: ["--model=jsq2", "--dispatcher=production", ...common] },
  { name: "full model jsq2 (clients, L7 node, HTTP checks on a management listener, backends, ledger, histograms)", model: "jsq2", script: benchScript("model"), args: ["--model=jsq2", ...common] },
];

const loadBefore = loadavg();
const started = new Date();
const measured: Line[] = [];
const rows: string[][] = [];
for (const pair of PAIRS) {
  const base: Line[] = [];
  const ours: Line[] = [];
  const baselineArgs = [`--model=${pair.model}`, ...common];
  for (let run = 0; run < options.runs; run++) {
    // Alternate which goes first, so drift in machine speed falls on both alike.
    const baselineRun = (): void => { if (haveBaseline) base.push(runJson(BASELINE, baselineArgs, flags)); };
    if (run % 2 === 0) { baselineRun(); ours.push(runJson(pair.script, pair.args, flags)); }
    else { ours.push(runJson(pair.script, pair.args, flags)); baselineRun(); }
  }
  const oursSeconds = median(ours.map((b) => num(b, "simSeconds")));
  const baseSeconds = haveBaseline ? median(base.map((b) => num(b, "simSeconds"))) : NaN;
  const paired = haveBaseline ? median(ours.map((b, i) => num(b, "simSeconds") / num(base[i]!, "simSeconds"))) : NaN;
  const ratio = (value: number): string => (haveBaseline ? `${value.toFixed(2)}x` : "no baseline");
  measured.push({ row: pair.name, baseline: base, lbsim: ours });
  rows.push([
    pair.name, ratio(oursSeconds / baseSeconds), ratio(paired), oursSeconds.toFixed(3), haveBaseline ? baseSeconds.toFixed(3) : "-",
    `${(median(ours.map((b) => num(b, "eventsPerSec"))) / 1e6).toFixed(2)}M`, `${(median(ours.map((b) => num(b, "requestsPerSec"))) / 1e6).toFixed(2)}M`,
  ]);
}

// Balancers: no baseline (the baseline has one inline rule); picks per second with the start and end hooks.
const balancers = runJsonLines(benchScript("balancers"), [`--picks=${options.picks}`, `--seed=${options.seed}`]);
measured.push({ row: "balancers", lines: balancers });

// Memory, each in a fresh process with a GC before measuring.
const posted = runJson(benchScript("engine"), ["--model=pending", `--n=${options.n}`, "--events=posted"], ["--expose-gc"]);
const timers = runJson(benchScript("engine"), ["--model=pending", `--n=${options.n}`, "--events=timers"], ["--expose-gc"]);
const model = runJson(benchScript("model"), ["--model=jsq2", ...common], ["--expose-gc"]);
measured.push({ row: "memory", posted, timers, model });
const loadAfter = loadavg();

const table = (header: string[], body: string[][]): string =>
  [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...body.map((r) => `| ${r.join(" | ")} |`)].join("\n");

const byAlgorithm = new Map<string, Record<number, number>>();
for (const line of balancers) {
  const entry = byAlgorithm.get(line.algorithm as string) ?? {};
  entry[num(line, "backends")] = num(line, "picksPerSec");
  byAlgorithm.set(line.algorithm as string, entry);
}
const millions = (value: number | undefined): string => (value === undefined ? "-" : `${(value / 1e6).toFixed(2)}M`);

const text = [
  `# lbsim benchmarks, ${started.toISOString()}`,
  "",
  `node ${process.version}; N = ${options.n.toLocaleString("en-US")} requests, ${options.runs} interleaved run(s) per row, seed ${options.seed}, ${options.clock} clock; ` +
    `load average ${loadBefore[0]!.toFixed(1)} before, ${loadAfter[0]!.toFixed(1)} after (shared machine: only the ratios compare across runs).`,
  "",
  table(["workload", "lbsim / baseline (ratio of medians)", "median paired ratio", "lbsim simSeconds", "baseline simSeconds", "lbsim events/s", "lbsim requests/s"], rows),
  "",
  table(["balancer (pick + start + end)", "picks/s at 8 backends", "at 1000 backends"], [...byAlgorithm].map(([name, sizes]) => [name, millions(sizes[8]), millions(sizes[1000])])),
  "",
  table(["memory", "measured"], [
    [`bytes per pending posted event (${options.n.toLocaleString("en-US")} pending)`, num(posted, "bytesPerPendingEvent").toFixed(1)],
    [`bytes per pending cancellable timer (${options.n.toLocaleString("en-US")} pending)`, num(timers, "bytesPerPendingEvent").toFixed(1)],
    [`full model retained after ${options.n.toLocaleString("en-US")} requests (heap + external, MB)`, String(model.retainedMB)],
  ]),
  "",
].join("\n");

process.stdout.write(text);
if (options.out !== "") {
  mkdirSync(options.out, { recursive: true });
  const stamp = started.toISOString().replace(/[:.]/g, "-");
  writeFileSync(join(options.out, `bench-${stamp}.md`), text);
  writeFileSync(join(options.out, `bench-${stamp}.json`), JSON.stringify({ started: started.toISOString(), options, loadBefore, loadAfter, measured }, null, 1) + "\n");
  process.stderr.write(`wrote ${join(options.out, `bench-${stamp}.md`)} and .json\n`);
}
