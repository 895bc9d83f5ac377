// A distribution draws from a stream the caller passes in, so one distribution object can serve many streams
// (each request class, each backend) and the stream decides the draws: common random numbers across variants.
import type { RandomSource } from "../ports.js";

export interface Distribution {
  /** A short description for tables and error messages, e.g. "exponential(mean=20)". */
  readonly label: string;
  /** The theoretical mean and variance, used by tests and by reports (offered load = rate x mean). */
  readonly mean: number;
  readonly variance: number;
  sample(rng: RandomSource): number;
}

export function requirePositive(name: string, value: number): void {
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a finite number > 0, got ${value}`);
}

export function requireNonNegative(name: string, value: number): void {
  if (!(value >= 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
}
