// Envoy's earliest-deadline-first schedule (source/common/upstream/edf_scheduler.h `EdfScheduler::pickAndAdd`,
// used by `EdfLoadBalancerBase::chooseHostOnce` in load_balancer_impl.cc): every host holds a deadline; a pick
// takes the host with the earliest deadline (the earlier-added on ties), moves the schedule's clock to that
// deadline, and re-adds the host at clock + 1 / weight, the weight computed *now*. Envoy's least request uses it
// when host weights differ, with `weight / (active + 1)^active_request_bias` as the weight, so a busy heavy host
// is pushed back as its requests pile up. The schedule is rebuilt (clock 0, deadline 1 / weight) when the active
// set changes, as Envoy rebuilds it on a host-set refresh.
//
// Like Envoy's (a std::priority_queue of EdfEntry ordered by deadline, then order_offset), the schedule is a
// binary min-heap: O(log n) a pick. Here it holds positions in the active list, keyed by each host's edfDeadline
// and edfOrder. Hosts that cannot take this request (full at maxconn, or avoided by a retry: an lbsim extension,
// Envoy's schedule has no such hosts) are taken off the top, passed over without touching their deadline, and
// put back after the pick; a host whose weight is 0 has an infinite deadline and is never picked.
import type { TimeUs } from "../engine/time.js";
import type { BackendState } from "./backend-state.js";
import { isAvailable } from "./backend-state.js";
import type { BackendPool } from "./backend-pool.js";

export class EdfSchedule {
  private clock = 0;
  private order = 0;
  private seenActive = -1;
  /** Positions in the active list, a binary min-heap on (edfDeadline, edfOrder). */
  private heap = new Int32Array(0);
  private size = 0;
  /** Hosts passed over during one pick, put back once it is done. */
  private passed = new Int32Array(0);

  constructor(
    private readonly pool: BackendPool,
    /** The host's weight at this moment (Envoy `hostWeight`); <= 0 keeps it out of the schedule. */
    private readonly weight: (b: BackendState, nowUs: TimeUs) => number,
  ) {}

  pick(active: readonly BackendState[], nowUs: TimeUs): BackendState | null {
    if (this.seenActive !== this.pool.activeSetVersion) this.rebuild(active, nowUs);
    let passed = 0;
    let picked: BackendState | null = null;
    while (this.size > 0) {
      const top = this.heap[0]!;
      const b = active[top]!;
      if (!(b.edfDeadline < Infinity)) break; // every host left has weight 0
      this.removeTop(active);
      if (isAvailable(b)) {
        picked = b;
        this.clock = b.edfDeadline;
        this.add(b, nowUs);
        this.insert(top, active);
        break;
      }
      this.passed[passed++] = top;
    }
    for (let i = 0; i < passed; i++) this.insert(this.passed[i]!, active);
    return picked;
  }

  private rebuild(active: readonly BackendState[], nowUs: TimeUs): void {
    this.seenActive = this.pool.activeSetVersion;
    this.clock = 0;
    for (const b of active) this.add(b, nowUs);
    if (this.heap.length < active.length) {
      this.heap = new Int32Array(active.length);
      this.passed = new Int32Array(active.length);
    }
    this.size = 0;
    for (let i = 0; i < active.length; i++) this.insert(i, active);
  }

  private add(b: BackendState, nowUs: TimeUs): void {
    const w = this.weight(b, nowUs);
    b.edfDeadline = w > 0 ? this.clock + 1 / w : Infinity;
    b.edfOrder = this.order++;
  }

  private insert(position: number, active: readonly BackendState[]): void {
    const heap = this.heap;
    const b = active[position]!;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(b, active[heap[parent]!]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = position;
  }

  private removeTop(active: readonly BackendState[]): void {
    const heap = this.heap;
    const last = heap[--this.size]!;
    if (this.size === 0) return;
    const b = active[last]!;
    const n = this.size;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && earlier(active[heap[child + 1]!]!, active[heap[child]!]!)) child++;
      if (!earlier(active[heap[child]!]!, b)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
  }
}

/** Envoy's EdfEntry order: the earlier deadline, then the earlier-added (order_offset). */
function earlier(a: BackendState, b: BackendState): boolean {
  return a.edfDeadline < b.edfDeadline || (a.edfDeadline === b.edfDeadline && a.edfOrder < b.edfOrder);
}
