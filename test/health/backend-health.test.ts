// Proves the per-backend view combines admin/drain, active and passive state into one eligibility answer with a
// reason, in the documented precedence, without allocating per call.
import { describe, expect, it } from "vitest";
import { seconds } from "../../src/engine/time.js";
import {
  ELIGIBILITY,
  ENVOY_OUTLIER_DEFAULTS,
  NGINX_PASSIVE_DEFAULTS,
  NGINX_PASSIVE_INITIAL,
  OUTLIER_HOST_INITIAL,
  SERVING,
  eligibility,
  initialActiveCheckState,
  nginxPassiveOnFailure,
  preset,
  startDraining,
  type BackendHealth,
} from "../../src/health/index.js";

const envoy = preset("envoy");
const nginx = preset("nginx");
const healthyActive = initialActiveCheckState({ ...envoy.active!, initialHealth: "healthy" });
const base: BackendHealth = { active: healthyActive, nginx: null, outlier: OUTLIER_HOST_INITIAL, drain: SERVING };

describe("eligibility", () => {
  it("healthy everywhere: eligible, and the answer is a shared constant", () => {
    expect(eligibility(base, envoy, 0)).toBe(ELIGIBILITY.eligible);
  });

  it("draining beats everything and removes the backend from the candidates", () => {
    const draining = { ...base, drain: startDraining(SERVING, 0, envoy.drain), active: initialActiveCheckState(envoy.active!) };
    expect(eligibility(draining, envoy, 0)).toEqual({ eligible: false, reason: "draining", candidate: false });
  });

  it("active failure comes before outlier ejection", () => {
    const both = { ...base, active: initialActiveCheckState(envoy.active!), outlier: { ...OUTLIER_HOST_INITIAL, ejected: true } };
    expect(eligibility(both, envoy, 0).reason).toBe("active-check-failed");
    expect(eligibility({ ...base, outlier: { ...OUTLIER_HOST_INITIAL, ejected: true } }, envoy, 0).reason).toBe("outlier-ejected");
  });

  it("NGINX passive state makes a backend ineligible until fail_timeout passes", () => {
    const failed = { active: null, outlier: null, drain: SERVING, nginx: nginxPassiveOnFailure(NGINX_PASSIVE_INITIAL, NGINX_PASSIVE_DEFAULTS, 0) };
    expect(eligibility(failed, nginx, seconds(5))).toEqual({ eligible: false, reason: "passive-failed", candidate: true });
    expect(eligibility(failed, nginx, seconds(11)).eligible).toBe(true);
  });

  it("outlier state is ignored when the pool's passive config is not Envoy's", () => {
    expect(eligibility({ ...base, outlier: { ...OUTLIER_HOST_INITIAL, ejected: true } }, { ...envoy, passive: { kind: "none" } }, 0).eligible).toBe(true);
    expect(ENVOY_OUTLIER_DEFAULTS.kind).toBe("envoy-outlier");
  });
});
