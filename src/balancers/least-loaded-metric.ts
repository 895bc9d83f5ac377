// Load = requests in flight (NGINX `least_conn`, Finagle `LeastLoaded`), optionally plus requests waiting in the
// server's own queue, as HAProxy `leastconn` counts them.
import type { BackendState } from "./backend-state.js";
import type { LoadMetric } from "./load-metric.js";

export interface LeastLoadedOptions {
  /** Count queued requests as load too (HAProxy). Default false (NGINX counts active connections only). */
  readonly countQueued?: boolean;
}

export class LeastLoadedMetric implements LoadMetric {
  readonly observes = false;
  readonly name = "least-loaded";
  readonly countQueued: boolean;

  constructor(options: LeastLoadedOptions = {}) {
    this.countQueued = options.countQueued ?? false;
  }

  load(b: BackendState): number {
    return this.countQueued ? b.inFlight + b.queued : b.inFlight;
  }

  onStart(): void {}

  onEnd(): void {}
}
