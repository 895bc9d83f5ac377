// A scenario's balancer tier as an open-source NGINX 1.22 configuration (ngx_http_upstream_module and
// ngx_http_proxy_module docs for every directive): an `upstream` block with the algorithm, the servers and their
// passive-health parameters, and one `location` whose `proxy_*` directives carry timeouts, retries and keepalive.
// What open-source NGINX cannot say (active checks, slow start, queues: NGINX Plus features) is listed in the
// header and returned as `notExpressible`.
import type { BaseBalancerSpec } from "../balancers/balancer-spec.js";
import type { ScenarioConfig } from "../scenario/schema/scenario.js";
import { nginxTime } from "./config-units.js";
import { commonTierChecks, exportedBackends, listenAddress, NotExpressible, type LbConfig, ignoresWeights, retriesHappen, RETRY_TARGET_TEXT } from "./export-common.js";
import type { ExportOptions, ExportResult } from "./types.js";

/** The upstream block's name; import accepts any. */
export const NGINX_UPSTREAM = "lbsim_backends";
/** The cookie `hash` uses for lbsim's `hashOn: session`. */
export const NGINX_SESSION_COOKIE = "session";

/** `proxy_next_upstream` words for lbsim's retry conditions. */
export const NEXT_UPSTREAM_WORDS: Readonly<Record<string, readonly string[]>> = {
  error: ["error"],
  timeout: ["timeout"],
  http_5xx: ["http_500", "http_502", "http_503", "http_504"],
  http_503: ["http_503"],
};

export function exportNginx(config: ScenarioConfig, options: ExportOptions = {}): ExportResult {
  const lb = config.lb;
  const notes = new NotExpressible();
  commonTierChecks(lb, notes);
  if (lb.mode === "l4") notes.add("lb.mode", "L4 needs NGINX's stream module (Debian: libnginx-mod-stream); this file is an http proxy");
  const time = (us: number, path: string): string => {
    const t = nginxTime(us);
    if (!t.exact) notes.add(path, `NGINX times are whole milliseconds; rounded up to ${t.text}`);
    return t.text;
  };
  const upstream: string[] = [];
  upstream.push(...algorithmLines(lb, notes));
  const serverParams = passiveParams(lb, notes, time);
  if (lb.maxConnectionsPerBackend > 0) {
    serverParams.push(`max_conns=${lb.maxConnectionsPerBackend}`);
    notes.add("lb.queue", "open-source NGINX does not queue when every server is at max_conns (the `queue` directive is NGINX Plus): it answers 502");
  }
  const servers = exportedBackends(config, options).map(({ spec, address }) => {
    const params = [`weight=${ignoresWeights(lb) ? 1 : Math.max(1, spec.weight)}`, ...serverParams];
    if (spec.weight === 0 && !ignoresWeights(lb)) notes.add(`backends.${spec.group}.weight`, "NGINX weights start at 1");
    if (spec.backup) params.push("backup");
    return `        server ${address} ${params.join(" ")};  # ${spec.name}`;
  });
  upstream.push(...servers);
  const location: string[] = [];
  if (lb.keepalive !== null) {
    upstream.push(`        keepalive ${lb.keepalive.maxIdlePerBackend};  # lb.keepalive.maxIdlePerBackend`);
    upstream.push(`        keepalive_timeout ${time(lb.keepalive.idleTimeout, "lb.keepalive.idleTimeout")};  # lb.keepalive.idleTimeout`);
    location.push("            proxy_http_version 1.1;  # upstream keepalive needs HTTP/1.1 ...", '            proxy_set_header Connection "";  # ... and no Connection: close');
  }
  location.push(`            proxy_connect_timeout ${time(lb.connectTimeout, "lb.connectTimeout")};  # lb.connectTimeout`);
  location.push(`            proxy_read_timeout ${time(lb.upstreamTimeout, "lb.upstreamTimeout")};  # lb.upstreamTimeout`);
  location.push(...retryLines(lb, notes));
  const httpLines: string[] = [];
  if (lb.rateLimit !== null) {
    // NGINX limit_req is a leaky bucket; with `nodelay` it admits burst + 1 at once and refills at `rate`, as a
    // token bucket of burst + 1 tokens does (ngx_http_limit_req_module).
    const perSecond = lb.rateLimit.rate;
    const rate = Number.isInteger(perSecond) ? `${perSecond}r/s` : `${Math.round(perSecond * 60)}r/m`;
    if (!Number.isInteger(perSecond) && !Number.isInteger(perSecond * 60)) notes.add("lb.rateLimit.rate", "NGINX rates are whole requests per second or per minute");
    httpLines.push(`    limit_req_zone $server_name zone=lbsim:1m rate=${rate};  # lb.rateLimit.rate`);
    location.push(`            limit_req zone=lbsim burst=${lb.rateLimit.burst - 1} nodelay;  # lb.rateLimit.burst - 1`, "            limit_req_status 429;");
  }
  location.push(`            proxy_pass http://${NGINX_UPSTREAM};`);
  const lines = [
    `# NGINX configuration exported by lbsim from scenario "${config.name}": the balancer tier as open-source NGINX 1.22 runs it.`,
    ...notes.header("#", "open-source NGINX"),
    "worker_processes 1;  # one worker: lbsim's node keeps one passive-health view (NGINX workers share it only with a zone)",
    "events {",
    "    worker_connections 4096;",
    "}",
    "http {",
    ...httpLines,
    `    upstream ${NGINX_UPSTREAM} {`,
    "        zone lbsim_backends 64k;  # one shared state for every worker",
    ...upstream,
    "    }",
    "    server {",
    `        listen ${listenAddress(options)};`,
    "        location / {",
    ...location,
    "        }",
    "    }",
    "}",
    "",
  ];
  return { text: lines.join("\n"), notExpressible: notes.items };
}

function algorithmLines(lb: LbConfig, notes: NotExpressible): string[] {
  const spec = lb.algorithm;
  if (spec.algorithm === "sticky") {
    notes.add("lb.algorithm.sticky", "cookie affinity (`sticky cookie`) is NGINX Plus; exported as its base algorithm");
    return baseLines(spec.base ?? { algorithm: "round-robin" }, lb, notes, "lb.algorithm.sticky.base");
  }
  return baseLines(spec, lb, notes, "lb.algorithm");
}

function baseLines(spec: BaseBalancerSpec, lb: LbConfig, notes: NotExpressible, path: string): string[] {
  const line = (text: string) => [`        ${text}  # ${path}`];
  switch (spec.algorithm) {
    case "round-robin":
      return [`        # ${path}: round robin is NGINX's default; every server has weight 1 since lbsim round-robin ignores weights`];
    case "weighted-round-robin":
      if (spec.variant === "static") notes.add(`${path}.weighted-round-robin.variant`, "NGINX's weighted round robin is the smooth one only");
      return [`        # ${path}: NGINX's default is smooth weighted round robin`];
    case "least-connections":
      if (spec.weighted === false) notes.add(`${path}.least-connections.weighted`, "NGINX least_conn always takes weights into account");
      if (spec.countQueued === true && (lb.maxConnectionsPerBackend > 0 || lb.loadFeedback !== null)) notes.add(`${path}.least-connections.countQueued`, "NGINX least_conn counts active connections only");
      if ((spec.variant ?? "nginx") !== "nginx") notes.add(`${path}.least-connections.variant`, "NGINX least_conn breaks ties by smooth weighted round robin among the tied peers: the nginx variant");
      return line("least_conn;");
    case "random":
      return line("random;");
    case "power-of-two-choices":
      // NGINX draws two distinct peers by weight and compares conns / weight (ngx_http_upstream_get_random2_peer): the nginx variant.
      if ((spec.variant ?? "envoy") !== "nginx") notes.add(`${path}.power-of-two-choices.variant`, `the ${spec.variant ?? "envoy"} draw has no NGINX form; \`random two\` is the nginx variant (two distinct peers drawn by weight)`);
      if ((spec.choiceCount ?? 2) !== 2) notes.add(`${path}.power-of-two-choices.choiceCount`, "NGINX `random two` draws exactly two");
      if ((spec.metric ?? "least-loaded") !== "least-loaded") notes.add(`${path}.power-of-two-choices.metric`, "NGINX `random two` compares with least_conn (least_time is NGINX Plus)");
      if ((spec.activeRequestBias ?? 1) !== 1) notes.add(`${path}.power-of-two-choices.activeRequestBias`, "an Envoy least_request option; NGINX has none");
      if (spec.countQueued === true && (lb.maxConnectionsPerBackend > 0 || lb.loadFeedback !== null)) notes.add(`${path}.power-of-two-choices.countQueued`, "NGINX `random two least_conn` compares active connections only");
      return line("random two least_conn;");
    case "ip-hash":
      if (spec.wholeAddress === true) notes.add(`${path}.ip-hash.wholeAddress`, "NGINX ip_hash always hashes the first three octets of an IPv4 address");
      return line("ip_hash;");
    case "consistent-hash": {
      const method = spec.method ?? "ketama";
      const key = lb.hashOn === "path" ? "$request_uri" : lb.hashOn === "session" ? `$cookie_${NGINX_SESSION_COOKIE}` : "$remote_addr";
      if (method === "maglev") notes.add(`${path}.consistent-hash.method`, "NGINX has no Maglev table; exported as ketama (`hash ... consistent`)");
      if ((spec.balanceFactor ?? 0) > 0) notes.add(`${path}.consistent-hash.balanceFactor`, "NGINX has no bounded-load hashing");
      return line(`hash ${key}${method === "modulo" ? "" : " consistent"};`);
    }
    case "first":
      notes.add(path, "NGINX has no `first` balancing; exported as its default round robin");
      return [];
    case "least-response-time":
      notes.add(path, "least_time is NGINX Plus; exported as least_conn");
      return line("least_conn;");
    case "peak-ewma":
      notes.add(path, "NGINX has no peak EWMA; exported as least_conn");
      return line("least_conn;");
  }
}

function passiveParams(lb: LbConfig, notes: NotExpressible, time: (us: number, path: string) => string): string[] {
  const health = lb.health;
  if (health.active !== null) notes.add("lb.health.active", "open-source NGINX has no active health checks (`health_check` is NGINX Plus)");
  if (health.slowStart.kind !== "none") notes.add("lb.health.slowStart", "`slow_start` is NGINX Plus");
  if (health.panic.healthyPanicThresholdPercent > 0 || health.panic.failOpenWhenNoneHealthy) notes.add("lb.health.panic", "NGINX has no panic threshold (it tries every server when all are down, UNVERIFIED detail)");
  if (health.drain.deregistrationDelayUs !== null) notes.add("lb.health.drain", "NGINX drains (`drain` is NGINX Plus) without a deadline");
  const passive = health.passive;
  if (passive.kind === "nginx") {
    return [`max_fails=${passive.maxFails}`, `fail_timeout=${time(passive.failTimeoutUs, "lb.health.passive.failTimeout")}`];
  }
  if (passive.kind !== "none") notes.add("lb.health.passive", `${passive.kind} passive health has no NGINX equivalent; max_fails=0 turns NGINX's own off`);
  return ["max_fails=0"];
}

function retryLines(lb: LbConfig, notes: NotExpressible): string[] {
  const r = lb.retries;
  const words = [...new Set(r.on.flatMap((c) => NEXT_UPSTREAM_WORDS[c] ?? []))];
  if (r.nonIdempotent && words.length > 0) words.push("non_idempotent");
  const out = [`            proxy_next_upstream ${words.length === 0 ? "off" : words.join(" ")};  # lb.retries.on${r.nonIdempotent ? ", nonIdempotent" : ""}`];
  out.push(`            proxy_next_upstream_tries ${r.tries};  # lb.retries.tries`);
  if (r.budget !== null) notes.add("lb.retries.budget", "retry budgets are Envoy's; NGINX caps tries per request only");
  // ngx_http_upstream_next always moves to a server the request has not tried (round_robin.c `rrp->tried`).
  if (retriesHappen(lb) && r.target !== "next-upstream") notes.add("lb.retries.target", `${RETRY_TARGET_TEXT[r.target]} has no NGINX form: NGINX always retries the next server not yet tried`);
  return out;
}
