// Test helpers for the health library: a seeded uniform source (mulberry32) and a tiny host loop that drives one
// active checker against a backend whose health is a function of time, as the simulator or a proxy would.
import type { RandomSource } from "../../src/engine/ports.js";
import type { TimeUs } from "../../src/engine/time.js";
import {
  FAIL_TIMEOUT,
  PASS,
  firstCheckDelayUs,
  initialActiveCheckState,
  nextCheckStartUs,
  step,
  type ActiveCheckConfig,
  type Transition,
} from "../../src/health/index.js";

export function seededRandom(seed: number): RandomSource {
  let a = seed >>> 0;
  return {
    next(): number {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/** How long a passing check takes to answer in the host loop. */
export const PASS_LATENCY_US = 1_000;

export interface TimedTransition {
  readonly atUs: TimeUs;
  readonly transition: Transition;
}

/**
 * Runs checks until `horizonUs`. A check started at time t passes (answering after PASS_LATENCY_US) when
 * `backendUp(t)`, and otherwise times out (answering after the check timeout), the worst case for detection.
 */
export function runChecker(
  config: ActiveCheckConfig,
  backendUp: (startUs: TimeUs) => boolean,
  horizonUs: TimeUs,
  rng: RandomSource,
): TimedTransition[] {
  const transitions: TimedTransition[] = [];
  let state = initialActiveCheckState(config);
  let startUs = firstCheckDelayUs(config, rng);
  for (let guard = 0; startUs < horizonUs; guard++) {
    if (guard > 1_000_000) throw new Error("runChecker: too many checks");
    const up = backendUp(startUs);
    const resultUs = startUs + (up ? PASS_LATENCY_US : config.timeoutUs);
    const stepped = step(state, up ? PASS : FAIL_TIMEOUT, config);
    state = stepped.state;
    if (stepped.transition !== null) transitions.push({ atUs: resultUs, transition: stepped.transition });
    startUs = nextCheckStartUs(startUs, resultUs, state, config, rng);
  }
  return transitions;
}
