// NGINX's smooth weighted round robin (src/http/ngx_http_upstream_round_robin.c, `ngx_http_upstream_get_peer` and
// `ngx_http_upstream_free_round_robin_peer`): every pick, each candidate's current weight grows by its
// `effective_weight`; the largest wins (the first on ties) and gives back the total. Weights 5,1,1 give
// a a b a c a a: the heavy server is spread out instead of getting five in a row, which is what makes it "smooth".
// Full backends sit the round out, as NGINX skips peers at max_conns.
//
// `effective_weight` starts at the configured weight. A failed try (NGINX `NGX_PEER_FAILED`: a failure of a kind
// `proxy_next_upstream` lists) lowers it by weight / max_fails (integer division, floored at 0), and every pick
// that considers the peer raises it by one until it is back at the weight: a failing server's share drops at once
// and creeps back. NGINX does neither with a single server (`peers->single`). lbsim multiplies it by the
// slow-start factor the health library supplies.
import type { BackendState } from "./backend-state.js";
import { isAvailable } from "./backend-state.js";
import type { BackendPool } from "./backend-pool.js";
import type { Picker } from "./picker.js";
import type { RequestOutcome } from "./types.js";

export interface SmoothWeightedRoundRobinOptions {
  /** NGINX `max_fails`: default 1; 0 leaves effective weights alone on failure. */
  readonly maxFails?: number;
}

export class SmoothWeightedRoundRobinPicker implements Picker {
  private readonly maxFails: number;

  constructor(
    private readonly pool: BackendPool,
    options: SmoothWeightedRoundRobinOptions = {},
  ) {
    this.maxFails = options.maxFails ?? 1;
    if (!(Number.isInteger(this.maxFails) && this.maxFails >= 0)) throw new RangeError(`maxFails must be an integer >= 0, got ${this.maxFails}`);
  }

  pick(): BackendState | null {
    const active = this.pool.active();
    let best: BackendState | null = null;
    let total = 0;
    for (let i = 0; i < active.length; i++) {
      const b = active[i]!;
      if (!isAvailable(b)) continue;
      const ew = effectiveWeightOf(b);
      const w = ew * b.weightFactor;
      b.currentWeight += w;
      total += w;
      if (ew < b.weight) b.nginxEffectiveWeight = ew + 1;
      if (best === null || b.currentWeight > best.currentWeight) best = b;
    }
    if (best !== null) best.currentWeight -= total;
    return best;
  }

  onEnd(b: BackendState, outcome: RequestOutcome): void {
    lowerEffectiveWeightOnFailure(b, outcome, this.maxFails, this.pool.size);
  }
}

/**
 * `ngx_http_upstream_free_round_robin_peer` with NGX_PEER_FAILED: effective_weight -= weight / max_fails (not with
 * a single server, nor with max_fails 0). NGINX's least_conn frees its peers through the same function.
 */
export function lowerEffectiveWeightOnFailure(b: BackendState, outcome: RequestOutcome, maxFails: number, poolSize: number): void {
  if (maxFails === 0 || poolSize === 1) return;
  if (!(outcome.peerFailed ?? !outcome.success)) return;
  b.nginxEffectiveWeight = Math.max(0, effectiveWeightOf(b) - Math.floor(b.weight / maxFails));
}

/** The peer's effective_weight, starting at (and never above) its configured weight. */
export function effectiveWeightOf(b: BackendState): number {
  const ew = b.nginxEffectiveWeight;
  return ew < 0 || ew > b.weight ? b.weight : ew;
}
