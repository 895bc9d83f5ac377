// Proves retry delays follow the AWS "Exponential Backoff And Jitter" definitions: exact capped exponentials
// without jitter, each jitter mode inside its bounds with the right mean (4 SE), the cap always held, and
// attempt 0 meaning the first retry with a ceiling of baseUs.
import { describe, expect, it } from "vitest";
import type { RandomSource } from "../../src/engine/ports.js";
import { Rng } from "../../src/engine/rng.js";
import { backoffCeilingUs, backoffDelayUs, type BackoffJitter, type BackoffPolicy } from "../../src/model/retry-backoff.js";

const MS = 1000;
const N = 100_000;

function policy(jitter: BackoffJitter, extra: Partial<BackoffPolicy> = {}): BackoffPolicy {
  return { baseUs: 100 * MS, capUs: 10_000 * MS, jitter, ...extra };
}

/** Draws N delays for one attempt; returns their min, max and mean. */
function draw(attempt: number, p: BackoffPolicy, seed: number): { min: number; max: number; mean: number } {
  const rng = Rng.root(seed).fork("backoff");
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < N; i++) {
    const d = backoffDelayUs(attempt, p, rng);
    if (!Number.isInteger(d)) throw new Error(`delay ${d} is not whole microseconds`);
    min = Math.min(min, d);
    max = Math.max(max, d);
    sum += d;
  }
  return { min, max, mean: sum / N };
}

describe("no jitter", () => {
  it("doubles from baseUs at attempt 0 up to the cap", () => {
    const rng = Rng.root(1);
    const delays = Array.from({ length: 10 }, (_, n) => backoffDelayUs(n, policy("none"), rng) / MS);
    expect(delays).toEqual([100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000, 10_000]);
  });

  it("grows by the multiplier when one is given", () => {
    expect(backoffDelayUs(2, policy("none", { multiplier: 3 }), Rng.root(1))).toBe(900 * MS);
    expect(backoffDelayUs(2, policy("none", { multiplier: 1 }), Rng.root(1))).toBe(100 * MS);
  });

  it("draws nothing from the stream", () => {
    let draws = 0;
    const counting: RandomSource = { next: () => (draws++, 0.5) };
    backoffDelayUs(3, policy("none"), counting);
    expect(draws).toBe(0);
    backoffDelayUs(3, policy("full"), counting);
    expect(draws).toBe(1);
  });
});

describe("full jitter", () => {
  for (const attempt of [0, 3, 12]) {
    it(`attempt ${attempt}: within [0, ceiling], mean half the capped exponential`, () => {
      // c = min(cap, base 2^n): 100 ms, 800 ms, 10 s (capped). round(c U) has mean exactly c/2 for whole c
      // (the end values 0 and c each get half a bucket), and SD about c / sqrt(12), so SE = c / sqrt(12 N).
      const c = backoffCeilingUs(attempt, policy("full"));
      const { min, max, mean } = draw(attempt, policy("full"), 10 + attempt);
      expect(min).toBeGreaterThanOrEqual(0);
      expect(max).toBeLessThanOrEqual(c);
      expect(max).toBeGreaterThan(0.99 * c); // it really spans the range, not a narrower one
      expect(Math.abs(mean - c / 2)).toBeLessThanOrEqual(4 * (c / Math.sqrt(12 * N)));
    });
  }
});

describe("equal jitter", () => {
  it("stays within [c/2, c] with mean 3c/4", () => {
    // c = 400 ms at attempt 2: c/2 + U c/2 has mean 3c/4 = 300 ms and SD (c/2)/sqrt(12).
    const c = 400 * MS;
    const { min, max, mean } = draw(2, policy("equal"), 20);
    expect(min).toBeGreaterThanOrEqual(c / 2);
    expect(max).toBeLessThanOrEqual(c);
    expect(Math.abs(mean - (3 * c) / 4)).toBeLessThanOrEqual(4 * (c / 2 / Math.sqrt(12 * N)));
  });
});

describe("decorrelated jitter", () => {
  it("starts in [base, 3 base] with mean 2 base when there is no previous delay", () => {
    // Uniform on [base, 3 base]: mean 2 base, SD 2 base / sqrt(12).
    const base = 100 * MS;
    const { min, max, mean } = draw(0, policy("decorrelated"), 30);
    expect(min).toBeGreaterThanOrEqual(base);
    expect(max).toBeLessThanOrEqual(3 * base);
    expect(Math.abs(mean - 2 * base)).toBeLessThanOrEqual(4 * ((2 * base) / Math.sqrt(12 * N)));
  });

  it("draws each delay in [base, min(cap, 3 x previous)] along a chain of retries, reaching the cap", () => {
    const p = policy("decorrelated");
    const rng = Rng.root(31).fork("chain");
    let previous = backoffDelayUs(0, p, rng);
    let atCap = 0;
    // The first delay outside its bounds, if any (two expect() calls per draw were most of this test's time).
    let outside: string | null = null;
    for (let attempt = 1; attempt < N; attempt++) {
      const d = backoffDelayUs(attempt, p, rng, previous);
      if (outside === null && (d < p.baseUs || d > Math.min(p.capUs, 3 * previous))) outside = `attempt ${attempt}: ${d} after ${previous}`;
      if (d === p.capUs) atCap++;
      previous = d;
    }
    expect(outside).toBeNull();
    expect(atCap).toBeGreaterThan(0);
  });
});

describe("every mode", () => {
  const modes: BackoffJitter[] = ["none", "full", "equal", "decorrelated"];

  it("respects the cap at attempts where the exponential overflows", () => {
    const rng = Rng.root(40);
    for (const mode of modes) {
      for (const attempt of [30, 60, 1100]) {
        const d = backoffDelayUs(attempt, policy(mode), rng, 10_000 * MS);
        expect(d).toBeLessThanOrEqual(10_000 * MS);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(Number.isInteger(d)).toBe(true);
      }
    }
    expect(backoffDelayUs(1100, policy("none"), rng)).toBe(10_000 * MS);
  });

  it("treats attempt 0 as the first retry: its ceiling is baseUs", () => {
    expect(backoffCeilingUs(0, policy("full"))).toBe(100 * MS);
    const { max } = draw(0, policy("full"), 41);
    expect(max).toBeLessThanOrEqual(100 * MS);
  });

  it("repeats its draws for the same seed (no-regression snapshot of the first outputs)", () => {
    const firstDelays = (mode: BackoffJitter): number[] => {
      const rng = Rng.root(2024).fork("snapshot");
      const delays: number[] = [];
      let previous: number | undefined;
      for (let n = 0; n < 4; n++) delays.push((previous = backoffDelayUs(n, policy(mode), rng, previous)));
      return delays;
    };
    expect(modes.map(firstDelays)).toEqual(modes.map(firstDelays));
    expect(modes.map(firstDelays)).toEqual([
      [100_000, 200_000, 400_000, 800_000],
      [49_299, 135_369, 355_924, 175_996],
      [74_650, 167_685, 377_962, 487_998],
      [198_599, 435_579, 1_173_768, 852_668],
    ]);
  });

  it("rejects impossible attempts and policies", () => {
    const rng = Rng.root(1);
    expect(() => backoffDelayUs(-1, policy("full"), rng)).toThrow(/attempt/);
    expect(() => backoffDelayUs(1.5, policy("full"), rng)).toThrow(/attempt/);
    expect(() => backoffDelayUs(0, policy("full", { capUs: 50 * MS }), rng)).toThrow(/capUs/);
    expect(() => backoffDelayUs(0, policy("full", { baseUs: 0 }), rng)).toThrow(/baseUs/);
    expect(() => backoffDelayUs(0, policy("full", { multiplier: 0.5 }), rng)).toThrow(/multiplier/);
    expect(() => backoffDelayUs(0, policy("decorrelated"), rng, -5)).toThrow(/previous/);
  });
});
