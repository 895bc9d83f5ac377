// Ketama consistent hashing, as NGINX `hash $key consistent`: every server gets 160 points per unit of configured
// weight on a 32-bit ring; a key goes to the first point at or after its hash, wrapping around. The ring holds
// every server of the tier, down or not, and a lookup walks past points whose server cannot take the request,
// so a server going down moves only its own keys (and a server leaving the pool moves about 1/n of them).
// Point hashes are murmur3 of "<id>-<j>" rather than NGINX's crc32 chain; what matters here is the shape.
import type { BackendState } from "./backend-state.js";
import { isAvailable } from "./backend-state.js";
import type { BackendPool } from "./backend-pool.js";
import type { BoundedLoad } from "./bounded-load.js";
import { hashKeyOf } from "./hash-key.js";
import { murmur3 } from "./hash.js";
import type { Picker } from "./picker.js";
import type { RequestContext } from "./types.js";

/** NGINX: 160 points per weight unit (ngx_http_upstream_init_chash). */
export const KETAMA_POINTS_PER_WEIGHT = 160;
/** Owners are packed below the hash in one float64 for a fast numeric sort: up to 2^21 servers. */
const OWNER_BITS = 2 ** 21;

export class KetamaPicker implements Picker {
  private hashes = new Uint32Array(0);
  private owners = new Int32Array(0);
  private members: readonly BackendState[] = [];
  private seenTier = -1;
  private seenWeights = -1;

  constructor(
    private readonly pool: BackendPool,
    private readonly bounded: BoundedLoad,
  ) {}

  pick(ctx: RequestContext): BackendState | null {
    if (this.pool.active().length === 0) return null;
    this.refresh();
    const size = this.hashes.length;
    if (size === 0) return null;
    if (this.bounded.enabled) this.bounded.refresh();
    let position = this.lowerBound(murmur3(hashKeyOf(ctx)));
    let fallback: BackendState | null = null;
    for (let step = 0; step < size; step++) {
      const b = this.members[this.owners[position]!]!;
      position = position + 1 === size ? 0 : position + 1;
      if (!isAvailable(b)) continue;
      if (!this.bounded.enabled || this.bounded.fits(b)) return b;
      fallback ??= b;
    }
    // Every server with room is over the bound (only possible when maxConnections also bites): ignore the bound.
    return fallback;
  }

  /** Number of ring points, for tests. */
  get points(): number {
    this.refresh();
    return this.hashes.length;
  }

  private refresh(): void {
    const tier = this.pool.tier();
    if (this.seenTier === this.pool.tierVersion && this.seenWeights === this.pool.configuredWeightVersion) return;
    this.seenTier = this.pool.tierVersion;
    this.seenWeights = this.pool.configuredWeightVersion;
    if (tier.length >= OWNER_BITS) throw new RangeError(`ketama supports at most ${OWNER_BITS - 1} servers`);
    let count = 0;
    for (const b of tier) count += b.weight * KETAMA_POINTS_PER_WEIGHT;
    const packed = new Float64Array(count);
    let k = 0;
    for (let owner = 0; owner < tier.length; owner++) {
      const b = tier[owner]!;
      const points = b.weight * KETAMA_POINTS_PER_WEIGHT;
      for (let j = 0; j < points; j++) packed[k++] = murmur3(`${b.id}-${j}`) * OWNER_BITS + owner;
    }
    packed.sort();
    this.hashes = new Uint32Array(count);
    this.owners = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const value = packed[i]!;
      const hash = Math.floor(value / OWNER_BITS);
      this.hashes[i] = hash;
      this.owners[i] = value - hash * OWNER_BITS;
    }
    this.members = tier;
  }

  /** Index of the first point with hash >= h, or 0 past the end (the ring wraps). */
  private lowerBound(h: number): number {
    const hashes = this.hashes;
    let lo = 0;
    let hi = hashes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (hashes[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    return lo === hashes.length ? 0 : lo;
  }
}
