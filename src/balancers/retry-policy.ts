// When a failed try may be retried on another backend: NGINX `proxy_next_upstream` (which failures count, tries,
// `non_idempotent`) and Envoy's retry budget. Production code, shared by the simulated node and `lbsim proxy`, so
// both retry by one set of rules.
//
// NGINX ngx_http_upstream_module: `proxy_next_upstream error timeout` by default; "a request with a
// non-idempotent method (POST, LOCK, PATCH) is not passed to the next server" once sent, unless `non_idempotent`;
// `proxy_next_upstream_tries` bounds the tries. Envoy `retry_budget`: retries in progress may not exceed
// max(min_retry_concurrency, budget_percent of active requests).

/** Failures a node may retry on another backend (NGINX `proxy_next_upstream` vocabulary). */
export type RetryCondition = "error" | "timeout" | "http_5xx" | "http_503";

/** How a try failed: a refused connect (nothing sent), a reset after sending, a 5xx, a 503 shed, no answer in time. */
export type TryFailure = "refused" | "reset" | "error" | "shed" | "timeout";

export interface RetryPolicy {
  /** Total tries per request, the first included: NGINX `proxy_next_upstream_tries`, HAProxy `retries` + 1. */
  readonly tries: number;
  readonly on: readonly RetryCondition[];
  /** NGINX `non_idempotent`: also retry a POST after it was sent (risking a duplicate execution). */
  readonly nonIdempotent: boolean;
  /** Envoy retry budget; null for none. */
  readonly budget: { readonly percent: number; readonly minConcurrency: number } | null;
}

export type RetryFlags = Readonly<Record<RetryCondition, boolean>>;

export function retryFlags(on: readonly RetryCondition[]): RetryFlags {
  const flags = { error: false, timeout: false, http_5xx: false, http_503: false };
  for (const condition of on) flags[condition] = true;
  return flags;
}

/**
 * Whether `proxy_next_upstream` lists this failure: refused and reset connections are `error`, a 503 is listed by
 * `http_503` or `http_5xx`, any other 5xx by `http_5xx`. It is also NGINX's "unsuccessful attempt" for `max_fails`.
 */
export function listedFailure(flags: RetryFlags, failure: TryFailure): boolean {
  switch (failure) {
    case "timeout":
      return flags.timeout;
    case "refused":
    case "reset":
      return flags.error;
    case "error":
      return flags.http_5xx;
    case "shed":
      return flags.http_503 || flags.http_5xx;
  }
}

/** A refused connect sent nothing, so retrying it can never run the request twice. */
export const wasSent = (failure: TryFailure): boolean => failure !== "refused";

export type RetryVerdict = "retry" | "not-listed" | "tries-exhausted" | "not-idempotent" | "budget-exhausted";

export interface RetryQuestion {
  readonly listed: boolean;
  /** Tries already made for this request, the failed one included. */
  readonly triesSoFar: number;
  /** Whether the failed try reached the backend (a non-idempotent request must then not be repeated). */
  readonly sent: boolean;
  readonly idempotent: boolean;
  /** Retries in progress and requests active on this proxy, for the budget. */
  readonly activeRetries: number;
  readonly activeRequests: number;
}

/** Whether to retry, checked in NGINX's order, then the budget. */
export function retryVerdict(policy: RetryPolicy, q: RetryQuestion): RetryVerdict {
  if (!q.listed) return "not-listed";
  if (q.triesSoFar >= policy.tries) return "tries-exhausted";
  if (q.sent && !policy.nonIdempotent && !q.idempotent) return "not-idempotent";
  if (policy.budget) {
    const allowed = Math.max(policy.budget.minConcurrency, (policy.budget.percent / 100) * q.activeRequests);
    if (q.activeRetries + 1 > allowed) return "budget-exhausted";
  }
  return "retry";
}

/** RFC 9110 section 9.2.2: GET, HEAD, OPTIONS, TRACE, PUT and DELETE are idempotent. */
export function idempotentMethod(method: string): boolean {
  switch (method.toUpperCase()) {
    case "GET":
    case "HEAD":
    case "OPTIONS":
    case "TRACE":
    case "PUT":
    case "DELETE":
      return true;
    default:
      return false;
  }
}
