// What a backend is: capacity, speed, GC behaviour, warmup and keepalive. Scenario files fill these in (the
// schema holds the defaults); the model only reads them.
import type { Distribution } from "../engine/distributions/distribution.js";

/**
 * What starts a collection. `allocation` (default): the heap budget fills with what the work allocates, as a
 * HotSpot young GC starts when an allocation finds eden full (G1CollectedHeap::attempt_allocation_slow). `time`:
 * a collection every sampled interval of running time whatever the load (an lbsim extension, kept for a GC death
 * spiral, where a heap full of live data collects back to back).
 */
export type GcTrigger = "allocation" | "time";

export interface GcConfig {
  /** "young" or "full": names the pause kind on charts. */
  name: string;
  trigger: GcTrigger;
  /**
   * `allocation`: the heap budget, as the running time between pauses with every worker busy at nominal speed;
   * the budget is this x workers of work (nominal service demand). `time`: running time between the end of one
   * pause and the start of the next.
   */
  intervalUs: Distribution;
  pauseUs: Distribution;
  /** `time` only: intervals shrink by 1 / (1 + pressure x utilisation at the draw). 0 = independent of load. */
  pressure: number;
}

export interface WarmupConfig {
  /** After a start, the process accepts TCP but the application takes no work and answers no check. */
  notReadyUs: number;
  /** Service-time multiplier right after the not-ready period (a cold JIT), decaying linearly to 1... */
  initialMultiplier: number;
  /** ...over this many served requests (the JIT compiles on invocation counters; 0: warm at once). */
  requests: number;
}

/**
 * The most workers one backend may have. The model keeps two slots per worker and resets them all on every
 * restart, and a group has up to 250 hosts: 10,000 (50x Tomcat's default maxThreads of 200) keeps that small.
 */
export const MAX_WORKERS = 10_000;

export interface BackendConfig {
  name: string;
  /** The address balancers and hashes see, e.g. "10.0.1.5:8080". */
  address: string;
  weight: number;
  /** NGINX `backup`: takes traffic only when every primary is unavailable. */
  backup: boolean;
  /** Worker threads: requests served at once. */
  workers: number;
  /** The application's queue in front of the workers; an attempt finding it full is shed with a 503. */
  queueLimit: number;
  /**
   * The kernel's listen backlog: handshakes completed but not yet accepted by the application, the only thing
   * that accepts while the application is stopped (a GC pause, a hang, boot). Linux caps the backlog an
   * application passes to listen(2) at `net.core.somaxconn` (net/socket.c `__sys_listen`), so this is
   * min(the application's backlog, somaxconn); past it, SYNs are dropped (tcp_abort_on_overflow 0).
   */
  backlog: number;
  /**
   * The application's accept limit (Tomcat `maxConnections`): connections it has accepted and holds, queued or in
   * service. At the limit it stops accepting, and new connections wait in the kernel backlog.
   */
  maxConnections: number;
  /** Service time = demand x speedFactor x warmup multiplier x slowdown. 1 = nominal. */
  speedFactor: number;
  gc: GcConfig[];
  warmup: WarmupConfig | null;
  /** Cold at time 0 (just deployed: not-ready period and warmup apply) or already warm. */
  coldStart: boolean;
  /** The backend closes idle keepalive connections after this long (a mismatch with the balancer's causes resets). */
  keepaliveIdleTimeoutUs: number;
  /** Service time of the health endpoint. */
  healthCheckCostUs: number;
  /**
   * Threads of a separate management listener for health endpoints (Spring Boot `management.server.port`), 0 for
   * none: then HTTP and deep probes share the application's backlog, queue and workers with the traffic.
   */
  managementWorkers: number;
  /** Time to produce a fast 5xx (error injection, a dependency that is down). */
  fastFailUs: number;
  /** /healthz says 503 until warmup completes ("warm") or answers 200 once the process serves ("process"). */
  readiness: "process" | "warm";
  /** Named dependencies (a database, a cache): when one is down, requests and deep checks fail. */
  dependencies: string[];
}
