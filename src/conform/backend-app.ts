// A real backend that enacts one of a scenario's backends on the wall clock, as src/model/backend.ts models it:
// workers and an application queue (full -> 503), service time = the request's demand (sent by the load
// generator in a header, drawn from the scenario's own streams) x speed x warmup x slowdown, JVM warmup (a
// not-ready period in which nothing is answered, then a multiplier decaying to 1), hang (connections accepted,
// nothing answered until recovery), crash (listener closed, every connection reset), fast 5xx, dependencies
// that go down (requests that need them fail fast; the deep check fails). GC pauses are not done here: the
// supervisor stops the whole process with SIGSTOP, a real stop-the-world pause the kernel does not notice.
//
// This is real-world code for the conformance lab, not simulation code: it reads the wall clock.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { Rng } from "../engine/rng.js";
import type { WarmupConfig } from "../model/backend-config.js";
import { warmupMultiplier } from "../model/warmup.js";

/** What the backend needs from the scenario: plain data, so it crosses a process boundary as JSON. */
export interface BackendAppConfig {
  name: string;
  workers: number;
  queueLimit: number;
  backlog: number;
  speedFactor: number;
  warmup: WarmupConfig | null;
  coldStart: boolean;
  healthCheckCostUs: number;
  fastFailUs: number;
  readiness: "process" | "warm";
  /** The run's seed: fast-5xx draws come from the model's stream "backend/<name>/errors". */
  seed: string;
}

/** Commands from the supervisor (the timeline, on the wall clock). */
export type BackendCommand =
  | { kind: "hang" } | { kind: "recover" } | { kind: "crash" } | { kind: "start" }
  | { kind: "slow"; factor: number } | { kind: "fast-5xx"; rate: number }
  | { kind: "dependency-down"; name: string } | { kind: "dependency-up"; name: string };

/** Headers the load generator sets on each request. */
export const DEMAND_HEADER = "x-lbsim-demand-us";
export const NEEDS_DEPENDENCIES_HEADER = "x-lbsim-needs-dependencies";
/** The header every answer of the application carries: who served it. */
export const BACKEND_HEADER = "x-lbsim-backend";

/** Health endpoints: `http` checks ask /healthz, `deep` checks /healthz/deep (fails while a dependency is down). */
export const HEALTH_PATH = "/healthz";
export const DEEP_HEALTH_PATH = "/healthz/deep";

interface Pending {
  req: IncomingMessage;
  res: ServerResponse;
}

export class BackendApp {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private up = false;
  private hung = false;
  private startedAtMs = 0;
  private readyAtMs = 0;
  private warmupActive = false;
  private startsWarm: boolean;
  private served = 0;
  private slowFactor = 1;
  private errorRate = 0;
  private readonly dependenciesDown = new Set<string>();
  private busy = 0;
  /** Accepted while the application was not working (hung or not ready): answered when it works again. */
  private readonly held: Pending[] = [];
  private readonly queue: Pending[] = [];
  /** Completions that fell due while the application was hung. */
  private readonly frozen: Array<() => void> = [];
  private readonly errors: Rng;
  private readyTimer: NodeJS.Timeout | null = null;
  /** Requests received (health checks excluded) and answered, for the supervisor's tally. */
  received = 0;
  port = 0;

  constructor(readonly config: BackendAppConfig) {
    this.startsWarm = !config.coldStart;
    this.errors = Rng.root(config.seed).fork(`backend/${config.name}/errors`);
  }

  /** Listens on 127.0.0.1:port (0: any free port) and starts the application; resolves with the port. */
  async listen(port: number): Promise<number> {
    const server = createServer((req, res) => this.onRequest(req, res));
    server.keepAliveTimeout = 75_000; // NGINX keepalive_timeout 75s, the scenario schema's default
    server.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ port, host: "127.0.0.1", backlog: this.config.backlog }, () => resolve());
    });
    const address = server.address();
    this.port = typeof address === "object" && address !== null ? address.port : port;
    this.server = server;
    this.begin();
    return this.port;
  }

  /** Applies one timeline command. */
  async command(command: BackendCommand): Promise<void> {
    switch (command.kind) {
      case "hang": this.hung = true; return;
      case "slow": this.slowFactor = command.factor; return;
      case "fast-5xx": this.errorRate = command.rate; return;
      case "dependency-down": this.dependenciesDown.add(command.name); return;
      case "dependency-up": this.dependenciesDown.delete(command.name); this.pump(); return;
      case "crash": return this.crash();
      case "start": await this.listen(this.port); return;
      case "recover":
        this.hung = false;
        this.slowFactor = 1;
        this.errorRate = 0;
        if (!this.up) await this.listen(this.port);
        else this.pump();
        return;
    }
  }

  /** Closes everything now (the end of a run). */
  async close(): Promise<void> {
    this.crash();
  }

  /** The model's Backend.working: up, not hung, past the not-ready period. */
  private get working(): boolean {
    return this.up && !this.hung && performance.now() >= this.readyAtMs;
  }

  private begin(): void {
    const now = performance.now();
    this.up = true;
    this.hung = false;
    this.served = 0;
    this.startedAtMs = now;
    const warmup = this.config.warmup;
    this.warmupActive = warmup !== null && !this.startsWarm;
    this.readyAtMs = warmup !== null && this.warmupActive ? now + warmup.notReadyUs / 1000 : now;
    this.startsWarm = false; // every later start is cold, as in the model
    if (this.readyAtMs > now) this.readyTimer = setTimeout(() => this.pump(), this.readyAtMs - now + 1);
  }

  /** The process dies: the listener closes and every connection is reset (RST), as the model's crash. */
  private crash(): void {
    this.up = false;
    if (this.readyTimer) clearTimeout(this.readyTimer);
    this.readyTimer = null;
    this.server?.close();
    this.server = null;
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
    this.held.length = 0;
    this.queue.length = 0;
    this.frozen.length = 0;
    this.busy = 0;
  }

  private multiplier(): number {
    const warmup = this.config.warmup;
    if (warmup === null || !this.warmupActive) return 1;
    return warmupMultiplier(warmup, this.served);
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    // Drain the (empty) body so keepalive connections stay usable.
    req.resume();
    if (!this.working) {
      this.held.push({ req, res });
      return;
    }
    this.handle({ req, res });
  }

  private handle(pending: Pending): void {
    const path = (pending.req.url ?? "/").split("?")[0];
    if (path === HEALTH_PATH || path === DEEP_HEALTH_PATH) return this.health(pending, path === DEEP_HEALTH_PATH);
    this.received++;
    if (this.busy < this.config.workers) this.serve(pending);
    else if (this.queue.length < this.config.queueLimit) this.queue.push(pending);
    else this.answer(pending, 503, "queue full"); // the model's `shed`
  }

  /** Health endpoints bypass the workers, as the model's observeProbe (cost healthCheckCost x warmup). */
  private health(pending: Pending, deep: boolean): void {
    const warmupDone = this.multiplier() <= 1.000001;
    let status = this.config.readiness === "warm" && !warmupDone ? 503 : 200;
    if (deep && this.dependenciesDown.size > 0) status = 503;
    this.after(this.config.healthCheckCostUs * this.multiplier(), () => this.answer(pending, status, status === 200 ? "ok" : "not ready"));
  }

  private serve(pending: Pending): void {
    this.busy++;
    const needsDependencies = pending.req.headers[NEEDS_DEPENDENCIES_HEADER] === "1";
    let status = 200;
    let durationUs: number;
    if (this.dependenciesDown.size > 0 && needsDependencies) {
      status = 500;
      durationUs = this.config.fastFailUs;
    } else if (this.errorRate > 0 && this.errors.next() < this.errorRate) {
      status = 500;
      durationUs = this.config.fastFailUs;
    } else {
      const demand = Number(pending.req.headers[DEMAND_HEADER] ?? "0");
      durationUs = (Number.isFinite(demand) ? demand : 0) * this.config.speedFactor * this.multiplier() * this.slowFactor;
    }
    const epoch = this.startedAtMs;
    const complete = (): void => {
      if (!this.up || epoch !== this.startedAtMs) return; // crashed meanwhile: the connection was reset
      // Hung meanwhile: work in service is frozen (the model's refresh) and completes after recovery.
      if (!this.working) return void this.frozen.push(complete);
      this.busy--;
      this.served++;
      this.answer(pending, status, status === 200 ? "ok" : "error");
      this.pump();
    };
    this.after(durationUs, complete);
  }

  /** Work resumes (ready, recovered): held connections first, then the queue, as the model's pump. */
  private pump(): void {
    if (!this.working) return;
    for (const complete of this.frozen.splice(0)) complete();
    while (this.held.length > 0) this.handle(this.held.shift()!);
    while (this.busy < this.config.workers && this.queue.length > 0) this.serve(this.queue.shift()!);
  }

  private answer(pending: Pending, status: number, body: string): void {
    if (pending.res.destroyed || pending.res.writableEnded) return;
    pending.res.writeHead(status, { [BACKEND_HEADER]: this.config.name, "content-type": "text/plain", "content-length": Buffer.byteLength(body) });
    pending.res.end(body);
  }

  /** setTimeout in microseconds; under a millisecond runs on the next turn (timers have 1 ms granularity). */
  private after(us: number, fn: () => void): void {
    if (us < 1000) setImmediate(fn);
    else setTimeout(fn, us / 1000);
  }
}
