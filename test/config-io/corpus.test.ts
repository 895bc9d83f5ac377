// Proves a corpus of configs written in the style of the proxies' documentation examples imports without errors
// into a valid scenario, that the real proxy accepts each one (so the corpus is real configuration), and that a
// config that does not parse is an error with its line.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { importConfig } from "../../src/config-io/import-config.js";
import { checkWithRealProxy, findBinary } from "../../src/config-io/real-tools.js";
import { ScenarioError } from "../../src/scenario/errors/scenario-error.js";
import { parseScenario } from "../../src/scenario/load.js";

const CORPUS = resolve(__dirname, "corpus");

function corpus(proxy: string): Array<{ file: string; text: string }> {
  return readdirSync(join(CORPUS, proxy)).sort().map((name) => ({ file: join(CORPUS, proxy, name), text: readFileSync(join(CORPUS, proxy, name), "utf8") }));
}

describe.each(["haproxy", "nginx", "envoy"] as const)("%s corpus", (proxy) => {
  for (const { file, text } of corpus(proxy)) {
    const name = file.slice(CORPUS.length + 1);
    it(`${name} imports into a valid scenario`, () => {
      const result = importConfig(text, file);
      expect(result.proxy).toBe(proxy);
      const scenario = parseScenario(result.text, "imported.yaml").base;
      expect(scenario.lb.proxy).toBe(proxy);
      expect(scenario.backends.length).toBeGreaterThan(0);
      // Every non-blank, non-comment line of the file is mapped, listed, or part of a listed block.
      const lines = new Set([...result.draft.lb.values()].map((e) => e.from.line));
      for (const b of result.draft.backends) lines.add(b.from.line);
      for (const n of [...result.notModelled, ...result.ignored]) lines.add(n.line);
      expect(lines.size).toBeGreaterThan(0);
    });
  }
  if (proxy === "envoy") return; // no Envoy binary in Debian: its corpus is checked by import alone
  const present = findBinary(proxy) !== null;
  if (!present) console.log(`SKIPPED: ${proxy} is not installed, so the ${proxy} corpus is not checked by ${proxy} itself (run scripts/install-proxies.sh)`);
  it.runIf(present)(`every ${proxy} corpus file is accepted by ${proxy} itself`, () => {
    const rejected = corpus(proxy).map(({ file, text }) => ({ file, result: checkWithRealProxy(proxy, text) })).filter((r) => !("ok" in r.result) || !r.result.ok);
    expect(rejected.map((r) => `${r.file}: ${JSON.stringify(r.result)}`)).toEqual([]);
  });
});

describe("what the corpus maps", () => {
  const load = (proxy: string, name: string) => {
    const result = importConfig(readFileSync(join(CORPUS, proxy, name), "utf8"), join(CORPUS, proxy, name));
    return { result, scenario: parseScenario(result.text, "imported.yaml").base };
  };

  it("HAProxy listen-leastconn: leastconn, retries, check cadence, limits, slow start, observe", () => {
    const { result, scenario } = load("haproxy", "listen-leastconn.cfg");
    const lb = scenario.lb;
    expect(lb.algorithm).toMatchObject({ algorithm: "least-connections", weighted: true, countQueued: true, variant: "haproxy" });
    // retries 3 -> 4 tries; conn-failure and empty-response are lbsim's `error`, response-timeout its `timeout`.
    expect(lb.retries).toMatchObject({ tries: 4, on: ["error", "timeout"], nonIdempotent: true });
    expect([lb.connectTimeout, lb.upstreamTimeout, lb.queue.timeout, lb.queue.max, lb.maxConnectionsPerBackend]).toEqual([3_000_000, 10_000_000, 2_000_000, 20, 50]);
    expect(lb.health.active).toMatchObject({ probe: "http", intervalUs: 2_000_000, fastIntervalUs: 500_000, downIntervalUs: 5_000_000, timeoutUs: 1_000_000 });
    expect(lb.health.slowStart).toEqual({ kind: "linear", windowUs: 30_000_000, applyAtStartup: false });
    expect(lb.health.passive).toEqual({ kind: "haproxy-observe", mode: "layer7", errorLimit: 5, onError: "mark-down" });
    expect(scenario.backends.map((b) => [b.name, b.weight, b.backup])).toEqual([["api-a", 10, false], ["api-b", 10, false], ["api-c", 20, false], ["api-spare", 1, true]]);
    // The backup server has none of the tier-wide parameters: each difference is listed, not dropped.
    expect(result.notModelled.filter((n) => n.what.startsWith("server api-spare")).length).toBeGreaterThan(0);
    expect(result.text).toMatch(/\n  maxConnectionsPerBackend: 50 +# listen-leastconn\.cfg:24 server api-a: maxconn 50\n/);
  });

  it("HAProxy several-backends: the frontend's default backend, the others listed", () => {
    const { result, scenario } = load("haproxy", "several-backends.cfg");
    expect(scenario.name).toBe("static");
    expect(scenario.lb.algorithm).toMatchObject({ algorithm: "consistent-hash", method: "ketama" });
    expect(scenario.lb.hashOn).toBe("path");
    expect(scenario.lb.keepalive).toBeNull(); // option http-server-close
    expect(result.ignored.map((n) => n.what)).toEqual(expect.arrayContaining(["backend api", "listen stats"]));
  });

  it("HAProxy source-hash-tcp: no check on any server turns active checks off", () => {
    const { scenario } = load("haproxy", "source-hash-tcp.cfg");
    expect(scenario.lb.mode).toBe("l4");
    expect(scenario.lb.health.active).toBeNull();
    expect(scenario.lb.algorithm).toMatchObject({ algorithm: "consistent-hash", method: "ketama", balanceFactor: 1.5 });
  });

  it("NGINX least-conn-retries: inherited proxy_* directives, keepalive, rate limit, passive health", () => {
    const { scenario } = load("nginx", "least-conn-retries.conf");
    const lb = scenario.lb;
    expect(lb.algorithm).toMatchObject({ algorithm: "least-connections", variant: "nginx" });
    expect([lb.connectTimeout, lb.upstreamTimeout]).toEqual([2_000_000, 10_000_000]);
    expect(lb.retries).toMatchObject({ tries: 3, on: ["error", "timeout", "http_5xx"], nonIdempotent: false });
    expect(lb.keepalive).toEqual({ maxIdlePerBackend: 16, idleTimeout: 30_000_000 });
    // burst=50 with nodelay admits 51 at once: a bucket of 51 tokens.
    expect(lb.rateLimit).toEqual({ rate: 500, burst: 51 });
    expect(lb.health.passive).toMatchObject({ kind: "nginx", maxFails: 2, failTimeoutUs: 5_000_000 });
    expect(lb.maxConnectionsPerBackend).toBe(100);
  });

  it("NGINX basic-upstream: weights and backup; no algorithm directive with unequal weights is weighted round robin", () => {
    const { result, scenario } = load("nginx", "basic-upstream.conf");
    expect(scenario.lb.algorithm).toEqual({ algorithm: "weighted-round-robin", variant: "smooth", maxFails: 1 });
    expect(scenario.backends.map((b) => [b.weight, b.backup])).toEqual([[5, false], [1, false], [1, false], [1, true]]);
    // max_fails differs on one server only: listed as not modelled.
    expect(result.notModelled.some((n) => n.what.includes("max_fails"))).toBe(true);
  });

  it("NGINX random-two: two choices, retries off", () => {
    const { scenario } = load("nginx", "random-two.conf");
    expect(scenario.lb.algorithm).toMatchObject({ algorithm: "power-of-two-choices", choiceCount: 2 });
    expect(scenario.lb.retries.on).toEqual([]);
  });
});

describe("what the Envoy corpus maps", () => {
  const load = (name: string) => {
    const file = join(CORPUS, "envoy", name);
    const result = importConfig(readFileSync(file, "utf8"), file);
    return { result, scenario: parseScenario(result.text, "imported.yaml").base };
  };

  it("front-proxy: least request, route retries and timeouts, checks, outlier detection, panic, slow start, budget, backups", () => {
    const { result, scenario } = load("front-proxy.yaml");
    const lb = scenario.lb;
    expect(lb.proxy).toBe("envoy");
    expect(lb.algorithm).toMatchObject({ algorithm: "power-of-two-choices", choiceCount: 2 });
    // num_retries 2 -> 3 tries; connect-failure and reset are `error`, 5xx adds timeouts and 5xx answers.
    expect(lb.retries).toMatchObject({ tries: 3, on: ["error", "timeout", "http_5xx"], budget: { percent: 25, minConcurrency: 5 } });
    expect([lb.connectTimeout, lb.upstreamTimeout]).toEqual([500_000, 1_000_000]); // per_try_timeout wins over the route timeout
    expect(lb.health.active).toMatchObject({ intervalUs: 5_000_000, timeoutUs: 1_000_000, rise: 2, fall: 2, jitterPercent: 10, jitterMode: "plus", probe: "http", expectedStatuses: [{ min: 200, max: 299 }] });
    expect(lb.health.passive).toMatchObject({ kind: "envoy-outlier", consecutive5xx: 3, intervalUs: 5_000_000, baseEjectionTimeUs: 15_000_000, maxEjectionPercent: 50 });
    expect(lb.health.panic.healthyPanicThresholdPercent).toBe(30);
    expect(lb.health.slowStart).toMatchObject({ kind: "envoy", windowUs: 60_000_000, aggression: 2 });
    expect(scenario.backends.map((b) => [b.weight, b.backup])).toEqual([[1, false], [1, false], [2, false], [1, true]]);
    expect(result.notModelled.map((n) => n.what).join(" ")).toContain("circuit_breakers.thresholds");
    expect(result.text).toMatch(/choiceCount: 2 .*# front-proxy\.yaml:41 lb_policy/);
  });

  it("cds-cluster: a discovery response with a separate ClusterLoadAssignment", () => {
    const { scenario } = load("cds-cluster.json");
    expect(scenario.name).toBe("payments");
    expect(scenario.lb.algorithm).toEqual({ algorithm: "round-robin", initialCounter: 0 });
    expect(scenario.lb.health.active).toMatchObject({ probe: "tcp", intervalUs: 2_000_000, timeoutUs: 500_000, fall: 3, rise: 1 });
    expect(scenario.lb.health.passive).toEqual({ kind: "none" });
    expect(scenario.lb.retries.tries).toBe(1); // no route, no retry policy
    expect(scenario.backends).toHaveLength(2);
  });

  it("ring-hash-cluster: no health_checks turns active checks off", () => {
    const { result, scenario } = load("ring-hash-cluster.yaml");
    expect(scenario.lb.algorithm).toMatchObject({ algorithm: "consistent-hash", method: "ketama" });
    expect(scenario.lb.health.active).toBeNull();
    expect(result.notModelled.some((n) => n.what === "ring_hash_lb_config")).toBe(true);
  });
});

describe("configs that do not parse", () => {
  const error = (text: string, file: string): string => {
    try {
      importConfig(text, file);
    } catch (e) {
      if (e instanceof ScenarioError) return e.format();
      throw e;
    }
    throw new Error("imported without an error");
  };

  it("name the file and line", () => {
    expect(error("backend app\n    server a 10.0.0.1:80 weight lots\n", "haproxy.cfg")).toBe('haproxy.cfg:2:1: weight: expected a whole number from 0 to 256, got "lots"');
    expect(error("    balance roundrobin\n", "haproxy.cfg")).toMatch(/^haproxy\.cfg:1:1: expected a section/);
    expect(error("http {\n  upstream u {\n    server 10.0.0.1\n  }\n", "nginx.conf")).toMatch(/^nginx\.conf:3:1: `server` is missing its `;`|^nginx\.conf:1:1: this block is never closed/);
    expect(error("events {}\nhttp { upstream u { server 10.0.0.1 weight=x; } }\n", "nginx.conf")).toBe('nginx.conf:2:1: server: expected a whole number >= 1, got "x"');
    expect(error("name: c\nconnect_timeout: soon\nload_assignment: { cluster_name: c, endpoints: [] }\n", "cluster.yaml")).toBe('cluster.yaml:2:1: connect_timeout: expected a duration such as "5s" or "0.25s", got "soon"');
    expect(error("name: c\n  bad: [\n", "cluster.yaml")).toMatch(/^cluster\.yaml:[12]:1: syntax error/);
    expect(error("backend app\n    retry-on conn-failure sometimes\n    server a 10.0.0.1:80\n", "haproxy.cfg")).toMatch(/^haproxy\.cfg:2:1: retry-on: unknown keyword "sometimes"/);
  });
});
