// Least response time: an exponentially weighted moving average of time to first byte, times the requests in
// flight plus one. NGINX Plus `least_time header` picks "the least average response time and least number of
// active connections"; multiplying the two is the usual way to combine them (and what Finagle does with its
// EWMA). Each sample moves the average by `smoothing` (a per-sample EWMA, unlike peak-ewma's time decay).
import type { TimeUs } from "../engine/time.js";
import type { BackendState } from "./backend-state.js";
import { UNKNOWN_LATENCY_PENALTY, type LoadMetric } from "./load-metric.js";
import type { RequestOutcome } from "./types.js";

export interface EwmaOptions {
  /** Weight of each new sample, in (0, 1]. Default 0.3. */
  readonly smoothing?: number;
  /**
   * A failed request counts as at least this latency, so a backend answering 5xx in 1 ms does not look fast.
   * Default 0 (off): NGINX's least_time has no such penalty, which is exactly the trap this option shows.
   */
  readonly failurePenaltyUs?: TimeUs;
}

export class EwmaMetric implements LoadMetric {
  readonly observes = true;
  readonly name = "ewma";
  private readonly smoothing: number;
  private readonly failurePenaltyUs: number;

  constructor(options: EwmaOptions = {}) {
    this.smoothing = options.smoothing ?? 0.3;
    this.failurePenaltyUs = options.failurePenaltyUs ?? 0;
    if (!(this.smoothing > 0 && this.smoothing <= 1)) throw new RangeError(`smoothing must be in (0, 1], got ${this.smoothing}`);
    if (!(this.failurePenaltyUs >= 0)) throw new RangeError(`failurePenaltyUs must be >= 0, got ${this.failurePenaltyUs}`);
  }

  load(b: BackendState): number {
    if (!b.observed) return b.inFlight === 0 ? 0 : UNKNOWN_LATENCY_PENALTY;
    return b.costUs * (b.inFlight + 1);
  }

  onStart(): void {}

  onEnd(b: BackendState, outcome: RequestOutcome, nowUs: TimeUs): void {
    let sample = outcome.ttfbUs ?? outcome.latencyUs;
    if (!outcome.success && sample < this.failurePenaltyUs) sample = this.failurePenaltyUs;
    b.costUs = b.observed ? b.costUs + this.smoothing * (sample - b.costUs) : sample;
    b.observed = true;
    b.stampUs = nowUs;
  }
}
