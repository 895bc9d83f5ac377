// Round robin over the active backends, skipping full ones (HAProxy `roundrobin` without weights, NGINX
// default with equal weights).
//
// The founding article's Java balancer computes `Math.abs(counter.getAndIncrement() % size)`: an int counter goes
// negative after 2^31 picks (hence the abs), and a JavaScript number counter stops counting at 2^53 (x + 1 === x),
// which would pin every request to one backend. We never keep an unbounded counter: the cursor is reduced modulo
// the pool size on every step, so it stays below the pool size forever.
import type { BackendState } from "./backend-state.js";
import { isAvailable } from "./backend-state.js";
import type { BackendPool } from "./backend-pool.js";
import type { Picker } from "./picker.js";

export interface RoundRobinOptions {
  /**
   * The pick count to start from, as if this many picks had already happened (tests start near 2^31 and 2^53).
   * A non-negative safe integer; default 0.
   */
  readonly initialCounter?: number;
}

export class RoundRobinPicker implements Picker {
  private cursor: number;
  private readonly initialCounter: number;
  /** The initial counter is reduced modulo the pool size on the first pick, when the size is known. */
  private initialized = false;

  constructor(private readonly pool: BackendPool, options: RoundRobinOptions = {}) {
    const initial = options.initialCounter ?? 0;
    if (!(Number.isSafeInteger(initial) && initial >= 0)) throw new RangeError(`initialCounter must be a safe integer >= 0, got ${initial}`);
    this.initialCounter = initial;
    this.cursor = 0;
  }

  pick(): BackendState | null {
    const active = this.pool.active();
    const n = active.length;
    if (n === 0) return null;
    if (!this.initialized) {
      this.cursor = this.initialCounter % n;
      this.initialized = true;
    } else if (this.cursor >= n) {
      this.cursor %= n;
    }
    for (let tries = 0; tries < n; tries++) {
      const b = active[this.cursor]!;
      this.cursor = this.cursor + 1 === n ? 0 : this.cursor + 1;
      if (isAvailable(b)) return b;
    }
    return null;
  }
}
