// Load = requests in flight (NGINX `least_conn`, Finagle `LeastLoaded`), optionally plus requests waiting in the
// server's own queue, as HAProxy `leastconn` counts them. Behind an L4 host "in flight" is open connections, idle
// keepalive ones included, and closed ones still in the host's table count 1/256 each: IPVS `lc`/`wlc` score
// `(activeconns << 8) + inactconns` (include/net/ip_vs.h `ip_vs_dest_conn_overhead`); dividing by 256 keeps the
// same order and leaves every L7 load (no inactive connections) as it was.
import type { BackendState } from "./backend-state.js";
import type { LoadMetric } from "./load-metric.js";

export interface LeastLoadedOptions {
  /** Count queued requests as load too (HAProxy). Default false (NGINX counts active connections only). */
  readonly countQueued?: boolean;
  /** Count a host's closed connections at 1/256 (IPVS least connections). Default false. */
  readonly countInactive?: boolean;
}

/** IPVS weighs an active connection as 256 inactive ones (`activeconns << 8`). */
export const IPVS_ACTIVE_PER_INACTIVE = 256;

export class LeastLoadedMetric implements LoadMetric {
  readonly observes = false;
  readonly name = "least-loaded";
  readonly countQueued: boolean;
  readonly countInactive: boolean;

  constructor(options: LeastLoadedOptions = {}) {
    this.countQueued = options.countQueued ?? false;
    this.countInactive = options.countInactive ?? false;
  }

  load(b: BackendState): number {
    const active = this.countQueued ? b.inFlight + b.queued : b.inFlight;
    return this.countInactive ? active + b.inactive / IPVS_ACTIVE_PER_INACTIVE : active;
  }

  onStart(): void {}

  onEnd(): void {}
}
