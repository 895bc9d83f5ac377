// A scenario's balancer tier as an Envoy v3 bootstrap (static_resources): a listener whose route carries the
// timeout, retry policy and hash policy, and one cluster with the load-balancing policy, health checks, outlier
// detection, panic threshold, slow start, circuit breakers and the endpoints (backups at priority 1). Field names
// and defaults are those of the Envoy v3 API (config.cluster.v3.Cluster, config.route.v3.RouteAction).
import { stringify } from "yaml";
import type { BaseBalancerSpec } from "../balancers/balancer-spec.js";
import { preset } from "../health/presets.js";
import type { ScenarioConfig } from "../scenario/schema/scenario.js";
import { envoyDuration } from "./config-units.js";
import { commonTierChecks, exportedBackends, fixedCheckFields, listenAddress, NotExpressible, type LbConfig, ignoresWeights, RETRY_TARGET_TEXT } from "./export-common.js";
import { DEEP_HEALTH_PATH, HEALTH_PATH } from "./export-haproxy.js";
import type { ExportOptions, ExportResult } from "./types.js";

export const ENVOY_CLUSTER = "lbsim";
/** Envoy retry_on values for lbsim's conditions (router filter docs, x-envoy-retry-on). */
export const ENVOY_RETRY_ON: Readonly<Record<string, readonly string[]>> = {
  error: ["connect-failure", "refused-stream", "reset"],
  timeout: ["gateway-error"],
  http_5xx: ["5xx"],
  http_503: ["retriable-status-codes"],
};

type Json = Record<string, unknown>;

export function exportEnvoy(config: ScenarioConfig, options: ExportOptions = {}): ExportResult {
  const lb = config.lb;
  const notes = new NotExpressible();
  commonTierChecks(lb, notes);
  const cluster: Json = { name: ENVOY_CLUSTER, type: "STATIC", connect_timeout: envoyDuration(lb.connectTimeout) };
  const route: Json = { cluster: ENVOY_CLUSTER };
  policy(lb, notes, cluster, route);
  health(lb, notes, cluster);
  limits(lb, notes, cluster);
  retries(lb, notes, route, cluster);
  const backends = exportedBackends(config, options);
  const endpoints = [false, true].map((backup, priority) => ({
    priority,
    lb_endpoints: backends.filter((b) => b.spec.backup === backup).map(({ spec, address }) => {
      const [host, port] = splitAddress(address);
      return { endpoint: { address: { socket_address: { address: host, port_value: port } } }, load_balancing_weight: ignoresWeights(lb) ? 1 : Math.max(1, Math.min(128, spec.weight)) };
    }),
  })).filter((e) => e.lb_endpoints.length > 0);
  cluster.load_assignment = { cluster_name: ENVOY_CLUSTER, endpoints };
  const [listenHost, listenPort] = splitAddress(listenAddress(options));
  const httpFilters: Json[] = [];
  if (lb.rateLimit !== null && lb.mode === "l4") notes.add("lb.rateLimit", "the exported L4 listener has no HTTP local rate limit (Envoy's network local_ratelimit counts connections)");
  else if (lb.rateLimit !== null) httpFilters.push(localRateLimit(lb, notes));
  httpFilters.push({ name: "envoy.filters.http.router", typed_config: { "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router" } });
  const filter = lb.mode === "l4"
    ? { name: "envoy.filters.network.tcp_proxy", typed_config: { "@type": "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy", stat_prefix: "lbsim", cluster: ENVOY_CLUSTER } }
    : {
        name: "envoy.filters.network.http_connection_manager",
        typed_config: {
          "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
          stat_prefix: "lbsim",
          route_config: { name: "lbsim", virtual_hosts: [{ name: "all", domains: ["*"], routes: [{ match: { prefix: "/" }, route }] }] },
          http_filters: httpFilters,
        },
      };
  const bootstrap = {
    static_resources: {
      listeners: [{ name: "lbsim", address: { socket_address: { address: listenHost, port_value: listenPort } }, filter_chains: [{ filters: [filter] }] }],
      clusters: [cluster],
    },
  };
  const header = [`# Envoy bootstrap exported by lbsim from scenario "${config.name}": the balancer tier as Envoy (v3 API) runs it.`, ...notes.header("#", "Envoy")];
  return { text: `${header.join("\n")}\n${stringify(bootstrap, { lineWidth: 0 })}`, notExpressible: notes.items };
}

function splitAddress(address: string): [string, number] {
  const at = address.lastIndexOf(":");
  return at < 0 ? [address, 80] : [address.slice(0, at), Number(address.slice(at + 1))];
}

function policy(lb: LbConfig, notes: NotExpressible, cluster: Json, route: Json): void {
  const spec = lb.algorithm;
  if (spec.algorithm === "sticky") {
    notes.add("lb.algorithm.sticky", "Envoy's cookie affinity is a ring hash on a generated cookie, not a session table; exported as its base");
    basePolicy(spec.base ?? { algorithm: "round-robin" }, lb, notes, cluster, route, "lb.algorithm.sticky.base");
  } else basePolicy(spec, lb, notes, cluster, route, "lb.algorithm");
}

function basePolicy(spec: BaseBalancerSpec, lb: LbConfig, notes: NotExpressible, cluster: Json, route: Json, path: string): void {
  switch (spec.algorithm) {
    case "round-robin":
    case "weighted-round-robin":
      // Envoy ROUND_ROBIN is weighted (an EDF schedule); lbsim round-robin ignores weights, so every weight is 1.
      if (spec.algorithm === "weighted-round-robin" && spec.variant === "static") notes.add(`${path}.weighted-round-robin.variant`, "Envoy's weighted round robin is an EDF schedule, not a shuffled slot pool");
      cluster.lb_policy = "ROUND_ROBIN";
      return;
    case "power-of-two-choices":
      // Envoy's least_request draws with replacement over equal weights and uses its EDF schedule otherwise: lbsim's `envoy` variant.
      if ((spec.variant ?? "envoy") !== "envoy") notes.add(`${path}.power-of-two-choices.variant`, `the ${spec.variant} draw has no Envoy form; LEAST_REQUEST is the envoy variant`);
      if ((spec.metric ?? "least-loaded") !== "least-loaded") notes.add(`${path}.power-of-two-choices.metric`, "Envoy least_request compares active requests only");
      if (spec.countQueued === true && (lb.maxConnectionsPerBackend > 0 || lb.loadFeedback !== null)) notes.add(`${path}.power-of-two-choices.countQueued`, "Envoy least_request counts active requests only");
      cluster.lb_policy = "LEAST_REQUEST";
      cluster.least_request_lb_config = { choice_count: spec.choiceCount ?? 2, active_request_bias: { default_value: spec.activeRequestBias ?? 1, runtime_key: "lbsim.active_request_bias" } };
      return;
    case "random":
      cluster.lb_policy = "RANDOM";
      return;
    case "consistent-hash": {
      const method = spec.method ?? "ketama";
      if (method === "modulo") notes.add(`${path}.consistent-hash.method`, "Envoy has no modulo hash; exported as RING_HASH");
      cluster.lb_policy = method === "maglev" ? "MAGLEV" : "RING_HASH";
      if (method === "maglev") cluster.maglev_lb_config = { table_size: spec.tableSize ?? 65537 };
      if ((spec.balanceFactor ?? 0) > 0) cluster.common_lb_config = { ...(cluster.common_lb_config as Json), consistent_hashing_lb_config: { hash_balance_factor: Math.round(spec.balanceFactor! * 100) } };
      if (lb.mode === "l4" && lb.hashOn !== "client-address") notes.add("lb.hashOn", "an L4 listener (tcp_proxy) hashes the source address only");
      route.hash_policy = [lb.hashOn === "path" ? { header: { header_name: ":path" } } : lb.hashOn === "session" ? { cookie: { name: "session" } } : { connection_properties: { source_ip: true } }];
      return;
    }
    case "least-connections":
    case "least-response-time":
    case "peak-ewma":
    case "ip-hash":
    case "first":
      notes.add(path, `Envoy has no ${spec.algorithm} policy; exported as LEAST_REQUEST (two choices)`);
      cluster.lb_policy = "LEAST_REQUEST";
      return;
  }
}

function health(lb: LbConfig, notes: NotExpressible, cluster: Json): void {
  const h = lb.health;
  const active = h.active;
  if (active !== null) {
    const check: Json = { timeout: envoyDuration(active.timeoutUs), interval: envoyDuration(active.intervalUs), unhealthy_threshold: active.fall, healthy_threshold: active.rise };
    if (active.probe === "tcp") check.tcp_health_check = {};
    else {
      const statuses = active.expectedStatuses.map((s) => ({ start: s.min, end: s.max + 1 }));
      check.http_health_check = { path: active.probe === "deep" ? DEEP_HEALTH_PATH : HEALTH_PATH, ...(JSON.stringify(statuses) === '[{"start":200,"end":201}]' ? {} : { expected_statuses: statuses }) };
    }
    if (active.jitterPercent > 0) check.interval_jitter_percent = active.jitterPercent;
    if (active.jitterMaxUs > 0) check.interval_jitter = envoyDuration(active.jitterMaxUs);
    if (active.initialJitterUs > 0) check.initial_jitter = envoyDuration(active.initialJitterUs);
    if (active.downIntervalUs !== undefined) check.unhealthy_interval = envoyDuration(active.downIntervalUs);
    if (active.unhealthyEdgeIntervalUs !== undefined) check.unhealthy_edge_interval = envoyDuration(active.unhealthyEdgeIntervalUs);
    if (active.healthyEdgeIntervalUs !== undefined) check.healthy_edge_interval = envoyDuration(active.healthyEdgeIntervalUs);
    cluster.health_checks = [check];
    const fixed = preset("envoy").active!;
    fixedCheckFields(active, {
      jitterMode: active.jitterPercent > 0 || active.jitterMaxUs > 0 ? fixed.jitterMode : active.jitterMode, spreadFirstChecksBySlot: false, initialHealth: fixed.initialHealth, cadence: fixed.cadence,
      ...(active.probe === "tcp" ? {} : { immediateDownOnStatus: true }),
    }, notes, "Envoy", true);
    if (active.fastIntervalUs !== undefined && active.fastIntervalUs !== active.intervalUs) notes.add("lb.health.fastInterval", "Envoy has no fastinter");
  }
  const p = h.passive;
  if (p.kind === "envoy-outlier") {
    cluster.outlier_detection = {
      consecutive_5xx: p.consecutive5xx, consecutive_gateway_failure: p.consecutiveGatewayFailure,
      enforcing_consecutive_5xx: p.enforcingConsecutive5xxPercent, enforcing_consecutive_gateway_failure: p.enforcingConsecutiveGatewayFailurePercent,
      interval: envoyDuration(p.intervalUs), base_ejection_time: envoyDuration(p.baseEjectionTimeUs), max_ejection_time: envoyDuration(p.maxEjectionTimeUs),
      max_ejection_time_jitter: envoyDuration(p.maxEjectionTimeJitterUs), max_ejection_percent: p.maxEjectionPercent,
      always_eject_one_host: p.alwaysEjectOneHost, successful_active_health_check_uneject_host: p.successfulActiveHealthCheckUnejectHost,
    };
  } else if (p.kind !== "none") notes.add("lb.health.passive", `${p.kind} passive health has no Envoy equivalent (Envoy's is outlier_detection)`);
  const s = h.slowStart;
  if (s.kind === "envoy" && !s.applyAtStartup) {
    const slow = { slow_start_config: { slow_start_window: envoyDuration(s.windowUs), aggression: { default_value: s.aggression, runtime_key: "lbsim.slow_start_aggression" }, min_weight_percent: { value: s.minWeightPercent } } };
    if (cluster.lb_policy === "ROUND_ROBIN") cluster.round_robin_lb_config = slow;
    else if (cluster.lb_policy === "LEAST_REQUEST") cluster.least_request_lb_config = { ...(cluster.least_request_lb_config as Json), ...slow };
    else notes.add("lb.health.slowStart", "Envoy slow start works with ROUND_ROBIN and LEAST_REQUEST only");
  } else if (s.kind !== "none") notes.add("lb.health.slowStart", "Envoy's slow start is its aggression curve (slow_start_config), not a linear ramp, and not at startup");
  cluster.common_lb_config = { ...(cluster.common_lb_config as Json), healthy_panic_threshold: { value: h.panic.healthyPanicThresholdPercent } };
  if (h.panic.failOpenWhenNoneHealthy) notes.add("lb.health.panic.failOpen", "Envoy's panic is its threshold; there is no separate fail-open");
  if (h.drain.deregistrationDelayUs !== null) notes.add("lb.health.drain", "Envoy drains a removed host's connections without a deadline here");
}

function limits(lb: LbConfig, notes: NotExpressible, cluster: Json): void {
  const breakers: Json = {};
  if (lb.maxConnectionsPerBackend > 0) {
    breakers.per_host_thresholds = [{ max_connections: lb.maxConnectionsPerBackend }];
    notes.add("lb.queue", "Envoy does not queue per host: requests wait in the cluster's pending queue (max_pending_requests)");
  }
  if (lb.retries.budget !== null) breakers.thresholds = [{ retry_budget: { budget_percent: { value: lb.retries.budget.percent }, min_retry_concurrency: lb.retries.budget.minConcurrency } }];
  if (Object.keys(breakers).length > 0) cluster.circuit_breakers = breakers;
  const common: Json = {};
  if (lb.keepalive === null) common.max_requests_per_connection = 1; // no reuse
  else {
    common.idle_timeout = envoyDuration(lb.keepalive.idleTimeout);
    if (lb.keepalive.maxIdlePerBackend !== 1024) notes.add("lb.keepalive.maxIdlePerBackend", "Envoy bounds connections per host (max_connections), not idle ones");
  }
  cluster.typed_extension_protocol_options = {
    "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": { "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions", common_http_protocol_options: common, explicit_http_config: { http_protocol_options: {} } },
  };
}

function retries(lb: LbConfig, notes: NotExpressible, route: Json, cluster: Json): void {
  const r = lb.retries;
  route.timeout = envoyDuration(lb.upstreamTimeout * r.tries);
  if (r.tries <= 1 || r.on.length === 0) {
    route.timeout = envoyDuration(lb.upstreamTimeout);
    return;
  }
  const on = [...new Set(r.on.flatMap((c) => ENVOY_RETRY_ON[c] ?? []))];
  const policy: Json = { retry_on: on.join(","), num_retries: r.tries - 1, per_try_timeout: envoyDuration(lb.upstreamTimeout) };
  hostPredicate(lb, notes, policy);
  if (r.on.includes("http_503")) policy.retriable_status_codes = [503];
  route.retry_policy = policy;
  notes.add("lb.retries", "Envoy waits a jittered backoff (base 25 ms) before each retry; lbsim retries at once");
  if (r.on.includes("timeout") && !r.on.includes("http_5xx")) notes.add("lb.retries.on", "Envoy retries a per-try timeout only under gateway-error (which also retries 502-504 answers) or 5xx");
  if (!r.nonIdempotent) notes.add("lb.retries.nonIdempotent", "Envoy retries any method its retry_on matches");
  void cluster;
}

/**
 * Where a retry goes: no `retry_host_predicate` is any host (`any`); `envoy.retry_host_predicates.previous_hosts`
 * re-picks up to `host_selection_retry_max_attempts` times while the pick was tried (`previous-hosts`). NGINX's and
 * HAProxy's targets have no Envoy form: listed, and written as previous_hosts with 3 re-picks, the nearest.
 */
function hostPredicate(lb: LbConfig, notes: NotExpressible, policy: Json): void {
  const r = lb.retries;
  const previousHosts = (attempts: number) => {
    policy.retry_host_predicate = [{ name: "envoy.retry_host_predicates.previous_hosts", typed_config: { "@type": "type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate" } }];
    policy.host_selection_retry_max_attempts = attempts;
  };
  if (r.target === "any") return;
  if (r.target === "previous-hosts") return previousHosts(r.hostSelectionMaxAttempts);
  notes.add("lb.retries.target", `${RETRY_TARGET_TEXT[r.target]} has no Envoy form (Envoy re-picks, with or without the previous_hosts predicate); written as previous_hosts with host_selection_retry_max_attempts 3, the nearest`);
  previousHosts(3);
}

function localRateLimit(lb: LbConfig, notes: NotExpressible): Json {
  const rate = lb.rateLimit!;
  if (!Number.isInteger(rate.rate)) notes.add("lb.rateLimit.rate", "Envoy's token bucket refills whole tokens per fill interval (1s here)");
  return {
    name: "envoy.filters.http.local_ratelimit",
    typed_config: {
      "@type": "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit",
      stat_prefix: "lbsim",
      token_bucket: { max_tokens: rate.burst, tokens_per_fill: Math.max(1, Math.round(rate.rate)), fill_interval: "1s" },
      filter_enabled: { default_value: { numerator: 100, denominator: "HUNDRED" } },
      filter_enforced: { default_value: { numerator: 100, denominator: "HUNDRED" } },
    },
  };
}
