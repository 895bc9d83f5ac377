import type { RandomSource } from "../ports.js";
import { requireNonNegative, requirePositive, type Distribution } from "./distribution.js";

export class Constant implements Distribution {
  readonly label: string;
  readonly mean: number;
  readonly variance = 0;
  constructor(readonly value: number) {
    requireNonNegative("constant value", value);
    this.mean = value;
    this.label = `constant(${value})`;
  }
  sample(_rng: RandomSource): number {
    return this.value;
  }
}

/** Uniform on [min, max). */
export class Uniform implements Distribution {
  readonly label: string;
  readonly mean: number;
  readonly variance: number;
  private readonly width: number;
  constructor(readonly min: number, readonly max: number) {
    requireNonNegative("uniform min", min);
    if (!(max >= min)) throw new RangeError(`uniform max (${max}) must be >= min (${min})`);
    this.width = max - min;
    this.mean = (min + max) / 2;
    this.variance = (this.width * this.width) / 12;
    this.label = `uniform(${min}, ${max})`;
  }
  sample(rng: RandomSource): number {
    return this.min + this.width * rng.next();
  }
}

/** Exponential by inversion: -mean * ln(1 - U). 1 - U is in (0, 1], so the log is finite. */
export class Exponential implements Distribution {
  readonly label: string;
  readonly variance: number;
  constructor(readonly mean: number) {
    requirePositive("exponential mean", mean);
    this.variance = mean * mean;
    this.label = `exponential(mean=${mean})`;
  }
  sample(rng: RandomSource): number {
    return -Math.log(1 - rng.next()) * this.mean;
  }
}
