// Timeline steps as written: `- at: 90s` with one action (`crash: {}`, `slow: { factor: 5 }`, ...) and which
// backends it applies to (`targets:` names, group names or a range `app-1..app-3`; `count: 2` keeps the first
// two). Targets are resolved against the backends in scenario.ts, where the names are known.
import { z } from "zod";
import { duration } from "../units/duration.js";
import { fraction } from "../units/percent.js";
import { rate } from "../units/rate.js";
import { ARRIVAL_RATE_BOUND } from "./arrivals.js";
import { backendGroup } from "./backends.js";
import { onlyKey } from "./one-of.js";

export const ACTIONS = ["crash", "hang", "slow", "fast-5xx", "dependency-down", "dependency-up", "recover", "restart", "add", "remove", "deploy", "traffic"] as const;
export type ActionName = (typeof ACTIONS)[number];

/** An action without options: `crash: {}`, `crash: true`, or `crash:` with nothing after it. */
const bare = z.union([z.null(), z.literal(true), z.strictObject({})]).transform(() => ({}));

const actionShape = {
  /** The process dies: port closed, connections reset (TCP RST to whoever holds one). */
  crash: bare.optional(),
  /** The application stops answering; the kernel still completes handshakes (the TCP-check black hole). */
  hang: bare.optional(),
  /** Service times multiply by `factor`. */
  slow: z.strictObject({ factor: z.number().positive() }).optional(),
  /** This share of requests fails fast with a 5xx. */
  "fast-5xx": z.strictObject({ rate: fraction() }).optional(),
  "dependency-down": z.strictObject({ name: z.string().min(1) }).optional(),
  "dependency-up": z.strictObject({ name: z.string().min(1) }).optional(),
  /** Undoes hang, slow and fast-5xx; starts the process if it was down. */
  recover: bare.optional(),
  /** Crash, then start again (cold: warmup applies) after `delay`. */
  restart: z.strictObject({ delay: duration().prefault("0s") }).optional(),
  /** Scale out: `count` more backends like group `like` (default: the first group), or a whole new `group`. */
  add: z.union([
    z.strictObject({ count: z.number().int().min(1).default(1), like: z.string().optional() }),
    z.strictObject({ group: backendGroup }),
  ]).optional(),
  /** Deregister (scale in): drain on every node, terminate after `delay` (default: the health drain delay, else ALB's 300s). */
  remove: z.strictObject({ delay: duration().optional() }).optional(),
  /** A rolling deploy, `batch` backends every `interval`: new cold instances replace the old, which drain for `delay`. */
  deploy: z.strictObject({
    rolling: z.strictObject({ batch: z.number().int().min(1).default(1), interval: duration().prefault("30s"), delay: duration().prefault("0s") }).prefault({}),
  }).optional(),
  /** Changes an open-loop group's Poisson rate: times the base rate, or a new rate; optionally ramped. */
  traffic: z.strictObject({
    multiplier: z.number().min(0).optional(),
    rate: rate({ max: ARRIVAL_RATE_BOUND }).optional(),
    ramp: duration().prefault("0s"),
    /** Client groups; default every open-loop group. */
    groups: z.array(z.string()).min(1).optional(),
  }).optional(),
};

export const timelineStep = z
  .strictObject({
    at: duration(),
    ...actionShape,
    targets: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    count: z.number().int().min(1).optional(),
  })
  .transform((step, ctx) => {
    const action = onlyKey(step, ACTIONS, "action", ctx);
    if (action === null) return z.NEVER;
    if (action === "traffic") {
      const t = step.traffic!;
      if ((t.multiplier === undefined) === (t.rate === undefined)) {
        ctx.addIssue({ code: "custom", path: ["traffic"], message: "expected exactly one of multiplier or rate", params: { expected: "exactly one of multiplier or rate" } });
        return z.NEVER;
      }
    }
    const targets = step.targets === undefined ? null : typeof step.targets === "string" ? [step.targets] : step.targets;
    return { atUs: step.at, action, params: step[action] as Record<string, unknown>, targets, count: step.count ?? null };
  });

export type TimelineStepInput = z.output<typeof timelineStep>;
