// When the next check is due. The library never sets timers: the host asks for a delay after each check and
// schedules the probe itself, so a simulator and a real proxy drive the same code.
import type { TimeUs } from "../engine/time.js";
import type { RandomSource } from "../engine/ports.js";
import type { ActiveCheckConfig } from "./active-check-config.js";
import { settledToFlip, type ActiveCheckState } from "./active-check-state.js";

export type IntervalKind = "inter" | "fastinter" | "downinter" | "healthy-edge" | "unhealthy-edge";

/**
 * Which interval applies now, before jitter. HAProxy `srv_getinter()`: `inter` when fully up, `downinter` (else
 * `inter`) when fully down, `fastinter` (else `inter`) in between, and `fastinter` when forced by `observe` errors.
 * Envoy: `healthy_edge_interval`/`unhealthy_edge_interval` right after a change, `unhealthy_interval` while down.
 * Without `fastIntervalUs` a checker in transition keeps its status' interval (Envoy has no fastinter); the HAProxy
 * preset sets `fastIntervalUs` equal to `inter`, which is what HAProxy does when `fastinter` is not given.
 */
export function intervalKind(state: ActiveCheckState, config: ActiveCheckConfig): IntervalKind {
  if (state.justChanged) {
    if (state.status === "healthy" && config.healthyEdgeIntervalUs !== undefined) return "healthy-edge";
    if (state.status === "unhealthy" && config.unhealthyEdgeIntervalUs !== undefined) return "unhealthy-edge";
  }
  const settled = state.toFlip === settledToFlip(state.status, config);
  if ((!settled || state.forceFastInterval) && config.fastIntervalUs !== undefined) return "fastinter";
  return state.status === "healthy" ? "inter" : "downinter";
}

export function baseIntervalUs(state: ActiveCheckState, config: ActiveCheckConfig): TimeUs {
  switch (intervalKind(state, config)) {
    case "healthy-edge":
      return config.healthyEdgeIntervalUs ?? config.intervalUs;
    case "unhealthy-edge":
      return config.unhealthyEdgeIntervalUs ?? config.downIntervalUs ?? config.intervalUs;
    case "fastinter":
      return config.fastIntervalUs ?? config.intervalUs;
    case "downinter":
      return config.downIntervalUs ?? config.intervalUs;
    case "inter":
      return config.intervalUs;
  }
}

/**
 * Adds the configured jitter to a base interval. HAProxy `spread-checks` spreads symmetrically (base +/- percent);
 * Envoy adds `random % (base * interval_jitter_percent / 100)` and then `random % interval_jitter`. Draws from `rng`
 * only for jitter that is configured, so a config without jitter consumes no randomness.
 */
export function jitteredUs(baseUs: TimeUs, config: ActiveCheckConfig, rng: RandomSource): TimeUs {
  let delayUs = baseUs;
  if (config.jitterPercent > 0) {
    const spreadUs = Math.floor((baseUs * config.jitterPercent) / 100);
    if (spreadUs > 0) {
      delayUs =
        config.jitterMode === "plus-minus"
          ? baseUs - spreadUs + Math.floor(rng.next() * (2 * spreadUs + 1))
          : baseUs + Math.floor(rng.next() * spreadUs);
    }
  }
  if (config.jitterMaxUs > 0) delayUs += Math.floor(rng.next() * config.jitterMaxUs);
  return Math.max(1, delayUs);
}

/** The delay before the next check, measured as `config.cadence` says (from the last check's start or its result). */
export function nextCheckDelayUs(state: ActiveCheckState, config: ActiveCheckConfig, rng: RandomSource): TimeUs {
  return jitteredUs(baseIntervalUs(state, config), config, rng);
}

/** Where a backend sits among the servers checked by one checker (HAProxy spreads first checks by position). */
export interface CheckSlot {
  readonly index: number;
  readonly count: number;
}

/** The delay from the checker's start to a backend's first check: Envoy `initial_jitter`, HAProxy's spread by position. */
export function firstCheckDelayUs(config: ActiveCheckConfig, rng: RandomSource, slot?: CheckSlot): TimeUs {
  let delayUs = 0;
  if (config.spreadFirstChecksBySlot && slot !== undefined && slot.count > 0) {
    // HAProxy start_checks() spreads first checks over `mininter * srvpos / nbcheck`, where mininter is the
    // smallest srv_getinter() at startup: a server starts in transition (health = rise), so that is `fastinter`
    // (which defaults to `inter`). Measured on HAProxy 2.6.12 by the conformance lab: with inter 2s and three
    // servers, first checks 160 ms apart for fastinter 500ms and 320 ms apart for fastinter 1s.
    delayUs += Math.floor(((config.fastIntervalUs ?? config.intervalUs) * slot.index) / slot.count);
  }
  if (config.initialJitterUs > 0) delayUs += Math.floor(rng.next() * config.initialJitterUs);
  return delayUs;
}

/**
 * The absolute start time of the next check, given when the last one started and when its result arrived.
 * `from-start` keeps a fixed rate but never starts a check before the previous one finished.
 */
export function nextCheckStartUs(
  lastStartUs: TimeUs,
  lastResultUs: TimeUs,
  state: ActiveCheckState,
  config: ActiveCheckConfig,
  rng: RandomSource,
): TimeUs {
  const delayUs = nextCheckDelayUs(state, config, rng);
  return config.cadence === "from-start" ? Math.max(lastStartUs + delayUs, lastResultUs) : lastResultUs + delayUs;
}
