// One balancer node's view of its backends' health: the production HealthChecker (src/health) run on simulated
// time. This file is only the adapter: it passes the event loop as the checker's timer port, the simulated
// backends as its probe port, and translates the node's attempt results into the checker's terms. Scheduling,
// rise/fall, passive feeds, slow start and draining all live in the checker, shared with `lbsim proxy`.
//
// Probes: a probe's answer is what the backend would show a probe at the instant it starts (a `tcp` probe passes on
// the kernel's handshake even while the application is hung or paused), reported at once with the times it will
// take; the checker learns the verdict when those times say. A state change during the probe's flight is not
// modelled.
import type { LoadBalancer } from "../../balancers/balancer.js";
import type { Rng } from "../../engine/rng.js";
import type { AttemptEnd, ProbePort, TimerPort } from "../../health/checker-ports.js";
import { HealthChecker } from "../../health/health-checker.js";
import type { HealthConfig } from "../../health/health-config.js";
import type { ProbeResponse } from "../../health/probe.js";
import { ATTEMPT_RESULT } from "../upstream.js";
import type { World } from "../world.js";

export { HEALTH_STATE, HEALTH_STATE_NAMES } from "../../health/health-checker.js";

export interface HealthListener {
  onHealthState(node: number, backend: number, state: number, nowUs: number): void;
}

export class NodeHealth extends HealthChecker {
  readonly listeners: HealthListener[] = [];

  constructor(readonly node: number, config: HealthConfig, private readonly world: World, balancer: LoadBalancer, rng: Rng, timers: TimerPort) {
    // Probes' network hops have their own stream, so the check interval changes no client's or request's draws.
    const network = rng.fork("network");
    const probe: ProbePort = { probe: (backend, done) => done(simulatedProbe(world, backend, network)) };
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

function attemptEnd(result: number): AttemptEnd {
  switch (result) {
    case ATTEMPT_RESULT.ok:
      return "ok";
    case ATTEMPT_RESULT.refused:
      return "refused";
    case ATTEMPT_RESULT.reset:
      return "reset";
    case ATTEMPT_RESULT.shed:
      return "shed";
    default:
      return "error";
  }
}

/** What a probe sent now to the simulated backend will see, timed from now. */
function simulatedProbe(world: World, backend: number, network: Rng): ProbeResponse {
  const target = world.backends[backend]!;
  const now = world.now;
  const hop = world.hopUs(world.config.network.frontToBackendUs, network);
  const seen = target.observeProbe(now + hop);
  if (!target.up) return { connect: { kind: "refused", afterUs: 2 * hop } };
  if (!seen.connected) return { connect: { kind: "no-answer" } }; // a full backlog drops the SYN (tcp_abort_on_overflow = 0)
  if (seen.answerAtUs === Infinity) return { connect: { kind: "accepted", afterUs: 2 * hop } };
  return {
    connect: { kind: "accepted", afterUs: 2 * hop },
    http: { status: seen.status, afterUs: seen.answerAtUs - now + hop },
    dependenciesOk: seen.dependenciesOk,
  };
}
