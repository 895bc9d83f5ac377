// Proves the EDF schedule's heap (O(log n) a pick, as Envoy's priority queue) picks exactly the host a linear
// scan for the earliest (deadline, order) picks, over random weights that change with every pick, hosts that are
// full or avoided and passed over, weight-0 hosts that are never picked, and active-set changes that rebuild it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BackendState, isAvailable } from "../../src/balancers/backend-state.js";
import type { BackendPool } from "../../src/balancers/backend-pool.js";
import { EdfSchedule } from "../../src/balancers/edf-schedule.js";

/** The schedule as it was before the heap: a linear scan over the active list (the reference). */
class ScanSchedule {
  private clock = 0;
  private order = 0;
  private seen = -1;
  constructor(private readonly pool: { activeSetVersion: number }, private readonly weight: (b: BackendState) => number) {}
  pick(active: readonly BackendState[]): BackendState | null {
    if (this.seen !== this.pool.activeSetVersion) {
      this.seen = this.pool.activeSetVersion;
      this.clock = 0;
      for (const b of active) this.add(b);
    }
    let best: BackendState | null = null;
    for (const b of active) {
      if (!isAvailable(b) || !(b.edfDeadline < Infinity)) continue;
      if (best === null || b.edfDeadline < best.edfDeadline || (b.edfDeadline === best.edfDeadline && b.edfOrder < best.edfOrder)) best = b;
    }
    if (best === null) return null;
    this.clock = best.edfDeadline;
    this.add(best);
    return best;
  }
  private add(b: BackendState): void {
    const w = this.weight(b);
    b.edfDeadline = w > 0 ? this.clock + 1 / w : Infinity;
    b.edfOrder = this.order++;
  }
}

function hosts(weights: readonly number[]): BackendState[] {
  return weights.map((weight, i) => {
    const b = new BackendState({ id: `h${i}`, weight, maxConnections: 3 });
    b.active = true;
    return b;
  });
}

describe("EdfSchedule", () => {
  it("picks as the linear scan does, step by step, under changing loads, full hosts and rebuilds (property)", () => {
    const step = fc.record({ done: fc.nat(), avoid: fc.nat(), rebuild: fc.boolean() });
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 40 }), fc.array(step, { maxLength: 300 }), (weights, steps) => {
        // Two identical worlds, one per schedule: the weight is weight / (inFlight + 1), Envoy's bias 1.
        const poolA = { activeSetVersion: 0 };
        const poolB = { activeSetVersion: 0 };
        const a = hosts(weights);
        const b = hosts(weights);
        const weight = (h: BackendState): number => h.weight / (h.inFlight + 1);
        const heap = new EdfSchedule(poolA as unknown as BackendPool, weight);
        const scan = new ScanSchedule(poolB, weight);
        for (const s of steps) {
          if (s.rebuild && s.done % 7 === 0) {
            poolA.activeSetVersion++;
            poolB.activeSetVersion++;
          }
          // A request ends somewhere, and one host is avoided for this pick (a retry).
          const ending = s.done % a.length;
          if (a[ending]!.inFlight > 0) {
            a[ending]!.inFlight--;
            b[ending]!.inFlight--;
          }
          const avoided = s.avoid % (a.length + 1); // a.length: none avoided
          if (avoided < a.length) a[avoided]!.avoided = b[avoided]!.avoided = true;
          const x = heap.pick(a, 0);
          const y = scan.pick(b);
          if (avoided < a.length) a[avoided]!.avoided = b[avoided]!.avoided = false;
          expect(x === null ? null : x.id).toBe(y === null ? null : y.id);
          if (x !== null) {
            x.inFlight++;
            b[a.indexOf(x)]!.inFlight++;
          }
        }
      }),
      { seed: 20261130, numRuns: 300 },
    );
  });

  it("with weights 1, 2 and 3 and no load, serves them 1:2:3 (Envoy's weighted round robin)", () => {
    const pool = { activeSetVersion: 0 };
    const list = hosts([1, 2, 3]);
    const schedule = new EdfSchedule(pool as unknown as BackendPool, (h) => h.weight);
    const counts = new Map<string, number>();
    for (let i = 0; i < 600; i++) {
      const h = schedule.pick(list, 0)!;
      counts.set(h.id, (counts.get(h.id) ?? 0) + 1);
    }
    // Deadlines advance by 1/w per pick, so over 600 picks host i gets 600 * w / 6 exactly.
    expect([counts.get("h0"), counts.get("h1"), counts.get("h2")]).toEqual([100, 200, 300]);
  });
});
