// Presets: each proxy's defaults, with the documentation and parameter they come from. Where a proxy has no default
// (Envoy requires interval, timeout and thresholds) the preset chooses one and says so. Values marked UNVERIFIED were
// not confirmed against documentation or source when written; the others name where they come from.
import { ms, seconds } from "../engine/time.js";
import type { ActiveCheckConfig } from "./active-check-config.js";
import { activeCheckConfigProblems } from "./active-check-config.js";
import { drainConfigProblems, type DrainConfig } from "./draining.js";
import type { EnvoyOutlierConfig } from "./envoy-outlier.js";
import type { HaproxyObserveConfig } from "./haproxy-observe.js";
import type { HealthConfig, PassiveConfig } from "./health-config.js";
import type { NginxPassiveConfig } from "./nginx-passive.js";
import type { PanicConfig } from "./panic.js";
import type { SlowStartConfig } from "./slow-start.js";
import { STATUS_200, STATUS_2XX_3XX } from "./status-range.js";

export type PresetName = "haproxy" | "nginx" | "nginx-plus" | "envoy" | "aws-alb" | "aws-nlb" | "kubernetes";

export const PRESET_NAMES: readonly PresetName[] = Object.freeze([
  "haproxy",
  "nginx",
  "nginx-plus",
  "envoy",
  "aws-alb",
  "aws-nlb",
  "kubernetes",
]);

/** NGINX `server` parameters (ngx_http_upstream_module): `max_fails=1`, `fail_timeout=10s`. */
export const NGINX_PASSIVE_DEFAULTS: NginxPassiveConfig = Object.freeze({
  kind: "nginx",
  maxFails: 1,
  failTimeoutUs: seconds(10),
  singleServer: false,
});

/** Envoy config.cluster.v3.OutlierDetection defaults (proto docs and DetectorConfig in outlier_detection_impl.cc). */
export const ENVOY_OUTLIER_DEFAULTS: EnvoyOutlierConfig = Object.freeze({
  kind: "envoy-outlier",
  consecutive5xx: 5, // consecutive_5xx: "Defaults to 5"
  consecutiveGatewayFailure: 5, // consecutive_gateway_failure: "Defaults to 5"
  enforcingConsecutive5xxPercent: 100, // enforcing_consecutive_5xx: 100
  enforcingConsecutiveGatewayFailurePercent: 0, // enforcing_consecutive_gateway_failure: 0
  intervalUs: seconds(10), // interval: "Defaults to 10000ms or 10s"
  baseEjectionTimeUs: seconds(30), // base_ejection_time: 30000ms
  maxEjectionTimeUs: seconds(300), // max_ejection_time: "300000ms or 300s, or base_ejection_time, whatever is larger"
  maxEjectionTimeJitterUs: 0, // max_ejection_time_jitter: "Defaults to 0s"
  maxEjectionPercent: 10, // max_ejection_percent: 10
  alwaysEjectOneHost: false, // always_eject_one_host: false (older Envoy always allowed the first ejection)
  successfulActiveHealthCheckUnejectHost: true, // successful_active_health_check_uneject_host: "Defaults to true"
});

/** HAProxy `observe layer7` with include/defaults.h DEF_HANA_ERRLIMIT 10 and DEF_HANA_ONERR fail-check. */
export const HAPROXY_OBSERVE_DEFAULTS: HaproxyObserveConfig = Object.freeze({
  kind: "haproxy-observe",
  mode: "layer7",
  errorLimit: 10,
  onError: "fail-check",
});

const NONE: PassiveConfig = Object.freeze({ kind: "none" });
const NO_SLOW_START: SlowStartConfig = Object.freeze({ kind: "none" });
const NO_PANIC: PanicConfig = Object.freeze({ healthyPanicThresholdPercent: 0, failOpenWhenNoneHealthy: false });
const WAIT_FOREVER: DrainConfig = Object.freeze({ deregistrationDelayUs: null });

const HAPROXY_INTER = ms(2000);

const PRESETS: Readonly<Record<PresetName, HealthConfig>> = Object.freeze({
  // HAProxy configuration.txt, `server` keywords; include/defaults.h: DEF_CHKINTR 2000, DEF_RISETIME 2, DEF_FALLTIME 3.
  haproxy: {
    active: {
      intervalUs: HAPROXY_INTER, // `inter` 2000 ms
      timeoutUs: HAPROXY_INTER, // `timeout check` unset: "inter" bounds the whole check
      rise: 2, // `rise` 2
      fall: 3, // `fall` 3
      fastIntervalUs: HAPROXY_INTER, // `fastinter` unset means `inter` (srv_getinter)
      jitterPercent: 0, // global `spread-checks` 0 (0..50)
      jitterMode: "plus-minus",
      jitterMaxUs: 0,
      initialJitterUs: 0,
      spreadFirstChecksBySlot: true, // first checks spread over one `fastinter` (= `inter` unless set) by server position
      initialHealth: "healthy-until-first-failure", // cfgparse: "up, but will fall down at first failure"
      immediateDownOnStatus: false,
      cadence: "from-result", // verified in src/check.c: after a check completes, `t->expire = now + srv_getinter(check) + spread`
      probe: "tcp", // `check` alone is a layer-4 connect check; `option httpchk` makes it http
      expectedStatuses: STATUS_2XX_3XX, // `option httpchk`: 2xx and 3xx are valid
    },
    passive: NONE, // `observe` is off by default; HAPROXY_OBSERVE_DEFAULTS when turned on
    slowStart: NO_SLOW_START, // `slowstart` unset; when set: { kind: "linear", applyAtStartup: false }
    panic: NO_PANIC, // no panic mode: with every server down the backend answers 503 (or uses `backup` servers)
    drain: WAIT_FOREVER, // `set server ... state drain` has no deadline
  },
  // Open-source NGINX, ngx_http_upstream_module: no active checks, only `max_fails`/`fail_timeout`.
  nginx: {
    active: null,
    passive: NGINX_PASSIVE_DEFAULTS,
    slowStart: NO_SLOW_START, // `slow_start` is commercial-only
    panic: NO_PANIC, // UNVERIFIED detail: when all peers are unavailable NGINX answers 502 and resets their `fails`
    drain: WAIT_FOREVER,
  },
  // NGINX Plus, ngx_http_upstream_hc_module `health_check`: interval=5 jitter=0 fails=1 passes=1; 2xx/3xx pass.
  "nginx-plus": {
    active: {
      intervalUs: seconds(5), // `interval` 5 s
      timeoutUs: seconds(60), // UNVERIFIED: http checks use proxy_connect_timeout/proxy_read_timeout (60 s defaults)
      rise: 1, // `passes` 1
      fall: 1, // `fails` 1
      jitterPercent: 0,
      jitterMode: "plus",
      jitterMaxUs: 0, // `jitter` 0: "by default, there is no delay"
      initialJitterUs: 0,
      spreadFirstChecksBySlot: false,
      initialHealth: "unhealthy-until-first-pass", // `mandatory` (opt-in; this preset turns it on): "checking" until the first pass
      immediateDownOnStatus: false,
      cadence: "from-result", // UNVERIFIED
      probe: "http",
      expectedStatuses: STATUS_2XX_3XX, // "status code other than 2xx or 3xx" fails
    },
    passive: NGINX_PASSIVE_DEFAULTS, // max_fails/fail_timeout still apply next to active checks
    slowStart: NO_SLOW_START, // `slow_start` is off unless set on a server
    panic: NO_PANIC,
    drain: WAIT_FOREVER, // `drain` parameter: no deadline
  },
  // Envoy config.core.v3.HealthCheck: `interval`, `timeout`, `unhealthy_threshold`, `healthy_threshold` are REQUIRED
  // with no defaults, so this preset chooses them: 5 s interval, 1 s timeout, healthy 2, unhealthy 3.
  envoy: {
    active: {
      intervalUs: seconds(5), // chosen (no default)
      timeoutUs: seconds(1), // chosen (no default)
      rise: 2, // `healthy_threshold`, chosen
      fall: 3, // `unhealthy_threshold`, chosen
      jitterPercent: 0, // `interval_jitter_percent` 0
      jitterMode: "plus",
      jitterMaxUs: 0, // `interval_jitter` unset
      initialJitterUs: 0, // `initial_jitter` unset
      spreadFirstChecksBySlot: false,
      initialHealth: "unhealthy-until-first-pass", // "during startup, only a single successful health check is required"
      immediateDownOnStatus: true, // a status outside `expected_statuses` ignores `unhealthy_threshold`
      cadence: "from-result", // UNVERIFIED: the interval timer is re-armed after each response or timeout
      probe: "http",
      expectedStatuses: STATUS_200, // `expected_statuses` default [200, 201)
    },
    passive: ENVOY_OUTLIER_DEFAULTS,
    slowStart: NO_SLOW_START, // `slow_start_config` unset; when set: aggression 1.0, min_weight_percent 10
    panic: { healthyPanicThresholdPercent: 50, failOpenWhenNoneHealthy: false }, // common_lb_config.healthy_panic_threshold 50%
    drain: WAIT_FOREVER,
  },
  // ELB user guide, "Health checks for Application Load Balancer target groups" and CreateTargetGroup API reference.
  "aws-alb": {
    active: {
      intervalUs: seconds(30), // HealthCheckIntervalSeconds 30 (5-300)
      timeoutUs: seconds(5), // HealthCheckTimeoutSeconds 5 for instance/ip targets (2-120); UNVERIFIED this session
      rise: 5, // HealthyThresholdCount 5 (2-10)
      fall: 2, // UnhealthyThresholdCount 2 (2-10)
      jitterPercent: 0, // AWS documents the interval as "approximate" but no jitter parameter
      jitterMode: "plus",
      jitterMaxUs: 0,
      initialJitterUs: 0,
      spreadFirstChecksBySlot: false,
      initialHealth: "unhealthy-until-first-pass", // "After your target is registered, it must pass one health check"
      immediateDownOnStatus: false,
      cadence: "from-start", // "Each health check request is independent and lasts the entire interval"
      probe: "http", // HealthCheckProtocol HTTP
      expectedStatuses: STATUS_200, // Matcher HttpCode 200
    },
    passive: NONE,
    slowStart: NO_SLOW_START, // slow_start.duration_seconds 0 (off); 30-900 s linear when on
    panic: { healthyPanicThresholdPercent: 0, failOpenWhenNoneHealthy: true }, // "the load balancer fails open"
    drain: { deregistrationDelayUs: seconds(300) }, // deregistration_delay.timeout_seconds 300 (0-3600)
  },
  // NLB target groups, CreateTargetGroup API reference (TCP protocol). Older NLBs used 3/3 and required the two
  // thresholds to be equal; current defaults for TCP are healthy 5, unhealthy 2.
  "aws-nlb": {
    active: {
      intervalUs: seconds(30), // HealthCheckIntervalSeconds 30
      timeoutUs: seconds(10), // HealthCheckTimeoutSeconds: 10 s for TCP/TLS/HTTPS checks (6 s for HTTP)
      rise: 5, // HealthyThresholdCount 5 for TCP target groups
      fall: 2, // UnhealthyThresholdCount 2 for TCP target groups
      jitterPercent: 0,
      jitterMode: "plus",
      jitterMaxUs: 0,
      initialJitterUs: 0,
      spreadFirstChecksBySlot: false,
      initialHealth: "unhealthy-until-first-pass", // routes once targets "pass the initial health checks" (count UNVERIFIED)
      immediateDownOnStatus: false,
      cadence: "from-start", // UNVERIFIED for NLB; documented for ALB
      probe: "tcp", // NLB health checks default to TCP
      expectedStatuses: STATUS_2XX_3XX, // only used if switched to HTTP checks (NLB matcher 200-399; UNVERIFIED)
    },
    passive: NONE, // NLB passive checks exist but cannot be configured or observed
    slowStart: NO_SLOW_START,
    panic: { healthyPanicThresholdPercent: 0, failOpenWhenNoneHealthy: true }, // fails open with no healthy target
    drain: { deregistrationDelayUs: seconds(300) }, // deregistration_delay.timeout_seconds 300
  },
  // Kubernetes core/v1 Probe (readiness): periodSeconds 10, timeoutSeconds 1, failureThreshold 3, successThreshold 1.
  kubernetes: {
    active: {
      intervalUs: seconds(10), // periodSeconds 10
      timeoutUs: seconds(1), // timeoutSeconds 1
      rise: 1, // successThreshold 1
      fall: 3, // failureThreshold 3
      jitterPercent: 0,
      jitterMode: "plus",
      jitterMaxUs: 0,
      initialJitterUs: 0, // initialDelaySeconds 0
      spreadFirstChecksBySlot: false,
      initialHealth: "unhealthy-until-first-pass", // a Pod is not Ready until its readiness probe succeeds
      immediateDownOnStatus: false,
      cadence: "from-start", // UNVERIFIED: the kubelet prober runs each probe on a ticker
      probe: "http", // httpGet
      expectedStatuses: STATUS_2XX_3XX, // httpGet: 200 <= code < 400
    },
    passive: NONE,
    slowStart: NO_SLOW_START,
    panic: NO_PANIC, // a Service with no ready endpoints has nowhere to send traffic
    drain: WAIT_FOREVER, // Pod termination (terminationGracePeriodSeconds) is not a balancer drain
  },
});

/** Overrides: active-check fields at the top level (`{ fall: 5 }`), the other parts by name. */
export type HealthOverrides = Partial<ActiveCheckConfig> & {
  readonly passive?: PassiveConfig;
  readonly slowStart?: SlowStartConfig;
  readonly panic?: Partial<PanicConfig>;
  readonly drain?: Partial<DrainConfig>;
};

/** A preset's config as published (no overrides). */
export function preset(name: PresetName): HealthConfig {
  return PRESETS[name];
}

/**
 * A preset merged with user overrides. HAProxy's `timeout check` and `fastinter` follow `inter` unless given, as
 * HAProxy's do. Throws RangeError on an unusable result (a programmer or validated-input error, not an outcome).
 */
export function withPreset(name: PresetName, overrides: HealthOverrides = {}): HealthConfig {
  const base = PRESETS[name];
  const { passive, slowStart, panic, drain, ...activeOverrides } = overrides;
  let active = base.active;
  if (Object.keys(activeOverrides).length > 0) {
    if (active === null) {
      throw new RangeError(`preset "${name}" has no active health checks (use "nginx-plus" for NGINX active checks)`);
    }
    const merged: ActiveCheckConfig = { ...active, ...activeOverrides };
    active = name === "haproxy" ? followInter(merged, activeOverrides) : merged;
  }
  const config: HealthConfig = {
    active,
    passive: passive ?? base.passive,
    slowStart: slowStart ?? base.slowStart,
    panic: { ...base.panic, ...panic },
    drain: { ...base.drain, ...drain },
  };
  const problems = [...(active === null ? [] : activeCheckConfigProblems(active)), ...drainConfigProblems(config.drain)];
  if (problems.length > 0) throw new RangeError(`preset "${name}" with overrides: ${problems.join("; ")}`);
  return config;
}

function followInter(config: ActiveCheckConfig, overrides: Partial<ActiveCheckConfig>): ActiveCheckConfig {
  if (overrides.intervalUs === undefined) return config;
  return {
    ...config,
    timeoutUs: overrides.timeoutUs ?? config.intervalUs,
    fastIntervalUs: overrides.fastIntervalUs ?? config.intervalUs,
  };
}
