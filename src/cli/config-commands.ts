// The commands between lbsim and real proxy configs: `export` writes a scenario's balancer tier as an HAProxy,
// NGINX or Envoy config; `import` reads one back into a scenario; `predict` runs an imported config with
// default traffic and prints each backend's share.
import { Option, type Command } from "commander";
import { exportConfig, UnsupportedTarget } from "../config-io/export-config.js";
import { PROXY_TARGETS, type ProxyTarget } from "../config-io/types.js";
import { writeFileAtomic } from "../report/atomic-write.js";
import { scenarioConfig } from "../scenario/build.js";
import { loadScenario } from "../scenario/load.js";
import { UsageError } from "./exit-codes.js";
import { collect } from "./shared-options.js";

interface ExportOptions {
  to: ProxyTarget;
  variant?: string;
  set: string[];
  listen?: string;
  out?: string;
}

export function registerConfigCommands(program: Command): void {
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
