// A picker is the other half of a balancer (Finagle's `Distributor`): given the pool's active backends, choose
// one that may take the request, or null. It never throws and never allocates on the hot path; the balancer turns
// null into a "no backend" value with the pool's reason.
import type { TimeUs } from "../engine/time.js";
import type { BackendState } from "./backend-state.js";
import type { RequestContext, RequestOutcome } from "./types.js";

export interface Picker {
  pick(ctx: RequestContext, nowUs: TimeUs): BackendState | null;
  /** A request was sent to `b` (counted in flight already): pickers that order backends by load implement it. */
  onStart?(b: BackendState, nowUs: TimeUs): void;
  /** A request on `b` ended (NGINX's `peer.free`): pickers that adjust their own state on failure implement it. */
  onEnd?(b: BackendState, outcome: RequestOutcome, nowUs: TimeUs): void;
  /** `b` joined or left the pool, or its health, weight or queued load changed (already applied to the pool). */
  onChange?(b: BackendState, nowUs: TimeUs): void;
  /** Extra numbers for reports (sticky session counters); absent for stateless pickers. */
  stats?(): Readonly<Record<string, number>>;
}

/** The context used when a host calls pick() with none. */
export const EMPTY_CONTEXT: RequestContext = Object.freeze({});
