// Proves random streams are derived from (seed, label) alone: reproducible, independent of fork order and of
// other forks, different across seeds, with a snapshot so a silent change to the generator fails a test.
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/engine/rng.js";

const draws = (rng: Rng, n: number): number[] => Array.from({ length: n }, () => rng.next());

describe("Rng", () => {
  it("gives the same stream for the same seed and label", () => {
    expect(draws(Rng.root(1).fork("arrivals"), 20)).toEqual(draws(Rng.root(1).fork("arrivals"), 20));
  });

  it("a stream does not depend on other forks or on fork order", () => {
    const alone = draws(Rng.root(9).fork("backend/b3/gc"), 50);
    const root = Rng.root(9);
    const extra = root.fork("a-new-component");
    draws(extra, 1000); // draws from an unrelated stream
    root.fork("another");
    expect(draws(root.fork("backend").fork("b3").fork("gc"), 50)).toEqual(alone);
  });

  it("different seeds and different labels give different streams", () => {
    expect(draws(Rng.root(1).fork("x"), 5)).not.toEqual(draws(Rng.root(2).fork("x"), 5));
    expect(draws(Rng.root(1).fork("x"), 5)).not.toEqual(draws(Rng.root(1).fork("y"), 5));
  });

  it("draws uniform doubles in [0, 1) and integers in [0, n)", () => {
    const rng = Rng.root("u").fork("t");
    const n = 100_000;
    let sum = 0;
    const buckets = new Array<number>(10).fill(0);
    // Draws outside [0, 1), counted rather than asserted one by one (an expect() per draw was most of the time).
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      buckets[rng.int(10)]!++;
    }
    expect(outside).toBe(0);
    // Mean of U(0,1) is 1/2 with sd sqrt(1/12)/sqrt(n) = 0.000913; 4 SE = 0.0037.
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.0037);
    // Each bucket count is Binomial(n, 0.1): sd = sqrt(n * 0.1 * 0.9) = 94.9; 4 SE = 380.
    for (const count of buckets) expect(Math.abs(count - n / 10)).toBeLessThan(380);
  });

  it("keeps its first outputs (no-regression snapshot)", () => {
    expect(draws(Rng.root(2026).fork("snapshot"), 5)).toMatchSnapshot();
  });
});
