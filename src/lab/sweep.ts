// Parameter sweeps: every combination of the `--vary` values, for each variant and seed, on this thread and
// helper threads (sweep-pool.ts). Each cell is a pure function of (scenario file, overrides, variant, seed), and results are
// put back in cell order, so the table is identical whatever the number of workers, and whichever machine ran
// which cell (see sweep-cells.ts for cells and shards).
import { initHistograms } from "../metrics/histogram.js";
import type { RunSummary } from "../report/report-data.js";
import { sweepCells, type SweepCell } from "./sweep-cells.js";
import { runSweepJob, type SweepJob } from "./sweep-job.js";
import { startSweepPool, type SweepPool } from "./sweep-pool.js";

export { grid } from "./sweep-cells.js";

export interface SweepAxis {
  path: string;
  values: string[];
}

export interface SweepPoint {
  /** The values of this grid point, in axis order. */
  values: string[];
  variant: string;
  seed: string;
  summary: RunSummary;
}

/** `path=v1,v2,v3` into an axis. */
export function parseVary(text: string): SweepAxis {
  const eq = text.indexOf("=");
  if (eq <= 0 || eq === text.length - 1) throw new RangeError(`--vary expects path=v1,v2,... got "${text}"`);
  const values = text.slice(eq + 1).split(",").map((v) => v.trim()).filter((v) => v.length > 0);
  if (values.length === 0) throw new RangeError(`--vary ${text.slice(0, eq)} has no values`);
  return { path: text.slice(0, eq), values };
}

/** What a sweep is: the scenario, the fixed overrides, the grid, the variants and the seeds. */
export interface SweepDefinition {
  file: string;
  set: string[];
  axes: SweepAxis[];
  variants: Array<string | null>;
  seeds: string[];
}

export interface SweepOptions extends SweepDefinition {
  workers: number;
  onJobDone?: (done: number, total: number) => void;
}

/** The overrides a cell runs with: the user's --set, then the cell's grid values. */
export function cellOverrides(definition: SweepDefinition, cell: SweepCell): string[] {
  return [...definition.set, ...definition.axes.map((axis, i) => `${axis.path}=${cell.values[i]}`)];
}

/**
 * The order in which threads take cells: the costliest first (ties in the order given), so that the last cells
 * to start are short ones and no thread finishes long after the others (list scheduling, longest first). Only
 * the order of running changes: results go back to their positions.
 */
export function dispatchOrder(costs: readonly number[] | undefined, count: number): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  return costs === undefined ? order : order.sort((a, b) => costs[b]! - costs[a]! || a - b);
}

/**
 * Runs `cells` (any subset of the sweep's, in any order) and returns their summaries in the order given, on
 * `workers` threads: this one and `workers - 1` helpers (sweep-pool.ts; `pool` when the caller started them early,
 * else started here). `costs[i]`, cell i's estimated cost, sets the order they are taken in (dispatchOrder).
 * `onCellDone` hears each cell as it finishes (in completion order), so a caller can keep finished work.
 */
export async function runCells(
  definition: SweepDefinition,
  cells: readonly SweepCell[],
  workers: number,
  onCellDone?: (cell: SweepCell, summary: RunSummary) => void | Promise<void>,
  options: { costs?: readonly number[] | undefined; pool?: SweepPool | undefined } = {},
): Promise<RunSummary[]> {
  await initHistograms();
  const summaries: RunSummary[] = new Array(cells.length);
  const jobs = cells.map((cell, position): SweepJob => ({
    index: position, file: definition.file, set: cellOverrides(definition, cell), variant: cell.variant, seed: cell.seed,
  }));
  const order = dispatchOrder(options.costs, cells.length);
  const next = new Int32Array(new SharedArrayBuffer(4));
  const ownPool = options.pool === undefined && workers > 1 && cells.length > 1 ? startSweepPool(workers) : undefined;
  const pool = options.pool ?? ownPool;
  // A caller's onCellDone for a helper's cell runs when the message arrives; the first failure stops the sweep.
  const pending: Array<Promise<void>> = [];
  let failure: { error: unknown } | null = null;
  const stop = (error: unknown): void => {
    failure ??= { error };
    Atomics.store(next, 0, order.length);
  };
  const finish = async (position: number, summary: RunSummary): Promise<void> => {
    summaries[position] = summary;
    await onCellDone?.(cells[position]!, summary);
  };
  try {
    const helpers = pool === undefined || pool.size === 0
      ? Promise.resolve(null)
      : pool.run({ jobs, order, next: next.buffer as SharedArrayBuffer }, (position, summary) => {
        pending.push(finish(position, summary).catch(stop));
      });
    try {
      for (;;) {
        const k = Atomics.add(next, 0, 1);
        if (k >= order.length) break;
        const position = order[k]!;
        await finish(position, runSweepJob(jobs[position]!).summary);
        // Let the event loop hand over what the helpers finished meanwhile (their onCellDone, the progress bar).
        if (pool !== undefined && pool.size > 0) await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      stop(error);
    }
    if (failure === null) {
      const helperFailure = await helpers;
      if (helperFailure !== null) stop(helperFailure);
    }
    await Promise.all(pending);
    if (failure !== null) throw (failure as { error: unknown }).error;
  } finally {
    await ownPool?.close();
  }
  return summaries;
}

/** Every cell of the sweep, in cell order. */
export async function runSweep(options: SweepOptions): Promise<SweepPoint[]> {
  const cells = sweepCells(options.axes, options.variants, options.seeds);
  let done = 0;
  const summaries = await runCells(options, cells, options.workers, () => options.onJobDone?.(++done, cells.length));
  return cells.map((cell, i) => ({ values: cell.values, variant: summaries[i]!.variant, seed: cell.seed, summary: summaries[i]! }));
}
