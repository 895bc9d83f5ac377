// Full scan for the least loaded backend: NGINX `least_conn` (and `least_time`, whose ties NGINX's docs break the
// same way), HAProxy `leastconn`. With weights the cost is load / effective weight. The proxies agree on the least
// loaded server and differ in which of several equally loaded ones they take, so each is a named variant:
//
// - "nginx" (default; NGINX 1.22 src/http/modules/ngx_http_upstream_least_conn_module.c
//   `ngx_http_upstream_get_least_conn_peer`): a first pass keeps the first peer with the fewest connections per
//   weight (`peer->conns * best->weight < best->conns * peer->weight`) and notes whether another ties it (`many`).
//   If one does, a second pass from that first peer runs the smooth weighted round robin over the tied peers only:
//   each adds its `effective_weight` to its `current_weight` (and the effective weight creeps back by one towards
//   the weight), the largest wins (the first on equal values), and the winner gives back the total of the tied
//   peers' effective weights. Peers not tied keep their `current_weight` as it was. Full (max_conns) and
//   already-tried peers are passed over in both passes. least_conn frees peers through the round robin's
//   `ngx_http_upstream_free_round_robin_peer`, so a failed try lowers the peer's effective weight by
//   weight / max_fails (`maxFails`, NGINX's default 1) as under smooth weighted round robin: after a failure the
//   peer loses ties until its effective weight is back.
// - "haproxy" (HAProxy 2.6 src/lb_fwlc.c `fwlc_get_next_server`): the first server of the ebtree keyed on
//   (inflight + 1) x SRV_EWGHT_MAX / eweight (0 when idle), equal keys in insertion order, so among equally loaded
//   servers the one that reached that load first wins: among idle ones, the one idle longest (FwlcOrder).
// - "ipvs" (Linux IPVS `lc` / `wlc`, net/netfilter/ipvs/ip_vs_lc.c `ip_vs_lc_schedule`, ip_vs_wlc.c
//   `ip_vs_wlc_schedule`): the first least loaded destination of the service's list, replaced only by a strictly
//   less loaded one; the list has the newest destination first (ip_vs_ctl.c `__ip_vs_update_dest` adds with
//   `list_add_rcu` at the head), so ties go to the backend added last. No state: a pool that does not change picks
//   the same one among equals every time. lbsim's L4 node is IPVS (it counts connections as `ip_vs_dest_conn_overhead`).
//
// lbsim used to rotate the scan's starting point on every pick and keep the first minimum ("HAProxy round-robins
// among equally loaded servers"). Neither proxy does that, so it is gone; the NGINX rule is the default because
// the rest of the spec's defaults (active connections only, compared per weight) are NGINX's.
import type { TimeUs } from "../engine/time.js";
import type { BackendState } from "./backend-state.js";
import { isAvailable } from "./backend-state.js";
import type { BackendPool } from "./backend-pool.js";
import { FwlcOrder } from "./haproxy-fwlc-order.js";
import type { LoadMetric } from "./load-metric.js";
import type { Picker } from "./picker.js";
import { effectiveWeightOf, lowerEffectiveWeightOnFailure } from "./smooth-weighted-round-robin.js";
import type { RequestOutcome } from "./types.js";

export const LEAST_CONNECTIONS_VARIANTS = ["nginx", "haproxy", "ipvs"] as const;
export type LeastConnectionsVariant = (typeof LEAST_CONNECTIONS_VARIANTS)[number];

export interface LeastLoadOptions {
  /** Divide load by effective weight. Default true (with equal weights it changes nothing). */
  readonly weighted?: boolean;
  /** Whose order among equally loaded backends. Default "nginx". */
  readonly variant?: LeastConnectionsVariant;
  /** NGINX `max_fails` for the nginx variant's effective weights: default 1; 0 leaves them alone on failure. */
  readonly maxFails?: number;
}

export class LeastLoadPicker implements Picker {
  private readonly weighted: boolean;
  readonly variant: LeastConnectionsVariant;
  private readonly order: FwlcOrder | null;
  private readonly maxFails: number;

  constructor(
    private readonly pool: BackendPool,
    private readonly metric: LoadMetric,
    options: LeastLoadOptions = {},
  ) {
    this.weighted = options.weighted ?? true;
    this.variant = options.variant ?? "nginx";
    if (!(LEAST_CONNECTIONS_VARIANTS as readonly string[]).includes(this.variant)) {
      throw new RangeError(`unknown least-connections variant "${String(this.variant)}"; known: ${LEAST_CONNECTIONS_VARIANTS.join(", ")}`);
    }
    this.maxFails = options.maxFails ?? 1;
    if (!(Number.isInteger(this.maxFails) && this.maxFails >= 0)) throw new RangeError(`maxFails must be an integer >= 0, got ${this.maxFails}`);
    this.order = this.variant === "haproxy" ? new FwlcOrder(metric, this.weighted) : null;
    // HAProxy queues the servers in configuration order at start (`fwlc_init_server_tree`): the pool's id order.
    if (this.order !== null) for (const b of pool.members) this.order.update(b, 0);
  }

  pick(_ctx: unknown, nowUs: TimeUs): BackendState | null {
    if (this.order !== null) return this.pickHaproxy(this.order, nowUs);
    return this.variant === "ipvs" ? this.pickIpvs(nowUs) : this.pickNginx(nowUs);
  }

  onStart(b: BackendState, nowUs: TimeUs): void {
    this.order?.reposition(b, nowUs);
  }

  onEnd(b: BackendState, outcome: RequestOutcome, nowUs: TimeUs): void {
    if (this.order !== null) this.order.reposition(b, nowUs);
    else if (this.variant === "nginx") lowerEffectiveWeightOnFailure(b, outcome, this.maxFails, this.pool.size);
  }

  onChange(b: BackendState, nowUs: TimeUs): void {
    this.order?.update(b, nowUs);
  }

  /** `fwlc_get_next_server`: the first available server in (key, insertion) order. */
  private pickHaproxy(order: FwlcOrder, nowUs: TimeUs): BackendState | null {
    let best: BackendState | null = null;
    for (const b of this.pool.active()) {
      // A backend the hooks never placed (a host that skipped them) joins the tree now rather than never.
      if (b.fwlcSeq < 0) order.update(b, nowUs);
      if (!isAvailable(b)) continue;
      if (best === null || order.before(b, best)) best = b;
    }
    return best;
  }

  /** `ip_vs_wlc_schedule`: the first strict minimum, walking the destinations newest first (the pool's order reversed). */
  private pickIpvs(nowUs: TimeUs): BackendState | null {
    const active = this.pool.active();
    let best: BackendState | null = null;
    let bestLoad = 0;
    for (let i = active.length - 1; i >= 0; i--) {
      const b = active[i]!;
      if (!isAvailable(b)) continue;
      const load = this.metric.load(b, nowUs);
      // `loh * atomic_read(&dest->weight) > doh * atomic_read(&least->weight)` replaces the least.
      if (best === null || this.less(load, b, bestLoad, best)) {
        best = b;
        bestLoad = load;
      }
    }
    return best;
  }

  /** `ngx_http_upstream_get_least_conn_peer`: the least loaded peer; smooth WRR among the tied ones. */
  private pickNginx(nowUs: TimeUs): BackendState | null {
    const active = this.pool.active();
    const n = active.length;
    let best: BackendState | null = null;
    let bestLoad = 0;
    let first = 0;
    let many = false;
    for (let i = 0; i < n; i++) {
      const b = active[i]!;
      if (!isAvailable(b)) continue;
      const load = this.metric.load(b, nowUs);
      if (best === null || this.less(load, b, bestLoad, best)) {
        best = b;
        bestLoad = load;
        first = i;
        many = false;
      } else if (this.equal(load, b, bestLoad, best)) {
        many = true;
      }
    }
    if (best === null || !many) return best;
    // The second pass compares with the first tied peer's load; `best` moves to the winner of the round robin.
    const tiedLoad = bestLoad;
    const tied = best;
    let total = 0;
    for (let i = first; i < n; i++) {
      const b = active[i]!;
      if (!isAvailable(b)) continue;
      if (!this.equal(this.metric.load(b, nowUs), b, tiedLoad, tied)) continue;
      // As in the smooth round robin (smooth-weighted-round-robin.ts), lbsim scales by the slow-start factor.
      const ew = effectiveWeightOf(b);
      const w = ew * b.weightFactor;
      b.currentWeight += w;
      total += w;
      if (ew < b.weight) b.nginxEffectiveWeight = ew + 1;
      if (b.currentWeight > best.currentWeight) best = b;
    }
    best.currentWeight -= total;
    return best;
  }

  /** `peer->conns * best->weight < best->conns * peer->weight`, or plain loads when unweighted. */
  private less(load: number, b: BackendState, bestLoad: number, best: BackendState): boolean {
    return this.weighted ? load * best.effectiveWeight < bestLoad * b.effectiveWeight : load < bestLoad;
  }

  private equal(load: number, b: BackendState, bestLoad: number, best: BackendState): boolean {
    return this.weighted ? load * best.effectiveWeight === bestLoad * b.effectiveWeight : load === bestLoad;
  }
}
