// Where session state lives. "backend": on the server that first handled the session (in its memory), so it is
// lost when that server dies or when the session's requests land elsewhere: the mass logout of the founding
// article's sticky-session trap. "external": in a shared store (Redis), so any backend can serve any session.
//
// Sessions are indexed by client (one current session per user), so memory is bounded by the client count.
import type { Backend } from "./backend.js";

export type SessionMode = "backend" | "external";

export class SessionStore {
  private home = new Int32Array(0);
  private homeEpoch = new Int32Array(0);
  /** Sessions whose state was gone when their next request arrived. */
  lost = 0;

  constructor(readonly mode: SessionMode) {}

  /** A new session for `client` (a login): no home yet. */
  begin(client: number): void {
    this.ensure(client);
    this.home[client] = -1;
  }

  /**
   * Backend `backend` executed a request of the session. Returns false when the session's state was not there
   * (its home died, or the request went elsewhere); the session then moves to this backend, as a re-login would.
   */
  touch(client: number, backend: Backend): boolean {
    if (this.mode === "external") return true;
    this.ensure(client);
    const home = this.home[client]!;
    if (home === backend.index && this.homeEpoch[client] === backend.epoch) return true;
    this.home[client] = backend.index;
    this.homeEpoch[client] = backend.epoch;
    if (home === -1) return true;
    this.lost++;
    return false;
  }

  private ensure(client: number): void {
    if (client < this.home.length) return;
    let capacity = Math.max(64, this.home.length);
    while (capacity <= client) capacity *= 2;
    const home = new Int32Array(capacity).fill(-1);
    home.set(this.home);
    const epoch = new Int32Array(capacity);
    epoch.set(this.homeEpoch);
    this.home = home;
    this.homeEpoch = epoch;
  }
}
