// The simulated world: clients, the front door they talk to (a load-balancer tier, or a direct connection in
// tests), the network, and the backends. It owns the request and attempt tables, the ledger and the event
// kinds, and enforces the ledger at the end of every run.
import type { Distribution } from "../engine/distributions/distribution.js";
import { invariant } from "../engine/invariant.js";
import type { Rng } from "../engine/rng.js";
import { Simulation, type RunResult } from "../engine/simulation.js";
import { ATTEMPT_OUTCOME, Ledger, OUTCOME, type LedgerSummary } from "../metrics/ledger.js";
import { AttemptTable } from "./attempt-table.js";
import { Backend, type BackendHost, type BackendMarker } from "./backend.js";
import type { BackendConfig } from "./backend-config.js";
import { ClientDriver } from "./client-driver.js";
import type { ProbeDone } from "../health/checker-ports.js";
import type { ProbeKind } from "../health/probe.js";
import { ProbeTable } from "./probe-table.js";
import type { ClientGroupConfig } from "./client-config.js";
import { RequestTable } from "./request-table.js";
import { SessionStore, type SessionMode } from "./session-store.js";
import { ATTEMPT_OUTCOME_OF_RESULT, ATTEMPT_RESULT, type AttemptOwner } from "./upstream.js";

export interface NetworkConfig {
  /** One-way latency between a client and the front door. */
  clientToFrontUs: Distribution;
  /** One-way latency between the front door and a backend. */
  frontToBackendUs: Distribution;
}

export interface WorldConfig {
  seed: string | number;
  backends: BackendConfig[];
  clients: ClientGroupConfig[];
  network: NetworkConfig;
  sessions: SessionMode;
  /** Clients stop sending at this time; the run ends here and requests still in flight are `unfinished`. */
  horizonUs: number;
  /** A bound on events, so a runaway model is reported instead of hanging. */
  maxEvents?: number;
  /** Per-backend counts include only requests sent from this time on (the scenario's warm-up). */
  measureFromUs?: number;
}

/** The tier clients send to. It must eventually call World.respond for every request it receives. */
export interface FrontDoor {
  receive(request: number): void;
}

/**
 * Something that wants to hear about every user request that ends (metrics): `request` is its last try's slot,
 * `latencyUs` runs from its first send to its final answer (client retries included), `backend` served the last
 * try (-1: none). Requests still open at the horizon end `unfinished` too.
 */
export interface SettleListener {
  onRequestEnded(request: number, outcome: number, latencyUs: number, backend: number): void;
}

/** Something that wants to hear about backend load and state changes (gauges, charts). */
export interface BackendListener {
  onBackendChange(backend: Backend, marker: BackendMarker | undefined): void;
}

export interface TimelineAction {
  atUs: number;
  label: string;
  apply(world: World): void;
}

export interface WorldResult {
  run: RunResult;
  /** The requests whose user request was first sent after `measureFromUs` (all of them when it is 0). */
  ledger: LedgerSummary;
  sessionsLost: number;
  /** Work done by backends for requests that had already been settled (a client or balancer gave up). */
  orphanedExecutions: number;
  perBackend: Array<{ name: string; attempts: number; ok: number; failed: number }>;
}

/**
 * Slices of simulated time between progress reports: a thousand, so that even a run of a quarter of an hour
 * reports about once a second and the bar keeps moving (a slice costs one call; nothing runs between slices).
 */
export const PROGRESS_SLICES = 1000;

export class World {
  readonly sim: Simulation;
  readonly ledger = new Ledger();
  readonly requests = new RequestTable();
  readonly attempts = new AttemptTable();
  /** Health probes on their way to, inside, or back from backends. */
  readonly probes = new ProbeTable();
  readonly backends: Backend[] = [];
  readonly sessions: SessionStore;
  readonly clients: ClientDriver;
  readonly settleListeners: SettleListener[] = [];
  readonly backendListeners: BackendListener[] = [];
  /**
   * Event kinds whose target is a request slot and whose handler carries the request on (to the front door, through
   * parsing or a balancer queue, back to the client, into a retry). The end-of-run audit counts a user request as
   * in flight only if such an event or an open attempt holds it: the client's own timeout does not count.
   */
  readonly requestCarrierKinds = new Set<number>();
  /** Told when a backend joins the world (the balancer tier registers it with every node). */
  readonly backendAddedListeners: Array<(backend: Backend) => void> = [];
  orphanedExecutions = 0;
  private readonly owners: AttemptOwner[] = [];
  /** Front door to backend and back, for every attempt; drawn when the attempt is sent. */
  private readonly upstreamRng: Rng;
  /** Probes draw their hops from their own stream, so checking more or less often moves no request's latency. */
  private readonly probeNetworkRng: Rng;
  private readonly probeArriveKind: number;
  private readonly probeReplyKind: number;
  private readonly backendKinds: BackendHost["kinds"];
  private readonly attemptArriveKind: number;
  private readonly attemptResultKind: number;
  private readonly timelineKind: number;
  private readonly timeline: TimelineAction[] = [];
  private readonly backendAttempts: number[] = [];
  private readonly backendOk: number[] = [];
  private readonly backendFailed: number[] = [];
  private frontDoor: FrontDoor | null = null;
  private readonly host: BackendHost;

  constructor(readonly config: WorldConfig) {
    this.sim = new Simulation(config.seed);
    this.upstreamRng = this.sim.rng.fork("network/upstream");
    this.probeNetworkRng = this.sim.rng.fork("network/probes");
    this.sessions = new SessionStore(config.sessions);
    const sim = this.sim;
    this.attemptArriveKind = sim.on("attempt-arrive", (attempt) => this.onAttemptArrive(attempt));
    this.attemptResultKind = sim.on("attempt-result", (attempt) => this.onAttemptResult(attempt));
    this.timelineKind = sim.on("timeline", (index) => this.timeline[index]!.apply(this));
    this.probeArriveKind = sim.on("probe-arrive", (slot) => this.backends[this.probes.backend[slot]!]!.probeArrive(slot));
    this.probeReplyKind = sim.on("probe-reply", (slot) => this.onProbeReply(slot));
    this.backendKinds = {
      complete: sim.on("backend-complete", (attempt) => this.backends[this.attempts.backend[attempt]!]!.complete(attempt)),
      gcStart: sim.on("gc-start", (target) => this.backends[target >> 3]!.gcStart(target & 7)),
      gcEnd: sim.on("gc-end", (backend) => this.backends[backend]!.gcEnd()),
      wake: sim.on("backend-wake", (backend) => this.backends[backend]!.wake()),
      start: sim.on("backend-start", (backend) => this.backends[backend]!.start()),
      probeComplete: sim.on("probe-complete", (slot) => this.backends[this.probes.backend[slot]!]!.probeComplete(slot)),
    };
    this.host = this.makeBackendHost();
    this.clients = new ClientDriver(this, config.clients);
    // The watchdog's measure of the world: what can act at one instant (see engine/watchdog.ts).
    sim.measureWorld(() => this.clients.clientCount + this.backends.length + this.owners.length + this.requests.slots.live + this.attempts.live);
    for (const backend of config.backends) this.addBackend(backend);
  }

  get now(): number {
    return this.sim.now;
  }

  attachFrontDoor(frontDoor: FrontDoor): void {
    this.frontDoor = frontDoor;
  }

  /** Registers whoever sends attempts; the index goes with each attempt. */
  addOwner(owner: AttemptOwner): number {
    this.owners.push(owner);
    return this.owners.length - 1;
  }

  /** Adds a backend (scale-out) and starts it now. Returns its index. */
  addBackend(config: BackendConfig): Backend {
    const index = this.backends.length;
    const label = `backend/${config.name}`;
    const gcRngs = config.gc.map((gc) => this.sim.rng.fork(`${label}/gc/${gc.name}`));
    const backend = new Backend(index, config, this.host, gcRngs, this.sim.rng.fork(`${label}/errors`));
    this.backends.push(backend);
    this.backendAttempts.push(0);
    this.backendOk.push(0);
    this.backendFailed.push(0);
    backend.start();
    for (const listener of this.backendAddedListeners) listener(backend);
    return backend;
  }

  /**
   * The backend serving under `name` now: `name` itself or, after rolling deploys, its newest replacement
   * `name@vK` (replacements are added in order, so the last match is the newest). Timeline targets use this.
   */
  currentBackend(name: string): Backend {
    let found: Backend | undefined;
    for (const b of this.backends) if (b.name === name || b.name.startsWith(`${name}@v`)) found = b;
    invariant(found, `no backend named "${name}"`);
    return found;
  }

  backendByName(name: string): Backend {
    const backend = this.backends.find((b) => b.name === name);
    invariant(backend, `no backend named "${name}"`);
    return backend;
  }

  /** Schedules a change to the world (a crash, a deploy, a traffic change) at an absolute time. */
  schedule(action: TimelineAction): void {
    this.timeline.push(action);
    this.sim.at(action.atUs, this.timelineKind, this.timeline.length - 1);
  }

  // ---- the front door's side -------------------------------------------------------------------------------

  /**
   * Sends an attempt of `request` to `backend` over the network; its result comes to the owner later. A new
   * connection first pays a TCP handshake (one round trip); a `doomed` one was sent on a pooled connection the
   * backend had just closed, and meets a reset.
   */
  sendAttempt(request: number, backend: number, owner: number, newConnection = false, doomed = false): number {
    const requests = this.requests;
    const attempt = this.attempts.open(request, requests.id[request]!, backend, owner);
    if (doomed) this.attempts.doomed[attempt] = 1;
    requests.refs[request]!++;
    const measured = this.measured(request);
    this.ledger.sendAttempt(measured);
    if (measured) this.backendAttempts[backend]!++;
    const delay = this.connectHopsUs(this.config.network.frontToBackendUs, this.upstreamRng, newConnection);
    this.attempts.returnHopUs[attempt] = this.hopUs(this.config.network.frontToBackendUs, this.upstreamRng);
    this.sim.after(delay, this.attemptArriveKind, attempt);
    return attempt;
  }

  /**
   * The owner stops waiting for an attempt; the backend may still do the work. The attempt's outcome is why:
   * `upstream-timeout` (it waited long enough) or `cancelled` (another attempt of the try answered first).
   */
  abandonAttempt(attempt: number, why: "upstream-timeout" | "cancelled"): void {
    if (this.attempts.abandoned[attempt] === 1) return;
    this.attempts.abandoned[attempt] = 1;
    this.ledger.endAttempt(ATTEMPT_OUTCOME[why], this.measured(this.attempts.request[attempt]!));
  }

  /**
   * Sends a health probe from a balancer node to a backend: the model's probe entry point (the node's adapter for
   * the HealthChecker's probe port calls it). `done(token, response)` is called when the reply reaches the node, if
   * one ever does; a checker that stopped waiting (its timeout) ignores it by the token, so nothing needs aborting.
   * The backend may still do the work of an abandoned probe, as it does for an abandoned request.
   */
  probe(backend: number, kind: ProbeKind, token: number, done: ProbeDone): void {
    const probes = this.probes;
    const slot = probes.open(backend, kind, this.now, token, done);
    const hop = this.probeHopUs();
    probes.connectUs[slot] = 2 * hop; // the handshake's round trip, the same hop each way
    this.sim.after(hop, this.probeArriveKind, slot);
  }

  private probeHopUs(): number {
    return Math.max(0, Math.round(this.config.network.frontToBackendUs.sample(this.probeNetworkRng)));
  }

  /** A probe's reply reaches the node: the checker hears what it says (the probe table builds the response). */
  private onProbeReply(slot: number): void {
    this.probes.answer(slot, this.now);
    this.probes.release(slot);
  }

  /** The front door's final answer for a request travels back to the client. */
  respond(request: number, outcome: number, backend: number): void {
    this.clients.respond(request, outcome, backend);
  }

  // ---- internals --------------------------------------------------------------------------------------------

  /**
   * One network (or processing) delay in whole microseconds, drawn from the caller's stream. Every purpose has
   * its own stream (clients' hops per group, upstream hops, each node's parsing and probes), so that changing the
   * algorithm or the check interval changes no client's network latency (common random numbers).
   */
  hopUs(distribution: Distribution, rng: Rng): number {
    return Math.max(0, Math.round(distribution.sample(rng)));
  }

  /**
   * A trip over one hop, plus a TCP handshake (one round trip) first when the connection is new. The handshake's
   * two hops are drawn whether or not they are used, so a stream's position depends only on how many trips were
   * made, not on which of them opened connections.
   */
  connectHopsUs(distribution: Distribution, rng: Rng, newConnection: boolean): number {
    const hop = this.hopUs(distribution, rng);
    const handshake = this.hopUs(distribution, rng) + this.hopUs(distribution, rng);
    return newConnection ? hop + handshake : hop;
  }

  deliverToFrontDoor(request: number): void {
    invariant(this.frontDoor, "a request reached the front door before one was attached");
    this.frontDoor.receive(request);
  }

  /**
   * The user request this try belongs to was first sent after the warm-up, so it and all of its tries and
   * attempts count in the reported figures (a retry inherits its user request's standing).
   */
  measured(request: number): boolean {
    return this.requests.userSentUs[request]! >= (this.config.measureFromUs ?? 0);
  }

  /** Drops one reference to a request slot, freeing it once it is settled and nothing refers to it. */
  release(request: number): void {
    const requests = this.requests;
    const refs = --requests.refs[request]!;
    invariant(refs >= 0, "request reference count went negative");
    if (refs === 0 && requests.settled[request] === 1) this.closeRequest(request);
  }

  /** Frees a settled, unreferenced request; a retry lets go of the first try it holds. */
  closeRequest(request: number): void {
    const root = this.requests.root[request]!;
    this.requests.close(request);
    if (root !== request) this.release(root);
  }

  private onAttemptArrive(attempt: number): void {
    if (this.attempts.doomed[attempt] === 1) this.host.deliver(attempt, ATTEMPT_RESULT.reset);
    else this.backends[this.attempts.backend[attempt]!]!.arrive(attempt);
  }

  private onAttemptResult(attempt: number): void {
    const attempts = this.attempts;
    const result = attempts.result[attempt]!;
    const backend = attempts.backend[attempt]!;
    const measured = this.measured(attempts.request[attempt]!);
    if (measured) {
      if (result === ATTEMPT_RESULT.ok) this.backendOk[backend]!++;
      else this.backendFailed[backend]!++;
    }
    if (attempts.abandoned[attempt] === 0) {
      this.ledger.endAttempt(ATTEMPT_OUTCOME_OF_RESULT[result]!, measured);
      this.owners[attempts.owner[attempt]!]!.onAttemptResult(attempt, result);
    }
    const request = attempts.request[attempt]!;
    attempts.close(attempt);
    this.release(request);
  }

  private makeBackendHost(): BackendHost {
    const world = this;
    return {
      sim: this.sim,
      attempts: this.attempts,
      kinds: this.backendKinds,
      probes: this.probes,
      replyProbe(slot, reply) {
        world.probes.reply[slot] = reply;
        world.sim.after(world.probeHopUs(), world.probeReplyKind, slot);
      },
      demandUs: (attempt) => world.requests.demandUs[world.attempts.request[attempt]!]!,
      needsDependencies: (attempt) => world.clients.needsDependencies(world.attempts.request[attempt]!),
      deliver(attempt, result) {
        world.attempts.result[attempt] = result;
        world.sim.after(world.attempts.returnHopUs[attempt]!, world.attemptResultKind, attempt);
      },
      dropSyn(attempt) {
        world.attempts.result[attempt] = ATTEMPT_RESULT.refused;
        const owner = world.owners[world.attempts.owner[attempt]!]!;
        world.sim.after(Math.max(0, Math.round(owner.connectTimeoutUs)), world.attemptResultKind, attempt);
      },
      executed(attempt, backend) {
        world.onExecuted(attempt, backend);
      },
      observe(backend, marker) {
        for (const listener of world.backendListeners) listener.onBackendChange(backend, marker);
      },
    };
  }

  /** A backend did the work of a request: count duplicates and check the request's session. */
  private onExecuted(attempt: number, backend: Backend): void {
    const requests = this.requests;
    const request = this.attempts.request[attempt]!;
    const executions = ++requests.executions[requests.root[request]!]!;
    if (executions > 1 && !this.clients.isIdempotent(request)) this.ledger.countDuplicate(this.measured(request));
    if (requests.settled[request] === 1) this.orphanedExecutions++;
    const session = requests.session[request]!;
    if (session >= 0 && !this.sessions.touch(session, backend)) requests.sessionLost[request] = 1;
  }

  /**
   * Runs to the horizon, settles what is still in flight as `unfinished`, and checks the ledger. With
   * `onProgress`, the run advances in PROGRESS_SLICES slices and reports the fraction done between them (a progress bar);
   * slicing changes nothing that happens, since no event runs between slices.
   */
  run(onProgress?: (fraction: number) => void): WorldResult {
    invariant(this.frontDoor, "attach a front door before running the world");
    this.clients.start();
    const horizonUs = this.config.horizonUs;
    const maxEvents = this.config.maxEvents ?? 2_000_000_000;
    const slices = onProgress ? PROGRESS_SLICES : 1;
    let events = 0;
    let stoppedBy: RunResult["stoppedBy"] = "empty";
    for (let slice = 1; slice <= slices; slice++) {
      const untilUs = slice === slices ? horizonUs : Math.floor((horizonUs * slice) / slices);
      const step = this.sim.run({ untilUs, maxEvents: maxEvents - events });
      events += step.events;
      stoppedBy = step.stoppedBy;
      onProgress?.(slice / slices);
    }
    const run: RunResult = { stoppedBy, events, endTimeUs: this.sim.now };
    this.settleUnfinished();
    try {
      this.ledger.assertBalanced();
    } catch (error) {
      this.sim.fail((error as Error).message, error);
    }
    return {
      run,
      ledger: this.ledger.summary("measured"),
      sessionsLost: this.sessions.lost,
      orphanedExecutions: this.orphanedExecutions,
      perBackend: this.backends.map((b, i) => ({
        name: b.name, attempts: this.backendAttempts[i]!, ok: this.backendOk[i]!, failed: this.backendFailed[i]!,
      })),
    };
  }

  /**
   * At the horizon: tries still in flight end `unfinished`; so do user requests still open (a try in flight, or
   * a retry waiting out its backoff: its first try's slot is held until then), and attempts still in flight
   * that nobody had abandoned.
   */
  private settleUnfinished(): void {
    const requests = this.requests;
    this.auditInFlight();
    for (let slot = 0; slot < requests.capacity; slot++) {
      if (requests.id[slot] !== 0 && requests.settled[slot] === 0) {
        requests.settled[slot] = 1;
        this.ledger.endTry(OUTCOME.unfinished, this.measured(slot));
      }
    }
    for (let slot = 0; slot < requests.capacity; slot++) {
      if (requests.id[slot] !== 0 && requests.root[slot] === slot && requests.userOpen[slot] === 1) {
        requests.userOpen[slot] = 0;
        this.ledger.endRequest(OUTCOME.unfinished, this.measured(slot));
        const latencyUs = this.now - requests.userSentUs[slot]!;
        for (const listener of this.settleListeners) listener.onRequestEnded(slot, OUTCOME.unfinished, latencyUs, -1);
      }
    }
    const attempts = this.attempts;
    for (let slot = 0; slot < attempts.slots.capacity; slot++) {
      if (attempts.id[slot] !== 0 && attempts.abandoned[slot] === 0) {
        attempts.abandoned[slot] = 1;
        this.ledger.endAttempt(ATTEMPT_OUTCOME.unfinished, this.measured(attempts.request[slot]!));
      }
    }
  }

  /**
   * Every user request still open at the horizon must really be in flight: some try of it is carried by a pending
   * event (requestCarrierKinds) or has an attempt open at a backend or on the wire that its owner still awaits. This is counted from the event
   * queue and the attempt table, not from the ledger or the request's own bookkeeping, so a request the model lost
   * (nobody will ever answer it, and nothing is in flight for it) cannot hide among the `unfinished`: the run fails
   * naming the seed. Without this audit, `unfinished` would absorb any leak and the ledger would always balance.
   */
  private auditInFlight(): void {
    const requests = this.requests;
    const held = new Uint8Array(requests.capacity);
    const carriers = this.requestCarrierKinds;
    this.sim.forEachPending((kind, target) => {
      if (carriers.has(kind) && requests.id[target] !== 0) held[requests.root[target]!] = 1;
    });
    const attempts = this.attempts;
    for (let slot = 0; slot < attempts.slots.capacity; slot++) {
      // An abandoned attempt carries nothing on: its owner stopped waiting for it (a timeout, a lost hedge).
      if (attempts.id[slot] !== 0 && attempts.abandoned[slot] === 0 && requests.id[attempts.request[slot]!] === attempts.requestId[slot]) {
        held[requests.root[attempts.request[slot]!]!] = 1;
      }
    }
    let lost = 0;
    let first = -1;
    for (let slot = 0; slot < requests.capacity; slot++) {
      if (requests.id[slot] !== 0 && requests.root[slot] === slot && requests.userOpen[slot] === 1 && held[slot] === 0) {
        lost++;
        if (first < 0) first = slot;
      }
    }
    if (lost > 0) {
      this.sim.fail(`${lost} user request(s) still open at the horizon with nothing in flight for them (no event, no attempt): lost by the model, ` +
        `not unfinished; the first was sent at ${requests.userSentUs[first]}us by client ${requests.client[first]}`);
    }
  }
}
