// One backend's mutable record. The pool keeps these in an array in id (insertion) order, and pickers read
// their fields directly: one monomorphic object per backend is as fast as parallel arrays at the pool sizes we
// simulate, and it lets a pick hand back a preallocated result instead of allocating one.
import type { TimeUs } from "../engine/time.js";
import type { BackendConfig, BackendView, HealthStatus, Picked } from "./types.js";

export class BackendState implements BackendView {
  readonly id: string;
  weight: number;
  weightFactor = 1;
  effectiveWeight: number;
  maxConnections: number;
  readonly backup: boolean;
  health: HealthStatus;
  inFlight = 0;
  queued = 0;
  /**
   * Closed connections the host still holds for this backend (IPVS keeps a closed connection in its table, in
   * FIN_WAIT, TIME_WAIT or CLOSE, as an inactive one: `inactconns`). Only an L4 host reports them; least
   * connections counts each as 1/256 of an open one (include/net/ip_vs.h `ip_vs_dest_conn_overhead`).
   */
  inactive = 0;
  member = true;
  /** Healthy with an effective weight above zero: may take new requests unless full. */
  up: boolean;
  /** In the pool's active tier right now (primaries, or backups while no primary is up). */
  active = false;
  /** Set for the length of one pick: a retry avoids the backends it already tried (NGINX's `tried` peers). */
  avoided = false;
  /** Position in the pool's member array while a member. */
  index = -1;

  // Per-algorithm scratch kept on the record so hot paths need no map lookups.
  /** Smooth weighted round robin's `current_weight` (NGINX ngx_http_upstream_round_robin.c). */
  currentWeight = 0;
  /** EWMA cost in microseconds (least-response-time, peak-ewma). */
  costUs = 0;
  /** When costUs was last updated. */
  stampUs: TimeUs = 0;
  /** Whether any latency has been observed yet. */
  observed = false;
  /** Envoy's EDF schedule: this host's next deadline and its insertion order (ties go to the earlier). */
  edfDeadline = Infinity;
  edfOrder = 0;
  /**
   * NGINX smooth WRR's `effective_weight`, in units of the configured weight: lowered by weight / max_fails on each
   * failure and raised by one on each pick until it is back at `weight` (ngx_http_upstream_round_robin.c).
   */
  nginxEffectiveWeight = -1;
  /** HAProxy leastconn's tree position (haproxy-fwlc-order.ts): key, insertion sequence (-1: not in the tree), eweight. */
  fwlcKey = 0;
  fwlcSeq = -1;
  fwlcEweight = 0;

  /** The one result object a pick of this backend returns. */
  readonly picked: Picked;

  constructor(config: BackendConfig) {
    this.id = config.id;
    this.weight = config.weight ?? 1;
    this.effectiveWeight = this.weight;
    this.maxConnections = config.maxConnections ?? 0;
    this.backup = config.backup ?? false;
    this.health = config.health ?? "healthy";
    this.up = this.computeUp();
    this.picked = { backend: this, reason: null };
  }

  computeUp(): boolean {
    return this.member && this.health === "healthy" && this.effectiveWeight > 0;
  }
}

/** In the active tier (so up), not being avoided by this pick, and below maxConnections: may take this request. */
export function isAvailable(b: BackendState): boolean {
  return b.active && !b.avoided && (b.maxConnections === 0 || b.inFlight < b.maxConnections);
}
