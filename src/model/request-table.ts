// Client requests in flight, as columns indexed by slot. A slot is reused once its request settles, so every
// event that refers to a request also carries (or checks) its id: a late response to a settled request is
// recognised as stale and dropped.
import { SlotAllocator, grow } from "./slot-allocator.js";

export const NO_SESSION = -1;

export class RequestTable {
  readonly slots: SlotAllocator;
  id = new Float64Array(0);
  client = new Int32Array(0);
  group = new Int32Array(0);
  requestClass = new Int32Array(0);
  sentUs = new Float64Array(0);
  /** The answer's trip from the front door back to the client, drawn when the request is sent (common random numbers). */
  responseHopUs = new Float64Array(0);
  /** When the user request this try belongs to was first sent: its latency runs from here, retries included. */
  userSentUs = new Float64Array(0);
  /** On a user request's first try (its root): 1 until the user request has its one outcome. */
  userOpen = new Uint8Array(0);
  demandUs = new Float64Array(0);
  session = new Int32Array(0);
  /** 0 for a first try; n for the client's n-th retry of the same logical request. */
  clientTry = new Int32Array(0);
  timeoutHandle = new Float64Array(0);
  /** The NAT port this request's new connection holds, or -1. */
  natPort = new Int32Array(0);
  /** The first try of the logical request this one retries (itself for a first try): executions count there. */
  root = new Int32Array(0);
  /** Times this request has been executed by a backend (a non-idempotent request executed twice is a duplicate). */
  executions = new Int32Array(0);
  /** Pending events and open attempts that refer to this slot; it is freed when settled and unreferenced. */
  refs = new Int32Array(0);
  settled = new Uint8Array(0);
  /** The outcome travelling back to the client, and the backend that served it (-1: none). */
  pendingOutcome = new Uint8Array(0);
  servedBy = new Int32Array(0);
  /** The request reached a backend other than its session's home, or its home had died: its session is gone. */
  sessionLost = new Uint8Array(0);
  private nextId = 1;

  constructor(initialCapacity = 1024) {
    this.slots = new SlotAllocator(initialCapacity, (capacity) => this.resize(capacity));
    this.resize(initialCapacity);
  }

  open(): number {
    const slot = this.slots.allocate();
    this.id[slot] = this.nextId++;
    this.timeoutHandle[slot] = -1;
    this.natPort[slot] = -1;
    this.executions[slot] = 0;
    this.session[slot] = NO_SESSION;
    this.clientTry[slot] = 0;
    this.root[slot] = slot;
    this.userOpen[slot] = 0;
    this.refs[slot] = 0;
    this.settled[slot] = 0;
    this.servedBy[slot] = -1;
    this.sessionLost[slot] = 0;
    return slot;
  }

  /** Frees the slot; its id becomes 0 so any later event carrying the old id sees a mismatch. */
  close(slot: number): void {
    this.id[slot] = 0;
    this.slots.release(slot);
  }

  isLive(slot: number, id: number): boolean {
    return this.id[slot] === id && id !== 0;
  }

  /** Capacity of the columns (slots beyond `inFlight` may be free). */
  get capacity(): number {
    return this.slots.capacity;
  }

  get inFlight(): number {
    return this.slots.live;
  }

  private resize(capacity: number): void {
    this.id = grow(this.id, capacity);
    this.client = grow(this.client, capacity);
    this.group = grow(this.group, capacity);
    this.requestClass = grow(this.requestClass, capacity);
    this.sentUs = grow(this.sentUs, capacity);
    this.responseHopUs = grow(this.responseHopUs, capacity);
    this.userSentUs = grow(this.userSentUs, capacity);
    this.userOpen = grow(this.userOpen, capacity);
    this.demandUs = grow(this.demandUs, capacity);
    this.session = grow(this.session, capacity);
    this.clientTry = grow(this.clientTry, capacity);
    this.timeoutHandle = grow(this.timeoutHandle, capacity);
    this.natPort = grow(this.natPort, capacity);
    this.executions = grow(this.executions, capacity);
    this.root = grow(this.root, capacity);
    this.refs = grow(this.refs, capacity);
    this.settled = grow(this.settled, capacity);
    this.pendingOutcome = grow(this.pendingOutcome, capacity);
    this.servedBy = grow(this.servedBy, capacity);
    this.sessionLost = grow(this.sessionLost, capacity);
  }
}
