// The full-model benchmark: the canonical jsq2 traffic (Poisson arrivals at 0.9 x 8 servers' capacity,
// exponential service with mean 1 s) through the whole world: clients, one L7 balancer node running the
// production power-of-two-choices with HTTP health checks on, backends with FIFO queues, the ledger and the
// streaming histograms. Prints the baseline's fields so bench:compare can put it beside mmc_fast.js:
//   npm run bench:compare -- --bench=model --model=jsq2 --runs=5
// --c (backends) and --clients scale the world for bench:scaling (the arrival rate stays rho x c, so each
// backend's load is the same at every size); past MAX_CLIENTS_PER_GROUP the clients are split into groups.
//
// The checks go to each backend's management listener (one thread, Spring Boot `management.server.port`), so
// the queueing system is the baseline's and the two runs' mean and p99 can be compared: HAProxy's HTTP checks
// every 2 s that waited in the FIFO behind seconds of queue timed out, the pool flapped (74k health changes, 0.9%
// of requests lost, mean 8.7 s against 3.0 s), and the benchmark timed another system than the baseline's.
// --checks=shared puts them back in the FIFO, to measure that configuration.
import { Constant, Exponential } from "../engine/distributions/basic.js";
import { US_PER_SECOND } from "../engine/time.js";
import { withPreset } from "../health/presets.js";
import { initHistograms } from "../metrics/histogram.js";
import { LatencyRecorder, NO_BACKEND } from "../metrics/latency-recorder.js";
import type { BackendConfig } from "../model/backend-config.js";
import { MAX_CLIENTS_PER_GROUP } from "../model/client-driver.js";
import type { ClientGroupConfig } from "../model/client-config.js";
import { LbTier } from "../model/lb/lb-tier.js";
import { PoissonArrivals } from "../model/arrivals/poisson.js";
import { World } from "../model/world.js";
import { parseArgs } from "./args.js";

const options = parseArgs(process.argv.slice(2), { model: "jsq2", n: 1_000_000, c: 8, rho: 0.9, seed: 1, clients: 1000, checks: "management" });
if (options.model !== "jsq2") throw new Error("the full-model benchmark runs --model=jsq2");
if (options.checks !== "management" && options.checks !== "shared") throw new Error("--checks is management or shared");
await initHistograms();

const servers = options.c;
const lambda = options.rho * servers;
const zero = new Constant(0);
const backends: BackendConfig[] = Array.from({ length: servers }, (_, i) => ({
  name: `s${i}`, address: `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}:8080`, weight: 1, backup: false, workers: 1, queueLimit: 1e9, backlog: 1e9, maxConnections: 1e9,
  speedFactor: 1, gc: [], warmup: null, coldStart: false, keepaliveIdleTimeoutUs: 1e15, healthCheckCostUs: 0, managementWorkers: options.checks === "management" ? 1 : 0,
  fastFailUs: 0, readiness: "process", dependencies: [],
}));
const horizonUs = Math.ceil((options.n / lambda) * US_PER_SECOND);
const groups = Math.ceil(options.clients / MAX_CLIENTS_PER_GROUP);
const clients: ClientGroupConfig[] = Array.from({ length: groups }, (_, g) => ({
  // One group keeps the name (and so the random streams) the benchmark has always had.
  name: g === 0 ? "clients" : `clients-${g}`, addressPrefix: `10.${g + 1}`,
  clients: Math.floor(options.clients / groups) + (g < options.clients % groups ? 1 : 0),
  nat: null, keepalive: true, timeoutUs: 1e15, retry: null, requestsPerSession: 0,
  load: { kind: "open", arrivals: new PoissonArrivals(lambda / groups) },
  classes: [{ name: "job", weight: 1, method: "GET", idempotent: true, path: "/", demandUs: new Exponential(US_PER_SECOND), needsDependencies: false }],
}));
const world = new World({
  seed: options.seed, horizonUs, sessions: "external", backends,
  network: { clientToFrontUs: zero, frontToBackendUs: zero },
  clients,
});
new LbTier(world, {
  spread: { kind: "round-robin" },
  nodes: [{
    name: "lb", mode: "l7", balancer: { algorithm: "power-of-two-choices", variant: "distinct" }, hashOn: "client-address",
    health: withPreset("haproxy", { probe: "http" }), parseOverheadUs: zero, connectTimeoutUs: 5_000_000, upstreamTimeoutUs: 1e15,
    retry: { tries: 1, on: [], nonIdempotent: false, budget: null, hedge: null, target: { kind: "next-upstream" } }, maxConnectionsPerBackend: 0,
    queue: { maxQueue: 0, timeoutUs: 1 }, rateLimit: null, keepalive: null, dynamicWeights: null, loadFeedback: null,
  }],
});
// Records what a scenario run records (lab/run-observer.ts): each request's outcome and window, no per-backend
// latency (no report reads it).
const recorder = new LatencyRecorder({ windowUs: 60 * US_PER_SECOND });
world.settleListeners.push({ onRequestEnded: (_r, outcome, latencyUs) => recorder.record(latencyUs, outcome, NO_BACKEND, world.now) });

const start = process.hrtime.bigint();
const result = world.run();
const simulated = process.hrtime.bigint();
recorder.flush(world.now);
const ok = recorder.summary().byOutcome.ok;
const finished = process.hrtime.bigint();
recorder.destroy();
const simSeconds = Number(simulated - start) / 1e9;
// Memory after the run, with the world still alive: what the run holds, not what it churned through.
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const memory = process.memoryUsage();
const retainedMB = gc ? Number(((memory.heapUsed + memory.external) / 2 ** 20).toFixed(1)) : null;
console.log(JSON.stringify({
  impl: "lbsim-full-model", model: options.model, seed: options.seed, n: options.n, c: servers, clients: options.clients,
  events: result.run.events, completed: result.ledger.requests.outcomes.ok, sent: result.ledger.requests.sent,
  unfinished: result.ledger.requests.outcomes.unfinished, healthChecksOn: true, checks: options.checks,
  simSeconds, pctSeconds: Number(finished - simulated) / 1e9,
  eventsPerSec: result.run.events / simSeconds, requestsPerSec: result.ledger.requests.outcomes.ok / simSeconds,
  mean: ok.mean / US_PER_SECOND, p99: ok.p99 / US_PER_SECOND, simEndTime: result.run.endTimeUs / US_PER_SECOND,
  lost: result.ledger.requests.sent - result.ledger.requests.outcomes.ok - result.ledger.requests.outcomes.unfinished,
  retainedMB, // heap + external (array buffers, WebAssembly) after a GC; run with node --expose-gc
  requestSlots: world.requests.capacity, attemptSlots: world.attempts.slots.capacity,
}));
