// Homogeneous Poisson arrivals: independent exponential gaps with mean 1/rate, the open-loop client of
// queueing theory (the "M" in M/M/1).
import type { RandomSource } from "../../engine/ports.js";
import { US_PER_SECOND } from "../../engine/time.js";
import { ArrivalClock } from "./arrival-clock.js";
import { requireRate, unitExponential, type ArrivalProcess } from "./arrival-process.js";

export interface PoissonSpec {
  kind: "poisson";
  ratePerSecond: number;
}

export class PoissonArrivals implements ArrivalProcess {
  private readonly meanGapUs: number;
  private readonly clock = new ArrivalClock();

  constructor(readonly ratePerSecond: number) {
    requireRate("poisson ratePerSecond", ratePerSecond);
    this.meanGapUs = US_PER_SECOND / ratePerSecond;
  }

  next(nowUs: number, rng: RandomSource): number {
    if (this.ratePerSecond === 0) return Infinity;
    const fromUs = this.clock.resume(nowUs);
    return this.clock.emit(fromUs + unitExponential(rng) * this.meanGapUs, nowUs);
  }

  rateAt(_timeUs: number): number {
    return this.ratePerSecond;
  }
}
