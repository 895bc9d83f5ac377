// The probe contract: what the host must report about one health probe, and how each probe kind turns that report
// into a pass or a failure. This is where the "health check black hole" lives: a `tcp` probe passes as soon as the
// backend's kernel completes the handshake into the accept backlog, even if the application is dead, warming up or
// stopped in a GC pause; only `http` and `deep` probes see the application.
import type { TimeUs } from "../engine/time.js";
import { FAIL_REFUSED, FAIL_TIMEOUT, PASS, type CheckObservation } from "./observation.js";
import { statusInRanges, type StatusRange } from "./status-range.js";

/**
 * - `tcp`: HAProxy's default `check`, NLB's default TCP check, k8s `tcpSocket`: a completed handshake passes.
 * - `http`: HAProxy `option httpchk`, NGINX Plus `health_check`, Envoy `http_health_check`, ALB, k8s `httpGet`:
 *   the application must answer an expected status within the timeout.
 * - `deep`: an http check whose endpoint also verifies the backend's dependencies (database, cache).
 */
export type ProbeKind = "tcp" | "http" | "deep";

/** How the TCP handshake ended, with times measured from the probe's start. */
export type ConnectOutcome =
  /** The kernel answered SYN-ACK: true even when no process will ever accept() the connection. */
  | { readonly kind: "accepted"; readonly afterUs: TimeUs }
  /** RST: nothing listening on the port. */
  | { readonly kind: "refused"; readonly afterUs: TimeUs }
  /** Nothing came back: host down, SYN dropped, partition. */
  | { readonly kind: "no-answer" };

/** What the host observed for one probe. */
export interface ProbeResponse {
  readonly connect: ConnectOutcome;
  /** The application's HTTP answer, timed from the probe's start; absent if none ever came. Ignored by `tcp`. */
  readonly http?: { readonly status: number; readonly afterUs: TimeUs };
  /** The backend's own view of its dependencies, reported by a deep endpoint; absent means ok. Only `deep` reads it. */
  readonly dependenciesOk?: boolean;
}

export interface ProbeConfig {
  readonly timeoutUs: TimeUs;
  readonly expectedStatuses: readonly StatusRange[];
}

/** Applies one probe kind's real semantics to what the host observed. Pure. */
export function evaluateProbe(kind: ProbeKind, response: ProbeResponse, config: ProbeConfig): CheckObservation {
  const connect = response.connect;
  if (connect.kind === "no-answer") return FAIL_TIMEOUT;
  if (connect.afterUs > config.timeoutUs) return FAIL_TIMEOUT;
  if (connect.kind === "refused") return FAIL_REFUSED;
  if (kind === "tcp") return PASS;

  const http = response.http;
  if (http === undefined || http.afterUs > config.timeoutUs) return FAIL_TIMEOUT;
  if (!statusInRanges(http.status, config.expectedStatuses)) {
    return { kind: "fail", reason: "status", status: http.status };
  }
  if (kind === "deep" && response.dependenciesOk === false) {
    return { kind: "fail", reason: "dependency", status: http.status };
  }
  return PASS;
}

/**
 * When a probe's verdict is known, from the probe's start: at the answer for a pass or a bad status, at the refusal
 * for a refused connect, at the timeout when nothing (or nothing in time) came back. A `tcp` probe is done at the
 * handshake.
 */
export function verdictDelayUs(kind: ProbeKind, response: ProbeResponse, observation: CheckObservation, timeoutUs: TimeUs): TimeUs {
  const connect = response.connect;
  if (observation.kind === "fail" && observation.reason === "timeout") return timeoutUs;
  if (connect.kind !== "accepted") return connect.kind === "refused" ? connect.afterUs : timeoutUs;
  if (kind === "tcp") return connect.afterUs;
  return Math.min(timeoutUs, response.http?.afterUs ?? timeoutUs);
}
