// HAProxy `balance leastconn`'s order among servers: its ebtree keyed on load, where equal keys are walked in the
// order they were inserted (HAProxy 2.6 src/lb_fwlc.c; include/import/ebtree.h: duplicates "will be walked in the
// exact same order they were inserted", `eb_next` "returns duplicates in the order they were inserted").
//
// - Key (`fwlc_queue_srv`, `fwlc_srv_reposition`): inflight = served + queue length; key = 0 when idle, else
//   (inflight + 1) x SRV_EWGHT_MAX / eweight in integer arithmetic. Idle servers all share key 0, so whatever their
//   weights, the one idle longest goes first.
// - Re-insertion: on every connection taken or released (`server_take_conn` / `server_drop_conn` are
//   `fwlc_srv_reposition`), but only when the key changed ("some calls will be made for no change": it returns
//   early, keeping the server's place); a new insertion goes after every server already at that key. A server
//   coming up is inserted (`fwlc_set_server_status_up`), one going down removed (`fwlc_set_server_status_down`),
//   and a weight change while up dequeues and queues it again even at the same key (`fwlc_update_server_weight`).
// - Pick (`fwlc_get_next_server`): the first server in tree order that is not full (maxconn) and is not the server
//   to avoid; the avoided one only if nothing else can take it (LoadBalancer.pickAvoiding does that fallback).
//
// The tree itself is not built: each backend carries its key and an insertion sequence number, and a pick scans for
// the smallest (key, sequence), which is the tree's first entry. Pools are small; a scan is what the other pickers do.
//
// Not modelled: HAProxy repositions on connection events only, so a queue that grows while nothing starts or ends
// leaves the key stale until the next one; here `setQueued` repositions at once. A server's own queue under
// `maxqueue` (HAProxy may pick a full server while its queue has room) is not modelled: full servers are skipped.
import type { TimeUs } from "../engine/time.js";
import type { BackendState } from "./backend-state.js";
import { nodeCount } from "./haproxy-chash-ring.js";
import type { LoadMetric } from "./load-metric.js";

/** HAProxy SRV_EWGHT_MAX = SRV_UWGHT_MAX (256) x BE_WEIGHT_SCALE (16): the largest effective weight. */
export const SRV_EWGHT_MAX = 256 * 16;

/** `fwlc_queue_srv`: 0 when idle, else (inflight + 1) x SRV_EWGHT_MAX / eweight, truncated as C's unsigned division. */
export function fwlcKey(inflight: number, eweight: number): number {
  return inflight === 0 ? 0 : Math.floor(((inflight + 1) * SRV_EWGHT_MAX) / eweight);
}

export class FwlcOrder {
  /** The next insertion's sequence number: later insertions sort after earlier ones at the same key. */
  private next = 0;

  constructor(
    private readonly metric: LoadMetric,
    /** Unweighted: every server counts as weight 1 (eweight 16). */
    private readonly weighted: boolean,
  ) {}

  /** The server's eweight: its effective weight x BE_WEIGHT_SCALE, at least 1 (HAProxy never queues weight 0). */
  eweight(b: BackendState): number {
    return this.weighted ? nodeCount(b.effectiveWeight) : nodeCount(1);
  }

  key(b: BackendState, nowUs: TimeUs): number {
    return fwlcKey(this.metric.load(b, nowUs), this.eweight(b));
  }

  /** Whether `a` comes before `b` in the tree. */
  before(a: BackendState, b: BackendState): boolean {
    return a.fwlcKey < b.fwlcKey || (a.fwlcKey === b.fwlcKey && a.fwlcSeq < b.fwlcSeq);
  }

  /** A connection taken or released (`fwlc_srv_reposition`): moves the server only if its key changed. */
  reposition(b: BackendState, nowUs: TimeUs): void {
    if (b.fwlcSeq < 0) return; // not in the tree (down): `if (s->lb_tree)`
    const key = this.key(b, nowUs);
    if (key !== b.fwlcKey) this.insert(b, key);
  }

  /**
   * Health, membership or weight changed (`fwlc_set_server_status_up/down`, `fwlc_update_server_weight`): in the
   * tree while up; a server coming up, or up with a new eweight, is inserted after its equals.
   */
  update(b: BackendState, nowUs: TimeUs): void {
    if (!b.up) {
      b.fwlcSeq = -1;
      return;
    }
    const eweight = this.eweight(b);
    if (b.fwlcSeq < 0 || eweight !== b.fwlcEweight) this.insert(b, this.key(b, nowUs));
    else this.reposition(b, nowUs);
  }

  private insert(b: BackendState, key: number): void {
    b.fwlcKey = key;
    b.fwlcEweight = this.eweight(b);
    b.fwlcSeq = this.next++;
  }
}
