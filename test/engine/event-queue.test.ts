// Proves the event queue pops in (time, seq) order, runs equal-time events FIFO (also when events posted for the
// current instant skip the heap, and when timeouts wait in per-delay lanes), and cancels cheaply and safely (stale
// handles are ignored, compaction keeps the order), checked against a sorted reference by property tests.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventQueue } from "../../src/engine/event-queue.js";

function drain(queue: EventQueue): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  while (queue.pop()) out.push([queue.poppedTimeUs, queue.poppedTarget]);
  return out;
}

describe("EventQueue", () => {
  it("pops in time order and equal times in the order scheduled", () => {
    const queue = new EventQueue();
    queue.push(30, 1, 0);
    queue.push(10, 1, 1);
    queue.push(20, 1, 2);
    queue.push(10, 1, 3);
    queue.push(10, 1, 4);
    expect(drain(queue)).toEqual([[10, 1], [10, 3], [10, 4], [20, 2], [30, 0]]);
  });

  it("cancels a pending event once; stale handles (fired or cancelled) return false", () => {
    const queue = new EventQueue();
    const a = queue.push(5, 1, 100);
    const b = queue.push(6, 1, 200);
    expect(queue.cancel(a)).toBe(true);
    expect(queue.cancel(a)).toBe(false);
    expect(queue.size).toBe(1);
    expect(queue.pop()).toBe(true);
    expect(queue.poppedTarget).toBe(200);
    expect(queue.cancel(b)).toBe(false); // already fired
    // The freed slot is reused by a new event; the old handle must not cancel it.
    const c = queue.push(7, 1, 300);
    expect(queue.cancel(b)).toBe(false);
    expect(queue.size).toBe(1);
    expect(queue.cancel(c)).toBe(true);
    expect(queue.pop()).toBe(false);
  });

  it("posted events carry their kind and target; a target too large to pack still works", () => {
    const queue = new EventQueue();
    queue.post(5, 200, 8_388_607); // the largest packed target (2^23 - 1) with a large kind
    queue.post(5, 7, 2 ** 30); // too large to pack: takes a slot
    queue.push(5, 9, 3);
    const out: Array<[number, number, number]> = [];
    while (queue.pop()) out.push([queue.poppedTimeUs, queue.poppedKind, queue.poppedTarget]);
    expect(out).toEqual([[5, 200, 8_388_607], [5, 7, 2 ** 30], [5, 9, 3]]);
  });

  it("popUntil leaves later events queued", () => {
    const queue = new EventQueue();
    queue.push(10, 1, 1);
    queue.push(50, 1, 2);
    expect(queue.popUntil(20)).toBe(true);
    expect(queue.popUntil(20)).toBe(false);
    expect(queue.size).toBe(1);
    expect(queue.peekTime()).toBe(50);
  });

  it("grows past its initial capacity and compacts many tombstones without losing order", () => {
    const queue = new EventQueue();
    const handles: number[] = [];
    for (let i = 0; i < 10_000; i++) handles.push(queue.push(10_000 - (i % 100), 1, i));
    for (let i = 0; i < 10_000; i++) if (i % 10 !== 0) queue.cancel(handles[i]!);
    expect(queue.size).toBe(1_000);
    const popped = drain(queue);
    expect(popped.map(([, target]) => target).every((t) => t % 10 === 0)).toBe(true);
    for (let i = 1; i < popped.length; i++) {
      const [t0, s0] = popped[i - 1]!;
      const [t1, s1] = popped[i]!;
      expect(t0 < t1 || (t0 === t1 && s0 < s1)).toBe(true);
    }
  });

  it("keeps timeouts of one delay in a lane: cancelled heads are skipped, and order is kept across lanes and the heap", () => {
    const queue = new EventQueue();
    const a = queue.pushTimeout(10, 10, 1, 0); // lane of delay 10
    queue.pushTimeout(10, 10, 1, 1);
    queue.push(10, 1, 2); // heap, same time: after 0 and 1 by seq
    queue.pushTimeout(15, 15, 1, 3); // lane of delay 15
    const c = queue.pushTimeout(12, 10, 1, 4);
    queue.pushTimeout(13, 10, 1, 5);
    expect(queue.cancel(a)).toBe(true); // the head of its lane: its representative is re-keyed when it surfaces
    expect(queue.cancel(c)).toBe(true); // in the middle of its lane
    expect(queue.cancel(c)).toBe(false);
    expect(queue.size).toBe(4);
    expect(queue.peekTime()).toBe(10);
    const pending: number[] = [];
    queue.forEachPending((_kind, target) => pending.push(target));
    expect(pending.sort((x, y) => x - y)).toEqual([1, 2, 3, 5]);
    expect(drain(queue)).toEqual([[10, 1], [10, 2], [13, 5], [15, 3]]);
    expect(queue.size).toBe(0);
  });

  it("re-keys a lane's representative by seq too: a heap event between two same-time timeouts keeps its place", () => {
    const queue = new EventQueue();
    const first = queue.pushTimeout(10, 10, 1, 0);
    queue.push(10, 1, 1);
    queue.pushTimeout(10, 10, 1, 2);
    queue.cancel(first); // the representative still holds (10, seq 0); the lane's head is now (10, seq 2)
    expect(drain(queue)).toEqual([[10, 1], [10, 2]]);
  });

  it("compacts a lane whose cancelled timeouts pile up behind a live head", () => {
    const queue = new EventQueue();
    queue.pushTimeout(100, 100, 1, 0); // stays live at the head
    for (let i = 1; i <= 100_000; i++) expect(queue.cancel(queue.pushTimeout(100, 100, 1, i))).toBe(true);
    expect(queue.size).toBe(1);
    // With one live head, the lane is compacted when its 1,024th cancelled entry is behind it (1,025 entries), so
    // the ring never needs more than 2,048 places (20 bytes each) and the slot table 2,048 slots (10 bytes each);
    // the heap keeps its 256 places (20 bytes) and the FIFO its 64 (12 bytes). Without compaction the ring would
    // hold all 100,001 entries (131,072 places, 2.6 MB).
    expect(queue.allocatedBytes).toBe(2_048 * 20 + 2_048 * 10 + 256 * 20 + 64 * 12);
    expect(drain(queue)).toEqual([[100, 0]]);
  });

  it("interleaves events posted for the current instant with same-time heap events by seq", () => {
    const queue = new EventQueue();
    queue.post(10, 1, 0);
    const timer = queue.push(10, 1, 1); // in the heap: due at 10 before anything posted once 10 is the instant
    queue.push(10, 1, 2);
    queue.post(20, 1, 3);
    expect(queue.pop()).toBe(true); // target 0, the instant is now 10
    queue.post(10, 1, 4); // same instant: the FIFO, after 1 and 2 (seq order)
    queue.post(10, 1, 5);
    expect(queue.cancel(timer)).toBe(true);
    expect(queue.size).toBe(4);
    expect(queue.peekTime()).toBe(10);
    const pending: number[] = [];
    queue.forEachPending((_kind, target) => pending.push(target));
    expect(pending.sort((a, b) => a - b)).toEqual([2, 3, 4, 5]);
    expect(drain(queue)).toEqual([[10, 2], [10, 4], [10, 5], [20, 3]]);
  });

  for (const [label, maxOffset] of [["spread over 50 us", 50], ["mostly at the current instant", 2]] as const) {
    it(`matches a sorted reference under random pushes, pops and cancels, ${label} (property)`, () => {
      checkAgainstReference(maxOffset);
    });
  }
});

function checkAgainstReference(maxOffset: number): void {
  {
    const op = fc.oneof(
      fc.record({ type: fc.constant("push" as const), time: fc.integer({ min: 0, max: maxOffset }) }),
      fc.record({ type: fc.constant("post" as const), time: fc.integer({ min: 0, max: maxOffset }) }),
      // A timeout: one of a few delays (each its own lane), or past the lanes' limit when `many` is set.
      fc.record({ type: fc.constant("timeout" as const), delay: fc.constantFrom(0, 1, 3, maxOffset, 2 * maxOffset), many: fc.boolean() }),
      fc.record({ type: fc.constant("pop" as const) }),
      fc.record({ type: fc.constant("cancel" as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const queue = new EventQueue();
        // Reference: live events as [time, seq, target], popped by sorting on (time, seq).
        // handle -1: a posted event, which cannot be cancelled.
        let reference: Array<{ time: number; seq: number; handle: number }> = [];
        let seq = 0;
        let floor = 0; // times never go backwards in a simulation: pushes are at or after the last pop
        for (const o of ops) {
          if (o.type === "push") {
            const time = floor + o.time;
            reference.push({ time, seq, handle: queue.push(time, 1, seq) });
            seq++;
          } else if (o.type === "timeout") {
            const delay = o.many ? o.delay + 1000 * (seq % 70) : o.delay; // up to 70 more delays: past MAX_LANES (64)
            const time = floor + delay;
            reference.push({ time, seq, handle: queue.pushTimeout(time, delay, 3, seq) });
            seq++;
          } else if (o.type === "post") {
            const time = floor + o.time;
            queue.post(time, 2, seq);
            reference.push({ time, seq, handle: -1 });
            seq++;
          } else if (o.type === "pop") {
            reference.sort((a, b) => a.time - b.time || a.seq - b.seq);
            const expected = reference.shift();
            expect(queue.pop()).toBe(expected !== undefined);
            if (expected) {
              expect([queue.poppedTimeUs, queue.poppedTarget]).toEqual([expected.time, expected.seq]);
              floor = expected.time;
            }
          } else {
            const cancellable = reference.filter((r) => r.handle >= 0);
            if (cancellable.length > 0) {
              const victim = cancellable[o.pick % cancellable.length]!;
              reference = reference.filter((r) => r !== victim);
              expect(queue.cancel(victim.handle)).toBe(true);
            }
          }
          expect(queue.size).toBe(reference.length);
        }
      }),
      { seed: 20261121, numRuns: 300 },
    );
  }
}
