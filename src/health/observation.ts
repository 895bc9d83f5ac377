// What one completed active check tells the state machine. The host (simulator or proxy) produces these, usually
// through `evaluateProbe`, and feeds them to `step`. Shared constants keep the hot path free of allocations.

/**
 * Why a check failed:
 * - `timeout`: no answer within the check timeout (HAProxy `timeout check`, Envoy `timeout`, ALB `HealthCheckTimeoutSeconds`).
 * - `refused`: the connection was actively refused (TCP RST).
 * - `status`: the application answered with a status outside the expected set.
 * - `dependency`: a deep check's application answered, but reported one of its dependencies down.
 * - `observed`: a failure injected from passive observation (HAProxy `on-error fail-check`), not a probe.
 */
export type FailReason = "timeout" | "refused" | "status" | "dependency" | "observed";

export type CheckObservation =
  | { readonly kind: "pass" }
  | { readonly kind: "fail"; readonly reason: FailReason; readonly status?: number };

export const PASS: CheckObservation = Object.freeze({ kind: "pass" });
export const FAIL_TIMEOUT: CheckObservation = Object.freeze({ kind: "fail", reason: "timeout" });
export const FAIL_REFUSED: CheckObservation = Object.freeze({ kind: "fail", reason: "refused" });
export const FAIL_OBSERVED: CheckObservation = Object.freeze({ kind: "fail", reason: "observed" });

/** A failure where the application itself answered "no" (Envoy counts these as non-network failures). */
export function isApplicationFailure(observation: CheckObservation): boolean {
  return observation.kind === "fail" && (observation.reason === "status" || observation.reason === "dependency");
}
