// Parameter sweeps: every combination of the `--vary` values, for each variant and seed, on a pool of worker
// threads (piscina). Each cell is a pure function of (scenario file, overrides, variant, seed), and results are
// put back in cell order, so the table is identical whatever the number of workers, and whichever machine ran
// which cell (see sweep-cells.ts for cells and shards).
import { Piscina } from "piscina";
import { fileURLToPath } from "node:url";
import type { RunSummary } from "../report/report-data.js";
import { sweepCells, type SweepCell } from "./sweep-cells.js";
import { runSweepJob, type SweepJob } from "./sweep-job.js";

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
 * Runs `cells` (any subset of the sweep's, in any order) and returns their summaries in the order given.
 * `onCellDone` hears each cell as it finishes (in completion order), so a caller can keep finished work.
 */
export async function runCells(
  definition: SweepDefinition,
  cells: readonly SweepCell[],
  workers: number,
  onCellDone?: (cell: SweepCell, summary: RunSummary) => void | Promise<void>,
): Promise<RunSummary[]> {
  const summaries: RunSummary[] = new Array(cells.length);
  const jobOf = (cell: SweepCell, position: number): SweepJob => ({
    index: position, file: definition.file, set: cellOverrides(definition, cell), variant: cell.variant, seed: cell.seed,
  });
  const finish = async (position: number, summary: RunSummary): Promise<void> => {
    summaries[position] = summary;
    await onCellDone?.(cells[position]!, summary);
  };
  if (workers <= 1) {
    for (const [position, cell] of cells.entries()) await finish(position, (await runSweepJob(jobOf(cell, position))).summary);
    return summaries;
  }
  const pool = new Piscina({
    filename: fileURLToPath(new URL("./sweep-worker.js", import.meta.url)),
    minThreads: workers,
    maxThreads: workers,
  });
  try {
    await Promise.all(cells.map(async (cell, position) => {
      const result = (await pool.run(jobOf(cell, position))) as { index: number; summary: RunSummary };
      await finish(result.index, result.summary);
    }));
  } finally {
    await pool.destroy();
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
