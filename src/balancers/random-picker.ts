// Random choice weighted by effective weight (NGINX `random` without `two`, HAProxy `random(1)`). Equal weights
// take one draw and an index; unequal weights binary-search a prefix sum rebuilt only when weights or the active
// set change. A full backend is redrawn a few times, then the scan moves on from it in order, so a pick never
// loops unboundedly and still returns any backend that has room.
import type { RandomSource } from "../engine/ports.js";
import type { BackendState } from "./backend-state.js";
import { isAvailable } from "./backend-state.js";
import type { BackendPool } from "./backend-pool.js";
import type { Picker } from "./picker.js";

const REDRAWS = 4;

export class RandomPicker implements Picker {
  private prefix = new Float64Array(0);
  private uniform = true;
  private seenActive = -1;
  private seenWeights = -1;

  constructor(
    private readonly pool: BackendPool,
    private readonly rng: RandomSource,
  ) {}

  pick(): BackendState | null {
    const active = this.pool.active();
    const n = active.length;
    if (n === 0) return null;
    if (this.seenActive !== this.pool.activeSetVersion || this.seenWeights !== this.pool.effectiveWeightVersion) {
      this.rebuild(active);
    }
    let index = 0;
    for (let draw = 0; draw < REDRAWS; draw++) {
      index = this.draw(n);
      if (isAvailable(active[index]!)) return active[index]!;
    }
    for (let step = 1; step < n; step++) {
      const b = active[(index + step) % n]!;
      if (isAvailable(b)) return b;
    }
    return null;
  }

  private draw(n: number): number {
    const r = this.rng.next();
    if (this.uniform) return Math.floor(r * n);
    const prefix = this.prefix;
    const target = r * prefix[n - 1]!;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (prefix[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private rebuild(active: readonly BackendState[]): void {
    this.seenActive = this.pool.activeSetVersion;
    this.seenWeights = this.pool.effectiveWeightVersion;
    if (this.prefix.length < active.length) this.prefix = new Float64Array(active.length);
    let sum = 0;
    this.uniform = true;
    for (let i = 0; i < active.length; i++) {
      const w = active[i]!.effectiveWeight;
      if (w !== active[0]!.effectiveWeight) this.uniform = false;
      sum += w;
      this.prefix[i] = sum;
    }
  }
}
