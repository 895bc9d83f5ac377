// `lbsim sweep`: a parameter grid (every combination of the --vary values) x variants x seeds on --workers threads
// (this one and helper threads, src/lab/sweep-pool.ts); the table is identical whatever the number of workers.
// `--out DIR` writes the table, CSVs and a report as one folder replaced whole (src/report/replace-directory.ts),
// and keeps each finished cell beside it while it runs, so an interrupted sweep resumes (src/lab/sweep-store.ts);
// `--shard K/N --out-shard FILE` runs one shard of the sweep for `lbsim merge` (see src/lab/sweep-cells.ts for how
// cells are assigned to shards).
import type { Command } from "commander";
import type { Shard } from "../lab/sweep-cells.js";
import { startSweepPool } from "../lab/sweep-pool.js";
import { UsageError } from "./exit-codes.js";
import { scenarioArgument } from "./library.js";
import { collect, parseSeedCount, parseWorkers } from "./shared-options.js";
import { EVENT_BUDGET_HELP } from "./event-budget-help.js";

export interface SweepOptions {
  vary: string[];
  seeds: number;
  seed?: string;
  set: string[];
  workers: number;
  metric: string[];
  json?: boolean;
  out?: string;
  shard?: string;
  outShard?: string;
}

export const DEFAULT_SWEEP_METRICS = ["requests.lostFraction", "latencyMs.p50", "latencyMs.p99"];

export function registerSweep(program: Command): void {
  program
    .command("sweep")
    .description("run a grid of parameter values x variants x seeds on several threads and tabulate the metrics")
    .argument("<scenario>", "a scenario file, or a library scenario's name")
    .requiredOption("--vary <path=v1,v2,...>", "a field and the values to try (repeatable: the grid is every combination)", collect, [])
    .option("--seeds <n>", "seeds per grid point", parseSeedCount, 3)
    .option("--seed <seed>", "the first seed (default: the scenario's)")
    .option("--set <path=value>", "a fixed override (repeatable)", collect, [])
    .option("--workers <k>", "threads running cells: this one and k-1 worker threads", parseWorkers, 2)
    .option("--metric <path>", "a summary metric to tabulate (repeatable)", collect, [])
    .option("--json", "print every run's summary as one JSON document")
    .option("--out <dir>", "write sweep.txt, sweep.csv, cells.csv, sweep.json and index.html, replacing DIR whole when done; finished runs wait in .DIR.lbsim-cells beside it, so a rerun resumes")
    .option("--shard <K/N|env>", "run only shard K of N (K from 0, as Kubernetes' JOB_COMPLETION_INDEX); 'env' reads LBSIM_SHARD_INDEX or JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID, and LBSIM_SHARD_COUNT or SLURM_ARRAY_TASK_COUNT")
    .option("--out-shard <file>", "with --shard: write the shard's results (for lbsim merge) to this file")
    .addHelpText("after", `
Examples:
  lbsim sweep scenarios/retries.yaml --vary lb.retries.tries=1,2,3 --seeds 5 --workers 2
  lbsim sweep my.yaml --vary lb.health.interval=500ms,1s,2s --vary lb.health.fall=2,3 --metric requests.lost --out reports/sweep
  # the same sweep in two pieces (on two machines, or as a Kubernetes Indexed Job), then merged:
  lbsim sweep my.yaml --vary lb.health.interval=500ms,1s,2s --shard 0/2 --out-shard shard-0.json
  lbsim sweep my.yaml --vary lb.health.interval=500ms,1s,2s --shard 1/2 --out-shard shard-1.json
  lbsim merge shard-0.json shard-1.json --out reports/sweep

Shards: cells (grid point x variant x seed) are numbered grid point first, then variant, then seed; shard K of N
runs the cells that longest-processing-time-first assigns it by estimated cost (expected requests), a pure
function of the sweep, so no coordinator is needed.`)
    .addHelpText("after", EVENT_BUDGET_HELP)
    .action(async (argument: string, options: SweepOptions) => {
      const file = await scenarioArgument(argument);
      // The helper threads start first, so they load the simulator and the scenario while this thread does
      // (sweep-run.ts and what it imports) and checks the sweep.
      const pool = startSweepPool(options.workers, { file, set: options.set });
      try {
        const { sweep } = await import("./sweep-run.js");
        await sweep(file, options, pool);
      } finally {
        await pool.close();
      }
    });
}

/** `K/N` (0 <= K < N), or `env`: the index and count a batch system hands each worker. */
export function parseShard(text: string, env: NodeJS.ProcessEnv): Shard {
  if (text === "env") {
    const slurmMin = Number(env.SLURM_ARRAY_TASK_MIN ?? 0);
    const indexText = env.LBSIM_SHARD_INDEX ?? env.JOB_COMPLETION_INDEX
      ?? (env.SLURM_ARRAY_TASK_ID === undefined ? undefined : String(Number(env.SLURM_ARRAY_TASK_ID) - slurmMin));
    const countText = env.LBSIM_SHARD_COUNT ?? env.SLURM_ARRAY_TASK_COUNT;
    if (indexText === undefined || countText === undefined) {
      throw new UsageError("--shard env needs the shard index (LBSIM_SHARD_INDEX, or JOB_COMPLETION_INDEX from a Kubernetes Indexed Job, or SLURM_ARRAY_TASK_ID) and the shard count (LBSIM_SHARD_COUNT or SLURM_ARRAY_TASK_COUNT)");
    }
    return checkedShard(indexText, countText, "from the environment");
  }
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (match === null) throw new UsageError(`--shard expects K/N (such as 0/4, K from 0 to N-1) or env, got "${text}"`);
  return checkedShard(match[1]!, match[2]!, `in --shard ${text}`);
}

function checkedShard(indexText: string, countText: string, where: string): Shard {
  const index = Number(indexText);
  const count = Number(countText);
  if (!Number.isInteger(count) || count < 1 || count > 100_000) throw new UsageError(`shard count ${where} must be a whole number from 1 to 100000, got "${countText}"`);
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new UsageError(`shard index ${where} must be a whole number from 0 to ${count - 1} (0-based, as JOB_COMPLETION_INDEX), got "${indexText}"`);
  }
  return { index, count };
}
