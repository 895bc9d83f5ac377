// The load-balancer tier: its nodes, mode, algorithm, health, and the proxy behaviour around them. Names and
// defaults follow the proxies: NGINX `proxy_read_timeout` 60s, `proxy_next_upstream error timeout`, `keepalive`;
// HAProxy `maxconn`, `maxqueue`, `timeout queue`; Envoy retry budgets and local rate limits.
import { z } from "zod";
import { MAX_IDLE_PER_BACKEND } from "../../model/lb/keepalive-pool.js";
import { ENVOY_HOST_SELECTION_MAX_ATTEMPTS, HAPROXY_REDISPATCH_INTERVAL, RETRY_TARGETS, type RetryTarget } from "../../balancers/retry-target.js";
import type { LbTierConfig, RetryCondition } from "../../model/lb/lb-config.js";
import { positiveDuration } from "../units/duration.js";
import { percent } from "../units/percent.js";
import { rate } from "../units/rate.js";
import { algorithm, withProxyVariant } from "./balancer.js";
import { atMost, nameLength } from "./bounds.js";
import { distribution } from "./distribution.js";
import { healthInput, resolveHealth } from "./health.js";
import { onlyKey } from "./one-of.js";
import { LB_PROXIES, tierDefaults, type TierDefaults } from "./proxy-defaults.js";

/** At most this many nodes (the model's LbTier bound). */
export const MAX_LB_NODES = 64;

const retryOn = z.array(z.enum(["error", "timeout", "http_5xx", "http_503"] satisfies readonly RetryCondition[]));
const retries = z.strictObject({
  /**
   * Tries per request, the first included; `unlimited` is NGINX's `proxy_next_upstream_tries 0` (each backend
   * once). Default: the proxy's (proxy-defaults.ts); without one, 2 (Envoy `num_retries` 1).
   */
  tries: z.union([z.number().int().min(1), z.literal("unlimited")]).optional(),
  /** What is retried. Default: the proxy's; without one, NGINX's `proxy_next_upstream error timeout`. */
  on: retryOn.optional(),
  /** Retry a request that was sent even when its method is not idempotent. Default: the proxy's; without one, NGINX's off. */
  nonIdempotent: z.boolean().optional(),
  /** Envoy retry budget (`budget_percent` 20%, `min_retry_concurrency` 3 when enabled); null (default) for none. */
  budget: z.strictObject({ percent: percent().prefault("20%"), minConcurrency: z.number().int().min(0).default(3) }).nullable().default(null),
  /** Hedging (gRPC `hedgingDelay`, Envoy hedging on per-try timeout): one extra try after this delay; null (default): off. */
  hedge: z.strictObject({ delay: positiveDuration() }).nullable().default(null),
  /**
   * Where a retry goes (src/balancers/retry-target.ts): `next-upstream` (NGINX), `same-server` (HAProxy without
   * `option redispatch`), `redispatch` (HAProxy `option redispatch`), `any` (Envoy without a retry host
   * predicate), `previous-hosts` (Envoy's previous_hosts predicate). Default: the proxy's (HAProxy
   * `same-server`, NGINX `next-upstream`, Envoy `any`); without one, `next-upstream` (NGINX).
   */
  target: z.enum(RETRY_TARGETS).optional(),
  /** HAProxy `option redispatch <interval>`: -1 (default) redispatches on the last retry, P > 0 on every Pth. */
  redispatchInterval: z.number().int().refine((n) => n !== 0, { error: "expected a non-zero integer (0 disables redispatch: use target same-server)" })
    .default(HAPROXY_REDISPATCH_INTERVAL),
  /** Envoy `host_selection_retry_max_attempts`, 1 by default: re-picks while the pick lands on a host already tried. */
  hostSelectionMaxAttempts: z.number().int().min(0).default(ENVOY_HOST_SELECTION_MAX_ATTEMPTS),
});

/** The resolved retry target with its own options. */
export function retryTarget(r: { target: (typeof RETRY_TARGETS)[number]; redispatchInterval: number; hostSelectionMaxAttempts: number }): RetryTarget {
  switch (r.target) {
    case "redispatch":
      return { kind: "redispatch", interval: r.redispatchInterval };
    case "previous-hosts":
      return { kind: "previous-hosts", maxAttempts: r.hostSelectionMaxAttempts };
    default:
      return { kind: r.target };
  }
}

const queue = z.strictObject({
  /** HAProxy `maxqueue`: 0 (default) means unlimited, as in HAProxy. Only used with maxConnectionsPerBackend. */
  max: z.number().int().min(0).default(0),
  /** HAProxy `timeout queue`. Default: the proxy's (HAProxy: its `timeout connect`); without one, 5s. */
  timeout: positiveDuration().optional(),
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

const nodeName = z.string().regex(/^[a-z][a-z0-9_-]*$/i, { error: "expected a name of letters, digits, - and _, starting with a letter" }).max(...nameLength());

const lbFields = z.strictObject({
  /** Whose defaults the tier takes: every field left out below is as that proxy has it (proxy-defaults.ts). */
  proxy: z.enum(LB_PROXIES).optional(),
  /** A count (lb-1..lb-n) or a list of names; every node has the same configuration and its own health view. */
  nodes: z.union([z.number().int().min(1).max(MAX_LB_NODES), z.array(nodeName).min(1).max(MAX_LB_NODES)]).default(1)
    .transform((n) => (typeof n === "number" ? Array.from({ length: n }, (_, i) => `lb-${i + 1}`) : n)),
  /** L7 (an HTTP proxy) by default; L4 picks per connection and sees only addresses. */
  mode: z.enum(["l4", "l7"]).default("l7"),
  /** Default: the proxy's; without one, round robin (NGINX and HAProxy both balance round robin unless told otherwise). */
  algorithm: algorithm.optional(),
  /** What hashes hash: NGINX `hash $remote_addr` by default. */
  hashOn: z.enum(["client-address", "path", "session"]).default("client-address"),
  health: healthInput.prefault({}),
  /** L7 only: terminating TCP and parsing HTTP; the founding article cites 0.5-2 ms. */
  parseOverhead: distribution.prefault({ constant: "1ms" }),
  /** Default: the proxy's; without one, HAProxy `timeout connect` 5s (its documentation's example value). */
  connectTimeout: positiveDuration().optional(),
  /** Default: the proxy's; without one, NGINX `proxy_read_timeout` 60s. */
  upstreamTimeout: positiveDuration().optional(),
  retries: retries.prefault({}),
  /** HAProxy `maxconn` per server; 0 (default) is unlimited. */
  maxConnectionsPerBackend: z.number().int().min(0).default(0),
  queue: queue.prefault({}),
  /** Envoy local rate limit (a token bucket) per node; null (default) for none. */
  rateLimit: z.strictObject({ rate: rate({ positive: true }), burst: z.number().int().min(1) }).nullable().default(null),
  /** Upstream keepalive pool; null: a new connection per attempt, as NGINX without `keepalive`. Default: the proxy's; without one, null. */
  keepalive: keepalive.nullable().optional(),
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

/** Fills every field the scenario left out from its proxy's defaults (or lbsim's own), parsed like the author's values. */
export const lb = lbFields.transform((l, ctx) => {
  const d: TierDefaults = tierDefaults(l.proxy);
  const connectTimeout = l.connectTimeout ?? positiveDuration().parse(d.connectTimeout);
  const queueTimeout = l.queue.timeout ?? (d.queueTimeout === "connectTimeout" ? connectTimeout : positiveDuration().parse(d.queueTimeout));
  const keepaliveDefault = d.keepalive === null ? null : keepalive.parse(d.keepalive);
  const health = resolveHealth(l.health, ctx, d.healthPreset, ["health"]);
  return {
    ...l,
    proxy: l.proxy ?? null,
    // An L4 tier without a named proxy is IPVS (it counts connections as IPVS does), so it breaks ties as IPVS does.
    algorithm: withProxyVariant(l.algorithm ?? algorithm.parse(d.algorithm), {
      leastConnections: l.proxy === undefined && l.mode === "l4" ? "ipvs" : d.leastConnectionsVariant,
      leastConnectionsCountsQueued: d.leastConnectionsCountsQueued,
      powerOfChoices: d.powerOfChoicesVariant,
    }),
    health,
    connectTimeout,
    upstreamTimeout: l.upstreamTimeout ?? positiveDuration().parse(d.upstreamTimeout),
    retries: {
      ...l.retries,
      tries: l.retries.tries ?? d.tries,
      on: l.retries.on ?? [...d.on],
      nonIdempotent: l.retries.nonIdempotent ?? d.nonIdempotent,
      target: l.retries.target ?? d.retryTarget,
    },
    queue: { max: l.queue.max, timeout: queueTimeout },
    keepalive: l.keepalive === undefined ? keepaliveDefault : l.keepalive,
  };
});

export type LbSection = z.output<typeof lb>;

/** Tries per request: NGINX's unlimited `proxy_next_upstream_tries 0` tries each of the backends at most once. */
export function triesFor(tries: number | "unlimited", backendCount: number): number {
  return tries === "unlimited" ? Math.max(1, backendCount) : tries;
}
