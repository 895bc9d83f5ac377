// One draw of an active backend with probability proportional to its effective weight: the draw behind NGINX
// `random` (ngx_http_upstream_random_module.c picks by a weight range) and lbsim's `random`. HAProxy's
// `random(<draws>)` walks its consistent-hash tree instead, where servers own unequal arcs (haproxy-chash-ring.ts).
// Equal weights take one uniform index; unequal weights binary-search a prefix sum that is rebuilt only when the
// weights or the active set change, never per pick.
import type { RandomSource } from "../engine/ports.js";
import type { BackendState } from "./backend-state.js";
import type { BackendPool } from "./backend-pool.js";

export class WeightedDraw {
  private prefix = new Float64Array(0);
  private uniformWeights = true;
  private seenActive = -1;
  private seenWeights = -1;

  constructor(
    private readonly pool: BackendPool,
    private readonly rng: RandomSource,
  ) {}

  /** Whether every active backend has the same effective weight (valid after `refresh`). */
  get uniform(): boolean {
    return this.uniformWeights;
  }

  /** Rebuilds the prefix sums if the active set or a weight changed since the last call. */
  refresh(active: readonly BackendState[]): void {
    if (this.seenActive === this.pool.activeSetVersion && this.seenWeights === this.pool.effectiveWeightVersion) return;
    this.seenActive = this.pool.activeSetVersion;
    this.seenWeights = this.pool.effectiveWeightVersion;
    if (this.prefix.length < active.length) this.prefix = new Float64Array(active.length);
    let sum = 0;
    this.uniformWeights = true;
    for (let i = 0; i < active.length; i++) {
      const w = active[i]!.effectiveWeight;
      if (w !== active[0]!.effectiveWeight) this.uniformWeights = false;
      sum += w;
      this.prefix[i] = sum;
    }
  }

  /** An index into `active` (of length n, already refreshed), drawn by weight. */
  draw(n: number): number {
    const r = this.rng.next();
    if (this.uniformWeights) return Math.floor(r * n);
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
}
