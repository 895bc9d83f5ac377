// NGINX `ip_hash` (ngx_http_upstream_ip_hash_module.c), reproduced step for step:
//   hash = 89; for each address byte: hash = (hash * 113 + byte) % 6271; w = hash % total_weight;
// the server owning w gets the request; if it is down or full the loop runs again from the current hash (a
// rehash), and after 20 tries NGINX falls back to round robin. The walk covers every server of the tier, down or
// not, so when one server fails only its clients move. `wholeAddress` hashes all four IPv4 octets instead of
// three (not an NGINX option: what `hash $remote_addr` would do, for comparing NAT effects).
import type { BackendState } from "./backend-state.js";
import { isAvailable } from "./backend-state.js";
import type { BackendPool } from "./backend-pool.js";
import { addressBytes } from "./ip-address.js";
import type { Picker } from "./picker.js";
import { RoundRobinPicker } from "./round-robin.js";
import { TierWeights } from "./tier-weights.js";
import type { RequestContext } from "./types.js";

export interface IpHashOptions {
  /** Hash the whole IPv4 address instead of NGINX's first three octets. Default false. */
  readonly wholeAddress?: boolean;
}

/** NGINX gives up rehashing after 20 tries. */
const MAX_TRIES = 20;

export class IpHashPicker implements Picker {
  private readonly weights: TierWeights;
  private readonly fallback: RoundRobinPicker;
  private readonly wholeAddress: boolean;
  private readonly bytes = new Uint8Array(4);

  constructor(private readonly pool: BackendPool, options: IpHashOptions = {}) {
    this.weights = new TierWeights(pool);
    this.fallback = new RoundRobinPicker(pool);
    this.wholeAddress = options.wholeAddress ?? false;
  }

  pick(ctx: RequestContext): BackendState | null {
    if (this.pool.active().length === 0) return null;
    const total = this.weights.refresh();
    if (total > 0) {
      const length = addressBytes(ctx.clientAddress ?? "", this.wholeAddress, this.bytes);
      let hash = 89;
      for (let tries = 0; tries < MAX_TRIES; tries++) {
        for (let i = 0; i < length; i++) hash = (hash * 113 + this.bytes[i]!) % 6271;
        const b = this.weights.owner(hash % total);
        if (isAvailable(b)) return b;
      }
    }
    return this.fallback.pick();
  }
}
