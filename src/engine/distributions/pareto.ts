import type { RandomSource } from "../ports.js";
import { requirePositive, type Distribution } from "./distribution.js";

/**
 * Bounded Pareto on [min, max] with tail index alpha: heavy-tailed job sizes that still have a largest job
 * (Harchol-Balter's model of web and compute workloads). Sampled by inverting the CDF
 * F(x) = (1 - (L/x)^a) / (1 - (L/H)^a).
 */
export class BoundedPareto implements Distribution {
  readonly label: string;
  readonly mean: number;
  readonly variance: number;
  private readonly minPow: number;
  private readonly ratioPow: number;
  constructor(readonly alpha: number, readonly min: number, readonly max: number) {
    requirePositive("bounded pareto alpha", alpha);
    requirePositive("bounded pareto min", min);
    if (!(max > min)) throw new RangeError(`bounded pareto max (${max}) must be greater than min (${min})`);
    this.minPow = Math.pow(min, alpha);
    this.ratioPow = Math.pow(min / max, alpha);
    this.mean = this.moment(1);
    this.variance = this.moment(2) - this.mean * this.mean;
    this.label = `bounded-pareto(alpha=${alpha}, min=${min}, max=${max})`;
  }

  /** E[X^k] = a L^a / (1 - (L/H)^a) * integral from L to H of x^(k - a - 1) dx. */
  private moment(k: number): number {
    const { alpha, min, max } = this;
    const integral = k === alpha
      ? Math.log(max / min)
      : (Math.pow(max, k - alpha) - Math.pow(min, k - alpha)) / (k - alpha);
    return (alpha * this.minPow * integral) / (1 - this.ratioPow);
  }

  sample(rng: RandomSource): number {
    // Solve F(x) = u: (L/x)^a = 1 - u (1 - (L/H)^a).
    const u = rng.next();
    return this.min / Math.pow(1 - u * (1 - this.ratioPow), 1 / this.alpha);
  }
}
