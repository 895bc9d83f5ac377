// Consistent hashing with bounded loads (Mirrokni, Thorup, Zadimoghaddam 2016; HAProxy `hash-balance-factor`,
// Envoy `hash_balance_factor`): a backend may hold at most ceil(factor x average load) requests, the average
// counting the request being placed, scaled by its share of the effective weight. A key whose backend is at the
// bound walks on along the ring to the next backend with room. With factor c > 1 the bounds sum to more than the
// load, so some backend always has room.
import type { BackendState } from "./backend-state.js";
import type { BackendPool } from "./backend-pool.js";

export class BoundedLoad {
  private totalWeight = 0;
  private seenActive = -1;
  private seenWeights = -1;

  /** factor 0 turns the bound off. */
  constructor(
    private readonly pool: BackendPool,
    readonly factor: number,
  ) {
    if (!(factor === 0 || factor >= 1)) throw new RangeError(`balanceFactor must be 0 (off) or >= 1, got ${factor}`);
  }

  get enabled(): boolean {
    return this.factor > 0;
  }

  /** Call once per pick, after pool.active(), before fits(). */
  refresh(): void {
    if (this.seenActive === this.pool.activeSetVersion && this.seenWeights === this.pool.effectiveWeightVersion) return;
    this.seenActive = this.pool.activeSetVersion;
    this.seenWeights = this.pool.effectiveWeightVersion;
    let sum = 0;
    for (const b of this.pool.active()) sum += b.effectiveWeight;
    this.totalWeight = sum;
  }

  /** The most requests b may hold after taking this one. */
  capacity(b: BackendState): number {
    return Math.ceil((this.factor * (this.pool.activeInFlight + 1) * b.effectiveWeight) / this.totalWeight);
  }

  /** True if b may take one more request under the bound. */
  fits(b: BackendState): boolean {
    return b.inFlight + 1 <= this.capacity(b);
  }
}
