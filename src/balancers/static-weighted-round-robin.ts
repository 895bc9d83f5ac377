// Static weighted round robin, as in the founding article's Java balancer: expand each backend into `weight`
// slots, shuffle the slots once (so a fresh balancer does not send its first burst to one server), then walk them
// in order. Differences from the article, on purpose:
//  - the shuffle draws from the injected rng (Fisher-Yates), so a run is reproducible;
//  - weights are divided by their greatest common divisor first (LVS does the same), so 100,200 costs 3 slots;
//  - the pool is rebuilt when a weight, a slow-start factor or the active set changes, which is the article's
//    `updateWeight` (called when GC pressure should lower a server's share), without a lock or a copy per write;
//  - the cursor stays below the pool length, so there is no counter to overflow (see round-robin.ts).
// Effective weights with a slow-start factor are rounded to whole slots, at least one while the weight is above 0.
import type { RandomSource } from "../engine/ports.js";
import type { BackendState } from "./backend-state.js";
import { isAvailable } from "./backend-state.js";
import type { BackendPool } from "./backend-pool.js";
import type { Picker } from "./picker.js";

export class StaticWeightedRoundRobinPicker implements Picker {
  private slots: BackendState[] = [];
  private cursor = 0;
  private seenActive = -1;
  private seenWeights = -1;

  constructor(
    private readonly pool: BackendPool,
    private readonly rng: RandomSource,
  ) {}

  pick(): BackendState | null {
    const slots = this.currentSlots();
    const n = slots.length;
    for (let tries = 0; tries < n; tries++) {
      const b = slots[this.cursor]!;
      this.cursor = this.cursor + 1 === n ? 0 : this.cursor + 1;
      if (isAvailable(b)) return b;
    }
    return null;
  }

  /** The current slot order, for tests and reports. */
  slotIds(): string[] {
    return this.currentSlots().map((b) => b.id);
  }

  private currentSlots(): BackendState[] {
    const active = this.pool.active();
    if (this.seenActive !== this.pool.activeSetVersion || this.seenWeights !== this.pool.effectiveWeightVersion) {
      this.rebuild(active);
    }
    return this.slots;
  }

  private rebuild(active: readonly BackendState[]): void {
    this.seenActive = this.pool.activeSetVersion;
    this.seenWeights = this.pool.effectiveWeightVersion;
    const counts = active.map((b) => Math.max(1, Math.round(b.effectiveWeight)));
    let divisor = 0;
    for (const c of counts) divisor = gcd(divisor, c);
    const slots: BackendState[] = [];
    for (let i = 0; i < active.length; i++) {
      for (let k = 0; k < counts[i]! / divisor; k++) slots.push(active[i]!);
    }
    for (let i = slots.length - 1; i > 0; i--) {
      const j = Math.floor(this.rng.next() * (i + 1));
      const t = slots[i]!;
      slots[i] = slots[j]!;
      slots[j] = t;
    }
    this.slots = slots;
    this.cursor = slots.length === 0 ? 0 : this.cursor % slots.length;
  }
}

function gcd(a: number, b: number): number {
  while (b !== 0) {
    const r = a % b;
    a = b;
    b = r;
  }
  return a;
}
