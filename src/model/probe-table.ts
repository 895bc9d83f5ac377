// Health probes in flight to simulated backends, as columns indexed by a probe slot (freed when the probe is
// done with: answered, or finished by the backend after the checker stopped waiting). A probe is not a client
// request and never enters the ledger, but it travels the same path: the kernel backlog, the application's queue
// and a worker (or the management pool), so an overloaded backend can fail its checks.
import type { ProbeDone } from "../health/checker-ports.js";
import type { ProbeKind, ProbeResponse } from "../health/probe.js";
import { SlotAllocator, grow } from "./slot-allocator.js";

/** What a probe's reply says when it reaches the checker. */
export const PROBE_REPLY = { refused: 0, connected: 1, answered: 2, reset: 3 } as const;

export class ProbeTable {
  readonly slots = new SlotAllocator(64, (capacity) => this.ensure(capacity));
  backend = new Int32Array(0);
  kind = new Uint8Array(0);
  /** Holders of the slot: the probe's journey into the backend, and each reply on its way back. */
  refs = new Int32Array(0);
  /** The checker's token for the probe, handed back with the answer (the checker ignores stale ones). */
  token = new Float64Array(0);
  reply = new Uint8Array(0);
  startUs = new Float64Array(0);
  /** The handshake's round trip, measured from the start (the `connect.afterUs` of the response). */
  connectUs = new Float64Array(0);
  doneAtUs = new Float64Array(0);
  remainingUs = new Float64Array(0);
  completionHandle = new Float64Array(0);
  status = new Int32Array(0);
  dependenciesOk = new Uint8Array(0);
  /** The checker's answer function (one per checked backend, shared by its probes). */
  readonly callbacks: Array<ProbeDone | null> = [];

  open(backend: number, kind: ProbeKind, startUs: number, token: number, done: ProbeDone): number {
    if (this.backend.length < this.slots.capacity) this.ensure(this.slots.capacity);
    const slot = this.slots.allocate();
    this.backend[slot] = backend;
    this.kind[slot] = PROBE_KIND_CODE[kind];
    this.refs[slot] = 1;
    this.token[slot] = token;
    this.startUs[slot] = startUs;
    this.connectUs[slot] = 0;
    this.completionHandle[slot] = -1;
    this.status[slot] = 0;
    this.dependenciesOk[slot] = 1;
    this.callbacks[slot] = done;
    return slot;
  }

  /**
   * The probe's reply reaches the checker at `nowUs`: answers it once with what the reply says, timed from the
   * probe's start; later replies for the same probe go nowhere. A checker that stopped waiting (timed out)
   * recognises the answer by its token and ignores it: the backend may still have done the work.
   */
  answer(slot: number, nowUs: number): void {
    const done = this.callbacks[slot];
    this.callbacks[slot] = null;
    if (done) done(this.token[slot]!, this.response(slot, nowUs));
  }

  // One response object per shape, refilled for each answer: a checker reads the response during its call only
  // (ProbeDone), so answering allocates nothing.
  private readonly refusedConnect = { kind: "refused" as const, afterUs: 0 };
  private readonly acceptedConnect = { kind: "accepted" as const, afterUs: 0 };
  private readonly answeredHttp = { status: 0, afterUs: 0 };
  private readonly refused: ProbeResponse = { connect: this.refusedConnect };
  private readonly connectedOnly: ProbeResponse = { connect: this.acceptedConnect };
  private readonly answered = { connect: this.acceptedConnect, http: this.answeredHttp, dependenciesOk: true };

  private response(slot: number, nowUs: number): ProbeResponse {
    const elapsed = nowUs - this.startUs[slot]!;
    switch (this.reply[slot]) {
      case PROBE_REPLY.refused:
        this.refusedConnect.afterUs = elapsed;
        return this.refused;
      case PROBE_REPLY.connected:
        this.acceptedConnect.afterUs = elapsed;
        return this.connectedOnly;
      case PROBE_REPLY.answered:
        this.acceptedConnect.afterUs = Math.min(this.connectUs[slot]!, elapsed);
        this.answeredHttp.status = this.status[slot]!;
        this.answeredHttp.afterUs = elapsed;
        this.answered.dependenciesOk = this.dependenciesOk[slot] === 1;
        return this.answered;
      default: // reset: the connection died before an answer
        this.acceptedConnect.afterUs = Math.min(this.connectUs[slot]!, elapsed);
        return this.connectedOnly;
    }
  }

  /** One holder is done with the slot; the last frees it. */
  release(slot: number): void {
    if (--this.refs[slot]! > 0) return;
    this.callbacks[slot] = null;
    this.slots.release(slot);
  }

  isTcp(slot: number): boolean {
    return this.kind[slot] === PROBE_KIND_CODE.tcp;
  }

  private ensure(capacity: number): void {
    this.backend = grow(this.backend, capacity);
    this.kind = grow(this.kind, capacity);
    this.refs = grow(this.refs, capacity);
    this.token = grow(this.token, capacity);
    this.reply = grow(this.reply, capacity);
    this.startUs = grow(this.startUs, capacity);
    this.connectUs = grow(this.connectUs, capacity);
    this.doneAtUs = grow(this.doneAtUs, capacity);
    this.remainingUs = grow(this.remainingUs, capacity);
    this.completionHandle = grow(this.completionHandle, capacity);
    this.status = grow(this.status, capacity);
    this.dependenciesOk = grow(this.dependenciesOk, capacity);
  }
}

const PROBE_KIND_CODE = { tcp: 0, http: 1, deep: 2 } as const;
