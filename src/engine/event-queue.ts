// The pending-event set: a binary min-heap keyed by (timeUs, seq), so events at the same instant run in the
// order they were scheduled (SimPy orders by (time, priority, eid) for the same reason). Struct of arrays, no
// object per event (mourner's flatqueue), with a sequence number that flatqueue lacks.
//
// Each pending event owns a slot holding its kind, target and a generation. The heap holds (time, seq, slot).
// Cancelling marks the slot (O(1)) and leaves a tombstone in the heap: timeouts and check timers are cancelled
// far more often than they fire, and removing them from the middle of the heap would cost a position index
// updated on every sift. Tombstones are dropped when they reach the top, and the heap is compacted when they
// outnumber live events, so memory stays within twice the live count.
//
// Most events are never cancelled (arrivals, network hops, completions that nothing interrupts). Those are
// posted without a slot: kind and target are packed into the heap entry itself (a negative value where a slot
// index would be), which saves the slot bookkeeping on both push and pop.
//
// Events posted for the current instant (zero-delay hops, a handler that hands work on at once) skip the heap: they
// go to a FIFO of (seq, entry) that holds events of one instant only. Such an event is later than every event
// already at this instant in the heap only if its seq is larger, and it is: the pop compares the FIFO's head with
// the heap's top by (time, seq) as the heap itself would, so the order of events is exactly the heap-only order,
// at O(1) instead of two O(log n) sifts for each of them.
//
// Timeouts (pushTimeout) skip the heap too: most are cancelled long before they are due, and each would cost two
// O(log n) sifts and a tombstone. Timeouts that share a delay are due in the order they were set, so each delay
// gets a lane (timeout-lane.ts), a FIFO sorted by (time, seq) for free, and the heap holds only one
// representative per lane, keyed by the lane head's (time, seq). A representative may lag behind its lane (the
// head it stood for was cancelled): when it reaches the top it is re-keyed to the lane's live head, which is
// never earlier, so the order of events is still exactly the heap-only order.
//
// Memory per pending event: 8 (time) + 8 (seq) + 4 (slot or packed event) in the heap = 20 bytes for a posted
// event; a cancellable one adds 1 (kind) + 4 (target) + 4 (generation) + 1 (lane) in the slot table = 30 bytes.

import { TimeoutLane } from "./timeout-lane.js";

/** Kind 0 marks a cancelled (or free) slot. Handlers are numbered from 1. */
export const CANCELLED_KIND = 0;
export const MAX_KINDS = 255;

const SLOT_BITS = 24;
const SLOT_LIMIT = 2 ** SLOT_BITS; // at most 16,777,216 pending events: a bound, reported when passed
const GEN_MASK = 2 ** 28 - 1;
/** A posted event packs (kind << 23 | target) into 31 bits: targets below 2^23 fit, larger ones take a slot. */
const PACKED_TARGET_BITS = 23;
const PACKED_TARGET_LIMIT = 2 ** PACKED_TARGET_BITS;
const PACKED_TARGET_MASK = PACKED_TARGET_LIMIT - 1; // gen * 2^24 + slot stays below 2^53, so a handle is an exact double
const INITIAL_CAPACITY = 256;
const COMPACT_MIN_TOMBSTONES = 1024;
const INITIAL_FIFO_CAPACITY = 64; // a power of two: the ring indexes with a mask
/** Distinct timeout delays that get a lane; timeouts with further delays go to the heap like any timer. */
const MAX_LANES = 64;
/** A heap entry at or above this is a lane's representative (lane = entry - LANE_BASE); slots are below it. */
const LANE_BASE = SLOT_LIMIT;
const COMPACT_MIN_LANE_CANCELLED = 1024;

/** An opaque number naming one scheduled event; stale handles (fired or cancelled) are recognised and ignored. */
export type EventHandle = number;

export class PendingEventLimitError extends Error {
  override readonly name = "PendingEventLimitError";
}

export class EventQueue {
  /** Heap entries and slot-table entries grow separately: posted events never need a slot. */
  private capacity = INITIAL_CAPACITY;
  private slotCapacity = INITIAL_CAPACITY;
  private heapTime = new Float64Array(INITIAL_CAPACITY);
  private heapSeq = new Float64Array(INITIAL_CAPACITY);
  private heapSlot = new Int32Array(INITIAL_CAPACITY);
  private slotKind = new Uint8Array(INITIAL_CAPACITY);
  private slotTarget = new Int32Array(INITIAL_CAPACITY); // doubles as the free-list link while a slot is free
  private slotGen = new Uint32Array(INITIAL_CAPACITY);
  /** 0: the slot's event is in the heap; lane + 1: in that timeout lane. */
  private slotLane = new Uint8Array(INITIAL_CAPACITY);
  private readonly lanes: TimeoutLane[] = [];
  /** Each lane's delay, scanned linearly: there are few, and a Map of doubles hashes slower than a short scan. */
  private readonly laneDelays = new Float64Array(MAX_LANES);
  private lastLane = -1;
  /** Live timeouts in lanes, and lanes whose representative is in the heap. */
  private laneLive = 0;
  private represented = 0;
  private freeHead = -1;
  private freshSlot = 0;
  private nextSeq = 0;
  private tombstones = 0;
  /** Entries in the heap, tombstones included. */
  private heapSize = 0;
  /** The same-instant FIFO: a ring of posted events, all due at fifoTimeUs, in seq order. */
  private fifoSeq = new Float64Array(INITIAL_FIFO_CAPACITY);
  private fifoEntry = new Int32Array(INITIAL_FIFO_CAPACITY);
  private fifoHead = 0;
  private fifoLength = 0;
  private fifoTimeUs = 0;
  /** The time of the event popped last (-Infinity before the first): events posted for it may use the FIFO. */
  private instantUs = -Infinity;

  /** Set by pop(): the event just removed. */
  poppedTimeUs = 0;
  poppedKind = 0;
  poppedTarget = 0;

  /** Live (not cancelled) pending events. */
  get size(): number {
    return this.heapSize - this.tombstones - this.represented + this.fifoLength + this.laneLive;
  }

  /** Schedules a cancellable event and returns its handle. */
  push(timeUs: number, kind: number, target: number): EventHandle {
    if (this.heapSize === this.capacity) this.grow();
    const slot = this.allocateSlot();
    this.slotKind[slot] = kind;
    this.slotTarget[slot] = target;
    this.slotLane[slot] = 0;
    this.insert(timeUs, slot);
    return this.slotGen[slot]! * SLOT_LIMIT + slot;
  }

  /**
   * Schedules a cancellable event set `delayUs` after the current time (so due at `timeUs`), in the lane of that
   * delay: for timeouts and other timers whose delay repeats. The clock must not go back between calls.
   */
  pushTimeout(timeUs: number, delayUs: number, kind: number, target: number): EventHandle {
    let lane = this.lastLane;
    if (lane < 0 || this.laneDelays[lane] !== delayUs) {
      lane = this.findLane(delayUs);
      if (lane < 0) return this.push(timeUs, kind, target);
      this.lastLane = lane;
    }
    const slot = this.allocateSlot();
    this.slotKind[slot] = kind;
    this.slotTarget[slot] = target;
    this.slotLane[slot] = lane + 1;
    const seq = this.nextSeq++;
    const timeouts = this.lanes[lane]!;
    timeouts.append(timeUs, seq, slot);
    this.laneLive++;
    if (!timeouts.represented) {
      timeouts.represented = true;
      this.represented++;
      if (this.heapSize === this.capacity) this.grow();
      this.insertKeyed(timeUs, seq, LANE_BASE + lane);
    }
    return this.slotGen[slot]! * SLOT_LIMIT + slot;
  }

  /** Schedules an event that will never be cancelled: no slot, no handle. */
  post(timeUs: number, kind: number, target: number): void {
    if (target >= PACKED_TARGET_LIMIT || target < 0) {
      this.push(timeUs, kind, target);
      return;
    }
    const entry = ~((kind << PACKED_TARGET_BITS) | target);
    if (timeUs === this.instantUs && (this.fifoLength === 0 || timeUs === this.fifoTimeUs)) {
      this.enqueueNow(timeUs, entry);
      return;
    }
    if (this.heapSize === this.capacity) this.grow();
    this.insert(timeUs, entry);
  }

  /** Appends a posted event due at the current instant to the FIFO. */
  private enqueueNow(timeUs: number, entry: number): void {
    if (this.fifoLength === this.fifoSeq.length) this.growFifo();
    const mask = this.fifoSeq.length - 1;
    const at = (this.fifoHead + this.fifoLength) & mask;
    this.fifoSeq[at] = this.nextSeq++;
    this.fifoEntry[at] = entry;
    this.fifoTimeUs = timeUs;
    this.fifoLength++;
  }

  private growFifo(): void {
    const capacity = this.fifoSeq.length * 2;
    const seq = new Float64Array(capacity);
    const entry = new Int32Array(capacity);
    const mask = this.fifoSeq.length - 1;
    for (let i = 0; i < this.fifoLength; i++) {
      seq[i] = this.fifoSeq[(this.fifoHead + i) & mask]!;
      entry[i] = this.fifoEntry[(this.fifoHead + i) & mask]!;
    }
    this.fifoSeq = seq;
    this.fifoEntry = entry;
    this.fifoHead = 0;
  }

  private insert(timeUs: number, entry: number): void {
    this.insertKeyed(timeUs, this.nextSeq++, entry);
  }

  private insertKeyed(timeUs: number, seq: number, entry: number): void {
    const heapTime = this.heapTime;
    const heapSeq = this.heapSeq;
    const heapSlot = this.heapSlot;
    let i = this.heapSize++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentTime = heapTime[parent]!;
      if (parentTime < timeUs || (parentTime === timeUs && heapSeq[parent]! < seq)) break;
      heapTime[i] = parentTime;
      heapSeq[i] = heapSeq[parent]!;
      heapSlot[i] = heapSlot[parent]!;
      i = parent;
    }
    heapTime[i] = timeUs;
    heapSeq[i] = seq;
    heapSlot[i] = entry;
  }

  /** Cancels a pending event. Returns false if it already fired or was cancelled. */
  cancel(handle: EventHandle): boolean {
    // A handle is a double (gen x 2^24 + slot): floor and multiply are exact on it and fast; % on a double is a
    // library call.
    const gen = Math.floor(handle / SLOT_LIMIT);
    const slot = handle - gen * SLOT_LIMIT;
    if (slot < 0 || slot >= this.freshSlot || this.slotGen[slot] !== gen || this.slotKind[slot] === CANCELLED_KIND) {
      return false;
    }
    this.slotKind[slot] = CANCELLED_KIND;
    const lane = this.slotLane[slot]! - 1;
    if (lane >= 0) {
      this.cancelInLane(this.lanes[lane]!, slot);
      return true;
    }
    this.tombstones++;
    if (this.tombstones >= COMPACT_MIN_TOMBSTONES && this.tombstones * 2 > this.heapSize) this.compact();
    return true;
  }

  /** The lane of a delay, made on first use while there are fewer than MAX_LANES; -1 past that. */
  private findLane(delayUs: number): number {
    const lanes = this.lanes.length;
    for (let lane = 0; lane < lanes; lane++) if (this.laneDelays[lane] === delayUs) return lane;
    if (lanes === MAX_LANES) return -1;
    this.lanes.push(new TimeoutLane());
    this.laneDelays[lanes] = delayUs;
    return lanes;
  }

  private cancelInLane(timeouts: TimeoutLane, slot: number): void {
    this.laneLive--;
    timeouts.cancelled++;
    if (timeouts.headSlot === slot) this.trim(timeouts);
    else if (timeouts.cancelled >= COMPACT_MIN_LANE_CANCELLED && timeouts.cancelled * 2 > timeouts.length) {
      timeouts.retain((s) => {
        if (this.slotKind[s] !== CANCELLED_KIND) return true;
        this.freeSlot(s);
        return false;
      });
    }
  }

  /** Drops cancelled entries from a lane's head. */
  private trim(timeouts: TimeoutLane): void {
    while (timeouts.length > 0) {
      const slot = timeouts.headSlot;
      if (this.slotKind[slot] !== CANCELLED_KIND) return;
      timeouts.shift();
      timeouts.cancelled--;
      this.freeSlot(slot);
    }
  }

  /**
   * The heap's top is the representative of `lane`: true if it stands for the lane's live head (the event to run
   * next), false after dropping it (the lane is empty) or re-keying it to a later head (look at the top again).
   */
  private settleRepresentative(lane: number): boolean {
    const timeouts = this.lanes[lane]!;
    this.trim(timeouts);
    if (timeouts.length === 0) {
      this.removeTop();
      timeouts.represented = false;
      this.represented--;
      return false;
    }
    const time = timeouts.headTime;
    const seq = timeouts.headSeq;
    if (time === this.heapTime[0] && seq === this.heapSeq[0]) return true;
    this.replaceTop(time, seq, LANE_BASE + lane);
    return false;
  }

  /**
   * The heap's top (at `time`) is the representative of `lane`: pops the lane's live head if it is due by the
   * limit (1), or says to look at the top again (0: re-keyed or dropped) or that nothing is due (-1).
   */
  private popLane(lane: number, time: number, limitUs: number): number {
    if (!this.settleRepresentative(lane)) return 0;
    if (time > limitUs) return -1;
    const timeouts = this.lanes[lane]!;
    const slot = timeouts.headSlot;
    timeouts.shift();
    this.laneLive--;
    this.trim(timeouts);
    if (timeouts.length > 0) {
      this.replaceTop(timeouts.headTime, timeouts.headSeq, LANE_BASE + lane);
    } else {
      this.removeTop();
      timeouts.represented = false;
      this.represented--;
    }
    this.instantUs = time;
    this.poppedTimeUs = time;
    this.poppedKind = this.slotKind[slot]!;
    this.poppedTarget = this.slotTarget[slot]!;
    this.freeSlot(slot);
    return 1;
  }

  /** The time of the earliest live event, or Infinity when none is pending. Drops tombstones at the top. */
  peekTime(): number {
    while (this.heapSize > 0) {
      const slot = this.heapSlot[0]!;
      if (slot >= LANE_BASE) {
        if (this.settleRepresentative(slot - LANE_BASE)) break;
        continue;
      }
      if (slot < 0 || this.slotKind[slot] !== CANCELLED_KIND) break;
      this.removeTop();
      this.tombstones--;
      this.freeSlot(slot);
    }
    const heapTime = this.heapSize > 0 ? this.heapTime[0]! : Infinity;
    return this.fifoLength > 0 && this.fifoTimeUs < heapTime ? this.fifoTimeUs : heapTime;
  }

  /**
   * Removes the earliest live event, if it is due no later than `limitUs`, into poppedTimeUs, poppedKind and
   * poppedTarget. Returns false when none is pending or the next is later than the limit (it stays queued).
   */
  popUntil(limitUs: number): boolean {
    for (;;) {
      if (this.fifoLength > 0) {
        // The FIFO's head goes first unless the heap's top (live or not) is earlier by (time, seq).
        const fifoTime = this.fifoTimeUs;
        const head = this.fifoHead;
        const heapFirst = this.heapSize > 0 &&
          (this.heapTime[0]! < fifoTime || (this.heapTime[0] === fifoTime && this.heapSeq[0]! < this.fifoSeq[head]!));
        if (!heapFirst) {
          if (fifoTime > limitUs) return false;
          const packed = ~this.fifoEntry[head]!;
          this.fifoHead = (head + 1) & (this.fifoSeq.length - 1);
          this.fifoLength--;
          this.instantUs = fifoTime;
          this.poppedTimeUs = fifoTime;
          this.poppedKind = packed >>> PACKED_TARGET_BITS;
          this.poppedTarget = packed & PACKED_TARGET_MASK;
          return true;
        }
      } else if (this.heapSize === 0) {
        return false;
      }
      const time = this.heapTime[0]!;
      const slot = this.heapSlot[0]!;
      if (slot < 0) {
        if (time > limitUs) return false;
        this.removeTop();
        const packed = ~slot;
        this.instantUs = time;
        this.poppedTimeUs = time;
        this.poppedKind = packed >>> PACKED_TARGET_BITS;
        this.poppedTarget = packed & PACKED_TARGET_MASK;
        return true;
      }
      if (slot >= LANE_BASE) {
        const popped = this.popLane(slot - LANE_BASE, time, limitUs);
        if (popped === 0) continue;
        return popped > 0;
      }
      const kind = this.slotKind[slot]!;
      if (kind !== CANCELLED_KIND && time > limitUs) return false;
      this.removeTop();
      if (kind === CANCELLED_KIND) {
        this.tombstones--;
        this.freeSlot(slot);
        continue;
      }
      this.instantUs = time;
      this.poppedTimeUs = time;
      this.poppedKind = kind;
      this.poppedTarget = this.slotTarget[slot]!;
      this.freeSlot(slot);
      return true;
    }
  }

  /** Calls `visit` with the kind and target of every live pending event, in no particular order (audits, not the hot path). */
  forEachPending(visit: (kind: number, target: number) => void): void {
    for (let i = 0; i < this.heapSize; i++) {
      const slot = this.heapSlot[i]!;
      if (slot < 0) {
        const packed = ~slot;
        visit(packed >>> PACKED_TARGET_BITS, packed & PACKED_TARGET_MASK);
      } else if (slot < LANE_BASE && this.slotKind[slot] !== CANCELLED_KIND) {
        visit(this.slotKind[slot]!, this.slotTarget[slot]!);
      }
    }
    for (const timeouts of this.lanes) {
      for (let i = 0; i < timeouts.length; i++) {
        const slot = timeouts.slotAt(i);
        if (this.slotKind[slot] !== CANCELLED_KIND) visit(this.slotKind[slot]!, this.slotTarget[slot]!);
      }
    }
    const mask = this.fifoSeq.length - 1;
    for (let i = 0; i < this.fifoLength; i++) {
      const packed = ~this.fifoEntry[(this.fifoHead + i) & mask]!;
      visit(packed >>> PACKED_TARGET_BITS, packed & PACKED_TARGET_MASK);
    }
  }

  /** Removes the earliest live event (see popUntil). Returns false when none is pending. */
  pop(): boolean {
    return this.popUntil(Infinity);
  }

  /** Bytes held by the typed arrays (capacity, not size): 20 per heap entry, 10 per slot, 12 per FIFO place, 20 per lane place. */
  get allocatedBytes(): number {
    let lanes = 0;
    for (const timeouts of this.lanes) lanes += timeouts.allocatedBytes;
    return this.capacity * (8 + 8 + 4) + this.slotCapacity * (1 + 4 + 4 + 1) + this.fifoSeq.length * (8 + 4) + lanes;
  }

  private removeTop(): void {
    const last = --this.heapSize;
    if (last === 0) return;
    const heapTime = this.heapTime;
    const heapSeq = this.heapSeq;
    const heapSlot = this.heapSlot;
    const time = heapTime[last]!;
    const seq = heapSeq[last]!;
    const slot = heapSlot[last]!;
    const half = last >> 1;
    let i = 0;
    while (i < half) {
      let child = 2 * i + 1;
      let childTime = heapTime[child]!;
      let childSeq = heapSeq[child]!;
      const right = child + 1;
      if (right < last) {
        const rightTime = heapTime[right]!;
        if (rightTime < childTime || (rightTime === childTime && heapSeq[right]! < childSeq)) {
          child = right;
          childTime = rightTime;
          childSeq = heapSeq[right]!;
        }
      }
      if (time < childTime || (time === childTime && seq < childSeq)) break;
      heapTime[i] = childTime;
      heapSeq[i] = childSeq;
      heapSlot[i] = heapSlot[child]!;
      i = child;
    }
    heapTime[i] = time;
    heapSeq[i] = seq;
    heapSlot[i] = slot;
  }

  private allocateSlot(): number {
    const head = this.freeHead;
    if (head >= 0) {
      this.freeHead = this.slotTarget[head]!;
      return head;
    }
    if (this.freshSlot === this.slotCapacity) this.growSlots();
    return this.freshSlot++;
  }

  private freeSlot(slot: number): void {
    // The kind is left as it was: the new generation already makes every old handle stale, and the next
    // allocation overwrites the kind.
    this.slotGen[slot] = (this.slotGen[slot]! + 1) & GEN_MASK;
    this.slotTarget[slot] = this.freeHead;
    this.freeHead = slot;
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    if (capacity > SLOT_LIMIT) {
      throw new PendingEventLimitError(`more than ${SLOT_LIMIT} events pending at once`);
    }
    this.heapTime = resized(this.heapTime, new Float64Array(capacity));
    this.heapSeq = resized(this.heapSeq, new Float64Array(capacity));
    this.heapSlot = resized(this.heapSlot, new Int32Array(capacity));
    this.capacity = capacity;
  }

  private growSlots(): void {
    const capacity = this.slotCapacity * 2;
    this.slotKind = resized(this.slotKind, new Uint8Array(capacity));
    this.slotTarget = resized(this.slotTarget, new Int32Array(capacity));
    this.slotGen = resized(this.slotGen, new Uint32Array(capacity));
    this.slotLane = resized(this.slotLane, new Uint8Array(capacity));
    this.slotCapacity = capacity;
  }

  /**
   * Drops every tombstone and restores the heap property bottom-up (Floyd), O(n). Order is unchanged.
   * (siftDown repeats removeTop's loop on purpose: removeTop is the hot path and keeps its own copy inlined.)
   */
  private compact(): void {
    let kept = 0;
    for (let i = 0; i < this.heapSize; i++) {
      const slot = this.heapSlot[i]!;
      if (slot >= 0 && slot < LANE_BASE && this.slotKind[slot] === CANCELLED_KIND) {
        this.freeSlot(slot);
        continue;
      }
      this.heapTime[kept] = this.heapTime[i]!;
      this.heapSeq[kept] = this.heapSeq[i]!;
      this.heapSlot[kept] = slot;
      kept++;
    }
    this.heapSize = kept;
    this.tombstones = 0;
    for (let i = (kept >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  /** Replaces the top entry with another and restores the heap property (one sift instead of remove + insert). */
  private replaceTop(time: number, seq: number, entry: number): void {
    this.heapTime[0] = time;
    this.heapSeq[0] = seq;
    this.heapSlot[0] = entry;
    this.siftDown(0);
  }

  private siftDown(start: number): void {
    const heapTime = this.heapTime;
    const heapSeq = this.heapSeq;
    const heapSlot = this.heapSlot;
    const n = this.heapSize;
    const time = heapTime[start]!;
    const seq = heapSeq[start]!;
    const slot = heapSlot[start]!;
    let i = start;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && (heapTime[right]! < heapTime[child]! ||
        (heapTime[right] === heapTime[child] && heapSeq[right]! < heapSeq[child]!))) {
        child = right;
      }
      const childTime = heapTime[child]!;
      if (time < childTime || (time === childTime && seq < heapSeq[child]!)) break;
      heapTime[i] = childTime;
      heapSeq[i] = heapSeq[child]!;
      heapSlot[i] = heapSlot[child]!;
      i = child;
    }
    heapTime[i] = time;
    heapSeq[i] = seq;
    heapSlot[i] = slot;
  }
}

function resized<T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}
