// One load-balancer node on simulated time: the production balancer picks, the node's own health view gates,
// and the proxy rules around them decide what a failure becomes.
//
// L7 picks per request after parsing it, times out waiting for an answer (504), retries by NGINX's
// `proxy_next_upstream` rules (a POST is not retried once sent unless `non_idempotent`), caps retries with an
// Envoy retry budget, queues requests when every backend is at `maxconn` (HAProxy `timeout queue`: 503), rate
// limits (429) and reuses upstream connections. L4 picks per client connection, sees no HTTP and retries nothing:
// a keepalive client stays on its backend for the connection's life, which is how long-lived connections skew load;
// its balancer counts connections, idle ones included, as IPVS does (l4-connections.ts).
import type { LoadBalancer } from "../../balancers/balancer.js";
import { listedFailure, retryFlags, retryVerdict, type RetryFlags } from "../../balancers/retry-policy.js";
import { everyPeerTried, haproxyRedispatches } from "../../balancers/retry-target.js";
import type { BackendView } from "../../balancers/types.js";
import { Float64Fifo } from "../../engine/fifo.js";
import type { Rng } from "../../engine/rng.js";
import { OUTCOME } from "../../metrics/ledger.js";
import { OUTCOME_OF_RESULT } from "../direct-front-door.js";
import { ATTEMPT_RESULT, attemptFailure, type AttemptOwner } from "../upstream.js";
import type { World } from "../world.js";
import { DynamicWeights } from "./dynamic-weights.js";
import { CONNECTION, KeepalivePool } from "./keepalive-pool.js";
import { L4Connections } from "./l4-connections.js";
import type { LbNodeConfig } from "./lb-config.js";
import { LbAttemptState, NO_ATTEMPT, TRY, type LbRequestState } from "./lb-request-state.js";
import type { NodeHealth } from "./node-health.js";
import { TokenBucket } from "./token-bucket.js";

/** `route`'s answer when NGINX's next upstream finds every peer tried ("no live upstreams"): no retry is made. */
const EVERY_PEER_TRIED = -3;

/** HAProxy's turn-around before reconnecting to the same server after a connection error: 1 s at most. */
const TURNAROUND_MAX_US = 1_000_000;

export interface NodeKinds {
  parsed: number;
  attemptTimeout: number;
  queueTimeout: number;
  reweight: number;
  hedge: number;
  feedback: number;
  turnaround: number;
}

/** Mutable request contexts reused for every pick, so picking allocates nothing (one with a cookie, one without). */
interface PickContext {
  clientAddress: string;
  hashKey: string;
  method: string;
  avoid: BackendView | readonly BackendView[] | undefined;
}
interface CookieContext extends PickContext {
  sessionCookie: string;
}

export interface NodeCounters {
  received: number;
  retries: number;
  budgetDenied: number;
  queued: number;
  keepaliveRaces: number;
  newConnections: number;
}

export class LbNode implements AttemptOwner {
  readonly ownerIndex: number;
  readonly connectTimeoutUs: number;
  readonly counters: NodeCounters = { received: 0, retries: 0, budgetDenied: 0, queued: 0, keepaliveRaces: 0, newConnections: 0 };
  /** The world's index of each backend, by the view the balancer hands back on a pick (an identity lookup). */
  private readonly backendIndex = new Map<BackendView, number>();
  private readonly views: Array<BackendView | undefined> = [];
  private readonly pools: KeepalivePool[] = [];
  private readonly queue = new Float64Fifo();
  private queuedLive = 0;
  private readonly rateLimiter: TokenBucket | null;
  private readonly retryOn: RetryFlags;
  private readonly context: PickContext = { clientAddress: "", hashKey: "", method: "GET", avoid: undefined };
  private readonly cookieContext: CookieContext = { clientAddress: "", hashKey: "", method: "GET", avoid: undefined, sessionCookie: "" };
  private readonly sessionCookies: string[] = [];
  /** Scratch for the backends a next-upstream retry passes over (reused: a retry's pick allocates nothing). */
  private readonly triedViews: BackendView[] = [];
  /**
   * L4: each keepalive client's open connection (the backend it is pinned to) and what the balancer counts,
   * connections open and lately closed (null at L7, where the balancer counts requests).
   */
  private readonly l4Connections: L4Connections | null;
  private activeRequests = 0;
  private activeRetries = 0;
  readonly dynamicWeights: DynamicWeights | null;
  private readonly attempts = new LbAttemptState();
  /** This node's parsing times: its own stream, so parsing never shifts anyone's network draws. */
  private readonly parseRng: Rng;
  /** HAProxy `BE_LB_KIND_HI` or cookie persistence: a retry is not redispatched just because others are up. */
  private readonly hashBased: boolean;

  constructor(
    readonly index: number,
    readonly config: LbNodeConfig,
    private readonly world: World,
    readonly balancer: LoadBalancer,
    readonly health: NodeHealth,
    private readonly state: LbRequestState,
    private readonly kinds: NodeKinds,
    /** Told after every try this node ends with a backend (the tier completes drains with it). */
    private readonly onTryEnded: (backend: number) => void,
  ) {
    this.connectTimeoutUs = config.connectTimeoutUs;
    this.parseRng = world.sim.rng.fork(`lb/${config.name}/parse`);
    const algorithm = config.balancer.algorithm;
    this.hashBased = algorithm === "ip-hash" || algorithm === "consistent-hash" || algorithm === "sticky";
    this.ownerIndex = world.addOwner(this);
    this.rateLimiter = config.rateLimit ? new TokenBucket(config.rateLimit.ratePerSecond, config.rateLimit.burst) : null;
    this.retryOn = retryFlags(config.retry.on);
    this.l4Connections = config.mode === "l4" ? new L4Connections(world.clients.clientCount, balancer) : null;
    this.dynamicWeights = config.dynamicWeights ? new DynamicWeights(config.dynamicWeights, balancer) : null;
    if (config.dynamicWeights) world.sim.after(config.dynamicWeights.intervalUs, kinds.reweight, index);
    if (config.loadFeedback) world.sim.after(config.loadFeedback.intervalUs, kinds.feedback, index);
  }

  /**
   * A load report arrives (event handler): each backend's requests in flight (backlog, queue and service, from
   * every node) become its queued load here until the next report. Every node polls on the same period, so
   * they all see the same stale numbers at once (Mitzenmacher, "How useful is old information?", 2000).
   */
  loadReport(): void {
    for (let b = 0; b < this.views.length; b++) {
      const view = this.views[b];
      if (view && view.member) this.balancer.setQueued(view.id, this.world.backends[b]!.inFlight);
    }
    this.world.sim.after(this.config.loadFeedback!.intervalUs, this.kinds.feedback, this.index);
  }

  /** Periodic weight update (event handler). */
  reweight(): void {
    this.dynamicWeights!.tick();
    this.world.sim.after(this.config.dynamicWeights!.intervalUs, this.kinds.reweight, this.index);
  }

  get l4(): boolean {
    return this.config.mode === "l4";
  }

  addBackend(index: number): void {
    const backend = this.world.backends[index]!;
    this.views[index] = this.balancer.addBackend({
      id: backend.name,
      weight: backend.config.weight,
      maxConnections: this.config.maxConnectionsPerBackend,
      backup: backend.config.backup,
    });
    this.backendIndex.set(this.views[index]!, index);
    this.pools[index] = new KeepalivePool(this.config.keepalive?.maxIdlePerBackend ?? 0);
    this.l4Connections?.addBackend(index);
    this.dynamicWeights?.addBackend(index, backend.name, backend.config.weight);
    this.health.addSimulatedBackend(index);
  }

  removeBackend(index: number): void {
    this.health.removeBackend(index);
    this.balancer.removeBackend(this.world.backends[index]!.name);
  }

  /** A request reaches this node. */
  receive(request: number): void {
    this.state.reset(request, this.index);
    this.counters.received++;
    if (this.rateLimiter && !this.rateLimiter.take(this.world.now)) {
      this.world.respond(request, OUTCOME["rate-limited"], -1);
      return;
    }
    this.activeRequests++;
    if (this.l4) {
      this.dispatch(request);
      return;
    }
    this.world.requests.refs[request]!++;
    this.world.sim.after(this.world.hopUs(this.config.parseOverheadUs, this.parseRng), this.kinds.parsed, request);
  }

  /** L7 parsing finished (event handler). */
  parsed(request: number): void {
    if (this.world.requests.settled[request] === 0) this.dispatch(request);
    else this.leave(request); // the client hung up while we parsed (NGINX logs 499)
    this.world.release(request);
  }

  /** The node stops handling a request whose client is gone, before any try was sent. */
  private leave(request: number): void {
    this.state.answered[request] = 1;
    this.activeRequests--;
  }

  /**
   * Picks a backend and sends a try (a first try, a retry or a hedge), or queues, or answers with why it cannot.
   * A hedge that finds no backend is simply not sent: the try already in flight carries on.
   */
  private dispatch(request: number, kind: number = TRY.first): void {
    this.place(request, this.route(request, kind), kind);
  }

  /** Sends a try to the backend routed for it, queues it (-2), or answers why not (-1). */
  private place(request: number, backend: number, kind: number): void {
    if (kind === TRY.hedge && backend < 0) return;
    if (backend === -2) {
      this.enqueue(request, kind);
      return;
    }
    this.send(request, backend, kind);
  }

  /**
   * The balancer's choice for a request: a backend index, -2 when every backend is full, -1 when none is up,
   * EVERY_PEER_TRIED when a next-upstream retry has no untried backend left.
   */
  private route(request: number, kind: number = TRY.first, queued = false): number {
    return this.l4 ? this.pickForConnection(request) : this.pickTarget(request, kind, queued);
  }

  /** Sends a try to the backend picked for it, or answers 502/503 when none was (`backend` -1). */
  private send(request: number, backend: number, kind: number): void {
    const world = this.world;
    if (backend < 0) {
      this.finish(request, OUTCOME["no-healthy-upstream"], -1);
      return;
    }
    const state = this.state;
    state.tries[request]!++;
    state.tried(request, backend);
    // At L4 a try opens a connection unless its client's keepalive connection to that backend is open; the
    // balancer counts connections there, requests at L7.
    const l4 = this.l4Connections;
    const opened = l4 === null || l4.tryStarted(world.requests.client[request]!, backend, world.clients.keepsConnection(request));
    if (opened) this.balancer.onRequestStart(this.views[backend]!);
    this.health.onSelect(backend);
    let connection: number = CONNECTION.fresh;
    if (l4 !== null) connection = opened ? CONNECTION.fresh : CONNECTION.reused;
    else if (this.config.keepalive) {
      const hop = this.world.config.network.frontToBackendUs.mean;
      connection = this.pools[backend]!.take(world.now, world.backends[backend]!.config.keepaliveIdleTimeoutUs, this.config.keepalive.idleTimeoutUs, hop);
    }
    if (connection === CONNECTION.race) this.counters.keepaliveRaces++;
    if (connection === CONNECTION.fresh) this.counters.newConnections++;
    const attempt = world.sendAttempt(request, backend, this.ownerIndex, connection === CONNECTION.fresh, connection === CONNECTION.race);
    const tries = this.attempts;
    tries.ensure(world.attempts.slots.capacity);
    tries.sentUs[attempt] = world.now;
    tries.kind[attempt] = kind;
    tries.reused[attempt] = connection === CONNECTION.fresh ? 0 : 1;
    tries.timeoutHandle[attempt] = this.l4 ? -1 : world.sim.timeout(this.config.upstreamTimeoutUs, this.kinds.attemptTimeout, attempt);
    if (kind === TRY.retry) this.activeRetries++;
    state.add(request, attempt);
    const hedge = this.config.retry.hedge;
    if (hedge && kind !== TRY.hedge && !this.l4) {
      if (state.hedgeHandle[request]! >= 0) world.sim.cancel(state.hedgeHandle[request]!);
      state.hedgeHandle[request] = world.sim.timeout(hedge.delayUs, this.kinds.hedge, request);
    }
  }

  /**
   * The backend for a try: a first try and a hedge ask the balancer (a hedge passing over the backend in flight);
   * a retry goes where the node's retry target says (src/balancers/retry-target.ts), also when it leaves the
   * queue (`queued`). HAProxy's retries wait in the queue only after a pick found every server full (a redispatch,
   * or a same-server retry whose server left the pool): such a stream is unassigned in the backend's queue, and
   * the server that frees a slot takes it, whichever that is (queue.c `pendconn_process_next_strm`), so for those
   * targets a queued retry leaving the queue is a plain pick. A next-upstream retry still passes over every peer
   * it tried, and an Envoy retry keeps its host predicate (an lbsim extension: neither proxy queues retries so).
   */
  private pickTarget(request: number, kind: number, queued: boolean): number {
    const last = this.state.lastBackend[request]!;
    if (kind !== TRY.retry || last < 0) return this.pickBackend(request, last);
    const target = this.config.retry.target;
    switch (target.kind) {
      case "next-upstream": {
        const picked = this.pickBackend(request, last, true);
        return picked >= 0 && everyPeerTried(picked, this.triedList(request), this.primaryServers()) ? EVERY_PEER_TRIED : picked;
      }
      case "any":
        return this.pickBackend(request, -1);
      case "same-server":
        // `last` needs no room check: endTry gave back the failed try's slot in this same event, and nothing can
        // take it before the retry does. That is HAProxy: the stream keeps its slot (`srv_conn`, counted in
        // `served`) through back_handle_st_cer and stream_choose_redispatch, so a same-server retry goes at once
        // and never waits in the queue (test/model/same-server-retry-slot.test.ts).
        if (queued) return this.pickBackend(request, -1);
        return this.views[last]?.member ? last : this.pickBackend(request, -1);
      case "redispatch": {
        if (queued) return this.pickBackend(request, -1);
        if (!this.views[last]?.member) return this.pickBackend(request, -1);
        return this.redispatches(request, last, target.interval) ? this.pickBackend(request, last) : last;
      }
      case "previous-hosts": {
        let picked = this.pickBackend(request, -1);
        for (let i = 0; i < target.maxAttempts && picked >= 0 && this.state.hasTried(request, picked); i++) picked = this.pickBackend(request, -1);
        return picked;
      }
    }
  }

  /** Whether HAProxy's `option redispatch <interval>` moves this retry off `last`, a member of the pool. */
  private redispatches(request: number, last: number, interval: number): boolean {
    return haproxyRedispatches(interval, {
      retryNumber: this.state.tries[request]!,
      maxRetries: this.config.retry.tries - 1,
      serverUp: this.views[last]!.health === "healthy",
      activeServers: this.activeServers(),
      hashBased: this.hashBased,
    });
  }

  /**
   * Whether this retry stays assigned to its server in HAProxy (SC_ST_ASS): a same-server retry, or one that
   * `option redispatch` does not move (stream_choose_redispatch), while the server is in the pool.
   */
  private staysAssigned(request: number, last: number): boolean {
    const target = this.config.retry.target;
    if (!this.views[last]?.member) return false;
    if (target.kind === "same-server") return true;
    return target.kind === "redispatch" && !this.redispatches(request, last, target.interval);
  }

  /** The backends this request has tried (NGINX's `tried` bitmap), as indices; allocates (a retry's rare path). */
  private triedList(request: number): number[] {
    const last = this.state.lastBackend[request]!;
    const earlier = this.state.earlierTried[request];
    return earlier === undefined ? [last] : [...earlier, last];
  }

  /** NGINX `peers->number` of the primary set: configured non-backup servers (down ones included). */
  private primaryServers(): number {
    let n = 0;
    for (const view of this.views) if (view && view.member && !view.backup) n++;
    return n;
  }

  /** HAProxy `srv_act`: servers in rotation now. */
  private activeServers(): number {
    let n = 0;
    for (const view of this.views) if (view && view.member && view.health === "healthy" && !view.backup) n++;
    return n;
  }

  /** A balancer pick passing over `avoid` (-1: none), or with `allTried` over every backend this request tried. */
  private pickBackend(request: number, avoid: number, allTried = false): number {
    const world = this.world;
    const session = world.requests.session[request]!;
    let ctx: PickContext = this.context;
    if (session >= 0) {
      this.cookieContext.sessionCookie = this.cookie(session);
      ctx = this.cookieContext;
    }
    const klass = world.clients.classOf(request);
    ctx.clientAddress = world.clients.addressOf(request);
    const hashOn = this.config.hashOn;
    ctx.hashKey = hashOn === "path" ? klass.path : hashOn === "session" && session >= 0 ? this.cookie(session) : ctx.clientAddress;
    ctx.method = klass.method;
    // The balancer passes over `avoid` where another backend is available (NGINX's tried peers, HAProxy
    // `assign_server`'s previous server on a redispatch).
    ctx.avoid = avoid < 0 ? undefined : allTried && this.state.earlierTried[request] !== undefined ? this.triedViewsOf(request) : this.views[avoid];
    const picked = this.balancer.pick(ctx);
    ctx.avoid = undefined;
    if (this.triedViews.length > 0) this.triedViews.length = 0; // setting an array's length is a runtime call
    if (picked.backend === null) return picked.reason === "all-full" ? -2 : -1;
    return this.backendIndex.get(picked.backend)!;
  }

  private triedViewsOf(request: number): readonly BackendView[] {
    const views = this.triedViews;
    views.length = 0;
    for (const b of this.state.earlierTried[request]!) if (this.views[b]) views.push(this.views[b]!);
    const last = this.views[this.state.lastBackend[request]!];
    if (last) views.push(last);
    return views;
  }

  /** L4: a client's open connection keeps its backend; a new connection is balanced. */
  private pickForConnection(request: number): number {
    const l4 = this.l4Connections!;
    const pinned = this.world.clients.keepsConnection(request) ? l4.openTo(this.world.requests.client[request]!) : -1;
    if (pinned >= 0) return pinned;
    const ctx = this.context;
    ctx.clientAddress = this.world.clients.addressOf(request);
    l4.refresh(this.world.now, this.views);
    const picked = this.balancer.pick(ctx);
    if (picked.backend === null) return picked.reason === "all-full" ? -2 : -1;
    return this.backendIndex.get(picked.backend)!;
  }

  private cookie(session: number): string {
    return (this.sessionCookies[session] ??= `s${session}`);
  }

  onAttemptResult(attempt: number, result: number): void {
    const world = this.world;
    const attempts = world.attempts;
    const request = attempts.request[attempt]!;
    const backend = attempts.backend[attempt]!;
    const handle = this.attempts.timeoutHandle[attempt]!;
    if (handle >= 0) world.sim.cancel(handle);
    this.attempts.timeoutHandle[attempt] = -1;
    this.endTry(attempt, request, backend, result, false);
    const clean = result === ATTEMPT_RESULT.ok || result === ATTEMPT_RESULT.error;
    if (!this.l4 && clean) this.pools[backend]!.release(world.now);
    if (this.settleIfGone(request)) return;
    if (result === ATTEMPT_RESULT.ok) {
      this.abandonOther(request, attempt);
      this.finish(request, OUTCOME.ok, backend);
      return;
    }
    if (this.state.outstanding(request) > 0) return; // a hedge is still in flight: it may yet succeed
    // NGINX gives the try back when the error came on a cached keepalive connection (ngx_http_upstream_next).
    if (this.config.retry.target.kind === "next-upstream" && this.attempts.reused[attempt] === 1 &&
      (result === ATTEMPT_RESULT.reset || result === ATTEMPT_RESULT.refused)) this.state.tries[request]!--;
    const failure = attemptFailure(result) ?? "error";
    // HAProxy waits before reconnecting to the server that refused a fresh connection (back_handle_st_cer).
    const turnaround = result === ATTEMPT_RESULT.refused && this.attempts.reused[attempt] === 0;
    if (!this.l4 && this.mayRetry(request, listedFailure(this.retryOn, failure), failure !== "refused")) this.retry(request, OUTCOME_OF_RESULT[result]!, backend, turnaround);
    else this.finish(request, this.failureOutcome(request, OUTCOME_OF_RESULT[result]!), backend);
  }

  /** No answer within the upstream timeout (event handler): 504, or a retry if the rules allow. */
  attemptTimeout(attempt: number): void {
    const world = this.world;
    const request = world.attempts.request[attempt]!;
    const backend = world.attempts.backend[attempt]!;
    this.attempts.timeoutHandle[attempt] = -1;
    world.abandonAttempt(attempt, "upstream-timeout"); // NGINX closes the upstream connection; the backend may still do the work
    this.endTry(attempt, request, backend, ATTEMPT_RESULT.none, true);
    if (this.settleIfGone(request)) return;
    if (this.state.outstanding(request) > 0) return; // a hedge is still in flight
    if (this.mayRetry(request, this.retryOn.timeout, true)) this.retry(request, OUTCOME["upstream-timeout"], backend);
    else this.finish(request, this.failureOutcome(request, OUTCOME["upstream-timeout"]), backend);
  }

  /**
   * The hedge delay passed with no answer (event handler): send one more try to another backend without
   * cancelling the first (gRPC `hedgingDelay`, Envoy hedging on per-try timeout); the first success wins.
   * Hedging follows the retry rules: it counts as a try, and a non-idempotent request is hedged only when
   * `nonIdempotent` allows it (a hedged POST may run twice).
   */
  hedge(request: number): void {
    const state = this.state;
    state.hedgeHandle[request] = -1;
    if (state.answered[request] === 1 || this.world.requests.settled[request] === 1) return;
    if (state.outstanding(request) !== 1) return;
    if (!this.mayRetry(request, true, true)) return;
    this.world.ledger.countHedge(this.world.measured(request));
    this.dispatch(request, TRY.hedge);
  }

  /** The client left while tries were in flight: once none remain, the node is done with the request. */
  private settleIfGone(request: number): boolean {
    const state = this.state;
    if (state.answered[request] === 1) return true; // a losing hedge finishing
    if (this.world.requests.settled[request] === 0) return false;
    if (state.outstanding(request) === 0) {
      state.answered[request] = 1;
      this.cancelHedge(request);
      this.activeRequests--;
      this.drainQueue();
    }
    return true;
  }

  /** The winner answered: the other try in flight (a hedge, or the try it hedged) is abandoned. */
  private abandonOther(request: number, winner: number): void {
    const other = this.state.other(request, winner);
    if (other === NO_ATTEMPT) return;
    const handle = this.attempts.timeoutHandle[other]!;
    if (handle >= 0) this.world.sim.cancel(handle);
    this.attempts.timeoutHandle[other] = -1;
    this.world.abandonAttempt(other, "cancelled");
    this.endTry(other, request, this.world.attempts.backend[other]!, ATTEMPT_RESULT.none, false, true);
  }

  /**
   * Bookkeeping when a try ends: the balancer's in-flight count and load metric, passive health, the retry
   * budget, draining. A cancelled loser is not a failure: it ends with its elapsed time as a success, a lower
   * bound on what it would have taken, and passive health does not hear of it.
   */
  private endTry(attempt: number, request: number, backend: number, result: number, timedOut: boolean, cancelled = false): void {
    this.state.remove(request, attempt);
    const latencyUs = this.world.now - this.attempts.sentUs[attempt]!;
    const success = cancelled || result === ATTEMPT_RESULT.ok;
    const unsuccessful = !cancelled && this.unsuccessful(result, timedOut);
    const view = this.views[backend];
    if (view) {
      const outcome = { latencyUs, success, peerFailed: unsuccessful };
      const l4 = this.l4Connections;
      if (l4 === null) this.balancer.onRequestEnd(view, outcome);
      else {
        // At L4 the balancer counts connections: this ends one only if the connection closes with the try.
        const clean = result === ATTEMPT_RESULT.ok || result === ATTEMPT_RESULT.error;
        l4.tryEnded(this.world.requests.client[request]!, backend, view, outcome, this.world.clients.keepsConnection(request), clean, this.world.now);
      }
    }
    if (!cancelled) this.dynamicWeights?.observe(backend, latencyUs, success, this.world.now);
    this.health.onSimulatedAttemptEnd(backend, result, timedOut, this.l4, cancelled, unsuccessful);
    if (this.attempts.kind[attempt] === TRY.retry) this.activeRetries--;
    this.attempts.kind[attempt] = TRY.first;
    this.onTryEnded(backend);
  }

  /** NGINX's "unsuccessful attempt": a failure of a kind `proxy_next_upstream` lists. */
  private unsuccessful(result: number, timedOut: boolean): boolean {
    const failure = timedOut ? "timeout" : attemptFailure(result);
    return failure !== null && listedFailure(this.retryOn, failure);
  }

  /** NGINX `proxy_next_upstream`: the condition is listed, tries remain, and a sent non-idempotent request is not retried. */
  private mayRetry(request: number, conditionListed: boolean, sent: boolean): boolean {
    const verdict = retryVerdict(this.config.retry, {
      listed: conditionListed, triesSoFar: this.state.tries[request]!, sent,
      idempotent: !sent || this.world.clients.isIdempotent(request), activeRetries: this.activeRetries, activeRequests: this.activeRequests,
    });
    if (verdict === "budget-exhausted") this.counters.budgetDenied++;
    return verdict === "retry";
  }

  /**
   * Retries where the target says; with no untried peer left (NGINX), answers with the last try's failure instead.
   * `turnaround`: the try failed to connect (refused, on a fresh connection).
   */
  private retry(request: number, cause: number, lastBackend: number, turnaround = false): void {
    const backend = this.route(request, TRY.retry);
    if (backend === EVERY_PEER_TRIED) {
      this.finish(request, this.failureOutcome(request, cause), lastBackend);
      return;
    }
    this.counters.retries++;
    this.world.ledger.countBalancerRetry(this.world.measured(request));
    this.state.retryCause[request] = cause;
    if (turnaround && backend === lastBackend && this.staysAssigned(request, backend)) this.waitToReconnect(request, backend);
    else this.place(request, backend, TRY.retry);
  }

  /**
   * HAProxy's turn-around (src/backend.c `back_handle_st_cer`): after an asynchronous connection error on a
   * connection that was not reused, a stream retrying the same server waits MIN(1 s, `timeout connect`) in
   * SC_ST_TAR before it reconnects ("most likely leading to the same result"), keeping its connection slot all
   * the while (`srv_conn`; the slot is given up only on a redispatch or once retries run out). A request arriving
   * meanwhile finds the server full and waits in the queue, or meets `timeout queue`. HAProxy also waits when a
   * redispatch may land on the same server (an algorithm other than round robin, or one server up); lbsim
   * models the wait where the retry stays on the server, which the source names as its purpose.
   */
  private waitToReconnect(request: number, backend: number): void {
    const world = this.world;
    this.balancer.holdSlot(this.views[backend]!);
    world.requests.refs[request]!++;
    world.sim.after(Math.min(TURNAROUND_MAX_US, this.connectTimeoutUs), this.kinds.turnaround, request);
  }

  /**
   * The turn-around passed (event handler): the retry reconnects to its server on the slot it held. If the client
   * left meanwhile the node lets the slot go now, sending nothing: HAProxy aborts such a stream only with `option
   * abortonclose` (back_may_abort_req: the request is still in its buffer), and otherwise reconnects and sends it
   * all the same; like HAProxy, lbsim hears of the departure only when the turn-around ends.
   */
  turnaroundEnded(request: number): void {
    const world = this.world;
    const backend = this.state.lastBackend[request]!;
    const view = this.views[backend];
    if (view) this.balancer.releaseSlot(view);
    if (world.requests.settled[request] === 0) {
      // The server left the pool while we waited: HAProxy's stream would be redispatched or fail; a pick.
      this.place(request, view?.member ? backend : this.route(request, TRY.retry, true), TRY.retry);
    } else {
      this.leave(request);
      this.drainQueue();
    }
    world.release(request);
  }

  /** After at least one retry, a final failure is `retries-exhausted`; a single try keeps its own cause. */
  private failureOutcome(request: number, cause: number): number {
    return this.state.tries[request]! > 1 ? OUTCOME["retries-exhausted"] : cause;
  }

  private finish(request: number, outcome: number, backend: number): void {
    this.state.answered[request] = 1;
    this.cancelHedge(request);
    this.activeRequests--;
    this.world.respond(request, outcome, backend);
    this.drainQueue();
  }

  private cancelHedge(request: number): void {
    const handle = this.state.hedgeHandle[request]!;
    if (handle >= 0) this.world.sim.cancel(handle);
    this.state.hedgeHandle[request] = -1;
  }

  // ---- the queue for when every backend is at maxconn (HAProxy) -----------------------------------------------

  /** Queues a try (`kind`: a first try or a retry; a hedge is never queued) until a slot frees. */
  private enqueue(request: number, kind: number): void {
    if (this.queuedLive >= this.config.queue.maxQueue) {
      this.finish(request, OUTCOME["queue-full"], -1);
      return;
    }
    const world = this.world;
    this.counters.queued++;
    this.queuedLive++;
    this.queue.push(request);
    this.queue.push(world.requests.id[request]!);
    this.state.queuedSinceUs[request] = world.now;
    this.state.queuedKind[request] = kind;
    world.requests.refs[request]!++;
    this.state.queueHandle[request] = world.sim.timeout(this.config.queue.timeoutUs, this.kinds.queueTimeout, request);
  }

  /** `timeout queue` expired (event handler): 503. The entry stays in the FIFO and is skipped when reached. */
  queueTimeout(request: number): void {
    this.state.queueHandle[request] = -1;
    this.state.queuedSinceUs[request] = -1;
    this.queuedLive--;
    if (this.world.requests.settled[request] === 0) this.finish(request, OUTCOME["queue-timeout"], -1);
    else this.leave(request);
    this.world.release(request);
  }

  /**
   * A connection slot freed: dispatch queued requests, oldest first, while the balancer's pool has room (HAProxy
   * `process_srv_queue`). The node asks the pool rather than re-deriving which backends count (tier, health,
   * slow-start weight, maxconn), and a request the balancer still cannot place keeps its place at the head and
   * ends the loop: nothing is taken out of the queue only to be put back, so one event cannot spin.
   */
  private drainQueue(): void {
    const world = this.world;
    const queue = this.queue;
    while (this.queuedLive > 0 && queue.length > 0 && this.balancer.hasRoom()) {
      const request = queue.peek();
      if (world.requests.id[request] !== queue.peekAt(1) || this.state.queuedSinceUs[request]! < 0) {
        queue.shift(); // timed out already: its entry was left behind
        queue.shift();
        continue;
      }
      const live = world.requests.settled[request] === 0;
      // A retry leaves the queue as a retry: its try count, its target's rule (pickTarget) and its place in the
      // retry budget, as HAProxy's queued stream keeps its `conn_retries`.
      const kind = this.state.queuedKind[request]!;
      const backend = live ? this.route(request, kind, true) : -1;
      if (backend === -2) return; // room, but not for this request (its picker's or its retry's choice): it waits at the head
      queue.shift();
      queue.shift();
      this.queuedLive--;
      this.state.queuedSinceUs[request] = -1;
      world.sim.cancel(this.state.queueHandle[request]!);
      this.state.queueHandle[request] = -1;
      if (!live) this.leave(request);
      else if (backend === EVERY_PEER_TRIED) this.finish(request, this.failureOutcome(request, this.state.retryCause[request]!), this.state.lastBackend[request]!);
      else this.send(request, backend, kind);
      world.release(request);
    }
  }
}

