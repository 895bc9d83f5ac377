// `lbsim run`: run a scenario (every variant with the same seed), print a summary table and the expectations,
// optionally write a report, and exit 1 if an expectation failed.
import type { Command } from "commander";
import { runVariants, scenarioReport } from "../lab/scenario-runs.js";
import { initHistograms } from "../metrics/histogram.js";
import { renderTerminalExpectations, renderTerminalSummary, writeReport } from "../report/index.js";
import { loadScenario } from "../scenario/load.js";
import { runJsonText } from "../report/run-json.js";
import { EXIT } from "./exit-codes.js";
import { scenarioArgument } from "./library.js";
import { checkOutDir } from "./out-dir.js";
import { progressBar } from "./progress.js";
import { runEstimate } from "./run-estimate.js";
import { collect, printSetAside, reproduceCommand } from "./shared-options.js";
import { EVENT_BUDGET_HELP } from "./event-budget-help.js";

interface RunOptions {
  seed?: string;
  set: string[];
  variant?: string;
  out?: string;
  json?: boolean;
}

export function registerRun(program: Command): void {
  program
    .command("run")
    .description("run a scenario's variants with one seed; print a summary, check its expectations")
    .argument("<scenario>", "a scenario file (YAML or JSON), or a library scenario's name (lbsim list)")
    .option("--seed <seed>", "random seed (default: the scenario's)")
    .option("--set <path=value>", "override a field, e.g. lb.health.probe=http (repeatable)", collect, [])
    .option("--variant <name>", "run only this variant")
    .option("--out <dir>", "write an HTML report with charts, specs, data and PNGs to this folder")
    .option("--json", "print one JSON document instead of the table")
    .addHelpText("after", `
Examples:
  lbsim run black-hole
  lbsim run scenarios/black-hole.yaml
  lbsim run scenarios/black-hole.yaml --out reports/black-hole
  lbsim run my.yaml --seed 7 --set lb.algorithm=least-connections --json

Exit codes: 0 ok, 1 an expect: failed, 2 bad input, 3 the simulation failed.`)
    .addHelpText("after", EVENT_BUDGET_HELP)
    .action(async (argument: string, options: RunOptions) => {
      if (options.out !== undefined) await checkOutDir(options.out);
      const file = await scenarioArgument(argument);
      const loaded = loadScenario(file, { set: options.set, ...(options.variant ? { variant: options.variant } : {}) });
      printSetAside(loaded);
      await initHistograms();
      const progress = progressBar();
      const estimate = runEstimate(loaded, 1);
      if (estimate !== null) progress.announce(estimate);
      // Progress of the whole run: each variant is an equal share.
      const order = loaded.variants.map((v) => v.name);
      const share = (variant: string, fraction: number): number => (Math.max(0, order.indexOf(variant)) + fraction) / Math.max(1, order.length);
      const results = runVariants(loaded, options.seed, (variant, fraction) => progress.update(variant, share(variant, fraction)));
      progress.done();
      const seed = results[0]!.summary.seed;
      const variant = options.variant === undefined ? [] : ["--variant", options.variant];
      const report = scenarioReport({ loaded, results, command: reproduceCommand("run", file, seed, options.set, variant) });
      if (options.json) process.stdout.write(runJsonText(report));
      else {
        console.log(renderTerminalSummary(report));
        if (report.expectations.length + report.skippedExpectations.length > 0) console.log(`\n${renderTerminalExpectations(report)}`);
      }
      if (options.out) {
        const files = await writeReport(report, options.out);
        if (!options.json) console.log(`\nReport: ${files.indexHtml}`);
      }
      if (report.expectations.some((e) => !e.passed)) process.exitCode = EXIT.expectationFailed;
    });
}
