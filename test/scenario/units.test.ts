// Proves human units convert exactly (durations to microseconds, rates to per second, shares both ways) and that bare or negative numbers are refused.
import { describe, expect, it } from "vitest";
import { didYouMean, editDistance } from "../../src/scenario/errors/did-you-mean.js";
import { duration, parseDurationUs } from "../../src/scenario/units/duration.js";
import { fraction, percent } from "../../src/scenario/units/percent.js";
import { parseRatePerSecond, rate } from "../../src/scenario/units/rate.js";

describe("durations", () => {
  it.each([["750us", 750], ["250ms", 250_000], ["5s", 5_000_000], ["2m", 120_000_000], ["1h", 3_600_000_000], ["1m30s", 90_000_000], ["1.5ms", 1_500], ["2min", 120_000_000]])("%s", (text, us) => {
    expect(parseDurationUs(text)).toBe(us);
  });
  it("refuses text that is not a duration", () => {
    for (const text of ["5", "5 secs", "ms", "", "-5s", "5d"]) expect(parseDurationUs(text), text).toBeNull();
  });
  it("refuses a bare number, but takes 0", () => {
    expect(duration().safeParse(5).success).toBe(false);
    expect(duration().parse(0)).toBe(0);
    expect(duration({ positive: true }).safeParse(0).success).toBe(false);
  });
});

describe("rates", () => {
  it("convert per minute and per hour to per second", () => {
    expect(parseRatePerSecond("200/s")).toBe(200);
    expect(parseRatePerSecond("1200/m")).toBe(20);
    expect(parseRatePerSecond("3600/h")).toBe(1);
  });
  it("refuse negative and bare rates", () => {
    expect(rate().safeParse("-5/s").success).toBe(false);
    expect(rate().safeParse(200).success).toBe(false);
    expect(rate({ positive: true }).safeParse("0/s").success).toBe(false);
  });
});

describe("shares", () => {
  it("read 30% and 0.3 alike", () => {
    expect(percent().parse("30%")).toBe(30);
    expect(percent().parse(0.3)).toBe(30);
    expect(fraction().parse("30%")).toBe(0.3);
  });
  it("refuse a number above 1, which is ambiguous", () => {
    expect(fraction().safeParse(30).success).toBe(false);
    expect(percent().safeParse("120%").success).toBe(false);
  });
});

describe("did you mean", () => {
  it("counts a swap of adjacent letters as one edit", () => {
    expect(editDistance("tpc", "tcp")).toBe(1);
    expect(didYouMean("rize", ["rise", "fall"])).toBe("rise");
    expect(didYouMean("banana", ["rise", "fall"])).toBeUndefined();
  });
});
