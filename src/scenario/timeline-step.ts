// A resolved timeline step: plain data for the lab to apply to a World at `atUs`. Targets are backend names.
// `deploy` has already been expanded into `restart` steps (one per batch); `traffic` has already been folded
// into the client groups' arrival processes by build.ts (the step stays for markers and charts).
import type { BackendSpec } from "./schema/backends.js";

export type TimelineStep<Backend = BackendSpec> = { atUs: number; targets: string[]; label: string } & (
  | { action: "crash" | "hang" | "recover"; params: Record<string, never> }
  | { action: "slow"; params: { factor: number } }
  /** `rate` is a fraction of requests, 0..1 (Backend.failFast). */
  | { action: "fast-5xx"; params: { rate: number } }
  | { action: "dependency-down" | "dependency-up"; params: { name: string } }
  /** Crash now, start again (cold) after `delayUs`. */
  | { action: "restart"; params: { delayUs: number } }
  /** New backends join (World.addBackend); `targets` are their names. */
  | { action: "add"; params: { backends: Backend[] } }
  /** Deregistration (LbTier.deregister) with this delay. */
  | { action: "remove"; params: { delayUs: number } }
  /** Already applied to the arrival processes of `groups`; nothing to do at run time. */
  | { action: "traffic"; params: { groups: string[]; multiplier: number | null; ratePerSecond: number | null; rampUs: number } }
);

export type TimelineAction = TimelineStep["action"];
