import type { RandomSource } from "../ports.js";
import { type Distribution } from "./distribution.js";

/** Resamples measured values with equal probability (the bootstrap): for replaying a captured latency log. */
export class EmpiricalSamples implements Distribution {
  readonly label: string;
  readonly mean: number;
  readonly variance: number;
  private readonly values: Float64Array;
  constructor(samples: readonly number[]) {
    if (samples.length === 0) throw new RangeError("empirical samples must not be empty");
    for (const value of samples) {
      if (!(value >= 0) || !Number.isFinite(value)) throw new RangeError(`empirical samples must be finite and >= 0, got ${value}`);
    }
    this.values = Float64Array.from(samples);
    let sum = 0;
    for (const value of this.values) sum += value;
    this.mean = sum / this.values.length;
    let squares = 0;
    for (const value of this.values) squares += (value - this.mean) ** 2;
    this.variance = squares / this.values.length;
    this.label = `empirical(${samples.length} samples)`;
  }
  sample(rng: RandomSource): number {
    return this.values[Math.floor(rng.next() * this.values.length)]!;
  }
}

export interface HistogramSpec {
  /** Bucket edges, ascending: bucket i is [bounds[i], bounds[i + 1]). */
  bounds: readonly number[];
  /** One weight (count or share) per bucket. */
  weights: readonly number[];
}

/** Draws a bucket by weight, then a value uniformly inside it: a latency histogram from a dashboard, replayed. */
export class EmpiricalHistogram implements Distribution {
  readonly label: string;
  readonly mean: number;
  readonly variance: number;
  private readonly cumulative: Float64Array;
  private readonly bounds: Float64Array;
  constructor(spec: HistogramSpec) {
    const { bounds, weights } = spec;
    if (weights.length === 0 || bounds.length !== weights.length + 1) {
      throw new RangeError(`an empirical histogram needs n weights and n + 1 bounds, got ${weights.length} and ${bounds.length}`);
    }
    for (let i = 0; i < weights.length; i++) {
      if (!(bounds[i + 1]! > bounds[i]!)) throw new RangeError(`histogram bounds must increase, at index ${i + 1}`);
      if (!(weights[i]! >= 0)) throw new RangeError(`histogram weights must be >= 0, at index ${i}`);
    }
    if (!(bounds[0]! >= 0)) throw new RangeError("histogram bounds must start at 0 or above");
    const total = weights.reduce((sum, w) => sum + w, 0);
    if (!(total > 0)) throw new RangeError("histogram weights must not all be 0");
    this.bounds = Float64Array.from(bounds);
    this.cumulative = new Float64Array(weights.length);
    let running = 0;
    let mean = 0;
    let secondMoment = 0;
    for (let i = 0; i < weights.length; i++) {
      const p = weights[i]! / total;
      const a = bounds[i]!;
      const b = bounds[i + 1]!;
      running += p;
      this.cumulative[i] = running;
      // Uniform on [a, b): mean (a + b) / 2 and E[X^2] = (a^2 + ab + b^2) / 3.
      mean += (p * (a + b)) / 2;
      secondMoment += (p * (a * a + a * b + b * b)) / 3;
    }
    this.cumulative[weights.length - 1] = 1;
    this.mean = mean;
    this.variance = secondMoment - mean * mean;
    this.label = `empirical(${weights.length} buckets)`;
  }
  sample(rng: RandomSource): number {
    const u = rng.next();
    const cumulative = this.cumulative;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    const a = this.bounds[lo]!;
    return a + (this.bounds[lo + 1]! - a) * rng.next();
  }
}
