// Dispatchers for the queueing station (per-server queues). The load-balancer world uses the production
// balancer library instead; these exist for the theory checks and the baseline-comparable benchmark.
import type { BalancerSpec } from "../balancers/balancer-spec.js";
import { createBalancer } from "../balancers/create-balancer.js";
import type { BackendView, RequestOutcome } from "../balancers/types.js";
import type { Clock } from "../engine/ports.js";
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

/** The load metric of least-loaded pickers reads in-flight counts only, so one constant outcome serves every end. */
const DEPARTED: RequestOutcome = Object.freeze({ latencyUs: 0, success: true });

/**
 * A production balancer from `src/balancers` as the dispatcher: the same code a proxy runs, counting requests in
 * flight through its start and end hooks (in the station, in flight = queued + in service, as in the baseline).
 */
export function productionBalancer(spec: BalancerSpec): (rng: Rng, servers: number, clock: Clock) => QueueDispatcher {
  return (rng, servers, clock) => {
    const ids = Array.from({ length: servers }, (_, i) => ({ id: `s${i}` }));
    const balancer = createBalancer(spec, { clock, rng, backends: ids });
    const views: BackendView[] = ids.map(({ id }) => balancer.backend(id)!);
    return {
      pick() {
        const picked = balancer.pick();
        if (picked.backend === null) throw new Error(`the balancer found no backend: ${picked.reason}`);
        balancer.onRequestStart(picked.backend);
        // The station adds its servers in order and never removes one, so a backend's place in the pool is its server.
        return picked.backend.index;
      },
      departed(server) {
        balancer.onRequestEnd(views[server]!, DEPARTED);
      },
    };
  };
}
