// The health library's timer port on simulated time: one event kind for the whole tier, and a table from slot to
// callback so a cancellable engine event still carries only an integer. Callbacks are the checker's per-backend
// closures, made once, so scheduling allocates nothing per event.
import type { Simulation } from "../engine/simulation.js";
import type { TimerPort } from "../health/checker-ports.js";

export class SimTimerPort implements TimerPort {
  private readonly callbacks: ((() => void) | null)[] = [];
  private readonly engineHandles: number[] = [];
  private readonly free: number[] = [];
  private readonly kind: number;

  constructor(private readonly sim: Simulation, name: string) {
    this.kind = sim.on(name, (slot) => this.fire(slot));
  }

  /** A `fixedDelay` timer goes to the engine's lane for its delay (O(1), the same order of events). */
  setTimer(atUs: number, fn: () => void, fixedDelay = false): number {
    const slot = this.free.pop() ?? this.callbacks.length;
    this.callbacks[slot] = fn;
    this.engineHandles[slot] = fixedDelay ? this.sim.timeoutAt(atUs, this.kind, slot) : this.sim.timerAt(atUs, this.kind, slot);
    return slot;
  }

  cancel(slot: number): void {
    if (this.callbacks[slot] === null || this.callbacks[slot] === undefined) return;
    this.sim.cancel(this.engineHandles[slot]!);
    this.release(slot);
  }

  private fire(slot: number): void {
    const fn = this.callbacks[slot]!;
    this.release(slot);
    fn();
  }

  private release(slot: number): void {
    this.callbacks[slot] = null;
    this.free.push(slot);
  }
}
