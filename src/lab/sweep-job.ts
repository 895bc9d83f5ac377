// One sweep job, runnable in a worker thread or in this thread: load the scenario with the job's overrides,
// run one variant with one seed, return its summary. Everything a job needs travels in plain data (and so does its
// failure: sweep-failure.ts).
import { readFileSync } from "node:fs";
import type { RunSummary } from "../report/report-data.js";
import { loadScenario, type LoadedScenario } from "../scenario/load.js";
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

export function runSweepJob(job: SweepJob): SweepJobResult {
  const result = runVariant(loadSweepPoint(job.file, job.set), job.variant, job.seed);
  return { index: job.index, summary: result.summary };
}

// The scenarios this thread has loaded, by file, file text and overrides, most recent last. A grid point's
// variants and seeds all load the same scenario: reading, parsing and validating it (YAML and zod, about 15 ms,
// 7% of an overload.yaml run, and enough calls to make V8 compile the parser) is done once per point and thread.
const loadedPoints = new Map<string, LoadedScenario>();
const MAX_LOADED_POINTS = 64;

/**
 * `loadScenario(file, { set })`, from this thread's memory when it has loaded the same file text with the same
 * overrides. Each call gets its own copy (structuredClone, under 1 ms): a run never sees what another run did to
 * its configuration. The file is read each time, so an edited file is loaded again.
 */
export function loadSweepPoint(file: string, set: readonly string[]): LoadedScenario {
  const key = JSON.stringify([file, readFileSync(file, "utf8"), set]);
  let loaded = loadedPoints.get(key);
  if (loaded === undefined) {
    loaded = loadScenario(file, { set: [...set] });
    if (loadedPoints.size >= MAX_LOADED_POINTS) loadedPoints.delete(loadedPoints.keys().next().value!);
  } else {
    loadedPoints.delete(key);
  }
  loadedPoints.set(key, loaded);
  return structuredClone(loaded);
}
