// Envoy's earliest-deadline-first schedule (source/common/upstream/edf_scheduler.h `EdfScheduler::pickAndAdd`,
// used by `EdfLoadBalancerBase::chooseHostOnce` in load_balancer_impl.cc): every host holds a deadline; a pick
// takes the host with the earliest deadline (the earlier-added on ties), moves the schedule's clock to that
// deadline, and re-adds the host at clock + 1 / weight, the weight computed *now*. Envoy's least request uses it
// when host weights differ, with `weight / (active + 1)^active_request_bias` as the weight, so a busy heavy host
// is pushed back as its requests pile up. The schedule is rebuilt (clock 0, deadline 1 / weight) when the active
// set changes, as Envoy rebuilds it on a host-set refresh.
//
// Hosts that cannot take this request (full at maxconn, or avoided by a retry) are passed over without touching
// their deadline: a linear scan over the active list, O(n) per pick, which at the pool sizes simulated costs less
// than keeping a heap in step with weights that change on every request.
import type { TimeUs } from "../engine/time.js";
import type { BackendState } from "./backend-state.js";
import { isAvailable } from "./backend-state.js";
import type { BackendPool } from "./backend-pool.js";

export class EdfSchedule {
  private clock = 0;
  private order = 0;
  private seenActive = -1;

  constructor(
    private readonly pool: BackendPool,
    /** The host's weight at this moment (Envoy `hostWeight`); <= 0 keeps it out of the schedule. */
    private readonly weight: (b: BackendState, nowUs: TimeUs) => number,
  ) {}

  pick(active: readonly BackendState[], nowUs: TimeUs): BackendState | null {
    if (this.seenActive !== this.pool.activeSetVersion) this.rebuild(active, nowUs);
    let best: BackendState | null = null;
    for (let i = 0; i < active.length; i++) {
      const b = active[i]!;
      if (!isAvailable(b) || !(b.edfDeadline < Infinity)) continue;
      if (best === null || b.edfDeadline < best.edfDeadline || (b.edfDeadline === best.edfDeadline && b.edfOrder < best.edfOrder)) best = b;
    }
    if (best === null) return null;
    this.clock = best.edfDeadline;
    this.add(best, nowUs);
    return best;
  }

  private rebuild(active: readonly BackendState[], nowUs: TimeUs): void {
    this.seenActive = this.pool.activeSetVersion;
    this.clock = 0;
    for (const b of active) this.add(b, nowUs);
  }

  private add(b: BackendState, nowUs: TimeUs): void {
    const w = this.weight(b, nowUs);
    b.edfDeadline = w > 0 ? this.clock + 1 / w : Infinity;
    b.edfOrder = this.order++;
  }
}
