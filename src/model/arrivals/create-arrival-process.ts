// Builds an arrival process from a plain spec: the form scenario files take once the schema has validated them
// (the schema, not this file, holds any defaults). Call it once per client: processes keep per-stream state.
import { BurstyArrivals, type BurstySpec } from "./bursty.js";
import { ConstantArrivals, type ConstantSpec } from "./constant.js";
import { DiurnalArrivals, type DiurnalSpec } from "./diurnal.js";
import type { ArrivalProcess } from "./arrival-process.js";
import { PoissonArrivals, type PoissonSpec } from "./poisson.js";
import { RenewalArrivals, type RenewalSpec } from "./renewal.js";
import { TimelineArrivals, type TimelineSpec } from "./timeline.js";

export type ArrivalSpec = PoissonSpec | ConstantSpec | BurstySpec | TimelineSpec | DiurnalSpec | RenewalSpec;

export function createArrivalProcess(spec: ArrivalSpec): ArrivalProcess {
  switch (spec.kind) {
    case "poisson":
      return new PoissonArrivals(spec.ratePerSecond);
    case "constant":
      return new ConstantArrivals(spec.ratePerSecond);
    case "bursty":
      return new BurstyArrivals(spec);
    case "timeline":
      return new TimelineArrivals(spec);
    case "diurnal":
      return new DiurnalArrivals(spec);
    case "renewal":
      return new RenewalArrivals(spec);
  }
}
