// Fitting a service-demand distribution to observed times: maximum-likelihood lognormal, gamma and Weibull, each
// judged by the Kolmogorov-Smirnov statistic D = sup |F_n(x) - F(x)|, the smallest D chosen; and when even that
// fit is rejected by the KS test at the 1% level (D above 1.628 / sqrt(n), the asymptotic critical value; with
// parameters estimated from the same data the true level is lower still, so a rejection is conservative), the
// empirical distribution itself (its quantiles) is used instead. Times are in microseconds.
import { Z_99 } from "../engine/distributions/normal.js";

export type FittedFamily = "lognormal" | "gamma" | "weibull" | "empirical";

export interface CandidateFit {
  family: Exclude<FittedFamily, "empirical">;
  /** lognormal: mu, sigma (of ln us); gamma and weibull: shape, scale (us). */
  params: Record<string, number>;
  ksD: number;
}

export interface DistributionFit {
  family: FittedFamily;
  params: Record<string, number>;
  /** The chosen fit's KS statistic (for empirical: the best parametric one's, which was rejected). */
  ksD: number;
  /** The KS test's 1% critical value for this sample size. */
  ksCritical: number;
  n: number;
  candidates: CandidateFit[];
  /** For empirical: quantiles of the sample, in us. */
  quantiles: number[];
  mean: number;
}

/** Asymptotic 1% critical value of the one-sample KS statistic (Smirnov). */
export const ksCritical01 = (n: number): number => 1.628 / Math.sqrt(n);

// erf by Abramowitz & Stegun 7.1.26 is too coarse for tails; use the complementary error function by a
// continued-fraction-free Chebyshev fit (Numerical Recipes' erfc, fractional error < 1.2e-7).
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

const normalCdf = (z: number): number => 0.5 * erfc(-z / Math.SQRT2);

/** ln Gamma(x), Lanczos (g = 7, n = 9). */
function lnGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const y = x - 1;
  let a = c[0]!;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The regularized lower incomplete gamma P(a, x): series below a + 1, continued fraction above. */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const lead = a * Math.log(x) - x - lnGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 500; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-14) break;
    }
    return Math.min(1, sum * Math.exp(lead));
  }
  // Lentz's method for the continued fraction of Q(a, x).
  let b = x + 1 - a;
  let c = 1e300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-14) break;
  }
  return Math.max(0, 1 - Math.exp(lead) * h);
}

function digamma(x: number): number {
  let result = 0;
  let v = x;
  while (v < 6) { result -= 1 / v; v += 1; }
  const f = 1 / (v * v);
  return result + Math.log(v) - 0.5 / v - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))));
}

const trigamma = (x: number): number => {
  let result = 0;
  let v = x;
  while (v < 6) { result += 1 / (v * v); v += 1; }
  const f = 1 / (v * v);
  return result + 1 / v + f / 2 + (1 / v) * f * (1 / 6 - f * (1 / 30 - f * (1 / 42 - f / 30)));
};

/** KS statistic of a sorted sample against a CDF. */
export function ksStatistic(sorted: readonly number[], cdf: (x: number) => number): number {
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]!);
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  return d;
}

export function fitLognormal(logs: readonly number[]): { mu: number; sigma: number } {
  const n = logs.length;
  const mu = logs.reduce((a, b) => a + b, 0) / n;
  const sigma = Math.sqrt(logs.reduce((s, v) => s + (v - mu) ** 2, 0) / n);
  return { mu, sigma: Math.max(sigma, 1e-9) };
}

/** Gamma MLE: Minka's (2002) closed-form start, then Newton on ln k - psi(k) = ln mean - mean ln. */
export function fitGamma(values: readonly number[], logs: readonly number[]): { shape: number; scale: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const s = Math.log(mean) - logs.reduce((a, b) => a + b, 0) / logs.length;
  if (!(s > 1e-12)) return { shape: 1e6, scale: mean / 1e6 };
  let k = (3 - s + Math.sqrt((s - 3) ** 2 + 24 * s)) / (12 * s);
  for (let i = 0; i < 50; i++) {
    const step = (Math.log(k) - digamma(k) - s) / (1 / k - trigamma(k));
    const next = k - step;
    k = next > 0 ? next : k / 2;
    if (Math.abs(step) < 1e-10 * k) break;
  }
  return { shape: k, scale: mean / k };
}

/** Weibull MLE: Newton on the shape's profile equation, on values scaled by their mean for stability. */
export function fitWeibull(values: readonly number[]): { shape: number; scale: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const x = values.map((v) => v / mean);
  const lx = x.map(Math.log);
  const meanLog = lx.reduce((a, b) => a + b, 0) / x.length;
  let k = 1.2;
  for (let i = 0; i < 100; i++) {
    let s0 = 0, s1 = 0, s2 = 0;
    for (let j = 0; j < x.length; j++) {
      const p = x[j]! ** k;
      s0 += p; s1 += p * lx[j]!; s2 += p * lx[j]! * lx[j]!;
    }
    const g = s1 / s0 - 1 / k - meanLog;
    const dg = (s2 * s0 - s1 * s1) / (s0 * s0) + 1 / (k * k);
    const next = k - g / dg;
    const clamped = next > 0 ? Math.min(next, 100) : k / 2;
    if (Math.abs(clamped - k) < 1e-10 * k) { k = clamped; break; }
    k = clamped;
  }
  const scale = mean * (x.reduce((s, v) => s + v ** k, 0) / x.length) ** (1 / k);
  return { shape: k, scale };
}

/** Quantiles at (i + 0.5) / count of a sorted sample (the empirical distribution, thinned). */
export function quantiles(sorted: readonly number[], count: number): number[] {
  const n = sorted.length;
  return Array.from({ length: Math.min(count, n) }, (_, i) => sorted[Math.min(n - 1, Math.floor(((i + 0.5) / Math.min(count, n)) * n))]!);
}

/** Fits a positive sample (us; values below 1 us count as 1 us, the clock's resolution). */
export function fitDemand(sample: readonly number[], empiricalPoints = 200): DistributionFit {
  const values = sample.map((v) => Math.max(1, v)).sort((a, b) => a - b);
  const n = values.length;
  if (n === 0) throw new RangeError("no samples to fit");
  const logs = values.map(Math.log);
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const ln = fitLognormal(logs);
  const ga = fitGamma(values, logs);
  const wb = fitWeibull(values);
  const candidates: CandidateFit[] = [
    { family: "lognormal", params: { mu: ln.mu, sigma: ln.sigma }, ksD: ksStatistic(values, (x) => normalCdf((Math.log(x) - ln.mu) / ln.sigma)) },
    { family: "gamma", params: { shape: ga.shape, scale: ga.scale }, ksD: ksStatistic(values, (x) => gammaP(ga.shape, x / ga.scale)) },
    { family: "weibull", params: { shape: wb.shape, scale: wb.scale }, ksD: ksStatistic(values, (x) => 1 - Math.exp(-((x / wb.scale) ** wb.shape))) },
  ];
  const best = candidates.reduce((a, b) => (b.ksD < a.ksD ? b : a));
  const critical = ksCritical01(n);
  if (best.ksD <= critical) return { family: best.family, params: best.params, ksD: best.ksD, ksCritical: critical, n, candidates, quantiles: [], mean };
  return { family: "empirical", params: {}, ksD: best.ksD, ksCritical: critical, n, candidates, quantiles: quantiles(values, empiricalPoints), mean };
}

/** Z_99 re-exported for callers that turn a lognormal's mu/sigma into its p99. */
export { Z_99 };
