// JVM warmup as a service-time multiplier: cold code runs interpreted, then C1, then C2-compiled, so the first
// requests after a start are several times slower and speed converges as the JIT warms. Modelled as a linear
// decay from `initialMultiplier` to 1 over a time or a request count, whichever completes first.
import type { WarmupConfig } from "./backend-config.js";

/** Progress in [0, 1] through warmup, `sinceReadyUs` after the not-ready period ended, `served` requests in. */
export function warmupProgress(config: WarmupConfig, sinceReadyUs: number, served: number): number {
  let progress = 0;
  if (config.durationUs > 0) progress = Math.max(progress, sinceReadyUs / config.durationUs);
  if (config.requests > 0) progress = Math.max(progress, served / config.requests);
  if (config.durationUs <= 0 && config.requests <= 0) progress = 1;
  return Math.min(1, Math.max(0, progress));
}

export function warmupMultiplier(config: WarmupConfig, sinceReadyUs: number, served: number): number {
  return 1 + (config.initialMultiplier - 1) * (1 - warmupProgress(config, sinceReadyUs, served));
}
