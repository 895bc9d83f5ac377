// Backend groups. `count: 10` on a group named `app` expands to app-1..app-10 at 10.0.0.1..10.0.0.10:8080
// (group g gets 10.0.g.x unless `addressPrefix` says otherwise); a group without `count` is one backend named
// after the group. Defaults are chosen to describe a small JVM service behind a proxy; each says where it comes from.
import { MAX_WORKERS, type BackendConfig, type GcConfig } from "../../model/backend-config.js";
import { z } from "zod";
import type { DistributionSpec } from "../../engine/distributions/create.js";
import { duration, positiveDuration } from "../units/duration.js";
import { atMost, nameLength } from "./bounds.js";
import { distribution } from "./distribution.js";

/** Hosts per group: the last octet of the group's /24, leaving .0 and .255 alone. */
export const MAX_BACKENDS_PER_GROUP = 250;

const name = z.string().regex(/^[a-z][a-z0-9_-]*$/i, { error: "expected a name of letters, digits, - and _, starting with a letter" }).max(...nameLength());

const gc = z
  .strictObject({
    /** "young" or "full": names the pause on charts. */
    name: z.string().min(1).max(...nameLength()),
    /**
     * What starts a collection. `allocation` (default): the work done since the last collection fills a heap
     * budget, as a HotSpot young GC starts when eden is full (G1CollectedHeap::attempt_allocation_slow), so
     * collections follow load. `time`: every `every` of running time whatever the load (an lbsim extension, for a
     * death spiral of back-to-back full GCs).
     */
    trigger: z.enum(["allocation", "time"]).default("allocation")
      .meta({ description: "allocation (default): a collection when the work done since the last one fills the heap budget `every` x workers, so an idle JVM rarely collects and a saturated one often (HotSpot: young GC when eden fills); time: every `every` of running time whatever the load (lbsim extension)" }),
    /**
     * `allocation`: the heap budget, as the running time between pauses with every worker busy at nominal speed
     * (at utilisation u the interval is about every / u). `time`: running time between pauses.
     */
    every: distribution,
    pause: distribution,
    /** `time` only: intervals shrink by 1 / (1 + pressure x utilisation at the draw); 0 = independent of load. */
    pressure: z.number().min(0).default(0),
  })
  .superRefine((value, ctx) => {
    if (value.pressure > 0 && value.trigger !== "time") {
      ctx.addIssue({ code: "custom", path: ["pressure"], message: "expected pressure only with trigger: time (allocation-triggered GC already follows load)", params: { expected: "pressure only with trigger: time" } });
    }
  });

const warmup = z
  .strictObject({
    /** After a start the port accepts connections but the application takes no work (JVM boot, Spring context). */
    notReady: duration().prefault("0s"),
    /** Service-time multiplier right after boot (interpreted, not yet JIT-compiled code), decaying to 1... */
    initialMultiplier: z.number().min(1).default(1),
    /**
     * ...as this many requests are served (0: warm at once). HotSpot compiles a method when its invocation
     * counters cross Tier3InvocationThreshold 200 (C1) and Tier4InvocationThreshold 5000 (C2), so warmup follows
     * the work done, not wall time: a JVM kept out of rotation stays cold. Default 5000, the C2 threshold.
     */
    requests: z.number().int().min(0).default(5000)
      .meta({ description: "requests served over which the multiplier decays to 1 (default 5000, HotSpot's Tier4InvocationThreshold): JIT warmup follows work done, not wall time, so a JVM out of rotation stays cold" }),
    /** Gone: warmup follows requests served. Kept only to say so to a scenario written for the old model. */
    duration: z.unknown().optional(),
  })
  .superRefine((value, ctx) => {
    if (value.duration !== undefined) {
      ctx.addIssue({ code: "custom", path: ["duration"], message: "expected requests instead of duration: JIT warmup follows requests served, not time (HotSpot compiles on invocation counters)", params: { expected: "requests instead of duration" } });
    }
  });

export const backendGroup = z.strictObject({
  name,
  /** Expands to name-1..name-count; absent: one backend named `name`. */
  count: z.number().int().min(1).max(MAX_BACKENDS_PER_GROUP).optional(),
  /** First three octets; default 10.0.<group index>. */
  addressPrefix: z.string().regex(/^\d{1,3}\.\d{1,3}\.\d{1,3}$/, { error: "expected three octets such as 10.0.0" }).optional(),
  port: z.number().int().min(1).max(65535).default(8080),
  /** HAProxy `weight` 1 (range 0-256), NGINX `weight=1`. */
  weight: z.number().int().min(0).max(256).default(1),
  /** NGINX `backup`: only used when every primary is unavailable. */
  backup: z.boolean().default(false),
  /** Requests served at once. Chosen: 8, a CPU-bound service on an 8-core host. */
  workers: z.number().int().min(1).max(MAX_WORKERS, atMost(MAX_WORKERS, "workers", "the model keeps two slots per worker; 50x Tomcat's default maxThreads")).default(8),
  /** The application's own queue in front of the workers; full -> 503. Chosen: 100. */
  queueLimit: z.number().int().min(0).default(100),
  /**
   * The backlog the application passes to listen(2): Tomcat `acceptCount`, default 100. The kernel caps it at
   * `somaxconn`; the smaller is the kernel's listen backlog, the only thing accepting during a GC pause.
   */
  acceptCount: z.number().int().min(1).default(100),
  /** Linux `net.core.somaxconn`: 4096 since kernel 5.4 (SOMAXCONN, include/linux/socket.h; 128 before). */
  somaxconn: z.number().int().min(1).default(4096),
  /**
   * The application's accept limit, Tomcat `maxConnections`: 8192 for the NIO connectors (Tomcat 9 and 10
   * config/http.html). Connections it holds, queued or in service; beyond it they wait in the kernel backlog.
   */
  maxConnections: z.number().int().min(1).default(8192),
  /** Service time = demand x speedFactor (the model's name): 1 is nominal, 2 is a host half as fast. */
  speedFactor: z.number().positive().default(1),
  gc: z.array(gc).default([]),
  /** JVM warmup; null (default) for a process that is fast from its first request. */
  warmup: warmup.nullable().default(null),
  /** Start cold at time 0 (the not-ready period and warmup apply), as right after a deploy. */
  coldStart: z.boolean().default(false),
  /** The backend closes idle keepalive connections after this: NGINX `keepalive_timeout` 75s. Shorter than the balancer's causes resets. */
  keepaliveIdleTimeout: positiveDuration().prefault("75s"),
  /** Service time of the health endpoint. Chosen: 200us. */
  healthCheckCost: duration().prefault("200us"),
  /**
   * Threads of a separate management port for /healthz (Spring Boot `management.server.port`); 0 (default, Spring
   * Boot's own default): health checks are requests like any other, waiting in the same backlog and queue.
   */
  managementWorkers: z.number().int().min(0).default(0),
  /** Time to produce a fast 5xx (injected errors, a dependency that is down). Chosen: 1ms. */
  fastFail: duration().prefault("1ms"),
  /** `process`: /healthz answers 200 as soon as the process serves; `warm`: 503 until warmup completes. */
  readiness: z.enum(["process", "warm"]).default("process"),
  /** Named dependencies (a database, a cache) that `dependency-down` can take away. */
  dependencies: z.array(name).default([]),
});

export type BackendGroup = z.output<typeof backendGroup>;

/**
 * One backend, fully resolved: the model's BackendConfig as plain data (GC distributions as specs), plus the
 * group it came from; build.ts turns it into a BackendConfig.
 */
export type BackendSpec = Omit<BackendConfig, "gc"> & {
  group: string;
  gc: Array<Omit<GcConfig, "intervalUs" | "pauseUs"> & { intervalUs: DistributionSpec; pauseUs: DistributionSpec }>;
};

/** The name of host `ordinal` (1-based) of a group. */
export function backendName(group: BackendGroup, ordinal: number): string {
  return group.count === undefined && ordinal === 1 ? group.name : `${group.name}-${ordinal}`;
}

/** Backends `first`..`first + n - 1` (1-based ordinals) of group number `groupIndex`. */
export function expandGroup(group: BackendGroup, groupIndex: number, first: number, n: number): BackendSpec[] {
  const prefix = group.addressPrefix ?? `10.0.${groupIndex}`;
  const specs: BackendSpec[] = [];
  for (let ordinal = first; ordinal < first + n; ordinal++) {
    specs.push({
      name: backendName(group, ordinal),
      group: group.name,
      address: `${prefix}.${ordinal}:${group.port}`,
      weight: group.weight,
      backup: group.backup,
      workers: group.workers,
      queueLimit: group.queueLimit,
      backlog: Math.min(group.acceptCount, group.somaxconn),
      maxConnections: group.maxConnections,
      speedFactor: group.speedFactor,
      gc: group.gc.map((g) => ({ name: g.name, trigger: g.trigger, intervalUs: g.every, pauseUs: g.pause, pressure: g.pressure })),
      warmup: group.warmup === null ? null : { notReadyUs: group.warmup.notReady, initialMultiplier: group.warmup.initialMultiplier, requests: group.warmup.requests },
      coldStart: group.coldStart,
      keepaliveIdleTimeoutUs: group.keepaliveIdleTimeout,
      healthCheckCostUs: group.healthCheckCost,
      managementWorkers: group.managementWorkers,
      fastFailUs: group.fastFail,
      readiness: group.readiness,
      dependencies: [...group.dependencies],
    });
  }
  return specs;
}
