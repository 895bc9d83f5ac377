// `lbsim sweep`: a parameter grid (every combination of the --vary values) x variants x seeds on a pool of worker
// threads; the table is identical whatever the number of workers.
import type { Command } from "commander";
import { meanInterval } from "../lab/statistics.js";
import { parseVary, runSweep, type SweepPoint } from "../lab/sweep.js";
import { variantsOf } from "../lab/scenario-runs.js";
import { loadScenario } from "../scenario/load.js";
import { metricValue } from "../scenario/metric-path.js";
import { UsageError } from "./exit-codes.js";
import { progressBar } from "./progress.js";
import { collect, parseSeedCount, printSetAside, parseWorkers, seedsFrom } from "./shared-options.js";
import { formatTable } from "./table.js";

interface SweepOptions {
  vary: string[];
  seeds: number;
  seed?: string;
  set: string[];
  workers: number;
  metric: string[];
  json?: boolean;
}

const DEFAULT_METRICS = ["requests.lostFraction", "latencyMs.p50", "latencyMs.p99"];

export function registerSweep(program: Command): void {
  program
    .command("sweep")
    .description("run a grid of parameter values x variants x seeds on worker threads and tabulate the metrics")
    .argument("<scenario>", "a scenario file")
    .requiredOption("--vary <path=v1,v2,...>", "a field and the values to try (repeatable: the grid is every combination)", collect, [])
    .option("--seeds <n>", "seeds per grid point", parseSeedCount, 3)
    .option("--seed <seed>", "the first seed (default: the scenario's)")
    .option("--set <path=value>", "a fixed override (repeatable)", collect, [])
    .option("--workers <k>", "worker threads", parseWorkers, 2)
    .option("--metric <path>", "a summary metric to tabulate (repeatable)", collect, [])
    .option("--json", "print every run's summary as one JSON document")
    .addHelpText("after", `
Examples:
  lbsim sweep scenarios/retries.yaml --vary lb.retries.tries=1,2,3 --seeds 5 --workers 2
  lbsim sweep my.yaml --vary lb.health.interval=500ms,1s,2s --vary lb.health.fall=2,3 --metric requests.lost`)
    .action(async (file: string, options: SweepOptions) => {
      let axes;
      try {
        axes = options.vary.map(parseVary);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
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
      const seeds = seedsFrom(options.seed ?? String(loaded.base.seed), options.seeds);
      const progress = progressBar();
      const points = await runSweep({
        file, set: options.set, axes, variants: variantsOf(loaded), seeds, workers: options.workers,
        onJobDone: (done, total) => progress.update("sweep", done / total),
      });
      progress.done();
      const metrics = options.metric.length > 0 ? options.metric : DEFAULT_METRICS;
      if (options.json) {
        console.log(JSON.stringify({ scenario: loaded.base.name, axes, seeds, points: points.map((p) => ({ values: p.values, variant: p.variant, seed: p.seed, summary: p.summary })) }, null, 2));
        return;
      }
      console.log(sweepTable(axes.map((a) => a.path), metrics, points));
    });
}

/** One row per grid point and variant: each metric's mean over seeds and its 95% CI half-width. */
export function sweepTable(paths: string[], metrics: string[], points: SweepPoint[]): string {
  const groups = new Map<string, SweepPoint[]>();
  for (const point of points) {
    const key = JSON.stringify([point.values, point.variant]);
    groups.set(key, [...(groups.get(key) ?? []), point]);
  }
  const rows = [...groups.values()].map((group) => {
    const first = group[0]!;
    const cells = metrics.map((metric) => {
      const interval = meanInterval(group.map((p) => metricValue(p.summary, metric)));
      const half = (interval.high - interval.low) / 2;
      return Number.isFinite(half) ? `${fmt(interval.mean)} ± ${fmt(half)}` : fmt(interval.mean);
    });
    return [...first.values, first.variant, String(group.length), ...cells];
  });
  return formatTable([...paths, "variant", "seeds", ...metrics], rows);
}

const fmt = (v: number): string => (Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : "-");
