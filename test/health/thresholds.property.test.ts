// Proves, for random configs and observation sequences (fast-check, fixed seed), that the state never changes faster
// than the thresholds allow and always changes as soon as they are reached, by comparing with a reference model.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  FAIL_REFUSED,
  FAIL_TIMEOUT,
  PASS,
  initialActiveCheckState,
  preset,
  step,
  type ActiveCheckConfig,
  type CheckObservation,
  type InitialHealth,
} from "../../src/health/index.js";

const OBSERVATIONS: CheckObservation[] = [
  PASS,
  FAIL_TIMEOUT,
  FAIL_REFUSED,
  { kind: "fail", reason: "status", status: 503 },
  { kind: "fail", reason: "dependency", status: 200 },
];

const arbConfig = fc.record({
  rise: fc.integer({ min: 1, max: 6 }),
  fall: fc.integer({ min: 1, max: 6 }),
  immediateDownOnStatus: fc.boolean(),
  initialHealth: fc.constantFrom<InitialHealth>("healthy", "healthy-until-first-failure", "unhealthy-until-first-pass", "unhealthy"),
});
const arbSequence = fc.array(fc.integer({ min: 0, max: OBSERVATIONS.length - 1 }), { maxLength: 80 });
const RUNS = { seed: 20240604, numRuns: 500 } as const;

function configOf(p: { rise: number; fall: number; immediateDownOnStatus: boolean; initialHealth: InitialHealth }): ActiveCheckConfig {
  return { ...preset("haproxy").active!, ...p };
}

describe("thresholds are never bypassed", () => {
  it("every transition is justified by consecutive results, the first check, or the immediate-down rule", () => {
    fc.assert(
      fc.property(arbConfig, arbSequence, (p, seq) => {
        const config = configOf(p);
        let state = initialActiveCheckState(config);
        let passes = 0;
        let failures = 0;
        for (let i = 0; i < seq.length; i++) {
          const o = OBSERVATIONS[seq[i]!]!;
          passes = o.kind === "pass" ? passes + 1 : 0;
          failures = o.kind === "pass" ? failures : failures + 1;
          if (o.kind === "pass") failures = 0;
          const r = step(state, o, config);
          if (r.transition !== null) {
            expect(r.transition.from).toBe(state.status);
            const firstCheck = i === 0;
            if (r.transition.to === "unhealthy") {
              const appFailure = o.kind === "fail" && (o.reason === "status" || o.reason === "dependency");
              const ok =
                failures >= config.fall ||
                (config.immediateDownOnStatus && appFailure) ||
                (firstCheck && config.initialHealth === "healthy-until-first-failure");
              expect(ok).toBe(true);
            } else {
              expect(passes >= config.rise || (firstCheck && config.initialHealth === "unhealthy-until-first-pass")).toBe(true);
            }
          } else {
            expect(r.state.status).toBe(state.status);
          }
          state = r.state;
        }
      }),
      RUNS,
    );
  });

  it("matches a reference model exactly (settled starts, no immediate rule)", () => {
    fc.assert(
      fc.property(arbConfig, arbSequence, (p, seq) => {
        const config = configOf({ ...p, immediateDownOnStatus: false, initialHealth: p.initialHealth === "healthy" ? "healthy" : "unhealthy" });
        let state = initialActiveCheckState(config);
        // Reference: count results against the current status; flip exactly when the count reaches the threshold.
        let up = config.initialHealth === "healthy";
        let against = 0;
        for (const index of seq) {
          const o = OBSERVATIONS[index]!;
          const agrees = (o.kind === "pass") === up;
          against = agrees ? 0 : against + 1;
          let flipped = false;
          if (against === (up ? config.fall : config.rise)) {
            up = !up;
            against = 0;
            flipped = true;
          }
          const r = step(state, o, config);
          expect(r.state.status).toBe(up ? "healthy" : "unhealthy");
          expect(r.transition !== null).toBe(flipped);
          state = r.state;
        }
      }),
      RUNS,
    );
  });
});
