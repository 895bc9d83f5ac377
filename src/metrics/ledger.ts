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

// Every counter of both tallies lives in one Float64Array (Ledger.counters): the hot methods, several per
// request, each increment an element at a fixed offset, one load away, instead of following tally -> book ->
// counts. A tally's counters are STRIDE long, the measured tally's after the whole run's.
const REQUESTS_SENT = 0;
const TRIES_SENT = 1;
const ATTEMPTS_SENT = 2;
const BALANCER_RETRIES = 3;
const HEDGES = 4;
const DUPLICATES = 5;
const REQUESTS = 6; // OUTCOME_COUNT counts of user requests' outcomes
const TRIES = REQUESTS + OUTCOME_COUNT; // OUTCOME_COUNT counts of tries' outcomes
const ATTEMPTS = TRIES + OUTCOME_COUNT; // ATTEMPT_OUTCOMES.length counts of attempts' outcomes
const STRIDE = ATTEMPTS + ATTEMPT_OUTCOMES.length;
/** Where the measured tally's counters start. */
const MEASURED = STRIDE;

/** One level's books: how many were sent, and how each one ended (a view of the ledger's counters). */
class Book {
  readonly counts: Float64Array;

  constructor(
    private readonly counters: Float64Array,
    private readonly sentAt: number,
    countsAt: number,
    readonly names: readonly string[],
  ) {
    this.counts = counters.subarray(countsAt, countsAt + names.length);
  }

  get sent(): number {
    return this.counters[this.sentAt]!;
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
  readonly requests: Book;
  readonly tries: Book;
  readonly attempts: Book;

  constructor(private readonly counters: Float64Array, private readonly base: number) {
    this.requests = new Book(counters, base + REQUESTS_SENT, base + REQUESTS, OUTCOMES);
    this.tries = new Book(counters, base + TRIES_SENT, base + TRIES, OUTCOMES);
    this.attempts = new Book(counters, base + ATTEMPTS_SENT, base + ATTEMPTS, ATTEMPT_OUTCOMES);
  }

  /** Attempts the balancer sent beyond a try's first because an earlier one failed. */
  get balancerRetries(): number {
    return this.counters[this.base + BALANCER_RETRIES]!;
  }

  /** Attempts sent alongside one still in flight (hedging). */
  get hedges(): number {
    return this.counters[this.base + HEDGES]!;
  }

  /** Executions of a non-idempotent user request beyond its first (it ran twice: a double charge). */
  get duplicates(): number {
    return this.counters[this.base + DUPLICATES]!;
  }

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
  /** Both tallies' counters (layout above). */
  private readonly counters = new Float64Array(2 * STRIDE);
  /** Every request of the run. */
  readonly all = new Tally(this.counters, 0);
  /** Requests whose user request was first sent after the warm-up: the figures reports show. */
  readonly measured = new Tally(this.counters, MEASURED);

  /** A user request's first try is sent. */
  sendRequest(measured: boolean): void {
    const c = this.counters;
    c[REQUESTS_SENT]!++;
    c[TRIES_SENT]!++;
    if (measured) {
      c[MEASURED + REQUESTS_SENT]!++;
      c[MEASURED + TRIES_SENT]!++;
    }
  }

  /** A client retry is sent: a new try of a user request already counted. */
  sendRetry(measured: boolean): void {
    this.count(TRIES_SENT, measured);
  }

  endTry(outcome: number, measured: boolean): void {
    this.count(TRIES + outcome, measured);
  }

  endRequest(outcome: number, measured: boolean): void {
    this.count(REQUESTS + outcome, measured);
  }

  sendAttempt(measured: boolean): void {
    this.count(ATTEMPTS_SENT, measured);
  }

  endAttempt(attemptOutcome: number, measured: boolean): void {
    this.count(ATTEMPTS + attemptOutcome, measured);
  }

  countBalancerRetry(measured: boolean): void {
    this.count(BALANCER_RETRIES, measured);
  }

  countHedge(measured: boolean): void {
    this.count(HEDGES, measured);
  }

  countDuplicate(measured: boolean): void {
    this.count(DUPLICATES, measured);
  }

  /** Throws unless every level of both tallies balances. Called at the end of every run. */
  assertBalanced(): void {
    const problems = [
      ...this.all.problems().map((p) => `all requests: ${p}`),
      ...this.measured.problems().map((p) => `after the warm-up: ${p}`),
    ];
    if (problems.length > 0) throw new InvariantError(`the ledger does not balance: ${problems.join("; ")}`);
  }

  /** Adds one to the counter at `at` of the whole run's tally, and of the measured tally too when `measured`. */
  private count(at: number, measured: boolean): void {
    this.counters[at]!++;
    if (measured) this.counters[MEASURED + at]!++;
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
