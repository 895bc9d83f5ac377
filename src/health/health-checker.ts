// Health checking as a whole, for one balancer's view of its backends: it schedules active checks (rise/fall,
// fastinter/downinter, jitter), runs probes through the host's probe port, feeds passive observations (NGINX
// max_fails, Envoy outlier detection, HAProxy observe), drives slow start and draining, and tells the balancer.
// The pure pieces it combines live beside it (active-check-step, check-schedule, nginx-passive, envoy-outlier,
// haproxy-observe, slow-start, panic, draining); this file is only their driver. It knows time through a clock and
// a timer port, so the simulator runs it on its event loop and `lbsim proxy` on real timers: one implementation.
//
// Every checker checks on its own (every ALB node, every NGINX worker without a shared zone), so two checkers of
// the same backends can disagree.
import type { Clock, RandomSource } from "../engine/ports.js";
import type { TimeUs } from "../engine/time.js";
import type { ActiveCheckState } from "./active-check-state.js";
import { initialActiveCheckState } from "./active-check-state.js";
import { step } from "./active-check-step.js";
import { eligibility, type EligibilityReason } from "./backend-health.js";
import { firstCheckDelayUs, nextCheckStartUs } from "./check-schedule.js";
import type { AttemptEnd, HealthTarget, ProbeDone, ProbePort, TimerPort } from "./checker-ports.js";
import { acceptsNewRequests, drainTick, drainWakeUpUs, SERVING, startDraining, type DrainState } from "./draining.js";
import {
  OUTLIER_HOST_INITIAL, outlierOnActiveCheck, outlierRecordResponse, outlierSweep, localOriginStatus, type OutlierHostState,
} from "./envoy-outlier.js";
import { HAPROXY_OBSERVE_INITIAL, haproxyObserve, haproxyObserveOnCheckPassed, type HaproxyObserveState, type ObservedEvent } from "./haproxy-observe.js";
import type { HealthConfig } from "./health-config.js";
import {
  NGINX_PASSIVE_INITIAL, nginxPassiveAvailableAtUs, nginxPassiveOnFailure, nginxPassiveOnSelect, nginxPassiveOnSuccess, type NginxPassiveState,
} from "./nginx-passive.js";
import { FAIL_TIMEOUT, type CheckObservation } from "./observation.js";
import { routes, routingIsPerBackend, routingMode, type RoutingCandidate, type RoutingMode } from "./panic.js";
import { evaluateProbe, verdictDelayUs, type ProbeResponse } from "./probe.js";
import { slowStartEndsAfterUs, slowStartFactor } from "./slow-start.js";

/** Health states for charts, the time-in-state report and the proxy's status page, as small codes. */
export const HEALTH_STATE = { healthy: 0, unhealthy: 1, draining: 2, drained: 3 } as const;
export const HEALTH_STATE_NAMES = ["healthy", "unhealthy", "draining", "drained"] as const;

export interface HealthCheckerHost {
  readonly clock: Clock;
  readonly timers: TimerPort;
  /** Jitter draws and Envoy's enforcement draws. */
  readonly rng: RandomSource;
  /** Needed only when the config has active checks. */
  readonly probe?: ProbePort;
  readonly target: HealthTarget;
}

/** A backend's health as a dashboard shows it. */
export interface BackendHealthView {
  readonly id: string;
  readonly state: (typeof HEALTH_STATE_NAMES)[number];
  readonly reason: EligibilityReason;
  readonly active: ActiveCheckState | null;
  readonly inFlight: number;
  readonly transitions: number;
  readonly weightFactor: number;
  readonly checks: number;
  readonly lastCheck: CheckObservation | null;
}

interface Row {
  readonly id: string;
  active: ActiveCheckState | null;
  nginx: NginxPassiveState | null;
  outlier: OutlierHostState | null;
  observe: HaproxyObserveState;
  drain: DrainState;
  /** When active health last turned healthy (slow start counts from here); null = healthy since the start. */
  healthySinceUs: TimeUs | null;
  lastCheckStartUs: TimeUs;
  /** A probe is out (from its start until its verdict is applied). */
  probing: boolean;
  /** Bumped when a probe's answer must no longer count (timed out, backend removed); the port hands it back. */
  probeToken: number;
  /** Inside the probe port's call: an answer now is one the host knew in advance (a simulator). */
  probeCalling: boolean;
  /** The host's abort for the probe out, if it gave one. */
  abortProbe: (() => void) | void;
  pending: CheckObservation | null;
  lastCheck: CheckObservation | null;
  /** The next check's timer, the verdict's timer or the probe timeout's, whichever is pending; -1 none. */
  checkHandle: number;
  /** Attempts in flight to the backend (draining waits for them). */
  inFlight: number;
  state: number;
  /** Times active health flipped (flapping shows here). */
  transitions: number;
  /** What was last pushed to the balancer, so unchanged values are not pushed again. */
  appliedHealth: "healthy" | "unhealthy" | "draining" | null;
  appliedFactor: number;
  // Made once per backend, so a check allocates no closure: the timer port and the probe port get these.
  readonly runCheck: () => void;
  readonly applyVerdict: () => void;
  readonly checkTimedOut: () => void;
  readonly probeDone: ProbeDone;
}

export type HealthStateListener = (backend: number, state: number, nowUs: TimeUs) => void;

export class HealthChecker {
  private readonly rows: Row[] = [];
  private readonly candidates: RoutingCandidate[] = [];
  private readonly routable: boolean[] = [];
  private refreshHandle = -1;
  private refreshAtUs = Infinity;
  private readonly startedUs: TimeUs;
  private readonly onRefresh = (): void => this.refresh();
  routingMode: RoutingMode = "healthy-only";
  /** Candidates (not draining or drained) and the healthy among them, as of the last recompute. */
  private healthyCount = 0;
  private candidateCount = 0;
  /**
   * Whether a change to one backend's health moves nothing about any other backend: routing is per backend (no
   * panic, no fail-open), and no backend's eligibility or weight changes with time alone (NGINX's fail_timeout
   * expiry, slow start ramps). Then a check result recomputes that backend only, not the whole pool.
   */
  private readonly perBackend: boolean;
  /**
   * The next check is due one of the configured intervals after a result (`from-result` cadence, no jitter), so
   * the delays repeat (see TimerPort's `fixedDelay`).
   */
  private readonly fixedIntervals: boolean;
  readonly stateListeners: HealthStateListener[] = [];

  constructor(readonly config: HealthConfig, private readonly host: HealthCheckerHost) {
    this.startedUs = host.clock.nowUs();
    const active = config.active;
    this.fixedIntervals = active !== null && active.cadence === "from-result" && active.jitterPercent === 0 && active.jitterMaxUs === 0;
    this.perBackend = routingIsPerBackend(config.panic) && config.passive.kind !== "nginx" && config.slowStart.kind === "none";
  }

  /**
   * A backend joins the pool. `fromStart`: it was there when the balancer started (HAProxy applies no slow start
   * to those); `slotCount`: how many backends share the checker, for HAProxy's spread of first checks by position.
   */
  addBackend(index: number, id: string, fromStart: boolean, slotCount: number): void {
    const active = this.config.active;
    const now = this.host.clock.nowUs();
    // An answer for a probe of an earlier row at this index must not match the new row's first tokens.
    const earlier = this.rows[index];
    const row: Row = {
      id,
      active: active ? initialActiveCheckState(active) : null,
      nginx: this.config.passive.kind === "nginx" ? NGINX_PASSIVE_INITIAL : null,
      outlier: this.config.passive.kind === "envoy-outlier" ? OUTLIER_HOST_INITIAL : null,
      observe: HAPROXY_OBSERVE_INITIAL,
      drain: SERVING,
      healthySinceUs: fromStart ? null : now,
      lastCheckStartUs: 0,
      probing: false,
      probeToken: earlier ? earlier.probeToken + 1 : 0,
      probeCalling: false,
      abortProbe: undefined,
      pending: null,
      lastCheck: null,
      checkHandle: -1,
      inFlight: 0,
      state: HEALTH_STATE.healthy,
      transitions: 0,
      appliedHealth: null,
      appliedFactor: 1,
      runCheck: () => this.checkStart(index),
      applyVerdict: () => this.checkResult(index),
      checkTimedOut: () => this.checkTimedOut(index),
      probeDone: (token, response) => this.probeAnswered(index, token, response),
    };
    this.rows[index] = row;
    if (active) {
      const slot = { index, count: Math.max(1, slotCount) };
      row.checkHandle = this.host.timers.setTimer(now + firstCheckDelayUs(active, this.host.rng, slot), row.runCheck);
    }
    if (this.config.passive.kind === "envoy-outlier" && this.rows.length === 1) this.scheduleRefresh(now + this.config.passive.intervalUs);
    this.recompute();
  }

  /** The backend left the pool for good: no more checks, and an answer still out no longer counts. */
  removeBackend(backend: number): void {
    const row = this.rows[backend];
    if (!row) return;
    if (row.checkHandle >= 0) this.host.timers.cancel(row.checkHandle);
    row.checkHandle = -1;
    row.probeToken++;
    row.abortProbe = undefined;
    row.probing = false;
    const now = this.host.clock.nowUs();
    row.drain = { phase: "drained", startedUs: now, deadlineUs: now, closedAtDeadline: 0 };
    this.recompute();
  }

  /** Stops every timer (a proxy shutting down). The checker must not be used afterwards. */
  stop(): void {
    for (const row of this.rows) {
      if (!row) continue;
      if (row.checkHandle >= 0) this.host.timers.cancel(row.checkHandle);
      row.checkHandle = -1;
      row.probeToken++;
      row.abortProbe = undefined;
    }
    if (this.refreshHandle >= 0) this.host.timers.cancel(this.refreshHandle);
    this.refreshHandle = -1;
    this.refreshAtUs = -Infinity; // nothing schedules a refresh any more
  }

  stateOf(backend: number): number {
    return this.rows[backend]?.state ?? HEALTH_STATE.unhealthy;
  }

  transitionsOf(backend: number): number {
    return this.rows[backend]?.transitions ?? 0;
  }

  inFlightOf(backend: number): number {
    return this.rows[backend]?.inFlight ?? 0;
  }

  /** Active health only: what a dashboard of this checker shows for the backend. */
  activelyHealthy(backend: number): boolean {
    const active = this.rows[backend]?.active;
    return active === null || active === undefined || active.status === "healthy";
  }

  view(backend: number): BackendHealthView | undefined {
    const row = this.rows[backend];
    if (!row) return undefined;
    return {
      id: row.id,
      state: HEALTH_STATE_NAMES[row.state]!,
      reason: eligibility(row, this.config, this.host.clock.nowUs()).reason,
      active: row.active,
      inFlight: row.inFlight,
      transitions: row.transitions,
      weightFactor: row.appliedFactor,
      checks: row.active?.checks ?? 0,
      lastCheck: row.lastCheck,
    };
  }

  // ---- active checks ----------------------------------------------------------------------------------------

  /** A check starts: probe the backend; the verdict arrives at the time the answer says, or at the timeout. */
  private checkStart(backend: number): void {
    const row = this.rows[backend]!;
    const startUs = this.host.clock.nowUs();
    row.checkHandle = -1;
    row.lastCheckStartUs = startUs;
    row.probing = true;
    const token = ++row.probeToken;
    row.probeCalling = true;
    const abort = this.host.probe!.probe(backend, token, row.probeDone);
    row.probeCalling = false;
    if (row.pending !== null || row.probeToken !== token) return;
    // A real probe is out: if it has not answered by the check timeout, that is the verdict (HAProxy `timeout check`).
    row.abortProbe = abort;
    row.checkHandle = this.host.timers.setTimer(startUs + this.config.active!.timeoutUs, row.checkTimedOut, true);
  }

  /** The probe port's answer for the probe with `token`; ignored unless that probe is still the one awaited. */
  private probeAnswered(backend: number, token: number, response: ProbeResponse): void {
    const row = this.rows[backend]!;
    if (row.probeToken !== token || row.pending !== null) return;
    const active = this.config.active!;
    const observation = evaluateProbe(active.probe, response, active);
    row.pending = observation;
    if (row.probeCalling) {
      // The host knew the answer in advance (a simulator): the verdict is known when the answer or the timeout is.
      row.checkHandle = this.host.timers.setTimer(row.lastCheckStartUs + verdictDelayUs(active.probe, response, observation, active.timeoutUs), row.applyVerdict);
      return;
    }
    row.abortProbe = undefined;
    if (row.checkHandle >= 0) this.host.timers.cancel(row.checkHandle);
    row.checkHandle = -1;
    this.checkResult(backend);
  }

  /** No answer by the check timeout: that is the verdict, and the host may close the probe. */
  private checkTimedOut(backend: number): void {
    const row = this.rows[backend]!;
    if (!row.probing || row.pending !== null) return;
    row.checkHandle = -1;
    row.probeToken++;
    const abort = row.abortProbe;
    row.abortProbe = undefined;
    if (typeof abort === "function") abort();
    row.pending = FAIL_TIMEOUT;
    this.checkResult(backend);
  }

  /** A check's verdict is in: step the state machine, act on a transition, schedule the next check. */
  private checkResult(backend: number): void {
    const row = this.rows[backend]!;
    const active = this.config.active!;
    const observation = row.pending!;
    row.pending = null;
    row.probing = false;
    row.lastCheck = observation;
    const now = this.host.clock.nowUs();
    const { state, transition } = step(row.active!, observation, active);
    row.active = state;
    let changed = transition !== null;
    if (row.outlier && this.config.passive.kind === "envoy-outlier") {
      const before = row.outlier.ejected;
      row.outlier = outlierOnActiveCheck(row.outlier, observation.kind === "pass", state.status === "healthy", now, this.config.passive).state;
      changed ||= row.outlier.ejected !== before;
    }
    if (observation.kind === "pass") row.observe = haproxyObserveOnCheckPassed(row.observe);
    if (transition) this.onTransition(row, transition.to, now);
    row.checkHandle = this.host.timers.setTimer(Math.max(now, nextCheckStartUs(row.lastCheckStartUs, now, state, active, this.host.rng)), row.runCheck, this.fixedIntervals);
    if (changed) this.recomputeBackend(backend);
  }

  private onTransition(row: Row, to: "healthy" | "unhealthy", now: TimeUs): void {
    row.transitions++;
    if (to === "healthy") row.healthySinceUs = now;
  }

  // ---- passive health from real traffic ----------------------------------------------------------------------

  /** The host chose `backend` for an attempt. */
  onSelect(backend: number): void {
    const row = this.rows[backend]!;
    row.inFlight++;
    if (row.nginx && this.config.passive.kind === "nginx") row.nginx = nginxPassiveOnSelect(row.nginx, this.config.passive, this.host.clock.nowUs());
  }

  /**
   * An attempt to `backend` ended. `l4`: the host sees connections only, so HTTP answers are not judged.
   * `unsuccessful`: whether the host's own rules call this try a failure (NGINX counts towards `max_fails` only
   * what `proxy_next_upstream` lists, "error timeout" by default); when absent, connection failures, timeouts and
   * (at L7) 5xx answers count. `status`: the HTTP status the backend answered, when the host knows it.
   */
  onAttemptEnd(backend: number, end: AttemptEnd, l4: boolean, unsuccessful?: boolean, status?: number): void {
    const row = this.rows[backend];
    if (!row) return;
    row.inFlight--;
    const passive = this.config.passive;
    if (end === "cancelled" || passive.kind === "none") {
      // Nothing passive to hear (a cancelled try is not a failure): only draining may have finished.
      if (this.tickDrain(row)) this.recomputeBackend(backend);
      return;
    }
    const now = this.host.clock.nowUs();
    let changed = false;
    if (passive.kind === "nginx" && row.nginx) {
      const failed = end === "timeout" || end === "refused" || end === "reset" || (!l4 && (end === "error" || end === "shed"));
      const before = row.nginx;
      row.nginx = unsuccessful ?? failed ? nginxPassiveOnFailure(before, passive, now) : nginxPassiveOnSuccess(before, passive);
      const availableAt = nginxPassiveAvailableAtUs(row.nginx, passive, now);
      if (availableAt !== null) this.scheduleRefresh(availableAt);
      changed = row.nginx.fails !== before.fails;
    } else if (passive.kind === "envoy-outlier" && row.outlier) {
      const code = end === "timeout" ? localOriginStatus("timeout")
        : end === "refused" || end === "reset" ? localOriginStatus("connect-failed")
          : status ?? (end === "ok" ? 200 : 503);
      const pool = { hostCount: this.rows.length, ejectedCount: this.ejectedCount() };
      const outcome = outlierRecordResponse(row.outlier, code, pool, now, passive, this.host.rng);
      changed = outcome.state.ejected !== row.outlier.ejected;
      row.outlier = outcome.state;
    } else if (passive.kind === "haproxy-observe" && row.active && this.config.active) {
      const event: ObservedEvent = end === "timeout" ? { kind: "read-timeout" }
        : end === "refused" ? { kind: "connect-error" }
          : end === "reset" ? { kind: "broken-pipe" }
            : { kind: "http-response", status: status ?? (end === "ok" ? 200 : 503) };
      const observed = haproxyObserve(row.observe, row.active, event, passive, this.config.active);
      row.observe = observed.observe;
      row.active = observed.active;
      if (observed.transition) {
        this.onTransition(row, observed.transition.to, now);
        changed = true;
      }
      if (observed.recheckWithinUs !== null && row.checkHandle >= 0 && !row.probing) {
        this.host.timers.cancel(row.checkHandle);
        row.checkHandle = this.host.timers.setTimer(now + observed.recheckWithinUs, row.runCheck);
      }
    }
    if (this.tickDrain(row) || changed) this.recomputeBackend(backend);
  }

  /** An attempt to a draining backend ended: draining may be complete. Returns true when the state changed. */
  private tickDrain(row: Row): boolean {
    if (row.drain.phase !== "draining") return false;
    const tick = drainTick(row.drain, this.host.clock.nowUs(), row.inFlight);
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

  /** Deregistration: no new requests; in-flight ones finish until the delay ends (null: wait for them all). */
  drain(backend: number, delayUs: TimeUs | null): void {
    const row = this.rows[backend];
    if (!row) return;
    const now = this.host.clock.nowUs();
    row.drain = startDraining(row.drain, now, { ...this.config.drain, deregistrationDelayUs: delayUs });
    row.drain = drainTick(row.drain, now, row.inFlight).state;
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

  private refresh(): void {
    this.refreshHandle = -1;
    this.refreshAtUs = Infinity;
    const now = this.host.clock.nowUs();
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

  private scheduleRefresh(atUs: TimeUs): void {
    if (atUs >= this.refreshAtUs) return;
    if (this.refreshHandle >= 0) this.host.timers.cancel(this.refreshHandle);
    this.refreshAtUs = Math.max(atUs, this.host.clock.nowUs());
    this.refreshHandle = this.host.timers.setTimer(this.refreshAtUs, this.onRefresh);
  }

  /** Eligibility -> panic routing -> the balancer's health flags and slow-start weight factors, for every backend. */
  private recompute(): void {
    const now = this.host.clock.nowUs();
    const rows = this.rows;
    const candidates = this.candidates;
    if (candidates.length !== rows.length) candidates.length = rows.length;
    let healthy = 0;
    let eligibleCandidates = 0;
    for (let b = 0; b < rows.length; b++) {
      const row = rows[b];
      const candidate = row ? eligibility(row, this.config, now) : NOT_A_CANDIDATE;
      candidates[b] = candidate;
      if (candidate.candidate) {
        eligibleCandidates++;
        if (candidate.eligible) healthy++;
      }
    }
    this.healthyCount = healthy;
    this.candidateCount = eligibleCandidates;
    const mode = routingMode(healthy, eligibleCandidates, this.config.panic);
    this.routingMode = mode;
    const routable = this.routable;
    if (routable.length !== rows.length) routable.length = rows.length;
    for (let b = 0; b < rows.length; b++) routable[b] = routes(mode, candidates[b]!);
    let ramping = false;
    for (let b = 0; b < rows.length; b++) {
      const row = rows[b];
      if (row && this.apply(b, row, now)) ramping = true;
    }
    if (ramping) {
      const tick = Math.max(1_000, Math.round(slowStartEndsAfterUs(this.config.slowStart) / 20));
      this.scheduleRefresh(now + tick);
    }
  }

  /**
   * The same as `recompute` after a change to one backend's own health, in O(1) where the config lets no other
   * backend's routing depend on it (see `perBackend`); otherwise the full recompute. The counts and the mode are
   * kept up to date from the backend's eligibility before and after.
   */
  private recomputeBackend(backend: number): void {
    if (!this.perBackend) {
      this.recompute();
      return;
    }
    const row = this.rows[backend]!;
    const now = this.host.clock.nowUs();
    const before = this.candidates[backend]!;
    const after = eligibility(row, this.config, now);
    this.candidates[backend] = after;
    this.candidateCount += (after.candidate ? 1 : 0) - (before.candidate ? 1 : 0);
    this.healthyCount += (after.candidate && after.eligible ? 1 : 0) - (before.candidate && before.eligible ? 1 : 0);
    const mode = routingMode(this.healthyCount, this.candidateCount, this.config.panic);
    this.routingMode = mode;
    this.routable[backend] = routes(mode, after);
    this.apply(backend, row, now);
  }

  /** Pushes one backend's routing and weight factor to the balancer and its state to the listeners; true while it ramps. */
  private apply(b: number, row: Row, now: TimeUs): boolean {
    const target = this.host.target;
    const id = row.id;
    const draining = row.drain.phase !== "serving";
    const state = row.drain.phase === "drained" ? HEALTH_STATE.drained : draining ? HEALTH_STATE.draining
      : this.routable[b] ? HEALTH_STATE.healthy : HEALTH_STATE.unhealthy;
    const member = row.drain.phase !== "drained" || target.backend(id)?.member === true;
    const health = draining ? "draining" : this.routable[b] ? "healthy" : "unhealthy";
    if (member && health !== row.appliedHealth) {
      target.setHealth(id, health);
      row.appliedHealth = health;
    }
    if (state !== row.state) {
      row.state = state;
      for (const listener of this.stateListeners) listener(b, state, now);
    }
    const since = row.healthySinceUs === null ? null : now - row.healthySinceUs;
    const factor = slowStartFactor(this.config.slowStart, since, now - this.startedUs);
    if (member && factor !== row.appliedFactor && target.backend(id)?.member) {
      target.setWeightFactor(id, factor);
      row.appliedFactor = factor;
    }
    return factor < 1;
  }
}

const NOT_A_CANDIDATE: RoutingCandidate = Object.freeze({ candidate: false, eligible: false });
