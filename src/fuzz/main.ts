// `npm run fuzz -- --files N [--seed S]`: the scenario fuzzer (scenario-fuzzer.ts) over the library for long runs.
// Prints the figures (files tried, outcomes by exit code, stack traces, hangs) and every bug with the seed and
// mutations that reproduce it; exits 1 when there was any.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { LIBRARY_DIR } from "../cli/catalog-commands.js";
import { initHistograms } from "../metrics/histogram.js";
import { fuzzScenarios, type FuzzSource } from "./scenario-fuzzer.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1]! : fallback;
};
const files = Number(option("files", "500"));
const seed = option("seed", "fuzz");
if (!Number.isSafeInteger(files) || files < 1) {
  console.error(`fuzz: --files expects a whole number of files, got "${option("files", "")}"`);
  process.exit(2);
}

await initHistograms();
const sources: FuzzSource[] = readdirSync(LIBRARY_DIR).filter((f) => f.endsWith(".yaml")).sort().map((f) => ({ name: f.replace(/\.yaml$/, ""), text: readFileSync(join(LIBRARY_DIR, f), "utf8") }));
const started = performance.now();
const report = fuzzScenarios(sources, { seed, files, nowMs: () => performance.now() });
const seconds = (performance.now() - started) / 1000;
console.log(`seed ${report.seed}: ${report.files} files in ${seconds.toFixed(1)} s (slowest ${Math.round(report.slowestMs)} ms)`);
console.log(`exit 0: ${report.byExitCode[0]}   exit 2: ${report.byExitCode[2]}   exit 3: ${report.byExitCode[3]}   other: 0`);
console.log(`stack traces: ${report.stackTraces.length}   hangs: ${report.hangs.length}`);
for (const [kind, count] of Object.entries(report.simulationFailures).sort((a, b) => b[1] - a[1])) console.log(`  exit 3 x${count}: ${kind}`);
for (const bug of [...report.stackTraces, ...report.hangs]) console.log(`BUG ${bug.file} (${bug.mutations.join("; ")}): ${bug.problem}`);
process.exitCode = report.stackTraces.length + report.hangs.length > 0 ? 1 : 0;
