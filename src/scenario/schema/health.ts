// Health checking as `{ preset: haproxy, ...overrides }`: the preset brings a proxy's documented defaults
// (src/health/presets.ts cites each one), the overrides change what the scenario says, in human units. The
// merge is `withPreset`, so HAProxy's `timeout check` and `fastinter` follow an overridden `inter` as they do
// in HAProxy. Passive health, slow start, panic and drain sit beside the active-check fields.
import { z } from "zod";
import type { ActiveCheckConfig } from "../../health/active-check-config.js";
import type { HealthConfig, PassiveConfig } from "../../health/health-config.js";
import { ENVOY_OUTLIER_DEFAULTS, HAPROXY_OBSERVE_DEFAULTS, NGINX_PASSIVE_DEFAULTS, PRESET_NAMES, withPreset, type HealthOverrides, type PresetName } from "../../health/presets.js";
import type { SlowStartConfig } from "../../health/slow-start.js";
import type { StatusRange } from "../../health/status-range.js";
import { duration, positiveDuration } from "../units/duration.js";
import { percent } from "../units/percent.js";
import { onlyKey } from "./one-of.js";

const threshold = z.number().int().min(1);

/** `200`, or a range `"200-399"`. */
const statusRange = z.union([z.number().int().min(100).max(599), z.string().regex(/^[1-5]\d\d-[1-5]\d\d$/, { error: "expected a status such as 200 or a range such as 200-399" })]).transform((value): StatusRange => {
  if (typeof value === "number") return { min: value, max: value };
  const [min, max] = value.split("-").map(Number) as [number, number];
  return { min, max };
});

const PASSIVE_KINDS = ["none", "nginx", "envoy-outlier", "haproxy-observe"] as const;
const nginxPassive = z.strictObject({
  maxFails: z.number().int().min(0).default(NGINX_PASSIVE_DEFAULTS.maxFails),
  failTimeout: positiveDuration().prefault("10s"),
  /** NGINX ignores max_fails when the upstream has a single server: say `true` to model that upstream. */
  singleServer: z.boolean().default(false),
});
const envoyOutlier = z.strictObject({
  consecutive5xx: z.number().int().min(1).default(ENVOY_OUTLIER_DEFAULTS.consecutive5xx),
  consecutiveGatewayFailure: z.number().int().min(1).default(ENVOY_OUTLIER_DEFAULTS.consecutiveGatewayFailure),
  enforcingConsecutive5xx: percent().prefault("100%"),
  enforcingConsecutiveGatewayFailure: percent().prefault("0%"),
  interval: positiveDuration().prefault("10s"),
  baseEjectionTime: positiveDuration().prefault("30s"),
  maxEjectionTime: positiveDuration().prefault("300s"),
  maxEjectionTimeJitter: duration().prefault("0s"),
  maxEjectionPercent: percent().prefault("10%"),
  alwaysEjectOneHost: z.boolean().default(ENVOY_OUTLIER_DEFAULTS.alwaysEjectOneHost),
  successfulActiveHealthCheckUnejectHost: z.boolean().default(ENVOY_OUTLIER_DEFAULTS.successfulActiveHealthCheckUnejectHost),
});
const haproxyObserve = z.strictObject({
  mode: z.enum(["layer4", "layer7"]).default(HAPROXY_OBSERVE_DEFAULTS.mode),
  errorLimit: z.number().int().min(1).default(HAPROXY_OBSERVE_DEFAULTS.errorLimit),
  onError: z.enum(["fastinter", "fail-check", "sudden-death", "mark-down"]).default(HAPROXY_OBSERVE_DEFAULTS.onError),
});

/** `nginx` alone takes NGINX's defaults; `{ nginx: { maxFails: 3 } }` changes some. */
const passive = z
  .union([z.enum(PASSIVE_KINDS), z.strictObject({ none: z.strictObject({}).optional(), nginx: nginxPassive.optional(), "envoy-outlier": envoyOutlier.optional(), "haproxy-observe": haproxyObserve.optional() })])
  .transform((value, ctx): PassiveConfig => {
    const kind = typeof value === "string" ? value : onlyKey(value, PASSIVE_KINDS, "passive health kind", ctx);
    // The object form's options were already validated (and converted to microseconds) by the union above;
    // the bare-name form gets its defaults by parsing an empty object. Parsing converted values again would fail.
    const raw = typeof value === "string" ? undefined : (value as Record<string, unknown>)[kind ?? "none"];
    const options = <S extends z.ZodType>(schema: S): z.output<S> => (raw === undefined ? schema.parse({}) : raw) as z.output<S>;
    switch (kind) {
      case null:
        return z.NEVER;
      case "none":
        return { kind: "none" };
      case "nginx": {
        const o = options(nginxPassive);
        return { kind: "nginx", maxFails: o.maxFails, failTimeoutUs: o.failTimeout, singleServer: o.singleServer };
      }
      case "envoy-outlier": {
        const { interval, baseEjectionTime, maxEjectionTime, maxEjectionTimeJitter, enforcingConsecutive5xx, enforcingConsecutiveGatewayFailure, ...rest } = options(envoyOutlier);
        return {
          kind: "envoy-outlier", ...rest,
          enforcingConsecutive5xxPercent: enforcingConsecutive5xx, enforcingConsecutiveGatewayFailurePercent: enforcingConsecutiveGatewayFailure,
          intervalUs: interval, baseEjectionTimeUs: baseEjectionTime,
          // Envoy: max_ejection_time is "300s, or base_ejection_time, whatever is larger".
          maxEjectionTimeUs: Math.max(maxEjectionTime, baseEjectionTime), maxEjectionTimeJitterUs: maxEjectionTimeJitter,
        };
      }
      case "haproxy-observe":
        return { kind: "haproxy-observe", ...options(haproxyObserve) };
    }
  });

const SLOW_START_KINDS = ["none", "linear", "envoy"] as const;
const slowStart = z
  .union([
    z.literal("none"),
    z.strictObject({
      none: z.strictObject({}).optional(),
      /** HAProxy `slowstart` / ALB slow start: linear, not at process startup (HAProxy). */
      linear: z.strictObject({ window: positiveDuration(), atStartup: z.boolean().default(false) }).optional(),
      /** Envoy `slow_start_config`: aggression 1.0, min_weight_percent 10%. */
      envoy: z.strictObject({ window: positiveDuration(), aggression: z.number().positive().default(1), minWeight: percent().prefault("10%"), atStartup: z.boolean().default(false) }).optional(),
    }),
  ])
  .transform((value, ctx): SlowStartConfig => {
    if (value === "none") return { kind: "none" };
    const kind = onlyKey(value, SLOW_START_KINDS, "slow start kind", ctx);
    if (kind === null) return z.NEVER;
    if (kind === "none") return { kind: "none" };
    if (kind === "linear") return { kind, windowUs: value.linear!.window, applyAtStartup: value.linear!.atStartup };
    const e = value.envoy!;
    return { kind, windowUs: e.window, aggression: e.aggression, minWeightPercent: e.minWeight, applyAtStartup: e.atStartup };
  });

const panic = z.strictObject({
  /** Envoy `healthy_panic_threshold` (50% in the envoy preset); 0% disables. */
  threshold: percent().optional(),
  /** AWS target groups: route to all when none is healthy. */
  failOpen: z.boolean().optional(),
});

const drain = z.strictObject({
  /** ALB `deregistration_delay` (300s in the aws presets); `forever` waits for in-flight work (HAProxy, NGINX). */
  delay: z.union([z.literal("forever"), duration()]).optional(),
});

/** The health section as written. `preset` is optional: unset, the tier's proxy (lb.proxy) decides it. */
export const healthInput = z
  .strictObject({
    /** Whose defaults to start from. Default: the tier's proxy (lb.proxy), else haproxy: `check` is a TCP connect, the black-hole setup. */
    preset: z.enum(PRESET_NAMES as readonly [PresetName, ...PresetName[]]).optional(),
    /** false: no active checks at all (HAProxy servers without `check`, an Envoy cluster without `health_checks`). */
    active: z.boolean().optional(),
    probe: z.enum(["tcp", "http", "deep"]).optional(),
    interval: positiveDuration().optional(),
    timeout: positiveDuration().optional(),
    rise: threshold.optional(),
    fall: threshold.optional(),
    fastInterval: positiveDuration().optional(),
    downInterval: positiveDuration().optional(),
    healthyEdgeInterval: positiveDuration().optional(),
    unhealthyEdgeInterval: positiveDuration().optional(),
    /** HAProxy `spread-checks` (at most 50% with plus-minus jitter) or Envoy `interval_jitter_percent`. */
    jitter: percent().optional(),
    jitterMode: z.enum(["plus-minus", "plus"]).optional(),
    jitterMax: duration().optional(),
    initialJitter: duration().optional(),
    spreadFirstChecks: z.boolean().optional(),
    initialHealth: z.enum(["healthy", "healthy-until-first-failure", "unhealthy-until-first-pass", "unhealthy"]).optional(),
    immediateDownOnStatus: z.boolean().optional(),
    cadence: z.enum(["from-start", "from-result"]).optional(),
    expectedStatuses: z.array(statusRange).min(1).optional(),
    passive: passive.optional(),
    slowStart: slowStart.optional(),
    panic: panic.optional(),
    drain: drain.optional(),
  });

export type HealthInput = z.output<typeof healthInput>;

/** Resolves the written section against its preset (`defaultPreset` when the section names none). */
export function resolveHealth(h: HealthInput, ctx: z.RefinementCtx, defaultPreset: PresetName, at: readonly string[] = []): HealthConfig {
  const presetName = h.preset ?? defaultPreset;
  const active: Partial<Record<keyof ActiveCheckConfig, unknown>> = {
    probe: h.probe, intervalUs: h.interval, timeoutUs: h.timeout, rise: h.rise, fall: h.fall,
    fastIntervalUs: h.fastInterval, downIntervalUs: h.downInterval, healthyEdgeIntervalUs: h.healthyEdgeInterval,
    unhealthyEdgeIntervalUs: h.unhealthyEdgeInterval, jitterPercent: h.jitter, jitterMode: h.jitterMode, jitterMaxUs: h.jitterMax,
    initialJitterUs: h.initialJitter, spreadFirstChecksBySlot: h.spreadFirstChecks, initialHealth: h.initialHealth,
    immediateDownOnStatus: h.immediateDownOnStatus, cadence: h.cadence, expectedStatuses: h.expectedStatuses,
  };
  const overrides: Record<string, unknown> = Object.fromEntries(Object.entries(active).filter(([, v]) => v !== undefined));
  if (h.passive !== undefined) overrides.passive = h.passive;
  if (h.slowStart !== undefined) overrides.slowStart = h.slowStart;
  const panicOverrides: Record<string, unknown> = {};
  if (h.panic?.threshold !== undefined) panicOverrides.healthyPanicThresholdPercent = h.panic.threshold;
  if (h.panic?.failOpen !== undefined) panicOverrides.failOpenWhenNoneHealthy = h.panic.failOpen;
  overrides.panic = panicOverrides;
  if (h.drain?.delay !== undefined) overrides.drain = { deregistrationDelayUs: h.drain.delay === "forever" ? null : h.drain.delay };
  const activeFields = Object.keys(overrides).filter((k) => !["passive", "slowStart", "panic", "drain"].includes(k));
  if (h.active === false && activeFields.length > 0) {
    ctx.addIssue({ code: "custom", path: [...at, "active"], message: `expected no active-check fields with active: false, got ${activeFields.join(", ")}`, params: { expected: "no active-check fields with active: false" } });
    return z.NEVER;
  }
  try {
    const config = withPreset(presetName, overrides as HealthOverrides);
    if (h.active === true && config.active === null) throw new RangeError(`preset "${presetName}" has no active health checks (use "nginx-plus" for NGINX active checks)`);
    return h.active === false ? { ...config, active: null } : config;
  } catch (error) {
    const message = (error as Error).message;
    ctx.addIssue({ code: "custom", path: [...at, "preset"], message: `expected overrides that preset "${presetName}" can take: ${message}`, params: { expected: `overrides that preset "${presetName}" can take` } });
    return z.NEVER;
  }
}

/** The health section on its own, with HAProxy's preset as the default (the tier resolves it with its proxy's). */
export const health = healthInput.transform((h, ctx) => resolveHealth(h, ctx, "haproxy"));
