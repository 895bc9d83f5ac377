// Small worlds for tests: one client group, a few backends, a direct front door with round robin.
import { Constant, Exponential } from "../../src/engine/distributions/basic.js";
import type { RandomSource } from "../../src/engine/ports.js";
import type { BackendConfig } from "../../src/model/backend-config.js";
import type { ArrivalSource, ClientGroupConfig } from "../../src/model/client-config.js";
import { DirectFrontDoor } from "../../src/model/direct-front-door.js";
import { World, type WorldConfig } from "../../src/model/world.js";

export function backendConfig(name: string, overrides: Partial<BackendConfig> = {}): BackendConfig {
  return {
    name, address: `10.0.0.${name.replace(/\D/g, "") || 1}:8080`, weight: 1, backup: false, workers: 4, queueLimit: 100, backlog: 128, maxConnections: 8192,
    speedFactor: 1, gc: [], warmup: null, coldStart: false, keepaliveIdleTimeoutUs: 60_000_000,
    healthCheckCostUs: 1_000, managementWorkers: 0, fastFailUs: 2_000, readiness: "process", dependencies: [], ...overrides,
  };
}

/** Evenly spaced arrivals: deterministic load for mechanism tests. */
export function everyUs(intervalUs: number): ArrivalSource {
  return { next: (nowUs: number) => nowUs + intervalUs };
}

/** Poisson arrivals at `ratePerSecond`. */
export function poissonAt(ratePerSecond: number): ArrivalSource {
  const meanUs = 1e6 / ratePerSecond;
  return { next: (nowUs: number, rng: RandomSource) => nowUs + Math.max(1, Math.round(-Math.log(1 - rng.next()) * meanUs)) };
}

export function clientGroup(overrides: Partial<ClientGroupConfig> = {}): ClientGroupConfig {
  return {
    name: "users", clients: 100, addressPrefix: "10.1", nat: null,
    load: { kind: "open", arrivals: everyUs(10_000) },
    classes: [{ name: "get", weight: 1, method: "GET", idempotent: true, path: "/", demandUs: new Constant(5_000), needsDependencies: true }],
    keepalive: true, timeoutUs: 1_000_000, retry: null, requestsPerSession: 0, ...overrides,
  };
}

export function makeWorld(overrides: Partial<WorldConfig> = {}): World {
  return new World({
    seed: 1, backends: [backendConfig("b1"), backendConfig("b2")], clients: [clientGroup()],
    network: { clientToFrontUs: new Constant(500), frontToBackendUs: new Constant(250) },
    sessions: "external", horizonUs: 2_000_000, ...overrides,
  });
}

/** Attaches a round-robin direct front door and returns the world. */
export function withRoundRobin(world: World, connectTimeoutUs?: number): World {
  let next = 0;
  new DirectFrontDoor(world, () => next++ % world.backends.length, connectTimeoutUs);
  return world;
}

export { Constant, Exponential };
