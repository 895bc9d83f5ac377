// Maglev hashing (Eisenbud et al., NSDI 2016; Envoy `MAGLEV`, table size 65537): each backend has a preference
// permutation of the table slots, offset = h1(id) mod M and skip = h2(id) mod (M - 1) + 1, and backends take
// turns claiming their next free preferred slot until the table is full. A key looks up slot hash(key) mod M.
// Weights follow Envoy: on each turn a backend claims a slot only when its accumulated weight credit allows, so
// slot counts are proportional to weight. As in Envoy the table holds only up backends and is rebuilt when the
// set changes; Maglev's permutations keep that rebuild's disruption small. A full backend (maxConnections or the
// bounded-load bound) sends the key on to the next slots.
import type { BackendState } from "./backend-state.js";
import { isAvailable } from "./backend-state.js";
import type { BackendPool } from "./backend-pool.js";
import type { BoundedLoad } from "./bounded-load.js";
import { hashKeyOf } from "./hash-key.js";
import { murmur3 } from "./hash.js";
import type { Picker } from "./picker.js";
import type { RequestContext } from "./types.js";

/** Envoy's default table size, a prime. */
export const MAGLEV_TABLE_SIZE = 65537;
/**
 * Envoy's bound (`MaglevLbConfig.table_size`: "must be prime number limited to 5000011", cluster.proto). The table
 * is rebuilt whenever the set of up backends changes, in time proportional to its size.
 */
export const MAGLEV_MAX_TABLE_SIZE = 5_000_011;

export interface MaglevOptions {
  /** A prime larger than the number of backends. Default 65537. */
  readonly tableSize?: number;
}

export class MaglevPicker implements Picker {
  private readonly size: number;
  private table: Int32Array;
  private members: readonly BackendState[] = [];
  private seenActive = -1;
  private seenWeights = -1;

  constructor(
    private readonly pool: BackendPool,
    private readonly bounded: BoundedLoad,
    options: MaglevOptions = {},
  ) {
    this.size = options.tableSize ?? MAGLEV_TABLE_SIZE;
    if (!isPrime(this.size) || this.size > MAGLEV_MAX_TABLE_SIZE) throw new RangeError(`maglev tableSize must be a prime of at most ${MAGLEV_MAX_TABLE_SIZE}, got ${this.size}`);
    this.table = new Int32Array(this.size);
  }

  pick(ctx: RequestContext): BackendState | null {
    const active = this.pool.active();
    if (active.length === 0) return null;
    this.refresh(active);
    if (this.members.length === 0) return null;
    if (this.bounded.enabled) this.bounded.refresh();
    let slot = murmur3(hashKeyOf(ctx)) % this.size;
    let fallback: BackendState | null = null;
    for (let step = 0; step < this.size; step++) {
      const b = this.members[this.table[slot]!]!;
      slot = slot + 1 === this.size ? 0 : slot + 1;
      if (!isAvailable(b)) continue;
      if (!this.bounded.enabled || this.bounded.fits(b)) return b;
      fallback ??= b;
    }
    return fallback;
  }

  /** Slots owned by each active backend, in active order, for tests. */
  slotCounts(): number[] {
    const active = this.pool.active();
    this.refresh(active);
    const counts = this.members.map(() => 0);
    if (this.members.length === 0) return counts;
    for (let i = 0; i < this.size; i++) counts[this.table[i]!]!++;
    return counts;
  }

  private refresh(active: readonly BackendState[]): void {
    if (this.seenActive === this.pool.activeSetVersion && this.seenWeights === this.pool.configuredWeightVersion) return;
    this.seenActive = this.pool.activeSetVersion;
    this.seenWeights = this.pool.configuredWeightVersion;
    // Configured weights, as Envoy uses host weights; weight 0 servers are not up, so never in `active`.
    const members = active.filter((b) => b.weight > 0);
    if (members.length >= this.size) throw new RangeError(`maglev tableSize ${this.size} must exceed the ${members.length} backends`);
    this.members = members;
    if (members.length === 0) return;
    const n = members.length;
    const offset = new Float64Array(n);
    const skip = new Float64Array(n);
    const next = new Float64Array(n);
    const credit = new Float64Array(n);
    let maxWeight = 0;
    for (let i = 0; i < n; i++) {
      const id = members[i]!.id;
      offset[i] = murmur3(id, 0x9e3779b9) % this.size;
      skip[i] = (murmur3(id, 0x85ebca6b) % (this.size - 1)) + 1;
      maxWeight = Math.max(maxWeight, members[i]!.weight);
    }
    const table = this.table.fill(-1);
    let filled = 0;
    while (filled < this.size) {
      for (let i = 0; i < n && filled < this.size; i++) {
        credit[i]! += members[i]!.weight;
        if (credit[i]! < maxWeight) continue;
        credit[i]! -= maxWeight;
        let slot = (offset[i]! + next[i]! * skip[i]!) % this.size;
        while (table[slot] !== -1) {
          next[i]!++;
          slot = (offset[i]! + next[i]! * skip[i]!) % this.size;
        }
        table[slot] = i;
        next[i]!++;
        filled++;
      }
    }
  }
}

/** Trial division: at most about 1,100 divisions for a table of MAGLEV_MAX_TABLE_SIZE. */
export function isPrime(n: number): boolean {
  if (!Number.isInteger(n) || n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}
