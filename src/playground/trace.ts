// A bounded, sampled trace of a run for the playground's animation: which requests to draw, from which client
// group, to which backend, when they started and ended, and how. The numbers on the page come from the full run;
// the trace only draws it. Sampling is systematic and deterministic: every k-th user request is kept, and when
// the trace is full, k doubles and every other kept request is dropped, so what is kept stays spread evenly over
// the run, whatever its length, in at most MAX_TRACE requests.
import { OUTCOMES } from "../metrics/ledger.js";
import type { World } from "../model/world.js";

export const MAX_TRACE = 4_000;

export interface TracedRequest {
  startMs: number;
  endMs: number;
  group: number;
  /** Index of the backend that answered or was last tried; -1 when none was (refused at the front). */
  backend: number;
  outcome: string;
}

export interface RunTrace {
  variant: string;
  groups: string[];
  backends: string[];
  /** Keep every `stride`-th request: the sampling rate, for the caption ("1 dot = 8 requests"). */
  stride: number;
  /** User requests that ended in the run, warm-up included: the trace keeps ceil(ended / stride) of them. */
  ended: number;
  requests: TracedRequest[];
}

export function attachTrace(variant: string, world: World): RunTrace {
  const trace: RunTrace = { variant, groups: world.clients.groupNames(), backends: [], stride: 1, ended: 0, requests: [] };
  world.settleListeners.push({
    onRequestEnded(request, outcome, latencyUs, backend) {
      if (trace.ended++ % trace.stride !== 0) return;
      const endMs = world.now / 1000;
      trace.requests.push({ startMs: endMs - latencyUs / 1000, endMs, group: world.requests.group[request]!, backend, outcome: OUTCOMES[outcome] ?? "unknown" });
      if (trace.requests.length >= MAX_TRACE) {
        trace.stride *= 2;
        trace.requests = trace.requests.filter((_, i) => i % 2 === 0);
      }
    },
  });
  return trace;
}

/** Backend names in index order, read once the run has added every backend it will add. */
export function backendNames(world: World): string[] {
  return world.backends.map((b) => b.config.name);
}
