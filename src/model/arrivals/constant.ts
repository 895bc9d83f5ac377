// Evenly spaced arrivals, no randomness: a cron job, a health prober, a load generator in closed cadence.
// The k-th arrival after the start is at round(start + k * period), computed from k rather than by adding the
// period k times, so a period such as 333,333.33 us neither drifts nor accumulates floating-point error.
import { InvariantError } from "../../engine/invariant.js";
import type { RandomSource } from "../../engine/ports.js";
import { US_PER_SECOND } from "../../engine/time.js";
import { requireRate, type ArrivalProcess } from "./arrival-process.js";

export interface ConstantSpec {
  kind: "constant";
  ratePerSecond: number;
}

export class ConstantArrivals implements ArrivalProcess {
  private readonly periodUs: number;
  private originUs = 0;
  private index = 0;
  private lastUs = -1;

  constructor(readonly ratePerSecond: number) {
    requireRate("constant ratePerSecond", ratePerSecond);
    this.periodUs = US_PER_SECOND / ratePerSecond;
  }

  /** Arrivals at round(start + k * period) for k = 1, 2, ...: the first comes one period after the start. */
  next(nowUs: number, _rng: RandomSource): number {
    if (this.ratePerSecond === 0) return Infinity;
    if (!(Number.isInteger(nowUs) && nowUs >= 0 && nowUs >= this.lastUs)) {
      throw new InvariantError(`constant arrivals asked for the next arrival after ${nowUs}us, but the last was at ${this.lastUs}us`);
    }
    if (nowUs !== this.lastUs) {
      this.originUs = nowUs;
      this.index = 0;
    }
    this.index++;
    // A period of at least 1 us (rate <= MAX_RATE_PER_SECOND) already makes this strictly increasing; the
    // guard only defends against floating-point error at exactly one arrival per microsecond.
    const rounded = Math.round(this.originUs + this.index * this.periodUs);
    this.lastUs = rounded > nowUs ? rounded : nowUs + 1;
    return this.lastUs;
  }

  rateAt(_timeUs: number): number {
    return this.ratePerSecond;
  }
}
