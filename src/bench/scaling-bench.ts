// How the full model's cost grows with the world: events per second, requests per second and retained memory
// at 10, 100 and 1,000 backends (1,000 clients) and at 1,000, 10,000 and 100,000 clients (10 backends), each row
// the full-model benchmark (model-bench.ts: Poisson arrivals at 0.9 x the backends' capacity, an L7 node with
// power-of-two-choices and HTTP checks, exponential 1 s service) in a fresh process; then the speedup of
// `lbsim sweep` on 2 worker threads against 1 on the same sweep, runs alternating:
//   npm run bench:scaling                       # N = 200,000 requests a row, 3 runs a row, sweep 3 x 2 runs
//   npm run bench:scaling -- --n=50000 --runs=1 --sweepRuns=1
//   npm run bench:scaling -- --sweepRuns=0        # the rows only
//   npm run bench:scaling -- --sweepSeeds=4 --sweepVary=   # the sweep without a grid: 4 variants x 4 seeds
//   npm run bench:scaling -- --clock=cpu        # rows in CPU time (cpu-clock.ts); the sweep's speedup is always wall time
// A row's figures are medians over its runs; memory is heap + external after the run with the world alive.
import { spawnSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "./args.js";
import { benchScript, clockFlags, median, ROOT, runJson } from "./bench-process.js";

const options = parseArgs(process.argv.slice(2), {
  n: 200_000, runs: 3, seed: 1,
  // The sweep: 3 settings x 4 variants x 16 seeds = 192 runs of a 90 s scenario, about 30 s on one thread: a
  // user's sweep, of which a second thread's fixed cost (loading the simulator, V8 compiling it again: about 1-2 s
  // of CPU) is a small part; at 16 runs it is most of the difference between 1 and 2 threads.
  sweepRuns: 3, sweepScenario: "scenarios/overload.yaml", sweepVary: "backends.app.workers=8,10,12", sweepSeeds: 16, clock: "wall",
});
const flags = clockFlags(options.clock);

type Line = Record<string, unknown>;
const num = (line: Line, key: string): number => {
  const value = line[key];
  if (typeof value !== "number") throw new Error(`benchmark line has no number ${key}: ${JSON.stringify(line)}`);
  return value;
};

const ROWS: Array<{ backends: number; clients: number }> = [
  { backends: 10, clients: 1000 }, { backends: 100, clients: 1000 }, { backends: 1000, clients: 1000 },
  { backends: 10, clients: 10_000 }, { backends: 10, clients: 100_000 },
];

const loadBefore = loadavg();
const started = new Date();
const table: string[][] = [];
for (const row of ROWS) {
  const lines: Line[] = [];
  for (let run = 0; run < options.runs; run++) {
    lines.push(runJson(benchScript("model"), [`--n=${options.n}`, `--c=${row.backends}`, `--clients=${row.clients}`, `--seed=${options.seed}`], ["--expose-gc", ...flags]));
  }
  const events = num(lines[0]!, "events");
  const sent = num(lines[0]!, "sent");
  const eventsPerSec = median(lines.map((l) => num(l, "eventsPerSec")));
  table.push([
    String(row.backends), row.clients.toLocaleString("en-US"), sent.toLocaleString("en-US"), (events / sent).toFixed(2),
    `${(eventsPerSec / 1e6).toFixed(2)}M`, `${(median(lines.map((l) => num(l, "requestsPerSec"))) / 1e6).toFixed(3)}M`,
    (1e9 / eventsPerSec).toFixed(0), median(lines.map((l) => num(l, "retainedMB"))).toFixed(1),
  ]);
  process.stderr.write(`${row.backends} backends, ${row.clients} clients: ${JSON.stringify(lines.map((l) => l.simSeconds))}\n`);
}

// What the process used, written as it exits (user + system, every thread): the sweep's CPU time beside its wall time.
const CPU_AT_EXIT = 'data:text/javascript,process.on("exit",()=>{const u=process.cpuUsage();process.stderr.write(`\\ncpuUs ${u.user+u.system}\\n`)})';

/** Wall and CPU seconds of one `lbsim sweep` with k workers (its output discarded: only the time matters). */
function sweepSeconds(workers: number): { wall: number; cpu: number } {
  const vary = options.sweepVary === "" ? [] : ["--vary", options.sweepVary];
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ["--import", CPU_AT_EXIT, join(ROOT, "dist", "cli", "main.js"), "sweep", options.sweepScenario, ...vary,
    "--seeds", String(options.sweepSeeds), "--seed", String(options.seed), "--workers", String(workers), "--json"], { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = /cpuUs (\d+)/.exec(result.stderr);
  if (result.status !== 0 || cpu === null) throw new Error(`lbsim sweep failed (exit ${result.status}): ${result.stderr}`);
  return { wall, cpu: Number(cpu[1]) / 1e6 };
}
const one: Array<{ wall: number; cpu: number }> = [];
const two: Array<{ wall: number; cpu: number }> = [];
for (let run = 0; run < options.sweepRuns; run++) {
  // Alternate which goes first, so drift in machine speed falls on both alike.
  if (run % 2 === 0) { one.push(sweepSeconds(1)); two.push(sweepSeconds(2)); }
  else { two.push(sweepSeconds(2)); one.push(sweepSeconds(1)); }
}
const loadAfter = loadavg();

const markdown = (header: string[], body: string[][]): string =>
  [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...body.map((r) => `| ${r.join(" | ")} |`)].join("\n");
process.stdout.write([
  `# lbsim scaling, ${started.toISOString()}`,
  "",
  `node ${process.version}, ${cpus().length} cores; N = ${options.n.toLocaleString("en-US")} requests a row, median of ${options.runs} run(s), rows on the ${options.clock} clock; ` +
    `load average ${loadBefore[0]!.toFixed(1)} before, ${loadAfter[0]!.toFixed(1)} after.`,
  "",
  markdown(["backends", "clients", "requests", "events / request", "events/s", "requests/s", "ns / event", "retained MB"], table),
  "",
  // --sweepRuns=0 measures the rows only.
  options.sweepRuns === 0 ? "(sweep not run: --sweepRuns=0)" : markdown(["sweep", "1 worker (s)", "2 workers (s)", "speedup", "CPU s, 1 worker", "CPU s, 2 workers"], [[
    `${options.sweepScenario}${options.sweepVary === "" ? "" : ` --vary ${options.sweepVary}`}, ${options.sweepSeeds} seeds, median of ${options.sweepRuns}`,
    median(one.map((r) => r.wall)).toFixed(1), median(two.map((r) => r.wall)).toFixed(1),
    `${(median(one.map((r) => r.wall)) / median(two.map((r) => r.wall))).toFixed(2)}x`,
    median(one.map((r) => r.cpu)).toFixed(1), median(two.map((r) => r.cpu)).toFixed(1),
  ]]),
  "",
].join("\n"));
