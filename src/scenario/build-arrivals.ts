// The arrival process a client group switches to at a traffic step. A Poisson group's new rate is `multiplier`
// x its base rate (so `multiplier: 1` goes back to normal) or the given rate; with a ramp, the rate moves
// linearly from the current one, which is exactly a piecewise-linear timeline process
// (src/model/arrivals/timeline.ts) in absolute time. Steps are taken in time order, so a step that interrupts
// a ramp starts from wherever that ramp had got to.
import type { ArrivalSpec } from "../model/arrivals/create-arrival-process.js";
import type { TimelinePoint } from "../model/arrivals/timeline.js";
import type { TimelineStep } from "./timeline-step.js";

type TrafficStep = Extract<TimelineStep, { action: "traffic" }>;

/** For each traffic step (by index in `timeline`), the new arrival spec of each of its groups, in order. */
export function trafficArrivalSpecs(baseRates: ReadonlyMap<string, number>, timeline: readonly TimelineStep[]): Map<number, ArrivalSpec[]> {
  const profiles = new Map<string, TimelinePoint[]>();
  for (const [group, rate] of baseRates) profiles.set(group, [{ atUs: 0, ratePerSecond: rate }]);
  const specs = new Map<number, ArrivalSpec[]>();
  timeline.forEach((step, index) => {
    if (step.action !== "traffic") return;
    specs.set(index, step.params.groups.map((group) => nextSpec(group, baseRates.get(group)!, profiles, step)));
  });
  return specs;
}

function nextSpec(group: string, base: number, profiles: Map<string, TimelinePoint[]>, step: TrafficStep): ArrivalSpec {
  const points = profiles.get(group)!;
  const current = rateAt(points, step.atUs);
  const next = step.params.multiplier !== null ? base * step.params.multiplier : step.params.ratePerSecond!;
  const kept = points.filter((p) => p.atUs <= step.atUs);
  kept.push({ atUs: step.atUs, ratePerSecond: current }, { atUs: step.atUs + step.params.rampUs, ratePerSecond: next });
  profiles.set(group, kept);
  if (step.params.rampUs === 0) return { kind: "poisson", ratePerSecond: next };
  return { kind: "timeline", points: [{ atUs: 0, ratePerSecond: current }, { atUs: step.atUs, ratePerSecond: current }, { atUs: step.atUs + step.params.rampUs, ratePerSecond: next }] };
}

function rateAt(points: readonly TimelinePoint[], atUs: number): number {
  let rate = points[0]!.ratePerSecond;
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    if (p.atUs > atUs) {
      const prev = points[i - 1]!;
      return prev.ratePerSecond + ((p.ratePerSecond - prev.ratePerSecond) * (atUs - prev.atUs)) / (p.atUs - prev.atUs);
    }
    rate = p.ratePerSecond;
  }
  return rate;
}
