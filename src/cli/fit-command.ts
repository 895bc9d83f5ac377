// `lbsim fit LOG --format nginx|haproxy|csv`: a scenario's `clients` section fitted to an access log (streamed,
// gzip or plain), with a comment on every fitted number saying what it came from and how well it fits.
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { Option } from "commander";
import { LBSIM_VERSION } from "../lab/run-plan.js";
import { writeFileAtomic } from "../report/atomic-write.js";
import { fitLog } from "../traffic/fit-log.js";
import { fitToYaml } from "../traffic/fit-yaml.js";
import { LOG_FORMATS, type LogFormat } from "../traffic/log-formats.js";
import { LogFileError } from "../traffic/log-reader.js";
import { UsageError } from "./exit-codes.js";
import { progressBar } from "./progress.js";

interface FitOptions {
  format: LogFormat;
  out?: string;
}

export function registerFit(program: Command): void {
  program
    .command("fit")
    .description("fit a scenario's clients section (arrivals, request classes, demands, client /24s) to an access log")
    .argument("<log>", "an NGINX, HAProxy or CSV access log, plain or gzip")
    .addOption(new Option("--format <format>", "the log's format").choices([...LOG_FORMATS]).makeOptionMandatory())
    .option("--out <file>", "write the clients section to a file instead of stdout")
    .addHelpText("after", `
Examples:
  lbsim fit /var/log/nginx/access.log.gz --format nginx > clients.yaml
  lbsim fit haproxy.log --format haproxy --out clients.yaml
  lbsim fit requests.csv --format csv

NGINX logs need these fields (a log_format lbsim adds them):
  log_format lbsim '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent '
                   '"$http_referer" "$http_user_agent" rt=$request_time urt="$upstream_response_time" '
                   'uct="$upstream_connect_time" msec=$msec cr=$connection_requests';
HAProxy: option httplog. CSV: columns timestamp (Unix seconds), method, path, client, duration_ms
[, status, connection_requests]. Client addresses are replaced by pseudonyms that keep their /24 grouping.`)
    .action(async (log: string, options: FitOptions) => {
      if (!existsSync(log)) throw new UsageError(`${log}: no such file`);
      const progress = progressBar();
      const started = process.hrtime.bigint();
      let fit;
      try {
        fit = await fitLog(log, options.format, (f) => progress.update("reading log", f));
      } catch (error) {
        if (error instanceof LogFileError) throw new UsageError(error.message);
        throw error;
      }
      progress.done();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const yaml = fitToYaml(fit, LBSIM_VERSION);
      if (options.out !== undefined) await writeFileAtomic(options.out, yaml);
      else process.stdout.write(yaml);
      const bad = fit.counts.firstBad.map((b) => `\n  line ${b.line}: ${b.reason}`).join("");
      console.error(`lbsim fit: ${fit.counts.good.toLocaleString("en-US")} requests fitted, ${fit.counts.bad.toLocaleString("en-US")} lines skipped${bad}`);
      console.error(`lbsim fit: read ${fit.counts.lines.toLocaleString("en-US")} lines in ${seconds.toFixed(2)} s (${Math.round(fit.counts.lines / Math.max(seconds, 1e-9)).toLocaleString("en-US")} lines/s)${options.out !== undefined ? `; wrote ${options.out}` : ""}`);
    });
}
