// One balancer node's view of its backends' health, driven by the production health library on simulated time.
// Every node checks on its own (every ALB node, every NGINX worker without a shared zone), so nodes can disagree.
//
// Active checks: at each check the probe kind's real semantics apply to what the backend would show a probe at
// that instant (a `tcp` probe passes on the kernel's handshake even while the application is hung or paused).
// The answer is evaluated when the probe starts, from the backend's state then; a state change during the few
// milliseconds of the probe's flight is not modelled.
import type { LoadBalancer } from "../../balancers/balancer.js";
import type { Rng } from "../../engine/rng.js";
import type { ActiveCheckState } from "../../health/active-check-state.js";
import { initialActiveCheckState } from "../../health/active-check-state.js";
import { step } from "../../health/active-check-step.js";
import { eligibility } from "../../health/backend-health.js";
import { firstCheckDelayUs, nextCheckStartUs } from "../../health/check-schedule.js";
import { acceptsNewRequests, drainTick, drainWakeUpUs, SERVING, startDraining, type DrainState } from "../../health/draining.js";
import {
  OUTLIER_HOST_INITIAL, outlierOnActiveCheck, outlierRecordResponse, outlierSweep, localOriginStatus, type OutlierHostState,
} from "../../health/envoy-outlier.js";
import { HAPROXY_OBSERVE_INITIAL, haproxyObserve, haproxyObserveOnCheckPassed, type HaproxyObserveState, type ObservedEvent } from "../../health/haproxy-observe.js";
import type { HealthConfig } from "../../health/health-config.js";
import {
  NGINX_PASSIVE_INITIAL, nginxPassiveAvailableAtUs, nginxPassiveOnFailure, nginxPassiveOnSelect, nginxPassiveOnSuccess, type NginxPassiveState,
} from "../../health/nginx-passive.js";
import type { CheckObservation } from "../../health/observation.js";
import { decideRouting, type RoutingCandidate, type RoutingMode } from "../../health/panic.js";
import { evaluateProbe, type ProbeResponse } from "../../health/probe.js";
import { slowStartEndsAfterUs, slowStartFactor } from "../../health/slow-start.js";
import type { Backend } from "../backend.js";
import { ATTEMPT_RESULT } from "../upstream.js";
import type { World } from "../world.js";

/** Health states for charts and the time-in-state report, as small codes. */
export const HEALTH_STATE = { healthy: 0, unhealthy: 1, draining: 2, drained: 3 } as const;
export const HEALTH_STATE_NAMES = ["healthy", "unhealthy", "draining", "drained"] as const;

/** Event kinds the tier registers once and routes to a node's health: (node, backend) packed in the target. */
export interface HealthKinds {
  checkStart: number;
  checkResult: number;
  refresh: number;
}

/** Packs (node, backend) into an event target: up to 64 nodes. */
export const packTarget = (node: number, backend: number): number => backend * 64 + node;

interface BackendHealthRow {
  active: ActiveCheckState | null;
  nginx: NginxPassiveState | null;
  outlier: OutlierHostState | null;
  observe: HaproxyObserveState;
  drain: DrainState;
  /** When active health last turned healthy (slow start counts from here); null = healthy since the start. */
  healthySinceUs: number | null;
  lastCheckStartUs: number;
  pending: CheckObservation | null;
  checkHandle: number;
  /** Attempts from this node in flight to the backend (draining waits for them). */
  inFlight: number;
  state: number;
  /** Times active health flipped (flapping shows here). */
  transitions: number;
  /** What was last pushed to the balancer, so unchanged values are not pushed again. */
  appliedHealth: "healthy" | "unhealthy" | "draining" | null;
  appliedFactor: number;
}

export interface HealthListener {
  onHealthState(node: number, backend: number, state: number, nowUs: number): void;
}

export class NodeHealth {
  private readonly rows: BackendHealthRow[] = [];
  private readonly candidates: RoutingCandidate[] = [];
  private readonly routable: boolean[] = [];
  private refreshHandle = -1;
  private refreshAtUs = Infinity;
  routingMode: RoutingMode = "healthy-only";
  readonly listeners: HealthListener[] = [];

  constructor(
    readonly node: number,
    readonly config: HealthConfig,
    private readonly world: World,
    private readonly balancer: LoadBalancer,
    private readonly rng: Rng,
    private readonly kinds: HealthKinds,
  ) {}

  /** A backend joins this node's pool (at the start, or scale-out later). */
  addBackend(backend: Backend): void {
    const active = this.config.active;
    const row: BackendHealthRow = {
      active: active ? initialActiveCheckState(active) : null,
      nginx: this.config.passive.kind === "nginx" ? NGINX_PASSIVE_INITIAL : null,
      outlier: this.config.passive.kind === "envoy-outlier" ? OUTLIER_HOST_INITIAL : null,
      observe: HAPROXY_OBSERVE_INITIAL,
      drain: SERVING,
      healthySinceUs: this.world.now === 0 ? null : this.world.now,
      lastCheckStartUs: 0,
      pending: null,
      checkHandle: -1,
      inFlight: 0,
      state: HEALTH_STATE.healthy,
      transitions: 0,
      appliedHealth: null,
      appliedFactor: 1,
    };
    this.rows[backend.index] = row;
    if (active) {
      const slot = { index: backend.index, count: Math.max(1, this.world.backends.length) };
      row.checkHandle = this.world.sim.timer(firstCheckDelayUs(active, this.rng, slot), this.kinds.checkStart, packTarget(this.node, backend.index));
    }
    if (this.config.passive.kind === "envoy-outlier" && this.rows.length === 1) this.scheduleRefresh(this.world.now + this.config.passive.intervalUs);
    this.recompute();
  }

  /** The backend left the pool for good: no more checks. */
  removeBackend(backend: number): void {
    const row = this.rows[backend];
    if (!row) return;
    if (row.checkHandle >= 0) this.world.sim.cancel(row.checkHandle);
    row.checkHandle = -1;
    row.drain = { phase: "drained", startedUs: this.world.now, deadlineUs: this.world.now, closedAtDeadline: 0 };
    this.recompute();
  }

  stateOf(backend: number): number {
    return this.rows[backend]?.state ?? HEALTH_STATE.unhealthy;
  }

  transitionsOf(backend: number): number {
    return this.rows[backend]?.transitions ?? 0;
  }

  /** Active health only: what a dashboard of this node shows for the backend. */
  activelyHealthy(backend: number): boolean {
    const active = this.rows[backend]?.active;
    return active === null || active === undefined || active.status === "healthy";
  }

  // ---- active checks ----------------------------------------------------------------------------------------

  /** A check starts: probe the backend now and schedule when its result is known. */
  checkStart(backend: number): void {
    const row = this.rows[backend]!;
    const active = this.config.active!;
    const now = this.world.now;
    const target = this.world.backends[backend]!;
    const hop = this.world.hopUs(this.world.config.network.frontToBackendUs);
    const seen = target.observeProbe(now + hop);
    const response: ProbeResponse = !target.up
      ? { connect: { kind: "refused", afterUs: 2 * hop } }
      : !seen.connected
        ? { connect: { kind: "no-answer" } } // a full backlog drops the SYN (tcp_abort_on_overflow = 0)
        : seen.answerAtUs === Infinity
          ? { connect: { kind: "accepted", afterUs: 2 * hop } }
          : {
              connect: { kind: "accepted", afterUs: 2 * hop },
              http: { status: seen.status, afterUs: seen.answerAtUs - now + hop },
              dependenciesOk: seen.dependenciesOk,
            };
    const observation = evaluateProbe(active.probe, response, { timeoutUs: active.timeoutUs, expectedStatuses: active.expectedStatuses });
    row.pending = observation;
    row.lastCheckStartUs = now;
    row.checkHandle = this.world.sim.timer(resultDelayUs(active.probe, response, observation, active.timeoutUs), this.kinds.checkResult, packTarget(this.node, backend));
  }

  /** A check's result is in: step the state machine, act on a transition, schedule the next check. */
  checkResult(backend: number): void {
    const row = this.rows[backend]!;
    const active = this.config.active!;
    const observation = row.pending!;
    row.pending = null;
    const now = this.world.now;
    const { state, transition } = step(row.active!, observation, active);
    row.active = state;
    let changed = transition !== null;
    if (row.outlier && this.config.passive.kind === "envoy-outlier") {
      const before = row.outlier.ejected;
      row.outlier = outlierOnActiveCheck(row.outlier, observation.kind === "pass", state.status === "healthy", now, this.config.passive).state;
      changed ||= row.outlier.ejected !== before;
    }
    if (observation.kind === "pass") row.observe = haproxyObserveOnCheckPassed(row.observe);
    if (transition) this.onTransition(row, transition.to);
    row.checkHandle = this.world.sim.timerAt(
      Math.max(now, nextCheckStartUs(row.lastCheckStartUs, now, state, active, this.rng)),
      this.kinds.checkStart,
      packTarget(this.node, backend),
    );
    if (changed) this.recompute();
  }

  private onTransition(row: BackendHealthRow, to: "healthy" | "unhealthy"): void {
    row.transitions++;
    if (to === "healthy") row.healthySinceUs = this.world.now;
  }

  // ---- passive health from real traffic ----------------------------------------------------------------------

  /** The node chose `backend` for an attempt. */
  onSelect(backend: number): void {
    const row = this.rows[backend]!;
    row.inFlight++;
    if (row.nginx && this.config.passive.kind === "nginx") row.nginx = nginxPassiveOnSelect(row.nginx, this.config.passive, this.world.now);
  }

  /**
   * An attempt to `backend` ended with `result` (an ATTEMPT_RESULT, or `timedOut`). L4 nodes see connections
   * only: they pass `l4` so HTTP answers are not judged.
   */
  /**
   * `unsuccessful`: whether the node's own rules call this try a failure. NGINX counts towards `max_fails` only
   * what `proxy_next_upstream` lists ("error timeout" by default: a 503 is not a failure unless http_503 is).
   */
  onAttemptEnd(backend: number, result: number, timedOut: boolean, l4: boolean, cancelled = false, unsuccessful?: boolean): void {
    const row = this.rows[backend];
    if (!row) return;
    row.inFlight--;
    if (cancelled) {
      this.tickDrain(row);
      return;
    }
    const now = this.world.now;
    const passive = this.config.passive;
    const failed = timedOut || result === ATTEMPT_RESULT.refused || result === ATTEMPT_RESULT.reset ||
      (!l4 && (result === ATTEMPT_RESULT.error || result === ATTEMPT_RESULT.shed));
    let changed = false;
    if (passive.kind === "nginx" && row.nginx) {
      const before = row.nginx;
      row.nginx = unsuccessful ?? failed ? nginxPassiveOnFailure(before, passive, now) : nginxPassiveOnSuccess(before, passive);
      const availableAt = nginxPassiveAvailableAtUs(row.nginx, passive, now);
      if (availableAt !== null) this.scheduleRefresh(availableAt);
      changed = row.nginx.fails !== before.fails;
    } else if (passive.kind === "envoy-outlier" && row.outlier) {
      const status = timedOut ? localOriginStatus("timeout")
        : result === ATTEMPT_RESULT.refused || result === ATTEMPT_RESULT.reset ? localOriginStatus("connect-failed")
          : result === ATTEMPT_RESULT.ok ? 200 : 503;
      const pool = { hostCount: this.rows.length, ejectedCount: this.ejectedCount() };
      const outcome = outlierRecordResponse(row.outlier, status, pool, now, passive, this.rng);
      changed = outcome.state.ejected !== row.outlier.ejected;
      row.outlier = outcome.state;
    } else if (passive.kind === "haproxy-observe" && row.active && this.config.active) {
      const event: ObservedEvent = timedOut ? { kind: "read-timeout" }
        : result === ATTEMPT_RESULT.refused ? { kind: "connect-error" }
          : result === ATTEMPT_RESULT.reset ? { kind: "broken-pipe" }
            : { kind: "http-response", status: result === ATTEMPT_RESULT.ok ? 200 : 503 };
      const observed = haproxyObserve(row.observe, row.active, event, passive, this.config.active);
      row.observe = observed.observe;
      row.active = observed.active;
      if (observed.transition) {
        this.onTransition(row, observed.transition.to);
        changed = true;
      }
      if (observed.recheckWithinUs !== null && row.checkHandle >= 0 && row.pending === null) {
        this.world.sim.cancel(row.checkHandle);
        row.checkHandle = this.world.sim.timer(observed.recheckWithinUs, this.kinds.checkStart, packTarget(this.node, backend));
      }
    }
    if (this.tickDrain(row) || changed) this.recompute();
  }

  /** A try to a draining backend ended: draining may be complete. Returns true when the state changed. */
  private tickDrain(row: BackendHealthRow): boolean {
    if (row.drain.phase !== "draining") return false;
    const tick = drainTick(row.drain, this.world.now, row.inFlight);
    if (tick.state === row.drain) return false;
    row.drain = tick.state;
    return true;
  }

  private ejectedCount(): number {
    let count = 0;
    for (const row of this.rows) if (row?.outlier?.ejected) count++;
    return count;
  }

  // ---- draining -----------------------------------------------------------------------------------------------

  /** Deregistration: no new requests; in-flight ones finish until the delay ends. */
  drain(backend: number, delayUs: number): void {
    const row = this.rows[backend];
    if (!row) return;
    row.drain = startDraining(row.drain, this.world.now, { ...this.config.drain, deregistrationDelayUs: delayUs });
    const tick = drainTick(row.drain, this.world.now, row.inFlight);
    row.drain = tick.state;
    const wake = drainWakeUpUs(row.drain);
    if (wake !== null) this.scheduleRefresh(wake);
    this.recompute();
  }

  drained(backend: number): boolean {
    return this.rows[backend]?.drain.phase === "drained";
  }

  accepts(backend: number): boolean {
    const row = this.rows[backend];
    return row !== undefined && acceptsNewRequests(row.drain);
  }

  // ---- timed refreshes (NGINX fail_timeout expiry, outlier sweeps, slow start ramps, drain deadlines) -----------

  refresh(): void {
    this.refreshHandle = -1;
    this.refreshAtUs = Infinity;
    const now = this.world.now;
    const passive = this.config.passive;
    if (passive.kind === "envoy-outlier") {
      for (const row of this.rows) if (row?.outlier) row.outlier = outlierSweep(row.outlier, now, passive).state;
      this.scheduleRefresh(now + passive.intervalUs);
    }
    for (const row of this.rows) {
      if (row?.drain.phase === "draining") row.drain = drainTick(row.drain, now, row.inFlight).state;
    }
    this.recompute();
  }

  private scheduleRefresh(atUs: number): void {
    if (atUs >= this.refreshAtUs) return;
    if (this.refreshHandle >= 0) this.world.sim.cancel(this.refreshHandle);
    this.refreshAtUs = Math.max(atUs, this.world.now);
    this.refreshHandle = this.world.sim.timerAt(this.refreshAtUs, this.kinds.refresh, packTarget(this.node, 0));
  }

  /** Eligibility -> panic routing -> the balancer's health flags and slow-start weight factors. */
  private recompute(): void {
    const now = this.world.now;
    const rows = this.rows;
    this.candidates.length = rows.length;
    for (let b = 0; b < rows.length; b++) {
      const row = rows[b];
      this.candidates[b] = row ? eligibility(row, this.config, now) : { candidate: false, eligible: false };
    }
    const decision = decideRouting(this.candidates, this.config.panic, this.routable);
    this.routingMode = decision.mode;
    let ramping = false;
    for (let b = 0; b < rows.length; b++) {
      const row = rows[b];
      if (!row) continue;
      const id = this.world.backends[b]!.name;
      const draining = row.drain.phase !== "serving";
      const state = row.drain.phase === "drained" ? HEALTH_STATE.drained : draining ? HEALTH_STATE.draining
        : this.routable[b] ? HEALTH_STATE.healthy : HEALTH_STATE.unhealthy;
      const member = row.drain.phase !== "drained" || this.balancer.backend(id)?.member === true;
      const health = draining ? "draining" : this.routable[b] ? "healthy" : "unhealthy";
      if (member && health !== row.appliedHealth) {
        this.balancer.setHealth(id, health);
        row.appliedHealth = health;
      }
      if (state !== row.state) {
        row.state = state;
        for (const listener of this.listeners) listener.onHealthState(this.node, b, state, now);
      }
      const since = row.healthySinceUs === null ? null : now - row.healthySinceUs;
      const factor = slowStartFactor(this.config.slowStart, since, now);
      if (member && factor !== row.appliedFactor && this.balancer.backend(id)?.member) {
        this.balancer.setWeightFactor(id, factor);
        row.appliedFactor = factor;
      }
      if (factor < 1) ramping = true;
    }
    if (ramping) {
      const slowStart = this.config.slowStart;
      const tick = Math.max(1_000, Math.round(slowStartEndsAfterUs(slowStart) / 20));
      this.scheduleRefresh(now + tick);
    }
  }
}

/** When a probe's verdict is known: at the answer for a pass or a bad status, at the timeout for no answer. */
function resultDelayUs(kind: string, response: ProbeResponse, observation: CheckObservation, timeoutUs: number): number {
  const connect = response.connect;
  if (observation.kind === "fail" && observation.reason === "timeout") return timeoutUs;
  if (connect.kind !== "accepted") return connect.kind === "refused" ? connect.afterUs : timeoutUs;
  if (kind === "tcp") return connect.afterUs;
  return Math.min(timeoutUs, response.http?.afterUs ?? timeoutUs);
}
