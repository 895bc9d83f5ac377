// Clients: they send requests (open or closed loop), hold connections through NAT gateways or not, time out,
// retry with backoff, and settle in the ledger every try they sent and every user request exactly once (a user
// request ends with its last try's outcome, once no retry follows).
//
// Random streams are per group and per purpose ("clients/<group>/arrivals", ".../class", ".../demand", ...), so
// what clients draw never depends on what the balancer or the backends do (common random numbers).
import { invariant } from "../engine/invariant.js";
import type { Rng } from "../engine/rng.js";
import { OUTCOME, OUTCOMES } from "../metrics/ledger.js";
import type { ArrivalSource, ClientGroupConfig, ReplayRequests, RequestClassConfig } from "./client-config.js";
import type { World } from "./world.js";

const NO_OUTCOME = 255;

interface GroupRuntime {
  config: ClientGroupConfig;
  index: number;
  firstClient: number;
  /** Global index of the group's first request class. */
  firstClass: number;
  classCumulative: Float64Array;
  retryOn: Uint8Array;
  arrivals: Rng;
  who: Rng;
  classPick: Rng;
  demand: Rng;
  think: Rng;
  retry: Rng;
  /** The group's trips to the front door and back, drawn when each request is sent. */
  network: Rng;
}

export class ClientDriver {
  readonly classes: RequestClassConfig[] = [];
  private readonly groups: GroupRuntime[] = [];
  private readonly clientGroup: Int32Array;
  private readonly addresses: string[] = [];
  private readonly connectionOpen: Uint8Array;
  private readonly sessionRequests: Int32Array;
  /** Each open-loop group's pending arrival, so a traffic change can replace the process. */
  private readonly arrivalHandles: number[] = [];
  private readonly arrivalSources: Array<ClientGroupConfig["load"] | null> = [];
  /** Each replay group's next request (its position in the log) and how many times the log has looped. */
  private readonly replayNext: number[] = [];
  private readonly replayLoops: number[] = [];
  private readonly kinds: { arrival: number; userSend: number; atFront: number; receive: number; timeout: number; retry: number };

  constructor(private readonly world: World, configs: readonly ClientGroupConfig[]) {
    const rng = world.sim.rng;
    let clients = 0;
    configs.forEach((config, index) => {
      invariant(config.clients >= 1, `client group ${config.name} needs at least one client`);
      invariant(config.classes.length >= 1, `client group ${config.name} needs at least one request class`);
      const cumulative = new Float64Array(config.classes.length);
      let total = 0;
      config.classes.forEach((c, i) => (cumulative[i] = total += c.weight));
      for (let i = 0; i < cumulative.length; i++) cumulative[i]! /= total;
      const retryOn = new Uint8Array(OUTCOMES.length);
      for (const outcome of config.retry?.on ?? []) retryOn[OUTCOME[outcome]] = 1;
      const label = `clients/${config.name}`;
      this.groups.push({
        config, index, firstClient: clients, firstClass: this.classes.length, classCumulative: cumulative, retryOn,
        arrivals: rng.fork(`${label}/arrivals`), who: rng.fork(`${label}/who`), classPick: rng.fork(`${label}/class`),
        demand: rng.fork(`${label}/demand`), think: rng.fork(`${label}/think`), retry: rng.fork(`${label}/retry`),
        network: rng.fork(`${label}/network`),
      });
      this.classes.push(...config.classes);
      invariant(config.addresses === undefined || config.addresses.length === config.clients, `client group ${config.name}: one address per client`);
      for (let c = 0; c < config.clients; c++) this.addresses.push(config.addresses?.[c] ?? clientAddress(config.addressPrefix, c));
      clients += config.clients;
    });
    this.clientGroup = new Int32Array(clients);
    for (const group of this.groups) this.clientGroup.fill(group.index, group.firstClient, group.firstClient + group.config.clients);
    this.connectionOpen = new Uint8Array(clients);
    this.sessionRequests = new Int32Array(clients);
    const sim = world.sim;
    this.kinds = {
      arrival: sim.on("client-arrival", (group) => this.onArrival(group)),
      userSend: sim.on("client-send", (client) => this.send(this.clientGroup[client]!, client, -1)),
      atFront: sim.on("request-at-front", (request) => this.onAtFront(request)),
      receive: sim.on("client-receive", (request) => this.onReceive(request)),
      timeout: sim.on("client-timeout", (request) => this.onTimeout(request)),
      retry: sim.on("client-retry", (request) => this.onRetry(request)),
    };
    for (const kind of [this.kinds.atFront, this.kinds.receive, this.kinds.retry]) world.requestCarrierKinds.add(kind);
  }

  /** The address the front door sees for a request: the client's own, or its NAT gateway's. */
  addressOf(request: number): string {
    const client = this.world.requests.client[request]!;
    const nat = this.groups[this.clientGroup[client]!]!.config.nat;
    return nat ? nat.publicAddress : this.addresses[client]!;
  }

  classOf(request: number): RequestClassConfig {
    return this.classes[this.world.requests.requestClass[request]!]!;
  }

  isIdempotent(request: number): boolean {
    return this.classOf(request).idempotent;
  }

  needsDependencies(request: number): boolean {
    return this.classOf(request).needsDependencies;
  }

  /** The request's client keeps its connection open between requests (HTTP keepalive). */
  keepsConnection(request: number): boolean {
    return this.groups[this.world.requests.group[request]!]!.config.keepalive;
  }

  get clientCount(): number {
    return this.clientGroup.length;
  }

  /** Schedules each group's first arrival (open loop) or each user's first request (closed loop). */
  start(): void {
    const sim = this.world.sim;
    for (const group of this.groups) {
      const load = group.config.load;
      this.arrivalSources[group.index] = load;
      if (load.kind === "open") {
        this.scheduleArrival(group, load.arrivals.next(sim.now, group.arrivals));
      } else if (load.kind === "replay") {
        this.replayNext[group.index] = 0;
        this.replayLoops[group.index] = 0;
        if (load.requests.offsetsUs.length > 0) this.scheduleArrival(group, load.requests.offsetsUs[0]!);
      } else {
        // Users start spread over one think time, so they do not all fire at t = 0.
        for (let c = 0; c < group.config.clients; c++) {
          sim.after(Math.round(load.thinkUs.sample(group.think)), this.kinds.userSend, group.firstClient + c);
        }
      }
    }
  }

  /** The front door's answer travels back to the client. */
  respond(request: number, outcome: number, backend: number): void {
    const requests = this.world.requests;
    invariant(requests.pendingOutcome[request] === NO_OUTCOME, "the front door answered the same request twice");
    requests.pendingOutcome[request] = outcome;
    requests.servedBy[request] = backend;
    requests.refs[request]!++;
    this.world.sim.after(requests.responseHopUs[request]!, this.kinds.receive, request);
  }

  /**
   * Replaces an open-loop group's arrival process from now on (a traffic change on the timeline). The process
   * starts fresh at the current time; its draws come from the group's arrival stream as before.
   */
  setArrivals(groupName: string, arrivals: ArrivalSource): void {
    const group = this.groups.find((g) => g.config.name === groupName);
    invariant(group, `no client group named "${groupName}"`);
    invariant(group.config.load.kind === "open", `client group "${groupName}" is closed-loop: its rate follows its users`);
    const handle = this.arrivalHandles[group.index];
    if (handle !== undefined && handle >= 0) this.world.sim.cancel(handle);
    this.arrivalSources[group.index] = { kind: "open", arrivals };
    this.scheduleArrival(group, arrivals.next(this.world.now, group.arrivals));
  }

  groupNames(): string[] {
    return this.groups.map((g) => g.config.name);
  }

  private scheduleArrival(group: GroupRuntime, atUs: number): void {
    this.arrivalHandles[group.index] = atUs < this.world.config.horizonUs
      ? this.world.sim.timerAt(Math.max(atUs, this.world.now), this.kinds.arrival, group.index)
      : -1;
  }

  private onArrival(groupIndex: number): void {
    const group = this.groups[groupIndex]!;
    const load = this.arrivalSources[groupIndex];
    if (load?.kind === "replay") {
      this.onReplayArrival(group, load.requests);
      return;
    }
    invariant(load?.kind === "open", "arrival event for a closed-loop group");
    this.scheduleArrival(group, load.arrivals.next(this.world.now, group.arrivals));
    this.send(groupIndex, group.firstClient + Math.floor(group.who.next() * group.config.clients), -1);
  }

  /** The next logged request goes out as logged; the one after it is scheduled (from the top again, looping). */
  private onReplayArrival(group: GroupRuntime, log: ReplayRequests): void {
    const i = this.replayNext[group.index]!;
    let next = i + 1;
    if (next === log.offsetsUs.length && log.periodUs !== null) {
      next = 0;
      this.replayLoops[group.index]!++;
    }
    this.replayNext[group.index] = next;
    if (next < log.offsetsUs.length) this.scheduleArrival(group, this.replayLoops[group.index]! * (log.periodUs ?? 0) + log.offsetsUs[next]!);
    this.send(group.index, group.firstClient + log.client[i]!, -1, group.firstClass + log.classIndex[i]!, log.demandUs[i]!);
  }

  /**
   * Sends a new request, or a retry of `retryOf` (same class, demand and session). A new request draws its class
   * and demand, unless given them (a replayed request, as its log says).
   */
  private send(groupIndex: number, client: number, retryOf: number, givenClass = -1, givenDemandUs = 0): void {
    const world = this.world;
    if (world.now >= world.config.horizonUs) {
      // A retry due at the horizon is never sent: its user request ends here, unfinished.
      if (retryOf >= 0) this.endUserRequest(retryOf, OUTCOME.unfinished, -1);
      return;
    }
    const group = this.groups[groupIndex]!;
    const config = group.config;
    const requests = world.requests;
    const request = requests.open();
    requests.client[request] = client;
    requests.group[request] = groupIndex;
    requests.sentUs[request] = world.now;
    requests.pendingOutcome[request] = NO_OUTCOME;
    if (retryOf >= 0) {
      requests.requestClass[request] = requests.requestClass[retryOf]!;
      requests.demandUs[request] = requests.demandUs[retryOf]!;
      requests.session[request] = requests.session[retryOf]!;
      requests.clientTry[request] = requests.clientTry[retryOf]! + 1;
      requests.userSentUs[request] = requests.userSentUs[retryOf]!;
      const root = requests.root[retryOf]!;
      requests.root[request] = root;
      requests.refs[root]!++; // the first try stays allocated while any retry of it lives
      world.ledger.sendRetry(world.measured(request));
    } else {
      requests.userSentUs[request] = world.now;
      requests.userOpen[request] = 1;
      world.ledger.sendRequest(world.measured(request));
      // A replayed request comes with its class and demand; any other draws them (from its own streams).
      const klass = givenClass >= 0 ? givenClass : group.firstClass + pickIndex(group.classCumulative, group.classPick.next());
      requests.requestClass[request] = klass;
      requests.demandUs[request] = Math.max(0, Math.round(givenClass >= 0 ? givenDemandUs : this.classes[klass]!.demandUs.sample(group.demand)));
      if (config.requestsPerSession > 0) this.countSession(client, request, config.requestsPerSession);
    }

    const newConnection = !config.keepalive || this.connectionOpen[client] === 0;
    // The request's trips are drawn now, in send order, whatever happens to it next (common random numbers): a new
    // connection costs a TCP handshake (one round trip) before the request goes out.
    const network = world.config.network.clientToFrontUs;
    const delay = world.connectHopsUs(network, group.network, newConnection);
    requests.responseHopUs[request] = world.hopUs(network, group.network);
    if (newConnection && config.nat) {
      const port = config.nat.open(world.now);
      if (port < 0) {
        this.settle(request, OUTCOME["nat-ports-exhausted"], -1);
        this.closeIfIdle(request);
        return;
      }
      if (config.keepalive) this.connectionOpen[client] = 1;
      else requests.natPort[request] = port;
    } else if (newConnection && config.keepalive) {
      this.connectionOpen[client] = 1;
    }
    requests.timeoutHandle[request] = world.sim.timeout(config.timeoutUs, this.kinds.timeout, request);
    requests.refs[request]!++;
    world.sim.after(delay, this.kinds.atFront, request);
  }

  /** A user's requests belong to one session until `perSession` of them have gone out. */
  private countSession(client: number, request: number, perSession: number): void {
    if (this.sessionRequests[client] === 0) this.world.sessions.begin(client);
    this.sessionRequests[client] = (this.sessionRequests[client]! + 1) % perSession;
    this.world.requests.session[request] = client;
  }

  private onAtFront(request: number): void {
    // A client that already gave up has closed its connection: the front door never sees the request.
    if (this.world.requests.settled[request] === 0) this.world.deliverToFrontDoor(request);
    this.world.release(request);
  }

  private onReceive(request: number): void {
    const requests = this.world.requests;
    if (requests.settled[request] === 0) {
      let outcome = requests.pendingOutcome[request]!;
      if (outcome === OUTCOME.ok && requests.sessionLost[request] === 1) outcome = OUTCOME["session-lost"];
      const timeout = requests.timeoutHandle[request]!;
      if (timeout >= 0) this.world.sim.cancel(timeout);
      requests.timeoutHandle[request] = -1;
      this.settle(request, outcome, requests.servedBy[request]!);
    }
    this.world.release(request);
  }

  private onTimeout(request: number): void {
    const requests = this.world.requests;
    requests.timeoutHandle[request] = -1;
    if (requests.settled[request] === 0) this.settle(request, OUTCOME["client-timeout"], -1);
    this.closeIfIdle(request);
  }

  /** Frees a settled request's slot when no event or attempt refers to it any more. */
  private closeIfIdle(request: number): void {
    const requests = this.world.requests;
    if (requests.settled[request] === 1 && requests.refs[request] === 0) this.world.closeRequest(request);
  }

  private onRetry(request: number): void {
    const requests = this.world.requests;
    this.send(requests.group[request]!, requests.client[request]!, request);
    this.world.release(request);
  }

  /**
   * Records the try's one outcome, frees its NAT port, and decides what the client does next: retry (the user
   * request goes on), or accept the outcome as the user request's own.
   */
  private settle(request: number, outcome: number, backend: number): void {
    const world = this.world;
    const requests = world.requests;
    requests.settled[request] = 1;
    world.ledger.endTry(outcome, world.measured(request));
    const group = this.groups[requests.group[request]!]!;
    const port = requests.natPort[request]!;
    if (port >= 0) {
      group.config.nat!.close(port, world.now);
      requests.natPort[request] = -1;
    }
    const retry = group.config.retry;
    if (retry && outcome !== OUTCOME.ok && requests.clientTry[request]! < retry.maxRetries && group.retryOn[outcome] === 1) {
      requests.refs[request]!++;
      const delay = Math.max(0, Math.round(retry.delayUs(requests.clientTry[request]! + 1, group.retry)));
      world.sim.after(delay, this.kinds.retry, request);
      return;
    }
    this.endUserRequest(request, outcome, backend);
    if (group.config.load.kind === "closed") {
      world.sim.after(Math.round(group.config.load.thinkUs.sample(group.think)), this.kinds.userSend, requests.client[request]!);
    }
  }

  /** The user request that `request` (its last try) belongs to ends: its latency runs from its first send. */
  private endUserRequest(request: number, outcome: number, backend: number): void {
    const world = this.world;
    const requests = world.requests;
    requests.userOpen[requests.root[request]!] = 0;
    world.ledger.endRequest(outcome, world.measured(request));
    const latencyUs = world.now - requests.userSentUs[request]!;
    for (const listener of world.settleListeners) listener.onRequestEnded(request, outcome, latencyUs, backend);
  }
}

/** The index i with cumulative[i - 1] <= u < cumulative[i]. Class lists are short: a linear scan is fastest. */
function pickIndex(cumulative: Float64Array, u: number): number {
  for (let i = 0; i < cumulative.length - 1; i++) if (u < cumulative[i]!) return i;
  return cumulative.length - 1;
}

/** prefix "10.1" and client 0 gives 10.1.0.1; each /24 holds 254 clients. */
/**
 * The most clients one group may have: each gets its own address prefix.x.y in the group's /16, x from 0 to 255
 * and y from 1 to 254 (as clientAddress numbers them), so 256 x 254 addresses.
 */
export const MAX_CLIENTS_PER_GROUP = 256 * 254;

export function clientAddress(prefix: string, client: number): string {
  const third = Math.floor(client / 254);
  const fourth = (client % 254) + 1;
  return `${prefix}.${third}.${fourth}`;
}
