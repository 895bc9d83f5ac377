// The requests a scenario's clients send, as a list the real load generator replays on the wall clock. It draws
// from the same named streams as the simulated clients ("clients/<group>/arrivals", ".../who", ".../class",
// ".../demand"; src/model/client-driver.ts), in the same order, so the real run and lbsim's prediction send the
// same requests at the same times from the same addresses, each carrying the same service demand.
import { Rng } from "../engine/rng.js";
import { clientAddress } from "../model/client-driver.js";
import type { ArrivalSource } from "../model/client-config.js";
import type { BuiltRun } from "../scenario/build.js";
import type { ClientRetries } from "./load-generator.js";

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

/**
 * Every request of the run in send order (first tries: the load generator sends client retries itself, as they
 * happen). Timeline `traffic` steps replace a group's arrival process at their time, as the model does
 * (ClientDriver.setArrivals: the next arrival is drawn afresh from the step's time, on the same stream). A NAT group
 * sends from its public address, which must then be in 127.0.0.0/8. Closed-loop groups and sessions are refused.
 */
export function arrivalSchedule(built: BuiltRun): ScheduledRequest[] {
  const root = Rng.root(built.seed);
  const horizon = built.durationUs;
  const all: ScheduledRequest[] = [];
  const groupNames = built.world.clients.map((g) => g.name);
  for (const group of built.world.clients) {
    if (group.load.kind !== "open") throw new RangeError(`client group ${group.name}: conformance replays open-loop arrivals only`);
    if (group.requestsPerSession > 0) throw new RangeError(`client group ${group.name}: sessions are not replayed`);
    const label = `clients/${group.name}`;
    const arrivals = root.fork(`${label}/arrivals`);
    const who = root.fork(`${label}/who`);
    const classPick = root.fork(`${label}/class`);
    const demand = root.fork(`${label}/demand`);
    const total = group.classes.reduce((sum, c) => sum + c.weight, 0);
    const cumulative = group.classes.map(((sum) => (c: { weight: number }) => (sum += c.weight) / total)(0));
    const changes = trafficChanges(built, group.name, groupNames);
    let process = group.load.arrivals;
    let change = 0;
    const from = all.length;
    // Bounded: an arrival process always moves forward, changes are finite, and the horizon ends the loop.
    let now = process.next(0, arrivals);
    for (;;) {
      const step = changes[change];
      // A step due before the pending arrival replaces the process; that arrival is never sent (the model cancels it).
      if (step !== undefined && step.atUs < horizon && step.atUs <= now) {
        process = step.arrivals;
        now = process.next(step.atUs, arrivals);
        change++;
        continue;
      }
      if (now >= horizon) break;
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
      now = process.next(now, arrivals);
    }
    const nat = built.config.clients.find((g) => g.name === group.name)?.nat ?? null;
    if (group.nat !== null && nat !== null) applyNat(group.name, group.nat.publicAddress, nat.ports, all, from);
  }
  return all.sort((a, b) => a.atUs - b.atUs);
}

/** A group's traffic steps in timeline order: when, and the arrival process the step gives this group. */
function trafficChanges(built: BuiltRun, group: string, groupNames: readonly string[]): Array<{ atUs: number; arrivals: ArrivalSource }> {
  const out: Array<{ atUs: number; arrivals: ArrivalSource }> = [];
  for (const step of built.timeline) {
    if (step.action !== "traffic") continue;
    // As the model's timeline: no groups named means every group, in the scenario's order.
    const names = step.params.groups.length > 0 ? step.params.groups : groupNames;
    const i = names.indexOf(group);
    const arrivals = step.params.arrivals?.[i];
    if (i >= 0 && arrivals !== undefined) out.push({ atUs: step.atUs, arrivals });
  }
  return out.map((c, i) => ({ c, i })).sort((x, y) => x.c.atUs - y.c.atUs || x.i - y.i).map((x) => x.c);
}

/**
 * Behind a NAT every client of the group sends from its public address (NatGateway). On loopback that address must
 * be in 127.0.0.0/8. Port exhaustion is not enacted (the kernel has its own ephemeral ports), so a group sending
 * more connections than the NAT has ports is refused: within one run each connection holds its port at least
 * until its reuse delay, so the scenario exhausts them exactly when it sends more requests than `ports`.
 */
function applyNat(group: string, publicAddress: string, ports: number, all: ScheduledRequest[], from: number): void {
  if (!/^127\./.test(publicAddress)) {
    throw new RangeError(`client group ${group}: NAT public address ${publicAddress} is not on loopback; give it one in 127.0.0.0/8 (e.g. 127.20.0.1)`);
  }
  if (all.length - from > ports) throw new RangeError(`client group ${group}: ${all.length - from} connections through a NAT of ${ports} ports would exhaust it; port exhaustion is not enacted by the lab`);
  for (let i = from; i < all.length; i++) all[i]!.address = publicAddress;
}

/**
 * Each group's client retries for the load generator (scenario `clients[].retry`): the model's rule and backoff,
 * its delays drawn from the model's stream `clients/<group>/retry`. The draws come in the order the real run's
 * tries fail, which can differ from the simulation's by a request or two; the delays follow the same distribution.
 */
export function clientRetries(built: BuiltRun): Map<string, ClientRetries> {
  const root = Rng.root(built.seed);
  const out = new Map<string, ClientRetries>();
  for (const group of built.world.clients) {
    const retry = group.retry;
    if (retry === null || retry.maxRetries === 0) continue;
    const rng = root.fork(`clients/${group.name}/retry`);
    out.set(group.name, { maxRetries: retry.maxRetries, on: new Set<string>(retry.on), delayUs: (n) => retry.delayUs(n, rng) });
  }
  return out;
}
