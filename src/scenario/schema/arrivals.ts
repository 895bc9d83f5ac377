// Open-loop arrival processes, written `{ poisson: 200/s }`, `{ constant: 50/s }`, `{ bursty: {...} }`,
// `{ timeline: [{ at: 0s, rate: 100/s }, ...] }`, `{ diurnal: {...} }`: rates per second and times in
// microseconds out, as the model's ArrivalSpec. A group's process is the whole group's arrival rate.
import { z } from "zod";
import { MAX_RATE_PER_SECOND } from "../../model/arrivals/arrival-process.js";
import type { ArrivalSpec } from "../../model/arrivals/create-arrival-process.js";
import { duration, positiveDuration } from "../units/duration.js";
import { fraction } from "../units/percent.js";
import { rate } from "../units/rate.js";
import { createDistribution } from "../../engine/distributions/create.js";
import { distribution } from "./distribution.js";
import { boundIssue } from "./bounds.js";
import { onlyKey } from "./one-of.js";

/** One arrival per microsecond per group: the finest rate integer time can represent (arrival-process.ts). */
export const ARRIVAL_RATE_BOUND = { perSecond: MAX_RATE_PER_SECOND, why: "one arrival per microsecond, the finest that integer time can represent" };
const arrivalRate = () => rate({ max: ARRIVAL_RATE_BOUND });

const ARRIVALS = ["poisson", "constant", "bursty", "timeline", "diurnal", "renewal"] as const;

const timelinePoint = z.strictObject({ at: duration(), rate: arrivalRate() });

export const arrivals = z
  .strictObject({
    poisson: arrivalRate().optional(),
    constant: arrivalRate().optional(),
    /** A two-state Markov-modulated Poisson process (MMPP-2): exponential on and off periods. */
    bursty: z.strictObject({ on: arrivalRate(), off: arrivalRate(), onMean: positiveDuration(), offMean: positiveDuration() }).optional(),
    /** Linear ramps between points, constant after the last; the first point must be at 0s. */
    timeline: z.array(timelinePoint).min(1).optional(),
    /** A sine around the base rate; amplitude 100% swings from 0 to twice the base. */
    diurnal: z.strictObject({ base: arrivalRate(), amplitude: fraction(), period: positiveDuration(), phase: duration().prefault("0s") }).optional(),
    /** Independent gaps from any distribution of time (what `lbsim fit` writes for bursty, steady traffic). */
    renewal: z.strictObject({ interarrival: distribution }).optional(),
  })
  .meta({ description: `an arrival process, one of: ${ARRIVALS.join(", ")}` })
  .transform((value, ctx): ArrivalSpec => {
    const kind = onlyKey(value, ARRIVALS, "arrival process", ctx);
    switch (kind) {
      case null:
        return z.NEVER;
      case "poisson":
      case "constant":
        return { kind, ratePerSecond: value[kind]! };
      case "bursty": {
        const b = value.bursty!;
        return { kind, onRatePerSecond: b.on, offRatePerSecond: b.off, onMeanUs: b.onMean, offMeanUs: b.offMean };
      }
      case "timeline":
        return timelineSpec(value.timeline!, ctx);
      case "renewal": {
        const gap = value.renewal!.interarrival;
        // A mean gap under 1 us would be a rate above one arrival per microsecond.
        if (!(createDistribution(gap).mean >= 1)) {
          boundIssue(ctx, ["renewal", "interarrival"], `a mean gap of at least 1us (${ARRIVAL_RATE_BOUND.why})`, `a mean of ${createDistribution(gap).mean}us`);
          return z.NEVER;
        }
        return { kind, interarrivalUs: gap };
      }
      case "diurnal": {
        const d = value.diurnal!;
        if (d.base * (1 + d.amplitude) > MAX_RATE_PER_SECOND) {
          boundIssue(ctx, ["diurnal", "amplitude"], `a peak rate, base x (1 + amplitude), of at most ${MAX_RATE_PER_SECOND.toLocaleString("en-US")}/s (${ARRIVAL_RATE_BOUND.why})`, `${d.base * (1 + d.amplitude)}/s`);
          return z.NEVER;
        }
        return { kind, baseRatePerSecond: d.base, amplitude: d.amplitude, periodUs: d.period, phaseUs: d.phase };
      }
    }
  });

function timelineSpec(points: Array<{ at: number; rate: number }>, ctx: z.RefinementCtx): ArrivalSpec {
  if (points[0]!.at !== 0) {
    ctx.addIssue({ code: "custom", path: ["timeline", 0, "at"], message: "expected the first point at 0s", params: { expected: "the first point at 0s" } });
  }
  for (let i = 1; i < points.length; i++) {
    if (points[i]!.at < points[i - 1]!.at) {
      ctx.addIssue({ code: "custom", path: ["timeline", i, "at"], message: "expected times in non-decreasing order", params: { expected: "times in non-decreasing order" } });
    }
  }
  return { kind: "timeline", points: points.map((p) => ({ atUs: p.at, ratePerSecond: p.rate })) };
}
