// The request ledger, in two levels, so that every number a person reads means one thing.
//
// - A **user request** is what a person or a calling service asked for. It ends in exactly one outcome, after all
//   of its client's retries: the outcome of its last try, or `unfinished` when the run's horizon came first (a
//   try still in flight, or a retry still waiting out its backoff). `sent`, `ok`, `lost`, `lostFraction` and the
//   latency percentiles are about user requests.
// - A **try** is one send by the client: the first, and each client retry (AWS SDK, gRPC retry policy). Each try
//   ends in exactly one outcome too.
// - An **attempt** is one request sent upstream by the front door for a try: the first, each balancer retry
//   (NGINX `proxy_next_upstream`, HAProxy `retries`) and each hedge. It ends in one attempt outcome: the backend's
//   answer, `upstream-timeout` (the balancer stopped waiting), `cancelled` (it lost a hedge race) or `unfinished`.
//
// Each level balances on its own: `sent = sum of outcomes`, checked at the end of every run, with cross-checks
// between levels (a successful try always ends its user request; a try needs an attempt to succeed). The ledger
// keeps two tallies: every request of the run (so a leak during the warm-up is caught too) and the requests
// whose user request was first sent after the warm-up (the figures people read). Both must balance.
import { InvariantError } from "../engine/invariant.js";

/** Outcomes of user requests and tries, in a fixed order: index 0 is success, the rest are named loss causes. */
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
  "retries-exhausted", // every attempt the balancer allowed failed
  "nat-ports-exhausted", // the client's NAT gateway had no free source port for a new connection
  "unfinished", // still in flight (or waiting to retry) when the run reached its horizon
] as const;

export type Outcome = (typeof OUTCOMES)[number];
export const OUTCOME_COUNT = OUTCOMES.length;

/** Outcome name -> index, for the hot path (record by index, not by string). */
export const OUTCOME: { readonly [K in Outcome]: number } = Object.fromEntries(
  OUTCOMES.map((name, index) => [name, index]),
) as { [K in Outcome]: number };

/** How one upstream attempt ended, as the front door that sent it saw it. */
export const ATTEMPT_OUTCOMES = [
  "ok", // the backend answered 2xx
  "backend-error", // the backend answered 5xx
  "connection-refused", // no connection: port closed, backlog full, or the SYN went unanswered until the connect timeout
  "reset-mid-flight", // the connection died after the request was sent
  "queue-full", // the backend's application queue was full (503 before any work)
  "upstream-timeout", // the front door stopped waiting (the backend may still do the work)
  "cancelled", // another attempt of the same try (a hedge, or the try it hedged) answered first
  "unfinished", // still in flight at the horizon
] as const;

export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];
export const ATTEMPT_OUTCOME: { readonly [K in AttemptOutcome]: number } = Object.fromEntries(
  ATTEMPT_OUTCOMES.map((name, index) => [name, index]),
) as { [K in AttemptOutcome]: number };

/** One level's books: how many were sent, and how each one ended. */
class Book {
  sent = 0;
  readonly counts: Float64Array;

  constructor(readonly names: readonly string[]) {
    this.counts = new Float64Array(names.length);
  }

  get settled(): number {
    let total = 0;
    for (const count of this.counts) total += count;
    return total;
  }

  count(name: string): number {
    return this.counts[this.names.indexOf(name)]!;
  }

  /** "sent 10 but 9 settled (ok=9, ...)", or null when the book balances. */
  imbalance(level: string): string | null {
    const settled = this.settled;
    if (settled === this.sent) return null;
    const breakdown = this.names.map((name, i) => `${name}=${this.counts[i]}`).join(", ");
    return `${level}: sent ${this.sent} but ${settled} settled (${breakdown})`;
  }
}

/** Every level's books for one set of requests (the whole run, or what was sent after the warm-up). */
class Tally {
  readonly requests = new Book(OUTCOMES);
  readonly tries = new Book(OUTCOMES);
  readonly attempts = new Book(ATTEMPT_OUTCOMES);
  /** Attempts the balancer sent beyond a try's first because an earlier one failed. */
  balancerRetries = 0;
  /** Attempts sent alongside one still in flight (hedging). */
  hedges = 0;
  /** Executions of a non-idempotent user request beyond its first (it ran twice: a double charge). */
  duplicates = 0;

  problems(): string[] {
    const problems: string[] = [];
    for (const [level, book] of [["user requests", this.requests], ["tries", this.tries], ["attempts", this.attempts]] as const) {
      const imbalance = book.imbalance(level);
      if (imbalance) problems.push(imbalance);
    }
    const ok = OUTCOME.ok;
    // A successful try always ends its user request, and a user request succeeds only through a successful try.
    if (this.requests.counts[ok] !== this.tries.counts[ok]) {
      problems.push(`${this.requests.counts[ok]} user requests ok but ${this.tries.counts[ok]} tries ok`);
    }
    // Every user request is at least one try; a try succeeds only if one of its attempts did.
    if (this.tries.sent < this.requests.sent) problems.push(`${this.tries.sent} tries for ${this.requests.sent} user requests`);
    if (this.attempts.counts[ATTEMPT_OUTCOME.ok]! < this.tries.counts[ok]!) {
      problems.push(`${this.tries.counts[ok]} tries ok but only ${this.attempts.counts[ATTEMPT_OUTCOME.ok]} attempts ok`);
    }
    return problems;
  }
}

export interface OutcomeCounts<O extends string> {
  sent: number;
  ok: number;
  /** sent - ok - unfinished: every named loss cause. */
  failed: number;
  outcomes: Record<O, number>;
}

export interface LedgerSummary {
  /** User requests: each ends once, after all of its client's retries. */
  requests: OutcomeCounts<Outcome>;
  /** Client sends: the first try of each user request and every client retry (`retries` = sent - user requests). */
  tries: OutcomeCounts<Outcome> & { retries: number };
  /** Upstream attempts: each try's first, balancer retries and hedges; `duplicates` are repeated executions of a non-idempotent request. */
  attempts: OutcomeCounts<AttemptOutcome> & { retries: number; hedges: number; duplicates: number };
}

export class Ledger {
  /** Every request of the run. */
  readonly all = new Tally();
  /** Requests whose user request was first sent after the warm-up: the figures reports show. */
  readonly measured = new Tally();

  /** A user request's first try is sent. */
  sendRequest(measured: boolean): void {
    this.all.requests.sent++;
    this.all.tries.sent++;
    if (measured) {
      this.measured.requests.sent++;
      this.measured.tries.sent++;
    }
  }

  /** A client retry is sent: a new try of a user request already counted. */
  sendRetry(measured: boolean): void {
    this.all.tries.sent++;
    if (measured) this.measured.tries.sent++;
  }

  endTry(outcome: number, measured: boolean): void {
    this.all.tries.counts[outcome]!++;
    if (measured) this.measured.tries.counts[outcome]!++;
  }

  endRequest(outcome: number, measured: boolean): void {
    this.all.requests.counts[outcome]!++;
    if (measured) this.measured.requests.counts[outcome]!++;
  }

  sendAttempt(measured: boolean): void {
    this.all.attempts.sent++;
    if (measured) this.measured.attempts.sent++;
  }

  endAttempt(attemptOutcome: number, measured: boolean): void {
    this.all.attempts.counts[attemptOutcome]!++;
    if (measured) this.measured.attempts.counts[attemptOutcome]!++;
  }

  countBalancerRetry(measured: boolean): void {
    this.all.balancerRetries++;
    if (measured) this.measured.balancerRetries++;
  }

  countHedge(measured: boolean): void {
    this.all.hedges++;
    if (measured) this.measured.hedges++;
  }

  countDuplicate(measured: boolean): void {
    this.all.duplicates++;
    if (measured) this.measured.duplicates++;
  }

  /** Throws unless every level of both tallies balances. Called at the end of every run. */
  assertBalanced(): void {
    const problems = [
      ...this.all.problems().map((p) => `all requests: ${p}`),
      ...this.measured.problems().map((p) => `after the warm-up: ${p}`),
    ];
    if (problems.length > 0) throw new InvariantError(`the ledger does not balance: ${problems.join("; ")}`);
  }

  /** The measured tally (what people read); `all` for the whole run including the warm-up. */
  summary(which: "measured" | "all" = "measured"): LedgerSummary {
    const tally = which === "all" ? this.all : this.measured;
    const requests = counts<Outcome>(tally.requests);
    const tries = counts<Outcome>(tally.tries);
    const attempts = counts<AttemptOutcome>(tally.attempts);
    return {
      requests,
      tries: { ...tries, retries: tries.sent - requests.sent },
      attempts: { ...attempts, retries: tally.balancerRetries, hedges: tally.hedges, duplicates: tally.duplicates },
    };
  }
}

function counts<O extends string>(book: Book): OutcomeCounts<O> {
  const outcomes = Object.fromEntries(book.names.map((name, i) => [name, book.counts[i]!])) as Record<O, number>;
  const ok = book.count("ok");
  return { sent: book.sent, ok, failed: book.sent - ok - book.count("unfinished"), outcomes };
}
