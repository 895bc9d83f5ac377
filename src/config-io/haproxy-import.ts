// haproxy.cfg to a scenario's balancer tier (HAProxy 2.6 configuration.txt for every keyword). One backend (or
// listen) section is the tier: the `defaults` section before it, then its own lines; its servers are the backends.
// Server parameters that lbsim applies tier-wide (check cadence, maxconn, slowstart, observe) are taken when all
// servers agree, and each disagreeing server is listed as not modelled.
import { parseHaproxyTime } from "./config-units.js";
import { HAPROXY_IDEMPOTENT_ACL, DEEP_HEALTH_PATH } from "./export-haproxy.js";
import { backendName, ImportDraft, scenarioName, type Origin } from "./import-draft.js";
import { parseHaproxy, type HaproxyLine, type HaproxySection } from "./haproxy-parse.js";

export interface HaproxyImportOptions {
  /** The backend or listen section to import; default: the first frontend's default_backend, else the first with servers. */
  backend?: string;
}

/** Server keywords that take no argument (configuration.txt 5.2); every other keyword takes one. */
const SERVER_FLAGS = new Set([
  "check", "no-check", "backup", "no-backup", "disabled", "enabled", "ssl", "no-ssl", "check-ssl", "no-check-ssl", "send-proxy",
  "no-send-proxy", "send-proxy-v2", "no-send-proxy-v2", "send-proxy-v2-ssl", "send-proxy-v2-ssl-cn", "check-send-proxy",
  "agent-check", "no-agent-check", "non-stick", "stick", "allow-0rtt", "tfo", "no-tfo", "no-tls-tickets", "tls-tickets",
  "force-sslv3", "force-tlsv10", "force-tlsv11", "force-tlsv12", "force-tlsv13", "no-sslv3", "no-tlsv10", "no-tlsv11",
  "no-tlsv12", "no-tlsv13", "no-verifyhost", "check-via-socks4", "ssl-reuse", "no-ssl-reuse", "sni-auto",
]);

/** Server parameters lbsim keeps per tier, not per server. */
const TIER_PARAMS = ["check", "inter", "fastinter", "downinter", "rise", "fall", "maxconn", "maxqueue", "slowstart", "observe", "error-limit", "on-error", "pool-max-conn", "pool-purge-delay"] as const;
/** Server parameters with no bearing on balancing. */
const IGNORED_PARAMS = new Set(["id", "port", "addr", "ssl", "no-ssl", "verify", "verifyhost", "sni", "ca-file", "crt", "crl-file", "alpn", "npn", "ciphers", "ciphersuites", "send-proxy", "send-proxy-v2", "check-ssl", "check-sni", "check-alpn", "check-proto", "resolvers", "resolve-prefer", "resolve-net", "init-addr", "proto", "tfo", "allow-0rtt", "ssl-min-ver", "ssl-max-ver", "no-tls-tickets", "source", "namespace", "log-proto", "pool-low-conn", "enabled", "no-check-ssl", "check-send-proxy", "tcp-ut", "shard", "guid", "hash-key", "ws", "sni-auto"]);

interface Server {
  name: string;
  address: string;
  params: Map<string, string>;
  /** Where each parameter was written (this server's line or a default-server line). */
  origins: Map<string, Origin>;
  from: Origin;
}

export function importHaproxy(text: string, file: string, options: HaproxyImportOptions = {}): ImportDraft {
  const sections = parseHaproxy(text, file);
  const tier = chooseTier(sections, file, options.backend);
  const draft = new ImportDraft("haproxy", file, scenarioName(tier.name));
  const defaults = defaultsFor(sections, tier);
  for (const section of sections) {
    const origin = { line: section.line, directive: `${section.kind} ${section.name}`.trim() };
    if (section === tier || section === defaults) continue;
    if (section.kind === "global") globalSection(section, draft);
    else if (section.kind === "frontend") frontendSection(section, draft);
    else if (section.kind === "backend" || section.kind === "listen") draft.ignore(origin, `another ${section.kind}: a scenario is one balancer tier (import it with --backend ${section.name})`);
    else if (section.kind === "defaults") draft.ignore(origin, "a defaults section the imported backend does not use");
    else draft.ignore(origin, `a ${section.kind} section has no bearing on balancing`);
  }
  const state = new TierState(draft);
  for (const line of defaults?.lines ?? []) proxyLine(line, state, true);
  for (const line of tier.lines) proxyLine(line, state, false);
  state.finish();
  return draft;
}

function chooseTier(sections: HaproxySection[], file: string, wanted: string | undefined): HaproxySection {
  const proxies = sections.filter((s) => s.kind === "backend" || s.kind === "listen");
  const withServers = proxies.filter((s) => s.lines.some((l) => l.words[0] === "server"));
  if (wanted !== undefined) {
    const found = proxies.find((s) => s.name === wanted);
    if (found === undefined) throw configErrorAt(file, 0, `expected a backend or listen section named "${wanted}"; the file has ${proxies.map((s) => s.name).join(", ") || "none"}`);
    return found;
  }
  for (const frontend of sections.filter((s) => s.kind === "frontend")) {
    const target = frontend.lines.find((l) => l.words[0] === "default_backend")?.words[1];
    const found = withServers.find((s) => s.name === target);
    if (found !== undefined) return found;
  }
  const first = withServers[0];
  if (first === undefined) throw configErrorAt(file, 1, "expected a backend or listen section with `server` lines", "a backend with servers");
  return first;
}

function configErrorAt(file: string, line: number, message: string, expected = "a section that exists"): Error {
  const draft = new ImportDraft("haproxy", file, "x");
  try {
    draft.fail(line, message, expected);
  } catch (error) {
    return error as Error;
  }
  return new Error(message);
}

/** The defaults a proxy section takes: the one it names with `from`, else the last unnamed-or-named one above it. */
function defaultsFor(sections: HaproxySection[], tier: HaproxySection): HaproxySection | undefined {
  if (tier.from !== null) return sections.find((s) => s.kind === "defaults" && s.name === tier.from);
  const above = sections.slice(0, sections.indexOf(tier)).filter((s) => s.kind === "defaults");
  return above[above.length - 1];
}

function globalSection(section: HaproxySection, draft: ImportDraft): void {
  for (const line of section.lines) {
    const from = origin(line);
    if (line.words[0] === "spread-checks") {
      const percent = Number(line.words[1]);
      if (!Number.isInteger(percent) || percent < 0 || percent > 50) draft.fail(line.line, `spread-checks: expected a percent from 0 to 50, got "${line.words[1] ?? ""}"`, "0..50");
      draft.set("health.jitter", `${percent}%`, from);
    } else if (line.words[0] === "maxconn") draft.notModel(from, "the process-wide connection limit is not modelled (lbsim's node accepts every connection)");
    else draft.ignore(from, "a process setting");
  }
}

function frontendSection(section: HaproxySection, draft: ImportDraft): void {
  draft.ignore({ line: section.line, directive: `frontend ${section.name}` }, "the way in: its bind, ACLs and logging have no bearing on the tier");
  for (const line of section.lines) {
    const from = origin(line);
    const k = line.words[0]!;
    if (k === "maxconn" || k === "rate-limit") draft.notModel(from, "frontend connection and session-rate limits are not modelled");
    else if (line.words.some((w) => w.startsWith("sc_") || w.startsWith("track-sc") || w.includes("_rate("))) draft.notModel(from, "stick-table rate limiting is not modelled (lbsim's rate limit is a token bucket: lb.rateLimit)");
    else if (k === "timeout" && line.words[1] === "client") draft.ignore(from, "client-side timeout: lbsim's clients time out on their own (clients.timeout)");
  }
}

function origin(line: HaproxyLine): Origin {
  return { line: line.line, directive: line.text };
}

/** The tier being read: values that need the whole section before they are final (algorithm, servers). */
class TierState {
  balance: { words: string[]; from: Origin } | null = null;
  hashType: { type: string; from: Origin } | null = null;
  balanceFactor: { value: number; from: Origin } | null = null;
  cookie: { ttl: string | null; from: Origin } | null = null;
  redispatch: { value: number; from: Origin } | null = null;
  httpReuse: { mode: string; from: Origin } | null = null;
  defaultServer = new Map<string, string>();
  defaultServerOrigins = new Map<string, Origin>();
  servers: Server[] = [];

  constructor(readonly draft: ImportDraft) {}

  finish(): void {
    const d: ImportDraft = this.draft;
    if (this.servers.length === 0) d.fail(0, "expected `server` lines in the imported backend", "at least one server");
    const taken = new Set<string>();
    for (const s of this.servers) {
      const name = backendName(s.name, taken);
      taken.add(name);
      const weight = num(s.params.get("weight") ?? "1", s.from, d, 0, 256, "weight");
      d.backends.push({ name, address: s.address, weight, backup: s.params.has("backup"), from: s.from });
      for (const [key, value] of s.params) {
        if (TIER_PARAMS.includes(key as (typeof TIER_PARAMS)[number]) || key === "weight" || key === "backup" || key === "cookie") continue;
        const from = { line: s.origins.get(key)!.line, directive: `server ${s.name}: ${key}${value === "" ? "" : ` ${value}`}` };
        if (IGNORED_PARAMS.has(key)) d.ignore(from, "no bearing on balancing");
        else d.notModel(from, notModelledServerParam(key));
      }
    }
    this.tierParams();
    this.algorithm();
    this.retryTarget();
    this.keepalive();
  }

  /** The value of a tier-wide server parameter if every server agrees (else the first, listing the others). */
  private uniform(key: string): { value: string; from: Origin } | null {
    const d: ImportDraft = this.draft;
    const first = this.servers[0]!;
    const value = first.params.get(key);
    for (const s of this.servers.slice(1)) {
      if (s.params.get(key) !== value) d.notModel({ line: s.from.line, directive: `server ${s.name}: ${key} ${s.params.get(key) ?? "(unset)"}` }, `lbsim applies one ${key} to the whole tier; the first server's (${value ?? "unset"}) is used`);
    }
    if (value === undefined) return null;
    return { value, from: first.origins.get(key)! };
  }

  private tierParams(): void {
    const d: ImportDraft = this.draft;
    const check = this.uniform("check");
    if (check === null) d.set("health.active", false, { line: this.servers[0]!.from.line, directive: "server ... (no `check`)" });
    const time = (key: string, path: string) => {
      const v = this.uniform(key);
      if (v === null) return;
      const us = parseHaproxyTime(v.value);
      if (us === null || us <= 0) d.fail(v.from.line, `${key}: expected a time such as 2s or 500ms, got "${v.value}"`, "a time");
      if (check === null) d.ignore(v.from, `${key} has no effect without \`check\``);
      else d.set(path, duration(us), { ...v.from, directive: `${v.from.directive}` });
    };
    time("inter", "health.interval");
    time("fastinter", "health.fastInterval");
    time("downinter", "health.downInterval");
    for (const [key, path] of [["rise", "health.rise"], ["fall", "health.fall"]] as const) {
      const v = this.uniform(key);
      if (v !== null) d.set(path, num(v.value, v.from, d, 1, 1_000_000, key), v.from);
    }
    const maxconn = this.uniform("maxconn");
    if (maxconn !== null) d.set("maxConnectionsPerBackend", num(maxconn.value, maxconn.from, d, 0, 1e9, "maxconn"), maxconn.from);
    const maxqueue = this.uniform("maxqueue");
    if (maxqueue !== null) d.set("queue.max", num(maxqueue.value, maxqueue.from, d, 0, 1e9, "maxqueue"), maxqueue.from);
    const slow = this.uniform("slowstart");
    if (slow !== null) {
      const us = parseHaproxyTime(slow.value);
      if (us === null) d.fail(slow.from.line, `slowstart: expected a time, got "${slow.value}"`, "a time");
      if (us > 0) d.set("health.slowStart", { linear: { window: duration(us) } }, slow.from);
    }
    const observe = this.uniform("observe");
    const errorLimit = this.uniform("error-limit");
    const onError = this.uniform("on-error");
    if (observe !== null) {
      if (observe.value !== "layer4" && observe.value !== "layer7") d.fail(observe.from.line, `observe: expected layer4 or layer7, got "${observe.value}"`, "layer4 or layer7");
      const options: Record<string, unknown> = { mode: observe.value };
      if (errorLimit !== null) options.errorLimit = num(errorLimit.value, errorLimit.from, d, 1, 1e9, "error-limit");
      if (onError !== null) {
        if (!["fastinter", "fail-check", "sudden-death", "mark-down"].includes(onError.value)) d.fail(onError.from.line, `on-error: expected fastinter, fail-check, sudden-death or mark-down, got "${onError.value}"`, "an on-error action");
        options.onError = onError.value;
      }
      d.set("health.passive", { "haproxy-observe": options }, observe.from);
    } else {
      for (const v of [errorLimit, onError]) if (v !== null) d.ignore(v.from, "no effect without `observe`");
    }
  }

  private algorithm(): void {
    const d: ImportDraft = this.draft;
    const b = this.balance;
    const hashType = this.hashType?.type ?? "map-based";
    if (this.hashType !== null && (b === null || !/^(source|uri|url_param|hdr|rdp-cookie|random|hash)/.test(b.words[1] ?? ""))) d.ignore(this.hashType.from, "no effect with this balance algorithm");
    let spec: unknown = null;
    if (b !== null) {
      const [, algo = "", ...args] = b.words;
      const random = /^random(?:\((\d+)\))?$/.exec(algo);
      if (algo === "roundrobin") {
        // HAProxy roundrobin honours weights; with equal weights it is plain round robin.
        const weights = new Set(d.backends.filter((x) => !x.backup).map((x) => x.weight));
        spec = weights.size <= 1 ? "round-robin" : "weighted-round-robin";
      } else if (algo === "static-rr") spec = { "weighted-round-robin": { variant: "static" } };
      // leastconn: in-flight + queued per weight, ties in the tree's insertion order (lb_fwlc.c): the haproxy variant.
      else if (algo === "leastconn") spec = { "least-connections": { weighted: true, countQueued: true, variant: "haproxy" } };
      else if (algo === "first") spec = "first";
      else if (random !== null) {
        const draws = random[1] === undefined ? 2 : Number(random[1]); // "The default value is 2"
        // HAProxy's own draw (lb_chash.c get_server_rnd: draws by weight, compares in-flight / weight).
        spec = draws <= 1 ? "random" : { "power-of-two-choices": { variant: "haproxy", choiceCount: draws } };
      } else if (algo === "source" || algo === "uri") {
        d.set("hashOn", algo === "source" ? "client-address" : "path", b.from);
        const method = hashType === "consistent" ? "ketama" : "modulo";
        const options: Record<string, unknown> = { method };
        if (this.balanceFactor !== null && method === "ketama") options.balanceFactor = this.balanceFactor.value / 100;
        spec = { "consistent-hash": options };
        if (args.length > 0) d.notModel(b.from, `uri hashing options (${args.join(" ")}) are not modelled: lbsim hashes the whole path`);
      } else {
        d.notModel(b.from, `\`balance ${algo}\` is not modelled; HAProxy's default round robin is used instead`);
      }
      if (spec !== null) d.set("algorithm", spec, b.from);
    }
    if (this.balanceFactor !== null && !(hashType === "consistent" && /^(source|uri)$/.test(b?.words[1] ?? ""))) d.notModel(this.balanceFactor.from, "bounded loads apply to consistent hashing only in lbsim");
    if (this.cookie !== null) {
      const base = d.get("algorithm") ?? "weighted-round-robin";
      const sticky: Record<string, unknown> = { base };
      if (this.cookie.ttl !== null) sticky.ttl = this.cookie.ttl;
      d.set("algorithm", { sticky }, this.cookie.from);
      if (!this.servers.every((s) => s.params.has("cookie"))) d.notModel(this.cookie.from, "servers without a `cookie` value never get sticky sessions; lbsim makes every backend sticky");
    }
  }

  /**
   * Where HAProxy retries: without `option redispatch` (or with `no option redispatch`, or an interval of 0) the
   * stream stays on its server (backend.c back_handle_st_cer); with it, `redispatch` with its interval (-1, the
   * last retry, when none is given).
   */
  private retryTarget(): void {
    const d: ImportDraft = this.draft;
    const tries = (d.get("retries.tries") as number | undefined) ?? 4;
    const r = this.redispatch;
    if (tries <= 1) {
      if (r !== null) d.ignore(r.from, "no effect with `retries 0`");
      return;
    }
    if (r === null || r.value === 0) {
      d.set("retries.target", "same-server", r?.from ?? { line: 0, directive: "(no option redispatch)" });
      return;
    }
    d.set("retries.target", "redispatch", r.from);
    d.set("retries.redispatchInterval", r.value, r.from);
  }

  private keepalive(): void {
    const d: ImportDraft = this.draft;
    const reuse = this.httpReuse;
    if (reuse === null) return;
    if (reuse.mode === "never") {
      d.set("keepalive", null, reuse.from);
      return;
    }
    const max = this.uniform("pool-max-conn");
    const purge = this.uniform("pool-purge-delay");
    if (max === null || Number(max.value) < 1) {
      d.notModel(reuse.from, "HAProxy's idle-connection pool is unbounded without pool-max-conn; not modelled");
      return;
    }
    const idle = purge === null ? 5_000_000 : parseHaproxyTime(purge.value);
    if (idle === null || idle <= 0) d.fail(purge!.from.line, `pool-purge-delay: expected a time, got "${purge!.value}"`, "a time");
    d.set("keepalive", { maxIdlePerBackend: Number(max.value), idleTimeout: duration(idle) }, reuse.from);
  }
}

function notModelledServerParam(key: string): string {
  if (key.startsWith("agent")) return "agent checks can change weights and state at runtime: not modelled";
  if (key === "disabled") return "a server in maintenance is not modelled (remove it, or add it with a timeline step)";
  if (key === "track") return "tracking another server's health is not modelled";
  if (key === "minconn") return "dynamic maxconn (minconn/fullconn) is not modelled";
  return "not modelled";
}

/** One line of a backend, listen or defaults section. */
function proxyLine(line: HaproxyLine, state: TierState, inDefaults: boolean): void {
  const d: ImportDraft = state.draft;
  const from = origin(line);
  const [k = "", a = "", b = ""] = line.words;
  const rest = line.words.slice(1);
  const time = (text: string | undefined): number => {
    const us = text === undefined ? null : parseHaproxyTime(text);
    if (us === null || us <= 0) d.fail(line.line, `${k} ${a}: expected a time such as 5s or 500ms, got "${text ?? ""}"`, "a time");
    return us;
  };
  switch (k) {
    case "balance":
      state.balance = { words: line.words, from };
      return;
    case "hash-type":
      if (a !== "map-based" && a !== "consistent") d.fail(line.line, `hash-type: expected map-based or consistent, got "${a}"`, "map-based or consistent");
      state.hashType = { type: a, from };
      if (line.words.length > 2) d.ignore(from, "the hash function itself is not modelled, only the kind of hashing");
      return;
    case "hash-balance-factor":
      state.balanceFactor = { value: num(a, from, d, 0, 1e6), from };
      return;
    case "retries":
      d.set("retries.tries", num(a, from, d, 0, 1e6) + 1, from);
      return;
    case "retry-on":
      retryOn(rest, from, d);
      return;
    case "http-request":
      if (a === "disable-l7-retry") {
        const condition = line.words.slice(2).join(" ");
        d.set("retries.nonIdempotent", false, from);
        if (condition !== `unless ${HAPROXY_IDEMPOTENT_ACL}`) d.notModel(from, "lbsim turns L7 retries off exactly for non-idempotent requests; this condition differs");
        return;
      }
      if (a === "deny" || a === "tarpit" || line.words.some((w) => w.includes("_rate("))) d.notModel(from, "request filtering and stick-table rate limits are not modelled");
      else d.ignore(from, "request rewriting has no bearing on balancing");
      return;
    case "timeout":
      if (a === "connect") d.set("connectTimeout", duration(time(b)), from);
      else if (a === "server") d.set("upstreamTimeout", duration(time(b)), from);
      else if (a === "queue") d.set("queue.timeout", duration(time(b)), from);
      else if (a === "check") d.set("health.timeout", duration(time(b)), from);
      else d.ignore(from, "a client-side or tunnel timeout: lbsim's clients time out on their own");
      return;
    case "contimeout":
      d.set("connectTimeout", duration(time(a)), from);
      return;
    case "srvtimeout":
      d.set("upstreamTimeout", duration(time(a)), from);
      return;
    case "mode":
      if (a !== "http" && a !== "tcp") d.fail(line.line, `mode: expected http or tcp, got "${a}"`, "http or tcp");
      d.set("mode", a === "http" ? "l7" : "l4", from);
      return;
    case "option":
    case "no":
      optionLine(line, state, from);
      return;
    case "http-check":
      httpCheck(line, from, d);
      return;
    case "tcp-check":
      d.notModel(from, "scripted tcp-check steps are not modelled: lbsim's TCP check is a connect");
      return;
    case "cookie":
      cookieLine(line, state, from);
      return;
    case "http-reuse":
      if (!["never", "safe", "aggressive", "always"].includes(a)) d.fail(line.line, `http-reuse: expected never, safe, aggressive or always, got "${a}"`, "an http-reuse mode");
      state.httpReuse = { mode: a, from };
      return;
    case "default-server":
      serverParams(rest, from, state.defaultServer, state.defaultServerOrigins, d);
      return;
    case "server":
      serverLine(line, state, from);
      return;
    case "fullconn":
      d.notModel(from, "dynamic maxconn (minconn/fullconn) is not modelled");
      return;
    case "maxconn":
    case "rate-limit":
      d.notModel(from, "frontend connection and session-rate limits are not modelled");
      return;
    case "stick-table":
    case "stick":
      d.notModel(from, "stick-table persistence is not modelled (lbsim's affinity is cookie-based: lb.algorithm: sticky)");
      return;
    default:
      d.ignore(from, inDefaults ? "a default with no bearing on balancing" : "no bearing on balancing");
  }
}

function optionLine(line: HaproxyLine, state: TierState, from: Origin): void {
  const d: ImportDraft = state.draft;
  const negated = line.words[0] === "no";
  const words = negated ? line.words.slice(1) : line.words;
  const name = words[1] ?? "";
  if (words[0] !== "option") {
    d.ignore(from, "no bearing on balancing");
    return;
  }
  switch (name) {
    case "redispatch":
      state.redispatch = { value: negated ? 0 : words[2] === undefined ? -1 : num(words[2], from, d, -1e6, 1e6), from };
      return;
    case "httpchk": {
      if (negated) {
        d.set("health.probe", "tcp", from);
        return;
      }
      // `option httpchk`, `option httpchk <uri>`, `option httpchk <method> <uri> [<version>]`
      const uri = words.length >= 4 ? words[3] : words[2];
      d.set("health.probe", uri === DEEP_HEALTH_PATH ? "deep" : "http", from);
      return;
    }
    case "tcp-check":
    case "ldap-check":
    case "mysql-check":
    case "pgsql-check":
    case "redis-check":
    case "smtpchk":
    case "ssl-hello-chk":
      d.set("health.probe", "tcp", from);
      if (name !== "tcp-check") d.notModel(from, "a protocol check is modelled as a TCP check (it passes while the process accepts)");
      return;
    case "http-server-close":
    case "httpclose":
      if (!negated) d.set("keepalive", null, from);
      return;
    case "allbackups":
      d.notModel(from, "lbsim's backup backends are all used when every primary is down; check that this matches");
      return;
    case "persist":
    case "abortonclose":
      d.notModel(from, `option ${name} is not modelled`);
      return;
    default:
      d.ignore(from, "no bearing on balancing");
  }
}

function httpCheck(line: HaproxyLine, from: Origin, d: ImportDraft): void {
  const [, verb = "", ...args] = line.words;
  if (verb === "expect") {
    if (args[0] === "status") {
      const ranges = (args[1] ?? "").split(",").map((r) => r.trim()).filter((r) => r !== "");
      const parsed = ranges.map((r) => (/^\d{3}$/.test(r) ? Number(r) : /^\d{3}-\d{3}$/.test(r) ? r : null));
      if (parsed.length === 0 || parsed.includes(null)) d.fail(line.line, `http-check expect status: expected codes such as 200 or 200-399, got "${args[1] ?? ""}"`, "status codes");
      d.set("health.expectedStatuses", parsed, from);
    } else d.notModel(from, "only `http-check expect status` is modelled (lbsim's checks judge the status code)");
  } else if (verb === "send") {
    const uri = args[args.indexOf("uri") + 1];
    if (args.includes("uri") && uri === DEEP_HEALTH_PATH) d.set("health.probe", "deep", from);
    else d.ignore(from, "what the check sends does not change what lbsim's backends answer");
  } else if (verb === "disable-on-404") d.notModel(from, "404 draining is not modelled");
  else d.ignore(from, "no bearing on what the check decides");
}

function cookieLine(line: HaproxyLine, state: TierState, from: Origin): void {
  const words = line.words;
  const d: ImportDraft = state.draft;
  if (!words.includes("insert") && !words.includes("prefix") && !words.includes("rewrite")) {
    d.notModel(from, "a cookie the application sets is not modelled; lbsim's sticky sessions insert their own");
    return;
  }
  const maxidle = words.indexOf("maxidle");
  let ttl: string | null = null;
  if (maxidle >= 0) {
    const us = parseHaproxyTime(words[maxidle + 1] ?? "");
    if (us === null || us <= 0) d.fail(line.line, `cookie maxidle: expected a time, got "${words[maxidle + 1] ?? ""}"`, "a time");
    ttl = duration(us);
  } else d.notModel(from, "without maxidle HAProxy's cookie binds for the browser session; lbsim forgets a binding after its ttl (default 30m)");
  if (words.includes("maxlife")) d.notModel(from, "cookie maxlife is not modelled");
  state.cookie = { ttl, from };
}

function serverLine(line: HaproxyLine, state: TierState, from: Origin): void {
  const d: ImportDraft = state.draft;
  const [, name, address] = line.words;
  if (name === undefined || address === undefined) d.fail(line.line, "server: expected `server <name> <address>[:port] [params]`", "a server name and address");
  const params = new Map(state.defaultServer);
  const origins = new Map(state.defaultServerOrigins);
  serverParams(line.words.slice(3), from, params, origins, d);
  state.servers.push({ name, address, params, origins, from });
}

/** Reads `key [value]` pairs; each origin names the parameter (`server api-a: maxconn 50`) on its line. */
function serverParams(words: string[], from: Origin, params: Map<string, string>, origins: Map<string, Origin>, d: ImportDraft): void {
  const label = from.directive.startsWith("default-server") ? "default-server" : from.directive.split(/\s+/).slice(0, 2).join(" ");
  for (let i = 0; i < words.length; i++) {
    const key = words[i]!;
    if (key === "no-check") {
      params.delete("check");
      continue;
    }
    if (key === "no-backup") {
      params.delete("backup");
      continue;
    }
    if (SERVER_FLAGS.has(key)) {
      params.set(key, "");
      origins.set(key, { line: from.line, directive: `${label}: ${key}` });
      continue;
    }
    const value = words[i + 1];
    if (value === undefined) d.fail(from.line, `${key}: expected a value after it`, `a value for ${key}`);
    params.set(key, value);
    origins.set(key, { line: from.line, directive: `${label}: ${key} ${value}` });
    i++;
  }
}

const RETRY_CONDITIONS = ["error", "timeout", "http_5xx", "http_503"] as const;

function retryOn(keywords: string[], from: Origin, d: ImportDraft): void {
  const on = new Set<string>();
  const fivexx = keywords.filter((k) => ["500", "502", "504"].includes(k));
  for (const k of keywords) {
    if (k === "none") continue;
    else if (k === "conn-failure" || k === "empty-response") on.add("error");
    else if (k === "response-timeout") on.add("timeout");
    else if (k === "503") on.add(fivexx.length === 3 ? "http_5xx" : "http_503");
    else if (["500", "502", "504"].includes(k)) on.add("http_5xx");
    else if (k === "all-retryable-errors") ["error", "timeout", "http_5xx"].forEach((c) => on.add(c));
    else if (["junk-response", "0rtt-rejected", "401", "403", "404", "408", "425", "501"].includes(k)) d.notModel(from, `retry-on ${k}: lbsim's backends never answer so`);
    else d.fail(from.line, `retry-on: unknown keyword "${k}"`, "conn-failure, empty-response, response-timeout, a status such as 503, all-retryable-errors or none");
  }
  if (fivexx.length > 0 && fivexx.length < 3) d.notModel(from, "lbsim retries every 5xx (http_5xx), not only some of 500, 502, 504");
  if (keywords.includes("empty-response") !== keywords.includes("conn-failure") && !keywords.includes("all-retryable-errors")) d.notModel(from, "lbsim's `error` covers both a failed connection and an empty response");
  d.set("retries.on", RETRY_CONDITIONS.filter((c) => on.has(c)), from);
}

function num(text: string, from: Origin, d: ImportDraft, min: number, max: number, name = from.directive.split(/\s+/)[0]): number {
  const n = Number(text);
  if (text === "" || !Number.isInteger(n) || n < min || n > max) d.fail(from.line, `${name}: expected a whole number from ${min} to ${max}, got "${text}"`, `a whole number from ${min} to ${max}`);
  return n;
}

/** Microseconds as scenario text. */
function duration(us: number): string {
  return scenarioDurationText(us);
}

import { scenarioDuration as scenarioDurationText } from "./config-units.js";
