// A scenario's balancer tier as an HAProxy 2.6 configuration (configuration.txt of 2.6 for every keyword). One
// `backend` holds the tier: `balance`, `retries`/`retry-on`, timeouts, `http-check`, and a `default-server` line
// with the check cadence and per-server limits, so every server shares them as lbsim's tier does. What HAProxy
// cannot say is listed in the header and returned as `notExpressible`; import reads this file back to the same
// `lb` section (test/config-io/round-trip.test.ts).
import type { BalancerSpec, BaseBalancerSpec } from "../balancers/balancer-spec.js";
import { preset } from "../health/presets.js";
import type { ScenarioConfig } from "../scenario/schema/scenario.js";
import { haproxyTime } from "./config-units.js";
import { commonTierChecks, exportedBackends, fixedCheckFields, listenAddress, NotExpressible, type LbConfig, ignoresWeights, retriesHappen, RETRY_TARGET_TEXT } from "./export-common.js";
import type { ExportOptions, ExportResult } from "./types.js";

/** The health endpoint HAProxy's `option httpchk` asks; `/healthz/deep` is lbsim's convention for a deep check. */
export const HEALTH_PATH = "/healthz";
export const DEEP_HEALTH_PATH = "/healthz/deep";

/** Methods RFC 9110 calls idempotent, as HAProxy's predefined ACLs name them. */
export const HAPROXY_IDEMPOTENT_ACL = "METH_GET or METH_HEAD or METH_OPTIONS or METH_PUT or METH_DELETE or METH_TRACE";

export function exportHaproxy(config: ScenarioConfig, options: ExportOptions = {}): ExportResult {
  const lb = config.lb;
  const notes = new NotExpressible();
  commonTierChecks(lb, notes);
  const backend: string[] = [];
  const serverParams: string[] = [];
  const sticky = balanceLines(lb, config, notes, backend);
  retryLines(lb, notes, backend);
  backend.push(`    timeout connect ${haproxyTime(lb.connectTimeout)}  # lb.connectTimeout`);
  backend.push(`    timeout server ${haproxyTime(lb.upstreamTimeout)}  # lb.upstreamTimeout`);
  backend.push(`    timeout queue ${haproxyTime(lb.queue.timeout)}  # lb.queue.timeout`);
  const globalLines = healthLines(lb, notes, backend, serverParams);
  limitLines(lb, notes, backend, serverParams);
  if (lb.rateLimit !== null) notes.add("lb.rateLimit", "HAProxy limits rates with stick-table counters over a sliding window, not a token bucket");

  const servers = exportedBackends(config, options).map(({ spec, address }) => {
    const params = [`weight ${ignoresWeights(lb) ? 1 : spec.weight}`];
    if (spec.backup) params.push("backup");
    if (sticky) params.push(`cookie ${spec.name}`);
    return `    server ${spec.name} ${address} ${params.join(" ")}`;
  });
  const lines = [
    `# HAProxy configuration exported by lbsim from scenario "${config.name}": the balancer tier as HAProxy 2.6 runs it.`,
    ...notes.header("#", "HAProxy"),
    "global",
    "    maxconn 20000",
    ...globalLines,
    "",
    "defaults",
    `    mode ${lb.mode === "l4" ? "tcp" : "http"}  # lb.mode`,
    "    timeout client 10m  # not from the scenario: lbsim's clients time out on their own",
    "    timeout connect 5s",
    "    timeout server 60s",
    "",
    "frontend fe_lbsim",
    `    bind ${listenAddress(options)}`,
    "    default_backend be_lbsim",
    "",
    "backend be_lbsim",
    ...backend,
    ...(serverParams.length > 0 ? [`    default-server ${serverParams.join(" ")}`] : []),
    ...servers,
    "",
  ];
  return { text: lines.join("\n"), notExpressible: notes.items };
}

/** `balance` and hashing; returns true when servers need a `cookie` (sticky sessions). */
function balanceLines(lb: LbConfig, config: ScenarioConfig, notes: NotExpressible, out: string[]): boolean {
  const spec: BalancerSpec = lb.algorithm;
  if (spec.algorithm === "sticky") {
    // HAProxy cookie persistence: `insert` sets the server's cookie, `maxidle` expires an idle binding.
    out.push(...baseBalance(spec.base ?? { algorithm: "round-robin" }, lb, notes, "lb.algorithm.sticky.base"));
    out.push(`    cookie SERVERID insert indirect nocache maxidle ${haproxyTime(spec.ttlUs ?? 1_800_000_000)}  # lb.algorithm.sticky.ttl`);
    if ((spec.maxSessions ?? 100_000) !== 100_000) notes.add("lb.algorithm.sticky.maxSessions", "a cookie keeps the binding in the client: HAProxy has no session table to bound");
    return true;
  }
  out.push(...baseBalance(spec, lb, notes, "lb.algorithm"));
  return false;
}

function baseBalance(spec: BaseBalancerSpec, lb: LbConfig, notes: NotExpressible, path: string): string[] {
  const line = (text: string) => [`    ${text}  # ${path}`];
  switch (spec.algorithm) {
    case "round-robin":
      // HAProxy roundrobin honours weights; lbsim round-robin ignores them, so every server gets weight 1.
      return line("balance roundrobin");
    case "weighted-round-robin":
      return line(spec.variant === "static" ? "balance static-rr" : "balance roundrobin");
    case "least-connections":
      // HAProxy leastconn: connections / weight, queued requests counted (backend.c, fwlc_*).
      if (spec.weighted === false) notes.add(`${path}.least-connections.weighted`, "HAProxy leastconn always divides by weight");
      if (spec.countQueued !== true && (lb.maxConnectionsPerBackend > 0 || lb.loadFeedback !== null)) notes.add(`${path}.least-connections.countQueued`, "HAProxy leastconn counts requests queued on a server too");
      if ((spec.variant ?? "nginx") !== "haproxy") notes.add(`${path}.least-connections.variant`, "HAProxy leastconn breaks ties by its tree's order (the server at that load longest first): the haproxy variant");
      return line("balance leastconn");
    case "random":
      // lbsim's random draws by weight (NGINX `random`); HAProxy's random(1) looks its draw up on the consistent-hash
      // tree (get_server_rnd -> chash_get_server_hash), where equal servers own unequal arcs (haproxy-chash-ring.ts).
      notes.add(`${path}.random`, "HAProxy random(1) draws on its consistent-hash tree, where servers of equal weight own unequal arcs (35.1/29.5/35.4% for three); lbsim's random draws by weight");
      return line("balance random(1)");
    case "power-of-two-choices":
      // HAProxy draws on its chash tree and compares in-flight / weight (backend.c get_server_rnd): lbsim's `haproxy` variant.
      if ((spec.variant ?? "envoy") !== "haproxy") notes.add(`${path}.power-of-two-choices.variant`, `the ${spec.variant ?? "envoy"} draw has no HAProxy form; \`random(N)\` is the haproxy variant (draws on HAProxy's consistent-hash tree)`);
      if ((spec.metric ?? "least-loaded") !== "least-loaded") notes.add(`${path}.power-of-two-choices.metric`, "HAProxy random(<draws>) compares in-flight load only");
      if ((spec.activeRequestBias ?? 1) !== 1) notes.add(`${path}.power-of-two-choices.activeRequestBias`, "an Envoy least_request option; HAProxy has none");
      // get_server_rnd (lb_chash.c) compares served requests per weight, not queued ones.
      if (spec.countQueued === true && (lb.maxConnectionsPerBackend > 0 || lb.loadFeedback !== null)) notes.add(`${path}.power-of-two-choices.countQueued`, "HAProxy random(<draws>) compares requests being served, not queued ones");
      return line(`balance random(${spec.choiceCount ?? 2})`);
    case "ip-hash":
      notes.add(path, "HAProxy has no NGINX ip_hash; exported as `balance source` (a modulo hash of the whole address), which imports as consistent-hash modulo");
      return [...line("balance source"), "    hash-type map-based  # a modulo hash"];
    case "consistent-hash": {
      const key = lb.hashOn === "path" ? "uri" : "source";
      if (lb.hashOn === "session") notes.add("lb.hashOn", "hashing a session cookie has no exact HAProxy `balance` (cookie persistence is lb.algorithm: sticky)");
      const method = spec.method ?? "ketama";
      if (method === "maglev") notes.add(`${path}.consistent-hash.method`, "HAProxy has no Maglev table; exported as its consistent hash");
      const out = [...line(`balance ${key}`), `    hash-type ${method === "modulo" ? "map-based" : "consistent"}  # ${path}.consistent-hash.method`];
      if ((spec.balanceFactor ?? 0) > 0) out.push(`    hash-balance-factor ${Math.round(spec.balanceFactor! * 100)}  # ${path}.consistent-hash.balanceFactor`);
      if (method === "maglev" && (spec.tableSize ?? 65537) !== 65537) notes.add(`${path}.consistent-hash.tableSize`, "no Maglev table in HAProxy");
      return out;
    }
    case "first":
      return line("balance first");
    case "least-response-time":
    case "peak-ewma":
      notes.add(path, `HAProxy has no ${spec.algorithm} balancing; exported as its nearest, leastconn`);
      return line("balance leastconn");
  }
}

/** HAProxy `retry-on` keywords for lbsim's retry conditions (configuration.txt, "retry-on"). */
export const RETRY_ON_KEYWORDS: Readonly<Record<string, readonly string[]>> = {
  error: ["conn-failure", "empty-response"],
  timeout: ["response-timeout"],
  http_5xx: ["500", "502", "503", "504"],
  http_503: ["503"],
};

function retryLines(lb: LbConfig, notes: NotExpressible, out: string[]): void {
  const r = lb.retries;
  out.push(`    retries ${r.tries - 1}  # lb.retries.tries - 1 (HAProxy counts retries, lbsim counts tries)`);
  const keywords = [...new Set(r.on.flatMap((c) => RETRY_ON_KEYWORDS[c] ?? []))];
  out.push(`    retry-on ${keywords.length === 0 ? "none" : keywords.join(" ")}  # lb.retries.on`);
  // HAProxy replays any method it buffered; a rule that turns L7 retries off for the others keeps POST safe.
  if (!r.nonIdempotent) out.push(`    http-request disable-l7-retry unless ${HAPROXY_IDEMPOTENT_ACL}  # lb.retries.nonIdempotent: false`);
  redispatchLine(lb, notes, out);
  if (r.budget !== null) notes.add("lb.retries.budget", "retry budgets are Envoy's; HAProxy caps retries per request only");
}

/**
 * Where a retry goes: HAProxy retries the server it tried unless `option redispatch` (backend.c back_handle_st_cer),
 * which with interval -1 (written bare) redispatches on the last retry and with P > 0 on every Pth, passing over the
 * previous server. NGINX's and Envoy's targets have no HAProxy form: listed, and written as the nearest,
 * `option redispatch 1` (a new server on every retry, avoiding only the previous one).
 */
function redispatchLine(lb: LbConfig, notes: NotExpressible, out: string[]): void {
  if (!retriesHappen(lb)) return;
  const r = lb.retries;
  if (r.target === "same-server") {
    out.push("    # retries reconnect to the server tried, HAProxy's default  # lb.retries.target: same-server");
  } else if (r.target === "redispatch") {
    out.push(`    option redispatch${r.redispatchInterval === -1 ? "" : ` ${r.redispatchInterval}`}  # lb.retries.target: redispatch, redispatchInterval ${r.redispatchInterval}`);
  } else {
    notes.add("lb.retries.target", `${RETRY_TARGET_TEXT[r.target]} has no HAProxy form (HAProxy retries the same server, or redispatches avoiding only the previous one); written as \`option redispatch 1\`, the nearest`);
    out.push(`    option redispatch 1  # lb.retries.target: ${r.target} (not expressible; the nearest: a new server on every retry)`);
  }
}

/** Health checks: backend options, `default-server` check parameters, and global lines (spread-checks). */
function healthLines(lb: LbConfig, notes: NotExpressible, out: string[], serverParams: string[]): string[] {
  const health = lb.health;
  const globalLines: string[] = [];
  const active = health.active;
  if (active !== null) {
    if (active.probe !== "tcp") out.push(`    option httpchk GET ${active.probe === "deep" ? DEEP_HEALTH_PATH : HEALTH_PATH}  # lb.health.probe: ${active.probe}`);
    const statuses = active.expectedStatuses.map((s) => (s.min === s.max ? `${s.min}` : `${s.min}-${s.max}`)).join(",");
    if (active.probe !== "tcp" && statuses !== "200-399") out.push(`    http-check expect status ${statuses}  # lb.health.expectedStatuses`);
    if (active.timeoutUs !== active.intervalUs) out.push(`    timeout check ${haproxyTime(active.timeoutUs)}  # lb.health.timeout`);
    serverParams.push("check", `inter ${haproxyTime(active.intervalUs)}`, `fastinter ${haproxyTime(active.fastIntervalUs ?? active.intervalUs)}`);
    if (active.downIntervalUs !== undefined) serverParams.push(`downinter ${haproxyTime(active.downIntervalUs)}`);
    serverParams.push(`rise ${active.rise}`, `fall ${active.fall}`);
    if (active.jitterPercent > 0) globalLines.push(`    spread-checks ${active.jitterPercent}  # lb.health.jitter`);
    const fixed = preset("haproxy").active!;
    fixedCheckFields(active, {
      jitterMode: fixed.jitterMode, jitterMaxUs: 0, initialJitterUs: 0, spreadFirstChecksBySlot: fixed.spreadFirstChecksBySlot,
      initialHealth: fixed.initialHealth, immediateDownOnStatus: fixed.immediateDownOnStatus, cadence: fixed.cadence,
    }, notes, "HAProxy 2.6");
    if (!Number.isInteger(active.jitterPercent)) notes.add("lb.health.jitter", "spread-checks takes a whole percent");
  }
  const passive = health.passive;
  if (passive.kind === "haproxy-observe") serverParams.push(`observe ${passive.mode}`, `error-limit ${passive.errorLimit}`, `on-error ${passive.onError}`);
  else if (passive.kind !== "none") notes.add("lb.health.passive", `${passive.kind} passive health has no HAProxy equivalent (HAProxy's is \`observe\`)`);
  const slow = health.slowStart;
  if (slow.kind === "linear" && !slow.applyAtStartup) serverParams.push(`slowstart ${haproxyTime(slow.windowUs)}`);
  else if (slow.kind !== "none") notes.add("lb.health.slowStart", "HAProxy `slowstart` is linear and does not apply at process startup");
  if (health.panic.healthyPanicThresholdPercent > 0 || health.panic.failOpenWhenNoneHealthy) notes.add("lb.health.panic", "HAProxy has no panic mode: with every server down it answers 503 (or uses backup servers)");
  if (health.drain.deregistrationDelayUs !== null) notes.add("lb.health.drain", "HAProxy drains (`set server state drain`) without a deadline");
  return globalLines;
}

function limitLines(lb: LbConfig, notes: NotExpressible, out: string[], serverParams: string[]): void {
  if (lb.maxConnectionsPerBackend > 0) serverParams.push(`maxconn ${lb.maxConnectionsPerBackend}`);
  if (lb.queue.max > 0) {
    serverParams.push(`maxqueue ${lb.queue.max}`);
    notes.add("lb.queue.max", "HAProxy's maxqueue bounds each server's queue; lbsim bounds the node's one queue (approximated per server)");
  }
  if (lb.keepalive === null) out.push("    http-reuse never  # lb.keepalive: null (a new connection per request)");
  else {
    out.push("    http-reuse safe  # lb.keepalive");
    serverParams.push(`pool-max-conn ${lb.keepalive.maxIdlePerBackend}`, `pool-purge-delay ${haproxyTime(lb.keepalive.idleTimeout)}`);
  }
}
