// The per-backend health view: active state, passive/outlier state and admin/drain state combined into one answer,
// "may this backend take new requests, and if not, why?", for a load-balancer node to feed its balancer.
// Answers are shared frozen constants, so asking allocates nothing.
import type { TimeUs } from "../engine/time.js";
import type { ActiveCheckState } from "./active-check-state.js";
import type { DrainState } from "./draining.js";
import type { OutlierHostState } from "./envoy-outlier.js";
import type { HealthConfig } from "./health-config.js";
import { nginxPassiveAvailable, type NginxPassiveState } from "./nginx-passive.js";

export interface BackendHealth {
  /** null when the pool has no active checks. */
  readonly active: ActiveCheckState | null;
  /** Used when the pool's passive config is NGINX's. */
  readonly nginx: NginxPassiveState | null;
  /** Used when the pool's passive config is Envoy outlier detection. */
  readonly outlier: OutlierHostState | null;
  readonly drain: DrainState;
}

/** In order of precedence: admin state beats health, active health beats passive. */
export type EligibilityReason = "eligible" | "draining" | "drained" | "active-check-failed" | "outlier-ejected" | "passive-failed";

export interface Eligibility {
  readonly eligible: boolean;
  readonly reason: EligibilityReason;
  /** Draining/drained backends are no longer candidates even for panic routing. */
  readonly candidate: boolean;
}

const answer = (eligible: boolean, reason: EligibilityReason, candidate: boolean): Eligibility =>
  Object.freeze({ eligible, reason, candidate });

export const ELIGIBILITY: Readonly<Record<EligibilityReason, Eligibility>> = Object.freeze({
  eligible: answer(true, "eligible", true),
  draining: answer(false, "draining", false),
  drained: answer(false, "drained", false),
  "active-check-failed": answer(false, "active-check-failed", true),
  "outlier-ejected": answer(false, "outlier-ejected", true),
  "passive-failed": answer(false, "passive-failed", true),
});

export function eligibility(backend: BackendHealth, config: HealthConfig, nowUs: TimeUs): Eligibility {
  if (backend.drain.phase === "draining") return ELIGIBILITY.draining;
  if (backend.drain.phase === "drained") return ELIGIBILITY.drained;
  if (backend.active !== null && backend.active.status === "unhealthy") return ELIGIBILITY["active-check-failed"];
  const passive = config.passive;
  if (passive.kind === "envoy-outlier" && backend.outlier !== null && backend.outlier.ejected) return ELIGIBILITY["outlier-ejected"];
  if (passive.kind === "nginx" && backend.nginx !== null && !nginxPassiveAvailable(backend.nginx, passive, nowUs)) {
    return ELIGIBILITY["passive-failed"];
  }
  return ELIGIBILITY.eligible;
}
