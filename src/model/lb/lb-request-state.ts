// What a balancer node remembers about each request and each attempt it has in flight, as columns indexed by the
// world's request and attempt slots (grown alongside their tables).
import { grow } from "../slot-allocator.js";

export const NO_ATTEMPT = -1;

/** Per request: tries so far, the (at most two) attempts in flight, its queue wait, its hedge timer. */
export class LbRequestState {
  tries = new Int32Array(0);
  /** The try in flight and a hedge beside it (NO_ATTEMPT when empty). */
  attempt0 = new Int32Array(0);
  attempt1 = new Int32Array(0);
  /** Waiting in the node's queue since (or -1), and the queue-timeout event. */
  queuedSinceUs = new Float64Array(0);
  queueHandle = new Float64Array(0);
  /** The kind of try waiting in the queue (TRY): a retry leaves it as a retry, with its target rule. */
  queuedKind = new Uint8Array(0);
  /** Why the latest retry was made (an OUTCOME): its answer if that retry finds no peer left to try. */
  retryCause = new Uint8Array(0);
  /** The pending hedge timer, or -1. */
  hedgeHandle = new Float64Array(0);
  /** The backend of the previous try, avoided on a retry where possible; -1 at first. */
  lastBackend = new Int32Array(0);
  /**
   * The backends tried before the previous one, distinct, in order (NGINX's `tried` bitmap is lastBackend plus
   * these). Allocated only when a request makes a third try to a new backend, so most requests never have one.
   */
  earlierTried: Array<number[] | undefined> = [];
  /** The node has answered (or the client left): later results are for attempts that lost. */
  answered = new Uint8Array(0);
  /** The node handling the request. */
  node = new Int32Array(0);

  ensure(capacity: number): void {
    if (capacity <= this.tries.length) return;
    this.tries = grow(this.tries, capacity);
    this.attempt0 = grow(this.attempt0, capacity);
    this.attempt1 = grow(this.attempt1, capacity);
    this.queuedSinceUs = grow(this.queuedSinceUs, capacity);
    this.queueHandle = grow(this.queueHandle, capacity);
    this.queuedKind = grow(this.queuedKind, capacity);
    this.retryCause = grow(this.retryCause, capacity);
    this.hedgeHandle = grow(this.hedgeHandle, capacity);
    this.lastBackend = grow(this.lastBackend, capacity);
    this.answered = grow(this.answered, capacity);
    this.node = grow(this.node, capacity);
  }

  reset(request: number, node: number): void {
    this.tries[request] = 0;
    this.attempt0[request] = NO_ATTEMPT;
    this.attempt1[request] = NO_ATTEMPT;
    this.queuedSinceUs[request] = -1;
    this.queueHandle[request] = -1;
    this.queuedKind[request] = 0;
    this.retryCause[request] = 0;
    this.hedgeHandle[request] = -1;
    this.lastBackend[request] = -1;
    this.earlierTried[request] = undefined;
    this.answered[request] = 0;
    this.node[request] = node;
  }

  /** A new try goes to `backend`: the previous one joins the earlier tried backends. */
  tried(request: number, backend: number): void {
    const last = this.lastBackend[request]!;
    if (last >= 0 && last !== backend) {
      const earlier = this.earlierTried[request];
      if (earlier === undefined) this.earlierTried[request] = [last];
      else if (!earlier.includes(last)) earlier.push(last);
    }
    this.lastBackend[request] = backend;
  }

  /** Whether this request has tried `backend` already. */
  hasTried(request: number, backend: number): boolean {
    return this.lastBackend[request] === backend || (this.earlierTried[request]?.includes(backend) ?? false);
  }

  outstanding(request: number): number {
    return (this.attempt0[request] === NO_ATTEMPT ? 0 : 1) + (this.attempt1[request] === NO_ATTEMPT ? 0 : 1);
  }

  /** Records a new attempt in a free place; false if both are taken. */
  add(request: number, attempt: number): boolean {
    if (this.attempt0[request] === NO_ATTEMPT) this.attempt0[request] = attempt;
    else if (this.attempt1[request] === NO_ATTEMPT) this.attempt1[request] = attempt;
    else return false;
    return true;
  }

  remove(request: number, attempt: number): void {
    if (this.attempt0[request] === attempt) this.attempt0[request] = NO_ATTEMPT;
    else if (this.attempt1[request] === attempt) this.attempt1[request] = NO_ATTEMPT;
  }

  /** The other attempt in flight for this request, or NO_ATTEMPT. */
  other(request: number, attempt: number): number {
    return this.attempt0[request] === attempt ? this.attempt1[request]! : this.attempt0[request]!;
  }
}

/** Per attempt: when it was sent, its upstream timeout, and whether it counts against the retry budget. */
export class LbAttemptState {
  sentUs = new Float64Array(0);
  timeoutHandle = new Float64Array(0);
  /** 0 first try, 1 retry (held against the retry budget while in flight), 2 hedge. */
  kind = new Uint8Array(0);
  /** Sent on a reused keepalive connection (NGINX `peer.cached`). */
  reused = new Uint8Array(0);

  ensure(capacity: number): void {
    if (capacity <= this.sentUs.length) return;
    this.sentUs = grow(this.sentUs, capacity);
    this.timeoutHandle = grow(this.timeoutHandle, capacity);
    this.kind = grow(this.kind, capacity);
    this.reused = grow(this.reused, capacity);
  }
}

export const TRY = { first: 0, retry: 1, hedge: 2 } as const;
