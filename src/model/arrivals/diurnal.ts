// A daily (or any periodic) swing: rate(t) = base x (1 + amplitude x sin(2 pi (t - phase) / period)).
// Sampled exactly by thinning (Lewis & Shedler 1979, "Simulation of nonhomogeneous Poisson processes by
// thinning"): candidates come at the peak rate base x (1 + amplitude), and each is kept with probability
// rate(t) / peak. On average 1 + amplitude <= 2 candidates per arrival, since the sine averages to 0.
import type { RandomSource } from "../../engine/ports.js";
import { US_PER_SECOND } from "../../engine/time.js";
import { ArrivalClock } from "./arrival-clock.js";
import { requireRate, unitExponential, type ArrivalProcess } from "./arrival-process.js";

export interface DiurnalSpec {
  kind: "diurnal";
  baseRatePerSecond: number;
  /** In [0, 1]: 0 is flat, 1 swings from 0 to twice the base. */
  amplitude: number;
  periodUs: number;
  /** The time at which the rate crosses the base going up. */
  phaseUs: number;
}

export class DiurnalArrivals implements ArrivalProcess {
  private readonly peakRatePerSecond: number;
  private readonly peakGapUs: number;
  private readonly clock = new ArrivalClock();

  constructor(readonly spec: Readonly<Omit<DiurnalSpec, "kind">>) {
    requireRate("diurnal baseRatePerSecond", spec.baseRatePerSecond);
    if (!(spec.amplitude >= 0 && spec.amplitude <= 1)) throw new RangeError(`diurnal amplitude must be in [0, 1], got ${spec.amplitude}`);
    if (!(spec.periodUs > 0 && Number.isFinite(spec.periodUs))) throw new RangeError(`diurnal periodUs must be a finite number > 0, got ${spec.periodUs}`);
    if (!Number.isFinite(spec.phaseUs)) throw new RangeError(`diurnal phaseUs must be finite, got ${spec.phaseUs}`);
    this.peakRatePerSecond = spec.baseRatePerSecond * (1 + spec.amplitude);
    requireRate("diurnal peak rate (base x (1 + amplitude))", this.peakRatePerSecond);
    this.peakGapUs = US_PER_SECOND / this.peakRatePerSecond;
  }

  next(nowUs: number, rng: RandomSource): number {
    if (this.peakRatePerSecond === 0) return Infinity;
    let timeUs = this.clock.resume(nowUs);
    // Ends with probability 1: the rate is 0 at most at isolated instants, so every stretch accepts eventually.
    for (;;) {
      timeUs += unitExponential(rng) * this.peakGapUs;
      if (rng.next() * this.peakRatePerSecond < this.rateAt(timeUs)) return this.clock.emit(timeUs, nowUs);
    }
  }

  rateAt(timeUs: number): number {
    const { baseRatePerSecond, amplitude, periodUs, phaseUs } = this.spec;
    // Reduce modulo the period first, so the sine's argument stays small and precise over long runs.
    const cycle = ((timeUs - phaseUs) % periodUs) / periodUs;
    return baseRatePerSecond * (1 + amplitude * Math.sin(2 * Math.PI * cycle));
  }
}
