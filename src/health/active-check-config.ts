// Configuration of one active checker. Field names are ours (units last, per STYLE.md); each comment names the proxy
// parameter it models. Defaults live in presets.ts, never here.
import type { TimeUs } from "../engine/time.js";
import type { ProbeKind } from "./probe.js";
import type { StatusRange } from "./status-range.js";

/**
 * How a backend starts, before its first check completes:
 * - `healthy`: up, and it takes `fall` failures to bring it down.
 * - `healthy-until-first-failure`: HAProxy at startup. cfgparse sets `check.health = rise` with the comment "up, but
 *   will fall down at first failure": routable, but a single failed check marks it down.
 * - `unhealthy-until-first-pass`: NGINX Plus `mandatory`, a newly registered ALB target ("it must pass one health
 *   check to be considered healthy"), Envoy ("during startup only a single successful health check is required"), a
 *   Kubernetes Pod before its first readiness success. If the first check fails, `rise` passes are needed as usual.
 * - `unhealthy`: down; needs `rise` consecutive passes (HAProxy 3.x `init-state down`).
 */
export type InitialHealth = "healthy" | "healthy-until-first-failure" | "unhealthy-until-first-pass" | "unhealthy";

/**
 * What the next check's delay is measured from:
 * - `from-start`: fixed rate; a check starts every interval whatever the previous one took. ALB: "Each health check
 *   request is independent and lasts the entire interval"; Kubernetes' prober runs on a ticker.
 * - `from-result`: the timer is re-armed when the previous check completes (Envoy, HAProxy, NGINX Plus).
 */
export type CheckCadence = "from-start" | "from-result";

/** `plus-minus`: HAProxy `spread-checks` ("between 0 and +/- 50%"). `plus`: Envoy `interval_jitter_percent`, added only. */
export type JitterMode = "plus-minus" | "plus";

export interface ActiveCheckConfig {
  /** HAProxy `inter`, NGINX Plus `interval`, Envoy `interval`, ALB `HealthCheckIntervalSeconds`, k8s `periodSeconds`. */
  readonly intervalUs: TimeUs;
  /** HAProxy `timeout check` (else `inter`), Envoy `timeout`, ALB `HealthCheckTimeoutSeconds`, k8s `timeoutSeconds`. */
  readonly timeoutUs: TimeUs;
  /** Consecutive passes to mark up: HAProxy `rise`, Envoy `healthy_threshold`, ALB `HealthyThresholdCount`, NGINX Plus `passes`, k8s `successThreshold`. */
  readonly rise: number;
  /** Consecutive failures to mark down: HAProxy `fall`, Envoy `unhealthy_threshold`, ALB `UnhealthyThresholdCount`, NGINX Plus `fails`, k8s `failureThreshold`. */
  readonly fall: number;
  /** HAProxy `fastinter`: the interval while a state change is in progress (some but not enough results against the current state). */
  readonly fastIntervalUs?: TimeUs;
  /** HAProxy `downinter` / Envoy `unhealthy_interval`: the interval while fully down. */
  readonly downIntervalUs?: TimeUs;
  /** Envoy `healthy_edge_interval`: the interval right after a host became healthy. */
  readonly healthyEdgeIntervalUs?: TimeUs;
  /** Envoy `unhealthy_edge_interval`: the interval right after a host became unhealthy. */
  readonly unhealthyEdgeIntervalUs?: TimeUs;
  /** HAProxy `spread-checks` (0-50) or Envoy `interval_jitter_percent`: random share of the interval. */
  readonly jitterPercent: number;
  readonly jitterMode: JitterMode;
  /** Envoy `interval_jitter`, NGINX Plus `jitter`: a random delay in [0, jitterMaxUs) added to every interval. */
  readonly jitterMaxUs: TimeUs;
  /** Envoy `initial_jitter`: the first check starts after a random delay in [0, initialJitterUs). */
  readonly initialJitterUs: TimeUs;
  /** HAProxy spreads the first checks of a backend's servers evenly over one `fastinter` (default `inter`), by server position. */
  readonly spreadFirstChecksBySlot: boolean;
  readonly initialHealth: InitialHealth;
  /** Envoy: an HTTP status outside `expected_statuses` marks the host unhealthy at once, ignoring `unhealthy_threshold`. */
  readonly immediateDownOnStatus: boolean;
  readonly cadence: CheckCadence;
  readonly probe: ProbeKind;
  readonly expectedStatuses: readonly StatusRange[];
}

/** Everything wrong with a config, as sentences; empty when it is usable. */
export function activeCheckConfigProblems(config: ActiveCheckConfig): string[] {
  const problems: string[] = [];
  const positiveInt = (name: string, value: number): void => {
    if (!Number.isInteger(value) || value < 1) problems.push(`${name} must be an integer >= 1 (got ${value})`);
  };
  const duration = (name: string, value: number | undefined, min: number): void => {
    if (value === undefined) return;
    if (!Number.isInteger(value) || value < min) problems.push(`${name} must be an integer number of microseconds >= ${min} (got ${value})`);
  };
  positiveInt("rise", config.rise);
  positiveInt("fall", config.fall);
  duration("intervalUs", config.intervalUs, 1);
  duration("timeoutUs", config.timeoutUs, 1);
  duration("fastIntervalUs", config.fastIntervalUs, 1);
  duration("downIntervalUs", config.downIntervalUs, 1);
  duration("healthyEdgeIntervalUs", config.healthyEdgeIntervalUs, 1);
  duration("unhealthyEdgeIntervalUs", config.unhealthyEdgeIntervalUs, 1);
  duration("jitterMaxUs", config.jitterMaxUs, 0);
  duration("initialJitterUs", config.initialJitterUs, 0);
  if (!(config.jitterPercent >= 0 && config.jitterPercent <= 100)) {
    problems.push(`jitterPercent must be within 0..100 (got ${config.jitterPercent})`);
  }
  if (config.jitterMode === "plus-minus" && config.jitterPercent > 50) {
    problems.push(`jitterPercent must be <= 50 with plus-minus jitter (HAProxy spread-checks), got ${config.jitterPercent}`);
  }
  // A fixed-rate checker whose checks outlast the interval would run overlapping checks; ALB rejects this too.
  if (config.cadence === "from-start" && config.timeoutUs > config.intervalUs) {
    problems.push(`timeoutUs (${config.timeoutUs}) must not exceed intervalUs (${config.intervalUs}) with from-start cadence`);
  }
  return problems;
}
