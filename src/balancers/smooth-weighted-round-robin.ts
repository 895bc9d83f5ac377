// NGINX's smooth weighted round robin (ngx_http_upstream_get_peer in ngx_http_upstream_round_robin.c): every
// pick, each candidate's current weight grows by its effective weight; the largest wins (the first on ties) and
// gives back the total. Weights 5,1,1 give a a b a c a a: the heavy server is spread out instead of getting five
// in a row, which is what makes it "smooth". Effective weight includes the slow-start factor. Full backends sit
// the round out, as NGINX skips peers at max_conns.
import type { BackendState } from "./backend-state.js";
import { isAvailable } from "./backend-state.js";
import type { BackendPool } from "./backend-pool.js";
import type { Picker } from "./picker.js";

export class SmoothWeightedRoundRobinPicker implements Picker {
  constructor(private readonly pool: BackendPool) {}

  pick(): BackendState | null {
    const active = this.pool.active();
    let best: BackendState | null = null;
    let total = 0;
    for (let i = 0; i < active.length; i++) {
      const b = active[i]!;
      if (!isAvailable(b)) continue;
      b.currentWeight += b.effectiveWeight;
      total += b.effectiveWeight;
      if (best === null || b.currentWeight > best.currentWeight) best = b;
    }
    if (best !== null) best.currentWeight -= total;
    return best;
  }
}
