// A sweep job's failure as plain data: an Error's class does not survive postMessage, and the CLI needs a helper
// thread's SimulationError to be one (exit 3 naming the seed), as it is when the run fails in the main thread.
import { SimulationError } from "../engine/invariant.js";

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
