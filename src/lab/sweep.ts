// Parameter sweeps: every combination of the `--vary` values, for each variant and seed, on a pool of worker
// threads (piscina). Each job is a pure function of (scenario file, overrides, variant, seed), and results are
// put back in job order, so the table is identical whatever the number of workers.
import { Piscina } from "piscina";
import { fileURLToPath } from "node:url";
import type { RunSummary } from "../report/report-data.js";
import { runSweepJob, type SweepJob } from "./sweep-job.js";

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

/** Every combination of axis values, first axis slowest. */
export function grid(axes: readonly SweepAxis[]): string[][] {
  return axes.reduce<string[][]>((points, axis) => points.flatMap((point) => axis.values.map((v) => [...point, v])), [[]]);
}

export interface SweepOptions {
  file: string;
  set: string[];
  axes: SweepAxis[];
  variants: Array<string | null>;
  seeds: string[];
  workers: number;
  onJobDone?: (done: number, total: number) => void;
}

export async function runSweep(options: SweepOptions): Promise<SweepPoint[]> {
  const jobs: Array<SweepJob & { values: string[] }> = [];
  for (const values of grid(options.axes)) {
    for (const variant of options.variants) {
      for (const seed of options.seeds) {
        const set = [...options.set, ...options.axes.map((axis, i) => `${axis.path}=${values[i]}`)];
        jobs.push({ index: jobs.length, file: options.file, set, variant, seed, values });
      }
    }
  }
  const summaries: RunSummary[] = new Array(jobs.length);
  let done = 0;
  const finish = (index: number, summary: RunSummary): void => {
    summaries[index] = summary;
    options.onJobDone?.(++done, jobs.length);
  };
  if (options.workers <= 1) {
    for (const job of jobs) finish(job.index, (await runSweepJob(strip(job))).summary);
  } else {
    const pool = new Piscina({
      filename: fileURLToPath(new URL("./sweep-worker.js", import.meta.url)),
      minThreads: options.workers,
      maxThreads: options.workers,
    });
    try {
      await Promise.all(jobs.map(async (job) => {
        const result = (await pool.run(strip(job))) as { index: number; summary: RunSummary };
        finish(result.index, result.summary);
      }));
    } finally {
      await pool.destroy();
    }
  }
  return jobs.map((job) => ({ values: job.values, variant: summaries[job.index]!.variant, seed: job.seed, summary: summaries[job.index]! }));
}

function strip(job: SweepJob & { values: string[] }): SweepJob {
  return { index: job.index, file: job.file, set: job.set, variant: job.variant, seed: job.seed };
}
