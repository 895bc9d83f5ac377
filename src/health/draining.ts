// Draining: an admin state. A draining backend takes no new requests; in-flight ones may finish until the
// deregistration delay ends, and whatever is still in flight then is closed (the clients see errors, so the library
// reports how many). ALB `deregistration_delay.timeout_seconds`: default 300 s, range 0-3600; "If a deregistering
// target has no in-flight requests and no active connections, Elastic Load Balancing immediately completes the
// deregistration process". A null delay waits for in-flight work forever (HAProxy `drain`, NGINX graceful removal).
import type { TimeUs } from "../engine/time.js";

export interface DrainConfig {
  readonly deregistrationDelayUs: TimeUs | null;
}

export type AdminPhase = "serving" | "draining" | "drained";

export interface DrainState {
  readonly phase: AdminPhase;
  readonly startedUs: TimeUs | null;
  readonly deadlineUs: TimeUs | null;
  /** Requests still in flight when the delay ended, closed by the balancer. */
  readonly closedAtDeadline: number;
}

export const SERVING: DrainState = Object.freeze({ phase: "serving", startedUs: null, deadlineUs: null, closedAtDeadline: 0 });

export function drainConfigProblems(config: DrainConfig): string[] {
  const d = config.deregistrationDelayUs;
  if (d === null) return [];
  return Number.isInteger(d) && d >= 0 ? [] : [`deregistrationDelayUs must be a non-negative integer or null (got ${d})`];
}

/** Starts draining (ALB: deregister a target). Draining again keeps the first deadline. */
export function startDraining(state: DrainState, nowUs: TimeUs, config: DrainConfig): DrainState {
  if (state.phase !== "serving") return state;
  const deadlineUs = config.deregistrationDelayUs === null ? null : nowUs + config.deregistrationDelayUs;
  return { phase: "draining", startedUs: nowUs, deadlineUs, closedAtDeadline: 0 };
}

/** Back into service (re-registered). */
export function stopDraining(): DrainState {
  return SERVING;
}

export interface DrainTick {
  readonly state: DrainState;
  /** In-flight requests the host must close now, counted as lost to draining. */
  readonly closeNow: number;
}

/**
 * The host reports how many requests are in flight (on a completion, or when the deadline it scheduled arrives);
 * the library says whether draining is done and how many requests to cut.
 */
export function drainTick(state: DrainState, nowUs: TimeUs, inFlight: number): DrainTick {
  if (state.phase !== "draining") return { state, closeNow: 0 };
  if (inFlight === 0) return { state: { ...state, phase: "drained" }, closeNow: 0 };
  if (state.deadlineUs !== null && nowUs >= state.deadlineUs) {
    return { state: { ...state, phase: "drained", closedAtDeadline: inFlight }, closeNow: inFlight };
  }
  return { state, closeNow: 0 };
}

/** When the host must call `drainTick` at the latest, or null if nothing is pending. */
export function drainWakeUpUs(state: DrainState): TimeUs | null {
  return state.phase === "draining" ? state.deadlineUs : null;
}

export function acceptsNewRequests(state: DrainState): boolean {
  return state.phase === "serving";
}
