// The admin port's `/lbsim/status` document: the proxy's state and, per backend, its health as the shared checker
// sees it, its weight as the balancer uses it, requests in flight and counters. Field names are a stable contract
// (the conformance lab reads them); add fields, do not rename them.
import type { LoadBalancer } from "../balancers/balancer.js";
import type { HealthChecker } from "../health/health-checker.js";
import type { BackendCounters, Forwarder, ProxyCounters } from "./forward.js";
import type { ProxyConfig } from "./proxy-config.js";

export interface BackendStatus {
  readonly name: string;
  readonly address: string;
  /** healthy | unhealthy | draining | drained: what the balancer is told. */
  readonly health: string;
  /** Why it is not eligible (active-check-failed, outlier-ejected, passive-failed, draining), or eligible. */
  readonly reason: string;
  readonly weight: number;
  /** Slow start's share of the weight, in [0, 1]. */
  readonly weightFactor: number;
  readonly effectiveWeight: number;
  readonly inFlight: number;
  readonly checks: { readonly total: number; readonly consecutivePasses: number; readonly consecutiveFailures: number; readonly last: string | null };
  /** Times active health changed state. */
  readonly transitions: number;
  readonly counters: BackendCounters;
}

export interface ProxyStatus {
  readonly lbsim: "proxy";
  readonly listen: string;
  readonly state: "serving" | "draining" | "stopped";
  readonly algorithm: string;
  /** healthy-only, or panic / fail-open routing when too few backends are healthy. */
  readonly routingMode: string;
  readonly uptimeMs: number;
  readonly inFlight: number;
  readonly counters: ProxyCounters;
  readonly backends: readonly BackendStatus[];
}

export interface StatusSources {
  readonly config: ProxyConfig;
  readonly balancer: LoadBalancer;
  readonly health: HealthChecker;
  readonly forwarder: Forwarder;
  readonly state: ProxyStatus["state"];
  readonly uptimeUs: number;
}

export function proxyStatus(s: StatusSources): ProxyStatus {
  return {
    lbsim: "proxy",
    listen: `${s.config.listen.host}:${s.config.listen.port}`,
    state: s.state,
    algorithm: s.balancer.algorithm,
    routingMode: s.health.routingMode,
    uptimeMs: Math.round(s.uptimeUs / 1000),
    inFlight: s.forwarder.active,
    counters: s.forwarder.counters,
    backends: s.config.backends.map((b, i): BackendStatus => {
      const view = s.balancer.backend(b.name);
      const h = s.health.view(i);
      const last = h?.lastCheck ?? null;
      return {
        name: b.name,
        address: `${b.host}:${b.port}`,
        health: h?.state ?? "unknown",
        reason: h?.reason ?? "unknown",
        weight: view?.weight ?? b.weight,
        weightFactor: view?.weightFactor ?? 1,
        effectiveWeight: view?.effectiveWeight ?? b.weight,
        inFlight: view?.inFlight ?? 0,
        checks: {
          total: h?.checks ?? 0,
          consecutivePasses: h?.active?.consecutivePasses ?? 0,
          consecutiveFailures: h?.active?.consecutiveFailures ?? 0,
          last: last === null ? null : last.kind === "pass" ? "pass" : `fail: ${last.reason}`,
        },
        transitions: h?.transitions ?? 0,
        counters: s.forwarder.backendCounters[i]!,
      };
    }),
  };
}
