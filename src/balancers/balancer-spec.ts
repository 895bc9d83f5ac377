// The plain configuration objects users write in scenario files, one shape per algorithm name. Times are integer
// microseconds like everything the clock returns; the scenario layer converts from the milliseconds people type.
// Defaults are documented here and applied in the classes; the scenario schema may restate them for editors.
import type { TimeUs } from "../engine/time.js";

export const ALGORITHMS = [
  "round-robin",
  "weighted-round-robin",
  "least-connections",
  "least-response-time",
  "peak-ewma",
  "random",
  "power-of-two-choices",
  "ip-hash",
  "consistent-hash",
  "sticky",
  "first",
] as const;

export type AlgorithmName = (typeof ALGORITHMS)[number];

export interface RoundRobinSpec {
  readonly algorithm: "round-robin";
  /** Start as if this many picks had happened (overflow tests). Default 0. */
  readonly initialCounter?: number;
}

export interface WeightedRoundRobinSpec {
  readonly algorithm: "weighted-round-robin";
  /** "smooth": NGINX smooth WRR (default). "static": shuffled slot pool, as in the founding article. */
  readonly variant?: "smooth" | "static";
  /** NGINX `max_fails` (smooth only): a failure lowers effective_weight by weight / maxFails. Default 1; 0: off. */
  readonly maxFails?: number;
}

export interface LeastConnectionsSpec {
  readonly algorithm: "least-connections";
  /** Divide in-flight by effective weight. Default true. */
  readonly weighted?: boolean;
  /** Count requests queued on the server too (HAProxy leastconn). Default false. */
  readonly countQueued?: boolean;
  /**
   * Whose order among equally loaded backends (least-load-picker.ts): "nginx" (default: smooth weighted round robin
   * over the tied peers, `ngx_http_upstream_get_least_conn_peer`) or "haproxy" (the leastconn tree: the server at
   * that load longest first, `fwlc_get_next_server`) or "ipvs" (Linux IPVS lc/wlc: the first least loaded, the
   * backend added last first, `ip_vs_wlc_schedule`).
   */
  readonly variant?: "nginx" | "haproxy" | "ipvs";
  /** NGINX `max_fails` (nginx variant): a failed try lowers the peer's effective_weight by weight / maxFails. Default 1; 0: off. */
  readonly maxFails?: number;
}

export interface LeastResponseTimeSpec {
  readonly algorithm: "least-response-time";
  /** Per-sample EWMA weight in (0, 1]. Default 0.3. */
  readonly smoothing?: number;
  /** Latency charged to a failed request. Default 0 (off, like NGINX least_time). */
  readonly failurePenaltyUs?: TimeUs;
  readonly weighted?: boolean;
}

export interface PeakEwmaSpec {
  readonly algorithm: "peak-ewma";
  /** Default 10 s (Finagle decayTime). */
  readonly decayTimeUs?: TimeUs;
  /**
   * Latency charged to a failed request: an lbsim extension. Default 0 (off), as in Finagle and tower, where a
   * fast failure looks fast.
   */
  readonly failurePenaltyUs?: TimeUs;
  /** "p2c" (Finagle, Linkerd: a distinct pair; default) or "least" (full scan). */
  readonly picker?: "p2c" | "least";
  /** For the p2c picker. Default 2. */
  readonly choiceCount?: number;
}

export interface RandomSpec {
  readonly algorithm: "random";
}

export interface PowerOfTwoChoicesSpec {
  readonly algorithm: "power-of-two-choices";
  /**
   * Whose draw: "envoy" (default: with replacement while weights are equal, EDF on weight / (active + 1)^bias
   * when they differ), "haproxy" (`random(2)`: draws on HAProxy's chash tree, in-flight / weight), "nginx" (`random two`: two distinct peers by weight), "distinct" (Mitzenmacher).
   */
  readonly variant?: "envoy" | "haproxy" | "nginx" | "distinct";
  /** Backends compared per pick. Default 2 (Envoy choice_count, HAProxy random(2)). */
  readonly choiceCount?: number;
  /** Envoy active_request_bias, for the least-loaded metric. Default 1. */
  readonly activeRequestBias?: number;
  /** The load compared. Default "least-loaded" (in-flight requests). */
  readonly metric?: "least-loaded" | "ewma" | "peak-ewma";
  readonly countQueued?: boolean;
  readonly decayTimeUs?: TimeUs;
  readonly failurePenaltyUs?: TimeUs;
}

export interface IpHashSpec {
  readonly algorithm: "ip-hash";
  /** Hash all four IPv4 octets instead of NGINX's first three. Default false. */
  readonly wholeAddress?: boolean;
}

export interface ConsistentHashSpec {
  readonly algorithm: "consistent-hash";
  /** "ketama" (NGINX hash consistent; default), "maglev" (Envoy), or "modulo" (NGINX hash, the baseline). */
  readonly method?: "ketama" | "maglev" | "modulo";
  /** Bounded loads: at most ceil(factor x average) per backend; 0 or absent = off. E.g. 1.25. Not for modulo. */
  readonly balanceFactor?: number;
  /** Maglev table size, a prime. Default 65537. */
  readonly tableSize?: number;
}

export interface FirstSpec {
  readonly algorithm: "first";
}

/** Every spec that can sit under sticky. */
export type BaseBalancerSpec =
  | RoundRobinSpec
  | WeightedRoundRobinSpec
  | LeastConnectionsSpec
  | LeastResponseTimeSpec
  | PeakEwmaSpec
  | RandomSpec
  | PowerOfTwoChoicesSpec
  | IpHashSpec
  | ConsistentHashSpec
  | FirstSpec;

export interface StickySpec {
  readonly algorithm: "sticky";
  /** The algorithm that places new sessions. Default round-robin. */
  readonly base?: BaseBalancerSpec;
  /** Idle TTL of a binding. Default 30 min. */
  readonly ttlUs?: TimeUs;
  /** Session table bound. Default 100000. */
  readonly maxSessions?: number;
}

export type BalancerSpec = BaseBalancerSpec | StickySpec;
