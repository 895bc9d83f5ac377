// A backend server: the kernel's accept backlog in front of the application's queue in front of its workers.
// Two limits, not one: the kernel's listen backlog (min of the application's listen(2) backlog, Tomcat
// `acceptCount` 100, and Linux `net.core.somaxconn`, 4096 since 5.4) and the application's own accept limit
// (Tomcat `maxConnections`, 8192 for NIO): the application takes connections out of the backlog only while it
// holds fewer than that, queued or in service. (Tomcat accepts one more connection at the limit and blocks on it;
// that single connection is not modelled.)
//
// The kernel completes TCP handshakes into the backlog whatever the application is doing; the application takes
// connections from the backlog only while it runs. So while it is hung, not yet ready, or stopped for a GC
// pause, connections keep piling into the backlog (until it is full; then new SYNs are dropped and clients wait
// out their connect timeout) and work in service is frozen. That is the health-check black hole: a TCP check
// passes, requests vanish.
//
// GC follows load (src/model/backend-config.ts `GcTrigger`): every piece of work a worker starts (a request's
// nominal demand, a fast failure, a health probe) allocates in proportion to its work, and a collection of a kind
// starts when what was allocated since that kind's last collection reaches its sampled heap budget, as a HotSpot
// young GC starts when an allocation finds eden full (G1CollectedHeap::attempt_allocation_slow; Oracle's GC tuning
// guide: the young generation is collected when it fills). So allocation rate is proportional to throughput, an
// idle JVM rarely collects and a saturated one often. The allocation is booked when the work starts: the thread
// whose allocation fails waits for the pause with everyone else.
import { Float64Fifo } from "../engine/fifo.js";
import type { Rng } from "../engine/rng.js";
import type { Simulation } from "../engine/simulation.js";
import { ATTEMPT, type AttemptTable } from "./attempt-table.js";
import type { BackendConfig } from "./backend-config.js";
import { PROBE_REPLY, type ProbeTable } from "./probe-table.js";
import { ATTEMPT_RESULT } from "./upstream.js";
import { warmupMultiplier } from "./warmup.js";

/** What the world gives a backend: the clock and queue, shared tables, and where results go. */
export interface BackendHost {
  readonly sim: Simulation;
  readonly attempts: AttemptTable;
  readonly kinds: { complete: number; gcStart: number; gcEnd: number; wake: number; start: number; probeComplete: number };
  /** Health probes in flight (src/model/probe-table.ts); in the backend's queues a probe is entry -(slot + 1). */
  readonly probes: ProbeTable;
  /** Sends a probe's reply back to its checker, one network hop away; the reply takes over one hold on the slot. */
  replyProbe(slot: number, reply: number): void;
  /** Service demand (us) of the request behind an attempt, and whether it needs the backend's dependencies. */
  demandUs(attempt: number): number;
  needsDependencies(attempt: number): boolean;
  /** Sends a result back towards the attempt's owner. */
  deliver(attempt: number, result: number): void;
  /** The SYN was dropped (backlog full): the owner hears of it only when its connect timeout expires. */
  dropSyn(attempt: number): void;
  /** The backend finished executing the attempt's request (it did the work). */
  executed(attempt: number, backend: Backend): void;
  /** Load or state changed: gauges and markers. */
  observe(backend: Backend, marker?: BackendMarker): void;
}

export type BackendMarker = "gc-start" | "gc-end" | "crash" | "hang" | "start" | "ready" | "recover" | "slow" | "errors" | "dependency-down" | "dependency-up";

/** What a probe of a given kind sees at an instant (the host turns this into a pass or a fail). */
export interface ProbeObservation {
  /** The kernel completed the TCP handshake. */
  connected: boolean;
  /** When the application's HTTP answer would arrive; Infinity when it never will. */
  answerAtUs: number;
  /** The HTTP status it would answer with. */
  status: number;
  /** Every named dependency is up. */
  dependenciesOk: boolean;
}

const MAX_GC_KINDS = 8;
/** No collection of this kind is scheduled (allocation-triggered kinds wait for their budget to fill). */
const NO_TIMER = -1;
/** An idle worker (probes in a worker are stored as -(slot + 1), so -1 cannot mean idle). */
const IDLE = -0x80000000;

export class Backend {
  up = false;
  hung = false;
  paused = false;
  pausedUntilUs = 0;
  startedAtUs = 0;
  readyAtUs = 0;
  /** Requests served since the last start: JIT warmup follows them (src/model/warmup.ts). */
  served = 0;
  /** Attempts taken onto a worker and attempts completed, over the whole run (never reset): the load gauges' counts. */
  startedTotal = 0;
  completedTotal = 0;
  slowFactor = 1;
  errorRate = 0;
  /** Increments at every crash: sessions held here from an earlier epoch are gone. */
  epoch = 0;
  readonly dependenciesDown = new Set<string>();
  busy = 0;
  private readonly backlogQueue = new Float64Fifo(16);
  private readonly appQueue = new Float64Fifo(16);
  private readonly workerAttempt: Int32Array;
  private readonly gcHandles: number[] = [];
  /** Per GC kind: work allocated since its last collection (us of nominal demand) and the budget that triggers the next. */
  private readonly allocatedUs: Float64Array;
  private readonly budgetUs: Float64Array;
  private readonly allocationGc: boolean;
  private frozen = true;
  /** The first start of a backend that is not cold starts warm; every later start is cold. */
  private startsWarm: boolean;
  private warmupActive = false;
  private readonly freeWorkers: Int32Array;
  private freeWorkerCount: number;
  /** The management pool (Spring Boot `management.server.port`: its own connector and threads), if any. */
  private readonly managementQueue = new Float64Fifo(4);
  private readonly managementProbe: Int32Array;

  constructor(
    readonly index: number,
    readonly config: BackendConfig,
    private readonly host: BackendHost,
    private readonly gcRngs: readonly Rng[],
    private readonly errorRng: Rng,
  ) {
    if (config.gc.length > MAX_GC_KINDS) throw new RangeError(`at most ${MAX_GC_KINDS} GC kinds per backend`);
    this.workerAttempt = new Int32Array(config.workers).fill(IDLE);
    this.freeWorkers = Int32Array.from({ length: config.workers }, (_, i) => config.workers - 1 - i);
    this.freeWorkerCount = config.workers;
    this.managementProbe = new Int32Array(config.managementWorkers).fill(-1);
    this.startsWarm = !config.coldStart;
    this.allocatedUs = new Float64Array(config.gc.length);
    this.budgetUs = new Float64Array(config.gc.length);
    this.allocationGc = config.gc.some((gc) => gc.trigger === "allocation");
  }

  get name(): string {
    return this.config.name;
  }

  get backlogLength(): number {
    return this.backlogQueue.length;
  }

  get queueLength(): number {
    return this.appQueue.length;
  }

  /** Attempts inside the backend: in the backlog, queued or being served. */
  get inFlight(): number {
    return this.backlogQueue.length + this.appQueue.length + this.busy;
  }

  /** The application is taking and progressing work. */
  get working(): boolean {
    return this.up && !this.hung && !this.paused && this.host.sim.now >= this.readyAtUs;
  }

  /** Starts (or restarts) the process: port open now, application ready after the warmup's not-ready period. */
  start(): void {
    const now = this.host.sim.now;
    this.up = true;
    this.hung = false;
    this.paused = false;
    this.pausedUntilUs = 0;
    this.startedAtUs = now;
    this.served = 0;
    const warmup = this.config.warmup;
    this.warmupActive = warmup !== null && !this.startsWarm;
    this.readyAtUs = warmup !== null && this.warmupActive ? now + warmup.notReadyUs : now;
    this.startsWarm = false;
    this.gcHandles.length = 0;
    this.allocatedUs.fill(0); // a new process: an empty heap
    for (let k = 0; k < this.config.gc.length; k++) this.gcHandles.push(this.armGc(k, now));
    if (this.readyAtUs > now) this.host.sim.at(this.readyAtUs, this.host.kinds.wake, this.index);
    // Refresh first: whatever it starts serving is then seen by observers at this instant.
    this.refresh();
    this.host.observe(this, "start");
  }

  /** The process dies: its port closes and every connection it held is reset. */
  crash(): void {
    if (!this.up) return;
    this.up = false;
    this.epoch++;
    for (const handle of this.gcHandles) if (handle !== NO_TIMER) this.host.sim.cancel(handle);
    this.gcHandles.length = 0;
    const attempts = this.host.attempts;
    for (let w = 0; w < this.workerAttempt.length; w++) {
      const attempt = this.workerAttempt[w]!;
      if (attempt === IDLE) continue;
      this.workerAttempt[w] = IDLE;
      if (attempt < 0) {
        this.host.sim.cancel(this.host.probes.completionHandle[-attempt - 1]!);
        this.resetProbe(-attempt - 1);
        continue;
      }
      this.host.sim.cancel(attempts.completionHandle[attempt]!);
      this.host.deliver(attempt, ATTEMPT_RESULT.reset);
    }
    for (let w = 0; w < this.managementProbe.length; w++) {
      const slot = this.managementProbe[w]!;
      this.managementProbe[w] = -1;
      if (slot < 0) continue;
      this.host.sim.cancel(this.host.probes.completionHandle[slot]!);
      this.resetProbe(slot);
    }
    while (this.managementQueue.length > 0) this.resetProbe(this.managementQueue.shift());
    this.busy = 0;
    this.freeWorkerCount = this.config.workers;
    for (let w = 0; w < this.config.workers; w++) this.freeWorkers[w] = this.config.workers - 1 - w;
    while (this.appQueue.length > 0) this.resetEntry(this.appQueue.shift());
    while (this.backlogQueue.length > 0) this.resetEntry(this.backlogQueue.shift());
    this.paused = false;
    this.frozen = true;
    this.host.observe(this, "crash");
  }

  /** The application stops answering; the kernel keeps accepting connections into the backlog. */
  hang(): void {
    this.hung = true;
    this.host.observe(this, "hang");
    this.refresh();
  }

  slow(factor: number): void {
    this.slowFactor = factor;
    this.host.observe(this, "slow");
  }

  failFast(rate: number): void {
    this.errorRate = rate;
    this.host.observe(this, "errors");
  }

  dependencyDown(name: string): void {
    this.dependenciesDown.add(name);
    this.host.observe(this, "dependency-down");
  }

  dependencyUp(name: string): void {
    this.dependenciesDown.delete(name);
    this.host.observe(this, "dependency-up");
  }

  /** Crashes now and starts again (cold: warmup applies) after `delayUs`, like a restarted JVM. */
  restart(delayUs: number): void {
    this.crash();
    this.host.sim.after(Math.max(0, delayUs), this.host.kinds.start, this.index);
  }

  /** Undoes hang, slowdown and error injection; starts the process if it was down. */
  recover(): void {
    this.hung = false;
    this.slowFactor = 1;
    this.errorRate = 0;
    if (!this.up) {
      this.start();
      return;
    }
    this.refresh();
    this.host.observe(this, "recover");
  }

  /** An attempt reached the backend over the network. */
  arrive(attempt: number): void {
    const attempts = this.host.attempts;
    if (!this.up) {
      this.host.deliver(attempt, ATTEMPT_RESULT.refused); // nothing listens: RST at once
      return;
    }
    if (this.backlogQueue.length >= this.config.backlog) {
      this.host.dropSyn(attempt);
      return;
    }
    attempts.state[attempt] = ATTEMPT.backlog;
    this.backlogQueue.push(attempt);
    this.pump();
    this.host.observe(this);
  }

  /** Completion of the attempt being served (event handler). */
  complete(attempt: number): void {
    const attempts = this.host.attempts;
    const worker = attempts.worker[attempt]!;
    this.workerAttempt[worker] = IDLE;
    this.freeWorkers[this.freeWorkerCount++] = worker;
    this.busy--;
    this.served++;
    this.completedTotal++;
    const result = attempts.result[attempt]!;
    if (result === ATTEMPT_RESULT.ok) this.host.executed(attempt, this);
    this.host.deliver(attempt, result);
    this.pump();
    this.host.observe(this);
  }

  /** GC pause of kind k begins (event handler). */
  gcStart(kind: number): void {
    const gc = this.config.gc[kind]!;
    const now = this.host.sim.now;
    const pause = Math.max(0, Math.round(gc.pauseUs.sample(this.gcRngs[kind]!)));
    const end = now + pause;
    this.paused = true;
    if (end > this.pausedUntilUs) {
      this.pausedUntilUs = end;
      this.host.sim.at(end, this.host.kinds.gcEnd, this.index);
    }
    if (gc.trigger === "allocation") this.allocatedUs[kind] = Math.max(0, this.allocatedUs[kind]! - this.budgetUs[kind]!);
    this.gcHandles[kind] = this.armGc(kind, end);
    this.host.observe(this, "gc-start");
    this.refresh();
  }

  /** A GC pause may be over (event handler): overlapping pauses end at the latest end. */
  gcEnd(): void {
    if (!this.paused || this.host.sim.now < this.pausedUntilUs) return;
    this.paused = false;
    this.refresh();
    this.host.observe(this, "gc-end");
  }

  /** The not-ready period may be over (event handler). */
  wake(): void {
    if (this.up && this.host.sim.now >= this.readyAtUs) {
      this.refresh();
      this.host.observe(this, "ready");
    }
  }

  // ---- health probes: requests like any other -----------------------------------------------------------------

  /**
   * A probe's SYN reaches the backend. Nothing listening: RST. A full backlog: the SYN is dropped and the checker
   * hears nothing (its timeout decides). Otherwise the kernel completes the handshake: a TCP probe has its answer
   * (and its connection takes a backlog slot until the application accepts it); an HTTP or deep probe is a request
   * that waits for the application's accept, queue and a worker, or for the management pool if there is one.
   */
  probeArrive(slot: number): void {
    const probes = this.host.probes;
    if (!this.up) {
      this.host.replyProbe(slot, PROBE_REPLY.refused);
      return;
    }
    const tcp = probes.isTcp(slot);
    if (!tcp && this.managementProbe.length > 0) {
      // The management port has its own listener: its backlog is not the application's (not modelled as full).
      this.managementQueue.push(slot);
      this.pumpManagementIfWorking();
      return;
    }
    if (this.backlogQueue.length >= this.config.backlog) {
      probes.release(slot); // dropped SYN: no answer ever comes
      return;
    }
    if (tcp) {
      probes.refs[slot]!++; // the SYN-ACK goes back while the connection waits in the backlog
      this.host.replyProbe(slot, PROBE_REPLY.connected);
    }
    this.backlogQueue.push(-slot - 1);
    this.pump();
  }

  private pumpManagementIfWorking(): void {
    if (!this.frozen) this.pumpManagement();
  }

  /** A worker (or a management thread) takes the probe: /healthz costs `healthCheckCost` x the warmup multiplier. */
  private startProbe(slot: number): void {
    const probes = this.host.probes;
    const sim = this.host.sim;
    const now = sim.now;
    const warmupDone = this.config.warmup === null || this.multiplier(now) <= 1.000001;
    probes.status[slot] = this.config.readiness === "warm" && !warmupDone ? 503 : 200;
    probes.dependenciesOk[slot] = this.dependenciesDown.size === 0 ? 1 : 0;
    const doneAt = now + Math.round(this.config.healthCheckCostUs * this.multiplier(now));
    if (this.allocationGc) this.allocate(this.config.healthCheckCostUs);
    probes.doneAtUs[slot] = doneAt;
    probes.completionHandle[slot] = sim.timerAt(doneAt, this.host.kinds.probeComplete, slot);
  }

  /** A probe's /healthz answer is ready (event handler): free the thread, reply, take more work. */
  probeComplete(slot: number): void {
    const worker = this.workerAttempt.indexOf(-slot - 1);
    if (worker >= 0) {
      this.workerAttempt[worker] = IDLE;
      this.freeWorkers[this.freeWorkerCount++] = worker;
      this.busy--;
    } else {
      const m = this.managementProbe.indexOf(slot);
      if (m >= 0) this.managementProbe[m] = -1;
    }
    this.answerProbe(slot, this.host.probes.status[slot]!);
    this.pump();
  }

  private answerProbe(slot: number, status: number): void {
    this.host.probes.status[slot] = status;
    this.host.replyProbe(slot, PROBE_REPLY.answered);
  }

  /** The process died with the probe inside: its connection is reset (a TCP probe already had its answer). */
  private resetProbe(slot: number): void {
    if (this.host.probes.isTcp(slot)) this.host.probes.release(slot);
    else this.host.replyProbe(slot, PROBE_REPLY.reset);
  }

  private resetEntry(entry: number): void {
    if (entry < 0) this.resetProbe(-entry - 1);
    else this.host.deliver(entry, ATTEMPT_RESULT.reset);
  }

  /** What a tcp, http or deep probe sees now. A pause that starts while a probe is answered is not modelled. */
  observeProbe(now: number): ProbeObservation {
    const connected = this.up && this.backlogQueue.length < this.config.backlog;
    const dependenciesOk = this.dependenciesDown.size === 0;
    if (!connected) return { connected, answerAtUs: Infinity, status: 0, dependenciesOk };
    if (this.hung || now < this.readyAtUs) return { connected, answerAtUs: Infinity, status: 0, dependenciesOk };
    const cost = Math.round(this.config.healthCheckCostUs * this.multiplier(now));
    const answerAtUs = (this.paused ? this.pausedUntilUs : now) + cost;
    const warmupDone = this.config.warmup === null || this.multiplier(now) <= 1.000001;
    const status = this.config.readiness === "warm" && !warmupDone ? 503 : 200;
    return { connected, answerAtUs, status, dependenciesOk };
  }

  /** The current service-time multiplier from warmup. */
  multiplier(now: number): number {
    const warmup = this.config.warmup;
    if (warmup === null || !this.warmupActive) return 1;
    return warmupMultiplier(warmup, this.served);
  }

  /**
   * Arms the next collection of kind k, one draw from the kind's stream: `time` schedules it after a sampled
   * interval of running time from `fromUs`; `allocation` draws the heap budget (the interval x workers of work)
   * and waits for the work to fill it.
   */
  private armGc(kind: number, fromUs: number): number {
    const gc = this.config.gc[kind]!;
    const drawn = gc.intervalUs.sample(this.gcRngs[kind]!);
    if (gc.trigger === "allocation") {
      this.budgetUs[kind] = Math.max(1, drawn * this.config.workers);
      return NO_TIMER;
    }
    const utilisation = this.busy / this.config.workers;
    const interval = drawn / (1 + gc.pressure * utilisation);
    return this.host.sim.timerAt(fromUs + Math.max(1, Math.round(interval)), this.host.kinds.gcStart, this.index * MAX_GC_KINDS + kind);
  }

  /** Work starting now allocates `workUs` worth; a kind whose budget it fills collects at once. */
  private allocate(workUs: number): void {
    const gcs = this.config.gc;
    const sim = this.host.sim;
    for (let k = 0; k < gcs.length; k++) {
      if (gcs[k]!.trigger !== "allocation") continue;
      const allocated = (this.allocatedUs[k] = this.allocatedUs[k]! + workUs);
      if (allocated >= this.budgetUs[k]! && this.gcHandles[k] === NO_TIMER) {
        this.gcHandles[k] = sim.timerAt(sim.now, this.host.kinds.gcStart, this.index * MAX_GC_KINDS + k);
      }
    }
  }

  /** Freezes or thaws work in service to match whether the application is working now. */
  private refresh(): void {
    const shouldFreeze = !this.working;
    if (shouldFreeze === this.frozen) return;
    this.frozen = shouldFreeze;
    const attempts = this.host.attempts;
    const sim = this.host.sim;
    for (let w = 0; w < this.workerAttempt.length; w++) {
      const attempt = this.workerAttempt[w]!;
      if (attempt === IDLE) continue;
      if (attempt < 0) {
        this.freezeProbe(-attempt - 1, shouldFreeze);
        continue;
      }
      if (shouldFreeze) {
        sim.cancel(attempts.completionHandle[attempt]!);
        attempts.remainingUs[attempt] = attempts.doneAtUs[attempt]! - sim.now;
      } else {
        const doneAt = sim.now + attempts.remainingUs[attempt]!;
        attempts.doneAtUs[attempt] = doneAt;
        attempts.completionHandle[attempt] = sim.timerAt(doneAt, this.host.kinds.complete, attempt);
      }
    }
    for (let w = 0; w < this.managementProbe.length; w++) {
      const slot = this.managementProbe[w]!;
      if (slot >= 0) this.freezeProbe(slot, shouldFreeze);
    }
    if (!shouldFreeze) this.pump();
  }

  /** Stops or resumes a probe's service with the rest of the process (a GC pause stops the management pool too). */
  private freezeProbe(slot: number, freeze: boolean): void {
    const probes = this.host.probes;
    const sim = this.host.sim;
    if (freeze) {
      sim.cancel(probes.completionHandle[slot]!);
      probes.remainingUs[slot] = probes.doneAtUs[slot]! - sim.now;
    } else {
      const doneAt = sim.now + probes.remainingUs[slot]!;
      probes.doneAtUs[slot] = doneAt;
      probes.completionHandle[slot] = sim.timerAt(doneAt, this.host.kinds.probeComplete, slot);
    }
  }

  /**
   * The application's accept loop and workers: queue to workers first (FIFO), then backlog to queue while the
   * application holds fewer than its accept limit (Tomcat `maxConnections`).
   */
  private pump(): void {
    if (this.frozen) return;
    const workers = this.config.workers;
    const maxConnections = this.config.maxConnections;
    while (this.busy < workers && this.appQueue.length > 0) this.serve(this.appQueue.shift());
    while (this.backlogQueue.length > 0 && this.busy + this.appQueue.length < maxConnections) {
      const attempt = this.backlogQueue.shift();
      if (attempt < 0 && this.host.probes.isTcp(-attempt - 1)) {
        // A TCP check's connection: the application accepts it and finds it already closed by the checker.
        this.host.probes.release(-attempt - 1);
        continue;
      }
      if (this.busy < workers) this.serve(attempt);
      else if (this.appQueue.length < this.config.queueLimit) {
        if (attempt >= 0) this.host.attempts.state[attempt] = ATTEMPT.queued;
        this.appQueue.push(attempt);
      } else if (attempt < 0) {
        this.answerProbe(-attempt - 1, 503); // shed like any request
      } else {
        this.host.deliver(attempt, ATTEMPT_RESULT.shed);
      }
    }
    this.pumpManagement();
  }

  /** The management pool serves probes FIFO on its own threads while the process runs. */
  private pumpManagement(): void {
    for (let w = 0; w < this.managementProbe.length && this.managementQueue.length > 0; w++) {
      if (this.managementProbe[w]! >= 0) continue;
      const slot = this.managementQueue.shift();
      this.managementProbe[w] = slot;
      this.startProbe(slot);
    }
  }

  private serve(attempt: number): void {
    const attempts = this.host.attempts;
    const sim = this.host.sim;
    const worker = this.freeWorkers[--this.freeWorkerCount]!;
    this.workerAttempt[worker] = attempt;
    this.busy++;
    if (attempt < 0) {
      this.startProbe(-attempt - 1);
      return;
    }
    this.startedTotal++;
    attempts.worker[attempt] = worker;
    attempts.state[attempt] = ATTEMPT.serving;
    let duration: number;
    let workUs: number;
    if (this.dependenciesDown.size > 0 && this.host.needsDependencies(attempt)) {
      attempts.result[attempt] = ATTEMPT_RESULT.error;
      duration = workUs = this.config.fastFailUs;
    } else if (this.errorRate > 0 && this.errorRng.next() < this.errorRate) {
      attempts.result[attempt] = ATTEMPT_RESULT.error;
      duration = workUs = this.config.fastFailUs;
    } else {
      attempts.result[attempt] = ATTEMPT_RESULT.ok;
      // Nominal demand is the work (and what it allocates); a slow host, a cold JIT or a slowdown stretch the time.
      workUs = this.host.demandUs(attempt);
      const factor = this.config.speedFactor * this.multiplier(sim.now) * this.slowFactor;
      duration = Math.round(workUs * factor);
    }
    if (this.allocationGc) this.allocate(workUs);
    const doneAt = sim.now + duration;
    attempts.doneAtUs[attempt] = doneAt;
    attempts.completionHandle[attempt] = sim.timerAt(doneAt, this.host.kinds.complete, attempt);
  }
}
