// nginx.conf to a scenario's balancer tier (ngx_http_upstream_module and ngx_http_proxy_module docs for every
// directive). The tier is one `upstream` block and the `proxy_*` directives in force at the first `location` whose
// `proxy_pass` names it (inherited from `http` and `server` as NGINX inherits them). Per-server parameters that
// lbsim applies tier-wide (max_fails, fail_timeout, max_conns) are taken when all servers agree.
import { parseNginxTime, scenarioDuration } from "./config-units.js";
import { backendName, ImportDraft, scenarioName, type Origin } from "./import-draft.js";
import { parseNginx, type NginxDirective } from "./nginx-parse.js";

export interface NginxImportOptions {
  /** The upstream to import; default: the first one a location proxies to, else the first one. */
  upstream?: string;
}

interface Use {
  location: NginxDirective;
  /** proxy_* and limit_req directives in force there, by name (the nearest definition wins, as NGINX inherits). */
  inherited: Map<string, NginxDirective[]>;
  /** The blocks from the top down to the location, for listing what they hold. */
  chain: NginxDirective[];
}

const RETRY_CONDITIONS = ["error", "timeout", "http_5xx", "http_503"] as const;

export function importNginx(text: string, file: string, options: NginxImportOptions = {}): ImportDraft {
  const tree = parseNginx(text, file);
  const upstreams = findAll(tree, "upstream");
  if (upstreams.length === 0) throw new ImportDraft("nginx", file, "x").fail(1, "expected an `upstream` block", "an upstream block with servers");
  const uses = new Map<string, Use[]>();
  collectUses(tree, new Map(), [], tree, uses);
  const found = options.upstream !== undefined ? upstreams.find((u) => u.args[0] === options.upstream) : upstreams.find((u) => uses.has(u.args[0] ?? "")) ?? upstreams[0];
  if (found === undefined) throw new ImportDraft("nginx", file, "x").fail(0, `expected an upstream named "${options.upstream ?? ""}"; the file has ${upstreams.map((u) => u.args[0]).join(", ")}`, "an upstream that exists");
  const upstream: NginxDirective = found;
  const name = upstream.args[0] ?? "upstream";
  const draft = new ImportDraft("nginx", file, scenarioName(name));
  for (const other of upstreams) if (other !== upstream) draft.ignore(at(other), `another upstream: a scenario is one balancer tier (import it with --select ${other.args[0]})`);
  const use = uses.get(name)?.[0];
  upstreamBlock(upstream, draft);
  if (use === undefined) draft.notModel(at(upstream), "no location proxies to this upstream: NGINX's proxy defaults are used");
  else {
    for (const other of (uses.get(name) ?? []).slice(1)) draft.ignore(at(other.location), "another location using the same upstream: the first one's proxy settings are imported");
    proxySettings(use, draft);
    listChain(tree, use, upstream, draft);
  }
  return draft;
}

function at(d: NginxDirective): Origin {
  return { line: d.line, directive: [d.name, ...d.args].join(" ") };
}

function findAll(tree: NginxDirective[], name: string): NginxDirective[] {
  return tree.flatMap((d) => [...(d.name === name ? [d] : []), ...(d.block === null || d.name === name ? [] : findAll(d.block, name))]);
}

/** Finds every location whose proxy_pass names an upstream, with the proxy_* directives in force there. */
function collectUses(block: NginxDirective[], inherited: Map<string, NginxDirective[]>, chain: NginxDirective[], _root: NginxDirective[], uses: Map<string, Use[]>): void {
  const here = new Map(inherited);
  const local = new Map<string, NginxDirective[]>();
  for (const d of block) {
    if (d.block === null && (d.name.startsWith("proxy_") || d.name.startsWith("limit_req"))) local.set(d.name, [...(local.get(d.name) ?? []), d]);
  }
  for (const [k, v] of local) here.set(k, v);
  for (const d of block) {
    if (d.name === "proxy_pass" && chain.length > 0) {
      const target = /^https?:\/\/([^/:$]+)/.exec(d.args[0] ?? "")?.[1];
      if (target !== undefined) uses.set(target, [...(uses.get(target) ?? []), { location: chain[chain.length - 1]!, inherited: here, chain }]);
    }
    if (d.block !== null && d.name !== "upstream") collectUses(d.block, here, [...chain, d], _root, uses);
  }
}

function upstreamBlock(upstream: NginxDirective, d: ImportDraft): void {
  const servers: Array<{ from: Origin; address: string; params: Map<string, string> }> = [];
  let algorithm: { spec: unknown; from: Origin } | null = null;
  let keepalive: { max: number; from: Origin } | null = null;
  let keepaliveTimeout: { us: number; from: Origin } | null = null;
  for (const x of upstream.block ?? []) {
    const from = at(x);
    switch (x.name) {
      case "server": {
        const [address, ...rest] = x.args;
        if (address === undefined) d.fail(x.line, "server: expected an address", "server <address> [parameters]");
        const params = new Map<string, string>();
        for (const p of rest) {
          const eq = p.indexOf("=");
          params.set(eq < 0 ? p : p.slice(0, eq), eq < 0 ? "" : p.slice(eq + 1));
        }
        servers.push({ from, address, params });
        break;
      }
      case "least_conn":
        // Ties go round robin among the tied peers (ngx_http_upstream_get_least_conn_peer): the nginx variant.
        algorithm = { spec: { "least-connections": { variant: "nginx" } }, from };
        break;
      case "ip_hash":
        algorithm = { spec: "ip-hash", from };
        break;
      case "hash": {
        const [key = "", flag] = x.args;
        const hashOn = /^\$(binary_)?remote_addr$/.test(key) ? "client-address" : /^\$(request_uri|uri)$/.test(key) ? "path" : /^\$cookie_/.test(key) ? "session" : null;
        if (hashOn === null) d.notModel(from, `hashing on ${key} is not modelled: lbsim hashes the client address, the path or the session cookie`);
        else d.set("hashOn", hashOn, from);
        algorithm = { spec: { "consistent-hash": { method: flag === "consistent" ? "ketama" : "modulo" } }, from };
        break;
      }
      case "random": {
        // ngx_http_upstream_get_random2_peer: two distinct peers drawn by weight, compared by conns / weight, the
        // later draw winning ties: lbsim's nginx variant.
        const two = { "power-of-two-choices": { variant: "nginx", choiceCount: 2 } };
        if (x.args.length === 0) algorithm = { spec: "random", from };
        else {
          if (!(x.args[0] === "two" && (x.args[1] === undefined || x.args[1] === "least_conn"))) d.notModel(from, "`random two least_time` is NGINX Plus; modelled as two random choices compared by in-flight load");
          algorithm = { spec: two, from };
        }
        break;
      }
      case "least_time":
        d.notModel(from, "least_time (NGINX Plus) is modelled by lbsim's least-response-time (an EWMA of response times)");
        algorithm = { spec: "least-response-time", from };
        break;
      case "keepalive":
        keepalive = { max: positiveInt(x.args[0], from, d), from };
        break;
      case "keepalive_timeout": {
        const us = parseNginxTime(x.args[0] ?? "");
        if (us === null || us <= 0) d.fail(x.line, `keepalive_timeout: expected a time, got "${x.args[0] ?? ""}"`, "a time such as 60s");
        keepaliveTimeout = { us, from };
        break;
      }
      case "queue": {
        d.set("queue.max", positiveInt(x.args[0], from, d), from);
        const timeout = x.args.find((a) => a.startsWith("timeout="));
        if (timeout !== undefined) {
          const us = parseNginxTime(timeout.slice(8));
          if (us === null || us <= 0) d.fail(x.line, `queue timeout: expected a time, got "${timeout.slice(8)}"`, "a time");
          d.set("queue.timeout", scenarioDuration(us), from);
        }
        break;
      }
      case "zone":
        d.ignore(from, "shared memory for the upstream's state: lbsim's node keeps one view (as NGINX with a zone)");
        break;
      case "sticky":
        d.notModel(from, "NGINX Plus session persistence is not modelled from this directive (use lb.algorithm: sticky)");
        break;
      default:
        d.ignore(from, "no bearing on balancing");
    }
  }
  if (servers.length === 0) d.fail(upstream.line, `upstream ${upstream.args[0] ?? ""}: expected at least one server`, "a server line");
  const taken = new Set<string>();
  for (const [i, s] of servers.entries()) {
    const name = backendName(`${upstream.args[0] ?? "server"}-${i + 1}`, taken);
    taken.add(name);
    const weight = s.params.has("weight") ? positiveInt(s.params.get("weight"), s.from, d) : 1;
    d.backends.push({ name, address: s.address, weight, backup: s.params.has("backup"), from: s.from });
    for (const [key, value] of s.params) {
      if (["weight", "backup", "max_fails", "fail_timeout", "max_conns", "slow_start"].includes(key)) continue;
      const what = { ...s.from, directive: `${key}${value === "" ? "" : `=${value}`} (${s.address})` };
      if (key === "down") d.notModel(what, "a server marked down is not modelled (remove it, or add it with a timeline step)");
      else if (key === "drain") d.notModel(what, "draining (NGINX Plus) is not modelled from the config");
      else d.ignore(what, "no bearing on balancing");
    }
  }
  if (algorithm !== null) d.set("algorithm", algorithm.spec, algorithm.from);
  else {
    const weights = new Set(d.backends.filter((b) => !b.backup).map((b) => b.weight));
    if (weights.size <= 1) d.set("algorithm", "round-robin", { line: upstream.line, directive: `upstream ${upstream.args[0] ?? ""} (no balancing directive: round robin, equal weights)` });
  }
  serverWide(servers, d);
  if (keepalive !== null) {
    const options: Record<string, unknown> = { maxIdlePerBackend: keepalive.max };
    options.idleTimeout = scenarioDuration(keepaliveTimeout?.us ?? 60_000_000); // keepalive_timeout 60s
    d.set("keepalive", options, keepalive.from);
  } else if (keepaliveTimeout !== null) d.ignore(keepaliveTimeout.from, "no effect without `keepalive`");
}

/** max_fails, fail_timeout, max_conns and slow_start apply per server in NGINX and per tier in lbsim. */
function serverWide(servers: Array<{ from: Origin; address: string; params: Map<string, string> }>, d: ImportDraft): void {
  const uniform = (key: string): { value: string; from: Origin } | null => {
    const first = servers[0]!;
    const value = first.params.get(key);
    for (const s of servers.slice(1)) {
      if (s.params.get(key) !== value) d.notModel({ line: s.from.line, directive: `server ${s.address}: ${key}=${s.params.get(key) ?? "(unset)"}` }, `lbsim applies one ${key} to the whole tier; the first server's (${value ?? "unset"}) is used`);
    }
    return value === undefined ? null : { value, from: first.from };
  };
  const maxFails = uniform("max_fails");
  const failTimeout = uniform("fail_timeout");
  const primaries = servers.filter((s) => !s.params.has("backup")).length;
  if (maxFails !== null && Number(maxFails.value) === 0) d.set("health.passive", "none", maxFails.from);
  else if (maxFails !== null || failTimeout !== null || primaries === 1) {
    const options: Record<string, unknown> = {};
    if (maxFails !== null) options.maxFails = positiveInt(maxFails.value, maxFails.from, d);
    if (failTimeout !== null) {
      const us = parseNginxTime(failTimeout.value);
      if (us === null || us <= 0) d.fail(failTimeout.from.line, `fail_timeout: expected a time, got "${failTimeout.value}"`, "a time such as 10s");
      options.failTimeout = scenarioDuration(us);
    }
    // "If there is only a single server in a group, max_fails, fail_timeout and slow_start parameters are ignored."
    if (primaries === 1) options.singleServer = true;
    d.set("health.passive", { nginx: options }, (maxFails ?? failTimeout ?? { from: servers[0]!.from }).from);
  }
  const maxConns = uniform("max_conns");
  if (maxConns !== null) {
    d.set("maxConnectionsPerBackend", positiveInt(maxConns.value, maxConns.from, d, 0), maxConns.from);
    if (Number(maxConns.value) > 0 && d.get("queue.max") === undefined) d.notModel(maxConns.from, "open-source NGINX answers 502 when every server is at max_conns; lbsim queues the request");
  }
  const slow = uniform("slow_start");
  if (slow !== null) {
    const us = parseNginxTime(slow.value);
    if (us === null) d.fail(slow.from.line, `slow_start: expected a time, got "${slow.value}"`, "a time");
    if (us > 0) d.set("health.slowStart", { linear: { window: scenarioDuration(us) } }, slow.from);
  }
}

function proxySettings(use: Use, d: ImportDraft): void {
  const last = (name: string): NginxDirective | undefined => {
    const list = use.inherited.get(name);
    return list === undefined ? undefined : list[list.length - 1];
  };
  const time = (name: string, path: string): void => {
    const x = last(name);
    if (x === undefined) return;
    const us = parseNginxTime(x.args[0] ?? "");
    if (us === null || us <= 0) d.fail(x.line, `${name}: expected a time such as 5s, got "${x.args[0] ?? ""}"`, "a time");
    d.set(path, scenarioDuration(us), at(x));
  };
  time("proxy_connect_timeout", "connectTimeout");
  time("proxy_read_timeout", "upstreamTimeout");
  const next = last("proxy_next_upstream");
  if (next !== undefined) nextUpstream(next, d);
  const tries = last("proxy_next_upstream_tries");
  if (tries !== undefined) {
    const n = positiveInt(tries.args[0], at(tries), d, 0);
    d.set("retries.tries", n === 0 ? "unlimited" : n, at(tries));
  }
  const nextTimeout = last("proxy_next_upstream_timeout");
  if (nextTimeout !== undefined && parseNginxTime(nextTimeout.args[0] ?? "") !== 0) d.notModel(at(nextTimeout), "a time limit on passing a request to the next server is not modelled");
  const limit = last("limit_req");
  if (limit !== undefined) rateLimit(limit, use, d);
  // Upstream keepalive works only with HTTP/1.1 and the Connection header cleared (ngx_http_upstream_module, keepalive).
  const version = last("proxy_http_version")?.args[0];
  const connection = (use.inherited.get("proxy_set_header") ?? []).some((x) => x.args[0]?.toLowerCase() === "connection" && (x.args[1] ?? "") === "");
  if (d.get("keepalive") !== undefined && (version !== "1.1" || !connection)) {
    d.notModel(d.lb.get("keepalive")!.from, "keepalive has no effect without `proxy_http_version 1.1` and `proxy_set_header Connection \"\"`: no reuse is modelled");
    d.set("keepalive", null, d.lb.get("keepalive")!.from);
  }
  for (const [name, list] of use.inherited) {
    if (["proxy_connect_timeout", "proxy_read_timeout", "proxy_next_upstream", "proxy_next_upstream_tries", "proxy_next_upstream_timeout", "limit_req", "proxy_http_version", "limit_req_status"].includes(name)) continue;
    for (const x of list) {
      if (name === "proxy_set_header" && x.args[0]?.toLowerCase() === "connection") continue;
      d.ignore(at(x), name === "proxy_send_timeout" ? "lbsim's requests are sent at once" : "no bearing on balancing");
    }
  }
}

function nextUpstream(x: NginxDirective, d: ImportDraft): void {
  const on = new Set<string>();
  const from = at(x);
  const fivexx = x.args.filter((a) => ["http_500", "http_502", "http_504"].includes(a));
  let nonIdempotent = false;
  for (const a of x.args) {
    if (a === "off") continue;
    if (a === "error" || a === "timeout") on.add(a);
    else if (a === "http_503") on.add(fivexx.length === 3 ? "http_5xx" : "http_503");
    else if (["http_500", "http_502", "http_504"].includes(a)) on.add("http_5xx");
    else if (a === "non_idempotent") nonIdempotent = true;
    else if (a === "invalid_header") d.ignore({ ...from, directive: `${from.directive} (invalid_header)` }, "lbsim's backends never send an invalid header");
    else if (["http_403", "http_404", "http_429"].includes(a)) d.notModel(from, `${a}: lbsim's backends never answer so`);
    else d.fail(x.line, `proxy_next_upstream: unknown condition "${a}"`, "error, timeout, invalid_header, http_500, http_502, http_503, http_504, http_403, http_404, http_429, non_idempotent or off");
  }
  if (fivexx.length > 0 && fivexx.length < 3) d.notModel(from, "lbsim retries every 5xx (http_5xx), not only some of http_500, http_502, http_504");
  d.set("retries.on", RETRY_CONDITIONS.filter((c) => on.has(c)), from);
  d.set("retries.nonIdempotent", nonIdempotent, from);
}

/** `limit_req zone=Z burst=B nodelay` with `limit_req_zone KEY zone=Z:size rate=R`: a token bucket per node. */
function rateLimit(limit: NginxDirective, use: Use, d: ImportDraft): void {
  const from = at(limit);
  const zoneName = limit.args.find((a) => a.startsWith("zone="))?.slice(5);
  const burst = Number(limit.args.find((a) => a.startsWith("burst="))?.slice(6) ?? "0");
  const zone = use.chain.flatMap((b) => b.block ?? []).concat(use.chain[0] === undefined ? [] : []).find((z) => z.name === "limit_req_zone" && z.args.some((a) => a.startsWith(`zone=${zoneName}:`)));
  if (zone === undefined) {
    d.notModel(from, `the limit_req_zone ${zoneName ?? ""} is not in the same file's http block`);
    return;
  }
  const key = zone.args[0] ?? "";
  const rate = /^rate=(\d+)r\/(s|m)$/.exec(zone.args.find((a) => a.startsWith("rate=")) ?? "");
  if (rate === null) d.fail(zone.line, "limit_req_zone: expected rate=<n>r/s or rate=<n>r/m", "a rate such as 10r/s");
  if (/remote_addr/.test(key)) {
    d.notModel(from, "a rate limit per client address is not modelled (lbsim's limit is per node)");
    return;
  }
  if (!limit.args.includes("nodelay")) d.notModel(from, "without nodelay NGINX delays excess requests; lbsim rejects them");
  const perSecond = rate[2] === "s" ? Number(rate[1]) : Number(rate[1]) / 60;
  d.set("rateLimit", { rate: `${Number(perSecond.toFixed(6))}/s`, burst: burst + 1 }, from);
}

/** Directives in the blocks around the location, and blocks elsewhere, listed as having no bearing. */
function listChain(tree: NginxDirective[], use: Use, upstream: NginxDirective, d: ImportDraft): void {
  const onChain = new Set<NginxDirective>(use.chain);
  const visit = (block: NginxDirective[]): void => {
    for (const x of block) {
      if (x === upstream || x.name === "upstream") continue;
      if (x.block !== null) {
        if (onChain.has(x)) visit(x.block);
        else d.ignore(at(x), "a block that does not proxy to the imported upstream");
        continue;
      }
      if (x.name.startsWith("proxy_") || x.name.startsWith("limit_req")) continue; // handled where in force
      if (x.name === "include") d.notModel(at(x), "included files are not read: import them on their own if they hold upstream settings");
      else d.ignore(at(x), "no bearing on balancing");
    }
  };
  visit(tree);
}

function positiveInt(text: string | undefined, from: Origin, d: ImportDraft, min = 1): number {
  const n = Number(text);
  if (text === undefined || text === "" || !Number.isInteger(n) || n < min) d.fail(from.line, `${from.directive.split(/\s+/)[0]}: expected a whole number >= ${min}, got "${text ?? ""}"`, `a whole number >= ${min}`);
  return n;
}
