// A growable FIFO of doubles on a power-of-two ring buffer: queues of request times and ids without an
// object or array reallocation per entry.
export class Float64Fifo {
  private buffer: Float64Array;
  private mask: number;
  private head = 0;
  length = 0;

  constructor(initialCapacity = 64) {
    let capacity = 1;
    while (capacity < initialCapacity) capacity *= 2;
    this.buffer = new Float64Array(capacity);
    this.mask = capacity - 1;
  }

  push(value: number): void {
    if (this.length > this.mask) this.grow();
    this.buffer[(this.head + this.length) & this.mask] = value;
    this.length++;
  }

  /** Removes and returns the oldest value. The caller checks `length` first. */
  shift(): number {
    const value = this.buffer[this.head]!;
    this.head = (this.head + 1) & this.mask;
    this.length--;
    return value;
  }

  peek(): number {
    return this.buffer[this.head]!;
  }

  /** The value `offset` places behind the oldest (0 is the oldest). The caller checks `length` first. */
  peekAt(offset: number): number {
    return this.buffer[(this.head + offset) & this.mask]!;
  }

  clear(): void {
    this.head = 0;
    this.length = 0;
  }

  private grow(): void {
    const capacity = this.buffer.length * 2;
    const next = new Float64Array(capacity);
    for (let i = 0; i < this.length; i++) next[i] = this.buffer[(this.head + i) & this.mask]!;
    this.buffer = next;
    this.mask = capacity - 1;
    this.head = 0;
  }
}
