// Proves `compare` can be trusted: every metric says which way is better and losses and latency are judged
// before costs (fewer retries from a variant that fails far more is "not a win"); a variant's interval stays
// inside what its seeds can give (a count never below zero, a fraction never above one); numbers keep three
// significant digits so a small significant difference never prints as zero; chart subtitles name the seeds.
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/engine/rng.js";
import { compareVariants, COMPARED_METRICS } from "../../src/lab/compare.js";
import { bootstrapInterval, meanInterval } from "../../src/lab/statistics.js";
import { comparisonSpec } from "../../src/report/chart-comparison.js";
import { latencyCdfSpec } from "../../src/report/chart-latency-cdf.js";
import { formatMeasured } from "../../src/report/format.js";
import type { RunSummary } from "../../src/report/report-data.js";
import { buildFixtureReport } from "../report/fixture.js";

/** A summary with the compared metrics only. */
function summary(seed: string, lostFraction: number, p99: number, balancerRetries: number): RunSummary {
  return {
    seed,
    requests: { lostFraction },
    latencyMs: { p50: 10, p99, p999: p99 * 2 },
    tries: { retries: 0 },
    attempts: { retries: balancerRetries, duplicates: 0 },
  } as unknown as RunSummary;
}

const SEEDS = ["1", "1-2", "1-3", "1-4", "1-5", "1-6"];

describe("compare verdicts", () => {
  it("every compared metric says lower is better, and the rows carry it", () => {
    expect(COMPARED_METRICS.every((m) => m.better === "lower")).toBe(true);
    const runs = [SEEDS.map((s, i) => summary(s, 0.01, 100 + i, 0)), SEEDS.map((s, i) => summary(s, 0.01, 120 + i, 0))];
    const { rows } = compareVariants(["a", "b"], runs);
    expect(rows.find((r) => r.metric === "requests.lostFraction")).toMatchObject({ better: "lower", unit: "%" });
  });

  it("fewer retries from a variant that loses 70 times more is not a win; losses are judged first", () => {
    // tcp: 35.5% lost on average, no balancer retries (it never notices the hang); http: 0.525% lost (means over
    // the six seeds: 0.005 + 0.0001 x 2.5), 507.5 retries, shown with three significant digits as 508.
    const tcp = SEEDS.map((s, i) => summary(s, 0.35 + i * 0.002, 3800 + i, 0));
    const http = SEEDS.map((s, i) => summary(s, 0.005 + i * 0.0001, 160 + i, 500 + 3 * i));
    const { verdicts } = compareVariants(["tcp", "http"], [tcp, http]);
    expect(verdicts[0]).toMatch(/^http beats tcp on lost requests: 0\.525% vs 35\.50% \(paired difference -34\.98%, 95% CI \[/);
    expect(verdicts.some((v) => v.startsWith("tcp beats"))).toBe(false);
    const retries = verdicts.find((v) => v.includes("balancer retries"))!;
    expect(retries).toMatch(/^tcp has fewer balancer retries than http: 0 vs 508 \(paired difference -508, 95% CI \[.*\], 6 seeds\), but is worse on lost requests \(35\.50% vs 0\.525%\): not a win$/);
    // Outcomes (losses, latency) come before costs.
    expect(verdicts.findIndex((v) => v.includes("p99 latency"))).toBeLessThan(verdicts.indexOf(retries));
  });

  it("a significant difference of a few thousandths of a percent keeps its digits and its sign", () => {
    // b loses 0.004% more than a on every seed, give or take 0.0001%: the paired CI excludes zero.
    const a = SEEDS.map((s, i) => summary(s, 0.001 + i * 1e-6, 100, 0));
    const b = SEEDS.map((s, i) => summary(s, 0.00104 + i * 1e-6 + (i % 2) * 1e-7, 100, 0));
    const verdict = compareVariants(["a", "b"], [a, b]).verdicts.find((v) => v.includes("lost requests"))!;
    const ci = /95% CI \[(\S+)%, (\S+)%\]/.exec(verdict)!;
    expect(Number(ci[1])).toBeLessThan(0);
    expect(Number(ci[2])).toBeLessThan(0); // printed as "-0.00400%"-style digits, never "-0.00%"
    expect(verdict).not.toContain("0.00%,");
  });
});

describe("intervals that respect the support", () => {
  it("a count's interval stays at or above zero where Student's t goes below", () => {
    const counts = [0, 0, 0, 0, 12];
    // t: mean 2.4, s = sqrt((4 x 2.4^2 + 9.6^2) / 4) = 5.367, half-width 2.776 x 5.367 / sqrt(5) = 6.66: low -4.26.
    expect(meanInterval(counts).low).toBeCloseTo(-4.26, 2);
    const boot = bootstrapInterval(counts, Rng.root(1).fork("t"));
    expect(boot.mean).toBe(2.4);
    expect(boot.low).toBe(0); // P(a resample has no 12) = 0.8^5 = 33% > 2.5%: the 2.5% point is exactly 0
    expect(boot.high).toBeLessThanOrEqual(12);
  });

  it("a fraction's interval stays at or below one, and the same stream gives the same interval", () => {
    const fractions = [0.9, 1, 1, 1, 0.95];
    const one = bootstrapInterval(fractions, Rng.root(1).fork("f"));
    expect(one.high).toBeLessThanOrEqual(1);
    expect(one.low).toBeGreaterThanOrEqual(0.9);
    expect(bootstrapInterval(fractions, Rng.root(1).fork("f"))).toEqual(one);
  });

  it("a 95% bootstrap interval from 20 draws covers the mean in about 95% of 1,000 trials", () => {
    // Percentile intervals under-cover a little at n = 20 (about 93-94% for normal data). Binomial(1000, 0.94)
    // has sd 7.5 hits; 4 SE = 30 hits = 3%: coverage between 90% and 97%.
    const rng = Rng.root(3).fork("coverage");
    let covered = 0;
    for (let trial = 0; trial < 1_000; trial++) {
      const values = Array.from({ length: 20 }, () => 5 + 2 * (rng.next() + rng.next() + rng.next() - 1.5));
      const interval = bootstrapInterval(values, rng, 1000);
      if (interval.low <= 5 && 5 <= interval.high) covered++;
    }
    expect(covered / 1_000).toBeGreaterThan(0.9);
    expect(covered / 1_000).toBeLessThan(0.97);
  });
});

describe("formatting and subtitles", () => {
  it("three significant digits: no small non-zero value prints as zero", () => {
    expect(formatMeasured(-0.0000412, "%")).toBe("-0.00412%");
    expect(formatMeasured(0.3587, "%")).toBe("35.87%");
    expect(formatMeasured(3883.2, "ms")).toBe("3883 ms");
    expect(formatMeasured(0.5123, "ms")).toBe("0.512 ms");
    expect(formatMeasured(12.34, "")).toBe("12.3");
    expect(formatMeasured(0, "%")).toBe("0%");
  });

  it("the comparison chart names its seeds; the other charts say they show the first", () => {
    const report = buildFixtureReport();
    const subtitle = (spec: unknown): string => (spec as { title: { subtitle: string } }).title.subtitle;
    expect(subtitle(comparisonSpec(report))).toBe("black-hole · 10 seeds: 42, 42-2, 42-3, ..., 42-10 (common random numbers)");
    expect(subtitle(latencyCdfSpec(report))).toBe("black-hole · seed 42 (the first of the 10 compared seeds)");
  });
});

describe("verdict means", () => {
  it("two different means never print the same", () => {
    // p50 25.712 vs 25.744 ms on every seed (give or take 0.001): significant, and equal at three digits.
    const fast = SEEDS.map((s, i) => ({ ...summary(s, 0.01, 100, 0), latencyMs: { p50: 25.712 + i * 0.001, p99: 100, p999: 200 } }) as unknown as RunSummary);
    const slow = SEEDS.map((s, i) => ({ ...summary(s, 0.01, 100, 0), latencyMs: { p50: 25.744 + i * 0.001 + (i % 2) * 0.0005, p99: 100, p999: 200 } }) as unknown as RunSummary);
    const verdict = compareVariants(["fast", "slow"], [fast, slow]).verdicts.find((v) => v.includes("p50"))!;
    expect(verdict).toMatch(/^fast beats slow on p50 latency: 25\.71 ms vs 25\.75 ms \(/);
  });
});
