// Proves every distribution draws with its theoretical mean and variance (within 4 standard errors), rejects
// impossible parameters, and keeps its first outputs for a fixed seed (no-regression snapshot).
import { describe, expect, it } from "vitest";
import {
  BoundedPareto, Constant, EmpiricalHistogram, EmpiricalSamples, Exponential, Gamma, LogNormal, Normal, Uniform,
  Weibull, Z_99, createDistribution, gammaFunction, type Distribution,
} from "../../src/engine/distributions/index.js";
import { Rng } from "../../src/engine/rng.js";

const N = 200_000;

const cases: Array<[string, Distribution]> = [
  ["constant", new Constant(3)],
  ["uniform", new Uniform(2, 10)],
  ["exponential", new Exponential(20)],
  ["normal", new Normal(50, 7)],
  ["lognormal(mu, sigma)", new LogNormal(1, 0.5)],
  ["lognormal(mean, p99)", LogNormal.fromMeanAndP99(20, 120)],
  ["gamma(k >= 1)", new Gamma(2.5, 4)],
  ["gamma(k < 1)", new Gamma(0.4, 10)],
  ["weibull", new Weibull(1.5, 10)],
  ["bounded pareto", new BoundedPareto(1.5, 1, 1000)],
  ["bounded pareto (alpha = 2)", new BoundedPareto(2, 1, 100)],
  ["empirical samples", new EmpiricalSamples([1, 2, 2, 3, 50])],
  ["empirical histogram", new EmpiricalHistogram({ bounds: [0, 10, 20, 100], weights: [5, 3, 2] })],
];

describe("distributions against theory", () => {
  for (const [name, distribution] of cases) {
    it(`${name}: sample mean and variance within 4 standard errors`, () => {
      const rng = Rng.root(11).fork(name);
      const values = new Float64Array(N);
      let sum = 0;
      for (let i = 0; i < N; i++) sum += values[i] = distribution.sample(rng);
      const mean = sum / N;
      let m2 = 0;
      let m4 = 0;
      for (const v of values) {
        const d = (v - mean) ** 2;
        m2 += d;
        m4 += d * d;
      }
      const variance = m2 / (N - 1);
      // SE of the mean is sigma / sqrt(N); SE of the sample variance is sqrt((m4 - sigma^4) / N).
      const seMean = Math.sqrt(distribution.variance / N);
      const seVariance = Math.sqrt(Math.max(0, m4 / N - variance * variance) / N);
      expect(Math.abs(mean - distribution.mean)).toBeLessThanOrEqual(4 * seMean + 1e-12);
      expect(Math.abs(variance - distribution.variance)).toBeLessThanOrEqual(4 * seVariance + 1e-9);
    });
  }

  it("lognormal from mean and p99 has exactly that mean and p99", () => {
    const d = LogNormal.fromMeanAndP99(20, 120);
    expect(d.mean).toBeCloseTo(20, 9);
    expect(Math.exp(d.mu + Z_99 * d.sigma)).toBeCloseTo(120, 9);
  });

  it("the gamma function matches known values", () => {
    expect(gammaFunction(5)).toBeCloseTo(24, 10);
    expect(gammaFunction(0.5)).toBeCloseTo(Math.sqrt(Math.PI), 12);
    expect(gammaFunction(1.5)).toBeCloseTo(Math.sqrt(Math.PI) / 2, 12);
  });

  it("bounded pareto stays within its bounds", () => {
    const d = new BoundedPareto(1.1, 5, 50);
    const rng = Rng.root(3).fork("bp");
    for (let i = 0; i < 10_000; i++) {
      const x = d.sample(rng);
      expect(x >= 5 && x <= 50).toBe(true);
    }
  });

  it("rejects impossible parameters with a message that names them", () => {
    expect(() => new Exponential(-1)).toThrow(/exponential mean must be a finite number > 0/);
    expect(() => new Uniform(5, 1)).toThrow(/uniform max \(1\) must be >= min \(5\)/);
    expect(() => LogNormal.fromMeanAndP99(20, 10)).toThrow(/p99 \(10\) must be greater than the mean/);
    expect(() => LogNormal.fromMeanAndP99(1, 1e6)).toThrow(/no lognormal has mean 1 and p99 1000000/);
    expect(() => new BoundedPareto(1, 10, 10)).toThrow(/max \(10\) must be greater than min/);
    expect(() => new EmpiricalSamples([])).toThrow(/must not be empty/);
    expect(() => new EmpiricalHistogram({ bounds: [0, 1], weights: [1, 2] })).toThrow(/n weights and n \+ 1 bounds/);
    expect(() => new Gamma(0, 1)).toThrow(/gamma shape/);
  });

  it("builds each kind from a plain spec", () => {
    expect(createDistribution({ kind: "exponential", mean: 5 }).mean).toBe(5);
    expect(createDistribution({ kind: "lognormal", mean: 10, p99: 40 }).mean).toBeCloseTo(10, 9);
    expect(createDistribution({ kind: "empirical", samples: [1, 3] }).mean).toBe(2);
    expect(createDistribution({ kind: "bounded-pareto", alpha: 1.2, min: 1, max: 10 }).label).toMatch(/bounded-pareto/);
  });

  it("keeps the first outputs of every distribution (no-regression snapshot)", () => {
    const firsts = Object.fromEntries(
      cases.map(([name, d]) => {
        const rng = Rng.root(2026).fork(`snapshot/${name}`);
        return [name, Array.from({ length: 4 }, () => Number(d.sample(rng).toPrecision(12)))];
      }),
    );
    expect(firsts).toMatchSnapshot();
  });
});
