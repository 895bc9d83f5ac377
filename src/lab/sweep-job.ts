// One sweep job, runnable in a worker thread or in this thread: load the scenario with the job's overrides,
// run one variant with one seed, return its summary. Everything a job needs travels in plain data.
import { initHistograms } from "../metrics/histogram.js";
import type { RunSummary } from "../report/report-data.js";
import { loadScenario } from "../scenario/load.js";
import { runVariant } from "./scenario-runs.js";

export interface SweepJob {
  index: number;
  file: string;
  /** `path=value` overrides: the user's --set, then this grid point's values. */
  set: string[];
  variant: string | null;
  seed: string;
}

export interface SweepJobResult {
  index: number;
  summary: RunSummary;
}

export async function runSweepJob(job: SweepJob): Promise<SweepJobResult> {
  await initHistograms();
  const loaded = loadScenario(job.file, { set: job.set });
  const result = runVariant(loaded, job.variant, job.seed);
  return { index: job.index, summary: result.summary };
}
