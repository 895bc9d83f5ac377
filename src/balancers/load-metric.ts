// A load metric is half of a balancer, Finagle style (finagle-core loadbalancer: `LeastLoaded`, `PeakEwma`):
// it turns what happened to a backend into one number, lower meaning less loaded. Pickers (full scan, power of
// two choices) compare those numbers and never look inside. The hooks run on every request start and end.
import type { TimeUs } from "../engine/time.js";
import type { BackendState } from "./backend-state.js";
import type { RequestOutcome } from "./types.js";

export type LoadMetricName = "least-loaded" | "ewma" | "peak-ewma";

export interface LoadMetric {
  readonly name: LoadMetricName;
  /** Whether onStart/onEnd do anything: when false, hosts' hot paths skip the calls (and their clock reads). */
  readonly observes: boolean;
  /**
   * The backend's load now, as a pick reads it. Reading it twice at the same time gives the same value, but a read
   * may advance the metric's state (Finagle's peak EWMA decays its cost on every read).
   */
  load(b: BackendState, nowUs: TimeUs): number;
  /** The load without side effects, for reports; absent where `load` has none. */
  peek?(b: BackendState, nowUs: TimeUs): number;
  onStart(b: BackendState, nowUs: TimeUs): void;
  onEnd(b: BackendState, outcome: RequestOutcome, nowUs: TimeUs): void;
}

/**
 * Finagle's "Penalty": the cost of a backend with requests outstanding but no latency observed yet. A new backend
 * gets one probe request at a time instead of the whole burst its zero cost would otherwise attract.
 */
export const UNKNOWN_LATENCY_PENALTY = Number.MAX_SAFE_INTEGER;
