// The balancing algorithm: a name (`least-connections`) or a mapping from the name to its options
// (`{ peak-ewma: { decayTime: 10s } }`). Options restate the defaults documented in src/balancers/balancer-spec.ts
// so the resolved scenario shows every value in force; times are converted to microseconds.
import { z } from "zod";
import { ALGORITHMS, type BalancerSpec, type BaseBalancerSpec } from "../../balancers/balancer-spec.js";
import { positiveDuration, duration } from "../units/duration.js";
import { isPrime, MAGLEV_MAX_TABLE_SIZE, MAGLEV_TABLE_SIZE } from "../../balancers/maglev-table.js";
import { LEAST_CONNECTIONS_VARIANTS, type LeastConnectionsVariant } from "../../balancers/least-load-picker.js";
import { POWER_OF_CHOICES_VARIANTS, type PowerOfChoicesVariant } from "../../balancers/power-of-choices.js";
import { atMost } from "./bounds.js";
import { onlyKey } from "./one-of.js";

const options = {
  "round-robin": z.strictObject({ initialCounter: z.number().int().min(0).default(0) }),
  /** NGINX smooth weighted round robin by default; `static` is the shuffled slot pool. */
  "weighted-round-robin": z.strictObject({
    variant: z.enum(["smooth", "static"]).default("smooth"),
    /** NGINX `max_fails` 1: a failed try lowers the server's effective_weight by weight / max_fails (smooth only). */
    maxFails: z.number().int().min(0).default(1),
  }),
  /**
   * HAProxy `leastconn` counts queued requests too (`countQueued`; default: true under `lb.proxy: haproxy`, false
   * otherwise, as NGINX counts connections only). `variant` is whose order among equally
   * loaded backends: `nginx` (smooth weighted round robin over the tied peers), `haproxy` (the server at that load
   * longest first) or `ipvs` (the backend added last first). Default: the tier's proxy's (`lb.proxy: haproxy`
   * gives haproxy, `nginx` nginx); without one, ipvs at L4 (lbsim's L4 node is IPVS), nginx at L7. `maxFails`
   * is NGINX `max_fails` 1 for the nginx variant: a failed try lowers the peer's effective weight, so it loses ties.
   */
  "least-connections": z.strictObject({
    weighted: z.boolean().default(true),
    countQueued: z.boolean().optional(),
    variant: z.enum(LEAST_CONNECTIONS_VARIANTS).optional(),
    maxFails: z.number().int().min(0).default(1),
  }),
  /** NGINX Plus `least_time`: no failure penalty by default. */
  "least-response-time": z.strictObject({
    smoothing: z.number().gt(0).max(1).default(0.3),
    failurePenalty: duration().prefault("0s"),
    weighted: z.boolean().default(true),
  }),
  /**
   * Finagle/Linkerd peak EWMA: decayTime 10s, p2c over a distinct pair, no failure penalty (fast failures look
   * fast, as in Finagle and tower). `failurePenalty` is an lbsim extension: a failed request counts as this slow.
   */
  "peak-ewma": z.strictObject({
    decayTime: positiveDuration().prefault("10s"),
    failurePenalty: duration().prefault("0s"),
    picker: z.enum(["p2c", "least"]).default("p2c"),
    choiceCount: z.number().int().min(2).default(2),
  }),
  random: z.strictObject({}),
  /**
   * `envoy` is Envoy least request (choice_count 2 with replacement; EDF on weight / (active + 1)^active_request_bias
   * when weights differ); `haproxy` is `random(2)` (draws on HAProxy's consistent-hash tree); `nginx` is NGINX
   * `random two` (two distinct peers drawn by weight); `distinct` is Mitzenmacher's distinct pair. Default: the
   * tier's proxy's (`lb.proxy: haproxy` gives haproxy, `nginx` nginx); without one, or with Envoy or an ALB, envoy.
   */
  "power-of-two-choices": z.strictObject({
    variant: z.enum(POWER_OF_CHOICES_VARIANTS).optional(),
    choiceCount: z.number().int().min(2).default(2),
    activeRequestBias: z.number().min(0).default(1),
    metric: z.enum(["least-loaded", "ewma", "peak-ewma"]).default("least-loaded"),
    countQueued: z.boolean().default(false),
    decayTime: positiveDuration().prefault("10s"),
    /** lbsim extension for the EWMA metrics: a failed request counts as this slow. 0s (default): off. */
    failurePenalty: duration().prefault("0s"),
  }),
  /** NGINX `ip_hash`: the first three octets unless `wholeAddress`. */
  "ip-hash": z.strictObject({ wholeAddress: z.boolean().default(false) }),
  /** NGINX `hash ... consistent` (ketama) by default; Envoy maglev with table 65537; modulo is NGINX `hash`. */
  "consistent-hash": z.strictObject({
    method: z.enum(["ketama", "maglev", "modulo"]).default("ketama"),
    balanceFactor: z.number().min(0).default(0),
    /** Maglev only: Envoy `table_size`, a prime of at most 5,000,011 (cluster.proto); also above the backend count (resolve.ts). */
    tableSize: z.number().int().min(2).max(MAGLEV_MAX_TABLE_SIZE, atMost(MAGLEV_MAX_TABLE_SIZE, "slots", "Envoy's limit for a Maglev table")).default(MAGLEV_TABLE_SIZE),
  }).superRefine((value, ctx) => {
    if (value.method !== "maglev" || isPrime(value.tableSize)) return;
    const expected = "a prime table size such as 65537 (Maglev's slot permutations need a prime modulus; Envoy requires one)";
    ctx.addIssue({ code: "custom", path: ["tableSize"], message: `expected ${expected}, got ${value.tableSize}`, params: { expected } });
  }),
  /** HAProxy `first`: fill servers in order up to maxconn. */
  first: z.strictObject({}),
} as const;

const BASE_NAMES = ALGORITHMS.filter((a): a is Exclude<(typeof ALGORITHMS)[number], "sticky"> => a !== "sticky");

function keyedSchema<T extends Record<string, z.ZodType>>(shape: T) {
  const optionalShape = Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, v.optional()])) as { [K in keyof T]: z.ZodOptional<T[K]> };
  return z.strictObject(optionalShape);
}

const baseObject = keyedSchema(options);
const baseAlgorithm = z.union([z.enum(BASE_NAMES), baseObject]).transform((value, ctx): BaseBalancerSpec => {
  if (typeof value === "string") return toSpec(value, options[value].parse({}));
  const name = onlyKey(value, BASE_NAMES, "algorithm", ctx);
  return name === null ? z.NEVER : toSpec(name, (value as Record<string, unknown>)[name]);
});

const sticky = z.strictObject({
  /** Places new sessions. Default round-robin. */
  base: baseAlgorithm.prefault("round-robin"),
  /** Idle lifetime of a binding: 30 min (the common session-cookie idle timeout). */
  ttl: positiveDuration().prefault("30m"),
  maxSessions: z.number().int().min(1).default(100_000),
});

export const algorithm = z
  .union([z.enum(ALGORITHMS), keyedSchema({ ...options, sticky })])
  .meta({ description: `a balancing algorithm: ${ALGORITHMS.join(", ")}, or { <name>: { options } }` })
  .transform((value, ctx): BalancerSpec => {
    if (value === "sticky") return stickySpec(sticky.parse({}));
    if (typeof value === "string") return toSpec(value, options[value].parse({}));
    const name = onlyKey(value, ALGORITHMS, "algorithm", ctx);
    if (name === null) return z.NEVER;
    const chosen = (value as Record<string, unknown>)[name];
    return name === "sticky" ? stickySpec(chosen as z.output<typeof sticky>) : toSpec(name, chosen);
  });

/**
 * Fills what the algorithm left to the tier: least connections' order among equally loaded backends (the proxy's
 * own, or IPVS's for an L4 tier without one; lb.ts decides) and whether it counts queued requests (the proxy's),
 * and power of two choices' draw (the proxy's). Also under `sticky`, for its base.
 */
export function withProxyVariant(spec: BalancerSpec, tier: TierVariants): BalancerSpec {
  if (spec.algorithm === "sticky") return spec.base === undefined ? spec : { ...spec, base: withProxyVariant(spec.base, tier) as BaseBalancerSpec };
  if (spec.algorithm === "power-of-two-choices") return spec.variant !== undefined ? spec : { ...spec, variant: tier.powerOfChoices };
  if (spec.algorithm !== "least-connections" || (spec.variant !== undefined && spec.countQueued !== undefined)) return spec;
  return { ...spec, variant: spec.variant ?? tier.leastConnections, countQueued: spec.countQueued ?? tier.leastConnectionsCountsQueued };
}

/** What the tier's proxy (or lbsim without one) fills into algorithms that leave it open (proxy-defaults.ts). */
export interface TierVariants {
  leastConnections: LeastConnectionsVariant;
  leastConnectionsCountsQueued: boolean;
  powerOfChoices: PowerOfChoicesVariant;
}

function stickySpec(s: z.output<typeof sticky>): BalancerSpec {
  return { algorithm: "sticky", base: s.base, ttlUs: s.ttl, maxSessions: s.maxSessions };
}

/** Renames the time options to the spec's microsecond names. */
function toSpec(name: BaseBalancerSpec["algorithm"], parsed: unknown): BaseBalancerSpec {
  const { decayTime, failurePenalty, ...rest } = parsed as Record<string, unknown>;
  const spec: Record<string, unknown> = { algorithm: name, ...rest };
  if (decayTime !== undefined) spec.decayTimeUs = decayTime;
  if (failurePenalty !== undefined) spec.failurePenaltyUs = failurePenalty;
  return spec as unknown as BaseBalancerSpec;
}
