// The cells of a sweep and how they are split into shards. A cell is one run: a grid point (one value per
// `--vary` axis), a variant and a seed. Cells are numbered in one fixed order (first axis slowest, then variant,
// then seed), and a shard is a pure function of the sweep and its index, so any machine that is handed
// "shard K of N" runs the same cells, with no coordinator.
//
// The assignment balances estimated cost with the classic longest-processing-time-first rule (Graham 1969): cells
// sorted by estimated cost, largest first (ties by cell index), each given to the shard with the least cost so
// far (ties to the lowest shard index). LPT is within 4/3 of the best possible makespan, and it is
// deterministic, which is what makes a shard reproducible.
import { createArrivalProcess } from "../model/arrivals/create-arrival-process.js";
import { createDistribution } from "../engine/distributions/create.js";
import type { ScenarioConfig } from "../scenario/schema/scenario.js";
import { replayTrace } from "../traffic/replay.js";
import { dirname } from "node:path";
import type { SweepAxis } from "./sweep.js";

export interface SweepCell {
  /** Position in the sweep's fixed order: grid point, then variant, then seed. */
  index: number;
  /** One value per axis, in axis order. */
  values: string[];
  /** The variant's name, or null for a scenario without variants. */
  variant: string | null;
  seed: string;
}

/** Every combination of axis values, first axis slowest. */
export function grid(axes: readonly SweepAxis[]): string[][] {
  return axes.reduce<string[][]>((points, axis) => points.flatMap((point) => axis.values.map((v) => [...point, v])), [[]]);
}

export function sweepCells(axes: readonly SweepAxis[], variants: ReadonlyArray<string | null>, seeds: readonly string[]): SweepCell[] {
  const cells: SweepCell[] = [];
  for (const values of grid(axes)) {
    for (const variant of variants) {
      for (const seed of seeds) cells.push({ index: cells.length, values, variant, seed });
    }
  }
  return cells;
}

/** A cell named for people: `lb.health.interval=1s, lb.health.fall=2, variant http, seed 7`. */
export function describeCell(cell: SweepCell, axes: readonly SweepAxis[]): string {
  const parts = axes.map((axis, i) => `${axis.path}=${cell.values[i]}`);
  if (cell.variant !== null) parts.push(`variant ${cell.variant}`);
  parts.push(`seed ${cell.seed}`);
  return parts.join(", ");
}

/** The cell's identity: equal for the same grid point, variant and seed in any sweep with the same grid. */
export function cellKey(cell: Pick<SweepCell, "values" | "variant" | "seed">): string {
  return JSON.stringify([cell.values, cell.variant, cell.seed]);
}

export interface Shard {
  /** 0-based, as Kubernetes' JOB_COMPLETION_INDEX. */
  index: number;
  count: number;
}

/**
 * Which cells each shard runs: `assignShards(costs, n)[k]` lists the cell indexes of shard k in ascending order.
 * `costs[i]` is cell i's estimated cost (any positive unit).
 */
export function assignShards(costs: readonly number[], count: number): number[][] {
  const order = costs.map((cost, index) => ({ cost, index })).sort((a, b) => b.cost - a.cost || a.index - b.index);
  const load = new Array<number>(count).fill(0);
  const shards: number[][] = Array.from({ length: count }, () => []);
  for (const { cost, index } of order) {
    let best = 0;
    for (let k = 1; k < count; k++) if (load[k]! < load[best]!) best = k;
    load[best]! += cost;
    shards[best]!.push(index);
  }
  for (const shard of shards) shard.sort((a, b) => a - b);
  return shards;
}

/**
 * The expected number of user requests in a run of this configuration: the cost that shards balance. Open
 * loops: the group's arrival rate averaged over the run (sampled at 256 points, so ramps and diurnal curves
 * count); closed loops: each user sends about once per think time plus the mean demand. Traffic steps of the
 * timeline are not counted: an estimate for balancing, not a prediction.
 */
export function estimatedRequests(config: ScenarioConfig, scenarioFile: string): number {
  const seconds = config.durationUs / 1e6;
  let total = 0;
  for (const group of config.clients) {
    if (group.load.kind === "open") {
      const process = createArrivalProcess(group.load.arrivals);
      const samples = 256;
      let rate = 0;
      for (let i = 0; i < samples; i++) rate += process.rateAt(Math.floor(((i + 0.5) / samples) * config.durationUs));
      total += (rate / samples) * seconds;
    } else if (group.load.kind === "replay") {
      // A replayed log: its own request count within the run (the log is read once and kept for the sweep).
      const trace = replayTrace(group.load, dirname(scenarioFile));
      const periodUs = trace.periodUs ?? Infinity;
      const n = trace.offsetsUs.length;
      const full = Number.isFinite(periodUs) ? Math.floor(config.durationUs / periodUs) : 0;
      const remainder = config.durationUs - full * (Number.isFinite(periodUs) ? periodUs : 0);
      let partial = 0;
      while (partial < n && trace.offsetsUs[partial]! < remainder) partial++;
      total += full * n + partial;
    } else {
      const thinkUs = createDistribution(group.load.thinkUs).mean;
      const weights = group.classes.reduce((sum, c) => sum + c.weight, 0);
      const demandUs = group.classes.reduce((sum, c) => sum + (c.weight / weights) * createDistribution(c.demand).mean, 0);
      total += group.count * (config.durationUs / Math.max(1, thinkUs + demandUs));
    }
  }
  // Every run costs something even with no traffic: building the world, health checks, the summary.
  return Math.max(1, total);
}
