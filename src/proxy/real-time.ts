// The health library's clock and timer port on real time: a monotonic microsecond clock from process.hrtime and
// node timers. Timers are unref'd: they never keep a process alive on their own (the servers do).
import { randomBytes } from "node:crypto";
import type { Clock, RandomSource } from "../engine/ports.js";
import type { TimerPort } from "../health/checker-ports.js";

/** Monotonic microseconds from the process's high-resolution timer. */
export const hrtimeClock: Clock = { nowUs: () => Number(process.hrtime.bigint() / 1000n) };

/** Uniform [0, 1) from node:crypto, 48 bits per draw, refilled 4 KiB at a time. */
export function cryptoRandomSource(): RandomSource {
  let buffer = randomBytes(4096);
  let offset = 0;
  return {
    next() {
      if (offset + 6 > buffer.length) {
        buffer = randomBytes(4096);
        offset = 0;
      }
      const value = buffer.readUIntBE(offset, 6) / 2 ** 48;
      offset += 6;
      return value;
    },
  };
}

export class RealTimers implements TimerPort {
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private next = 1;

  constructor(private readonly clock: Clock = hrtimeClock) {}

  setTimer(atUs: number, fn: () => void): number {
    const handle = this.next++;
    const delayMs = Math.max(0, (atUs - this.clock.nowUs()) / 1000);
    const timer = setTimeout(() => {
      this.timers.delete(handle);
      fn();
    }, delayMs);
    timer.unref();
    this.timers.set(handle, timer);
    return handle;
  }

  cancel(handle: number): void {
    const timer = this.timers.get(handle);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.timers.delete(handle);
  }

  /** Timers still pending (a test checks none leak after stop). */
  get pending(): number {
    return this.timers.size;
  }
}
