// What a balancer node remembers about each request it is handling, as columns indexed by the world's request
// slot (grown alongside the request table).
import { grow } from "../slot-allocator.js";

export class LbRequestState {
  tries = new Int32Array(0);
  /** The attempt in flight, or -1. */
  attempt = new Int32Array(0);
  timeoutHandle = new Float64Array(0);
  sentUs = new Float64Array(0);
  /** Waiting in the node's queue since (or -1), and the queue-timeout event. */
  queuedSinceUs = new Float64Array(0);
  queueHandle = new Float64Array(0);
  /** The backend of the previous try, avoided on a retry where possible; -1 at first. */
  lastBackend = new Int32Array(0);
  /** The current try is a retry (counted against the retry budget while in flight). */
  retrying = new Uint8Array(0);
  /** The node handling the request. */
  node = new Int32Array(0);

  ensure(capacity: number): void {
    if (capacity <= this.tries.length) return;
    this.tries = grow(this.tries, capacity);
    this.attempt = grow(this.attempt, capacity);
    this.timeoutHandle = grow(this.timeoutHandle, capacity);
    this.sentUs = grow(this.sentUs, capacity);
    this.queuedSinceUs = grow(this.queuedSinceUs, capacity);
    this.queueHandle = grow(this.queueHandle, capacity);
    this.lastBackend = grow(this.lastBackend, capacity);
    this.retrying = grow(this.retrying, capacity);
    this.node = grow(this.node, capacity);
  }

  reset(request: number, node: number): void {
    this.tries[request] = 0;
    this.attempt[request] = -1;
    this.timeoutHandle[request] = -1;
    this.queuedSinceUs[request] = -1;
    this.queueHandle[request] = -1;
    this.lastBackend[request] = -1;
    this.retrying[request] = 0;
    this.node[request] = node;
  }
}
