// NGINX `hash $key` without `consistent`: murmur3(key) modulo the total configured weight, walked over every
// server of the tier; a down or full owner triggers a rehash (NGINX rehashes with the try count mixed in) for up
// to 20 tries, then round robin. This is the baseline consistent hashing is measured against: when one of n
// equal servers leaves, about (n-1)/n of all keys move.
import type { BackendState } from "./backend-state.js";
import { isAvailable } from "./backend-state.js";
import type { BackendPool } from "./backend-pool.js";
import { hashKeyOf } from "./hash-key.js";
import { murmur3 } from "./hash.js";
import type { Picker } from "./picker.js";
import { RoundRobinPicker } from "./round-robin.js";
import { TierWeights } from "./tier-weights.js";
import type { RequestContext } from "./types.js";

const MAX_TRIES = 20;

export class ModuloHashPicker implements Picker {
  private readonly weights: TierWeights;
  private readonly fallback: RoundRobinPicker;

  constructor(private readonly pool: BackendPool) {
    this.weights = new TierWeights(pool);
    this.fallback = new RoundRobinPicker(pool);
  }

  pick(ctx: RequestContext): BackendState | null {
    if (this.pool.active().length === 0) return null;
    const total = this.weights.refresh();
    if (total > 0) {
      const key = hashKeyOf(ctx);
      for (let tries = 0; tries < MAX_TRIES; tries++) {
        const b = this.weights.owner(murmur3(key, tries) % total);
        if (isAvailable(b)) return b;
      }
    }
    return this.fallback.pick();
  }
}
