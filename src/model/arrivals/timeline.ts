// A rate that follows a timeline: linear ramps between points, constant after the last. Arrivals are a
// non-homogeneous Poisson process sampled exactly by inverting the integrated rate (Cinlar 1975; Lewis &
// Shedler 1979 section 2): draw a unit exponential E and find the time where the integral of the rate from
// the previous arrival reaches E. On a ramp the integral is quadratic, so each step is closed form; stretches
// at rate 0 hold no mass and are skipped, which thinning could not do without a positive majorant.
import type { RandomSource } from "../../engine/ports.js";
import { US_PER_SECOND } from "../../engine/time.js";
import { ArrivalClock } from "./arrival-clock.js";
import { requireRate, unitExponential, type ArrivalProcess } from "./arrival-process.js";

export interface TimelinePoint {
  atUs: number;
  ratePerSecond: number;
}

export interface TimelineSpec {
  kind: "timeline";
  /**
   * The rate at given times, the first at 0, in non-decreasing time order. Two points at the same time make a
   * step: the later one holds from that time on.
   */
  points: readonly TimelinePoint[];
}

export class TimelineArrivals implements ArrivalProcess {
  private readonly atUs: Float64Array;
  /** Rate per microsecond at each point. */
  private readonly ratePerUs: Float64Array;
  /** The slope of the ramp from point i to point i + 1, per microsecond squared (0 for the last point). */
  private readonly slope: Float64Array;
  private readonly last: number;
  private readonly clock = new ArrivalClock();
  /** The segment that holds the exact time of the previous arrival (only moves forward, like time). */
  private segment = 0;

  constructor(spec: Readonly<Omit<TimelineSpec, "kind">>) {
    const points = spec.points;
    if (points.length === 0) throw new RangeError("a timeline needs at least one point");
    const n = points.length;
    this.atUs = new Float64Array(n);
    this.ratePerUs = new Float64Array(n);
    this.slope = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const point = points[i]!;
      if (!Number.isInteger(point.atUs)) throw new RangeError(`timeline point ${i}: atUs must be a whole number of microseconds, got ${point.atUs}`);
      if (i === 0 && point.atUs !== 0) throw new RangeError(`timeline point 0 must be at 0us, got ${point.atUs}us`);
      if (i > 0 && point.atUs < points[i - 1]!.atUs) throw new RangeError(`timeline point ${i}: atUs must not go back in time (${point.atUs}us < ${points[i - 1]!.atUs}us)`);
      requireRate(`timeline point ${i}: ratePerSecond`, point.ratePerSecond);
      this.atUs[i] = point.atUs;
      this.ratePerUs[i] = point.ratePerSecond / US_PER_SECOND;
    }
    for (let i = 0; i + 1 < n; i++) {
      const width = this.atUs[i + 1]! - this.atUs[i]!;
      this.slope[i] = width > 0 ? (this.ratePerUs[i + 1]! - this.ratePerUs[i]!) / width : 0;
    }
    this.last = n - 1;
  }

  next(nowUs: number, rng: RandomSource): number {
    let timeUs = this.clock.resume(nowUs);
    let segment = this.segment;
    while (segment < this.last && this.atUs[segment + 1]! <= timeUs) segment++;
    let mass = unitExponential(rng);
    // Each pass either arrives or moves one segment on: at most `points` passes.
    for (;;) {
      const rateHere = this.ratePerUs[segment]! + this.slope[segment]! * (timeUs - this.atUs[segment]!);
      if (segment === this.last) {
        this.segment = segment;
        return rateHere > 0 ? this.clock.emit(timeUs + mass / rateHere, nowUs) : Infinity;
      }
      const endUs = this.atUs[segment + 1]!;
      const slope = this.slope[segment]!;
      const widthUs = endUs - timeUs;
      const segmentMass = widthUs * (rateHere + 0.5 * slope * widthUs);
      if (mass < segmentMass) {
        // Solve rateHere d + slope d^2 / 2 = mass for d >= 0, in the form that stays accurate when the slope
        // is 0 or tiny: d = 2 mass / (rateHere + sqrt(rateHere^2 + 2 slope mass)).
        const root = Math.sqrt(Math.max(0, rateHere * rateHere + 2 * slope * mass));
        const gapUs = mass === 0 ? 0 : (2 * mass) / (rateHere + root);
        this.segment = segment;
        return this.clock.emit(timeUs + gapUs, nowUs);
      }
      mass -= segmentMass;
      timeUs = endUs;
      segment++;
    }
  }

  rateAt(timeUs: number): number {
    // The last point at or before timeUs (binary search; reports call this, the hot path does not).
    let lo = 0;
    let hi = this.last;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.atUs[mid]! <= timeUs) lo = mid;
      else hi = mid - 1;
    }
    const perUs = this.ratePerUs[lo]! + this.slope[lo]! * (Math.max(timeUs, 0) - this.atUs[lo]!);
    return perUs * US_PER_SECOND;
  }
}
