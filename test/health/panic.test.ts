// Proves the panic threshold (Envoy healthy_panic_threshold 50%) and ALB fail-open decide the routable set, and that
// draining backends are never routed to, even in panic.
import { describe, expect, it } from "vitest";
import { decideRouting, preset, routingMode, type RoutingCandidate } from "../../src/health/index.js";

const envoy = preset("envoy").panic;
const alb = preset("aws-alb").panic;
const haproxy = preset("haproxy").panic;
const pool = (healthy: number, unhealthy: number, draining = 0): RoutingCandidate[] => [
  ...Array.from({ length: healthy }, () => ({ candidate: true, eligible: true })),
  ...Array.from({ length: unhealthy }, () => ({ candidate: true, eligible: false })),
  ...Array.from({ length: draining }, () => ({ candidate: false, eligible: false })),
];

describe("panic and fail-open", () => {
  it("Envoy: 5 of 10 healthy (50%) is not panic; 4 of 10 (40%) is", () => {
    expect(routingMode(5, 10, envoy)).toBe("healthy-only");
    expect(routingMode(4, 10, envoy)).toBe("panic");
    expect(routingMode(0, 10, envoy)).toBe("panic");
  });

  it("in panic every candidate is routable, draining ones still are not", () => {
    const out: boolean[] = [];
    const d = decideRouting(pool(1, 3, 2), envoy, out);
    expect(d).toEqual({ mode: "panic", healthyCount: 1, candidateCount: 4 });
    expect(out).toEqual([true, true, true, true, false, false]);
  });

  it("healthy-only routes to the healthy ones", () => {
    const out: boolean[] = [];
    expect(decideRouting(pool(3, 1), envoy, out).mode).toBe("healthy-only");
    expect(out).toEqual([true, true, true, false]);
  });

  it("ALB fails open only when no target is healthy", () => {
    expect(routingMode(1, 10, alb)).toBe("healthy-only");
    const out: boolean[] = [];
    expect(decideRouting(pool(0, 3), alb, out).mode).toBe("fail-open");
    expect(out).toEqual([true, true, true]);
  });

  it("HAProxy has neither: with every server down nothing is routable", () => {
    const out: boolean[] = [];
    expect(decideRouting(pool(0, 3), haproxy, out).mode).toBe("none");
    expect(out).toEqual([false, false, false]);
    expect(routingMode(0, 0, alb)).toBe("none");
  });
});
