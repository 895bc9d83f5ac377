// The requests a scenario's clients send, as a list the real load generator replays on the wall clock. It draws
// from the same named streams as the simulated clients ("clients/<group>/arrivals", ".../who", ".../class",
// ".../demand"; src/model/client-driver.ts), in the same order, so the real run and lbsim's prediction send the
// same requests at the same times from the same addresses, each carrying the same service demand.
import { Rng } from "../engine/rng.js";
import { clientAddress } from "../model/client-driver.js";
import type { BuiltRun } from "../scenario/build.js";

export interface ScheduledRequest {
  /** Send time from the start of the run, microseconds. */
  atUs: number;
  group: string;
  /** The client's address as the simulation names it (clients sit in 127.0.0.0/8 in conformance scenarios). */
  address: string;
  method: string;
  path: string;
  idempotent: boolean;
  needsDependencies: boolean;
  /** Service demand on a nominal backend, microseconds (the backend multiplies by its speed, warmup, slowdown). */
  demandUs: number;
  timeoutUs: number;
}

/** Every request of the run in send order. Closed-loop groups, NAT, sessions, client retries and traffic steps are refused. */
export function arrivalSchedule(built: BuiltRun): ScheduledRequest[] {
  for (const step of built.timeline) {
    if (step.action === "traffic") throw new RangeError("conformance scenarios cannot change traffic on the timeline");
  }
  const root = Rng.root(built.seed);
  const horizon = built.durationUs;
  const all: ScheduledRequest[] = [];
  for (const group of built.world.clients) {
    if (group.load.kind !== "open") throw new RangeError(`client group ${group.name}: conformance replays open-loop arrivals only`);
    if (group.nat !== null) throw new RangeError(`client group ${group.name}: NAT is not replayed; give clients addresses in 127.0.0.0/8 instead`);
    if (group.retry !== null) throw new RangeError(`client group ${group.name}: client retries are not replayed`);
    if (group.requestsPerSession > 0) throw new RangeError(`client group ${group.name}: sessions are not replayed`);
    const label = `clients/${group.name}`;
    const arrivals = root.fork(`${label}/arrivals`);
    const who = root.fork(`${label}/who`);
    const classPick = root.fork(`${label}/class`);
    const demand = root.fork(`${label}/demand`);
    const total = group.classes.reduce((sum, c) => sum + c.weight, 0);
    const cumulative = group.classes.map(((sum) => (c: { weight: number }) => (sum += c.weight) / total)(0));
    // Bounded: an arrival process always moves forward, and the horizon ends the loop.
    let now = group.load.arrivals.next(0, arrivals);
    while (now < horizon) {
      const client = Math.floor(who.next() * group.clients);
      const u = classPick.next();
      let k = cumulative.findIndex((c) => u < c);
      if (k < 0) k = cumulative.length - 1;
      const klass = group.classes[k]!;
      all.push({
        atUs: now, group: group.name, address: clientAddress(group.addressPrefix, client), method: klass.method, path: klass.path,
        idempotent: klass.idempotent, needsDependencies: klass.needsDependencies,
        demandUs: Math.max(0, Math.round(klass.demandUs.sample(demand))), timeoutUs: group.timeoutUs,
      });
      now = group.load.arrivals.next(now, arrivals);
    }
  }
  return all.sort((a, b) => a.atUs - b.atUs);
}
