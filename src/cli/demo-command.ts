// `lbsim demo`: the canonical workload (Poisson arrivals into c servers with FIFO queues, dispatched by power
// of two choices) run on the engine, printed as a summary next to what queueing theory says where it can.
import type { Command } from "commander";
import { US_PER_SECOND } from "../engine/time.js";
import { initHistograms, summarize } from "../metrics/histogram.js";
import { canonicalStation } from "../model/canonical-workload.js";
import { runStation } from "../model/queueing-station.js";
import { parseIntegerOption, parseNumberOption } from "./options.js";
import { UsageError } from "./exit-codes.js";
import { formatTable } from "./table.js";

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description("run the canonical queueing workload (jsq2 or mm1) and print a latency summary")
    .option("--model <model>", "jsq2 (8 servers, power of two choices) or mm1 (one server)", "jsq2")
    .option("--n <requests>", "number of arrivals", parseIntegerOption, 1_000_000)
    .option("--rho <load>", "utilisation, between 0 and 1", parseNumberOption, 0.9)
    .option("--seed <seed>", "random seed", "1")
    .addHelpText("after", "\nExamples:\n  lbsim demo\n  lbsim demo --model mm1 --n 200000 --seed 7\n")
    .action(async (options: { model: "jsq2" | "mm1"; n: number; rho: number; seed: string }) => {
      if (options.model !== "jsq2" && options.model !== "mm1") {
        throw new UsageError(`--model must be jsq2 or mm1, got "${options.model}"`);
      }
      if (!(options.rho > 0 && options.rho < 1)) throw new UsageError(`--rho must be between 0 and 1, got ${options.rho}`);
      await initHistograms();
      const config = canonicalStation({ model: options.model, arrivals: options.n, seed: options.seed, rho: options.rho, dispatcher: "production" });
      const servers = config.servers;
      const started = process.hrtime.bigint();
      const result = runStation(config);
      const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      const latency = summarize(result.sojournUs);
      result.sojournUs.destroy();
      const toSeconds = (us: number): number => us / US_PER_SECOND;
      console.log(`lbsim demo: ${options.model}, ${servers} server(s), rho ${options.rho}, seed ${options.seed}`);
      console.log(`service time Exp(mean 1 s), ${options.n.toLocaleString("en-US")} Poisson arrivals\n`);
      const rows: Array<[string, number, string]> = [
        ["requests completed", result.completed, ""],
        ["events", result.run.events, ""],
        ["mean sojourn (s)", toSeconds(result.meanSojournUs), options.model === "mm1" ? `theory ${(1 / (1 - options.rho)).toFixed(3)}` : ""],
        ["p50 (s)", toSeconds(latency.p50), ""],
        ["p90 (s)", toSeconds(latency.p90), ""],
        ["p99 (s)", toSeconds(latency.p99), options.model === "mm1" ? `theory ${(Math.log(100) / (1 - options.rho)).toFixed(3)}` : ""],
        ["p99.9 (s)", toSeconds(latency.p999), ""],
        ["max (s)", toSeconds(latency.max), ""],
        ["simulated time (s)", toSeconds(result.run.endTimeUs), ""],
        ["wall time (s)", wallSeconds, ""],
        ["events per second", Math.round(result.run.events / wallSeconds), ""],
      ];
      console.log(formatTable(["metric", "value", "note"], rows));
    });
}
