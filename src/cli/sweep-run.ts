// What `lbsim sweep` does once its options are parsed (sweep-command.ts registers it and loads this module only
// then, after starting the helper threads, so that they load the simulator while this thread does).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LBSIM_VERSION } from "../lab/run-plan.js";
import { variantsOf } from "../lab/scenario-runs.js";
import { grid, parseVary, type SweepDefinition } from "../lab/sweep.js";
import { assignShards, estimatedRequests, sweepCells } from "../lab/sweep-cells.js";
import { sweepFingerprint } from "../lab/sweep-fingerprint.js";
import type { SweepPool } from "../lab/sweep-pool.js";
import { removeCellDir, runResumable, saveFinishedCells, shardDocument, sweepCellCache, SweepFileError } from "../lab/sweep-store.js";
import { writeFileAtomic } from "../report/atomic-write.js";
import { requireReplaceable } from "../report/replace-directory.js";
import { sweepJson, sweepRenderers, sweepRows, sweepTableText, writeSweepOutputs } from "../report/sweep-report.js";
import { scenarioConfig } from "../scenario/build.js";
import { didYouMean } from "../scenario/errors/did-you-mean.js";
import { loadScenario } from "../scenario/load.js";
import { isKnownMetric, knownMetrics, METRIC_EXPECTED, metricBackendNames } from "../scenario/metric-path.js";
import { UsageError } from "./exit-codes.js";
import { progressBar } from "./progress.js";
import { printSetAside, seedsFrom } from "./shared-options.js";
import { DEFAULT_SWEEP_METRICS, parseShard, type SweepOptions } from "./sweep-command.js";
import { requireNewFileOrDir } from "./sweep-outputs.js";

/** `file` is the scenario's path (a library name already resolved). */
export async function sweep(file: string, options: SweepOptions, pool: SweepPool): Promise<void> {
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
  if (options.out !== undefined) {
    requireNewFileOrDir(options.out, "directory");
    await requireReplaceable(options.out);
  }
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
    // A failed load shows when the report is written (writeSweepOutputs asks again), not here.
    if (options.out !== undefined) sweepRenderers().catch(() => undefined);
    // The cells of this run wait beside the folder, which is replaced whole at the end (sweep-store.ts).
    const cacheDir = options.out === undefined ? null : sweepCellCache(options.out);
    const finishedDir = options.out === undefined ? undefined : join(options.out, "cells");
    const { results, resumed } = await runResumable({ definition, fingerprint, cells, workers: options.workers, costs, pool, cacheDir, ...(finishedDir === undefined ? {} : { finishedDir }), otherSweepCells: "ignore", onCellDone });
    progress.done();
    if (options.json) {
      process.stdout.write(sweepJson(fingerprint, results));
    } else {
      console.log(sweepTableText(axes.map((a) => a.path), metrics, sweepRows(results, metrics)));
    }
    if (options.out !== undefined) {
      const files = await writeSweepOutputs(options.out, fingerprint, results, metrics, {
        alsoWrite: (staging) => saveFinishedCells(join(staging, "cells"), fingerprint, results),
      });
      await removeCellDir(cacheDir!);
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
