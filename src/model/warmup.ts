// JVM warmup as a service-time multiplier: cold code runs interpreted, then C1, then C2-compiled, so the first
// requests after a start are several times slower and speed converges as the JIT warms. HotSpot compiles a
// method when its own invocation and loop back-edge counters cross thresholds (compilationPolicy.cpp
// `CallPredicate`/`LoopPredicate`; compiler_globals.hpp: Tier3InvocationThreshold 200 for C1,
// Tier4InvocationThreshold 5000 for C2), so the JIT warms with the work the process does, not with the time it
// has been up: a JVM kept out of rotation stays cold however long it waits. Modelled as a linear decay of the
// multiplier from `initialMultiplier` to 1 over `requests` served (`by: requests`, the default). `by: time` (a
// linear decay over wall time from the end of the not-ready period, whatever the load) is an lbsim extension
// kept for a warmup script that drives its own traffic before readiness.
import type { WarmupConfig } from "./backend-config.js";

/** Progress in [0, 1] through warmup, `sinceReadyUs` after the not-ready period ended, `served` requests in. */
export function warmupProgress(config: WarmupConfig, sinceReadyUs: number, served: number): number {
  const progress = config.by === "time" ? (config.durationUs > 0 ? sinceReadyUs / config.durationUs : 1) : config.requests > 0 ? served / config.requests : 1;
  return Math.min(1, Math.max(0, progress));
}

export function warmupMultiplier(config: WarmupConfig, sinceReadyUs: number, served: number): number {
  return 1 + (config.initialMultiplier - 1) * (1 - warmupProgress(config, sinceReadyUs, served));
}
