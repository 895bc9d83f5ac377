// Peak EWMA (Finagle `PeakEwma`, Linkerd / tower `PeakEwma`): a latency estimate that jumps up at once to any
// slower sample (peak-sensitive) and decays toward new samples with time constant `decayTimeUs` (Finagle
// `decayTime`, default 10 s). Load = estimate x (in flight + 1). Between samples the estimate decays toward zero
// as time passes (tower decays on every read), so an idle backend that was slow is eventually retried.
//
// Fast failures: a backend returning 5xx in 1 ms would look like the fastest server and attract all traffic.
// Failed requests therefore count as at least `failurePenaltyUs` (on by default; 0 turns it off).
import type { TimeUs } from "../engine/time.js";
import type { BackendState } from "./backend-state.js";
import { UNKNOWN_LATENCY_PENALTY, type LoadMetric } from "./load-metric.js";
import type { RequestOutcome } from "./types.js";

export interface PeakEwmaOptions {
  /** Time constant of the decay. Default 10 s (Finagle). */
  readonly decayTimeUs?: TimeUs;
  /** Latency charged for a failed request, if larger than its real latency. Default 1 s; 0 disables. */
  readonly failurePenaltyUs?: TimeUs;
}

export const DEFAULT_DECAY_TIME_US: TimeUs = 10_000_000;
export const DEFAULT_FAILURE_PENALTY_US: TimeUs = 1_000_000;

export class PeakEwmaMetric implements LoadMetric {
  readonly observes = true;
  readonly name = "peak-ewma";
  private readonly decayTimeUs: number;
  private readonly failurePenaltyUs: number;

  constructor(options: PeakEwmaOptions = {}) {
    this.decayTimeUs = options.decayTimeUs ?? DEFAULT_DECAY_TIME_US;
    this.failurePenaltyUs = options.failurePenaltyUs ?? DEFAULT_FAILURE_PENALTY_US;
    if (!(this.decayTimeUs > 0)) throw new RangeError(`decayTimeUs must be > 0, got ${this.decayTimeUs}`);
    if (!(this.failurePenaltyUs >= 0)) throw new RangeError(`failurePenaltyUs must be >= 0, got ${this.failurePenaltyUs}`);
  }

  load(b: BackendState, nowUs: TimeUs): number {
    if (!b.observed) return b.inFlight === 0 ? 0 : UNKNOWN_LATENCY_PENALTY;
    const elapsed = nowUs > b.stampUs ? nowUs - b.stampUs : 0;
    return b.costUs * Math.exp(-elapsed / this.decayTimeUs) * (b.inFlight + 1);
  }

  onStart(): void {}

  onEnd(b: BackendState, outcome: RequestOutcome, nowUs: TimeUs): void {
    let sample = outcome.latencyUs;
    if (!outcome.success && sample < this.failurePenaltyUs) sample = this.failurePenaltyUs;
    if (!b.observed || sample > b.costUs) {
      b.costUs = sample;
    } else {
      const elapsed = nowUs > b.stampUs ? nowUs - b.stampUs : 0;
      const w = Math.exp(-elapsed / this.decayTimeUs);
      b.costUs = b.costUs * w + sample * (1 - w);
    }
    b.observed = true;
    b.stampUs = nowUs;
  }
}
