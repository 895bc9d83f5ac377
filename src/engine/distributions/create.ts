// Builds a distribution from a plain description: the form scenario files use once the schema has validated
// them. Parameters are in whatever unit the caller means (the scenario layer converts times to microseconds).
import { Constant, Exponential, Uniform } from "./basic.js";
import type { Distribution } from "./distribution.js";
import { EmpiricalHistogram, EmpiricalSamples, type HistogramSpec } from "./empirical.js";
import { Gamma, Weibull } from "./gamma.js";
import { LogNormal, Normal } from "./normal.js";
import { BoundedPareto } from "./pareto.js";

export type DistributionSpec =
  | { kind: "constant"; value: number }
  | { kind: "uniform"; min: number; max: number }
  | { kind: "exponential"; mean: number }
  | { kind: "normal"; mean: number; stdDev: number }
  | { kind: "lognormal"; mu: number; sigma: number }
  | { kind: "lognormal"; mean: number; p99: number }
  | { kind: "gamma"; shape: number; scale: number }
  | { kind: "weibull"; shape: number; scale: number }
  | { kind: "bounded-pareto"; alpha: number; min: number; max: number }
  | { kind: "empirical"; samples: readonly number[] }
  | { kind: "empirical"; histogram: HistogramSpec };

export function createDistribution(spec: DistributionSpec): Distribution {
  switch (spec.kind) {
    case "constant":
      return new Constant(spec.value);
    case "uniform":
      return new Uniform(spec.min, spec.max);
    case "exponential":
      return new Exponential(spec.mean);
    case "normal":
      return new Normal(spec.mean, spec.stdDev);
    case "lognormal":
      return "p99" in spec ? LogNormal.fromMeanAndP99(spec.mean, spec.p99) : new LogNormal(spec.mu, spec.sigma);
    case "gamma":
      return new Gamma(spec.shape, spec.scale);
    case "weibull":
      return new Weibull(spec.shape, spec.scale);
    case "bounded-pareto":
      return new BoundedPareto(spec.alpha, spec.min, spec.max);
    case "empirical":
      return "samples" in spec ? new EmpiricalSamples(spec.samples) : new EmpiricalHistogram(spec.histogram);
  }
}
