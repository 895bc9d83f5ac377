// HAProxy passive health: `observe layer4|layer7` with `error-limit` (default 10, DEF_HANA_ERRLIMIT) and `on-error`
// (default `fail-check`, DEF_HANA_ONERR), following `health_adjust()` in src/check.c. Each observed event is an
// error, a success, or ignored according to the mode; a success clears the consecutive error count; when the count
// reaches `error-limit` the on-error action is applied to the *active* checker's state and the count is cleared:
// - `fastinter`: only force `fastinter` for the next check (every mode does this);
// - `fail-check`: count as one failed check;
// - `sudden-death`: leave at most one more failed check before down (health = rise + 1), then a failed check;
// - `mark-down`: mark down now (health = rise, then a failed check).
// HAProxy also reschedules the pending check to now + `fastinter` when that is sooner.
import type { TimeUs } from "../engine/time.js";
import type { ActiveCheckConfig } from "./active-check-config.js";
import type { ActiveCheckState } from "./active-check-state.js";
import { applyResult, type Transition } from "./active-check-step.js";

export type OnErrorMode = "fastinter" | "fail-check" | "sudden-death" | "mark-down";

export interface HaproxyObserveConfig {
  readonly kind: "haproxy-observe";
  readonly mode: "layer4" | "layer7";
  readonly errorLimit: number;
  readonly onError: OnErrorMode;
}

export interface HaproxyObserveState {
  readonly consecutiveErrors: number;
}

export const HAPROXY_OBSERVE_INITIAL: HaproxyObserveState = Object.freeze({ consecutiveErrors: 0 });

/** What the proxy saw on real traffic to the server (HAProxy's HANA_STATUS_* events). */
export type ObservedEvent =
  | { readonly kind: "connect-ok" }
  | { readonly kind: "connect-error" }
  | { readonly kind: "http-response"; readonly status: number }
  | { readonly kind: "invalid-response" }
  | { readonly kind: "read-error" }
  | { readonly kind: "read-timeout" }
  | { readonly kind: "broken-pipe" };

type Verdict = "error" | "ok" | "ignore";

/**
 * HAProxy's `analyze_statuses` table. layer4 judges connections only; layer7 judges HTTP answers and connection
 * errors, ignoring successful connects. Statuses 100-499, 501 and 505 are a correct answer (501 and 505 are caused by
 * the client's request, so they are not the server's fault); other 5xx are errors.
 */
export function observeVerdict(event: ObservedEvent, mode: HaproxyObserveConfig["mode"]): Verdict {
  switch (event.kind) {
    case "connect-ok":
      return mode === "layer4" ? "ok" : "ignore";
    case "connect-error":
      return "error";
    case "http-response": {
      if (mode === "layer4") return "ignore";
      const s = event.status;
      return s >= 100 && (s < 500 || s === 501 || s === 505) ? "ok" : "error";
    }
    default:
      return mode === "layer4" ? "ignore" : "error";
  }
}

export interface ObserveResult {
  readonly observe: HaproxyObserveState;
  readonly active: ActiveCheckState;
  readonly transition: Transition | null;
  /** Reschedule the pending check to no later than now + this (HAProxy does so when `fastinter` is set), or null. */
  readonly recheckWithinUs: TimeUs | null;
}

export function haproxyObserve(
  observe: HaproxyObserveState,
  active: ActiveCheckState,
  event: ObservedEvent,
  config: HaproxyObserveConfig,
  activeConfig: ActiveCheckConfig,
): ObserveResult {
  const verdict = observeVerdict(event, config.mode);
  if (verdict === "ignore") return { observe, active, transition: null, recheckWithinUs: null };
  if (verdict === "ok") {
    const cleared = observe.consecutiveErrors === 0 ? observe : HAPROXY_OBSERVE_INITIAL;
    return { observe: cleared, active, transition: null, recheckWithinUs: null };
  }
  const errors = observe.consecutiveErrors + 1;
  if (errors < config.errorLimit) return { observe: { consecutiveErrors: errors }, active, transition: null, recheckWithinUs: null };

  let next = active;
  let transition: Transition | null = null;
  if (config.onError !== "fastinter") {
    let toFlip = active.toFlip;
    if (config.onError === "sudden-death" && active.status === "healthy") toFlip = Math.min(toFlip, 2);
    if (config.onError === "mark-down" && active.status === "healthy") toFlip = 1;
    const applied = applyResult({ ...active, toFlip }, false, false, activeConfig, false);
    next = applied.state;
    transition = applied.transition;
  }
  return {
    observe: HAPROXY_OBSERVE_INITIAL,
    active: { ...next, forceFastInterval: true },
    transition,
    recheckWithinUs: activeConfig.fastIntervalUs ?? null,
  };
}

/** HAProxy clears the observed error count when an active check passes. */
export function haproxyObserveOnCheckPassed(observe: HaproxyObserveState): HaproxyObserveState {
  return observe.consecutiveErrors === 0 ? observe : HAPROXY_OBSERVE_INITIAL;
}
