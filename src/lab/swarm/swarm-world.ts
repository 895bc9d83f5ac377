// A small random scenario drawn from one seed: the swarm's world (TigerBeetle's VOPR habit: one seed in, a whole
// world out, and the seed reproduces it). It is written as scenario text, so each world goes through the same
// schema, build, timeline, balancer tier, observer and summary as a user's scenario, and mixes everything the tier
// has: L4 and L7, every algorithm, several nodes, health presets with passive checks, slow start and panic,
// backups, maxconn queues, retries with budgets and hedging, rate limits, keepalive pools, load feedback, dynamic
// weights, client retries, NAT port limits, sessions, GC, warmup, and a timeline of crashes, hangs, restarts,
// scale-out, draining removals, rolling deploys and traffic changes. Worlds are small (well under a second of
// simulated time, a few hundred requests), so a thousand of them run in seconds.
import { Rng } from "../../engine/rng.js";
import { PRESET_NAMES } from "../../health/presets.js";

/** The algorithms, each as a scenario writes it, with options that change what the picker does. */
const ALGORITHMS: readonly unknown[] = [
  "round-robin", "weighted-round-robin", { "weighted-round-robin": { variant: "static" } }, "least-connections",
  { "least-connections": { countQueued: true } }, "least-response-time", { "least-response-time": { failurePenalty: "50ms" } },
  "peak-ewma", { "peak-ewma": { picker: "least", decayTime: "200ms" } }, "random", "power-of-two-choices",
  { "power-of-two-choices": { choiceCount: 3, metric: "peak-ewma" } }, { "power-of-two-choices": { countQueued: true, activeRequestBias: 0 } },
  "ip-hash", { "ip-hash": { wholeAddress: true } }, "consistent-hash", { "consistent-hash": { method: "maglev", tableSize: 251 } },
  { "consistent-hash": { method: "modulo" } }, { "consistent-hash": { balanceFactor: 1.25 } }, "first", "sticky",
  { sticky: { base: "least-connections", ttl: "100ms", maxSessions: 5 } },
  { "power-of-two-choices": { variant: "haproxy" } }, { "power-of-two-choices": { variant: "nginx" } }, { "power-of-two-choices": { variant: "distinct" } },
];
const RETRY_ON = ["error", "timeout", "http_5xx", "http_503"] as const;
const CLIENT_RETRY_ON = ["no-healthy-upstream", "connection-refused", "reset-mid-flight", "upstream-timeout", "client-timeout", "queue-full", "queue-timeout", "rate-limited", "backend-error", "retries-exhausted"] as const;
const PASSIVE = ["none", "nginx", { nginx: { maxFails: 1, failTimeout: "50ms" } }, "envoy-outlier", { "envoy-outlier": { consecutive5xx: 2, interval: "100ms", baseEjectionTime: "50ms" } }, "haproxy-observe", { "haproxy-observe": { mode: "layer7", errorLimit: 2, onError: "mark-down" } }];

/** The scenario text of swarm world `seed` (JSON, which is YAML). */
export function swarmScenario(seed: number): string {
  const r = Rng.root(seed).fork("swarm");
  const pick = <T,>(items: readonly T[]): T => items[r.int(items.length)]!;
  const ms = (lo: number, hi: number): string => `${lo + r.int(hi - lo + 1)}ms`;
  const durationMs = 200 + r.int(800);
  const groups = Array.from({ length: 1 + r.int(2) }, (_, g) => backendGroup(r, pick, ms, g));
  const names = groups.flatMap((group) => Array.from({ length: group.count }, (_, i) => `${group.name}-${i + 1}`));
  const clients = Array.from({ length: 1 + r.int(2) }, (_, g) => clientGroup(r, pick, ms, g));
  const doc = {
    name: `swarm-${seed}`,
    description: "a swarm world",
    seed,
    duration: `${durationMs}ms`,
    warmup: r.chance(0.3) ? `${r.int(durationMs / 2)}ms` : "0s",
    maxEvents: 2_000_000,
    network: { clientToLb: { uniform: { min: "0us", max: `${r.int(2_000)}us` } }, lbToBackend: r.chance(0.2) ? { constant: "0us" } : { exponential: { mean: `${50 + r.int(500)}us` } } },
    sessions: pick(["backend", "external"]),
    clients,
    lb: lb(r, pick, ms),
    backends: groups,
    timeline: timeline(r, pick, ms, durationMs, names, groups.map((g) => g.name), clients),
  };
  return JSON.stringify(doc);
}

type Pick = <T>(items: readonly T[]) => T;
type Ms = (lo: number, hi: number) => string;

function backendGroup(r: Rng, pick: Pick, ms: Ms, g: number) {
  return {
    name: `g${g}`,
    count: 1 + r.int(4),
    weight: r.chance(0.1) ? 0 : 1 + r.int(5),
    backup: g > 0 && r.chance(0.4),
    workers: 1 + r.int(4),
    queueLimit: r.int(20),
    acceptCount: 1 + r.int(20), // the kernel listen backlog (min with somaxconn 4096)
    speedFactor: 0.5 + r.next() * 2.5,
    gc: r.chance(0.4) ? [gc(r, ms)] : [],
    ...(r.chance(0.3) ? { warmup: warmup(r, ms) } : {}),
    coldStart: r.chance(0.3),
    readiness: pick(["process", "warm"]),
    keepaliveIdleTimeout: r.chance(0.3) ? ms(5, 100) : "75s",
    dependencies: r.chance(0.3) ? ["db"] : [],
  };
}

/** GC that follows load (the default: a budget of work at full load) or the time-triggered extension with pressure. */
function gc(r: Rng, ms: Ms) {
  const pause = { uniform: { min: "1ms", max: ms(2, 60) } };
  if (r.chance(0.5)) return { name: "young", every: { exponential: { mean: ms(5, 100) } }, pause };
  return { name: "young", trigger: "time", every: { exponential: { mean: ms(50, 300) } }, pause, pressure: r.next() * 2 };
}

/** JIT warmup over requests served. */
function warmup(r: Rng, ms: Ms) {
  return { notReady: ms(0, 100), initialMultiplier: 1 + r.next() * 4, requests: r.int(50) };
}

function clientGroup(r: Rng, pick: Pick, ms: Ms, g: number) {
  const open = r.chance(0.7);
  return {
    name: `c${g}`,
    count: 1 + r.int(30),
    keepalive: r.chance(0.6),
    ...(r.chance(0.25) ? { nat: { ports: 1 + r.int(10), portReuseDelay: ms(0, 100) } } : {}),
    load: open
      ? { open: pick([{ poisson: `${20 + r.int(400)}/s` }, { constant: `${20 + r.int(300)}/s` }, { bursty: { on: `${100 + r.int(500)}/s`, off: `${r.int(50)}/s`, onMean: ms(10, 100), offMean: ms(10, 200) } }]) }
      : { closed: { think: { exponential: { mean: ms(1, 100) } } } },
    classes: [
      { name: "get", weight: 1 + r.int(5), demand: { exponential: { mean: ms(1, 20) } }, needsDependencies: r.chance(0.5) },
      ...(r.chance(0.5) ? [{ name: "post", method: "POST", path: "/p", demand: { lognormal: { mean: "10ms", p99: ms(20, 140) } }, needsDependencies: true }] : []),
    ],
    timeout: ms(20, 1_500),
    ...(r.chance(0.4) ? { retry: { maxRetries: r.int(3), on: [pick(CLIENT_RETRY_ON), pick(CLIENT_RETRY_ON)], backoff: { base: ms(1, 20), cap: "100ms", jitter: pick(["none", "full", "equal", "decorrelated"]) } } } : {}),
    requestsPerSession: r.chance(0.3) ? 1 + r.int(10) : 0,
  };
}

function lb(r: Rng, pick: Pick, ms: Ms) {
  const preset = pick(PRESET_NAMES);
  const active = preset !== "nginx";
  return {
    nodes: 1 + r.int(3),
    mode: r.chance(0.25) ? "l4" : "l7",
    algorithm: pick(ALGORITHMS),
    hashOn: pick(["client-address", "path", "session"]),
    health: {
      preset,
      ...(active ? activeChecks(r, pick) : {}),
      passive: pick(PASSIVE),
      slowStart: pick(["none", { linear: { window: ms(10, 500) } }, { envoy: { window: ms(10, 500), aggression: 0.5 + r.next() } }]),
      panic: { threshold: `${r.int(80)}%` },
      drain: { delay: pick(["forever", ms(0, 200)]) },
    },
    parseOverhead: { uniform: { min: "0us", max: `${r.int(2_000)}us` } },
    connectTimeout: ms(5, 500),
    upstreamTimeout: ms(10, 800),
    retries: {
      tries: 1 + r.int(3),
      on: [pick(RETRY_ON), pick(RETRY_ON)],
      nonIdempotent: r.chance(0.3),
      budget: r.chance(0.4) ? { percent: `${10 + r.int(50)}%`, minConcurrency: r.int(4) } : null,
      hedge: r.chance(0.3) ? { delay: ms(1, 50) } : null,
    },
    maxConnectionsPerBackend: r.chance(0.5) ? 1 + r.int(5) : 0,
    queue: { max: r.int(20), timeout: ms(5, 300) },
    rateLimit: r.chance(0.25) ? { rate: `${50 + r.int(500)}/s`, burst: 1 + r.int(50) } : null,
    keepalive: r.chance(0.4) ? { maxIdlePerBackend: 1 + r.int(8), idleTimeout: ms(5, 200) } : null,
    loadFeedback: r.chance(0.2) ? { interval: ms(10, 200) } : null,
    dynamicWeights: r.chance(0.2) ? { interval: ms(10, 200), halfLife: ms(10, 500), failurePenalty: ms(1, 200) } : null,
    spread: r.chance(0.3) ? { dns: { ttl: ms(10, 300) } } : "round-robin",
  };
}

/** Active-check overrides every preset takes: a timeout no longer than the interval. */
function activeChecks(r: Rng, pick: Pick) {
  const intervalMs = 10 + r.int(190);
  return { probe: pick(["tcp", "http", "deep"]), interval: `${intervalMs}ms`, timeout: `${5 + r.int(intervalMs - 5)}ms`, fall: 1 + r.int(3), rise: 1 + r.int(3) };
}

/**
 * Up to five steps in time order. A deploy renames the backends it replaces (app-1 becomes app-1@v2) and a removal
 * retires one, so after either, later steps name groups rather than backends.
 */
function timeline(r: Rng, pick: Pick, ms: Ms, durationMs: number, names: readonly string[], groups: readonly string[], clients: ReadonlyArray<{ name: string; load: object }>) {
  const times = Array.from({ length: r.int(6) }, () => r.int(durationMs)).sort((a, b) => a - b);
  let byName = true;
  return times.map((atMs) => {
    const s = step(r, pick, ms, `${atMs}ms`, byName ? names : groups, groups, clients);
    if ("deploy" in s || "remove" in s) byName = false;
    return s;
  });
}

function step(r: Rng, pick: Pick, ms: Ms, at: string, names: readonly string[], groups: readonly string[], clients: ReadonlyArray<{ name: string; load: object }>) {
  const target = r.chance(0.3) ? pick(groups) : pick(names);
  const action = pick(["crash", "hang", "recover", "slow", "fast-5xx", "dependency-down", "dependency-up", "restart", "add", "remove", "deploy", "traffic"] as const);
  switch (action) {
    case "crash":
    case "hang":
    case "recover":
      return { at, [action]: {}, targets: target };
    case "slow":
      return { at, slow: { factor: 1 + r.next() * 9 }, targets: target };
    case "fast-5xx":
      return { at, "fast-5xx": { rate: `${r.int(101)}%` }, targets: target };
    case "dependency-down":
    case "dependency-up":
      return { at, [action]: { name: "db" }, targets: target };
    case "restart":
      return { at, restart: { delay: ms(0, 200) }, targets: target };
    case "add":
      return { at, add: { count: 1 + r.int(2), like: pick(groups) } };
    case "remove":
      return { at, remove: { delay: ms(0, 200) }, targets: target };
    case "deploy":
      return { at, deploy: { rolling: { batch: 1 + r.int(2), interval: ms(0, 100), delay: ms(0, 100) } }, targets: pick(groups) };
    case "traffic": {
      const open = clients.filter((c) => "open" in c.load && "poisson" in (c.load as { open: object }).open).map((c) => c.name);
      if (open.length === 0) return { at, recover: {}, targets: target };
      return { at, traffic: { multiplier: r.next() * 3, ramp: ms(0, 100), groups: [pick(open)] } };
    }
  }
}
