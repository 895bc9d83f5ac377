// NGINX's hash and ip_hash modules map a hash to a server by walking the configured weights of every server in
// the upstream, down or not: `w = hash % total_weight`, then subtract weights until w falls inside one. Keeping
// down servers in the walk is what makes their clients rehash while everyone else stays put. This helper holds
// the prefix sums of the current tier's configured weights and finds the owner by binary search.
import type { BackendState } from "./backend-state.js";
import type { BackendPool } from "./backend-pool.js";

export class TierWeights {
  private members: readonly BackendState[] = [];
  private prefix = new Float64Array(0);
  private seenTier = -1;
  private seenWeights = -1;
  total = 0;

  constructor(private readonly pool: BackendPool) {}

  /** Refreshes from the pool if membership or configured weights changed; returns the total weight. */
  refresh(): number {
    const tier = this.pool.tier();
    if (this.seenTier === this.pool.tierVersion && this.seenWeights === this.pool.configuredWeightVersion) return this.total;
    this.seenTier = this.pool.tierVersion;
    this.seenWeights = this.pool.configuredWeightVersion;
    this.members = tier;
    if (this.prefix.length < tier.length) this.prefix = new Float64Array(tier.length);
    let sum = 0;
    for (let i = 0; i < tier.length; i++) {
      sum += tier[i]!.weight;
      this.prefix[i] = sum;
    }
    this.total = sum;
    return sum;
  }

  /** The member owning weight position w, 0 <= w < total. */
  owner(w: number): BackendState {
    const prefix = this.prefix;
    let lo = 0;
    let hi = this.members.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (prefix[mid]! > w) hi = mid;
      else lo = mid + 1;
    }
    return this.members[lo]!;
  }
}
