// One backend pool's complete health configuration: what a preset produces and what `withPreset` merges into.
import type { ActiveCheckConfig } from "./active-check-config.js";
import type { DrainConfig } from "./draining.js";
import type { EnvoyOutlierConfig } from "./envoy-outlier.js";
import type { HaproxyObserveConfig } from "./haproxy-observe.js";
import type { NginxPassiveConfig } from "./nginx-passive.js";
import type { PanicConfig } from "./panic.js";
import type { SlowStartConfig } from "./slow-start.js";

export type PassiveConfig = { readonly kind: "none" } | NginxPassiveConfig | EnvoyOutlierConfig | HaproxyObserveConfig;

export interface HealthConfig {
  /** null: no active checks (open-source NGINX has none); backends count as actively healthy. */
  readonly active: ActiveCheckConfig | null;
  readonly passive: PassiveConfig;
  readonly slowStart: SlowStartConfig;
  readonly panic: PanicConfig;
  readonly drain: DrainConfig;
}
