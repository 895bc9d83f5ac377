// JVM warmup as a service-time multiplier: cold code runs interpreted, then C1, then C2-compiled, so the first
// requests after a start are several times slower and speed converges as the JIT warms. HotSpot compiles a
// method when its own invocation and loop back-edge counters cross thresholds (compilationPolicy.cpp
// `CallPredicate`/`LoopPredicate`; compiler_globals.hpp: Tier3InvocationThreshold 200 for C1,
// Tier4InvocationThreshold 5000 for C2), so the JIT warms with the work the process does, not with the time it
// has been up: a JVM kept out of rotation stays cold however long it waits. Modelled as a linear decay of the
// multiplier from `initialMultiplier` to 1 over `requests` served. (A warmup that followed wall time, as lbsim
// had before, would warm an idle JVM; no lesson needs it, so it is gone.)
import type { WarmupConfig } from "./backend-config.js";

/** Progress in [0, 1] through warmup, `served` requests after the start. */
export function warmupProgress(config: WarmupConfig, served: number): number {
  return config.requests > 0 ? Math.min(1, Math.max(0, served / config.requests)) : 1;
}

export function warmupMultiplier(config: WarmupConfig, served: number): number {
  return 1 + (config.initialMultiplier - 1) * (1 - warmupProgress(config, served));
}
