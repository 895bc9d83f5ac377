// The state of one active checker, and where it starts. A plain immutable record, so states can be compared, logged
// and drawn; `step` returns a new one.
import type { ActiveCheckConfig } from "./active-check-config.js";

export type HealthStatus = "healthy" | "unhealthy";

export interface ActiveCheckState {
  readonly status: HealthStatus;
  /**
   * Results against the current status still needed to flip it: failures while healthy, passes while unhealthy.
   * Equal to `fall` (healthy) or `rise` (unhealthy) when settled. This is HAProxy's `check.health` counter seen from
   * each side: up while health >= rise, a pass while up jumps to the top, a failure while down resets to 0.
   */
  readonly toFlip: number;
  readonly consecutivePasses: number;
  readonly consecutiveFailures: number;
  /** Completed checks (passive injections do not count). */
  readonly checks: number;
  /** The latest step changed the status (selects Envoy's edge intervals). */
  readonly justChanged: boolean;
  /** HAProxy forces `fastinter` for the next check after `observe` errors reach `error-limit`. */
  readonly forceFastInterval: boolean;
}

export function settledToFlip(status: HealthStatus, config: ActiveCheckConfig): number {
  return status === "healthy" ? config.fall : config.rise;
}

export function initialActiveCheckState(config: ActiveCheckConfig): ActiveCheckState {
  switch (config.initialHealth) {
    case "healthy":
      return fresh("healthy", config.fall);
    case "healthy-until-first-failure":
      return fresh("healthy", 1);
    case "unhealthy-until-first-pass":
      return fresh("unhealthy", 1);
    case "unhealthy":
      return fresh("unhealthy", config.rise);
  }
}

function fresh(status: HealthStatus, toFlip: number): ActiveCheckState {
  return {
    status,
    toFlip,
    consecutivePasses: 0,
    consecutiveFailures: 0,
    checks: 0,
    justChanged: false,
    forceFastInterval: false,
  };
}
