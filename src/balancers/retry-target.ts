// Where a retry goes: each proxy has its own rule, so a scenario names the policy (and a proxy preset picks its
// proxy's default). Production code: a real proxy asks the same questions with the same answers.
//
// - "next-upstream" (NGINX, ngx_http_upstream.c `ngx_http_upstream_next`): the next server the balancer picks,
//   passing over *every* peer this request already tried: ngx_http_upstream_get_peer (round_robin.c) skips a peer
//   whose bit is set in the request's `rrp->tried` bitmap, and sets the bit of the peer it picks. Once no untried
//   peer can take the request the pick fails (NGX_BUSY: "no live upstreams", 502), so a request never goes to the
//   same peer twice, except in a single-server upstream (`peers->single` takes peer[0] without reading the bitmap).
//   NGINX caps the tries at the number of servers (ngx_http_upstream_tries) for the same reason. An error on a *cached* keepalive
//   connection gives the try back (`if (u->peer.cached && ft_type == NGX_HTTP_UPSTREAM_FT_ERROR) u->peer.tries++`),
//   so a connection the backend closed under the proxy does not use up `proxy_next_upstream_tries`.
// - "same-server" (HAProxy `retries` without `option redispatch`): the stream stays assigned to its server and
//   reconnects to it (src/backend.c `back_handle_st_cer`, the `SC_ST_ASS` branch). It keeps its connection slot
//   meanwhile: only the redispatch branch of `stream_choose_redispatch` calls `sess_change_server(s, NULL)`, and
//   `assign_server_and_queue` returns at once when `s->srv_conn` is the server. So the retry never waits in the
//   maxconn queue and `timeout queue` never ends it; a server at maxconn takes it on the slot it already holds.
//   After an asynchronous connection error (a refusal) on a connection that was not reused, it first waits the
//   turn-around, MIN(1 s, `timeout connect`), in SC_ST_TAR, slot held (LbNode.waitToReconnect).
// - "redispatch" (HAProxy `option redispatch <interval>`, `back_handle_st_cer`): the stream is unassigned and the
//   balancer picks again, passing over the previous server (`assign_server` hands it to the algorithm as `avoid`),
//   when the server is not running, or when the retry number k (1-based) satisfies k % interval == 0 (interval
//   > 0) or k % (retries + 1 + interval) == 0 (interval < 0; the default -1 is the last retry), or at once when the
//   algorithm is not hash-based and more than one server is active (nothing ties the request to that server).
// - "any" (Envoy without a `retry_host_predicate`): an ordinary new pick, which may land on the same host.
// - "previous-hosts" (Envoy `envoy.retry_host_predicates.previous_hosts`): the pick is repeated up to
//   `host_selection_retry_max_attempts` times (default 1) while it lands on a host already tried (the predicate
//   remembers every attempted host, PreviousHostsPredicate `attempted_hosts_`); after that the last host picked is
//   used.
export type RetryTarget =
  | { readonly kind: "next-upstream" }
  | { readonly kind: "same-server" }
  | { readonly kind: "redispatch"; readonly interval: number }
  | { readonly kind: "any" }
  | { readonly kind: "previous-hosts"; readonly maxAttempts: number };

export const RETRY_TARGETS = ["next-upstream", "same-server", "redispatch", "any", "previous-hosts"] as const;

/** HAProxy `option redispatch`'s default interval: redispatch on the last retry. */
export const HAPROXY_REDISPATCH_INTERVAL = -1;
/** Envoy `host_selection_retry_max_attempts` default. */
export const ENVOY_HOST_SELECTION_MAX_ATTEMPTS = 1;

export interface RedispatchContext {
  /** The retry about to be made, 1-based (HAProxy `s->conn_retries` after its increment). */
  readonly retryNumber: number;
  /** HAProxy `retries`: retries allowed after the first try. */
  readonly maxRetries: number;
  /** The previous server is still running (healthy in the balancer's view). */
  readonly serverUp: boolean;
  /** Servers active in the backend (HAProxy `srv_act`). */
  readonly activeServers: number;
  /** The algorithm hashes the request (HAProxy `BE_LB_KIND_HI`: source, uri, hdr, consistent hashing). */
  readonly hashBased: boolean;
}

/** Whether HAProxy with `option redispatch <interval>` picks a new server for this retry. */
export function haproxyRedispatches(interval: number, ctx: RedispatchContext): boolean {
  if (!ctx.serverUp) return true;
  if (interval > 0 && ctx.retryNumber % interval === 0) return true;
  if (interval < 0) {
    const period = ctx.maxRetries + 1 + interval;
    if (period > 0 && ctx.retryNumber % period === 0) return true;
  }
  return !ctx.hashBased && ctx.activeServers > 1;
}

/**
 * NGINX's next upstream after the pick: true when the balancer could only hand back a peer this request already
 * tried, which NGINX never does (ngx_http_upstream_get_peer skips every `tried` peer and fails with "no live
 * upstreams" when none is left), unless the upstream has a single primary server (`peers->single`). The host
 * then answers with the last try's failure instead of retrying. An untried peer that is full (max_conns) is skipped
 * too, so it ends the same way: NGX_BUSY, 502 in open-source NGINX.
 */
export function everyPeerTried<T>(picked: T, tried: readonly T[], primaryServers: number): boolean {
  return primaryServers > 1 && tried.includes(picked);
}
