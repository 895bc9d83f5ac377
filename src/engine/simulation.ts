// The simulation loop: a clock, the pending-event queue, named random streams and the handlers that events
// dispatch to. Synchronous by design: a Promise would run outside simulated time.
//
// Events are (timeUs, kind, target): `kind` names a handler registered once per run, `target` is an integer the
// handler interprets (a request slot, a backend index). No closure or object is allocated per event.
import { EventQueue, MAX_KINDS, PendingEventLimitError, type EventHandle } from "./event-queue.js";
import { InvariantError, SimulationError } from "./invariant.js";
import type { Clock } from "./ports.js";
import { Rng } from "./rng.js";
import type { TimeUs } from "./time.js";
import { KindTally, watchdogBounds } from "./watchdog.js";

export type EventKind = number;
export type EventHandler = (target: number) => void;

export interface RunLimits {
  /** Stop before the first event later than this time; the clock is then set to it. */
  untilUs?: TimeUs;
  /** Fail if more than this many events would run. A bound, so that a runaway model is reported, not a hang. */
  maxEvents?: number;
}

export type StopReason = "empty" | "horizon";

export interface RunResult {
  stoppedBy: StopReason;
  events: number;
  endTimeUs: TimeUs;
}

export const DEFAULT_MAX_EVENTS = 2_000_000_000;

export class Simulation implements Clock {
  /** The current simulated time. Read it; only the loop moves it. */
  now: TimeUs = 0;
  /** Events run so far, over every call to run(). */
  eventsRun = 0;
  readonly rng: Rng;
  readonly seed: string;
  private readonly queue = new EventQueue();
  private readonly handlers: EventHandler[] = [unregistered];
  private readonly kindNames: string[] = ["(cancelled)"];
  /** The host's measure of the world's size, for the watchdog's bounds (see watchdog.ts). */
  private entities: () => number = () => this.queue.size;
  /** Events scheduled by the running handler, and the bound it may reach (Infinity outside run()). */
  private scheduled = 0;
  private scheduleLimit = Infinity;
  /** Events at one instant from which the watchdog looks closer, and past which time counts as stopped. */
  private instantWatchFrom = Infinity;
  private instantLimit = Infinity;
  private readonly instantKinds = new KindTally(MAX_KINDS + 1);

  constructor(seed: string | number) {
    this.seed = String(seed);
    this.rng = Rng.root(this.seed);
  }

  /**
   * Tells the watchdog how big the world is (clients, backends, requests in flight, ...): the bounds on events at
   * one instant and on events one handler schedules scale with it. Read only when a count passes its bound.
   */
  measureWorld(entities: () => number): void {
    this.entities = entities;
  }

  nowUs(): TimeUs {
    return this.now;
  }

  /** Registers a handler and returns the kind to schedule it by. Names appear in error messages. */
  on(name: string, handler: EventHandler): EventKind {
    if (this.handlers.length > MAX_KINDS) {
      throw new InvariantError(`more than ${MAX_KINDS} event kinds registered (at "${name}")`);
    }
    this.handlers.push(handler);
    this.kindNames.push(name);
    return this.handlers.length - 1;
  }

  /** Schedules `kind` for `target` at an absolute time, no earlier than now. Not cancellable: see timerAt. */
  at(timeUs: TimeUs, kind: EventKind, target = 0): void {
    if (!(timeUs >= this.now) || Math.floor(timeUs) !== timeUs) this.rejectTime(timeUs, kind);
    if (++this.scheduled > this.scheduleLimit) this.watchEvent(kind);
    this.queue.post(timeUs, kind, target);
  }

  /** Schedules `kind` for `target` after a delay (whole microseconds, zero or more). Not cancellable. */
  after(delayUs: TimeUs, kind: EventKind, target = 0): void {
    this.at(this.now + delayUs, kind, target);
  }

  /** Schedules a cancellable event (a timeout, a check timer) at an absolute time and returns its handle. */
  timerAt(timeUs: TimeUs, kind: EventKind, target = 0): EventHandle {
    if (!(timeUs >= this.now) || Math.floor(timeUs) !== timeUs) this.rejectTime(timeUs, kind);
    if (++this.scheduled > this.scheduleLimit) this.watchEvent(kind);
    return this.queue.push(timeUs, kind, target);
  }

  /** Schedules a cancellable event after a delay and returns its handle. */
  timer(delayUs: TimeUs, kind: EventKind, target = 0): EventHandle {
    return this.timerAt(this.now + delayUs, kind, target);
  }

  /**
   * A timer whose delay repeats (a request's timeout, a check's interval): the same as timer(), with the same
   * order of events, at O(1) instead of O(log n), since timeouts of one delay are due in the order they were set
   * (see event-queue.ts). For delays drawn at random, use timer().
   */
  timeout(delayUs: TimeUs, kind: EventKind, target = 0): EventHandle {
    return this.timeoutAt(this.now + delayUs, kind, target);
  }

  /** timeout() due at an absolute time: its lane is that of its delay from now. */
  timeoutAt(timeUs: TimeUs, kind: EventKind, target = 0): EventHandle {
    if (!(timeUs >= this.now) || Math.floor(timeUs) !== timeUs) this.rejectTime(timeUs, kind);
    if (++this.scheduled > this.scheduleLimit) this.watchEvent(kind);
    return this.queue.pushTimeout(timeUs, timeUs - this.now, kind, target);
  }

  private rejectTime(timeUs: number, kind: EventKind): never {
    this.fail(`cannot schedule ${this.kindName(kind)} at ${timeUs}us: times are whole microseconds, not before now`);
  }

  /** Cancels a scheduled event; false if it already ran or was cancelled. O(1). */
  cancel(handle: EventHandle): boolean {
    return this.queue.cancel(handle);
  }

  /** Visits the kind and target of every pending event (end-of-run audits; allocates nothing, orders nothing). */
  forEachPending(visit: (kind: EventKind, target: number) => void): void {
    this.queue.forEachPending(visit);
  }

  get pendingEvents(): number {
    return this.queue.size;
  }

  kindName(kind: EventKind): string {
    return this.kindNames[kind] ?? `kind#${kind}`;
  }

  /** Throws a SimulationError naming the seed and the current time. */
  fail(message: string, cause?: unknown): never {
    throw new SimulationError(message, this.seed, this.now, cause === undefined ? undefined : { cause });
  }

  /**
   * Runs events in (time, seq) order until the queue is empty or the next event is past `untilUs`.
   * Running out of the event budget is an error naming the seed, never a silent truncation; so are time that
   * stops (too many events at one instant) and a handler that loops (too many events scheduled by one event).
   */
  run(limits: RunLimits = {}): RunResult {
    const untilUs = limits.untilUs ?? Infinity;
    const budgetEnd = this.eventsRun + (limits.maxEvents ?? DEFAULT_MAX_EVENTS);
    const queue = this.queue;
    const handlers = this.handlers;
    let events = this.eventsRun;
    const firstEvent = events;
    let stoppedBy: StopReason = "empty";
    const bounds = watchdogBounds(this.entities());
    this.scheduleLimit = bounds.schedulesPerEvent;
    this.instantWatchFrom = Math.ceil(bounds.eventsPerInstant / 2);
    let instantUs = -1;
    let atInstant = 0;
    try {
      for (;;) {
        if (events >= budgetEnd && queue.peekTime() <= untilUs) {
          this.eventsRun = events;
          this.fail(`event budget of ${limits.maxEvents ?? DEFAULT_MAX_EVENTS} exhausted before the horizon`);
        }
        if (!queue.popUntil(untilUs)) break;
        const timeUs = queue.poppedTimeUs;
        if (timeUs !== instantUs) {
          instantUs = timeUs;
          atInstant = 1;
        } else if (++atInstant >= this.instantWatchFrom) this.watchInstant(atInstant, queue.poppedKind);
        this.now = timeUs;
        this.scheduled = 0;
        events++;
        handlers[queue.poppedKind]!(queue.poppedTarget);
      }
      if (queue.size > 0) stoppedBy = "horizon";
    } catch (error) {
      this.eventsRun = events;
      if (error instanceof SimulationError) throw error;
      if (error instanceof InvariantError || error instanceof PendingEventLimitError) {
        this.fail(error.message, error);
      }
      this.fail(`uncaught ${describe(error)} in a ${this.kindName(queue.poppedKind)} handler`, error);
    } finally {
      this.scheduleLimit = Infinity;
    }
    this.eventsRun = events;
    if (stoppedBy === "horizon" && untilUs > this.now) this.now = untilUs;
    return { stoppedBy, events: events - firstEvent, endTimeUs: this.now };
  }

  /**
   * Half the bound on events at one instant was reached: re-read the world's size (it may have grown), and if
   * the bound still holds, count the kinds of the events that follow at this instant. Past the bound, simulated
   * time has stopped: fail, naming the kinds that loop.
   */
  private watchInstant(count: number, kind: number): void {
    if (count === this.instantWatchFrom) {
      const entities = this.entities();
      const bound = watchdogBounds(entities).eventsPerInstant;
      if (count * 2 < bound) {
        this.instantWatchFrom = Math.ceil(bound / 2);
        return;
      }
      this.instantLimit = count * 2;
      this.instantKinds.reset();
    }
    this.instantKinds.add(kind);
    if (count > this.instantLimit) {
      const looping = this.instantKinds.describe((k) => this.kindName(k));
      this.fail(`simulated time stopped: more than ${this.instantLimit} events at one instant (the bound for a world of ${this.entities()} entities); the events that loop: ${looping}`);
    }
  }

  /** The running handler passed its bound on scheduled events: re-read the world's size, or fail. */
  private watchEvent(kind: EventKind): void {
    const entities = this.entities();
    const bound = watchdogBounds(entities).schedulesPerEvent;
    if (this.scheduled <= bound) {
      this.scheduleLimit = bound;
      return;
    }
    this.fail(`one ${this.kindName(this.queue.poppedKind)} event scheduled more than ${bound} events (the bound for a world of ${entities} entities): a loop inside one event, scheduling ${this.kindName(kind)}`);
  }
}

function unregistered(): void {
  throw new InvariantError("an event of kind 0 ran: kinds come from Simulation.on()");
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
