// Slow start: the share of its configured weight a backend gets while it warms up after becoming healthy. The answer
// to JVM warmup: a cold backend that gets its full share at once times out and fails its checks again.
import type { TimeUs } from "../engine/time.js";

export type SlowStartConfig =
  | { readonly kind: "none" }
  /**
   * Linear ramp to 100% over the window, starting at the minimal weight step, never at 0: HAProxy `slowstart`
   * (src/server.c `server_recalc_eweight`: w = (wdiv x elapsed_s + slowstart) / slowstart, in whole seconds, with
   * wdiv = BE_WEIGHT_SCALE 16 for the dynamic algorithms, so the factor steps 1/16, 2/16, ... 16/16; "not applied at
   * process startup, only when a server comes back": `applyAtStartup` false). ALB `slow_start.duration_seconds`
   * (30-900 s, off by default) ramps the same way.
   */
  | { readonly kind: "linear"; readonly windowUs: TimeUs; readonly applyAtStartup: boolean }
  /**
   * Envoy `slow_start_config`: weight x max(min_weight_percent, time_factor^(1/aggression)), time_factor =
   * max(ms since the host became healthy, 1 ms) / window (load_balancer_impl.cc `applySlowStartFactor`, which floors
   * the elapsed time at `std::chrono::milliseconds(1)`). `aggression` 1.0 and `min_weight_percent` 10% are Envoy's
   * defaults.
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
  if (config.kind === "linear") return haproxyRampFactor(elapsedUs, config.windowUs);
  const timeFactor = Math.max(elapsedUs, 1_000) / config.windowUs;
  return Math.min(1, Math.max(config.minWeightPercent / 100, Math.pow(timeFactor, 1 / config.aggression)));
}

/** HAProxy `BE_WEIGHT_SCALE`: dynamic algorithms scale user weights by 16, the ramp's smallest step. */
export const HAPROXY_WEIGHT_SCALE = 16;

/**
 * `server_recalc_eweight` for a server in slow start: w = (wdiv x elapsed + slowstart) / slowstart in integer
 * arithmetic over whole seconds (HAProxy reads `now.tv_sec`), so w is 1 at once and the factor w / wdiv never 0.
 * lbsim keeps the step integer but counts elapsed time in microseconds, so windows under a second still ramp.
 */
export function haproxyRampFactor(elapsedUs: TimeUs, windowUs: TimeUs): number {
  const w = Math.floor((HAPROXY_WEIGHT_SCALE * Math.max(0, elapsedUs)) / windowUs) + 1;
  return Math.min(HAPROXY_WEIGHT_SCALE, w) / HAPROXY_WEIGHT_SCALE;
}

/** When the factor stops changing: the host can stop recomputing weights after this. */
export function slowStartEndsAfterUs(config: SlowStartConfig): TimeUs {
  return config.kind === "none" ? 0 : config.windowUs;
}
