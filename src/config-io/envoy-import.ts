// An Envoy cluster to a scenario's balancer tier (Envoy v3 API: config.cluster.v3.Cluster, ClusterLoadAssignment,
// config.route.v3.RouteAction). The file may be a bootstrap (static_resources), a discovery response
// (`resources` with @type), a bare Cluster, or a list; the endpoints come from the cluster's `load_assignment` or a
// ClusterLoadAssignment beside it, and the timeout, retry policy and hash policy from the route that targets it.
import { LineCounter, parseAllDocuments } from "yaml";
import { parseEnvoyDuration, scenarioDuration } from "./config-units.js";
import { ENVOY_CLUSTER } from "./export-envoy.js";
import { DEEP_HEALTH_PATH } from "./export-haproxy.js";
import { backendName, configError, ImportDraft, scenarioName, type Origin } from "./import-draft.js";

type Json = Record<string, unknown>;
type Path = Array<string | number>;

interface Found {
  doc: number;
  path: Path;
  value: Json;
}

export interface EnvoyImportOptions {
  cluster?: string;
}

const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

export function importEnvoy(text: string, file: string, options: EnvoyImportOptions = {}): ImportDraft {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  for (const doc of list) {
    const error = doc.errors[0];
    if (error !== undefined) throw configError(file, lines.linePos(error.pos[0]).line, `syntax error: ${error.message.split("\n")[0]}`, "valid YAML or JSON");
  }
  const values = list.map((d) => {
    try {
      return d.toJS({ maxAliasCount: 100 }) as unknown;
    } catch (error) {
      // A YAML alias bomb (or a bad alias) is bad input, not an internal error.
      throw configError(file, 1, `cannot read the document: ${(error as Error).message.split("\n")[0]}`, "YAML without alias expansion bombs");
    }
  });
  const lineOf = (doc: number, path: Path): number => {
    const node = list[doc]?.getIn(path, true) as { range?: [number, number, number] } | undefined;
    const key = (list[doc]?.getIn(path.slice(0, -1), true) as { items?: Array<{ key?: { value?: unknown; range?: [number] } }> } | undefined)?.items?.find((i) => i.key?.value === path[path.length - 1])?.key;
    const offset = key?.range?.[0] ?? node?.range?.[0];
    return offset === undefined ? 0 : lines.linePos(offset).line;
  };
  const clusters: Found[] = [];
  const assignments: Found[] = [];
  const routes: Found[] = [];
  const filters: Found[] = [];
  values.forEach((v, doc) => walk(v, [], doc, clusters, assignments, routes, filters));
  const cluster = options.cluster === undefined ? clusters[0] : clusters.find((c) => c.value.name === options.cluster);
  if (cluster === undefined) throw configError(file, 1, options.cluster === undefined ? "expected an Envoy Cluster (with name and load_assignment, lb_policy or connect_timeout)" : `expected a cluster named "${options.cluster}"; the file has ${clusters.map((c) => String(c.value.name)).join(", ") || "none"}`, "an Envoy Cluster");
  const name = String(cluster.value.name ?? ENVOY_CLUSTER);
  const draft: ImportDraft = new ImportDraft("envoy", file, scenarioName(name));
  const at = (f: Found, key: string | number, directive?: string): Origin => ({ line: lineOf(f.doc, [...f.path, key]), directive: directive ?? `${String(key)}` });
  for (const other of clusters) if (other !== cluster) draft.ignore(at(other, "name", `cluster ${String(other.value.name)}`), `another cluster: a scenario is one balancer tier (import it with --select ${String(other.value.name)})`);
  const sub = (f: Found, key: string): Found | null => (isObject(f.value[key]) ? { doc: f.doc, path: [...f.path, key], value: f.value[key] as Json } : null);
  clusterFields(cluster, draft, at, sub);
  const assignment = sub(cluster, "load_assignment") ?? assignments.find((a) => a.value.cluster_name === name) ?? null;
  if (assignment === null) draft.fail(lineOf(cluster.doc, cluster.path), `cluster ${name}: expected a load_assignment or a ClusterLoadAssignment for it`, "endpoints");
  endpoints(assignment, draft, at, lineOf);
  const tcp = filters.find((f) => String(f.value["@type"]).endsWith("TcpProxy") && f.value.cluster === name);
  if (tcp !== undefined) draft.set("mode", "l4", at(tcp, "cluster", "tcp_proxy"));
  const limit = filters.find((f) => String(f.value["@type"]).endsWith("LocalRateLimit"));
  if (limit !== undefined) localRateLimit(limit, draft, at);
  // The rest of a bootstrap: admin, other listeners' filters, layered runtime and the like.
  values.forEach((v, doc) => {
    if (!isObject(v) || !("static_resources" in v || "admin" in v)) return;
    for (const key of Object.keys(v)) if (key !== "static_resources") draft.ignore({ line: lineOf(doc, [key]), directive: key }, "a bootstrap setting with no bearing on balancing");
    const res = v.static_resources;
    const listeners = isObject(res) && Array.isArray(res.listeners) ? res.listeners : [];
    listeners.forEach((l, i) => draft.ignore({ line: lineOf(doc, ["static_resources", "listeners", i]), directive: `listener ${String((l as Json).name ?? i)}` }, "the way in: of a listener only the route to the cluster (timeout, retry and hash policy), tcp_proxy and a local rate limit are read"));
    if (isObject(res)) for (const key of Object.keys(res)) if (key !== "clusters" && key !== "listeners") draft.ignore({ line: lineOf(doc, ["static_resources", key]), directive: `static_resources.${key}` }, "no bearing on balancing");
  });
  const route = routes.find((r) => r.value.cluster === name);
  if (route === undefined && tcp === undefined) draft.notModel({ line: 0, directive: "(no route targets this cluster)" }, "Envoy's route defaults are used: a 15s timeout and no retries");
  else if (route !== undefined) routeFields(route, draft, at, sub);
  return draft;
}

function walk(v: unknown, path: Path, doc: number, clusters: Found[], assignments: Found[], routes: Found[], filters: Found[]): void {
  if (Array.isArray(v)) {
    v.forEach((item, i) => walk(item, [...path, i], doc, clusters, assignments, routes, filters));
    return;
  }
  if (!isObject(v)) return;
  const type = String(v["@type"] ?? "");
  const parentKey = path[path.length - 2];
  if (type.endsWith("Cluster") || (typeof v.name === "string" && ("load_assignment" in v || "lb_policy" in v || "connect_timeout" in v) && !("virtual_hosts" in v))) {
    clusters.push({ doc, path, value: v });
    return;
  }
  if (type.endsWith("ClusterLoadAssignment") || (typeof v.cluster_name === "string" && Array.isArray(v.endpoints) && parentKey !== "load_assignment")) {
    assignments.push({ doc, path, value: v });
    return;
  }
  if (path[path.length - 1] === "route" && typeof v.cluster === "string") routes.push({ doc, path, value: v });
  if (type.endsWith("TcpProxy") || type.endsWith("LocalRateLimit")) filters.push({ doc, path, value: v });
  for (const [k, child] of Object.entries(v)) walk(child, [...path, k], doc, clusters, assignments, routes, filters);
}

type At = (f: Found, key: string | number, directive?: string) => Origin;
type Sub = (f: Found, key: string) => Found | null;

/** Jitters may be 0; intervals, timeouts and windows may not. */
const MAY_BE_ZERO = new Set(["max_ejection_time_jitter", "interval_jitter", "initial_jitter"]);

function duration(f: Found, key: string, d: ImportDraft, at: At): string {
  const us = parseEnvoyDuration(f.value[key]);
  if (us === null || us < 0 || (us === 0 && !MAY_BE_ZERO.has(key))) d.fail(at(f, key).line, `${key}: expected a duration such as "5s" or "0.25s", got ${JSON.stringify(f.value[key])}`, "a protobuf Duration");
  return scenarioDuration(us);
}

function num(f: Found, key: string, d: ImportDraft, at: At, min: number): number {
  const raw = f.value[key];
  const n = isObject(raw) ? Number(raw.value ?? raw.default_value) : Number(raw);
  if (!Number.isFinite(n) || n < min) d.fail(at(f, key).line, `${key}: expected a number >= ${min}, got ${JSON.stringify(raw)}`, `a number >= ${min}`);
  return n;
}

function clusterFields(c: Found, d: ImportDraft, at: At, sub: Sub): void {
  for (const key of Object.keys(c.value)) {
    const from = at(c, key, `${key}: ${JSON.stringify(c.value[key]).slice(0, 60)}`);
    switch (key) {
      case "name":
      case "load_assignment":
        break;
      case "connect_timeout":
        d.set("connectTimeout", duration(c, key, d, at), from);
        break;
      case "lb_policy":
        lbPolicy(c, d, at, sub, from);
        break;
      case "least_request_lb_config":
      case "round_robin_lb_config":
      case "maglev_lb_config":
      case "ring_hash_lb_config":
        break; // read with lb_policy
      case "health_checks":
        healthChecks(c, d, at);
        break;
      case "outlier_detection":
        outlier(sub(c, key)!, d, at, from);
        break;
      case "common_lb_config":
        commonLb(sub(c, key)!, d, at);
        break;
      case "circuit_breakers":
        breakers(sub(c, key)!, d, at);
        break;
      case "typed_extension_protocol_options":
        protocolOptions(c, d, at, from);
        break;
      case "type":
      case "dns_lookup_family":
      case "dns_refresh_rate":
      case "transport_socket":
      case "http2_protocol_options":
      case "typed_dns_resolver_config":
      case "upstream_connection_options":
      case "respect_dns_ttl":
        d.ignore(from, "how hosts are found and connected to has no bearing on balancing");
        break;
      default:
        d.notModel(from, "not modelled");
    }
  }
  if (!("health_checks" in c.value)) d.set("health.active", false, { line: at(c, "name").line, directive: "(no health_checks)" });
  if (!("outlier_detection" in c.value)) d.set("health.passive", "none", { line: at(c, "name").line, directive: "(no outlier_detection)" });
  if (!("lb_policy" in c.value)) lbPolicy(c, d, at, sub, { line: at(c, "name").line, directive: "(lb_policy unset: ROUND_ROBIN)" });
}

function lbPolicy(c: Found, d: ImportDraft, at: At, sub: Sub, from: Origin): void {
  const policy = String(c.value.lb_policy ?? "ROUND_ROBIN");
  const slowStart = (config: Found | null): void => {
    const s = config === null ? null : sub(config, "slow_start_config");
    if (s === null) return;
    const options: Json = { window: duration(s, "slow_start_window", d, at) };
    if (s.value.aggression !== undefined) options.aggression = num(s, "aggression", d, at, 0);
    if (s.value.min_weight_percent !== undefined) options.minWeight = `${num(s, "min_weight_percent", d, at, 0)}%`;
    d.set("health.slowStart", { envoy: options }, at(config!, "slow_start_config"));
  };
  switch (policy) {
    case "ROUND_ROBIN": {
      d.set("algorithm", "weighted-round-robin", from); // refined to round-robin once the weights are known
      slowStart(sub(c, "round_robin_lb_config"));
      return;
    }
    case "LEAST_REQUEST": {
      const config = sub(c, "least_request_lb_config");
      const options: Json = {};
      if (config?.value.choice_count !== undefined) options.choiceCount = num(config, "choice_count", d, at, 2);
      if (config?.value.active_request_bias !== undefined) options.activeRequestBias = num(config, "active_request_bias", d, at, 0);
      d.set("algorithm", { "power-of-two-choices": { variant: "envoy", ...options } }, from);
      slowStart(config);
      return;
    }
    case "RANDOM":
      d.set("algorithm", "random", from);
      return;
    case "RING_HASH":
    case "MAGLEV": {
      const options: Json = { method: policy === "MAGLEV" ? "maglev" : "ketama" };
      const maglev = sub(c, "maglev_lb_config");
      if (policy === "MAGLEV" && maglev?.value.table_size !== undefined) options.tableSize = num(maglev, "table_size", d, at, 2);
      const ring = sub(c, "ring_hash_lb_config");
      if (policy === "RING_HASH" && ring !== null) d.notModel(at(c, "ring_hash_lb_config"), "ring size and hash function are not modelled: lbsim's ring has 160 points per host (ketama)");
      d.set("algorithm", { "consistent-hash": options }, from);
      return;
    }
    default:
      d.notModel(from, `lb_policy ${policy} is not modelled; Envoy's ROUND_ROBIN is used instead`);
  }
}

function healthChecks(c: Found, d: ImportDraft, at: At): void {
  const list = c.value.health_checks;
  if (!Array.isArray(list) || list.length === 0) {
    d.set("health.active", false, at(c, "health_checks", "health_checks: []"));
    return;
  }
  const h: Found = { doc: c.doc, path: [...c.path, "health_checks", 0], value: list[0] as Json };
  if (list.length > 1) d.notModel(at(c, "health_checks", "health_checks[1..]"), "lbsim runs one active check per backend; the first is used");
  for (const key of Object.keys(h.value)) {
    const from = at(h, key, `health_checks[0].${key}`);
    switch (key) {
      case "timeout":
        d.set("health.timeout", duration(h, key, d, at), from);
        break;
      case "interval":
        d.set("health.interval", duration(h, key, d, at), from);
        break;
      case "unhealthy_threshold":
        d.set("health.fall", num(h, key, d, at, 1), from);
        break;
      case "healthy_threshold":
        d.set("health.rise", num(h, key, d, at, 1), from);
        break;
      case "interval_jitter_percent":
        d.set("health.jitter", `${num(h, key, d, at, 0)}%`, from);
        break;
      case "interval_jitter":
        d.set("health.jitterMax", duration(h, key, d, at), from);
        break;
      case "initial_jitter":
        d.set("health.initialJitter", duration(h, key, d, at), from);
        break;
      case "unhealthy_interval":
        d.set("health.downInterval", duration(h, key, d, at), from);
        break;
      case "unhealthy_edge_interval":
        d.set("health.unhealthyEdgeInterval", duration(h, key, d, at), from);
        break;
      case "healthy_edge_interval":
        d.set("health.healthyEdgeInterval", duration(h, key, d, at), from);
        break;
      case "tcp_health_check":
        d.set("health.probe", "tcp", from);
        break;
      case "http_health_check": {
        const http = h.value[key] as Json;
        d.set("health.probe", http.path === DEEP_HEALTH_PATH ? "deep" : "http", from);
        if (Array.isArray(http.expected_statuses)) {
          const ranges = (http.expected_statuses as Json[]).map((r) => {
            const min = Number(r.start);
            const max = Number(r.end) - 1; // Envoy's Int64Range is half-open
            return min === max ? min : `${min}-${max}`;
          });
          d.set("health.expectedStatuses", ranges, from);
        }
        break;
      }
      case "grpc_health_check":
        d.set("health.probe", "http", from);
        d.notModel(from, "a gRPC health check is modelled as an HTTP check");
        break;
      case "no_traffic_interval":
      case "no_traffic_healthy_interval":
        d.notModel(from, "lbsim's checks do not slow down for clusters without traffic");
        break;
      default:
        d.ignore(from, "no bearing on what the check decides");
    }
  }
}

const OUTLIER_FIELDS: Readonly<Record<string, [string, "int" | "duration" | "percent" | "bool"]>> = {
  consecutive_5xx: ["consecutive5xx", "int"], consecutive_gateway_failure: ["consecutiveGatewayFailure", "int"],
  enforcing_consecutive_5xx: ["enforcingConsecutive5xx", "percent"], enforcing_consecutive_gateway_failure: ["enforcingConsecutiveGatewayFailure", "percent"],
  interval: ["interval", "duration"], base_ejection_time: ["baseEjectionTime", "duration"], max_ejection_time: ["maxEjectionTime", "duration"],
  max_ejection_time_jitter: ["maxEjectionTimeJitter", "duration"], max_ejection_percent: ["maxEjectionPercent", "percent"],
  always_eject_one_host: ["alwaysEjectOneHost", "bool"], successful_active_health_check_uneject_host: ["successfulActiveHealthCheckUnejectHost", "bool"],
};

function outlier(o: Found, d: ImportDraft, at: At, from: Origin): void {
  const options: Json = {};
  for (const key of Object.keys(o.value)) {
    const field = OUTLIER_FIELDS[key];
    if (field === undefined) {
      d.notModel(at(o, key, `outlier_detection.${key}`), "only consecutive 5xx and gateway-failure ejection are modelled");
      continue;
    }
    const [name, kind] = field;
    options[name] = kind === "duration" ? duration(o, key, d, at) : kind === "percent" ? `${num(o, key, d, at, 0)}%` : kind === "bool" ? Boolean(o.value[key]) : num(o, key, d, at, 1);
  }
  d.set("health.passive", { "envoy-outlier": options }, from);
}

function commonLb(c: Found, d: ImportDraft, at: At): void {
  for (const key of Object.keys(c.value)) {
    const from = at(c, key, `common_lb_config.${key}`);
    if (key === "healthy_panic_threshold") d.set("health.panic.threshold", `${num(c, key, d, at, 0)}%`, from);
    else if (key === "zone_aware_lb_config" || key === "locality_weighted_lb_config") d.ignore(from, "lbsim has no zones or localities: every host is in one");
    else if (key === "consistent_hashing_lb_config") {
      const f = (c.value[key] as Json).hash_balance_factor;
      if (f !== undefined) d.set("algorithm.__balanceFactor", Number(isObject(f) ? f.value : f) / 100, from);
    } else d.notModel(from, "not modelled");
  }
}

function breakers(b: Found, d: ImportDraft, at: At): void {
  for (const key of Object.keys(b.value)) {
    const from = at(b, key, `circuit_breakers.${key}`);
    const list = b.value[key];
    if (key === "per_host_thresholds" && Array.isArray(list) && isObject(list[0]) && list[0].max_connections !== undefined) {
      d.set("maxConnectionsPerBackend", Number(list[0].max_connections), from);
    } else if (key === "thresholds" && Array.isArray(list)) {
      for (const t of list.filter(isObject)) {
        const budget = t.retry_budget;
        if (isObject(budget)) {
          const percent = isObject(budget.budget_percent) ? Number(budget.budget_percent.value) : 20;
          d.set("retries.budget", { percent: `${percent}%`, minConcurrency: Number(budget.min_retry_concurrency ?? 3) }, from);
        }
        if (Object.keys(t).some((k) => k.startsWith("max_"))) d.notModel(from, "cluster-wide circuit breaker limits (max_connections, max_pending_requests, max_requests, max_retries) are not modelled");
      }
    } else d.notModel(from, "not modelled");
  }
}

function protocolOptions(c: Found, d: ImportDraft, at: At, from: Origin): void {
  const all = c.value.typed_extension_protocol_options as Json;
  const http = all["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"];
  const common = isObject(http) && isObject(http.common_http_protocol_options) ? http.common_http_protocol_options : null;
  if (common === null) {
    d.ignore(from, "no bearing on balancing");
    return;
  }
  if (Number(common.max_requests_per_connection) === 1) d.set("keepalive", null, from);
  else if (common.idle_timeout !== undefined) {
    const us = parseEnvoyDuration(common.idle_timeout);
    if (us === null || us <= 0) d.fail(from.line, "idle_timeout: expected a duration", "a protobuf Duration");
    d.set("keepalive", { maxIdlePerBackend: 1024, idleTimeout: scenarioDuration(us) }, from);
  }
}

function endpoints(a: Found, d: ImportDraft, at: At, lineOf: (doc: number, path: Path) => number): void {
  const groups = Array.isArray(a.value.endpoints) ? (a.value.endpoints as Json[]) : [];
  const taken = new Set<string>();
  groups.forEach((group, g) => {
    const priority = Number(group.priority ?? 0);
    if (priority > 1) d.notModel({ line: lineOf(a.doc, [...a.path, "endpoints", g, "priority"]), directive: `priority ${priority}` }, "lbsim has primaries and backups only: priorities above 1 are backups");
    if (group.locality !== undefined) d.ignore({ line: lineOf(a.doc, [...a.path, "endpoints", g, "locality"]), directive: "locality" }, "lbsim has no zones");
    for (const key of Object.keys(group)) {
      if (["lb_endpoints", "priority", "locality"].includes(key)) continue;
      d.notModel({ line: lineOf(a.doc, [...a.path, "endpoints", g, key]), directive: `endpoints[${g}].${key}` }, "locality weights and other locality settings are not modelled");
    }
    const list = Array.isArray(group.lb_endpoints) ? (group.lb_endpoints as Json[]) : [];
    list.forEach((e, i) => {
      const path = [...a.path, "endpoints", g, "lb_endpoints", i];
      for (const key of Object.keys(e)) {
        if (key === "endpoint" || key === "load_balancing_weight") continue;
        const from = { line: lineOf(a.doc, [...path, key]), directive: `lb_endpoints[${i}].${key}: ${JSON.stringify(e[key]).slice(0, 40)}` };
        if (key === "metadata") d.ignore(from, "no bearing on balancing");
        else d.notModel(from, key === "health_status" ? "an endpoint's health status from discovery is not modelled (lbsim's checks decide)" : "not modelled");
      }
      const socket = ((e.endpoint as Json | undefined)?.address as Json | undefined)?.socket_address as Json | undefined;
      const line = lineOf(a.doc, path);
      if (socket === undefined) d.fail(line, "lb_endpoints: expected endpoint.address.socket_address", "an endpoint address");
      const address = `${String(socket.address)}:${String(socket.port_value ?? "")}`;
      // A host name names the backend; an IP address gets the cluster's name and a number.
      const host = String(socket.address);
      const name = backendName(/^[a-z][a-z0-9-]*$/i.test(host) ? host : `${d.name}-${d.backends.length + 1}`, taken);
      taken.add(name);
      const weight = e.load_balancing_weight === undefined ? 1 : Number(isObject(e.load_balancing_weight) ? e.load_balancing_weight.value : e.load_balancing_weight);
      d.backends.push({ name, address, weight, backup: priority > 0, from: { line, directive: `endpoint ${address}` } });
    });
  });
  for (const key of Object.keys(a.value)) {
    if (key === "cluster_name" || key === "endpoints" || key === "@type") continue;
    d.notModel({ line: lineOf(a.doc, [...a.path, key]), directive: `load_assignment.${key}` }, "overprovisioning and drop policies are not modelled");
  }
  if (d.backends.length === 0) d.fail(lineOf(a.doc, a.path), "expected at least one endpoint", "lb_endpoints");
  const algorithm = d.get("algorithm");
  const weights = new Set(d.backends.filter((b) => !b.backup).map((b) => b.weight));
  if (algorithm === "weighted-round-robin" && weights.size <= 1) d.set("algorithm", "round-robin", d.lb.get("algorithm")!.from);
  const factor = d.lb.get("algorithm.__balanceFactor");
  if (factor !== undefined) {
    d.lb.delete("algorithm.__balanceFactor");
    const spec = d.get("algorithm") as Json;
    const hash = isObject(spec) ? (spec["consistent-hash"] as Json | undefined) : undefined;
    if (hash !== undefined) d.set("algorithm", { "consistent-hash": { ...hash, balanceFactor: factor.value } }, factor.from);
    else d.notModel(factor.from, "bounded loads apply to consistent hashing only");
  }
}

function routeFields(r: Found, d: ImportDraft, at: At, sub: Sub): void {
  for (const key of Object.keys(r.value)) {
    const from = at(r, key, `route.${key}: ${JSON.stringify(r.value[key]).slice(0, 60)}`);
    switch (key) {
      case "cluster":
        break;
      case "timeout":
        if (!isObject(r.value.retry_policy) || (r.value.retry_policy as Json).per_try_timeout === undefined) d.set("upstreamTimeout", duration(r, key, d, at), from);
        break;
      case "retry_policy":
        retryPolicy(sub(r, key)!, d, at, from);
        break;
      case "hash_policy": {
        const first = Array.isArray(r.value.hash_policy) ? (r.value.hash_policy[0] as Json) : {};
        const hashOn = isObject(first.connection_properties) ? "client-address" : isObject(first.header) && (first.header as Json).header_name === ":path" ? "path" : isObject(first.cookie) ? "session" : null;
        if (hashOn === null) d.notModel(from, "lbsim hashes the client address, the path or a session cookie");
        else d.set("hashOn", hashOn, from);
        break;
      }
      default:
        d.notModel(from, "not modelled");
    }
  }
}

function retryPolicy(p: Found, d: ImportDraft, at: At, from: Origin): void {
  const tries = p.value.num_retries === undefined ? 2 : num(p, "num_retries", d, at, 0) + 1; // num_retries defaults to 1
  d.set("retries.tries", tries, from);
  const words = String(p.value.retry_on ?? "").split(",").map((w) => w.trim()).filter((w) => w !== "");
  const on = new Set<string>();
  for (const w of words) {
    if (w === "connect-failure" || w === "reset" || w === "refused-stream" || w === "reset-before-request") on.add("error");
    else if (w === "5xx") ["error", "timeout", "http_5xx"].forEach((c) => on.add(c)); // 5xx includes resets and timeouts
    else if (w === "gateway-error") {
      on.add("timeout");
      d.notModel(from, "gateway-error also retries 502, 503 and 504 answers; modelled as a retry on timeout");
    } else if (w === "retriable-status-codes") {
      const codes = Array.isArray(p.value.retriable_status_codes) ? (p.value.retriable_status_codes as number[]) : [];
      if (codes.includes(503)) on.add("http_503");
      if (codes.some((c) => c !== 503)) d.notModel(from, "lbsim's backends answer 503 (shed) or 500; other retriable codes are not modelled");
    } else d.notModel(from, `retry_on ${w} is not modelled`);
  }
  d.set("retries.on", ["error", "timeout", "http_5xx", "http_503"].filter((c) => on.has(c)), from);
  if (p.value.per_try_timeout !== undefined) d.set("upstreamTimeout", duration(p, "per_try_timeout", d, at), at(p, "per_try_timeout", "retry_policy.per_try_timeout"));
  // No retry_host_predicate: any host, the one just tried included (`any`, the envoy preset's default);
  // previous_hosts: re-pick up to host_selection_retry_max_attempts (default 1) times while the pick was tried.
  const predicates = Array.isArray(p.value.retry_host_predicate) ? (p.value.retry_host_predicate as Json[]) : [];
  const previous = predicates.findIndex((x) => String(x.name ?? "").includes("previous_hosts"));
  if (previous >= 0) {
    const predicateFrom = at(p, "retry_host_predicate", "retry_policy.retry_host_predicate: envoy.retry_host_predicates.previous_hosts");
    d.set("retries.target", "previous-hosts", predicateFrom);
    if (p.value.host_selection_retry_max_attempts !== undefined) d.set("retries.hostSelectionMaxAttempts", num(p, "host_selection_retry_max_attempts", d, at, 0), at(p, "host_selection_retry_max_attempts", "retry_policy.host_selection_retry_max_attempts"));
  } else {
    d.set("retries.target", "any", from);
    if (p.value.host_selection_retry_max_attempts !== undefined) d.ignore(at(p, "host_selection_retry_max_attempts", "retry_policy.host_selection_retry_max_attempts"), "no effect without a retry host predicate");
  }
  predicates.forEach((x, i) => {
    if (i !== previous) d.notModel({ line: from.line, directive: `retry_host_predicate ${String(x.name ?? i)}` }, "only the previous_hosts retry host predicate is modelled");
  });
  for (const key of Object.keys(p.value)) {
    if (["num_retries", "retry_on", "per_try_timeout", "retry_host_predicate", "host_selection_retry_max_attempts", "retriable_status_codes"].includes(key)) continue;
    d.notModel(at(p, key, `retry_policy.${key}`), key === "retry_back_off" ? "lbsim retries at once, without a backoff" : "not modelled");
  }
  if (tries > 1) d.notModel(from, "Envoy waits a jittered backoff (base 25 ms) before each retry; lbsim retries at once");
}

/** Envoy local rate limit: a token bucket of `max_tokens`, refilled by `tokens_per_fill` every `fill_interval`. */
function localRateLimit(f: Found, d: ImportDraft, at: At): void {
  const bucket = f.value.token_bucket;
  const from = at(f, "token_bucket", "local_ratelimit token_bucket");
  if (!isObject(bucket)) {
    d.notModel(from, "a local rate limit without a token bucket is not modelled");
    return;
  }
  const perFill = Number(bucket.tokens_per_fill ?? 1);
  const interval = parseEnvoyDuration(bucket.fill_interval);
  if (interval === null || interval <= 0 || !Number.isFinite(perFill)) d.fail(from.line, "token_bucket: expected fill_interval and tokens_per_fill", "a token bucket");
  d.set("rateLimit", { rate: `${Number(((perFill * 1_000_000) / interval).toFixed(6))}/s`, burst: Number(bucket.max_tokens) }, from);
}
