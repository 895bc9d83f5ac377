// Rates as people type them: `200/s`, `12000/m`, `50/h`, converted to events per second (the unit the arrival
// processes take). A bare number is an error that names the unit to add.
import { z } from "zod";
import { fail } from "./issue.js";

const PER_SECOND: Readonly<Record<string, number>> = { s: 1, sec: 1, m: 1 / 60, min: 1 / 60, h: 1 / 3600 };
const RATE = /^\s*(-?\d+(?:\.\d+)?|-?\.\d+)\s*\/\s*(s|sec|min|m|h)\s*$/;
const EXAMPLE = "a rate such as 200/s, 1200/m or 50/h";

/** Per-second rate for a rate text, or null if it is not one (negative rates parse, so the caller can say so). */
export function parseRatePerSecond(text: string): number | null {
  const match = RATE.exec(text);
  if (match === null) return null;
  return Number(match[1]) * PER_SECOND[match[2]!]!;
}

export interface RateOptions {
  /** Reject 0. */
  readonly positive?: boolean;
  /** The highest rate per second the field can take, and why (an arrival process: one arrival per microsecond). */
  readonly max?: { readonly perSecond: number; readonly why: string };
}

export function rate(options: RateOptions = {}) {
  const expected = options.positive === true ? `${EXAMPLE}, greater than 0` : `${EXAMPLE}, 0 or more`;
  const max = options.max;
  return z
    .union([z.string(), z.number()])
    .meta({ description: `${EXAMPLE}; converted to per second${max === undefined ? "" : `; at most ${max.perSecond}/s`}` })
    .transform((value, ctx): number => {
      if (typeof value === "number") return fail(ctx, expected, value, `add a unit: ${value}/s`);
      const perSecond = parseRatePerSecond(value);
      if (perSecond === null) return fail(ctx, expected, value);
      if (perSecond < 0 || (options.positive === true && perSecond === 0)) return fail(ctx, expected, value);
      if (max !== undefined && perSecond > max.perSecond) return fail(ctx, `a rate of at most ${max.perSecond.toLocaleString("en-US")}/s (${max.why})`, value);
      return perSecond;
    });
}
