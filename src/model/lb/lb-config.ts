// What a load-balancer node is: its mode, its production balancer, its health configuration, and the proxy
// behaviour around them (timeouts, retries, queues, rate limits, keepalive pools). Names follow the proxies:
// NGINX `proxy_next_upstream(_tries)`, `proxy_read_timeout`, `keepalive`; HAProxy `maxconn`, `maxqueue`,
// `timeout queue`, `retries`; Envoy retry budgets and local rate limits.
import type { BalancerSpec } from "../../balancers/balancer-spec.js";
import type { RetryTarget } from "../../balancers/retry-target.js";
import type { Distribution } from "../../engine/distributions/distribution.js";
import type { HealthConfig } from "../../health/health-config.js";

import type { RetryCondition } from "../../balancers/retry-policy.js";

export type { RetryCondition } from "../../balancers/retry-policy.js";

export interface LbRetryConfig {
  /** Total tries per request, the first included: NGINX `proxy_next_upstream_tries`, HAProxy `retries` + 1. */
  tries: number;
  on: readonly RetryCondition[];
  /** NGINX `non_idempotent`: also retry a POST after it was sent (risking a duplicate execution). */
  nonIdempotent: boolean;
  /** Envoy retry budget: retries in progress may not exceed max(minConcurrency, percent of active requests). */
  budget: { percent: number; minConcurrency: number } | null;
  /** Hedging: after this long without an answer, one more try goes to another backend (null: off). */
  hedge: { delayUs: number } | null;
  /** Where a retry goes: NGINX next upstream, HAProxy same server or redispatch, Envoy any or previous hosts. */
  target: RetryTarget;
}

export interface LbQueueConfig {
  /** HAProxy `maxqueue` (here for the node's queue): requests beyond it are refused with 503 (queue-full). */
  maxQueue: number;
  /** HAProxy `timeout queue`: a request that waits longer gets a 503 (queue-timeout). */
  timeoutUs: number;
}

export interface LbKeepaliveConfig {
  /** NGINX `keepalive N`: idle connections kept per backend. */
  maxIdlePerBackend: number;
  /** The node closes idle upstream connections after this long (NGINX `keepalive_timeout`). */
  idleTimeoutUs: number;
}

export interface LbDynamicWeightsConfig {
  /** How often weights are recomputed. */
  intervalUs: number;
  /** Half-life of the latency average (older samples count half after this long). */
  halfLifeUs: number;
  /** A failed try counts as a response this slow. */
  failurePenaltyUs: number;
  /** Weights never go below this (NGINX and HAProxy weights are integers >= 1 for a server in use). */
  minWeight: number;
}

export interface LbNodeConfig {
  name: string;
  /** L4 picks per connection and sees only addresses; L7 picks per request and sees HTTP. */
  mode: "l4" | "l7";
  balancer: BalancerSpec;
  /** What hash algorithms hash (NGINX `hash $remote_addr`, `$request_uri`, `$cookie_...`). ip-hash always uses the address. */
  hashOn: "client-address" | "path" | "session";
  health: HealthConfig;
  /** L7 only: terminating the connection and parsing HTTP (the founding article cites 0.5-2 ms). */
  parseOverheadUs: Distribution;
  /** HAProxy `timeout connect` / NGINX `proxy_connect_timeout`: waiting for a handshake a full backlog ignores. */
  connectTimeoutUs: number;
  /** NGINX `proxy_read_timeout` / HAProxy `timeout server`: waiting for a backend's answer (504). */
  upstreamTimeoutUs: number;
  retry: LbRetryConfig;
  /** HAProxy `maxconn` per server: requests in flight to one backend from this node; 0 = unlimited. */
  maxConnectionsPerBackend: number;
  queue: LbQueueConfig;
  /** A token bucket in front of the node (Envoy local rate limit): over it, 429. null = none. */
  rateLimit: { ratePerSecond: number; burst: number } | null;
  /** Reuse upstream connections; null = a new connection (and handshake) per attempt. */
  keepalive: LbKeepaliveConfig | null;
  /** Adjust weights from observed latency (the founding article's updateWeight); null = static weights. */
  dynamicWeights: LbDynamicWeightsConfig | null;
  /**
   * Backends report their load every `intervalUs` (HAProxy `agent-check`, a polled metrics endpoint) and every
   * node reads the same report: a shared but stale signal, counted as queued load by algorithms with
   * `countQueued`. null = each node knows only its own in-flight requests.
   */
  loadFeedback: { intervalUs: number } | null;
}

export interface LbTierConfig {
  nodes: LbNodeConfig[];
  /** How clients reach a node: round robin per request, or DNS-like stickiness per client for a TTL. */
  spread: { kind: "round-robin" } | { kind: "dns"; ttlUs: number };
}
