// What a HealthChecker needs from its host, as plain interfaces: timers, probes and the balancer it steers. The
// simulator passes its event loop (timers on simulated time, probes answered by the simulated backends); a real
// proxy passes node timers, real TCP/HTTP probes and its production balancer. Nothing here knows which.
import type { TimeUs } from "../engine/time.js";
import type { ProbeResponse } from "./probe.js";

/**
 * Timers at absolute times on the host's clock. Handles are small integers, valid until the timer runs or is
 * cancelled. `fixedDelay`: the checker sets timers this far ahead again and again (a check's timeout, the interval
 * between checks without jitter); a host may keep such timers more cheaply (the simulator's timeout lanes), and
 * may ignore the hint.
 */
export interface TimerPort {
  setTimer(atUs: TimeUs, fn: () => void, fixedDelay?: boolean): number;
  cancel(handle: number): void;
}

/**
 * How a probe's answer reaches the checker: `token` is the one the checker passed to `probe`, so an answer for an
 * earlier probe (one that timed out, or of a backend since removed) is recognised and ignored. One function serves
 * every probe of a backend, so a host need not make a closure per probe. The response is read during the call only.
 */
export type ProbeDone = (token: number, response: ProbeResponse) => void;

/**
 * Runs one probe against a backend and reports what it saw, with times measured from the probe's start.
 *
 * A host may answer at once, inside `probe` (a simulator that knows when the backend will answer): the checker then
 * learns the verdict at the time the response says, through its timer port. A host may also answer later (a real
 * socket): the checker then applies the answer when it comes, and if none has come `timeoutUs` after the start it
 * records a timeout and calls the returned abort function, so the host can close its socket. Late answers after a
 * timeout are ignored (by their token), so a host that has nothing to close returns nothing.
 */
export interface ProbePort {
  probe(backend: number, token: number, done: ProbeDone): (() => void) | void;
}

/** The slice of the production balancer that health steers (a `LoadBalancer` fits as it is). */
export interface HealthTarget {
  setHealth(id: string, health: "healthy" | "unhealthy" | "draining"): void;
  setWeightFactor(id: string, factor: number): void;
  backend(id: string): { readonly member: boolean } | undefined;
}

/**
 * How an attempt sent to a backend ended, as passive health hears it. `error` is a 5xx answer, `shed` a 503 from
 * a full application queue, `refused` a failed connect, `reset` a connection that died after the request was sent,
 * `timeout` no answer in time, `cancelled` a try the host abandoned (a hedge's loser): not a failure.
 */
export type AttemptEnd = "ok" | "error" | "shed" | "refused" | "reset" | "timeout" | "cancelled";
