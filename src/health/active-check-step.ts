// The active check state machine as a pure step: (state, observation, config) -> { state, transition }.
// Transitions are explicit values so a host can log, count and alert on them (the post-mortem's lesson: alert on
// transitions, not only on state).
import type { ActiveCheckConfig } from "./active-check-config.js";
import { settledToFlip, type ActiveCheckState, type HealthStatus } from "./active-check-state.js";
import { isApplicationFailure, type CheckObservation } from "./observation.js";

/**
 * Why the status changed:
 * - `rise` / `fall`: the threshold of consecutive results was reached.
 * - `first-check`: the very first check decided it (HAProxy's "down at first failure" start; Envoy, NGINX Plus
 *   `mandatory`, a new ALB target: up at the first pass).
 * - `unexpected-status`: Envoy marks a host down at once when the application answers outside `expected_statuses`.
 * - `observed-errors`: passive observation shortened the way down (HAProxy `on-error sudden-death`/`mark-down`).
 */
export type TransitionReason = "rise" | "fall" | "first-check" | "unexpected-status" | "observed-errors";

export interface Transition {
  readonly from: HealthStatus;
  readonly to: HealthStatus;
  readonly reason: TransitionReason;
}

export interface StepResult {
  readonly state: ActiveCheckState;
  readonly transition: Transition | null;
}

/** Applies one completed check. Never throws; never reads a clock. */
export function step(state: ActiveCheckState, observation: CheckObservation, config: ActiveCheckConfig): StepResult {
  const passed = observation.kind === "pass";
  const immediate = !passed && config.immediateDownOnStatus && isApplicationFailure(observation);
  return applyResult(state, passed, immediate, config, true);
}

/**
 * The shared core of `step` and of passive injections (HAProxy `on-error fail-check`), which count as a failed check
 * for the thresholds but not as a completed check.
 */
export function applyResult(
  state: ActiveCheckState,
  passed: boolean,
  immediateDown: boolean,
  config: ActiveCheckConfig,
  countsAsCheck: boolean,
): StepResult {
  const consecutivePasses = passed ? state.consecutivePasses + 1 : 0;
  const consecutiveFailures = passed ? 0 : state.consecutiveFailures + 1;
  const checks = countsAsCheck ? state.checks + 1 : state.checks;
  const against = state.status === "healthy" ? !passed : passed;

  if (!against) {
    // A result agreeing with the current status settles the counter (HAProxy: a pass while up jumps health to
    // rise + fall - 1; a failure while down resets it to 0).
    const next: ActiveCheckState = {
      status: state.status,
      toFlip: settledToFlip(state.status, config),
      consecutivePasses,
      consecutiveFailures,
      checks,
      justChanged: false,
      forceFastInterval: false,
    };
    return { state: next, transition: null };
  }

  const toFlip = immediateDown ? 0 : state.toFlip - 1;
  if (toFlip > 0) {
    const next: ActiveCheckState = {
      status: state.status,
      toFlip,
      consecutivePasses,
      consecutiveFailures,
      checks,
      justChanged: false,
      forceFastInterval: false,
    };
    return { state: next, transition: null };
  }

  const to: HealthStatus = state.status === "healthy" ? "unhealthy" : "healthy";
  const next: ActiveCheckState = {
    status: to,
    toFlip: settledToFlip(to, config),
    consecutivePasses,
    consecutiveFailures,
    checks,
    justChanged: true,
    forceFastInterval: false,
  };
  return { state: next, transition: { from: state.status, to, reason: reasonFor(state, to, immediateDown, countsAsCheck, consecutivePasses, consecutiveFailures, config) } };
}

function reasonFor(
  before: ActiveCheckState,
  to: HealthStatus,
  immediateDown: boolean,
  countsAsCheck: boolean,
  consecutivePasses: number,
  consecutiveFailures: number,
  config: ActiveCheckConfig,
): TransitionReason {
  if (to === "unhealthy") {
    if (consecutiveFailures >= config.fall) return "fall";
    if (immediateDown) return "unexpected-status";
    // HAProxy's "down at first failure" start, unless passive observation already shortened the way down.
    const firstCheck =
      countsAsCheck && before.checks === 0 && before.consecutiveFailures === 0 && config.initialHealth === "healthy-until-first-failure";
    return firstCheck ? "first-check" : "observed-errors";
  }
  if (consecutivePasses >= config.rise) return "rise";
  return "first-check";
}
