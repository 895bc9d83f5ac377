// Panic and fail-open: when too few backends are healthy, the proxies stop trusting health and route to all of them,
// on the theory that health checking itself is more likely broken than every backend at once.
// - Envoy `healthy_panic_threshold` (default 50%): below it, the load balancer ignores health and uses all hosts;
//   0 disables panic mode.
// - ALB/NLB: "If a target group contains only unhealthy registered targets, the load balancer routes requests to all
//   those targets" (fail open when none is healthy).
// Draining or drained backends are never candidates: they left the pool on purpose.

export interface PanicConfig {
  /** Envoy `healthy_panic_threshold` in percent; 0 disables. */
  readonly healthyPanicThresholdPercent: number;
  /** AWS target groups: route to every candidate when none is healthy. */
  readonly failOpenWhenNoneHealthy: boolean;
}

export type RoutingMode =
  /** Route to the healthy backends only. */
  | "healthy-only"
  /** Envoy panic: healthy share below the threshold; route to all candidates. */
  | "panic"
  /** AWS fail-open: no healthy target; route to all candidates. */
  | "fail-open"
  /** Nothing to route to: the request fails with "no healthy upstream". */
  | "none";

export interface RoutingDecision {
  readonly mode: RoutingMode;
  readonly healthyCount: number;
  readonly candidateCount: number;
}

/** Decides the mode from counts. `candidateCount` excludes draining/drained backends. */
export function routingMode(healthyCount: number, candidateCount: number, config: PanicConfig): RoutingMode {
  if (candidateCount === 0) return "none";
  if (config.healthyPanicThresholdPercent > 0 && (100 * healthyCount) / candidateCount < config.healthyPanicThresholdPercent) {
    return "panic";
  }
  if (healthyCount > 0) return "healthy-only";
  return config.failOpenWhenNoneHealthy ? "fail-open" : "none";
}

/** What the routing needs to know about one backend. */
export interface RoutingCandidate {
  /** Not draining or drained. */
  readonly candidate: boolean;
  /** Eligible for new requests by health (active, passive, outlier); an `Eligibility` fits here as it is. */
  readonly eligible: boolean;
}

/**
 * Fills `out[i]` with whether backend i may receive new requests, and returns the decision. Reuse one `out` array
 * across calls to keep the hot path free of allocations.
 */
export function decideRouting(backends: readonly RoutingCandidate[], config: PanicConfig, out: boolean[]): RoutingDecision {
  let healthyCount = 0;
  let candidateCount = 0;
  for (let i = 0; i < backends.length; i++) {
    const b = backends[i]!;
    if (!b.candidate) continue;
    candidateCount++;
    if (b.eligible) healthyCount++;
  }
  const mode = routingMode(healthyCount, candidateCount, config);
  if (out.length !== backends.length) out.length = backends.length;
  for (let i = 0; i < backends.length; i++) out[i] = routes(mode, backends[i]!);
  return { mode, healthyCount, candidateCount };
}

/** Whether one backend may receive new requests in `mode`: the rule `decideRouting` applies to each. */
export function routes(mode: RoutingMode, b: RoutingCandidate): boolean {
  return mode === "healthy-only" ? b.candidate && b.eligible : mode === "none" ? false : b.candidate;
}

/**
 * Whether, under `config`, each backend's routing depends on its own health only: with no panic threshold and no
 * fail-open, a backend routes exactly when it is a healthy candidate ("none" happens only when no backend is), so
 * one backend's change moves no other backend's routing.
 */
export function routingIsPerBackend(config: PanicConfig): boolean {
  return config.healthyPanicThresholdPercent === 0 && !config.failOpenWhenNoneHealthy;
}
