// Expectations a run should meet, checked by the lab after the run: `{ variant: tcp, metric:
// requests.lostFraction, above: 0.3 }`, or relative to another variant: `below: { variant: tcp, factor: 0.1 }`.
// A bound may be a number in the metric's unit, a duration (converted to milliseconds, the unit of the
// summary's `...Ms` metrics) or a percentage (converted to a fraction).
import { z } from "zod";
import { parseDurationUs } from "../units/duration.js";
import { fail } from "../units/issue.js";

const PERCENT = /^\s*(-?\d+(?:\.\d+)?)\s*%\s*$/;

const absolute = z.union([z.number(), z.string()]).transform((value, ctx): number => {
  if (typeof value === "number") return value;
  const percent = PERCENT.exec(value);
  if (percent !== null) return Number(percent[1]) / 100;
  const us = parseDurationUs(value);
  if (us !== null) return us / 1_000;
  return fail(ctx, "a number, a duration such as 200ms, or a percentage such as 5%", value);
});

const bound = z.union([
  absolute.transform((value) => ({ value })),
  /** The same metric in another variant, times `factor`. */
  z.strictObject({ variant: z.string(), factor: z.number().min(0).default(1) }),
]);

export type ExpectBound = { value: number } | { variant: string; factor: number };

export const expectation = z
  .strictObject({
    /** The variant this applies to; absent: every variant (or the base scenario when it has none). */
    variant: z.string().optional(),
    metric: z.string().min(1),
    above: bound.optional(),
    below: bound.optional(),
  })
  .transform((e, ctx) => {
    if (e.above === undefined && e.below === undefined) {
      ctx.addIssue({ code: "custom", message: "expected `above:` or `below:` (or both)", params: { expected: "`above:` or `below:` (or both)" } });
      return z.NEVER;
    }
    return { variant: e.variant ?? null, metric: e.metric, above: (e.above ?? null) as ExpectBound | null, below: (e.below ?? null) as ExpectBound | null };
  });

export type Expectation = z.output<typeof expectation>;
