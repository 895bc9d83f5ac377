// Peak EWMA as Finagle (finagle-core loadbalancer/PeakEwma.scala, `Metric.observe` and `Metric.get`) and tower
// (tower/src/load/peak_ewma.rs) implement it: a latency estimate that jumps up at once to any slower sample
// (peak-sensitive) and otherwise decays toward new samples with time constant `decayTimeUs` (Finagle `decayTime`,
// default 10 s). The decay is applied on every *read* as well as on every sample: `get()` calls `observe(0)`,
// so the estimate decays toward zero while a backend is being considered, and the weight a new sample gets
// depends on the time since the last read or sample, not since the last sample. Load = estimate x (in flight + 1).
//
// Neither Finagle nor tower charges a failure anything extra (Finagle leaves failures to its separate failure
// accrual), so a backend answering 5xx in 1 ms looks like the fastest server: the fast-failure trap. A failure
// penalty (`failurePenaltyUs`, off by default) is an lbsim extension that makes a failed request count as at least
// that slow.
import type { TimeUs } from "../engine/time.js";
import type { BackendState } from "./backend-state.js";
import { UNKNOWN_LATENCY_PENALTY, type LoadMetric } from "./load-metric.js";
import type { RequestOutcome } from "./types.js";

export interface PeakEwmaOptions {
  /** Time constant of the decay. Default 10 s (Finagle). */
  readonly decayTimeUs?: TimeUs;
  /** lbsim extension: latency charged for a failed request, if larger than its real latency. Default 0 (off). */
  readonly failurePenaltyUs?: TimeUs;
}

export const DEFAULT_DECAY_TIME_US: TimeUs = 10_000_000;
/** Off, as in Finagle and tower. Scenarios that turn the extension on name their own value (1 s is typical). */
export const DEFAULT_FAILURE_PENALTY_US: TimeUs = 0;

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

  /** Finagle `get()`: decays the estimate to now (`observe(0)`), then cost x (pending + 1). */
  load(b: BackendState, nowUs: TimeUs): number {
    if (!b.observed) return b.inFlight === 0 ? 0 : UNKNOWN_LATENCY_PENALTY;
    this.observe(b, 0, nowUs);
    return b.costUs * (b.inFlight + 1);
  }

  /** The load without the read's decay step, for reports: looking must not change what the balancer does. */
  peek(b: BackendState, nowUs: TimeUs): number {
    if (!b.observed) return b.inFlight === 0 ? 0 : UNKNOWN_LATENCY_PENALTY;
    const elapsed = nowUs > b.stampUs ? nowUs - b.stampUs : 0;
    return b.costUs * Math.exp(-elapsed / this.decayTimeUs) * (b.inFlight + 1);
  }

  onStart(): void {}

  onEnd(b: BackendState, outcome: RequestOutcome, nowUs: TimeUs): void {
    let sample = outcome.latencyUs;
    if (!outcome.success && sample < this.failurePenaltyUs) sample = this.failurePenaltyUs;
    if (!b.observed) {
      b.costUs = sample;
      b.observed = true;
      b.stampUs = nowUs;
      return;
    }
    this.observe(b, sample, nowUs);
  }

  /** Finagle `observe(rtt)`: a slower sample replaces the cost, a faster one is blended by the time since the last update. */
  private observe(b: BackendState, sample: number, nowUs: TimeUs): void {
    const elapsed = nowUs > b.stampUs ? nowUs - b.stampUs : 0;
    if (sample > b.costUs) b.costUs = sample;
    else if (elapsed > 0) {
      const w = Math.exp(-elapsed / this.decayTimeUs);
      b.costUs = b.costUs * w + sample * (1 - w);
    }
    b.stampUs = nowUs;
  }
}
