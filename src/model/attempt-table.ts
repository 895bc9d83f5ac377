// Upstream attempts: one client request may be tried on several backends (retries) and may keep running on a
// backend after the balancer gave up on it. Each attempt is a unit of backend work with its own slot.
import { SlotAllocator, grow } from "./slot-allocator.js";

/** Where an attempt is. */
export const ATTEMPT = {
  free: 0,
  toBackend: 1, // on the wire towards the backend
  backlog: 2, // accepted by the backend's kernel, not yet taken by the application
  queued: 3, // in the application's queue, waiting for a worker
  serving: 4, // a worker is on it
  toOwner: 5, // the answer is on the wire back
} as const;

export class AttemptTable {
  readonly slots: SlotAllocator;
  id = new Float64Array(0);
  request = new Int32Array(0);
  requestId = new Float64Array(0);
  backend = new Int32Array(0);
  owner = new Int32Array(0);
  state = new Uint8Array(0);
  /** Service time left, when frozen by a GC pause or a hang. */
  remainingUs = new Float64Array(0);
  /** When service will end (while serving and not frozen). */
  doneAtUs = new Float64Array(0);
  completionHandle = new Float64Array(0);
  /** The owner stopped waiting (timeout, client gone); the backend may still do the work. */
  abandoned = new Uint8Array(0);
  /** Sent on a pooled connection the backend was closing at that moment: it arrives to a reset (keepalive race). */
  doomed = new Uint8Array(0);
  /** The worker serving this attempt, while serving. */
  worker = new Int32Array(0);
  /** The answer's trip from the backend back to the owner, drawn when the attempt is sent (common random numbers). */
  returnHopUs = new Float64Array(0);
  /** The result code delivered to the owner (see AttemptResult). */
  result = new Uint8Array(0);
  private nextId = 1;

  constructor(initialCapacity = 1024) {
    this.slots = new SlotAllocator(initialCapacity, (capacity) => this.resize(capacity));
    this.resize(initialCapacity);
  }

  open(request: number, requestId: number, backend: number, owner: number): number {
    const slot = this.slots.allocate();
    this.id[slot] = this.nextId++;
    this.request[slot] = request;
    this.requestId[slot] = requestId;
    this.backend[slot] = backend;
    this.owner[slot] = owner;
    this.state[slot] = ATTEMPT.toBackend;
    this.abandoned[slot] = 0;
    this.doomed[slot] = 0;
    this.completionHandle[slot] = -1;
    this.remainingUs[slot] = 0;
    return slot;
  }

  close(slot: number): void {
    this.id[slot] = 0;
    this.state[slot] = ATTEMPT.free;
    this.slots.release(slot);
  }

  get live(): number {
    return this.slots.live;
  }

  private resize(capacity: number): void {
    this.id = grow(this.id, capacity);
    this.request = grow(this.request, capacity);
    this.requestId = grow(this.requestId, capacity);
    this.backend = grow(this.backend, capacity);
    this.owner = grow(this.owner, capacity);
    this.state = grow(this.state, capacity);
    this.remainingUs = grow(this.remainingUs, capacity);
    this.doneAtUs = grow(this.doneAtUs, capacity);
    this.completionHandle = grow(this.completionHandle, capacity);
    this.abandoned = grow(this.abandoned, capacity);
    this.result = grow(this.result, capacity);
    this.worker = grow(this.worker, capacity);
    this.doomed = grow(this.doomed, capacity);
    this.returnHopUs = grow(this.returnHopUs, capacity);
  }
}
