// `lb: { proxy: haproxy | nginx | envoy | aws-alb }`: every default of the balancer tier as that proxy has it,
// each citing where it comes from. A scenario without `proxy:` keeps lbsim's own mix (LBSIM_DEFAULTS), so the
// library runs as before. Values are written as a scenario author would type them; lb.ts parses them through the
// same field schemas as the author's own values. Health checking comes from the proxy's preset
// (src/health/presets.ts, which cites each check default).
import type { PresetName } from "../../health/presets.js";
import type { RETRY_TARGETS } from "../../balancers/retry-target.js";
import type { LeastConnectionsVariant } from "../../balancers/least-load-picker.js";
import type { PowerOfChoicesVariant } from "../../balancers/power-of-choices.js";
import type { RetryCondition } from "../../model/lb/lb-config.js";

export const LB_PROXIES = ["haproxy", "nginx", "envoy", "aws-alb"] as const;
export type LbProxy = (typeof LB_PROXIES)[number];

export interface TierDefaults {
  /** An algorithm as a scenario writes it: a name, or `{ name: { options } }`. */
  algorithm: string | Record<string, Record<string, unknown>>;
  /** Least connections' order among equally loaded backends when the scenario names none (least-load-picker.ts). */
  leastConnectionsVariant: LeastConnectionsVariant;
  /** Whether least connections counts requests queued for a backend as load, when the scenario does not say. */
  leastConnectionsCountsQueued: boolean;
  /** Power of two choices' draw and comparison when the scenario names none (power-of-choices.ts). */
  powerOfChoicesVariant: PowerOfChoicesVariant;
  healthPreset: PresetName;
  connectTimeout: string;
  upstreamTimeout: string;
  /** `unlimited`: NGINX's `proxy_next_upstream_tries 0`, resolved to one try per backend. */
  tries: number | "unlimited";
  on: RetryCondition[];
  nonIdempotent: boolean;
  /** Where a retry goes (src/balancers/retry-target.ts); `redispatch` takes HAProxy's default interval -1. */
  retryTarget: (typeof RETRY_TARGETS)[number];
  /** `connectTimeout`: HAProxy's `timeout queue` falls back to `timeout connect`. */
  queueTimeout: string | "connectTimeout";
  keepalive: null | { maxIdlePerBackend: number; idleTimeout: string };
  /** Where each value comes from, for `lbsim` output and the README. */
  sources: Record<string, string>;
}

/** No `proxy:`: lbsim's historical mix (NGINX timeouts and retry rule, HAProxy checks and queue), unchanged. */
export const LBSIM_DEFAULTS: TierDefaults = {
  algorithm: "round-robin",
  leastConnectionsVariant: "nginx", // NGINX's, as the rest of least-connections' defaults (active connections per weight); L4: ipvs (lb.ts)
  leastConnectionsCountsQueued: false,
  powerOfChoicesVariant: "envoy", // Envoy least request, lbsim's default since it first had power of two choices
  healthPreset: "haproxy",
  connectTimeout: "5s",
  upstreamTimeout: "60s",
  tries: 2,
  on: ["error", "timeout"],
  nonIdempotent: false,
  retryTarget: "next-upstream",
  queueTimeout: "5s",
  keepalive: null,
  sources: {
    algorithm: "NGINX and HAProxy both balance round robin unless told otherwise",
    health: "preset haproxy: `check` is a TCP connect (the black-hole setup)",
    connectTimeout: "HAProxy `timeout connect` 5s, its documentation's example value",
    upstreamTimeout: "NGINX `proxy_read_timeout` 60s",
    retries: "Envoy `num_retries` 1 (2 tries) on NGINX's `proxy_next_upstream error timeout`, POST not retried once sent, to the next untried upstream (NGINX)",
    queue: "HAProxy `timeout queue` 5s (its `timeout connect` example value)",
    keepalive: "none: a new upstream connection per try, as NGINX without `keepalive`",
  },
};

export const PROXY_DEFAULTS: Readonly<Record<LbProxy, TierDefaults>> = {
  // HAProxy 2.6 doc/configuration.txt.
  haproxy: {
    // `balance roundrobin` is the default and honours weights; unlike NGINX it does not lower a server's weight
    // when a request to it fails (no `max_fails`), so maxFails 0.
    algorithm: { "weighted-round-robin": { maxFails: 0 } },
    leastConnectionsVariant: "haproxy", // `balance leastconn`: the ebtree's order (src/lb_fwlc.c)
    // src/lb_fwlc.c `fwlc_queue_srv`: the key's in-flight count is `served + queue.length`, the requests waiting in
    // the server's own queue (at maxconn) included, as the HAProxy import writes it.
    leastConnectionsCountsQueued: true,
    powerOfChoicesVariant: "haproxy", // `balance random(2)`: draws on the consistent-hash tree (src/lb_chash.c, backend.c get_server_rnd)
    healthPreset: "haproxy",
    // HAProxy has no default connect/server timeouts (infinite, with a warning); these are the values of
    // configuration.txt's own first example and of Debian's shipped /etc/haproxy/haproxy.cfg (5000 / 50000 ms).
    connectTimeout: "5s",
    upstreamTimeout: "50s",
    tries: 4, // `retries` 3: "The default value is 3", plus the first try
    on: ["error"], // `retry-on`: "The default is conn-failure" (the request could not be sent)
    nonIdempotent: true, // `retry-on` replays whatever it buffered, whatever the method; conn-failure never sent it
    // `option redispatch` is off unless configured: a retry reconnects to the server the stream is assigned to
    // (backend.c back_handle_st_cer keeps SC_ST_ASS). With it (import or `retries.target: redispatch`), the default
    // interval -1 redispatches on the last retry.
    retryTarget: "same-server",
    queueTimeout: "connectTimeout", // `timeout queue`: "If unspecified, the same value as ... timeout connect"
    keepalive: null, // UNMODELLED: `http-reuse safe` reuses idle server connections by default (unbounded pool)
    sources: {
      algorithm: "HAProxy `balance roundrobin` (weighted), the default",
      health: "preset haproxy: inter 2s, rise 2, fall 3, TCP check",
      connectTimeout: "no HAProxy default; configuration.txt's example and Debian's haproxy.cfg: 5000ms",
      upstreamTimeout: "no HAProxy default; configuration.txt's example and Debian's haproxy.cfg: timeout server 50000ms",
      retries: "HAProxy `retries` 3 on `retry-on conn-failure` (configuration.txt, retries and retry-on), to the same server (no `option redispatch`)",
      queue: "HAProxy `timeout queue` unset: the backend's `timeout connect`",
      keepalive: "not modelled: HAProxy's default `http-reuse safe` reuses idle connections",
    },
  },
  // NGINX 1.22 ngx_http_upstream_module and ngx_http_proxy_module.
  nginx: {
    algorithm: "weighted-round-robin", // smooth weighted round robin, ngx_http_upstream_round_robin.c
    leastConnectionsVariant: "nginx", // `least_conn`: smooth WRR among the tied peers (ngx_http_upstream_least_conn_module.c)
    leastConnectionsCountsQueued: false, // `peer->conns`: connections to the peer, not requests in the (Plus) `queue`
    powerOfChoicesVariant: "nginx", // `random two least_conn`: two distinct peers drawn by weight (ngx_http_upstream_random_module.c)
    healthPreset: "nginx",
    connectTimeout: "60s", // `proxy_connect_timeout 60s`
    upstreamTimeout: "60s", // `proxy_read_timeout 60s`
    tries: "unlimited", // `proxy_next_upstream_tries 0`: unlimited, each server tried at most once
    on: ["error", "timeout"], // `proxy_next_upstream error timeout`
    nonIdempotent: false, // without `non_idempotent`, POST, LOCK and PATCH are not passed to the next server
    retryTarget: "next-upstream", // ngx_http_upstream_next: the next peer not yet tried (round_robin.c `rrp->tried`)
    queueTimeout: "60s", // NGINX Plus `queue ... timeout=60s` (open-source NGINX does not queue)
    keepalive: null, // no `keepalive`: a new connection per request (proxy_http_version 1.0)
    sources: {
      algorithm: "NGINX smooth weighted round robin, the default",
      health: "preset nginx: no active checks, max_fails=1 fail_timeout=10s",
      connectTimeout: "NGINX `proxy_connect_timeout` 60s",
      upstreamTimeout: "NGINX `proxy_read_timeout` 60s",
      retries: "NGINX `proxy_next_upstream error timeout`, `proxy_next_upstream_tries 0` (every server once), to the next untried server",
      queue: "NGINX Plus `queue` timeout 60s",
      keepalive: "none: NGINX without `keepalive`",
    },
  },
  // Envoy v3 API: config.cluster.v3.Cluster and config.route.v3.RouteAction.
  envoy: {
    algorithm: "weighted-round-robin", // `lb_policy` ROUND_ROBIN (weighted, EDF scheduler)
    leastConnectionsVariant: "nginx", // Envoy has no full-scan least connections (LEAST_REQUEST is power-of-two-choices)
    leastConnectionsCountsQueued: false,
    powerOfChoicesVariant: "envoy", // LEAST_REQUEST (least_request_lb.cc)
    healthPreset: "envoy",
    connectTimeout: "5s", // Cluster `connect_timeout`: "If not set, a default value of 5s will be used"
    upstreamTimeout: "15s", // RouteAction `timeout`: "defaults to 15 seconds"
    tries: 1, // no `retry_policy`: no retries
    on: ["error"], // `retry_on` has no default (required once a policy exists); connect-failure chosen
    nonIdempotent: true, // a retry policy retries whatever its `retry_on` matches, whatever the method
    // No `retry_host_predicate`: a retry is an ordinary new pick, which may land on the host just tried; with
    // `envoy.retry_host_predicates.previous_hosts` configured, `retries.target: previous-hosts`.
    retryTarget: "any",
    queueTimeout: "15s", // pending requests wait in the connection pool until the route timeout
    keepalive: { maxIdlePerBackend: 1024, idleTimeout: "1h" }, // pooled upstream connections; `idle_timeout` "defaults to 1 hour"; 1024 = circuit breaker `max_connections`
    sources: {
      algorithm: "Envoy `lb_policy: ROUND_ROBIN` (weighted), the default",
      health: "preset envoy: interval 5s, timeout 1s, thresholds 2/3 (chosen: Envoy requires them), outlier detection, panic 50%",
      connectTimeout: "Envoy Cluster `connect_timeout` default 5s",
      upstreamTimeout: "Envoy route `timeout` default 15s",
      retries: "Envoy without a `retry_policy`: no retries (with one and no `retry_host_predicate`, any host)",
      queue: "Envoy pending requests wait up to the route timeout",
      keepalive: "Envoy pools upstream connections; `idle_timeout` 1h; at most `max_connections` 1024",
    },
  },
  // AWS Elastic Load Balancing, Application Load Balancer user guide.
  "aws-alb": {
    algorithm: "round-robin", // `load_balancing.algorithm.type` round_robin; targets have no weights
    leastConnectionsVariant: "nginx", // ALB `least_outstanding_requests` does not document its ties
    leastConnectionsCountsQueued: false,
    powerOfChoicesVariant: "envoy", // ALB has no power of two choices; lbsim's default
    healthPreset: "aws-alb",
    connectTimeout: "10s", // "the load balancer failed to establish a connection to the target before the connection timeout expired (10 seconds)": 504
    upstreamTimeout: "60s", // `idle_timeout.timeout_seconds` 60: no response bytes within it: 504
    tries: 1, // ALB has no retry setting (UNVERIFIED whether it retries a refused connection)
    on: ["error"],
    nonIdempotent: false,
    retryTarget: "next-upstream", // no retries (tries 1), so it never applies; lbsim's own default kept
    queueTimeout: "10s", // ALB has no per-target connection limit, so no queue; the connect timeout bounds a wait
    keepalive: { maxIdlePerBackend: 1024, idleTimeout: "60s" }, // ALB keeps HTTP keep-alive connections to targets, closed after the idle timeout; pool size undocumented, 1024 chosen
    sources: {
      algorithm: "ALB `load_balancing.algorithm.type` round_robin, the default",
      health: "preset aws-alb: 30s interval, 5s timeout, healthy 5, unhealthy 2, fail open, deregistration delay 300s",
      connectTimeout: "ALB target connection timeout 10s (HTTP 504)",
      upstreamTimeout: "ALB `idle_timeout.timeout_seconds` 60",
      retries: "ALB: no retry setting",
      queue: "ALB: no per-target limit, no queue",
      keepalive: "ALB keep-alive to targets, idle timeout 60s (pool size chosen: 1024)",
    },
  },
};

export function tierDefaults(proxy: LbProxy | undefined): TierDefaults {
  return proxy === undefined ? LBSIM_DEFAULTS : PROXY_DEFAULTS[proxy];
}
