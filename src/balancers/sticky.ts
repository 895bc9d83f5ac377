// Cookie affinity over any base algorithm (HAProxy `cookie SERVERID insert` / `stick on`, NGINX Plus `sticky`).
// A request with a session cookie goes to the backend the session is bound to, if that backend can take it. If
// the backend left the pool or is down, draining or weighted to zero, the session is rebound through the base
// algorithm and counted in `sessionsRebound`: those are the sessions a user would see lost (a logged-out cart).
// If the bound backend is only full, this request overflows to the base pick but the binding stays (HAProxy
// `option redispatch` for a saturated server), counted in `sessionsOverflowed`. Requests without a cookie go to
// the base algorithm and bind nothing.
import type { TimeUs } from "../engine/time.js";
import type { BackendState } from "./backend-state.js";
import { isAvailable } from "./backend-state.js";
import type { BackendPool } from "./backend-pool.js";
import type { Picker } from "./picker.js";
import { SessionTable } from "./session-table.js";
import type { RequestContext, RequestOutcome } from "./types.js";

export interface StickyOptions {
  /** Idle time after which a session's binding is forgotten. Default 30 min (HAProxy stick-table `expire 30m`). */
  readonly ttlUs?: TimeUs;
  /** Bound on the session table; the least recently used session is evicted past it. Default 100000. */
  readonly maxSessions?: number;
}

// A type alias, not an interface, so it satisfies Picker.stats' Record<string, number>.
export type StickyStats = {
  /** Sessions bound for the first time (or again after expiry or eviction). */
  readonly sessionsCreated: number;
  /** Sessions whose backend left or became unavailable, so they were rebound elsewhere (lost sessions). */
  readonly sessionsRebound: number;
  /** Requests sent elsewhere because the bound backend was full; the binding was kept. */
  readonly sessionsOverflowed: number;
  /** Bindings forgotten after the idle TTL. */
  readonly sessionsExpired: number;
  /** Live bindings dropped because the table was full. */
  readonly sessionsEvicted: number;
  /** Bindings held now. */
  readonly sessions: number;
};

export class StickyPicker implements Picker {
  private readonly table: SessionTable;
  private created = 0;
  private rebound = 0;
  private overflowed = 0;

  constructor(
    private readonly pool: BackendPool,
    private readonly base: Picker,
    options: StickyOptions = {},
  ) {
    this.table = new SessionTable(options.ttlUs ?? 30 * 60 * 1_000_000, options.maxSessions ?? 100_000);
  }

  pick(ctx: RequestContext, nowUs: TimeUs): BackendState | null {
    const session = ctx.sessionCookie;
    if (session === undefined) return this.base.pick(ctx, nowUs);
    // Refresh the pool's active flags before reading them (a health change since the last pick may be pending).
    this.pool.active();
    const entry = this.table.lookup(session, nowUs);
    if (entry !== undefined) {
      const bound = this.pool.get(entry.backendId);
      if (bound !== undefined && isAvailable(bound)) {
        this.table.touch(session, entry, nowUs);
        return bound;
      }
      if (bound !== undefined && bound.active) {
        this.overflowed++;
        return this.base.pick(ctx, nowUs);
      }
    }
    const picked = this.base.pick(ctx, nowUs);
    if (picked === null) return null;
    if (entry !== undefined) this.rebound++;
    else this.created++;
    this.table.bind(session, picked.id, nowUs);
    return picked;
  }

  // The base picker keeps its own order (HAProxy's leastconn tree, NGINX's failure weights) whoever picked.
  onStart(b: BackendState, nowUs: TimeUs): void {
    this.base.onStart?.(b, nowUs);
  }

  onEnd(b: BackendState, outcome: RequestOutcome, nowUs: TimeUs): void {
    this.base.onEnd?.(b, outcome, nowUs);
  }

  onChange(b: BackendState, nowUs: TimeUs): void {
    this.base.onChange?.(b, nowUs);
  }

  stats(): StickyStats {
    return {
      sessionsCreated: this.created,
      sessionsRebound: this.rebound,
      sessionsOverflowed: this.overflowed,
      sessionsExpired: this.table.expired,
      sessionsEvicted: this.table.evicted,
      sessions: this.table.size,
    };
  }
}
