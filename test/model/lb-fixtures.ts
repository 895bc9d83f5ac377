// A balancer tier for tests: L7 nodes with HAProxy-like health and NGINX-like retry rules unless overridden.
import { Constant } from "../../src/engine/distributions/basic.js";
import { withPreset, type HealthOverrides } from "../../src/health/presets.js";
import type { LbNodeConfig, LbTierConfig } from "../../src/model/lb/lb-config.js";
import { LbTier } from "../../src/model/lb/lb-tier.js";
import type { World } from "../../src/model/world.js";

export function lbNode(overrides: Partial<LbNodeConfig> = {}, health: HealthOverrides = {}): LbNodeConfig {
  return {
    name: "lb1", mode: "l7", balancer: { algorithm: "round-robin" }, hashOn: "client-address",
    health: withPreset("haproxy", { probe: "tcp", ...health }),
    parseOverheadUs: new Constant(1_000), connectTimeoutUs: 5_000_000, upstreamTimeoutUs: 1_000_000,
    retry: { tries: 1, on: ["error", "timeout"], nonIdempotent: false, budget: null, hedge: null, target: { kind: "next-upstream" } },
    maxConnectionsPerBackend: 0, queue: { maxQueue: 1_000, timeoutUs: 1_000_000 }, rateLimit: null, keepalive: null, dynamicWeights: null, loadFeedback: null,
    ...overrides,
  };
}

export function withTier(world: World, nodes: LbNodeConfig[] = [lbNode()], spread: LbTierConfig["spread"] = { kind: "round-robin" }): LbTier {
  return new LbTier(world, { nodes, spread });
}
