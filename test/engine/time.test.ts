// Proves the time helpers convert human units to whole microseconds and format them back readably.
import { describe, expect, it } from "vitest";
import { formatDuration, minutes, ms, seconds, toMs, toSeconds, us } from "../../src/engine/time.js";

describe("time helpers", () => {
  it("convert to integer microseconds", () => {
    expect(ms(5)).toBe(5_000);
    expect(seconds(2)).toBe(2_000_000);
    expect(minutes(1.5)).toBe(90_000_000);
    expect(us(2.6)).toBe(3);
    expect(ms(0.0004)).toBe(0); // below a microsecond rounds away: times stay integral
    expect(Number.isInteger(seconds(1 / 3))).toBe(true);
  });

  it("convert back at the edges", () => {
    expect(toMs(2_500)).toBe(2.5);
    expect(toSeconds(seconds(7))).toBe(7);
  });

  it("format durations for messages", () => {
    expect(formatDuration(750)).toBe("750us");
    expect(formatDuration(ms(12.5))).toBe("12.5ms");
    expect(formatDuration(seconds(3))).toBe("3s");
    expect(formatDuration(minutes(2))).toBe("2m");
    expect(formatDuration(seconds(150))).toBe("2m30s");
  });
});
