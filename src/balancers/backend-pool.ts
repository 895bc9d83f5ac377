// Membership, health and weights of the backends, plus the derived "active tier" every picker draws from.
// NGINX `backup` semantics: backups join only while no primary is up. A full primary (at maxConnections) is
// still up, so it does not wake the backups; the request waits instead (HAProxy queues it).
//
// Derived lists are rebuilt lazily on the first pick after a change, never per pick. Pickers that build their
// own structures (hash rings, the static WRR pool) compare version counters to know when to rebuild.
import { BackendState } from "./backend-state.js";
import type { BackendConfig, HealthStatus, NoBackendReason } from "./types.js";

export class BackendPool {
  /** Every member in id (insertion) order: HAProxy `first` and ip-hash walk this order. */
  readonly members: BackendState[] = [];
  private readonly byId = new Map<string, BackendState>();
  private activeList: BackendState[] = [];
  private tierList: BackendState[] = [];
  private dirty = true;
  /** Bumps when the list of active backends changes. */
  activeSetVersion = 0;
  /** Bumps when the members of the current tier change (ignoring health). */
  tierVersion = 0;
  /** Bumps when a configured weight changes (hash rings are built from configured weights, as in NGINX). */
  configuredWeightVersion = 0;
  /** Bumps when a configured weight or a weight factor changes. */
  effectiveWeightVersion = 0;
  /** In-flight requests on active backends (bounded-load hashing needs the average). */
  activeInFlight = 0;

  get size(): number {
    return this.members.length;
  }

  get(id: string): BackendState | undefined {
    return this.byId.get(id);
  }

  add(config: BackendConfig): BackendState {
    if (this.byId.has(config.id)) throw new Error(`backend "${config.id}" is already in the pool`);
    checkWeight(config.id, config.weight ?? 1);
    checkMaxConnections(config.id, config.maxConnections ?? 0);
    const b = new BackendState(config);
    b.index = this.members.length;
    this.members.push(b);
    this.byId.set(b.id, b);
    this.configuredWeightVersion++;
    this.effectiveWeightVersion++;
    this.dirty = true;
    return b;
  }

  /** Removes a backend; its in-flight requests may still end through the hooks. False if it was not a member. */
  remove(id: string): boolean {
    const b = this.byId.get(id);
    if (!b) return false;
    this.byId.delete(id);
    this.members.splice(b.index, 1);
    for (let i = b.index; i < this.members.length; i++) this.members[i]!.index = i;
    if (b.active) this.activeInFlight -= b.inFlight;
    b.member = false;
    b.active = false;
    b.up = false;
    b.index = -1;
    this.configuredWeightVersion++;
    this.effectiveWeightVersion++;
    this.dirty = true;
    return true;
  }

  setWeight(b: BackendState, weight: number): void {
    checkWeight(b.id, weight);
    if (b.weight === weight) return;
    b.weight = weight;
    this.configuredWeightVersion++;
    this.refreshWeight(b);
  }

  /** Slow start: the health library ramps the factor from near 0 to 1 (HAProxy `slowstart`, Envoy slow_start_config). */
  setWeightFactor(b: BackendState, factor: number): void {
    if (!(factor >= 0 && factor <= 1)) throw new RangeError(`weight factor of "${b.id}" must be in [0, 1], got ${factor}`);
    if (b.weightFactor === factor) return;
    b.weightFactor = factor;
    this.refreshWeight(b);
  }

  setHealth(b: BackendState, health: HealthStatus): void {
    if (b.health === health) return;
    b.health = health;
    this.refreshUp(b);
  }

  setMaxConnections(b: BackendState, maxConnections: number): void {
    checkMaxConnections(b.id, maxConnections);
    b.maxConnections = maxConnections;
  }

  setQueued(b: BackendState, queued: number): void {
    if (!(Number.isInteger(queued) && queued >= 0)) throw new RangeError(`queued of "${b.id}" must be an integer >= 0`);
    b.queued = queued;
  }

  setInactive(b: BackendState, inactive: number): void {
    if (!(Number.isInteger(inactive) && inactive >= 0)) throw new RangeError(`inactive connections of "${b.id}" must be an integer >= 0`);
    b.inactive = inactive;
  }

  started(b: BackendState): void {
    b.inFlight++;
    if (b.active) this.activeInFlight++;
  }

  ended(b: BackendState): void {
    // An end without a start is a host bug; clamping keeps one bad caller from corrupting every later pick.
    if (b.inFlight === 0) return;
    b.inFlight--;
    if (b.active) this.activeInFlight--;
  }

  /** The backends picks may use now: up primaries, or up backups while no primary is up. Member order. */
  active(): readonly BackendState[] {
    if (this.dirty) this.rebuild();
    return this.activeList;
  }

  /** Every member of the current tier, healthy or not (hash rings keep down servers and walk past them). */
  tier(): readonly BackendState[] {
    if (this.dirty) this.rebuild();
    return this.tierList;
  }

  /**
   * Whether some backend of the active tier is below its maxConnections, i.e. whether a pick can succeed. Hosts
   * that queue requests while every backend is full (HAProxy's backend queue) ask this before dequeuing, rather
   * than re-deriving the tier, health and weight rules that decide which backends count.
   */
  hasRoom(): boolean {
    for (const b of this.active()) if (b.maxConnections === 0 || b.inFlight < b.maxConnections) return true;
    return false;
  }

  /** Why a pick found nothing; called only after a picker came back empty. */
  reason(): NoBackendReason {
    if (this.members.length === 0) return "no-backends";
    return this.active().length === 0 ? "all-unavailable" : "all-full";
  }

  private refreshWeight(b: BackendState): void {
    b.effectiveWeight = b.weight * b.weightFactor;
    this.effectiveWeightVersion++;
    this.refreshUp(b);
  }

  private refreshUp(b: BackendState): void {
    const up = b.computeUp();
    if (up !== b.up) {
      b.up = up;
      this.dirty = true;
    }
  }

  private rebuild(): void {
    this.dirty = false;
    let primaryUp = false;
    for (const b of this.members) if (b.up && !b.backup) primaryUp = true;
    const useBackups = !primaryUp;
    const active: BackendState[] = [];
    const tier: BackendState[] = [];
    let inFlight = 0;
    for (const b of this.members) {
      b.active = false;
      if (b.backup !== useBackups) continue;
      tier.push(b);
      if (b.up) {
        b.active = true;
        active.push(b);
        inFlight += b.inFlight;
      }
    }
    this.activeInFlight = inFlight;
    if (!sameList(active, this.activeList)) this.activeSetVersion++;
    if (!sameList(tier, this.tierList)) this.tierVersion++;
    this.activeList = active;
    this.tierList = tier;
  }
}

function sameList(a: readonly BackendState[], b: readonly BackendState[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function checkWeight(id: string, weight: number): void {
  if (!(Number.isInteger(weight) && weight >= 0)) throw new RangeError(`weight of "${id}" must be an integer >= 0, got ${weight}`);
}

function checkMaxConnections(id: string, max: number): void {
  if (!(Number.isInteger(max) && max >= 0)) throw new RangeError(`maxConnections of "${id}" must be an integer >= 0, got ${max}`);
}
