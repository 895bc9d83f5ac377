// Slow start: the share of its configured weight a backend gets while it warms up after becoming healthy. The answer
// to JVM warmup: a cold backend that gets its full share at once times out and fails its checks again.
import type { TimeUs } from "../engine/time.js";

export type SlowStartConfig =
  | { readonly kind: "none" }
  /**
   * Linear ramp from 0 to 100% over the window. HAProxy `slowstart` ("not applied at process startup, only when a
   * server comes back"): `applyAtStartup` false. ALB `slow_start.duration_seconds` (30-900 s, off by default).
   */
  | { readonly kind: "linear"; readonly windowUs: TimeUs; readonly applyAtStartup: boolean }
  /**
   * Envoy `slow_start_config`: weight x max(min_weight_percent, time_factor^(1/aggression)), time_factor =
   * max(seconds since start, 1) / window (Envoy "Slow start mode" docs). `aggression` 1.0 and
   * `min_weight_percent` 10% are Envoy's defaults.
   */
  | {
      readonly kind: "envoy";
      readonly windowUs: TimeUs;
      readonly aggression: number;
      readonly minWeightPercent: number;
      readonly applyAtStartup: boolean;
    };

/**
 * The weight factor in [0, 1] for a backend healthy for `sinceHealthyUs`, or `null` when it has been healthy since the
 * balancer started (no slow start unless the config applies it at startup; then the ramp counts from start).
 */
export function slowStartFactor(config: SlowStartConfig, sinceHealthyUs: TimeUs | null, sinceStartUs: TimeUs = 0): number {
  if (config.kind === "none") return 1;
  let elapsedUs: TimeUs;
  if (sinceHealthyUs === null) {
    if (!config.applyAtStartup) return 1;
    elapsedUs = sinceStartUs;
  } else {
    elapsedUs = sinceHealthyUs;
  }
  if (elapsedUs >= config.windowUs) return 1;
  if (config.kind === "linear") return Math.max(0, elapsedUs / config.windowUs);
  const timeFactor = Math.max(elapsedUs, 1_000_000) / config.windowUs;
  return Math.min(1, Math.max(config.minWeightPercent / 100, Math.pow(timeFactor, 1 / config.aggression)));
}

/** When the factor stops changing: the host can stop recomputing weights after this. */
export function slowStartEndsAfterUs(config: SlowStartConfig): TimeUs {
  return config.kind === "none" ? 0 : config.windowUs;
}
