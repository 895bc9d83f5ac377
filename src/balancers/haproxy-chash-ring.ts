// HAProxy's consistent-hash tree as `balance random(<draws>)` walks it (HAProxy 2.6): every draw is a uniform
// 32-bit key looked up in the tree, and the server whose node is nearest to the key wins (src/backend.c
// `get_server_rnd` -> src/lb_chash.c `chash_get_server_hash`). The tree holds `eweight` nodes per usable server
// (`chash_queue_dequeue_srv`; weight 1 is BE_WEIGHT_SCALE = 16 nodes), node i of the server with id `puid` at key
// `full_hash(puid * SRV_EWGHT_RANGE + i)` (`chash_init_server_tree`; SRV_EWGHT_RANGE = 256 x 16), `full_hash` being
// Bob Jenkins' avalanche hash times 3221225473 (include/haproxy/tools.h). With a few servers their arcs are far from
// equal: three servers of weight 1 (puid 1, 2, 3) own 35.1%, 29.5% and 35.4% of the ring, which is why HAProxy's
// random(2) shares of identical servers differ (docs/conformance.md).
//
// `puid` is HAProxy's server id: its position in the backend's configuration, 1-based, kept when others leave; a
// server added later gets the next one. `hash-balance-factor` (bounded loads) defaults to 0 for `random` and is not
// modelled.
import type { BackendState } from "./backend-state.js";

/** HAProxy BE_WEIGHT_SCALE: tree nodes per unit of user weight. */
export const BE_WEIGHT_SCALE = 16;
/** HAProxy SRV_EWGHT_RANGE = SRV_UWGHT_RANGE (256) x BE_WEIGHT_SCALE: the key space of one server's nodes. */
export const SRV_EWGHT_RANGE = 256 * BE_WEIGHT_SCALE;
const TWO_32 = 4_294_967_296;

/** HAProxy `full_hash` (include/haproxy/tools.h `__full_hash`), 32-bit unsigned arithmetic. */
export function fullHash(input: number): number {
  let a = input >>> 0;
  a = ((a + 0x7ed55d16) + (a << 12)) >>> 0;
  a = ((a ^ 0xc761c23c) ^ (a >>> 19)) >>> 0;
  a = ((a + 0x165667b1) + (a << 5)) >>> 0;
  a = ((a + 0xd3a2646c) ^ (a << 9)) >>> 0;
  a = ((a + 0xfd7046c5) + (a << 3)) >>> 0;
  a = ((a ^ 0xb55a4f09) ^ (a >>> 16)) >>> 0;
  return Math.imul(a, 3221225473) >>> 0;
}

/** How many tree nodes a server holds: its effective weight in HAProxy's eweight units, at least one. */
export function nodeCount(effectiveWeight: number): number {
  return Math.max(1, Math.round(effectiveWeight * BE_WEIGHT_SCALE));
}

export class HaproxyChashRing {
  private keys = new Float64Array(0);
  private owners: BackendState[] = [];
  private readonly puids = new Map<string, number>();
  private nextPuid = 1;

  /** The server id of `b`: assigned in first-seen order (the configuration's order), never reused. */
  puid(b: BackendState): number {
    let id = this.puids.get(b.id);
    if (id === undefined) {
      id = this.nextPuid++;
      this.puids.set(b.id, id);
    }
    return id;
  }

  /** Rebuilds the tree from the servers in it (the active tier) and every member's puid, in member order. */
  rebuild(members: readonly BackendState[], active: readonly BackendState[]): void {
    for (const b of members) this.puid(b);
    const nodes: Array<{ key: number; owner: BackendState }> = [];
    for (const b of active) {
      const base = this.puid(b) * SRV_EWGHT_RANGE;
      const n = nodeCount(b.effectiveWeight);
      for (let i = 0; i < n; i++) nodes.push({ key: fullHash(base + i), owner: b });
    }
    // eb32 trees keep duplicate keys in insertion order; a stable sort does the same.
    nodes.sort((x, y) => x.key - y.key);
    this.keys = Float64Array.from(nodes, (n) => n.key);
    this.owners = nodes.map((n) => n.owner);
  }

  get size(): number {
    return this.owners.length;
  }

  /**
   * The server for `hash` (0 <= hash < 2^32): the nearest node, the one before on a tie (`dp <= dn`); walking on
   * to the next nodes while the server is one to avoid (`avoid`, a retry's previous server). null if none.
   */
  lookup(hash: number, avoid: (b: BackendState) => boolean): BackendState | null {
    const n = this.owners.length;
    if (n === 0) return null;
    const keys = this.keys;
    // eb32_lookup_ge: the first node with key >= hash, wrapping to the first.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! >= hash) hi = mid;
      else lo = mid + 1;
    }
    const next = lo === n ? 0 : lo;
    const prev = next === 0 ? n - 1 : next - 1;
    // Unsigned 32-bit distances, as the C code's wrap-around subtraction.
    const dp = (hash - keys[prev]! + TWO_32) % TWO_32;
    const dn = (keys[next]! - hash + TWO_32) % TWO_32;
    let at = dp <= dn ? prev : next;
    for (let steps = 0; steps < n; steps++) {
      const owner = this.owners[at]!;
      if (!avoid(owner)) return owner;
      at = at + 1 === n ? 0 : at + 1;
    }
    return null;
  }
}
