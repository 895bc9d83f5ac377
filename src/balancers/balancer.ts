// A balancer = a pool of backends x a load metric x a picker (Finagle's split). This class is the one surface
// hosts use: pick, the request hooks, and runtime changes to membership, health and weights. Clock and rng come
// in through the constructor, so the simulator passes its own and a real proxy passes a monotonic clock.
//
// pick() never throws and never allocates: success returns the backend's preallocated result, failure one of
// three constant results. Errors in configuration calls (unknown id, bad weight) do throw: those are programmer
// errors, not request outcomes.
import type { Clock } from "../engine/ports.js";
import type { BackendPool } from "./backend-pool.js";
import { BackendState } from "./backend-state.js";
import type { LoadMetric } from "./load-metric.js";
import { EMPTY_CONTEXT, type Picker } from "./picker.js";
import type {
  BackendConfig,
  BackendRef,
  BackendSnapshot,
  BackendView,
  HealthStatus,
  NoBackendReason,
  NotPicked,
  PickResult,
  RequestContext,
  RequestOutcome,
} from "./types.js";

const NONE: Readonly<Record<NoBackendReason, NotPicked>> = Object.freeze({
  "no-backends": Object.freeze({ backend: null, reason: "no-backends" }),
  "all-unavailable": Object.freeze({ backend: null, reason: "all-unavailable" }),
  "all-full": Object.freeze({ backend: null, reason: "all-full" }),
});

export interface BalancerStats {
  readonly picks: number;
  readonly noBackend: number;
  /** Picker-specific counters (sticky sessions); empty for most algorithms. */
  readonly picker: Readonly<Record<string, number>>;
}

export class LoadBalancer {
  private picks = 0;
  private misses = 0;
  /** Scratch for one avoiding pick (reused, so a retry's pick allocates nothing). */
  private readonly avoided: BackendState[] = [];

  constructor(
    /** The algorithm name from the spec, for reports. */
    readonly algorithm: string,
    private readonly pool: BackendPool,
    private readonly metric: LoadMetric,
    private readonly picker: Picker,
    private readonly clock: Clock,
  ) {}

  /** Chooses a backend for one request, or says why none can take it. */
  pick(ctx: RequestContext = EMPTY_CONTEXT): PickResult {
    // The common path stays small (it is inlined into hosts' hot loops); a retry's avoid path has its own method.
    const b = ctx.avoid === undefined ? this.picker.pick(ctx, this.clock.nowUs()) : this.pickAvoiding(ctx, ctx.avoid);
    if (b !== null) {
      this.picks++;
      return b.picked;
    }
    this.misses++;
    return NONE[this.pool.reason()];
  }

  /**
   * Whether a pick could find a backend now: some backend in the active tier (primaries, or backups while no
   * primary is up; healthy with an effective weight above zero) is below its maxConnections. A host holding a
   * queue of requests that met "all-full" asks this before taking the next one out (HAProxy dequeues pending
   * connections when a server slot frees: `process_srv_queue`).
   */
  hasRoom(): boolean {
    return this.pool.hasRoom();
  }

  /** Picks with the avoided backends passed over, unless nothing else can take the request. */
  private pickAvoiding(ctx: RequestContext, refs: BackendRef | readonly BackendRef[]): BackendState | null {
    const avoided = this.avoided;
    avoided.length = 0;
    if (isRefList(refs)) {
      for (const ref of refs) {
        const b = this.resolve(ref);
        if (b !== undefined) avoided.push(b);
      }
    } else {
      const b = this.resolve(refs);
      if (b !== undefined) avoided.push(b);
    }
    if (avoided.length === 0) return this.picker.pick(ctx, this.clock.nowUs());
    for (const b of avoided) b.avoided = true;
    let b: BackendState | null;
    try {
      b = this.picker.pick(ctx, this.clock.nowUs());
    } finally {
      for (const a of avoided) a.avoided = false;
      avoided.length = 0;
    }
    return b ?? this.picker.pick(ctx, this.clock.nowUs()); // nobody else: an avoided one will do
  }

  /** The request was sent to `backend`: counts it in flight. */
  onRequestStart(backend: BackendRef): void {
    const b = this.resolve(backend);
    if (b === undefined) return;
    this.pool.started(b);
    if (this.metric.observes) this.metric.onStart(b, this.clock.nowUs());
    this.picker.onStart?.(b, this.clock.nowUs());
  }

  /** The request finished: frees its slot and feeds latency and success to the load metric. */
  onRequestEnd(backend: BackendRef, outcome: RequestOutcome): void {
    const b = this.resolve(backend);
    if (b === undefined) return;
    this.pool.ended(b);
    if (this.metric.observes) this.metric.onEnd(b, outcome, this.clock.nowUs());
    this.picker.onEnd?.(b, outcome, this.clock.nowUs());
  }

  /**
   * Counts a slot on `backend` taken with no request on the wire, and feeds no metric: HAProxy keeps a retrying
   * stream's slot (`srv_conn`, counted in `served`) while it waits to reconnect to the same server. Given back
   * with releaseSlot.
   */
  holdSlot(backend: BackendRef): void {
    const b = this.resolve(backend);
    if (b !== undefined) this.pool.started(b);
  }

  releaseSlot(backend: BackendRef): void {
    const b = this.resolve(backend);
    if (b !== undefined) this.pool.ended(b);
  }

  addBackend(config: BackendConfig): BackendView {
    const b = this.pool.add(config);
    this.changed(b);
    return b;
  }

  /** Removes a backend; requests in flight on it may still end through the hooks. False if unknown. */
  removeBackend(id: string): boolean {
    const b = this.pool.get(id);
    if (b === undefined || !this.pool.remove(id)) return false;
    this.changed(b);
    return true;
  }

  /** Changes a configured weight at runtime (the founding article's `updateWeight`). */
  setWeight(id: string, weight: number): void {
    const b = this.require(id);
    this.pool.setWeight(b, weight);
    this.changed(b);
  }

  /** Slow start: effective weight = weight x factor, factor in [0, 1], ramped by the health library. */
  setWeightFactor(id: string, factor: number): void {
    const b = this.require(id);
    this.pool.setWeightFactor(b, factor);
    this.changed(b);
  }

  setHealth(id: string, health: HealthStatus): void {
    const b = this.require(id);
    this.pool.setHealth(b, health);
    this.changed(b);
  }

  setMaxConnections(id: string, maxConnections: number): void {
    this.pool.setMaxConnections(this.require(id), maxConnections);
  }

  /** Requests waiting in this backend's own queue (counted by least-connections with countQueued). */
  setQueued(id: string, queued: number): void {
    const b = this.require(id);
    this.pool.setQueued(b, queued);
    this.changed(b);
  }

  /** Closed connections still in an L4 host's table (IPVS `inactconns`), counted by least-connections at 1/256. */
  setInactiveConnections(id: string, inactive: number): void {
    this.pool.setInactive(this.require(id), inactive);
  }

  backend(id: string): BackendView | undefined {
    return this.pool.get(id);
  }

  get size(): number {
    return this.pool.size;
  }

  /** Every member with its current load metric (allocates; for reports). */
  backends(): BackendSnapshot[] {
    const now = this.clock.nowUs();
    const metric = this.metric;
    return this.pool.members.map((b) => ({ ...viewOf(b), load: metric.peek ? metric.peek(b, now) : metric.load(b, now) }));
  }

  stats(): BalancerStats {
    return { picks: this.picks, noBackend: this.misses, picker: this.picker.stats?.() ?? {} };
  }

  /** Tells the picker a backend's standing changed (pickers that keep an order of their own re-place it). */
  private changed(b: BackendState): void {
    this.picker.onChange?.(b, this.clock.nowUs());
  }

  private resolve(ref: BackendRef): BackendState | undefined {
    if (typeof ref === "string") return this.pool.get(ref);
    // A view handed out by pick is the backend's own record, even if it has since left the pool (its requests
    // still end on it); a view built elsewhere is looked up by id.
    return ref instanceof BackendState ? ref : this.pool.get(ref.id);
  }

  private require(id: string): BackendState {
    const b = this.pool.get(id);
    if (b === undefined) throw new Error(`unknown backend "${id}"`);
    return b;
  }
}

function isRefList(refs: BackendRef | readonly BackendRef[]): refs is readonly BackendRef[] {
  return Array.isArray(refs);
}

function viewOf(b: BackendState): BackendView {
  return {
    id: b.id,
    weight: b.weight,
    weightFactor: b.weightFactor,
    effectiveWeight: b.effectiveWeight,
    maxConnections: b.maxConnections,
    backup: b.backup,
    health: b.health,
    inFlight: b.inFlight,
    queued: b.queued,
    member: b.member,
    index: b.index,
  };
}
