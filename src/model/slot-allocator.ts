// Slot indices for struct-of-arrays tables (requests, attempts): a free list threaded through an Int32Array,
// so the hot path allocates no object per request. The owner grows its own columns when `capacity` grows.
export class SlotAllocator {
  private next: Int32Array;
  private freeHead = -1;
  private fresh = 0;
  live = 0;

  constructor(initialCapacity: number, private readonly onGrow: (capacity: number) => void) {
    this.next = new Int32Array(initialCapacity);
  }

  get capacity(): number {
    return this.next.length;
  }

  allocate(): number {
    this.live++;
    if (this.freeHead >= 0) {
      const slot = this.freeHead;
      this.freeHead = this.next[slot]!;
      return slot;
    }
    if (this.fresh === this.next.length) {
      const grown = new Int32Array(this.next.length * 2);
      grown.set(this.next);
      this.next = grown;
      this.onGrow(grown.length);
    }
    return this.fresh++;
  }

  release(slot: number): void {
    this.live--;
    this.next[slot] = this.freeHead;
    this.freeHead = slot;
  }
}

/** Copies a typed array into a larger one of the same kind. */
export function grow<T extends Float64Array | Int32Array | Uint8Array>(column: T, capacity: number): T {
  const next = new (column.constructor as new (length: number) => T)(capacity);
  next.set(column as never);
  return next;
}
