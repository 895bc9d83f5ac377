// `lbsim compare`: every variant over several seeds with common random numbers; means with 95% confidence
// intervals, and which variant wins where the paired difference is significant.
import type { Command } from "commander";
import { compareVariants } from "../lab/compare.js";
import { runVariants, scenarioReport, variantsOf } from "../lab/scenario-runs.js";
import { runSweep } from "../lab/sweep.js";
import { initHistograms } from "../metrics/histogram.js";
import { renderTerminalExpectations, renderTerminalSummary, writeReport } from "../report/index.js";
import { formatMeasured } from "../report/format.js";
import type { ComparisonRow, RunSummary } from "../report/report-data.js";
import { loadScenario } from "../scenario/load.js";
import { EXIT } from "./exit-codes.js";
import { scenarioArgument } from "./library.js";
import { checkOutDir } from "./out-dir.js";
import { progressBar } from "./progress.js";
import { runEstimate } from "./run-estimate.js";
import { collect, parseSeedCount, printSetAside, parseWorkers, reproduceCommand, seedsFrom } from "./shared-options.js";
import { formatTable } from "./table.js";
import { EVENT_BUDGET_HELP } from "./event-budget-help.js";

interface CompareOptions {
  seeds: number;
  seed?: string;
  set: string[];
  workers: number;
  out?: string;
  json?: boolean;
}

export function registerCompare(program: Command): void {
  program
    .command("compare")
    .description("run every variant over several seeds (common random numbers) and compare them with 95% CIs")
    .argument("<scenario>", "a scenario file with variants, or a library scenario's name")
    .option("--seeds <n>", "seeds per variant", parseSeedCount, 10)
    .option("--seed <seed>", "the first seed (default: the scenario's); the others are <seed>-2, <seed>-3, ...")
    .option("--set <path=value>", "override a field (repeatable)", collect, [])
    .option("--workers <k>", "threads for the extra seeds: this one and k-1 worker threads", parseWorkers, 1)
    .option("--out <dir>", "write an HTML report (charts from the first seed, comparison from all)")
    .option("--json", "print one JSON document")
    .addHelpText("after", `
Examples:
  lbsim compare scenarios/variable-service-times.yaml --seeds 20
  lbsim compare scenarios/black-hole.yaml --seeds 5 --workers 2 --out reports/black-hole-compare`)
    .addHelpText("after", EVENT_BUDGET_HELP)
    .action(async (argument: string, options: CompareOptions) => {
      if (options.out !== undefined) await checkOutDir(options.out);
      const file = await scenarioArgument(argument);
      const loaded = loadScenario(file, { set: options.set });
      printSetAside(loaded);
      await initHistograms();
      const progress = progressBar();
      const estimate = runEstimate(loaded, options.seeds);
      if (estimate !== null) progress.announce(estimate);
      // Progress of the whole comparison: every run (variant x seed) is an equal share.
      const order = loaded.variants.map((v) => v.name);
      const runsInAll = Math.max(1, order.length) * options.seeds;
      const first = runVariants(loaded, options.seed, (variant, f) => progress.update(`seed 1: ${variant}`, (Math.max(0, order.indexOf(variant)) + f) / runsInAll));
      const seeds = seedsFrom(first[0]!.summary.seed, options.seeds);
      const variants = variantsOf(loaded);
      const rest = await runSweep({
        file, set: options.set, axes: [], variants, seeds: seeds.slice(1), workers: options.workers,
        onJobDone: (done) => progress.update("other seeds", (Math.max(1, order.length) + done) / runsInAll),
      });
      progress.done();
      const names = first.map((r) => r.summary.variant);
      const runs: RunSummary[][] = names.map((name, v) => [first[v]!.summary, ...rest.filter((p) => p.variant === name).map((p) => p.summary)]);
      const { rows, verdicts } = compareVariants(names, runs);
      const report = scenarioReport({
        loaded, results: first, comparison: rows, comparisonSeeds: seeds, verdicts,
        command: reproduceCommand("compare", file, seeds[0]!, options.set, ["--seeds", String(options.seeds)]),
      });
      if (options.json) console.log(JSON.stringify({ scenario: report.scenario.name, seeds, version: report.version, comparison: rows, verdicts, expectations: report.expectations }, null, 2));
      else {
        console.log(`${report.scenario.title}: ${names.length} variants x ${seeds.length} seeds (common random numbers)\n`);
        console.log(renderTerminalSummary(report));
        console.log(`\n${comparisonTable(rows)}`);
        console.log(verdicts.length > 0 ? `\n${verdicts.join("\n")}` : "\nNo difference is significant at 95% with these seeds.");
        if (report.expectations.length > 0) console.log(`\nExpectations (first seed):\n${renderTerminalExpectations(report)}`);
      }
      if (options.out) {
        const files = await writeReport(report, options.out);
        if (!options.json) console.log(`\nReport: ${files.indexHtml}`);
      }
      if (report.expectations.some((e) => !e.passed)) process.exitCode = EXIT.expectationFailed;
    });
}

function comparisonTable(rows: readonly ComparisonRow[]): string {
  return formatTable(["metric", "better", "variant", "mean", "95% CI"], rows.map((r, i) => [
    i === 0 || rows[i - 1]!.metric !== r.metric ? r.metric : "",
    i === 0 || rows[i - 1]!.metric !== r.metric ? r.better : "",
    r.variant,
    formatMeasured(r.mean, r.unit),
    `[${formatMeasured(r.ciLow, r.unit)}, ${formatMeasured(r.ciHigh, r.unit)}]`,
  ]));
}
