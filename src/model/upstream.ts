// The seam between whoever sends attempts (a direct front door in tests, a load-balancer node in scenarios)
// and the backends. An owner sends an attempt with World.sendAttempt and later hears its result, after the
// return network delay, through onAttemptResult. Timeouts are the owner's business: it abandons the attempt.
import { ATTEMPT_OUTCOME } from "../metrics/ledger.js";

/** What became of an attempt, as seen by its owner. */
export const ATTEMPT_RESULT = {
  none: 0,
  ok: 1, // the backend answered 2xx
  error: 2, // the backend answered 5xx (fast failure, dependency down)
  refused: 3, // the connection was refused (port closed, backlog full): nothing was sent, a retry is always safe
  reset: 4, // the connection died after the request was sent (crash mid-flight, keepalive race)
  shed: 5, // the backend's application queue was full: 503 before any work
} as const;

export type AttemptResult = (typeof ATTEMPT_RESULT)[keyof typeof ATTEMPT_RESULT];

export const ATTEMPT_RESULT_NAMES = ["none", "ok", "error", "refused", "reset", "shed"] as const;

export type AttemptFailure = "error" | "refused" | "reset" | "shed";

/** A finished attempt's failure by name, or null for a success (ok) or no result (none): the retry policy and the
 * health checker both read attempts in these words. */
export function attemptFailure(result: number): AttemptFailure | null {
  return result === ATTEMPT_RESULT.ok || result === ATTEMPT_RESULT.none ? null : (ATTEMPT_RESULT_NAMES[result] as AttemptFailure);
}

/** The attempt's outcome in the ledger (ledger.ts ATTEMPT_OUTCOMES) for the result its owner heard. */
export const ATTEMPT_OUTCOME_OF_RESULT: Readonly<Record<number, number>> = {
  [ATTEMPT_RESULT.ok]: ATTEMPT_OUTCOME.ok,
  [ATTEMPT_RESULT.error]: ATTEMPT_OUTCOME["backend-error"],
  [ATTEMPT_RESULT.refused]: ATTEMPT_OUTCOME["connection-refused"],
  [ATTEMPT_RESULT.reset]: ATTEMPT_OUTCOME["reset-mid-flight"],
  [ATTEMPT_RESULT.shed]: ATTEMPT_OUTCOME["queue-full"],
};

export interface AttemptOwner {
  /**
   * How long the owner waits for a TCP handshake (HAProxy `timeout connect`, NGINX `proxy_connect_timeout`).
   * A backend whose accept backlog is full drops the SYN (Linux, tcp_abort_on_overflow = 0): the owner hears
   * nothing until this timeout, then sees a connection failure (nothing was sent, so a retry is safe).
   */
  readonly connectTimeoutUs: number;
  onAttemptResult(attempt: number, result: number): void;
}
