// lbsim/balancers: the production load-balancer library. It imports nothing from the simulator (only the Clock
// and RandomSource ports and time helpers), so a real proxy uses it unchanged; see src/examples/http-proxy.ts.
export type { Clock, RandomSource } from "../engine/ports.js";
export type {
  BackendConfig,
  BackendRef,
  BackendSnapshot,
  BackendView,
  HealthStatus,
  NoBackendReason,
  NotPicked,
  Picked,
  PickResult,
  RequestContext,
  RequestOutcome,
} from "./types.js";
export { ALGORITHMS } from "./balancer-spec.js";
export type {
  AlgorithmName,
  BalancerSpec,
  BaseBalancerSpec,
  ConsistentHashSpec,
  FirstSpec,
  IpHashSpec,
  LeastConnectionsSpec,
  LeastResponseTimeSpec,
  PeakEwmaSpec,
  PowerOfTwoChoicesSpec,
  RandomSpec,
  RoundRobinSpec,
  StickySpec,
  WeightedRoundRobinSpec,
} from "./balancer-spec.js";
export { createBalancer, type BalancerDeps } from "./create-balancer.js";
export { LoadBalancer, type BalancerStats } from "./balancer.js";
export type { StickyStats } from "./sticky.js";
export { murmur3, fnv1a32 } from "./hash.js";
export { KETAMA_POINTS_PER_WEIGHT } from "./ketama-ring.js";
export { MAGLEV_TABLE_SIZE } from "./maglev-table.js";
export { DEFAULT_DECAY_TIME_US, DEFAULT_FAILURE_PENALTY_US } from "./peak-ewma-metric.js";
// The building blocks, for hosts that compose their own metric x picker.
export { BackendPool } from "./backend-pool.js";
export type { BackendState } from "./backend-state.js";
export type { LoadMetric, LoadMetricName } from "./load-metric.js";
export type { Picker } from "./picker.js";
export { LeastLoadedMetric } from "./least-loaded-metric.js";
export { LEAST_CONNECTIONS_VARIANTS, type LeastConnectionsVariant } from "./least-load-picker.js";
export { EwmaMetric } from "./ewma-metric.js";
export { PeakEwmaMetric } from "./peak-ewma-metric.js";
export * from "./retry-policy.js";
