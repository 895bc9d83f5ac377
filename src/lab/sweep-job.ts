// One sweep job, runnable in a worker thread or in this thread: load the scenario with the job's overrides,
// run one variant with one seed, return its summary. Everything a job needs travels in plain data, and so does
// a job's failure (jobFailure/failureError), since an Error's class does not survive postMessage.
import { SimulationError } from "../engine/invariant.js";
import type { RunSummary } from "../report/report-data.js";
import { readFileSync } from "node:fs";
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

/** A job's error as plain data, for postMessage. */
export interface JobFailure {
  name: string;
  message: string;
  stack?: string | undefined;
  seed?: string;
  timeUs?: number;
}

export function jobFailure(error: unknown): JobFailure {
  if (error instanceof SimulationError) return { name: error.name, message: error.message, stack: error.stack, seed: error.seed, timeUs: error.timeUs };
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: "Error", message: String(error) };
}

/**
 * The error again, on the main thread: a SimulationError stays one (the CLI's exit 3 names its seed, as when the
 * run failed in the main thread), anything else is an Error with the original name, message and stack.
 */
export function failureError(failure: JobFailure): Error {
  let error: Error;
  if (failure.name === "SimulationError" && failure.seed !== undefined && failure.timeUs !== undefined) {
    error = new SimulationError("", failure.seed, failure.timeUs);
    // The message already ends with the seed and time the constructor would append again.
    error.message = failure.message;
  } else {
    error = new Error(failure.message);
    error.name = failure.name;
  }
  if (failure.stack !== undefined) error.stack = failure.stack;
  return error;
}
