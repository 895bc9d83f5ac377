// Idle upstream connections one node keeps per backend (NGINX `keepalive N`), most recently used first, as
// NGINX's keepalive cache reuses them. Reusing one skips the TCP handshake, but if the backend's idle timeout is
// shorter than the node's, the backend may be closing the very connection the node picks: the request arrives
// to a reset. This is the timeout-mismatch race behind "silent" 502s (e.g. Node.js keepAliveTimeout 5 s behind
// an ALB idle timeout of 60 s).

/**
 * The most idle connections one node may keep to one backend: each is a TCP connection between the same two
 * addresses, so each needs its own source port, and there are 65,535 of those. (The pool is a typed array of
 * this length, allocated up front.)
 */
export const MAX_IDLE_PER_BACKEND = 65_535;

export const CONNECTION = { fresh: 0, reused: 1, race: 2 } as const;

export class KeepalivePool {
  private readonly lastUsedUs: Float64Array;
  private count = 0;

  constructor(readonly maxIdle: number) {
    this.lastUsedUs = new Float64Array(Math.max(0, maxIdle));
  }

  get idle(): number {
    return this.count;
  }

  /**
   * Takes a connection for a request sent now. The backend closed an idle connection `backendIdleUs` after it
   * last answered, one hop before the node saw that answer; its FIN reaches the node `backendIdleUs` after the
   * node's last use. So with age = now - last use: age >= backendIdleUs, the node knows it is closed (dropped);
   * backendIdleUs - 2 hops < age < backendIdleUs, the request crosses the FIN (race); otherwise it is reused.
   */
  take(nowUs: number, backendIdleUs: number, nodeIdleUs: number, hopUs: number): number {
    while (this.count > 0) {
      const age = nowUs - this.lastUsedUs[--this.count]!;
      if (age >= nodeIdleUs || age >= backendIdleUs) {
        this.count = 0; // older connections are idle longer still: all closed
        break;
      }
      return age > backendIdleUs - 2 * hopUs ? CONNECTION.race : CONNECTION.reused;
    }
    return CONNECTION.fresh;
  }

  /** A connection that served a request cleanly goes back to the pool (or is closed if the pool is full). */
  release(nowUs: number): void {
    if (this.count < this.maxIdle) this.lastUsedUs[this.count++] = nowUs;
  }
}
