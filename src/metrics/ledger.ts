// The request ledger: every request a client sends ends in exactly one outcome, and `sent = sum of outcomes` is
// checked at the end of every run. A run that does not balance fails, naming the seed. Retries, duplicate
// executions of non-idempotent requests and hedges are counted beside the outcomes (they are not outcomes:
// one client request may cause several upstream attempts but ends once).
import { InvariantError } from "../engine/invariant.js";

/** Outcomes in a fixed order: index 0 is success, the rest are named loss causes. */
export const OUTCOMES = [
  "ok",
  "no-healthy-upstream", // the balancer had no eligible backend (NGINX "no live upstreams", Envoy "no healthy upstream")
  "connection-refused", // the backend's port was closed (crashed) or its accept backlog was full
  "reset-mid-flight", // the connection died while the request was in flight and it could not be retried
  "upstream-timeout", // the balancer gave up waiting for the backend (504)
  "client-timeout", // the client gave up before any answer
  "queue-full", // shed by a full queue (backend application queue, or a balancer queue past maxqueue)
  "queue-timeout", // waited in the balancer's queue past `timeout queue` (HAProxy: 503)
  "rate-limited", // refused by a rate limiter (429)
  "backend-error", // the backend answered with a 5xx
  "session-lost", // the session lived on a backend that died, so the request cannot be served as it was
  "retries-exhausted", // every allowed attempt failed
  "nat-ports-exhausted", // the client's NAT gateway had no free source port for a new connection
  "unfinished", // still in flight when the run reached its horizon
] as const;

export type Outcome = (typeof OUTCOMES)[number];
export const OUTCOME_COUNT = OUTCOMES.length;

/** Outcome name -> index, for the hot path (record by index, not by string). */
export const OUTCOME: { readonly [K in Outcome]: number } = Object.fromEntries(
  OUTCOMES.map((name, index) => [name, index]),
) as { [K in Outcome]: number };

export interface LedgerSummary {
  sent: number;
  ok: number;
  lost: number;
  outcomes: Record<Outcome, number>;
  retries: number;
  clientRetries: number;
  duplicates: number;
  hedges: number;
}

export class Ledger {
  sent = 0;
  readonly counts = new Float64Array(OUTCOME_COUNT);
  /** Upstream attempts beyond the first, made by a balancer for one client request. */
  retries = 0;
  /** Client-side retries: new client requests sent because an earlier one failed (each is also `sent`). */
  clientRetries = 0;
  /** Executions of a non-idempotent request beyond its first (it ran twice: a double charge). */
  duplicates = 0;
  hedges = 0;

  recordSent(): void {
    this.sent++;
  }

  record(outcome: number): void {
    this.counts[outcome]!++;
  }

  get settled(): number {
    let total = 0;
    for (const count of this.counts) total += count;
    return total;
  }

  /** Throws unless every sent request has exactly one outcome. Called at the end of every run. */
  assertBalanced(): void {
    const settled = this.settled;
    if (settled !== this.sent) {
      const breakdown = OUTCOMES.map((name, i) => `${name}=${this.counts[i]}`).join(", ");
      throw new InvariantError(`the ledger does not balance: sent ${this.sent} but ${settled} settled (${breakdown})`);
    }
  }

  summary(): LedgerSummary {
    const outcomes = Object.fromEntries(OUTCOMES.map((name, i) => [name, this.counts[i]!])) as Record<Outcome, number>;
    return {
      sent: this.sent,
      ok: outcomes.ok,
      lost: this.sent - outcomes.ok - outcomes.unfinished,
      outcomes,
      retries: this.retries,
      clientRetries: this.clientRetries,
      duplicates: this.duplicates,
      hedges: this.hedges,
    };
  }
}
