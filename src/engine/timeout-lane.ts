// One lane of timeouts that share a delay: a ring of (time, seq, slot) in the order they were set. Timers set with
// the same delay at a clock that never goes back are due in that same order, so the ring is sorted by (time, seq)
// for free and the earliest of them is always its head (Node keeps one list per duration for the same reason:
// lib/internal/timers.js, "timer lists"). The event queue keeps one representative of each lane in its heap.
// Entries are never moved out of order: a cancelled one stays in place until it reaches the head (or the lane
// is compacted), so a lane costs O(1) per set, cancel and fire.
const INITIAL_CAPACITY = 64; // a power of two: the ring indexes with a mask

export class TimeoutLane {
  time = new Float64Array(INITIAL_CAPACITY);
  seq = new Float64Array(INITIAL_CAPACITY);
  slot = new Int32Array(INITIAL_CAPACITY);
  head = 0;
  length = 0;
  /** Cancelled entries still in the ring (not yet trimmed from the head or compacted away). */
  cancelled = 0;
  /** Whether the queue's heap holds this lane's representative. */
  represented = false;

  append(time: number, seq: number, slot: number): void {
    if (this.length === this.time.length) this.grow();
    const at = (this.head + this.length) & (this.time.length - 1);
    this.time[at] = time;
    this.seq[at] = seq;
    this.slot[at] = slot;
    this.length++;
  }

  /** Drops the head entry (fired or cancelled). */
  shift(): void {
    this.head = (this.head + 1) & (this.time.length - 1);
    this.length--;
  }

  get headTime(): number {
    return this.time[this.head]!;
  }

  get headSeq(): number {
    return this.seq[this.head]!;
  }

  get headSlot(): number {
    return this.slot[this.head]!;
  }

  /** The slot of the i-th entry from the head. */
  slotAt(i: number): number {
    return this.slot[(this.head + i) & (this.time.length - 1)]!;
  }

  /** Keeps the entries `keep` approves, in order (compaction of cancelled ones). */
  retain(keep: (slot: number) => boolean): void {
    const mask = this.time.length - 1;
    let kept = 0;
    for (let i = 0; i < this.length; i++) {
      const from = (this.head + i) & mask;
      if (!keep(this.slot[from]!)) continue;
      const to = (this.head + kept) & mask;
      this.time[to] = this.time[from]!;
      this.seq[to] = this.seq[from]!;
      this.slot[to] = this.slot[from]!;
      kept++;
    }
    this.length = kept;
    this.cancelled = 0;
  }

  get allocatedBytes(): number {
    return this.time.length * (8 + 8 + 4);
  }

  private grow(): void {
    const capacity = this.time.length * 2;
    const mask = this.time.length - 1;
    const time = new Float64Array(capacity);
    const seq = new Float64Array(capacity);
    const slot = new Int32Array(capacity);
    for (let i = 0; i < this.length; i++) {
      const from = (this.head + i) & mask;
      time[i] = this.time[from]!;
      seq[i] = this.seq[from]!;
      slot[i] = this.slot[from]!;
    }
    this.time = time;
    this.seq = seq;
    this.slot = slot;
    this.head = 0;
  }
}
