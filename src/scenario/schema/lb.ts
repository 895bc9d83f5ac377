// The load-balancer tier: its nodes, mode, algorithm, health, and the proxy behaviour around them. Names and
// defaults follow the proxies: NGINX `proxy_read_timeout` 60s, `proxy_next_upstream error timeout`, `keepalive`;
// HAProxy `maxconn`, `maxqueue`, `timeout queue`; Envoy retry budgets and local rate limits.
import { z } from "zod";
import { MAX_IDLE_PER_BACKEND } from "../../model/lb/keepalive-pool.js";
import type { LbTierConfig, RetryCondition } from "../../model/lb/lb-config.js";
import { positiveDuration } from "../units/duration.js";
import { percent } from "../units/percent.js";
import { rate } from "../units/rate.js";
import { algorithm } from "./balancer.js";
import { atMost } from "./bounds.js";
import { distribution } from "./distribution.js";
import { health } from "./health.js";
import { onlyKey } from "./one-of.js";

/** At most this many nodes (the model's LbTier bound). */
export const MAX_LB_NODES = 64;

const retries = z.strictObject({
  /** Tries per request, the first included. Envoy `num_retries` 1 -> 2 tries (NGINX's unlimited default is not a number). */
  tries: z.number().int().min(1).default(2),
  /** NGINX `proxy_next_upstream` default `error timeout`. */
  on: z.array(z.enum(["error", "timeout", "http_5xx", "http_503"] satisfies readonly RetryCondition[])).default(["error", "timeout"]),
  /** NGINX `non_idempotent` off: a POST is not retried once sent. */
  nonIdempotent: z.boolean().default(false),
  /** Envoy retry budget (`budget_percent` 20%, `min_retry_concurrency` 3 when enabled); null (default) for none. */
  budget: z.strictObject({ percent: percent().prefault("20%"), minConcurrency: z.number().int().min(0).default(3) }).nullable().default(null),
  /** Hedging (gRPC `hedgingDelay`, Envoy hedging on per-try timeout): one extra try after this delay; null (default): off. */
  hedge: z.strictObject({ delay: positiveDuration() }).nullable().default(null),
});

const queue = z.strictObject({
  /** HAProxy `maxqueue`: 0 (default) means unlimited, as in HAProxy. Only used with maxConnectionsPerBackend. */
  max: z.number().int().min(0).default(0),
  /** HAProxy `timeout queue`; unset there it falls back to `timeout connect`, 5s in HAProxy's example configs. */
  timeout: positiveDuration().prefault("5s"),
});

const keepalive = z.strictObject({
  /** NGINX `keepalive 32`, the value the NGINX docs use. */
  maxIdlePerBackend: z.number().int().min(1).max(MAX_IDLE_PER_BACKEND, atMost(MAX_IDLE_PER_BACKEND, "idle connections", "each connection to one backend needs its own source port")).default(32),
  /** NGINX upstream `keepalive_timeout` 60s. */
  idleTimeout: positiveDuration().prefault("60s"),
});

/** The founding article's `updateWeight` under GC pressure, automated from observed latency. Off by default. */
const dynamicWeights = z.strictObject({
  interval: positiveDuration().prefault("1s"),
  halfLife: positiveDuration().prefault("5s"),
  /** A failed try counts as a response this slow (Finagle's peak EWMA charges failures too). */
  failurePenalty: positiveDuration().prefault("1s"),
  minWeight: z.number().int().min(1).default(1),
});

const SPREADS = ["round-robin", "dns"] as const;
const spread = z
  .union([z.literal("round-robin"), z.strictObject({ "round-robin": z.strictObject({}).optional(), dns: z.strictObject({ ttl: positiveDuration().prefault("60s") }).optional() })])
  .transform((value, ctx): LbTierConfig["spread"] => {
    if (value === "round-robin") return { kind: "round-robin" };
    const kind = onlyKey(value, SPREADS, "spread", ctx);
    if (kind === null) return z.NEVER;
    return kind === "dns" ? { kind: "dns", ttlUs: value.dns!.ttl } : { kind: "round-robin" };
  });

const nodeName = z.string().regex(/^[a-z][a-z0-9_-]*$/i, { error: "expected a name of letters, digits, - and _, starting with a letter" });

export const lb = z.strictObject({
  /** A count (lb-1..lb-n) or a list of names; every node has the same configuration and its own health view. */
  nodes: z.union([z.number().int().min(1).max(MAX_LB_NODES), z.array(nodeName).min(1).max(MAX_LB_NODES)]).default(1)
    .transform((n) => (typeof n === "number" ? Array.from({ length: n }, (_, i) => `lb-${i + 1}`) : n)),
  /** L7 (an HTTP proxy) by default; L4 picks per connection and sees only addresses. */
  mode: z.enum(["l4", "l7"]).default("l7"),
  /** NGINX and HAProxy both balance round robin unless told otherwise. */
  algorithm: algorithm.prefault("round-robin"),
  /** What hashes hash: NGINX `hash $remote_addr` by default. */
  hashOn: z.enum(["client-address", "path", "session"]).default("client-address"),
  health: health.prefault({}),
  /** L7 only: terminating TCP and parsing HTTP; the founding article cites 0.5-2 ms. */
  parseOverhead: distribution.prefault({ constant: "1ms" }),
  /** HAProxy `timeout connect` 5s (its documentation's example value; NGINX `proxy_connect_timeout` is 60s). */
  connectTimeout: positiveDuration().prefault("5s"),
  /** NGINX `proxy_read_timeout` 60s. */
  upstreamTimeout: positiveDuration().prefault("60s"),
  retries: retries.prefault({}),
  /** HAProxy `maxconn` per server; 0 (default) is unlimited. */
  maxConnectionsPerBackend: z.number().int().min(0).default(0),
  queue: queue.prefault({}),
  /** Envoy local rate limit (a token bucket) per node; null (default) for none. */
  rateLimit: z.strictObject({ rate: rate({ positive: true }), burst: z.number().int().min(1) }).nullable().default(null),
  /** Upstream keepalive pool; null (default): a new connection per attempt, as NGINX without `keepalive`. */
  keepalive: keepalive.nullable().default(null),
  /**
   * Backends report their load every `interval` and every node reads it (HAProxy agent-check, polled metrics):
   * counted as queued load by `countQueued` algorithms. null (default): a node knows only its own requests.
   */
  loadFeedback: z.strictObject({ interval: positiveDuration().prefault("1s") }).nullable().default(null),
  /** Weights follow observed latency (`{}` for the defaults); null (default): static weights. */
  dynamicWeights: dynamicWeights.nullable().default(null),
  /** How clients reach nodes: round robin per request, or `{ dns: { ttl: 60s } }` stickiness per client. */
  spread: spread.prefault("round-robin"),
});

export type LbSection = z.output<typeof lb>;
