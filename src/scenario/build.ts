// Building a run: from a validated scenario (and a variant) to the objects the model takes. Everything stateful
// (arrival processes, NAT gateways, distributions) is constructed fresh on every call, so two runs never share
// state and a sweep can build the same scenario many times. No defaults live here: the schema has them all.
import { dirname } from "node:path";
import { createDistribution } from "../engine/distributions/create.js";
import { createArrivalProcess } from "../model/arrivals/create-arrival-process.js";
import type { BackendConfig } from "../model/backend-config.js";
import type { ClientGroupConfig, ClientRetryConfig } from "../model/client-config.js";
import type { LbNodeConfig, LbTierConfig } from "../model/lb/lb-config.js";
import { NatGateway } from "../model/nat-gateway.js";
import { backoffDelayUs } from "../model/retry-backoff.js";
import type { WorldConfig } from "../model/world.js";
import { trafficArrivalSpecs } from "./build-arrivals.js";
import { defaultEventBudget } from "./event-budget.js";
import type { LoadedScenario } from "./load.js";
import { retryTarget } from "./schema/lb.js";
import type { BackendSpec } from "./schema/backends.js";
import type { ScenarioConfig } from "./schema/scenario.js";
import type { BuiltTimelineStep } from "./timeline-step.js";
import { LogFileError } from "../traffic/log-reader.js";
import { replayTrace } from "../traffic/replay.js";
import { ScenarioError } from "./errors/scenario-error.js";
import { IDEMPOTENT_METHODS, type ReplaySpec } from "./schema/clients.js";

export interface BuiltRun {
  scenario: string;
  /** The variant built, or null for the scenario as written. */
  variant: string | null;
  seed: string | number;
  /** `horizonUs` is the scenario's duration. */
  world: WorldConfig;
  tier: LbTierConfig;
  /** In time order; `add` steps carry ready BackendConfigs, `traffic` steps fresh arrival processes. */
  timeline: Array<BuiltTimelineStep<BackendConfig>>;
  durationUs: number;
  /** Measurements begin here. */
  warmupUs: number;
  /** The NAT gateways the world's client groups use (one per NAT group), to read exhaustion counts after the run. */
  nats: NatGateway[];
  /** The validated configuration this run was built from (plain data, times in microseconds). */
  config: ScenarioConfig;
}

/** The config of `variantName` (null: the base scenario); throws a RangeError naming the variants if unknown. */
export function scenarioConfig(scenario: LoadedScenario, variantName: string | null): ScenarioConfig {
  if (variantName === null) return scenario.base;
  const variant = scenario.variants.find((v) => v.name === variantName);
  if (variant === undefined) {
    throw new RangeError(`scenario ${scenario.base.name} has no variant "${variantName}" (it has: ${scenario.variants.map((v) => v.name).join(", ") || "none"})`);
  }
  return variant.config;
}

export function buildRun(scenario: LoadedScenario, variantName: string | null, seedOverride?: string | number): BuiltRun {
  const config = scenarioConfig(scenario, variantName);
  const seed = seedOverride ?? config.seed;
  const nats: NatGateway[] = [];
  const clients = config.clients.map((group, index) => buildClientGroup(group, index, nats, scenario.file));
  const world: WorldConfig = {
    seed,
    backends: config.backends.map(buildBackend),
    clients,
    network: { clientToFrontUs: createDistribution(config.network.clientToLbUs), frontToBackendUs: createDistribution(config.network.lbToBackendUs) },
    sessions: config.sessions,
    horizonUs: config.durationUs,
    measureFromUs: config.warmupUs,
  };
  const baseRates = new Map<string, number>();
  for (const group of config.clients) {
    if (group.load.kind === "open" && group.load.arrivals.kind === "poisson") baseRates.set(group.name, group.load.arrivals.ratePerSecond);
  }
  const traffic = trafficArrivalSpecs(baseRates, config.timeline);
  world.maxEvents = config.maxEvents ?? defaultEventBudget(config, traffic, clients);
  const timeline = config.timeline.map((step, index): BuiltTimelineStep<BackendConfig> => {
    if (step.action === "add") return { ...step, params: { backends: step.params.backends.map(buildBackend) } };
    if (step.action === "traffic") return { ...step, params: { ...step.params, arrivals: traffic.get(index)!.map(createArrivalProcess) } };
    return step;
  });
  return { scenario: config.name, variant: variantName, seed, world, tier: buildTier(config), timeline, durationUs: config.durationUs, warmupUs: config.warmupUs, nats, config };
}

function buildClientGroup(group: ScenarioConfig["clients"][number], index: number, nats: NatGateway[], scenarioFile: string): ClientGroupConfig {
  let nat: NatGateway | null = null;
  if (group.nat !== null) {
    nat = new NatGateway({ publicAddress: group.nat.publicAddress, ports: group.nat.ports, portReuseDelayUs: group.nat.portReuseDelay });
    nats.push(nat);
  }
  if (group.load.kind === "replay") return buildReplayGroup(group, group.load, index, nat, scenarioFile);
  const load: ClientGroupConfig["load"] =
    group.load.kind === "open"
      ? { kind: "open", arrivals: createArrivalProcess(group.load.arrivals) }
      : { kind: "closed", thinkUs: createDistribution(group.load.thinkUs) };
  return {
    ...commonGroupFields(group, nat),
    clients: group.count,
    load,
    classes: group.classes.map((c) => ({
      name: c.name, weight: c.weight, method: c.method, idempotent: c.idempotent, path: c.path,
      demandUs: createDistribution(c.demand), needsDependencies: c.needsDependencies,
    })),
  };
}

type GroupSpec = ScenarioConfig["clients"][number];

function commonGroupFields(group: GroupSpec, nat: NatGateway | null) {
  return {
    name: group.name,
    addressPrefix: group.addressPrefix,
    nat,
    keepalive: group.keepalive,
    timeoutUs: group.timeout,
    retry: buildRetry(group.retry),
    requestsPerSession: group.requestsPerSession,
  };
}

/** A replayed log's group: its clients, classes and requests come from the log (src/traffic/replay.ts). */
function buildReplayGroup(group: GroupSpec, spec: ReplaySpec, index: number, nat: NatGateway | null, scenarioFile: string): ClientGroupConfig {
  let trace;
  try {
    trace = replayTrace(spec, dirname(scenarioFile));
  } catch (error) {
    if (!(error instanceof LogFileError)) throw error;
    throw new ScenarioError([{ file: scenarioFile, line: 0, column: 0, path: `clients.${index}.replay.file`, message: error.message, expected: `a readable ${spec.format} log` }]);
  }
  return {
    ...commonGroupFields(group, nat),
    clients: trace.addresses.length,
    addresses: trace.addresses,
    load: { kind: "replay", requests: trace },
    classes: trace.classes.map((c) => ({
      name: c.name, weight: c.count, method: c.method, idempotent: IDEMPOTENT_METHODS.has(c.method), path: c.path,
      demandUs: createDistribution({ kind: "constant", value: c.medianDemandUs }), needsDependencies: false,
    })),
  };
}

function buildRetry(retry: ScenarioConfig["clients"][number]["retry"]): ClientRetryConfig | null {
  if (retry === null) return null;
  const policy = { baseUs: retry.backoff.base, capUs: retry.backoff.cap, multiplier: retry.backoff.multiplier, jitter: retry.backoff.jitter };
  return {
    maxRetries: retry.maxRetries,
    on: retry.on,
    // Retry n is 1-based here; backoffDelayUs counts attempt 0 as the first retry.
    delayUs: (n, rng) => backoffDelayUs(n - 1, policy, rng),
  };
}

export function buildBackend(spec: BackendSpec): BackendConfig {
  return {
    name: spec.name,
    address: spec.address,
    weight: spec.weight,
    backup: spec.backup,
    workers: spec.workers,
    queueLimit: spec.queueLimit,
    backlog: spec.backlog,
    maxConnections: spec.maxConnections,
    managementWorkers: spec.managementWorkers,
    speedFactor: spec.speedFactor,
    gc: spec.gc.map((g) => ({ name: g.name, trigger: g.trigger, intervalUs: createDistribution(g.intervalUs), pauseUs: createDistribution(g.pauseUs), pressure: g.pressure })),
    warmup: spec.warmup === null ? null : { ...spec.warmup },
    coldStart: spec.coldStart,
    keepaliveIdleTimeoutUs: spec.keepaliveIdleTimeoutUs,
    healthCheckCostUs: spec.healthCheckCostUs,
    fastFailUs: spec.fastFailUs,
    readiness: spec.readiness,
    dependencies: [...spec.dependencies],
  };
}

function buildTier(config: ScenarioConfig): LbTierConfig {
  const lb = config.lb;
  const nodes = lb.nodes.map((name): LbNodeConfig => ({
    name,
    mode: lb.mode,
    balancer: lb.algorithm,
    hashOn: lb.hashOn,
    health: lb.health,
    parseOverheadUs: createDistribution(lb.parseOverhead),
    connectTimeoutUs: lb.connectTimeout,
    upstreamTimeoutUs: lb.upstreamTimeout,
    retry: {
      tries: lb.retries.tries,
      on: lb.retries.on,
      nonIdempotent: lb.retries.nonIdempotent,
      budget: lb.retries.budget === null ? null : { percent: lb.retries.budget.percent, minConcurrency: lb.retries.budget.minConcurrency },
      hedge: lb.retries.hedge === null ? null : { delayUs: lb.retries.hedge.delay },
      target: retryTarget(lb.retries),
    },
    maxConnectionsPerBackend: lb.maxConnectionsPerBackend,
    // HAProxy `maxqueue 0` means no limit.
    queue: { maxQueue: lb.queue.max === 0 ? Number.MAX_SAFE_INTEGER : lb.queue.max, timeoutUs: lb.queue.timeout },
    rateLimit: lb.rateLimit === null ? null : { ratePerSecond: lb.rateLimit.rate, burst: lb.rateLimit.burst },
    keepalive: lb.keepalive === null ? null : { maxIdlePerBackend: lb.keepalive.maxIdlePerBackend, idleTimeoutUs: lb.keepalive.idleTimeout },
    loadFeedback: lb.loadFeedback === null ? null : { intervalUs: lb.loadFeedback.interval },
    dynamicWeights: lb.dynamicWeights === null ? null : {
      intervalUs: lb.dynamicWeights.interval, halfLifeUs: lb.dynamicWeights.halfLife,
      failurePenaltyUs: lb.dynamicWeights.failurePenalty, minWeight: lb.dynamicWeights.minWeight,
    },
  }));
  return { nodes, spread: lb.spread };
}
