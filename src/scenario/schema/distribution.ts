// Distributions of time, written `{ exponential: { mean: 20ms } }`, `{ lognormal: { mean: 20ms, p99: 200ms } }`,
// `{ constant: 5ms }`: the schema converts every time parameter to microseconds and yields the engine's
// DistributionSpec. Impossible shapes (a lognormal whose p99 is below its mean, a uniform whose max is below its
// min) are reported here, where the file position is known, rather than thrown by the engine later.
import { z } from "zod";
import type { DistributionSpec } from "../../engine/distributions/create.js";
import { Z_99 } from "../../engine/distributions/normal.js";
import { formatDuration } from "../../engine/time.js";
import { duration, positiveDuration } from "../units/duration.js";
import { onlyKey } from "./one-of.js";

const positiveNumber = () => z.number().positive();

const lognormal = z
  .strictObject({ mean: positiveDuration().optional(), p99: positiveDuration().optional(), median: positiveDuration().optional(), sigma: positiveNumber().optional() })
  .meta({ description: "either { mean, p99 } (the two numbers people know about a latency) or { median, sigma }" });

const DISTRIBUTIONS = ["constant", "uniform", "exponential", "normal", "lognormal", "gamma", "weibull", "bounded-pareto", "empirical"] as const;

export const distribution = z
  .strictObject({
    constant: duration().optional(),
    uniform: z.strictObject({ min: duration(), max: duration() }).optional(),
    exponential: z.strictObject({ mean: positiveDuration() }).optional(),
    normal: z.strictObject({ mean: duration(), stdDev: duration() }).optional(),
    lognormal: lognormal.optional(),
    gamma: z.strictObject({ shape: positiveNumber(), scale: positiveDuration() }).optional(),
    weibull: z.strictObject({ shape: positiveNumber(), scale: positiveDuration() }).optional(),
    "bounded-pareto": z.strictObject({ alpha: positiveNumber(), min: positiveDuration(), max: positiveDuration() }).optional(),
    empirical: z.strictObject({ samples: z.array(duration()).min(1) }).optional(),
  })
  .meta({ description: `a distribution of time, one of: ${DISTRIBUTIONS.join(", ")}` })
  .transform((value, ctx): DistributionSpec => {
    const kind = onlyKey(value, DISTRIBUTIONS, "distribution", ctx);
    if (kind === null) return z.NEVER;
    const spec = toSpec(kind, value, ctx);
    return spec ?? z.NEVER;
  });

function toSpec(kind: (typeof DISTRIBUTIONS)[number], value: Record<string, unknown>, ctx: z.RefinementCtx): DistributionSpec | null {
  const v = value[kind] as Record<string, number> & { samples?: number[] };
  switch (kind) {
    case "constant":
      return { kind, value: value[kind] as number };
    case "uniform":
      if (v.max! < v.min!) return problem(ctx, [kind, "max"], `a max >= min (${formatDuration(v.min!)})`, formatDuration(v.max!));
      return { kind, min: v.min!, max: v.max! };
    case "exponential":
      return { kind, mean: v.mean! };
    case "normal":
      return { kind, mean: v.mean!, stdDev: v.stdDev! };
    case "gamma":
    case "weibull":
      return { kind, shape: v.shape!, scale: v.scale! };
    case "bounded-pareto":
      if (!(v.max! > v.min!)) return problem(ctx, [kind, "max"], `a max > min (${formatDuration(v.min!)})`, formatDuration(v.max!));
      return { kind, alpha: v.alpha!, min: v.min!, max: v.max! };
    case "empirical":
      return { kind, samples: v.samples! };
    case "lognormal":
      return lognormalSpec(v, ctx);
  }
}

function lognormalSpec(v: Record<string, number>, ctx: z.RefinementCtx): DistributionSpec | null {
  const { mean, p99, median, sigma } = v;
  if (mean !== undefined && p99 !== undefined && median === undefined && sigma === undefined) {
    if (!(p99 > mean)) return problem(ctx, ["lognormal", "p99"], `a p99 above the mean (${formatDuration(mean)})`, formatDuration(p99));
    // With m = ln(mean), q = ln(p99): a lognormal exists only when q - m <= z^2 / 2 (see LogNormal.fromMeanAndP99).
    const limit = Math.floor(mean * Math.exp((Z_99 * Z_99) / 2));
    if (Math.log(p99 / mean) > (Z_99 * Z_99) / 2) return problem(ctx, ["lognormal", "p99"], `a p99 of at most ${formatDuration(limit)} for a mean of ${formatDuration(mean)}`, formatDuration(p99));
    return { kind: "lognormal", mean, p99 };
  }
  if (median !== undefined && sigma !== undefined && mean === undefined && p99 === undefined) {
    return { kind: "lognormal", mu: Math.log(median), sigma };
  }
  return problem(ctx, ["lognormal"], "either { mean, p99 } or { median, sigma }", `{ ${Object.keys(v).join(", ")} }`);
}

function problem(ctx: z.RefinementCtx, path: Array<string | number>, expected: string, got: string): null {
  ctx.addIssue({ code: "custom", path, message: `expected ${expected}, got ${got}`, params: { expected } });
  return null;
}

export type DistributionInput = z.input<typeof distribution>;
