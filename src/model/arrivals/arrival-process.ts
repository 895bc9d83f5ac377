// What a client asks of its arrival process: "the previous request left at t; when does the next one leave?"
// A process is stateful and belongs to one stream (one client): bursty on/off state and the exact, fractional
// time behind each whole microsecond live in it. Build one per client from the same spec with
// `createArrivalProcess`, and give each its own forked rng so that streams stay independent.
import type { RandomSource } from "../../engine/ports.js";

export interface ArrivalProcess {
  /**
   * The absolute time (an integer of microseconds) of the next arrival, strictly after `nowUs`; Infinity when
   * no arrival will ever come. `nowUs` is a whole, non-negative microsecond: the run's start time (0) on the
   * first call, then the time this method last returned. Calls must not go back in time.
   *
   * Passing back the time last returned continues the sequence from the exact time behind it, so rounding to
   * microseconds never accumulates. Passing any later time restarts the sequence at `nowUs` (a client that
   * paused, say): memoryless processes lose nothing by this, and modulated ones first advance their state
   * through the silence, since that state evolves with simulated time whether or not arrivals come.
   *
   * Every arrival gets its own microsecond (the result is at least nowUs + 1), so no stream can exceed one
   * arrival per microsecond (MAX_RATE_PER_SECOND); near that rate, crowded arrivals are spread out by a few us.
   */
  next(nowUs: number, rng: RandomSource): number;
  /** The expected number of arrivals per second at `timeUs` (for reports and tests). */
  rateAt(timeUs: number): number;
}

/** One arrival per microsecond: the finest rate that integer time can represent for one stream. */
export const MAX_RATE_PER_SECOND = 1_000_000;

/** Checks a rate given per second: finite, >= 0, and representable in whole microseconds. */
export function requireRate(name: string, ratePerSecond: number): void {
  if (!(ratePerSecond >= 0 && ratePerSecond <= MAX_RATE_PER_SECOND)) {
    throw new RangeError(`${name} must be a number in [0, ${MAX_RATE_PER_SECOND}] per second, got ${ratePerSecond}`);
  }
}

/** A unit-mean exponential by inversion: 1 - U is in (0, 1], so the log is finite. */
export function unitExponential(rng: RandomSource): number {
  return -Math.log(1 - rng.next());
}
