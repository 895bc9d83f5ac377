// Durations as people type them (`750us`, `250ms`, `5s`, `2m`, `1h`, or combined like `1m30s`), converted to
// whole microseconds: simulated time is an integer of microseconds (DESIGN.md invariant 2). A bare number is
// an error that names the units, because `timeout: 5` could mean 5 ms or 5 s; the one exception is `0`,
// which means the same in every unit.
import { z } from "zod";
import { fail } from "./issue.js";

const UNIT_US: Readonly<Record<string, number>> = { us: 1, "µs": 1, ms: 1_000, s: 1_000_000, m: 60_000_000, min: 60_000_000, h: 3_600_000_000 };
const PART = /(\d+(?:\.\d+)?|\.\d+)\s*(us|µs|ms|s|min|m|h)/y;
const EXAMPLE = "a duration such as 750us, 250ms, 5s, 2m or 1h";

/** Microseconds for a duration text, or null if it is not one. Negative durations are not durations. */
export function parseDurationUs(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed.length === 0) return null;
  let index = 0;
  let total = 0;
  PART.lastIndex = 0;
  while (index < trimmed.length) {
    PART.lastIndex = index;
    const match = PART.exec(trimmed);
    if (match === null) return null;
    total += Number(match[1]) * UNIT_US[match[2]!]!;
    index = PART.lastIndex;
    while (trimmed[index] === " ") index++;
  }
  return Math.round(total);
}

/** Simulated time is an integer of microseconds in a double: exact up to 2^53 us, about 285 years. */
export const MAX_DURATION_US = Number.MAX_SAFE_INTEGER;
const MAX_DURATION_TEXT = "285 years";

export interface DurationOptions {
  /** Reject 0 (intervals, timeouts, means). */
  readonly positive?: boolean;
}

/** A duration field: text in, whole microseconds out. */
export function duration(options: DurationOptions = {}) {
  const expected = options.positive === true ? `${EXAMPLE}, greater than 0` : EXAMPLE;
  return z
    .union([z.string(), z.number()])
    .meta({ description: `${EXAMPLE}; converted to microseconds` })
    .transform((value, ctx): number => {
      if (typeof value === "number") {
        if (value === 0 && options.positive !== true) return 0;
        if (value < 0) return fail(ctx, expected, value);
        return fail(ctx, expected, value, `add a unit: ${value}ms or ${value}s`);
      }
      if (value.trim().startsWith("-")) return fail(ctx, `${expected}, not negative`, value);
      const us = parseDurationUs(value);
      if (us === null) return fail(ctx, expected, value);
      if (options.positive === true && us <= 0) return fail(ctx, expected, value);
      if (us > MAX_DURATION_US) return fail(ctx, `a duration of at most ${MAX_DURATION_TEXT} (simulated time is a whole number of microseconds, exact up to 2^53)`, value);
      return us;
    });
}

export const positiveDuration = () => duration({ positive: true });
