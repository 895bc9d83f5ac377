// One balancer node's view of its backends' health: the production HealthChecker (src/health) run on simulated
// time. This file is only the adapter: it passes the event loop as the checker's timer port, the simulated
// backends as its probe port, and translates the node's attempt results into the checker's terms. Scheduling,
// rise/fall, passive feeds, slow start and draining all live in the checker, shared with `lbsim proxy`.
//
// Probes go through the simulated backend (World.probe): a `tcp` probe passes on the kernel's handshake even while
// the application is hung or paused, and takes a backlog slot; an `http` or `deep` probe is a request that waits in
// the backlog, the application's queue and for a worker (or the management pool), so an overloaded backend can
// fail its checks. The reply comes back when the simulation gets there; the checker times it out as it would a
// real socket, and the abort it calls makes a late reply go nowhere.
import type { LoadBalancer } from "../../balancers/balancer.js";
import type { Rng } from "../../engine/rng.js";
import type { AttemptEnd, ProbePort, TimerPort } from "../../health/checker-ports.js";
import { HealthChecker } from "../../health/health-checker.js";
import type { HealthConfig } from "../../health/health-config.js";
import { ATTEMPT_RESULT, attemptFailure } from "../upstream.js";
import type { World } from "../world.js";

export { HEALTH_STATE, HEALTH_STATE_NAMES } from "../../health/health-checker.js";

export interface HealthListener {
  onHealthState(node: number, backend: number, state: number, nowUs: number): void;
}

export class NodeHealth extends HealthChecker {
  readonly listeners: HealthListener[] = [];

  constructor(readonly node: number, config: HealthConfig, private readonly world: World, balancer: LoadBalancer, rng: Rng, timers: TimerPort) {
    const kind = config.active?.probe ?? "tcp";
    const probe: ProbePort = { probe: (backend, token, done) => world.probe(backend, kind, token, done) };
    super(config, { clock: world.sim, timers, rng, probe, target: balancer });
    this.stateListeners.push((backend, state, nowUs) => {
      for (const listener of this.listeners) listener.onHealthState(node, backend, state, nowUs);
    });
  }

  /** A backend joins this node's pool (at the start, or scale-out later). */
  addSimulatedBackend(backend: number): void {
    this.addBackend(backend, this.world.backends[backend]!.name, this.world.now === 0, this.world.backends.length);
  }

  /**
   * An attempt to `backend` ended with an ATTEMPT_RESULT (or timed out, or was cancelled). `unsuccessful`: the
   * node's NGINX `proxy_next_upstream` judgement.
   */
  onSimulatedAttemptEnd(backend: number, result: number, timedOut: boolean, l4: boolean, cancelled: boolean, unsuccessful: boolean): void {
    this.onAttemptEnd(backend, cancelled ? "cancelled" : timedOut ? "timeout" : attemptEnd(result), l4, unsuccessful);
  }
}

/** An attempt's end as the health checker reads it; no result counts as an error. */
function attemptEnd(result: number): AttemptEnd {
  return result === ATTEMPT_RESULT.ok ? "ok" : attemptFailure(result) ?? "error";
}
