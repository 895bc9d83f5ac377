// The commands between lbsim and real proxy configs: `export` writes a scenario's balancer tier as an HAProxy,
// NGINX or Envoy config; `import` reads one back into a scenario; `predict` runs an imported config with
// default traffic and prints each backend's share.
import { readFileSync, statSync } from "node:fs";
import { Option, type Command } from "commander";
import { parse as parseYaml } from "yaml";
import { importConfig } from "../config-io/import-config.js";
import { predict, renderPrediction } from "../config-io/predict.js";
import { initHistograms } from "../metrics/histogram.js";
import { ScenarioError } from "../scenario/errors/scenario-error.js";
import { exportConfig, UnsupportedTarget } from "../config-io/export-config.js";
import { PROXY_TARGETS, type ProxyTarget } from "../config-io/types.js";
import { writeFileAtomic } from "../report/atomic-write.js";
import { scenarioConfig } from "../scenario/build.js";
import { loadScenario } from "../scenario/load.js";
import { UsageError } from "./exit-codes.js";
import { collect, parseSeedCount } from "./shared-options.js";

interface ImportCommandOptions {
  from?: ProxyTarget;
  select?: string;
  out?: string;
  strict?: boolean;
}

/** Generated proxy configs run larger than scenarios; past this a file is refused before it is read. */
const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/** The text of a config file, or a one-line user error. */
export function readConfigFile(file: string): string {
  try {
    const bytes = statSync(file).size;
    if (bytes > MAX_CONFIG_BYTES) throw new ScenarioError([{ file, line: 0, column: 0, path: "", message: `expected a config of at most 16 MB, got ${bytes.toLocaleString("en-US")} bytes`, expected: "a config of at most 16 MB" }]);
    return readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof ScenarioError) throw error;
    throw new ScenarioError([{ file, line: 0, column: 0, path: "", message: `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, expected: "a readable config file" }]);
  }
}

interface PredictCommandOptions {
  requests: string;
  seeds: number;
  fail?: string;
  from?: ProxyTarget;
  select?: string;
  json?: boolean;
}

/** True when the text is an lbsim scenario (a mapping with backends and clients) rather than a proxy config. */
function isScenario(text: string): boolean {
  try {
    const value = parseYaml(text) as unknown;
    return value !== null && typeof value === "object" && "backends" in value && "clients" in value;
  } catch {
    return false;
  }
}

interface ExportOptions {
  to: ProxyTarget;
  variant?: string;
  set: string[];
  listen?: string;
  out?: string;
}

export function registerConfigCommands(program: Command): void {
  program
    .command("import")
    .description("read an HAProxy, NGINX or Envoy config into a scenario (lb and backends, placeholder clients)")
    .argument("<file>", "haproxy.cfg, nginx.conf, or an Envoy Cluster (with its ClusterLoadAssignment) in YAML or JSON")
    .addOption(new Option("--from <proxy>", "the proxy the file is for (default: from the file name, else its text)").choices(PROXY_TARGETS))
    .option("--select <name>", "the HAProxy backend, NGINX upstream or Envoy cluster to import when there are several")
    .option("--out <file>", "write the scenario to this file instead of stdout")
    .option("--strict", "fail (exit 2) when a directive changes balancing in a way lbsim does not model")
    .addHelpText("after", `
Every directive is mapped (with a comment naming it and its line), or listed at the top of the scenario as "not
modelled" (it changes balancing; lbsim cannot) or "ignored" (no bearing on balancing: logging, TLS, headers).

Examples:
  lbsim import /etc/haproxy/haproxy.cfg --out my-tier.yaml && lbsim run my-tier.yaml
  lbsim import nginx.conf --select app_servers
  lbsim import envoy-cluster.yaml --strict`)
    .action(async (file: string, options: ImportCommandOptions) => {
      const text = readConfigFile(file);
      const result = importConfig(text, file, { ...(options.from ? { from: options.from } : {}), ...(options.select ? { select: options.select } : {}) });
      if (options.strict && result.notModelled.length > 0) {
        throw new ScenarioError(result.notModelled.map((n) => ({ file, line: n.line, column: n.line > 0 ? 1 : 0, path: "", message: `not modelled (--strict): ${n.what}: ${n.why}`, expected: "only directives lbsim models" })));
      }
      if (options.out) {
        await writeFileAtomic(options.out, result.text);
        console.error(`Wrote ${options.out}. Fill in its clients section, then: lbsim run ${options.out}`);
      } else process.stdout.write(result.text);
      console.error(`${result.notModelled.length} directive(s) not modelled, ${result.ignored.length} ignored: listed at the top of the scenario`);
    });

  program
    .command("predict")
    .description("predict each backend's share of traffic for a proxy config (or a scenario), and after one backend fails")
    .argument("<file>", "haproxy.cfg, nginx.conf, an Envoy cluster, or an lbsim scenario")
    .option("--requests <n>", "requests measured per run", "10000")
    .option("--seeds <n>", "seeds (independent runs) behind each 95% interval", parseSeedCount, 5)
    .option("--fail <backend>", "the backend that fails (default: the first primary)")
    .addOption(new Option("--from <proxy>", "the proxy the file is for (default: detected)").choices(PROXY_TARGETS))
    .option("--select <name>", "the HAProxy backend, NGINX upstream or Envoy cluster, when there are several")
    .option("--json", "print the prediction as JSON")
    .addHelpText("after", `
A proxy config runs with the placeholder traffic of \`lbsim import\` (200 requests/s, lognormal 20 ms); import
it to a file and edit its clients section to predict with your own.

Examples:
  lbsim predict haproxy.cfg
  lbsim predict nginx.conf --requests 50000 --fail upstream-2
  lbsim predict envoy-cluster.yaml --seeds 10 --json`)
    .action(async (file: string, options: PredictCommandOptions) => {
      const requests = Number(options.requests);
      if (!Number.isInteger(requests) || requests < 100 || requests > 10_000_000) throw new UsageError(`--requests: expected a whole number from 100 to 10000000, got "${options.requests}"`);
      const text = readConfigFile(file);
      const scenarioText = isScenario(text) ? text : importConfig(text, file, { ...(options.from ? { from: options.from } : {}), ...(options.select ? { select: options.select } : {}) }).text;
      await initHistograms();
      let prediction;
      try {
        prediction = predict(scenarioText, file, { requests, seeds: options.seeds, ...(options.fail ? { fail: options.fail } : {}) });
      } catch (error) {
        if (error instanceof RangeError) throw new UsageError(error.message);
        throw error;
      }
      console.log(options.json ? JSON.stringify(prediction, null, 2) : renderPrediction(prediction, file));
    });

  program
    .command("export")
    .description("write the proxy config (HAProxy, NGINX or Envoy) that implements a scenario's balancer tier")
    .argument("<scenario>", "a scenario file (YAML or JSON)")
    .addOption(new Option("--to <proxy>", "the proxy to write a config for").choices(PROXY_TARGETS).makeOptionMandatory())
    .option("--variant <name>", "export this variant instead of the scenario as written")
    .option("--set <path=value>", "override a field first, as in `run` (repeatable)", collect, [])
    .option("--listen <host:port>", "where the proxy listens", "127.0.0.1:8000")
    .option("--out <file>", "write the config to this file instead of stdout")
    .addHelpText("after", `
What the proxy cannot express is listed at the top of the config and on stderr.

Examples:
  lbsim export --to haproxy scenarios/black-hole.yaml > haproxy.cfg && haproxy -c -f haproxy.cfg
  lbsim export --to nginx scenarios/nat-ip-hash.yaml --out nginx.conf
  lbsim export --to envoy scenarios/fast-failure-trap.yaml --variant outlier-detection`)
    .action(async (file: string, options: ExportOptions) => {
      const loaded = loadScenario(file, { set: options.set, ...(options.variant ? { variant: options.variant } : {}) });
      const config = scenarioConfig(loaded, options.variant ?? null);
      let result;
      try {
        result = exportConfig(config, options.to, { ...(options.listen ? { listen: options.listen } : {}) });
      } catch (error) {
        if (error instanceof UnsupportedTarget) throw new UsageError(error.message);
        throw error;
      }
      if (options.out) {
        await writeFileAtomic(options.out, result.text);
        console.error(`Wrote ${options.out}`);
      } else process.stdout.write(result.text);
      for (const n of result.notExpressible) console.error(`not expressible in ${options.to}: ${n.what}: ${n.why}`);
    });
}
