// Full scan for the least loaded backend: NGINX `least_conn` and `least_time`, HAProxy `leastconn`. With weights
// the cost is load / effective weight (NGINX compares conns/weight; HAProxy keys its tree on (conns+1)/weight,
// which differs only by how idle servers of unequal weight are ordered).
//
// Ties rotate: the scan starts one position later on every pick and keeps the first minimum it meets, so idle
// backends are taken in turn (HAProxy round-robins among equally loaded servers) instead of the first one
// getting every request whenever the pool is idle.
import type { TimeUs } from "../engine/time.js";
import type { BackendState } from "./backend-state.js";
import { isAvailable } from "./backend-state.js";
import type { BackendPool } from "./backend-pool.js";
import type { LoadMetric } from "./load-metric.js";
import type { Picker } from "./picker.js";

export interface LeastLoadOptions {
  /** Divide load by effective weight. Default true (with equal weights it changes nothing). */
  readonly weighted?: boolean;
}

export class LeastLoadPicker implements Picker {
  private start = 0;
  private readonly weighted: boolean;

  constructor(
    private readonly pool: BackendPool,
    private readonly metric: LoadMetric,
    options: LeastLoadOptions = {},
  ) {
    this.weighted = options.weighted ?? true;
  }

  pick(_ctx: unknown, nowUs: TimeUs): BackendState | null {
    const active = this.pool.active();
    const n = active.length;
    if (n === 0) return null;
    if (this.start >= n) this.start %= n;
    let best: BackendState | null = null;
    let bestCost = Infinity;
    let i = this.start;
    for (let step = 0; step < n; step++) {
      const b = active[i]!;
      i = i + 1 === n ? 0 : i + 1;
      if (!isAvailable(b)) continue;
      const load = this.metric.load(b, nowUs);
      const cost = this.weighted ? load / b.effectiveWeight : load;
      if (best === null || cost < bestCost) {
        best = b;
        bestCost = cost;
      }
    }
    this.start = this.start + 1 === n ? 0 : this.start + 1;
    return best;
  }
}
