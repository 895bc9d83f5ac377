// The factory: a plain spec object in, a LoadBalancer out, with the load metric and picker the algorithm name
// stands for. Each case reads as the Finagle-style combination it is (metric x picker).
import type { Clock, RandomSource } from "../engine/ports.js";
import { BackendPool } from "./backend-pool.js";
import { LoadBalancer } from "./balancer.js";
import { ALGORITHMS, type BalancerSpec, type BaseBalancerSpec } from "./balancer-spec.js";
import { BoundedLoad } from "./bounded-load.js";
import { EwmaMetric } from "./ewma-metric.js";
import { FirstPicker } from "./first.js";
import { IpHashPicker } from "./ip-hash.js";
import { KetamaPicker } from "./ketama-ring.js";
import { LeastLoadPicker } from "./least-load-picker.js";
import { LeastLoadedMetric } from "./least-loaded-metric.js";
import type { LoadMetric } from "./load-metric.js";
import { MaglevPicker } from "./maglev-table.js";
import { ModuloHashPicker } from "./modulo-hash.js";
import { PeakEwmaMetric } from "./peak-ewma-metric.js";
import type { Picker } from "./picker.js";
import { PowerOfChoicesPicker } from "./power-of-choices.js";
import { RandomPicker } from "./random-picker.js";
import { RoundRobinPicker } from "./round-robin.js";
import { SmoothWeightedRoundRobinPicker } from "./smooth-weighted-round-robin.js";
import { StaticWeightedRoundRobinPicker } from "./static-weighted-round-robin.js";
import { StickyPicker } from "./sticky.js";
import type { BackendConfig } from "./types.js";

export interface BalancerDeps {
  /** Monotonic microseconds: the simulator's clock, or process.hrtime in a real proxy. */
  readonly clock: Clock;
  /** Uniform [0, 1): a forked simulation stream, or a crypto-backed source in a real proxy. */
  readonly rng: RandomSource;
  /** Backends to add at once, in id order. */
  readonly backends?: readonly BackendConfig[];
}

interface Parts {
  readonly metric: LoadMetric;
  readonly picker: Picker;
}

const LEAST_LOADED = new LeastLoadedMetric();

export function createBalancer(spec: BalancerSpec, deps: BalancerDeps): LoadBalancer {
  if (!(ALGORITHMS as readonly string[]).includes(spec.algorithm)) {
    throw new Error(`unknown balancer algorithm "${String(spec.algorithm)}"; known: ${ALGORITHMS.join(", ")}`);
  }
  const pool = new BackendPool();
  for (const backend of deps.backends ?? []) pool.add(backend);
  const { metric, picker } = spec.algorithm === "sticky" ? stickyParts(spec, pool, deps) : baseParts(spec, pool, deps);
  return new LoadBalancer(spec.algorithm, pool, metric, picker, deps.clock);
}

function stickyParts(spec: Extract<BalancerSpec, { algorithm: "sticky" }>, pool: BackendPool, deps: BalancerDeps): Parts {
  const base = baseParts(spec.base ?? { algorithm: "round-robin" }, pool, deps);
  const options = { ...(spec.ttlUs !== undefined ? { ttlUs: spec.ttlUs } : {}), ...(spec.maxSessions !== undefined ? { maxSessions: spec.maxSessions } : {}) };
  return { metric: base.metric, picker: new StickyPicker(pool, base.picker, options) };
}

function baseParts(spec: BaseBalancerSpec, pool: BackendPool, deps: BalancerDeps): Parts {
  const { rng } = deps;
  switch (spec.algorithm) {
    case "round-robin":
      return { metric: LEAST_LOADED, picker: new RoundRobinPicker(pool, defined({ initialCounter: spec.initialCounter })) };
    case "weighted-round-robin":
      if (spec.variant !== undefined && spec.variant !== "smooth" && spec.variant !== "static") {
        throw new Error(`unknown weighted-round-robin variant "${String(spec.variant)}"; known: smooth, static`);
      }
      return {
        metric: LEAST_LOADED,
        picker: spec.variant === "static" ? new StaticWeightedRoundRobinPicker(pool, rng) : new SmoothWeightedRoundRobinPicker(pool, defined({ maxFails: spec.maxFails })),
      };
    case "least-connections": {
      // Inactive connections are reported by L4 hosts only (IPVS lc); with none the load is the in-flight count.
      const metric = new LeastLoadedMetric(defined({ countQueued: spec.countQueued, countInactive: true }));
      return { metric, picker: new LeastLoadPicker(pool, metric, defined({ weighted: spec.weighted, variant: spec.variant, maxFails: spec.maxFails })) };
    }
    case "least-response-time": {
      const metric = new EwmaMetric(defined({ smoothing: spec.smoothing, failurePenaltyUs: spec.failurePenaltyUs }));
      return { metric, picker: new LeastLoadPicker(pool, metric, defined({ weighted: spec.weighted })) };
    }
    case "peak-ewma": {
      const metric = new PeakEwmaMetric(defined({ decayTimeUs: spec.decayTimeUs, failurePenaltyUs: spec.failurePenaltyUs }));
      const picker =
        spec.picker === "least"
          ? new LeastLoadPicker(pool, metric)
          : new PowerOfChoicesPicker(pool, metric, rng, defined({ choiceCount: spec.choiceCount, variant: "distinct" as const }));
      return { metric, picker };
    }
    case "random":
      return { metric: LEAST_LOADED, picker: new RandomPicker(pool, rng) };
    case "power-of-two-choices": {
      const metric =
        spec.metric === "peak-ewma"
          ? new PeakEwmaMetric(defined({ decayTimeUs: spec.decayTimeUs, failurePenaltyUs: spec.failurePenaltyUs }))
          : spec.metric === "ewma"
            ? new EwmaMetric(defined({ failurePenaltyUs: spec.failurePenaltyUs }))
            : new LeastLoadedMetric(defined({ countQueued: spec.countQueued }));
      const options = defined({ choiceCount: spec.choiceCount, activeRequestBias: spec.activeRequestBias, variant: spec.variant });
      return { metric, picker: new PowerOfChoicesPicker(pool, metric, rng, options) };
    }
    case "ip-hash":
      return { metric: LEAST_LOADED, picker: new IpHashPicker(pool, defined({ wholeAddress: spec.wholeAddress })) };
    case "consistent-hash":
      return { metric: LEAST_LOADED, picker: consistentHashPicker(spec, pool) };
    case "first":
      return { metric: LEAST_LOADED, picker: new FirstPicker(pool) };
  }
}

function consistentHashPicker(spec: Extract<BaseBalancerSpec, { algorithm: "consistent-hash" }>, pool: BackendPool): Picker {
  const bounded = new BoundedLoad(pool, spec.balanceFactor ?? 0);
  switch (spec.method ?? "ketama") {
    case "ketama":
      return new KetamaPicker(pool, bounded);
    case "maglev":
      return new MaglevPicker(pool, bounded, defined({ tableSize: spec.tableSize }));
    case "modulo":
      if (bounded.enabled) throw new Error("consistent-hash method modulo does not support balanceFactor");
      return new ModuloHashPicker(pool);
    default:
      throw new Error(`unknown consistent-hash method "${String(spec.method)}"; known: ketama, maglev, modulo`);
  }
}

/** Drops undefined fields, so optional options stay absent under exactOptionalPropertyTypes. */
function defined<T extends Record<string, unknown>>(options: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(options)) if (options[key] !== undefined) out[key] = options[key];
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}
