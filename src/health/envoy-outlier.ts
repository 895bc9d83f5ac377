// Envoy outlier detection (passive health), the consecutive-error detectors, following
// source/common/upstream/outlier_detection_impl.cc:
// - every 5xx increments `consecutive_5xx`; a 502/503/504 also increments `consecutive_gateway_failure`; another
//   5xx resets the gateway counter; anything else resets both. A detector fires when its counter *equals* its
//   threshold; `onConsecutiveErrorWorker` then returns early, counters untouched, if the host is already ejected
//   (so its counter runs on past the threshold and cannot fire again until un-ejection resets it); otherwise it
//   tries to eject and resets the counter whether or not the ejection was allowed or enforced.
// - ejection is allowed if 100 * (ejected + 1) / hosts <= max_ejection_percent, or, with `always_eject_one_host`,
//   when no host is ejected; then it is enforced with probability `enforcing_*` percent.
// - an ejected host stays out for min(base_ejection_time x backoff, max_ejection_time) + jitter, checked only at the
//   `interval` sweeps; `backoff` grows by one per ejection (while backoff x base < max + base) and shrinks by one at
//   each sweep an interval or more after the host was last returned, so a host that keeps failing is ejected for
//   30 s, 60 s, 90 s, ... up to 300 s with the defaults.
// - a passing active health check on a host the active checker considers healthy un-ejects it at once when
//   `successful_active_health_check_uneject_host` (default true); un-ejection resets the counters.
// Local-origin errors without `split_external_local_origin_errors` are mapped to 503 (connect failed) and 504 (timeout).
import type { TimeUs } from "../engine/time.js";
import type { RandomSource } from "../engine/ports.js";

export interface EnvoyOutlierConfig {
  readonly kind: "envoy-outlier";
  /** `consecutive_5xx`, default 5. */
  readonly consecutive5xx: number;
  /** `consecutive_gateway_failure`, default 5. */
  readonly consecutiveGatewayFailure: number;
  /** `enforcing_consecutive_5xx`, default 100 (percent). */
  readonly enforcingConsecutive5xxPercent: number;
  /** `enforcing_consecutive_gateway_failure`, default 0: detected but not enforced unless turned on. */
  readonly enforcingConsecutiveGatewayFailurePercent: number;
  /** `interval`, default 10 s: the sweep period. */
  readonly intervalUs: TimeUs;
  /** `base_ejection_time`, default 30 s. */
  readonly baseEjectionTimeUs: TimeUs;
  /** `max_ejection_time`, default max(300 s, base_ejection_time). */
  readonly maxEjectionTimeUs: TimeUs;
  /** `max_ejection_time_jitter`, default 0. */
  readonly maxEjectionTimeJitterUs: TimeUs;
  /** `max_ejection_percent`, default 10. */
  readonly maxEjectionPercent: number;
  /** `always_eject_one_host`, default false: allow one ejection even when the percentage would forbid it. */
  readonly alwaysEjectOneHost: boolean;
  /** `successful_active_health_check_uneject_host`, default true. */
  readonly successfulActiveHealthCheckUnejectHost: boolean;
}

export interface OutlierHostState {
  readonly ejected: boolean;
  readonly consecutive5xx: number;
  readonly consecutiveGatewayFailures: number;
  readonly numEjections: number;
  /** Envoy's `ejectTimeBackoff`: the multiplier of `base_ejection_time` for the current or next ejection. */
  readonly backoff: number;
  readonly lastEjectionUs: TimeUs | null;
  readonly lastUnejectionUs: TimeUs | null;
  readonly jitterUs: TimeUs;
}

export const OUTLIER_HOST_INITIAL: OutlierHostState = Object.freeze({
  ejected: false,
  consecutive5xx: 0,
  consecutiveGatewayFailures: 0,
  numEjections: 0,
  backoff: 0,
  lastEjectionUs: null,
  lastUnejectionUs: null,
  jitterUs: 0,
});

/** How many hosts the detector watches and how many are ejected now, for `max_ejection_percent`. */
export interface OutlierPool {
  readonly hostCount: number;
  readonly ejectedCount: number;
}

export type OutlierDetector = "consecutive-5xx" | "consecutive-gateway-failure";

export type OutlierEvent =
  | { readonly kind: "ejected"; readonly detector: OutlierDetector; readonly durationUs: TimeUs }
  /** Detected, but `max_ejection_percent` forbade it (Envoy stat `ejections_overflow`). */
  | { readonly kind: "overflow"; readonly detector: OutlierDetector }
  /** Detected and allowed, but the `enforcing_*` draw said no. */
  | { readonly kind: "not-enforced"; readonly detector: OutlierDetector }
  | { readonly kind: "unejected"; readonly cause: "timer" | "active-check" };

export interface OutlierResult {
  readonly state: OutlierHostState;
  readonly event: OutlierEvent | null;
}

/** The status Envoy maps a local-origin result to when errors are not split (`resultToHttpCode`). */
export function localOriginStatus(result: "connect-failed" | "timeout"): number {
  return result === "timeout" ? 504 : 503;
}

/** Records one upstream response status (or a mapped local-origin error) for this host. */
export function outlierRecordResponse(
  state: OutlierHostState,
  status: number,
  pool: OutlierPool,
  nowUs: TimeUs,
  config: EnvoyOutlierConfig,
  rng: RandomSource,
): OutlierResult {
  if (status < 500 || status > 599) {
    if (state.consecutive5xx === 0 && state.consecutiveGatewayFailures === 0) return { state, event: null };
    return { state: { ...state, consecutive5xx: 0, consecutiveGatewayFailures: 0 }, event: null };
  }
  const gateway = status === 502 || status === 503 || status === 504;
  let next: OutlierHostState = {
    ...state,
    consecutive5xx: state.consecutive5xx + 1,
    consecutiveGatewayFailures: gateway ? state.consecutiveGatewayFailures + 1 : 0,
  };
  let event: OutlierEvent | null = null;
  let ejectedNow = 0;
  // Envoy posts the gateway detector before the 5xx one; both may fire on the same response.
  if (gateway && next.consecutiveGatewayFailures === config.consecutiveGatewayFailure) {
    const fired = fire(next, "consecutive-gateway-failure", pool, nowUs, config, rng);
    next = state.ejected ? fired.state : { ...fired.state, consecutiveGatewayFailures: 0 };
    event = fired.event;
    if (fired.event?.kind === "ejected") ejectedNow = 1;
  }
  if (next.consecutive5xx === config.consecutive5xx) {
    const fired = fire(next, "consecutive-5xx", { hostCount: pool.hostCount, ejectedCount: pool.ejectedCount + ejectedNow }, nowUs, config, rng);
    next = state.ejected ? fired.state : { ...fired.state, consecutive5xx: 0 };
    if (event === null || event.kind !== "ejected") event = fired.event;
  }
  return { state: next, event };
}

function fire(
  state: OutlierHostState,
  detector: OutlierDetector,
  pool: OutlierPool,
  nowUs: TimeUs,
  config: EnvoyOutlierConfig,
  rng: RandomSource,
): OutlierResult {
  // An already ejected host is left alone (`onConsecutiveErrorWorker` returns early, counters untouched).
  if (state.ejected) return { state, event: null };
  const allowed =
    (100 * (pool.ejectedCount + 1)) / pool.hostCount <= Math.min(100, config.maxEjectionPercent) ||
    (config.alwaysEjectOneHost && pool.ejectedCount === 0);
  if (!allowed) return { state, event: { kind: "overflow", detector } };
  const percent =
    detector === "consecutive-5xx" ? config.enforcingConsecutive5xxPercent : config.enforcingConsecutiveGatewayFailurePercent;
  if (!enforced(percent, rng)) return { state, event: { kind: "not-enforced", detector } };

  const jitterUs = config.maxEjectionTimeJitterUs > 0 ? Math.floor(rng.next() * (config.maxEjectionTimeJitterUs + 1)) : 0;
  const backoff =
    state.backoff * config.baseEjectionTimeUs < config.maxEjectionTimeUs + config.baseEjectionTimeUs ? state.backoff + 1 : state.backoff;
  const next: OutlierHostState = {
    ...state,
    ejected: true,
    numEjections: state.numEjections + 1,
    backoff,
    lastEjectionUs: nowUs,
    jitterUs,
  };
  return { state: next, event: { kind: "ejected", detector, durationUs: ejectionDurationUs(next, config) } };
}

function enforced(percent: number, rng: RandomSource): boolean {
  if (percent >= 100) return true;
  if (percent <= 0) return false;
  return rng.next() * 100 < percent;
}

/** How long the current ejection lasts at least (it ends at the first sweep after this). */
export function ejectionDurationUs(state: OutlierHostState, config: EnvoyOutlierConfig): TimeUs {
  return Math.min(config.baseEjectionTimeUs * state.backoff, config.maxEjectionTimeUs) + state.jitterUs;
}

/** The periodic sweep (`onIntervalTimer`), called by the host every `config.intervalUs` for every host. */
export function outlierSweep(state: OutlierHostState, nowUs: TimeUs, config: EnvoyOutlierConfig): OutlierResult {
  let next = state;
  let event: OutlierEvent | null = null;
  if (state.ejected && state.lastEjectionUs !== null && ejectionDurationUs(state, config) <= nowUs - state.lastEjectionUs) {
    next = uneject(state, nowUs);
    event = { kind: "unejected", cause: "timer" };
  }
  if (
    !next.ejected &&
    next.backoff > 0 &&
    next.lastUnejectionUs !== null &&
    nowUs - next.lastUnejectionUs >= config.intervalUs
  ) {
    next = { ...next, backoff: next.backoff - 1 };
  }
  return { state: next, event };
}

/**
 * An active health check completed. Envoy un-ejects when the check passed, the active checker considers the host
 * healthy (no FAILED_ACTIVE_HC) and `successful_active_health_check_uneject_host` is on.
 */
export function outlierOnActiveCheck(
  state: OutlierHostState,
  checkPassed: boolean,
  activeHealthy: boolean,
  nowUs: TimeUs,
  config: EnvoyOutlierConfig,
): OutlierResult {
  if (!state.ejected || !checkPassed || !activeHealthy || !config.successfulActiveHealthCheckUnejectHost) {
    return { state, event: null };
  }
  return { state: uneject(state, nowUs), event: { kind: "unejected", cause: "active-check" } };
}

function uneject(state: OutlierHostState, nowUs: TimeUs): OutlierHostState {
  return { ...state, ejected: false, consecutive5xx: 0, consecutiveGatewayFailures: 0, lastUnejectionUs: nowUs };
}

/** How many hosts the percentage rule lets the detector eject at once (before `always_eject_one_host`). */
export function maxEjectableHosts(hostCount: number, config: EnvoyOutlierConfig): number {
  let n = 0;
  while (n < hostCount && (100 * (n + 1)) / hostCount <= Math.min(100, config.maxEjectionPercent)) n++;
  return n;
}
