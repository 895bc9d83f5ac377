// Dispatchers for the queueing station (per-server queues). The load-balancer world uses the production
// balancer library instead; these exist for the theory checks and the baseline-comparable benchmark.
import type { Rng } from "../engine/rng.js";
import type { QueueDispatcher } from "./queueing-station.js";

/**
 * Power of two choices over queue lengths, exactly as the speed baseline does it (../shared/bench): two distinct
 * random servers, the one holding fewer requests wins, ties to the first drawn (Mitzenmacher 2001).
 */
export function twoRandomChoices(rng: Rng, servers: number): QueueDispatcher {
  return {
    pick(inSystem) {
      const i = rng.int(servers);
      let j = rng.int(servers - 1);
      if (j >= i) j++;
      return inSystem[j]! < inSystem[i]! ? j : i;
    },
  };
}
