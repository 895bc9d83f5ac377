// Client groups: how many clients, behind which NAT, sending what load, which requests, with what timeout and
// retries. The load is open (arrivals by a process, whatever the responses do: a public API's users) or closed
// (each user sends, waits, thinks, sends again: a fixed population).
import { z } from "zod";
import type { ArrivalSpec } from "../../model/arrivals/create-arrival-process.js";
import type { DistributionSpec } from "../../engine/distributions/create.js";
import { MAX_CLIENTS_PER_GROUP } from "../../model/client-driver.js";
import { AWS_NAT_PORTS_PER_DESTINATION, MAX_NAT_PORTS } from "../../model/nat-gateway.js";
import type { BackoffJitter } from "../../model/retry-backoff.js";
import type { Outcome } from "../../metrics/ledger.js";
import { duration, positiveDuration } from "../units/duration.js";
import { arrivals } from "./arrivals.js";
import { atMost, nameLength } from "./bounds.js";
import { distribution } from "./distribution.js";
import { onlyKey } from "./one-of.js";
import { outcome } from "./outcome.js";

const ipv4 = z.string().regex(/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/, { error: "expected a dotted-quad IPv4 address such as 203.0.113.7" });

const nat = z.strictObject({
  /** Source ports toward one destination: AWS NAT gateway, 55,000 per address and destination (VPC User Guide). */
  ports: z.number().int().min(1).max(MAX_NAT_PORTS).default(AWS_NAT_PORTS_PER_DESTINATION),
  /** A closed port's TIME_WAIT-like cooldown: Linux TCP_TIMEWAIT_LEN, 60s. */
  portReuseDelay: duration().prefault("60s"),
  /** The address downstream sees: 203.0.113.x, the RFC 5737 documentation range. */
  publicAddress: ipv4.default("203.0.113.1"),
});

const LOADS = ["open", "closed"] as const;
const load = z
  .strictObject({
    open: arrivals.optional(),
    /** Each of the group's `count` users thinks for a draw of `think` between an answer and its next request. */
    closed: z.strictObject({ think: distribution }).optional(),
  })
  .transform((value, ctx): { kind: "open"; arrivals: ArrivalSpec } | { kind: "closed"; thinkUs: DistributionSpec } => {
    const kind = onlyKey(value, LOADS, "load", ctx);
    if (kind === null) return z.NEVER;
    return kind === "open" ? { kind, arrivals: value.open! } : { kind, thinkUs: value.closed!.think };
  });

/** RFC 9110 section 9.2.2: GET, HEAD, OPTIONS, TRACE, PUT and DELETE are idempotent; POST and PATCH are not. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"]);

const requestClass = z
  .strictObject({
    name: z.string().min(1).max(...nameLength()),
    /** Relative share among the group's requests. */
    weight: z.number().positive().default(1),
    method: z.enum(["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE", "POST", "PATCH"]).default("GET"),
    /** Default: by method (RFC 9110). Say `true` for a POST with an idempotency key. */
    idempotent: z.boolean().optional(),
    path: z.string().startsWith("/", { error: "expected a path starting with /" }).default("/"),
    /** Service demand on a nominal backend. */
    demand: distribution,
    /** Fails while a backend's dependency is down. */
    needsDependencies: z.boolean().default(false),
  })
  .transform((c) => ({ ...c, idempotent: c.idempotent ?? IDEMPOTENT_METHODS.has(c.method) }));

/**
 * Outcomes worth retrying by default: transient failures, as the AWS SDKs retry 5xx, throttling and network
 * errors. A client sees `retries-exhausted` as the 502/504 the balancer answers, so it is retried like any 5xx.
 */
const DEFAULT_RETRY_ON: readonly Outcome[] = [
  "no-healthy-upstream", "connection-refused", "reset-mid-flight", "upstream-timeout", "client-timeout",
  "queue-full", "queue-timeout", "rate-limited", "backend-error", "retries-exhausted",
];

const backoff = z
  .strictObject({
    /** AWS SDKs standard retry mode: base 100 ms... */
    base: positiveDuration().prefault("100ms"),
    /** ...capped at 20 s. */
    cap: positiveDuration().prefault("20s"),
    /** Doubling, as in Brooker, "Exponential Backoff And Jitter" (AWS Architecture Blog, 2015). */
    multiplier: z.number().min(1).default(2),
    /** Full jitter, the blog's recommendation and the SDKs' choice. */
    jitter: z.enum(["none", "full", "equal", "decorrelated"] satisfies readonly BackoffJitter[]).default("full"),
  })
  .superRefine((value, ctx) => {
    if (value.cap < value.base) ctx.addIssue({ code: "custom", path: ["cap"], message: "expected a cap >= base", params: { expected: "a cap >= base" } });
  });

const retry = z.strictObject({
  /** Retries after the first try. AWS SDKs standard mode: 3 attempts in all, so 2 retries. */
  maxRetries: z.number().int().min(0).default(2),
  on: z.array(outcome).default([...DEFAULT_RETRY_ON]),
  backoff: backoff.prefault({}),
});

const name = z.string().regex(/^[a-z][a-z0-9_-]*$/i, { error: "expected a name of letters, digits, - and _, starting with a letter" }).max(...nameLength());

/**
 * Replay: arrivals, request classes, demands and client addresses taken from an access log, one request per
 * logged request, in the log's order and timing (src/traffic). The path is relative to the scenario file.
 */
const replay = z.strictObject({
  file: z.string().min(1),
  format: z.enum(["nginx", "haproxy", "csv"]),
  /** Time scaling: 2 replays the log twice as fast (twice the rate), 0.5 at half the rate. */
  speed: z.number().positive().max(1000).default(1),
  /** Start the log again from its beginning when it ends, for runs longer than the log. */
  loop: z.boolean().default(false),
});

export type ReplaySpec = z.output<typeof replay>;

type Load = { kind: "open"; arrivals: ArrivalSpec } | { kind: "closed"; thinkUs: DistributionSpec } | ({ kind: "replay" } & ReplaySpec);

export const clientGroup = z.strictObject({
  name,
  /** Distinct client addresses (open loop) or users (closed loop). */
  count: z.number().int().min(1).max(MAX_CLIENTS_PER_GROUP, atMost(MAX_CLIENTS_PER_GROUP, "clients", "each has its own address in the group's /16: 256 x 254 hosts")).default(100),
  /** Clients get prefix.x.y addresses; default 10.<100 + group index>, clear of the backends' 10.0.x.y. */
  addressPrefix: z.string().regex(/^\d{1,3}\.\d{1,3}$/, { error: "expected two octets such as 10.100" }).optional(),
  /** Every client of the group behind one NAT gateway address; null (default) for none. */
  nat: nat.nullable().default(null),
  /** How requests arrive; a replay group has none (its log says). */
  load: load.optional(),
  /** What the requests are; a replay group has none (its log says). */
  classes: z.array(requestClass).min(1).optional(),
  /** Replay an access log instead of drawing arrivals and classes. */
  replay: replay.optional(),
  /** HTTP/1.1 connections are persistent unless closed (RFC 9112 section 9.3). */
  keepalive: z.boolean().default(true),
  /** The client gives up after this. Chosen: 30s, a common SDK and browser-fetch wrapper default. */
  timeout: positiveDuration().prefault("30s"),
  /** Client retries with backoff; null (default) for none. */
  retry: retry.nullable().default(null),
  /** A user starts a new session after this many requests; 0 (default): no sessions. */
  requestsPerSession: z.number().int().min(0).default(0),
}).transform((group, ctx) => {
  const { replay: replaySpec, load: loadSpec, classes, ...rest } = group;
  const missing = (field: string, expected: string): typeof z.NEVER => {
    ctx.addIssue({ code: "custom", path: [field], message: `expected ${expected}`, params: { expected } });
    return z.NEVER;
  };
  if (replaySpec !== undefined) {
    if (loadSpec !== undefined) return missing("load", "no load with replay: the log's own arrivals drive the group");
    if (classes !== undefined) return missing("classes", "no classes with replay: the log's requests are the classes");
    return { ...rest, load: { kind: "replay", ...replaySpec } as Load, classes: [] as Array<z.output<typeof requestClass>> };
  }
  if (loadSpec === undefined) return missing("load", "a load ({ open: ... } or { closed: ... }), or a replay of a log");
  if (classes === undefined) return missing("classes", "a list of request classes");
  return { ...rest, load: loadSpec as Load, classes };
});

export type ClientGroup = z.output<typeof clientGroup>;
