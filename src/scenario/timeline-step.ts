// A resolved timeline step: plain data for the model (src/model/timeline.ts) to apply to a World at `atUs`, in the
// shape it reads. Targets are backend names. build.ts adds what needs constructing: BackendConfigs for `add`,
// one fresh arrival process per client group for `traffic`.
import type { ArrivalSource } from "../model/client-config.js";
import type { BackendSpec } from "./schema/backends.js";

export type TimelineStep<Backend = BackendSpec, Arrivals = never> = { atUs: number; targets: string[]; label: string } & (
  | { action: "crash" | "hang" | "recover"; params: Record<string, never> }
  | { action: "slow"; params: { factor: number } }
  /** `rate` is a fraction of requests, 0..1 (Backend.failFast). */
  | { action: "fast-5xx"; params: { rate: number } }
  | { action: "dependency-down" | "dependency-up"; params: { dependency: string } }
  /** Crash now, start again (cold) after `delayUs`. */
  | { action: "restart"; params: { delayUs: number } }
  /** New backends join (World.addBackend); `targets` are their names. */
  | { action: "add"; params: { backends: Backend[] } }
  /** Deregistration (LbTier.deregister) with this delay. */
  | { action: "remove"; params: { delayUs: number } }
  /** A rolling deploy of the targets: `batchSize` at a time, `intervalUs` apart; old ones drain for `drainUs`. */
  | { action: "deploy"; params: { batchSize: number; intervalUs: number; drainUs: number } }
  /** New arrival rates for client groups: `multiplier` x the group's base rate or a new rate, ramped over `rampUs`. */
  | { action: "traffic"; params: { groups: string[]; multiplier: number | null; ratePerSecond: number | null; rampUs: number; arrivals?: Arrivals[] } }
);

/** A step as buildRun returns it: ready objects in `add` and `traffic`. */
export type BuiltTimelineStep<Backend> = TimelineStep<Backend, ArrivalSource>;

export type TimelineAction = TimelineStep["action"];
