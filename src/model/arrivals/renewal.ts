// Renewal arrivals: independent gaps drawn from any distribution (a Poisson process is the special case of
// exponential gaps). `lbsim fit` writes one when a log's arrivals are burstier than Poisson at a steady rate: the
// log's own inter-arrival times, as an empirical distribution, reproduce its short-term clumping.
import { createDistribution, type DistributionSpec } from "../../engine/distributions/create.js";
import type { Distribution } from "../../engine/distributions/distribution.js";
import type { RandomSource } from "../../engine/ports.js";
import { US_PER_SECOND } from "../../engine/time.js";
import { ArrivalClock } from "./arrival-clock.js";
import { requireRate, type ArrivalProcess } from "./arrival-process.js";

export interface RenewalSpec {
  kind: "renewal";
  /** The gap between one arrival and the next, in microseconds. */
  interarrivalUs: DistributionSpec;
}

export class RenewalArrivals implements ArrivalProcess {
  private readonly gap: Distribution;
  private readonly clock = new ArrivalClock();

  constructor(spec: Readonly<RenewalSpec>) {
    this.gap = createDistribution(spec.interarrivalUs);
    requireRate("renewal rate (1 / mean gap)", US_PER_SECOND / this.gap.mean);
  }

  next(nowUs: number, rng: RandomSource): number {
    const fromUs = this.clock.resume(nowUs);
    return this.clock.emit(fromUs + Math.max(0, this.gap.sample(rng)), nowUs);
  }

  rateAt(_timeUs: number): number {
    return US_PER_SECOND / this.gap.mean;
  }
}
