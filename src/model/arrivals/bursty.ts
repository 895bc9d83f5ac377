// On/off bursts: a two-state Markov-modulated Poisson process (MMPP-2; Fischer & Meier-Hellstern 1993, "The
// Markov-modulated Poisson process (MMPP) cookbook"). On-periods last Exp(onMeanUs) with Poisson arrivals at
// onRatePerSecond, off-periods last Exp(offMeanUs) at offRatePerSecond (0 for silence). The phases switch
// with simulated time whether or not arrivals come: a long silence still passes through many phases.
//
// The first phase is drawn from the stationary distribution (on with probability onMean / (onMean + offMean),
// and, by memorylessness, an exponential remaining length), so the process is stationary from time 0 and the
// expected count over any window of length T is T x the long-run mean rate.
import type { RandomSource } from "../../engine/ports.js";
import { US_PER_SECOND } from "../../engine/time.js";
import { ArrivalClock } from "./arrival-clock.js";
import { requireRate, unitExponential, type ArrivalProcess } from "./arrival-process.js";

export interface BurstySpec {
  kind: "bursty";
  onRatePerSecond: number;
  offRatePerSecond: number;
  /** Mean length of an on-period (exponential). */
  onMeanUs: number;
  /** Mean length of an off-period (exponential). */
  offMeanUs: number;
}

export class BurstyArrivals implements ArrivalProcess {
  /** The long-run arrivals per second: (onRate x onMean + offRate x offMean) / (onMean + offMean). */
  readonly meanRatePerSecond: number;
  private readonly onRatePerUs: number;
  private readonly offRatePerUs: number;
  private readonly onShare: number;
  private readonly clock = new ArrivalClock();
  private started = false;
  private isOn = false;
  /** The exact time the current phase ends. */
  private phaseEndUs = 0;

  constructor(readonly spec: Readonly<BurstySpec>) {
    requireRate("bursty onRatePerSecond", spec.onRatePerSecond);
    requireRate("bursty offRatePerSecond", spec.offRatePerSecond);
    for (const [name, value] of [["onMeanUs", spec.onMeanUs], ["offMeanUs", spec.offMeanUs]] as const) {
      if (!(value > 0 && Number.isFinite(value))) throw new RangeError(`bursty ${name} must be a finite number > 0, got ${value}`);
    }
    this.onRatePerUs = spec.onRatePerSecond / US_PER_SECOND;
    this.offRatePerUs = spec.offRatePerSecond / US_PER_SECOND;
    this.onShare = spec.onMeanUs / (spec.onMeanUs + spec.offMeanUs);
    this.meanRatePerSecond = this.onShare * spec.onRatePerSecond + (1 - this.onShare) * spec.offRatePerSecond;
  }

  next(nowUs: number, rng: RandomSource): number {
    if (this.meanRatePerSecond === 0) return Infinity;
    let timeUs = this.clock.resume(nowUs);
    if (!this.started) {
      this.started = true;
      this.isOn = rng.next() < this.onShare;
      this.phaseEndUs = timeUs + unitExponential(rng) * (this.isOn ? this.spec.onMeanUs : this.spec.offMeanUs);
    }
    // After a restart later in time, catch the phases up through the silence.
    while (this.phaseEndUs <= timeUs) this.switchPhase(rng);
    // Both rates are not 0 (the mean would be), so this ends: each pass either arrives or moves one phase on.
    for (;;) {
      const ratePerUs = this.isOn ? this.onRatePerUs : this.offRatePerUs;
      if (ratePerUs > 0) {
        // Exponential gaps are memoryless, so a candidate past the phase end is simply discarded.
        const candidateUs = timeUs + unitExponential(rng) / ratePerUs;
        if (candidateUs < this.phaseEndUs) return this.clock.emit(candidateUs, nowUs);
      }
      timeUs = this.phaseEndUs;
      this.switchPhase(rng);
    }
  }

  /** The expected rate: the process is stationary, so this is the long-run mean at every time. */
  rateAt(_timeUs: number): number {
    return this.meanRatePerSecond;
  }

  private switchPhase(rng: RandomSource): void {
    this.isOn = !this.isOn;
    this.phaseEndUs += unitExponential(rng) * (this.isOn ? this.spec.onMeanUs : this.spec.offMeanUs);
  }
}
