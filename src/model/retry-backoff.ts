// How long a client waits before retrying, following Marc Brooker, "Exponential Backoff And Jitter", AWS
// Architecture Blog (2015), which the AWS SDKs implement:
//   none:         min(cap, base x m^n)
//   full:         random(0, min(cap, base x m^n))
//   equal:        c / 2 + random(0, c / 2), with c = min(cap, base x m^n)
//   decorrelated: min(cap, random(base, previous x 3)), with previous = base before the first retry
// where n is the retry attempt and m the multiplier (2 in the blog). The blog's measurements are why jitter
// matters here: without it, clients that failed together retry together, and the retries arrive as a spike.
import type { RandomSource } from "../engine/ports.js";

export type BackoffJitter = "none" | "full" | "equal" | "decorrelated";

export interface BackoffPolicy {
  /** The first delay's scale: the un-jittered delay before retry attempt 0. Whole microseconds, > 0. */
  baseUs: number;
  /** No delay exceeds this. Whole microseconds, >= baseUs. */
  capUs: number;
  /** Growth per attempt for the exponential modes; DEFAULT_BACKOFF_MULTIPLIER when absent. Decorrelated uses 3. */
  multiplier?: number;
  jitter: BackoffJitter;
}

/** The blog's (and the AWS SDKs') doubling. */
export const DEFAULT_BACKOFF_MULTIPLIER = 2;
/** Decorrelated jitter's growth bound, from the blog: random(base, previous x 3). */
export const DECORRELATED_GROWTH = 3;

/** Throws a RangeError naming the field when a policy cannot be drawn from. Cheap: backoffDelayUs calls it. */
export function checkBackoffPolicy(policy: Readonly<BackoffPolicy>): void {
  const { baseUs, capUs, multiplier = DEFAULT_BACKOFF_MULTIPLIER } = policy;
  if (!(Number.isInteger(baseUs) && baseUs > 0)) throw new RangeError(`backoff baseUs must be a whole number of microseconds > 0, got ${baseUs}`);
  if (!(Number.isInteger(capUs) && capUs >= baseUs)) throw new RangeError(`backoff capUs must be a whole number of microseconds >= baseUs (${baseUs}), got ${capUs}`);
  if (!(multiplier >= 1 && Number.isFinite(multiplier))) throw new RangeError(`backoff multiplier must be a finite number >= 1, got ${multiplier}`);
}

/**
 * The capped exponential min(cap, base x m^attempt) before any jitter (not rounded). Attempt 0 is the first
 * retry, so its ceiling is baseUs. A huge attempt overflows m^attempt to Infinity, which the cap absorbs.
 */
export function backoffCeilingUs(attempt: number, policy: Readonly<BackoffPolicy>): number {
  const growth = Math.pow(policy.multiplier ?? DEFAULT_BACKOFF_MULTIPLIER, attempt);
  return Math.min(policy.capUs, policy.baseUs * growth);
}

/**
 * The delay in whole microseconds before retry `attempt` (0 for the first retry, after the original request
 * failed). `previousDelayUs` is the delay this function returned for the previous retry; only decorrelated
 * jitter reads it, and it defaults to baseUs, as in the blog. "none" draws nothing from `rng`; the other
 * modes draw exactly one number.
 */
export function backoffDelayUs(attempt: number, policy: Readonly<BackoffPolicy>, rng: RandomSource, previousDelayUs?: number): number {
  if (!(Number.isInteger(attempt) && attempt >= 0)) throw new RangeError(`retry attempt must be a whole number >= 0, got ${attempt}`);
  checkBackoffPolicy(policy);
  switch (policy.jitter) {
    case "none":
      return Math.round(backoffCeilingUs(attempt, policy));
    case "full":
      return Math.round(rng.next() * backoffCeilingUs(attempt, policy));
    case "equal": {
      const half = backoffCeilingUs(attempt, policy) / 2;
      return Math.round(half + rng.next() * half);
    }
    case "decorrelated": {
      const previousUs = previousDelayUs ?? policy.baseUs;
      if (!(previousUs >= 0 && Number.isFinite(previousUs))) throw new RangeError(`previous backoff delay must be a finite number >= 0, got ${previousUs}`);
      // A previous delay below base / 3 (never one this function returned) would make the range empty; start at base.
      const highUs = Math.max(policy.baseUs, previousUs * DECORRELATED_GROWTH);
      return Math.round(Math.min(policy.capUs, policy.baseUs + rng.next() * (highUs - policy.baseUs)));
    }
  }
}
