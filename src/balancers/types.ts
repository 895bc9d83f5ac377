// The public vocabulary of the balancer library: what a backend looks like from outside, what a request carries,
// and what a pick returns. "No backend" is an expected outcome (the simulator records it in its ledger as "no
// healthy upstream"), so it is a value, never an exception (Finagle's NoBrokersAvailable is the one thing we
// deliberately do not copy).
import type { TimeUs } from "../engine/time.js";

/**
 * What the health library says about a backend. `draining` takes no new requests but finishes its in-flight ones
 * (AWS target-group deregistration, HAProxy `set server state drain`).
 */
export type HealthStatus = "healthy" | "unhealthy" | "draining";

/** How a backend enters the pool. Weights are integers, as in NGINX `weight=` and HAProxy `weight`. */
export interface BackendConfig {
  readonly id: string;
  /** Configured weight, an integer >= 0; default 1. Weight 0 takes no new requests (HAProxy). */
  readonly weight?: number;
  /** HAProxy `maxconn` / NGINX `max_conns`: at this many in-flight requests the backend is full. 0 = no limit. */
  readonly maxConnections?: number;
  /** NGINX `backup`: used only while every primary backend is unavailable. */
  readonly backup?: boolean;
  /** Initial health; default healthy (the health library decides whether a new server starts unhealthy). */
  readonly health?: HealthStatus;
}

/** A read-only view of one backend, as the balancer sees it right now. */
export interface BackendView {
  readonly id: string;
  readonly weight: number;
  /** Slow-start (or other) multiplier in [0, 1] supplied by the health library. */
  readonly weightFactor: number;
  /** weight x weightFactor: what weighted algorithms use. */
  readonly effectiveWeight: number;
  readonly maxConnections: number;
  readonly backup: boolean;
  readonly health: HealthStatus;
  readonly inFlight: number;
  /** Requests waiting in this server's queue (HAProxy server queue), reported by the host through setQueued. */
  readonly queued: number;
  /** False once removed from the pool; requests still in flight on it may finish. */
  readonly member: boolean;
  /** Its place among the pool's members, in the order they were added (a removal closes the gap); -1 once removed. */
  readonly index: number;
}

/** A snapshot row for reports and debugging (allocates; not for the hot path). */
export interface BackendSnapshot extends BackendView {
  /** The balancer's load metric for this backend (in-flight count, EWMA cost, ...); lower is less loaded. */
  readonly load: number;
}

/** What a request offers the balancer. Every field is optional; hash algorithms say which one they read. */
export interface RequestContext {
  /** Client address, e.g. "203.0.113.7" (ip-hash; consistent-hash falls back to it). */
  readonly clientAddress?: string;
  /** Explicit hash key (NGINX `hash $request_uri`, Envoy hash policy). */
  readonly hashKey?: string;
  /** Session cookie value (sticky sessions). */
  readonly sessionCookie?: string;
  /** HTTP method; carried for hosts and future policies (NGINX does not retry non-idempotent methods). */
  readonly method?: string;
  /**
   * Backends to pass over if any other can take the request: every peer a retry already tried (NGINX's per-request
   * `tried` bitmap, ngx_http_upstream_round_robin.c `rrp->tried`), or the previous server on a redispatch (HAProxy
   * `assign_server`'s `srvtoavoid`). If no other is available, an avoided one may still be picked (HAProxy falls
   * back to the avoided server; a host that must refuse instead checks the result, see retry-target.ts).
   */
  readonly avoid?: BackendRef | readonly BackendRef[] | undefined;
}

/** How a request ended, fed back so load metrics can learn. */
export interface RequestOutcome {
  /** Whole request latency, from start to last byte. */
  readonly latencyUs: TimeUs;
  /** Time to first byte; least-response-time uses it (NGINX Plus `least_time header`). Defaults to latencyUs. */
  readonly ttfbUs?: TimeUs;
  /** False for errors and 5xx (EWMA balancers with a failure penalty charge it). */
  readonly success: boolean;
  /**
   * NGINX's NGX_PEER_FAILED: the try failed in a way the proxy counts against the server (`proxy_next_upstream`
   * lists it). Smooth WRR lowers the server's effective weight. Defaults to `!success`.
   */
  readonly peerFailed?: boolean;
}

/**
 * Why no backend was picked. `all-unavailable`: members exist but none is healthy with a weight above zero (a host
 * returns 502/503). `all-full`: some are up but every one is at maxConnections (HAProxy queues the request).
 */
export type NoBackendReason = "no-backends" | "all-unavailable" | "all-full";

export interface Picked {
  readonly backend: BackendView;
  readonly reason: null;
}

export interface NotPicked {
  readonly backend: null;
  readonly reason: NoBackendReason;
}

/** The result of a pick. Allocation-free: each backend owns one Picked value, and each reason is a constant. */
export type PickResult = Picked | NotPicked;

/** The hooks accept the view a pick returned (fast) or a backend id (a map lookup). */
export type BackendRef = BackendView | string;
