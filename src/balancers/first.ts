// HAProxy `balance first`: the first server in id order with a free connection slot takes the request, so
// traffic fills servers one at a time up to their `maxconn` and the rest can be powered down. A server without
// maxConnections is never full and takes everything from there on, as in HAProxy (which warns about it).
import type { BackendState } from "./backend-state.js";
import { isAvailable } from "./backend-state.js";
import type { BackendPool } from "./backend-pool.js";
import type { Picker } from "./picker.js";

export class FirstPicker implements Picker {
  constructor(private readonly pool: BackendPool) {}

  pick(): BackendState | null {
    const active = this.pool.active();
    for (let i = 0; i < active.length; i++) {
      const b = active[i]!;
      if (isAvailable(b)) return b;
    }
    return null;
  }
}
