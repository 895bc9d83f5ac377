// Proves each arrival process delivers the count its rate integrates to (within 4 standard errors), the right
// gap and timing distributions, whole and strictly increasing microseconds, exact constant spacing, and the
// same sequence for the same seed.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvariantError } from "../../src/engine/invariant.js";
import { Rng } from "../../src/engine/rng.js";
import {
  BurstyArrivals, MAX_RATE_PER_SECOND, TimelineArrivals, createArrivalProcess, type ArrivalProcess, type ArrivalSpec,
  type BurstySpec,
} from "../../src/model/arrivals/index.js";

const S = 1_000_000; // microseconds per second

/** Counts arrivals in (0, endUs], checking each is a whole microsecond strictly after the previous. */
function countUntil(process: ArrivalProcess, rng: Rng, endUs: number): number {
  let nowUs = 0;
  let count = 0;
  for (;;) {
    const t = process.next(nowUs, rng);
    if (t > endUs) return count;
    if (!Number.isInteger(t) || t <= nowUs) throw new Error(`bad arrival ${t} after ${nowUs}`);
    nowUs = t;
    count++;
  }
}

function firstArrivals(spec: ArrivalSpec, seed: number, n: number): number[] {
  const process = createArrivalProcess(spec);
  const rng = Rng.root(seed).fork("arrivals");
  const times: number[] = [];
  let nowUs = 0;
  for (let i = 0; i < n; i++) {
    nowUs = process.next(nowUs, rng);
    times.push(nowUs);
  }
  return times;
}

/** A Poisson count has variance equal to its mean, so 4 SE = 4 sqrt(mean). */
function expectPoissonCount(count: number, mean: number): void {
  expect(Math.abs(count - mean)).toBeLessThanOrEqual(4 * Math.sqrt(mean));
}

describe("poisson", () => {
  it("counts rate x window arrivals: 1000/s over 100 s gives 100,000 +- 4 x 316", () => {
    const count = countUntil(createArrivalProcess({ kind: "poisson", ratePerSecond: 1000 }), Rng.root(1).fork("p"), 100 * S);
    expectPoissonCount(count, 100_000);
  });

  it("keeps its rate at 200k/s, where gaps are 5 us and rounding each gap would lose about 10%", () => {
    // Mean 200,000 in 1 s, 4 SE = 1,789. Drawing each gap from the rounded time instead of the exact one adds
    // about 0.5 us per gap: 1/(5.5 us) = 181,818/s, which is 40 SE away.
    const count = countUntil(createArrivalProcess({ kind: "poisson", ratePerSecond: 200_000 }), Rng.root(2).fork("p"), S);
    expectPoissonCount(count, 200_000);
  });

  it("has exponential gaps: mean 1/rate and variance 1/rate^2", () => {
    // Rate 1000/s: gaps Exp with mean 1000 us and variance 1e6 us^2 (rounding adds about 1/6 us^2, negligible).
    // SE of the mean = 1000/sqrt(N); for an exponential the fourth central moment is 9 sigma^4, so the SE of
    // the sample variance is sqrt((9 - 1) sigma^4 / N).
    const n = 200_000;
    const process = createArrivalProcess({ kind: "poisson", ratePerSecond: 1000 });
    const rng = Rng.root(3).fork("p");
    const gaps = new Float64Array(n);
    let nowUs = 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const t = process.next(nowUs, rng);
      sum += gaps[i] = t - nowUs;
      nowUs = t;
    }
    const mean = sum / n;
    let squares = 0;
    for (const gap of gaps) squares += (gap - mean) ** 2;
    const variance = squares / (n - 1);
    expect(Math.abs(mean - 1000)).toBeLessThanOrEqual(4 * (1000 / Math.sqrt(n)));
    expect(Math.abs(variance - 1e6)).toBeLessThanOrEqual(4 * Math.sqrt(8 / n) * 1e6);
  });

  it("never arrives at rate 0", () => {
    expect(createArrivalProcess({ kind: "poisson", ratePerSecond: 0 }).next(0, Rng.root(1))).toBe(Infinity);
  });
});

describe("constant", () => {
  it("spaces arrivals exactly, rounding the k-th to round(k x period) without drift", () => {
    expect(firstArrivals({ kind: "constant", ratePerSecond: 3 }, 1, 6)).toEqual([333_333, 666_667, 1_000_000, 1_333_333, 1_666_667, 2_000_000]);
    expect(firstArrivals({ kind: "constant", ratePerSecond: 1000 }, 1, 3)).toEqual([1000, 2000, 3000]);
    // 30,000 arrivals in 10,000 s at 3/s: the 30,000th lands exactly on 10,000 s.
    expect(countUntil(createArrivalProcess({ kind: "constant", ratePerSecond: 3 }), Rng.root(1), 10_000 * S)).toBe(30_000);
  });

  it("uses no randomness", () => {
    expect(firstArrivals({ kind: "constant", ratePerSecond: 7 }, 1, 20)).toEqual(firstArrivals({ kind: "constant", ratePerSecond: 7 }, 2, 20));
  });

  it("restarts one period after a later time it is given", () => {
    const process = createArrivalProcess({ kind: "constant", ratePerSecond: 1000 });
    expect(process.next(0, Rng.root(1))).toBe(1000);
    expect(process.next(5_500, Rng.root(1))).toBe(6_500);
  });

  it("puts one arrival in every microsecond at the maximum rate", () => {
    expect(firstArrivals({ kind: "constant", ratePerSecond: MAX_RATE_PER_SECOND }, 1, 4)).toEqual([1, 2, 3, 4]);
  });
});

describe("bursty (MMPP-2)", () => {
  // On 200/s for Exp(0.5 s), off 0/s for Exp(1.5 s). Switching rates alpha = 1/0.5 = 2/s (on -> off) and
  // beta = 1/1.5 = 2/3 /s (off -> on), k = alpha + beta = 8/3 /s. Long-run rate
  // (200 x 0.5 + 0 x 1.5) / 2 = 50/s, and the process starts stationary, so E[N(T)] = 50 T.
  // Var N(T) = mean + Var(integral of the rate) with Cov(rate(0), rate(tau)) = pi_on pi_off (l1 - l2)^2 e^{-k tau}
  // and pi_on pi_off = alpha beta / k^2, giving
  //   Var N(T) = 50 T + 2 alpha beta (l1 - l2)^2 / k^3 x (T - (1 - e^{-kT}) / k).
  // At T = 20 s: 1000 + 5625 x 19.625 = 111,391 (SD 334), which is why a Poisson tolerance would be wrong here.
  const spec: BurstySpec = { kind: "bursty", onRatePerSecond: 200, offRatePerSecond: 0, onMeanUs: 0.5 * S, offMeanUs: 1.5 * S };
  const alpha = 2;
  const beta = 2 / 3;
  const k = alpha + beta;
  const windowS = 20;
  const meanTheory = 50 * windowS;
  const varianceTheory = meanTheory + ((2 * alpha * beta * 200 ** 2) / k ** 3) * (windowS - (1 - Math.exp(-k * windowS)) / k);

  it("reports the long-run mean rate", () => {
    expect(new BurstyArrivals(spec).meanRatePerSecond).toBe(50);
    expect(createArrivalProcess(spec).rateAt(123)).toBe(50);
  });

  it("counts 50 T per window of T (mean within 4 SE) with the MMPP count variance (within 4 SE)", () => {
    // R independent replications (each its own stream): SE of the mean = sqrt(Var/R); SE of the sample
    // variance = sqrt((m4 - s^4) / R) from the sample fourth moment.
    const replications = 2000;
    const counts = new Float64Array(replications);
    let sum = 0;
    for (let r = 0; r < replications; r++) {
      sum += counts[r] = countUntil(createArrivalProcess(spec), Rng.root(4).fork(`rep${r}`), windowS * S);
    }
    const mean = sum / replications;
    let m2 = 0;
    let m4 = 0;
    for (const c of counts) {
      const d = (c - mean) ** 2;
      m2 += d;
      m4 += d * d;
    }
    const variance = m2 / (replications - 1);
    const seVariance = Math.sqrt((m4 / replications - variance * variance) / replications);
    expect(varianceTheory).toBeCloseTo(111_391, -1);
    expect(Math.abs(mean - meanTheory)).toBeLessThanOrEqual(4 * Math.sqrt(varianceTheory / replications));
    expect(Math.abs(variance - varianceTheory)).toBeLessThanOrEqual(4 * seVariance);
  });

  it("keeps switching phases through a silence: the state 1000 s later is independent of the state at 0", () => {
    // On 1000/s for Exp(1 s), off (0/s) for Exp(3 s): pi_on = 1/4, mixing time 1/k = 0.75 s. "Looks on" means
    // the next arrival comes within w = 20 ms. P(looks on | on) = lambda/(lambda + alpha) (1 - e^{-(lambda + alpha) w})
    // = 0.999; P(looks on | off) = int_0^w beta e^{-beta r} (1 - e^{-lambda (w - r)}) dr (the off phase ends at r,
    // then an arrival comes before w). After 1000 s the state is independent of time 0, so
    // P(looks on at T | looks on at 0) = P(looks on) = 1/4 x 0.999 + 3/4 x P(looks on | off) = 0.2545.
    // A process whose phase froze while no arrivals came would give about 0.98.
    const lambda = 1000;
    const a = 1;
    const b = 1 / 3;
    const w = 0.02;
    const onLooksOn = (lambda / (lambda + a)) * (1 - Math.exp(-(lambda + a) * w));
    const offLooksOn = 1 - Math.exp(-b * w) - (b / (lambda - b)) * (Math.exp(-b * w) - Math.exp(-lambda * w));
    const pLooksOn = 0.25 * onLooksOn + 0.75 * offLooksOn;
    const later = 1000 * S;
    let onAtStart = 0;
    let onAtBoth = 0;
    for (let r = 0; r < 6000; r++) {
      const process = createArrivalProcess({ kind: "bursty", onRatePerSecond: lambda, offRatePerSecond: 0, onMeanUs: S, offMeanUs: 3 * S });
      const rng = Rng.root(5).fork(`rep${r}`);
      if (process.next(0, rng) > w * S) continue;
      onAtStart++;
      if (process.next(later, rng) - later <= w * S) onAtBoth++;
    }
    const conditional = onAtBoth / onAtStart;
    expect(Math.abs(conditional - pLooksOn)).toBeLessThanOrEqual(4 * Math.sqrt((pLooksOn * (1 - pLooksOn)) / onAtStart));
  });

  it("never arrives when both rates are 0", () => {
    const process = createArrivalProcess({ kind: "bursty", onRatePerSecond: 0, offRatePerSecond: 0, onMeanUs: 1, offMeanUs: 1 });
    expect(process.next(0, Rng.root(1))).toBe(Infinity);
  });
});

describe("timeline", () => {
  it("a ramp from 0 to R over T gives R T / 2 arrivals, placed with density 2t/T^2 (mean time 2T/3)", () => {
    // R = 2000/s, T = 60 s: mean count 60,000, Poisson, 4 SE = 980. Given the count N, the times are iid with
    // density 2t/T^2 on [0, T]: mean 2T/3 and variance T^2/18, so the SE of their mean is T / sqrt(18 N).
    const process = createArrivalProcess({ kind: "timeline", points: [{ atUs: 0, ratePerSecond: 0 }, { atUs: 60 * S, ratePerSecond: 2000 }] });
    const rng = Rng.root(6).fork("t");
    const endUs = 60 * S;
    let nowUs = 0;
    let count = 0;
    let timeSum = 0;
    for (;;) {
      const t = process.next(nowUs, rng);
      if (t > endUs) break;
      count++;
      timeSum += t;
      nowUs = t;
    }
    expectPoissonCount(count, 60_000);
    expect(Math.abs(timeSum / count - (2 * endUs) / 3)).toBeLessThanOrEqual(4 * (endUs / Math.sqrt(18 * count)));
  });

  it("skips stretches at rate 0 and follows steps: 100/s only between 10 s and 20 s", () => {
    // Mean 100 x 10 = 1000 arrivals, all inside [10 s, 20 s], then none ever (rate 0 after the last point).
    const process = createArrivalProcess({
      kind: "timeline",
      points: [
        { atUs: 0, ratePerSecond: 0 }, { atUs: 10 * S, ratePerSecond: 0 }, { atUs: 10 * S, ratePerSecond: 100 },
        { atUs: 20 * S, ratePerSecond: 100 }, { atUs: 20 * S, ratePerSecond: 0 },
      ],
    });
    const rng = Rng.root(7).fork("t");
    let nowUs = 0;
    let count = 0;
    for (;;) {
      const t = process.next(nowUs, rng);
      if (t === Infinity) break;
      expect(t).toBeGreaterThanOrEqual(10 * S);
      expect(t).toBeLessThanOrEqual(20 * S);
      nowUs = t;
      count++;
    }
    expectPoissonCount(count, 1000);
  });

  it("a ramp down to 0 ends the arrivals after R T / 2 of them", () => {
    // 1000/s falling to 0 over 10 s: the whole process holds 5000 arrivals in expectation (4 SE = 283).
    const process = createArrivalProcess({ kind: "timeline", points: [{ atUs: 0, ratePerSecond: 1000 }, { atUs: 10 * S, ratePerSecond: 0 }] });
    expectPoissonCount(countUntil(process, Rng.root(8).fork("t"), Number.MAX_SAFE_INTEGER), 5000);
  });

  it("counts the integral over a triangle with a constant tail", () => {
    // 0 -> 400/s over 0..10 s, back to 100/s by 30 s, then 100/s. Integral to 40 s:
    // 400 x 10 / 2 + (400 + 100) / 2 x 20 + 100 x 10 = 2000 + 5000 + 1000 = 8000.
    const process = createArrivalProcess({
      kind: "timeline",
      points: [{ atUs: 0, ratePerSecond: 0 }, { atUs: 10 * S, ratePerSecond: 400 }, { atUs: 30 * S, ratePerSecond: 100 }],
    });
    expectPoissonCount(countUntil(process, Rng.root(9).fork("t"), 40 * S), 8000);
  });

  it("reports the interpolated rate, the later point at a step, and the last rate after the end", () => {
    const process = new TimelineArrivals({
      points: [{ atUs: 0, ratePerSecond: 0 }, { atUs: 10, ratePerSecond: 100 }, { atUs: 10, ratePerSecond: 7 }, { atUs: 20, ratePerSecond: 7 }],
    });
    expect(process.rateAt(5)).toBeCloseTo(50, 9);
    expect(process.rateAt(10)).toBeCloseTo(7, 9);
    expect(process.rateAt(1e12)).toBeCloseTo(7, 9);
  });

  it("rejects a timeline that does not start at 0, goes back in time, or has a bad rate", () => {
    expect(() => new TimelineArrivals({ points: [] })).toThrow(RangeError);
    expect(() => new TimelineArrivals({ points: [{ atUs: 5, ratePerSecond: 1 }] })).toThrow(/at 0us/);
    expect(() => new TimelineArrivals({ points: [{ atUs: 0, ratePerSecond: 1 }, { atUs: 9, ratePerSecond: 1 }, { atUs: 8, ratePerSecond: 1 }] })).toThrow(/back in time/);
    expect(() => new TimelineArrivals({ points: [{ atUs: 0, ratePerSecond: -1 }] })).toThrow(RangeError);
    expect(() => new TimelineArrivals({ points: [{ atUs: 0.5, ratePerSecond: 1 }] })).toThrow(/whole number/);
  });
});

describe("diurnal", () => {
  // base 1000/s, amplitude 0.8, period 60 s, phase 0. Over a whole period the sine integrates to 0: mean
  // 60,000. Over the first quarter, int_0^{P/4} sin(2 pi t / P) dt = P / (2 pi), so the mean is
  // 1000 x (15 + 0.8 x 60 / (2 pi)) = 22,639 (a flat process would give 15,000, 60 SE away).
  const spec = { kind: "diurnal", baseRatePerSecond: 1000, amplitude: 0.8, periodUs: 60 * S, phaseUs: 0 } as const;

  it("counts base x period over a whole period", () => {
    expectPoissonCount(countUntil(createArrivalProcess(spec), Rng.root(10).fork("d"), 60 * S), 60_000);
  });

  it("counts the integrated sine over the rising quarter", () => {
    expectPoissonCount(countUntil(createArrivalProcess(spec), Rng.root(11).fork("d"), 15 * S), 1000 * (15 + (0.8 * 60) / (2 * Math.PI)));
  });

  it("peaks a quarter period after the phase and reaches 0 at amplitude 1", () => {
    const process = createArrivalProcess({ ...spec, amplitude: 1, phaseUs: 5 * S });
    expect(process.rateAt(20 * S)).toBeCloseTo(2000, 6);
    expect(process.rateAt(50 * S)).toBeCloseTo(0, 6);
    expect(process.rateAt(5 * S)).toBeCloseTo(1000, 6);
  });

  it("rejects an amplitude outside [0, 1] and a peak above one arrival per microsecond", () => {
    expect(() => createArrivalProcess({ ...spec, amplitude: 1.5 })).toThrow(RangeError);
    expect(() => createArrivalProcess({ ...spec, baseRatePerSecond: MAX_RATE_PER_SECOND })).toThrow(/peak/);
  });
});

describe("every process", () => {
  const specs: ArrivalSpec[] = [
    { kind: "poisson", ratePerSecond: 5000 },
    { kind: "constant", ratePerSecond: 333 },
    { kind: "bursty", onRatePerSecond: 20_000, offRatePerSecond: 10, onMeanUs: 2000, offMeanUs: 5000 },
    { kind: "timeline", points: [{ atUs: 0, ratePerSecond: 0 }, { atUs: 1000, ratePerSecond: 500_000 }, { atUs: 5000, ratePerSecond: 100 }] },
    { kind: "diurnal", baseRatePerSecond: 3000, amplitude: 1, periodUs: 10_000, phaseUs: 123 },
  ];

  it("returns whole microseconds, strictly increasing, for any seed and any restart time (property)", () => {
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom(...specs), fc.array(fc.nat(1_000_000), { maxLength: 4 }), (seed, spec, restarts) => {
        const process = createArrivalProcess(spec);
        const rng = Rng.root(seed).fork("prop");
        let nowUs = 0;
        for (let i = 0; i < 300; i++) {
          // Now and then the caller skips ahead (a client that paused), which restarts the sequence.
          const skip = i % 75 === 74 ? (restarts[(i / 75) | 0] ?? 0) : 0;
          const fromUs = nowUs + skip;
          const t = process.next(fromUs, rng);
          if (t === Infinity) return true;
          if (!Number.isInteger(t) || t <= fromUs) return false;
          nowUs = t;
        }
        return true;
      }),
      { numRuns: 200, seed: 42 },
    );
  });

  it("repeats its sequence for the same seed and differs for another", () => {
    for (const spec of specs) {
      expect(firstArrivals(spec, 99, 500)).toEqual(firstArrivals(spec, 99, 500));
      if (spec.kind !== "constant") expect(firstArrivals(spec, 99, 50)).not.toEqual(firstArrivals(spec, 100, 50));
    }
  });

  it("keeps its first outputs for a fixed seed (no-regression snapshot)", () => {
    expect(specs.map((spec) => firstArrivals(spec, 2024, 5))).toEqual([
      [61, 491, 625, 689, 897],
      [3003, 6006, 9009, 12012, 15015],
      [33, 49, 101, 116, 135],
      [35, 99, 112, 117, 134],
      [162, 336, 399, 1143, 1301],
    ]);
  });

  it("refuses to go back in time", () => {
    for (const spec of specs) {
      const process = createArrivalProcess(spec);
      const rng = Rng.root(1);
      const t = process.next(0, rng);
      expect(() => process.next(t - 1, rng)).toThrow(InvariantError);
    }
  });

  it("rejects negative, non-finite and unrepresentable rates", () => {
    for (const rate of [-1, Number.NaN, Infinity, MAX_RATE_PER_SECOND + 1]) {
      expect(() => createArrivalProcess({ kind: "poisson", ratePerSecond: rate })).toThrow(RangeError);
      expect(() => createArrivalProcess({ kind: "constant", ratePerSecond: rate })).toThrow(RangeError);
    }
    expect(() => createArrivalProcess({ kind: "bursty", onRatePerSecond: 1, offRatePerSecond: 0, onMeanUs: 0, offMeanUs: 1 })).toThrow(/onMeanUs/);
  });
});
