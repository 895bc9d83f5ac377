import type { RandomSource } from "../ports.js";
import { requireNonNegative, requirePositive, type Distribution } from "./distribution.js";

/** z for the 99th percentile of the standard normal. */
export const Z_99 = 2.3263478740408408;

/**
 * A standard normal draw by Box-Muller, always two uniforms per draw. No cached spare: a cache would make one
 * draw depend on whether the previous caller used the spare, and streams must consume predictably.
 */
export function standardNormal(rng: RandomSource): number {
  const radius = Math.sqrt(-2 * Math.log(1 - rng.next()));
  return radius * Math.cos(2 * Math.PI * rng.next());
}

export class Normal implements Distribution {
  readonly label: string;
  readonly variance: number;
  constructor(readonly mean: number, readonly stdDev: number) {
    requireNonNegative("normal stdDev", stdDev);
    if (!Number.isFinite(mean)) throw new RangeError(`normal mean must be finite, got ${mean}`);
    this.variance = stdDev * stdDev;
    this.label = `normal(mean=${mean}, stdDev=${stdDev})`;
  }
  sample(rng: RandomSource): number {
    return this.mean + this.stdDev * standardNormal(rng);
  }
}

/** exp(N(mu, sigma^2)): the usual shape of service times, a long right tail. */
export class LogNormal implements Distribution {
  readonly label: string;
  readonly mean: number;
  readonly variance: number;
  constructor(readonly mu: number, readonly sigma: number) {
    requireNonNegative("lognormal sigma", sigma);
    if (!Number.isFinite(mu)) throw new RangeError(`lognormal mu must be finite, got ${mu}`);
    const s2 = sigma * sigma;
    this.mean = Math.exp(mu + s2 / 2);
    this.variance = Math.expm1(s2) * Math.exp(2 * mu + s2);
    this.label = `lognormal(mu=${round(mu)}, sigma=${round(sigma)})`;
  }

  /**
   * The lognormal with a given mean and 99th percentile, the two numbers people know about a latency.
   * With m = ln(mean) and q = ln(p99): q = mu + z*sigma and m = mu + sigma^2/2, so
   * sigma^2/2 - z*sigma + (q - m) = 0 and sigma = z - sqrt(z^2 - 2(q - m)), the smaller root (the larger one
   * puts the p99 below the median). A solution needs p99 > mean and ln(p99/mean) <= z^2/2.
   */
  static fromMeanAndP99(mean: number, p99: number): LogNormal {
    requirePositive("lognormal mean", mean);
    requirePositive("lognormal p99", p99);
    const gap = Math.log(p99 / mean);
    if (!(gap > 0)) throw new RangeError(`lognormal p99 (${p99}) must be greater than the mean (${mean})`);
    const discriminant = Z_99 * Z_99 - 2 * gap;
    if (discriminant < 0) {
      const limit = mean * Math.exp((Z_99 * Z_99) / 2);
      throw new RangeError(`no lognormal has mean ${mean} and p99 ${p99}: p99 can be at most ${round(limit)}`);
    }
    const sigma = Z_99 - Math.sqrt(discriminant);
    return new LogNormal(Math.log(mean) - (sigma * sigma) / 2, sigma);
  }

  sample(rng: RandomSource): number {
    return Math.exp(this.mu + this.sigma * standardNormal(rng));
  }
}

function round(value: number): number {
  return Number(value.toPrecision(6));
}
