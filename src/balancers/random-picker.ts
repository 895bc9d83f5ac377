// Random choice weighted by effective weight (NGINX `random` without `two`; HAProxy's `random(1)` differs: it
// draws on its consistent-hash tree, haproxy-chash-ring.ts), one
// `WeightedDraw`. A full backend is redrawn a few times, then the scan moves on from it in order, so a pick never
// loops unboundedly and still returns any backend that has room.
import type { RandomSource } from "../engine/ports.js";
import type { BackendState } from "./backend-state.js";
import { isAvailable } from "./backend-state.js";
import type { BackendPool } from "./backend-pool.js";
import type { Picker } from "./picker.js";
import { WeightedDraw } from "./weighted-draw.js";

const REDRAWS = 4;

export class RandomPicker implements Picker {
  private readonly weighted: WeightedDraw;

  constructor(
    private readonly pool: BackendPool,
    rng: RandomSource,
  ) {
    this.weighted = new WeightedDraw(pool, rng);
  }

  pick(): BackendState | null {
    const active = this.pool.active();
    const n = active.length;
    if (n === 0) return null;
    this.weighted.refresh(active);
    let index = 0;
    for (let draw = 0; draw < REDRAWS; draw++) {
      index = this.weighted.draw(n);
      if (isAvailable(active[index]!)) return active[index]!;
    }
    for (let step = 1; step < n; step++) {
      const b = active[(index + step) % n]!;
      if (isAvailable(b)) return b;
    }
    return null;
  }
}
