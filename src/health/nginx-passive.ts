// NGINX passive health (`max_fails`/`fail_timeout`), modelled on ngx_http_upstream_round_robin.c rather than on the
// one-line summary, because the real counting window is subtle: a failure sets `accessed` and `checked` to now; the
// peer is skipped while fails >= max_fails and now - checked <= fail_timeout; choosing a peer whose `checked` is older
// than fail_timeout sets `checked` to now; a success resets `fails` only when accessed < checked, i.e. only once a
// request has gone to it after fail_timeout passed since its last failure. With a single server in the upstream
// (`peers->single`) NGINX skips all of this: the server is never marked unavailable and failures are not counted.
// Note: NGINX keeps this state per worker unless the upstream has a shared `zone`; one state here is one worker's view.
import type { TimeUs } from "../engine/time.js";

export interface NginxPassiveConfig {
  readonly kind: "nginx";
  /** `max_fails` (default 1); 0 disables marking the server unavailable. */
  readonly maxFails: number;
  /** `fail_timeout` (default 10 s): the counting window and the time out of rotation. */
  readonly failTimeoutUs: TimeUs;
  /** The upstream has exactly one server: `max_fails`/`fail_timeout` are ignored. */
  readonly singleServer: boolean;
}

export interface NginxPassiveState {
  readonly fails: number;
  /** Time of the last failure (`peer->accessed`). */
  readonly accessedUs: TimeUs;
  /** Start of the current window (`peer->checked`). */
  readonly checkedUs: TimeUs;
}

export const NGINX_PASSIVE_INITIAL: NginxPassiveState = Object.freeze({ fails: 0, accessedUs: 0, checkedUs: 0 });

/** May the balancer choose this server now? (The skip test in `ngx_http_upstream_get_peer`.) */
export function nginxPassiveAvailable(state: NginxPassiveState, config: NginxPassiveConfig, nowUs: TimeUs): boolean {
  if (config.singleServer || config.maxFails === 0) return true;
  return !(state.fails >= config.maxFails && nowUs - state.checkedUs <= config.failTimeoutUs);
}

/** The balancer chose this server for a request: opens a new window once the old one has expired. */
export function nginxPassiveOnSelect(state: NginxPassiveState, config: NginxPassiveConfig, nowUs: TimeUs): NginxPassiveState {
  if (config.singleServer || nowUs - state.checkedUs <= config.failTimeoutUs) return state;
  return { fails: state.fails, accessedUs: state.accessedUs, checkedUs: nowUs };
}

/** A request to this server failed (`error`, `timeout`, `invalid_header`, or a `proxy_next_upstream` status). */
export function nginxPassiveOnFailure(state: NginxPassiveState, config: NginxPassiveConfig, nowUs: TimeUs): NginxPassiveState {
  if (config.singleServer) return state;
  return { fails: state.fails + 1, accessedUs: nowUs, checkedUs: nowUs };
}

/** A request to this server succeeded ("mark peer live if check passed"). */
export function nginxPassiveOnSuccess(state: NginxPassiveState, config: NginxPassiveConfig): NginxPassiveState {
  if (config.singleServer || state.fails === 0 || !(state.accessedUs < state.checkedUs)) return state;
  return { fails: 0, accessedUs: state.accessedUs, checkedUs: state.checkedUs };
}

/** When an unavailable server becomes choosable again, or null if it is available now. */
export function nginxPassiveAvailableAtUs(state: NginxPassiveState, config: NginxPassiveConfig, nowUs: TimeUs): TimeUs | null {
  if (nginxPassiveAvailable(state, config, nowUs)) return null;
  return state.checkedUs + config.failTimeoutUs + 1;
}
