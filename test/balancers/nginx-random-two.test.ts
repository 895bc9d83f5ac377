// Proves the `nginx` P2C variant draws as NGINX `random two` does (ngx_http_upstream_get_random2_peer): two distinct
// peers drawn by weight, the second kept unless it has strictly more connections per weight.
import { describe, expect, it } from "vitest";
import { build, tally } from "./helpers.js";

describe("power-of-two-choices, nginx variant", () => {
  it("idle, a weight-1 and a weight-3 peer: the second draw wins the tie, so the light peer gets 3/4", () => {
    // Two peers and distinct draws: the pair is always {light, heavy}. The first is heavy with probability 3/4,
    // then the second is light and wins the 0 x 3 > 0 x 1 tie. So light's share is 3/4 (draws with replacement,
    // the later winning ties, would give light only P(second draw light) = 1/4).
    // N = 40000: SE = sqrt(0.1875 / 40000) = 0.0022; tolerance 4 SE = 0.009.
    const { balancer } = build({ algorithm: "power-of-two-choices", variant: "nginx" }, [{ id: "light", weight: 1 }, { id: "heavy", weight: 3 }], "nginx-r2");
    const n = 40_000;
    expect(Math.abs(tally(balancer, n).get("light")! / n - 0.75)).toBeLessThan(0.009);
  });

  it("a busy heavy peer loses both orders: light takes every pick but NGINX's 20-draw fallback", () => {
    // heavy (weight 3) has one connection, light (weight 1) none. First light, second heavy: 1 x 1 > 0 x 3 keeps
    // light; first heavy, second light: 0 x 3 > 1 x 1 is false, light stays. Only when 20 draws never give a
    // distinct pair (all heavy: (3/4)^20 = 0.0032; all light: 4e-13) does the pick fall back (NGINX: round robin;
    // here the distinct fallback, where heavy's (1 + 1) / 3 < light's (0 + 1) / 1). Of 1,000 picks the fallback
    // takes heavy about 3.2 times (Poisson); P(more than 12) < 1e-4.
    const { balancer } = build({ algorithm: "power-of-two-choices", variant: "nginx" }, [{ id: "light", weight: 1 }, { id: "heavy", weight: 3 }], "nginx-r2-busy");
    let heavy = balancer.pick({}).backend;
    while (heavy?.id !== "heavy") heavy = balancer.pick({}).backend;
    balancer.onRequestStart(heavy);
    const counts = tally(balancer, 1_000);
    expect(counts.get("light")! + (counts.get("heavy") ?? 0)).toBe(1_000);
    expect(counts.get("heavy") ?? 0).toBeLessThanOrEqual(12);
  });
});
