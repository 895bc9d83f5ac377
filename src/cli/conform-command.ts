// `lbsim conform`: run a scenario on a real proxy (HAProxy, NGINX, or lbsim's own) beside lbsim's prediction and
// say, metric by metric, whether they agree within tolerance; `--all` runs the suite (npm run conformance).
import { resolve } from "node:path";
import type { Command } from "commander";
import { initHistograms } from "../metrics/histogram.js";
import type { ConformCase, ProxyKind } from "../conform/conform-case.js";
import { writeConformReport } from "../conform/conform-report.js";
import { formatCase, suiteJson } from "../conform/format-run.js";
import { runCase, type CaseRun } from "../conform/run-case.js";
import { SUITE } from "../conform/suite.js";
import { suiteExitCode } from "../conform/verdict.js";
import { proxyVersion } from "../conform/proxies.js";
import { EXIT, UsageError } from "./exit-codes.js";

interface ConformOptions {
  proxy?: string;
  variant?: string;
  config?: string;
  all?: boolean;
  case?: string[];
  json?: boolean;
  out?: string;
}

const PROXIES: readonly ProxyKind[] = ["haproxy", "nginx", "lbsim"];

export function registerConform(program: Command): void {
  program
    .command("conform")
    .description("run a scenario on a real proxy and on lbsim; compare lost requests, shares, latency and detection times")
    .argument("[scenario]", "a scenario file from conformance/ (or any, with --config)")
    .option("--proxy <name>", "haproxy, nginx or lbsim")
    .option("--variant <name>", "the scenario's variant to run")
    .option("--config <file>", "the proxy's configuration template for a scenario outside the suite")
    .option("--all", "run the whole suite (npm run conformance)")
    .option("--case <name>", "run only this suite case (repeatable)", (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option("--json", "print one JSON document for the cases run")
    .option("--out <dir>", "write an HTML page per case with the real and simulated curves on the same axes")
    .addHelpText("after", `
Examples:
  lbsim conform conformance/black-hole.yaml --proxy haproxy --variant http
  lbsim conform --all --json
  lbsim conform --case haproxy-black-hole-tcp --out reports/conformance

Processes run on 127.0.0.1 only, each case bounded in requests and seconds; every process is killed by its PID
at the end, on failure and on Ctrl-C. A case whose load generator fell behind its schedule, or run while the
load average passed the core count, is reported as "machine too busy"; if it is also out of tolerance it runs
once more. Exit codes: 0 every case within tolerance
(or skipped: proxy absent; or a documented known difference, docs/conformance.md), 1 a case out of tolerance on a
machine that kept its schedule, or unable to run (a model or mapping mismatch), 2 bad input, 4 no verdict: a case
out of tolerance on both runs while the machine was too busy (rerun it on a quieter machine).`)
    .action(async (scenario: string | undefined, options: ConformOptions) => {
      const cases = selectCases(scenario, options);
      await initHistograms();
      const root = process.cwd();
      // One clear line when real proxies are missing: their cases are skipped, never silently.
      const absent = [...new Set(cases.map((c) => c.proxy))].filter((p) => p !== "lbsim" && proxyVersion(p) === null);
      if (absent.length > 0) {
        const skipped = cases.filter((c) => absent.includes(c.proxy)).length;
        console.error(`conform: ${absent.join(" and ")} not installed: ${skipped} real-proxy case(s) skipped (scripts/install-proxies.sh installs them)`);
      }
      const runs: CaseRun[] = [];
      for (const c of cases) {
        const run = await runCase(c, root);
        runs.push(run);
        if (!options.json) console.log(`${formatCase(run)}\n`);
      }
      if (options.out) {
        const index = await writeConformReport(runs, options.out);
        if (!options.json) console.log(`Report: ${index}`);
      }
      if (options.json) console.log(JSON.stringify(suiteJson(runs), null, 2));
      else {
        const counted = runs.filter((r) => r.status !== "skipped");
        const known = counted.filter((r) => r.status === "known").length;
        const inconclusive = counted.filter((r) => r.status === "inconclusive").map((r) => r.name);
        console.log(`${counted.filter((r) => r.passed).length}/${counted.length} cases within tolerance${known > 0 ? `, ${known} known difference(s) (docs/conformance.md)` : ""}${inconclusive.length > 0 ? `, ${inconclusive.length} inconclusive (machine too busy): ${inconclusive.join(" ")}` : ""}${runs.length > counted.length ? `, ${runs.length - counted.length} skipped` : ""}`);
      }
      // A mismatch (out of tolerance on a machine that kept its schedule, or could not run) fails with 1; no verdict
      // (out of tolerance while too busy, twice) with 4, so CI can tell a starved machine from a model mismatch.
      // Skipped (no binary) and documented known differences do not fail.
      const code = suiteExitCode(runs.map((r) => r.status));
      if (code !== 0) process.exitCode = code === 1 ? EXIT.expectationFailed : EXIT.inconclusive;
    });
}

function selectCases(scenario: string | undefined, options: ConformOptions): ConformCase[] {
  if (options.proxy !== undefined && !PROXIES.includes(options.proxy as ProxyKind)) {
    throw new UsageError(`--proxy: expected one of ${PROXIES.join(", ")}, got "${options.proxy}"`);
  }
  if (options.all) return SUITE.filter((c) => options.proxy === undefined || c.proxy === options.proxy);
  if (options.case && options.case.length > 0) {
    return options.case.map((name) => {
      const found = SUITE.find((c) => c.name === name);
      if (!found) throw new UsageError(`--case: no case "${name}" (cases: ${SUITE.map((c) => c.name).join(", ")})`);
      return found;
    });
  }
  if (scenario === undefined) throw new UsageError("give a scenario, --case NAME or --all");
  if (options.proxy === undefined) throw new UsageError("--proxy: expected haproxy, nginx or lbsim");
  const file = resolve(scenario);
  const matching = SUITE.filter((c) => resolve(c.scenario) === file && c.proxy === options.proxy && (options.variant === undefined || c.variant === options.variant));
  if (options.config === undefined) {
    if (matching.length === 0) throw new UsageError(`${scenario} has no ${options.proxy} case in the suite${options.variant ? ` for variant ${options.variant}` : ""}: give its configuration with --config`);
    return matching;
  }
  return [{
    name: `${scenario.replace(/^.*\//, "").replace(/\.ya?ml$/, "")}-${options.proxy}${options.variant ? `-${options.variant}` : ""}`,
    proxy: options.proxy as ProxyKind, scenario, variant: options.variant ?? null, config: options.config,
    about: "a scenario run from the command line", metrics: [{ kind: "lost" }, { kind: "share" }, { kind: "latency", quantile: 50 }, { kind: "latency", quantile: 99 }],
  }];
}
