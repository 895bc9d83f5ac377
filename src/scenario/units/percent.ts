// Shares as people type them. Decision (documented for scenario authors): a share is written either as a
// percentage string, `80%`, or as a fraction between 0 and 1, `0.8`. A number above 1 is an error (is `50` a
// typo for `50%` or for `0.5`?) whose message suggests the `%` form. `percent()` yields 0..100 (the health
// library's `...Percent` fields), `fraction()` yields 0..1 (error rates, amplitudes).
import { z } from "zod";
import { fail } from "./issue.js";

const PERCENT = /^\s*(-?\d+(?:\.\d+)?|-?\.\d+)\s*%\s*$/;
const EXAMPLE = "a percentage such as 30% (or a fraction such as 0.3)";

function parseFraction(value: string | number): number | null {
  if (typeof value === "number") return value;
  const match = PERCENT.exec(value);
  return match === null ? null : Number(match[1]) / 100;
}

function share(scale: number, maxFraction: number) {
  const expected = maxFraction === 1 ? `${EXAMPLE} between 0% and 100%` : `${EXAMPLE} between 0% and ${maxFraction * 100}%`;
  return z
    .union([z.string(), z.number()])
    .meta({ description: EXAMPLE })
    .transform((value, ctx): number => {
      const fraction = parseFraction(value);
      if (fraction === null) return fail(ctx, expected, value);
      if (typeof value === "number" && value > 1) return fail(ctx, expected, value, `write ${value}% for a percentage`);
      if (!(fraction >= 0 && fraction <= maxFraction)) return fail(ctx, expected, value);
      return Number((fraction * scale).toPrecision(12));
    });
}

/** A share as a percentage number, 0..100. */
export const percent = () => share(100, 1);
/** A share as a fraction, 0..1. */
export const fraction = () => share(1, 1);
