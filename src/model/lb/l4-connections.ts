// What an L4 balancer counts per backend: connections, not requests. IPVS (the Linux kernel's L4 balancer, the
// `lc`/`wlc` schedulers) sees TCP connections only: an established one is active whether a request is on it or it
// idles between a keepalive client's requests (IP_VS_CONN_F_INACTIVE means "not established"), and a closed one
// stays in its table as inactive until its state times out (ip_vs_proto_tcp.c `tcp_timeouts`: FIN_WAIT and
// TIME_WAIT 2 minutes after a normal close, CLOSE 10 seconds after a reset). The scheduler scores
// `(activeconns << 8) + inactconns` (include/net/ip_vs.h `ip_vs_dest_conn_overhead`).
//
// So the node tells the balancer a connection started when a client's connection opens and ended when it closes
// (for a keepalive client that is its first request and its failure; without keepalive, each request), and
// reports each backend's lingering closed connections before every pick. Not modelled: IPVS's 15-minute
// ESTABLISHED timeout (an idle connection with no packet for 15 minutes leaves the table); lbsim's keepalive
// clients hold their connection for the whole run.
import type { LoadBalancer } from "../../balancers/balancer.js";
import type { BackendView, RequestOutcome } from "../../balancers/types.js";
import { Float64Fifo } from "../../engine/fifo.js";

/** IPVS `tcp_timeouts[IP_VS_TCP_S_TIME_WAIT]` (and FIN_WAIT): a normally closed connection lingers 2 minutes. */
export const IPVS_TIME_WAIT_US = 120_000_000;
/** IPVS `tcp_timeouts[IP_VS_TCP_S_CLOSE]`: a reset connection lingers 10 seconds. */
export const IPVS_CLOSE_US = 10_000_000;

export class L4Connections {
  /** The backend whose count holds each keepalive client's open connection, or -1. */
  private readonly clientBackend: Int32Array;
  /** Per backend, when each closed connection leaves the table: one FIFO per timeout, so each stays in order. */
  private readonly closedNormally: Float64Fifo[] = [];
  private readonly closedByReset: Float64Fifo[] = [];
  private readonly reported: number[] = [];

  constructor(clients: number, private readonly balancer: LoadBalancer) {
    this.clientBackend = new Int32Array(clients).fill(-1);
  }

  addBackend(index: number): void {
    this.closedNormally[index] = new Float64Fifo();
    this.closedByReset[index] = new Float64Fifo();
    this.reported[index] = 0;
  }

  /** The backend a keepalive client's open connection goes to, or -1: a new connection is balanced. */
  openTo(client: number): number {
    return this.clientBackend[client]!;
  }

  /** A try is sent to `backend` over the client's connection: true when that opens a connection (count it). */
  tryStarted(client: number, backend: number, keepsConnection: boolean): boolean {
    if (!keepsConnection) return true; // a connection per request
    if (this.clientBackend[client] === backend) return false; // the open connection carries it
    this.clientBackend[client] = backend;
    return true;
  }

  /**
   * A try ended: a connection without keepalive closes with it; a keepalive connection closes only when the try
   * failed on it (reset, refused). Tells the balancer, and keeps the closed connection as inactive.
   */
  tryEnded(client: number, backend: number, view: BackendView, outcome: RequestOutcome, keepsConnection: boolean, clean: boolean, nowUs: number): void {
    if (keepsConnection) {
      if (clean || this.clientBackend[client] !== backend) return;
      this.clientBackend[client] = -1;
    }
    this.balancer.onRequestEnd(view, outcome);
    if (clean) this.closedNormally[backend]!.push(nowUs + IPVS_TIME_WAIT_US);
    else this.closedByReset[backend]!.push(nowUs + IPVS_CLOSE_US);
  }

  /** Before a pick: closed connections whose state timed out leave the table; the balancer hears the counts. */
  refresh(nowUs: number, views: ReadonlyArray<BackendView | undefined>): void {
    for (let b = 0; b < this.reported.length; b++) {
      const inactive = expire(this.closedNormally[b]!, nowUs) + expire(this.closedByReset[b]!, nowUs);
      const view = views[b];
      if (inactive === this.reported[b] || view === undefined || !view.member) continue;
      this.reported[b] = inactive;
      this.balancer.setInactiveConnections(view.id, inactive);
    }
  }
}

/** Drops the expired heads of an in-order FIFO of expiry times; returns how many remain. */
function expire(fifo: Float64Fifo, nowUs: number): number {
  while (fifo.length > 0 && fifo.peek() <= nowUs) fifo.shift();
  return fifo.length;
}
