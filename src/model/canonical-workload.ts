// The canonical speed workload of ../shared/bench/README.md as a station config: Poisson arrivals at
// rho x c x mu into c servers with exponential service (mean 1/mu seconds), FIFO queues per server; jsq2
// dispatches by power of two choices (the production balancer unless asked for the baseline's inline rule).
import { Exponential } from "../engine/distributions/basic.js";
import { US_PER_SECOND } from "../engine/time.js";
import { productionBalancer, twoRandomChoices } from "./queue-dispatchers.js";
import type { StationConfig } from "./queueing-station.js";

export interface CanonicalWorkload {
  model: "jsq2" | "mm1";
  arrivals: number;
  seed: string | number;
  rho: number;
  /** Servers for jsq2 (the baseline uses 8); mm1 always has one. */
  servers?: number;
  mu?: number;
  dispatcher?: "production" | "inline";
}

export function canonicalStation(w: CanonicalWorkload): StationConfig {
  const servers = w.model === "mm1" ? 1 : (w.servers ?? 8);
  const mu = w.mu ?? 1;
  const lambda = w.rho * servers * mu;
  return {
    seed: w.seed,
    servers,
    discipline: "per-server-queues",
    arrivals: w.arrivals,
    interarrivalUs: new Exponential(US_PER_SECOND / lambda),
    serviceUs: new Exponential(US_PER_SECOND / mu),
    ...(servers > 1
      ? { dispatcher: w.dispatcher === "inline" ? twoRandomChoices : productionBalancer({ algorithm: "power-of-two-choices", variant: "distinct" }) }
      : {}),
  };
}
