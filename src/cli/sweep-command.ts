// `lbsim sweep`: a parameter grid (every combination of the --vary values) x variants x seeds on --workers threads
// (this one and helper threads, src/lab/sweep-pool.ts); the table is identical whatever the number of workers.
// `--out DIR` writes the table, CSVs and a report, and keeps each finished cell so an interrupted sweep resumes;
// `--shard K/N --out-shard FILE` runs one shard of the sweep for `lbsim merge` (see src/lab/sweep-cells.ts for how
// cells are assigned to shards).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { LBSIM_VERSION } from "../lab/run-plan.js";
import { variantsOf } from "../lab/scenario-runs.js";
import { grid, parseVary, type SweepDefinition } from "../lab/sweep.js";
import { assignShards, estimatedRequests, type Shard, sweepCells } from "../lab/sweep-cells.js";
import { sweepFingerprint } from "../lab/sweep-fingerprint.js";
import { startSweepPool, type SweepPool } from "../lab/sweep-pool.js";
import { removeCellDir, runResumable, shardDocument, SweepFileError } from "../lab/sweep-store.js";
import { writeFileAtomic } from "../report/atomic-write.js";
import { sweepJson, sweepRows, sweepTableText, writeSweepOutputs } from "../report/sweep-report.js";
import { scenarioConfig } from "../scenario/build.js";
import { didYouMean } from "../scenario/errors/did-you-mean.js";
import { loadScenario } from "../scenario/load.js";
import { isKnownMetric, knownMetrics, METRIC_EXPECTED, metricBackendNames } from "../scenario/metric-path.js";
import { UsageError } from "./exit-codes.js";
import { scenarioArgument } from "./library.js";
import { progressBar } from "./progress.js";
import { collect, parseSeedCount, parseWorkers, printSetAside, seedsFrom } from "./shared-options.js";
import { requireNewFileOrDir } from "./sweep-outputs.js";
import { EVENT_BUDGET_HELP } from "./event-budget-help.js";

interface SweepOptions {
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
    .option("--out <dir>", "write sweep.txt, sweep.csv, cells.csv, sweep.json and index.html; finished cells are kept in DIR/cells, so a rerun resumes")
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
      // The helper threads load the simulator while this thread reads and checks the sweep.
      const pool = startSweepPool(options.workers);
      try {
        await sweep(argument, options, pool);
      } finally {
        await pool.close();
      }
    });
}

async function sweep(argument: string, options: SweepOptions, pool: SweepPool): Promise<void> {
  const file = await scenarioArgument(argument);
  let axes;
  try {
    axes = options.vary.map(parseVary);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const shard = options.shard === undefined ? null : parseShard(options.shard, process.env);
  if (shard !== null && options.outShard === undefined) throw new UsageError("--shard needs --out-shard FILE: a shard's results go to a file for lbsim merge");
  if (shard === null && options.outShard !== undefined) throw new UsageError("--out-shard goes with --shard K/N");
  if (shard !== null && options.out !== undefined) throw new UsageError("--shard writes one shard (--out-shard FILE); lbsim merge writes the report from all shards (--out DIR)");
  if (options.out !== undefined) requireNewFileOrDir(options.out, "directory");
  if (options.outShard !== undefined) requireNewFileOrDir(options.outShard, "file");

  const loaded = loadScenario(file, { set: options.set });
  printSetAside(loaded);
  // Validate every grid value up front, so a typo fails before an hour of runs rather than inside a worker.
  // A value some variant would not take (it sets that path itself) would mislabel its rows: an error.
  for (const axis of axes) {
    for (const value of axis.values) {
      const aside = loadScenario(file, { set: options.set, vary: [`${axis.path}=${value}`] }).setAside.find((a) => a.override.startsWith("--vary "));
      if (aside !== undefined) throw new UsageError(`${aside.override}: variants ${aside.variants.join(", ")} set ${axis.path} themselves, so their rows would not take the grid's values; vary a path no variant sets`);
    }
  }
  const metrics = options.metric.length > 0 ? options.metric : DEFAULT_SWEEP_METRICS;
  checkMetrics(metrics, metricBackendNames(loaded.base));
  const variants = variantsOf(loaded);
  const seeds = seedsFrom(options.seed ?? String(loaded.base.seed), options.seeds);
  const definition: SweepDefinition = { file, set: options.set, axes, variants, seeds };
  const cells = sweepCells(axes, variants, seeds);
  // Load every grid point up front (once: its variants are in what it loads): a typo fails before an hour of runs
  // rather than inside a worker, and each point's configuration gives the cost estimate that shards balance and
  // that orders the runs, costliest first.
  const costOf = new Map<string, number>();
  for (const values of grid(axes)) {
    const point = loadScenario(file, { set: options.set, vary: axes.map((axis, i) => `${axis.path}=${values[i]}`) });
    for (const variant of variants) costOf.set(JSON.stringify([values, variant]), estimatedRequests(scenarioConfig(point, variant), file));
  }
  const fingerprint = sweepFingerprint(definition, loaded.base.name, readFileSync(file), LBSIM_VERSION);
  const costs = cells.map((cell) => costOf.get(JSON.stringify([cell.values, cell.variant]))!);
  const progress = progressBar();
  const onCellDone = (done: number, total: number): void => progress.update("sweep", done / total);

  try {
    if (shard !== null) {
      const mine = assignShards(costs, shard.count)[shard.index]!.map((i) => cells[i]!);
      const cacheDir = `${options.outShard!}.cells`;
      const { results, resumed } = await runResumable({ definition, fingerprint, cells: mine, workers: options.workers, costs, pool, cacheDir, onCellDone });
      progress.done();
      await writeFileAtomic(options.outShard!, shardDocument(fingerprint, shard, results));
      await removeCellDir(cacheDir);
      const share = mine.reduce((s, c) => s + costs[c.index]!, 0) / costs.reduce((a, b) => a + b, 0);
      console.log(`shard ${shard.index}/${shard.count}: ${mine.length} of ${cells.length} cells (${(share * 100).toFixed(1)}% of the estimated cost)${resumed > 0 ? `, ${resumed} resumed` : ""}; wrote ${options.outShard!}`);
      return;
    }
    const cacheDir = options.out === undefined ? null : join(options.out, "cells");
    const { results, resumed } = await runResumable({ definition, fingerprint, cells, workers: options.workers, costs, pool, cacheDir, onCellDone });
    progress.done();
    if (options.json) {
      process.stdout.write(sweepJson(fingerprint, results));
    } else {
      console.log(sweepTableText(axes.map((a) => a.path), metrics, sweepRows(results, metrics)));
    }
    if (options.out !== undefined) {
      const files = await writeSweepOutputs(options.out, fingerprint, results, metrics);
      if (!options.json) console.log(`\n${resumed > 0 ? `Resumed ${resumed} finished cells of ${cells.length}. ` : ""}Report: ${files.indexHtml}`);
    }
  } catch (error) {
    if (error instanceof SweepFileError) throw new UsageError(error.message);
    throw error;
  }
}

/** An unknown `--metric` fails before any run, worded as an unknown `expect:` metric is. */
function checkMetrics(metrics: readonly string[], backends: readonly string[]): void {
  for (const metric of metrics) {
    if (isKnownMetric(metric, backends)) continue;
    const suggestion = didYouMean(metric, knownMetrics(backends));
    throw new UsageError(`--metric ${metric}: expected ${METRIC_EXPECTED}, got "${metric}"${suggestion === undefined ? "" : ` (did you mean \`${suggestion}\`?)`}`);
  }
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
