// The loop's watchdog: two bounds that turn a model that stops making progress into a reported failure (exit 3,
// naming the seed) instead of a hang. TigerBeetle's "bound everything": a bound passed is a bug report.
//
// 1. Time that stops. A discrete-event model progresses by moving simulated time forward. Many events may share
//    one instant (a burst of arrivals, a crash resetting every connection), but only as many as the world's
//    entities can cause: when every delay is zero, one request's path at one instant is about 8 events per try
//    (send, front door, parse, attempt arrival, completion, result, answer, receive), so 256 events per entity
//    covers 32 tries (balancer tries x client retries) for every entity at once. More events than that at one
//    instant means a cycle of zero-delay events (0 us hops and 0 think time after a crash: a client retries a
//    refused request at the instant it was refused, forever).
// 2. A loop inside one event. One handler may schedule many events (a crash delivers every connection it held,
//    a freed slot dispatches the queue), but each for an entity that exists: 16 per entity. A handler that keeps
//    scheduling past that is spinning (a queue drained and refilled by the same request inside one event).
//
// "Entities" is the host's measure of the world's size (clients, backends, nodes, requests and attempts in
// flight), read only when a count first passes its current bound, so the hot path pays one compare per event
// and one per scheduled event.

/** Events per entity that one instant may hold (see above). */
export const EVENTS_PER_INSTANT_PER_ENTITY = 256;
/** Events per entity that one handler may schedule (see above). */
export const SCHEDULES_PER_EVENT_PER_ENTITY = 16;
/** Floors, so a tiny world still has room for its setup bursts. */
const EVENTS_PER_INSTANT_FLOOR = 100_000;
const SCHEDULES_PER_EVENT_FLOOR = 10_000;
/** Kinds named in a stall report: the most frequent ones in the looping instant. */
const KINDS_REPORTED = 6;

/** The bounds for a world of `entities`. */
export function watchdogBounds(entities: number): { eventsPerInstant: number; schedulesPerEvent: number } {
  const size = Math.max(1, entities);
  return {
    eventsPerInstant: EVENTS_PER_INSTANT_FLOOR + EVENTS_PER_INSTANT_PER_ENTITY * size,
    schedulesPerEvent: SCHEDULES_PER_EVENT_FLOOR + SCHEDULES_PER_EVENT_PER_ENTITY * size,
  };
}

/** Counts of event kinds, for the report of what loops. */
export class KindTally {
  private readonly counts: Float64Array;

  constructor(kinds: number) {
    this.counts = new Float64Array(kinds);
  }

  reset(): void {
    this.counts.fill(0);
  }

  add(kind: number): void {
    this.counts[kind]!++;
  }

  /** "client-send x1200, lb-parsed x1200, ..." by count, then name. */
  describe(name: (kind: number) => string): string {
    const rows: Array<[string, number]> = [];
    this.counts.forEach((count, kind) => {
      if (count > 0) rows.push([name(kind), count]);
    });
    rows.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    return rows.slice(0, KINDS_REPORTED).map(([kind, count]) => `${kind} x${count}`).join(", ");
  }
}
