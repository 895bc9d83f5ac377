// One client request through `lbsim proxy`: pick, try, and retry on another backend by the simulated node's own
// rules (src/balancers/retry-policy: NGINX `proxy_next_upstream`, tries, non-idempotent methods, Envoy's retry
// budget), with NGINX's timeouts (`proxy_connect_timeout`, `proxy_read_timeout`), and every try reported to the
// balancer and to passive health. The request body is read in full before the first try (NGINX
// `proxy_request_buffering on`), so a retry can send it again; nothing is retried once bytes reached the client.
import { randomBytes } from "node:crypto";
import http from "node:http";
import { idempotentMethod, listedFailure, retryVerdict, type RetryFlags, type RetryPolicy, type TryFailure } from "../balancers/retry-policy.js";
import type { LoadBalancer } from "../balancers/balancer.js";
import { everyPeerTried } from "../balancers/retry-target.js";
import type { BackendView } from "../balancers/types.js";
import type { Clock } from "../engine/ports.js";
import type { AttemptEnd } from "../health/checker-ports.js";
import type { HealthChecker } from "../health/health-checker.js";
import { endToEndHeaders } from "./hop-by-hop.js";
import type { ProxyBackendConfig } from "./proxy-config.js";

/** NGINX `client_max_body_size` 1m: a larger body gets 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The cookie the proxy sets for sticky sessions (HAProxy `cookie SERVERID insert` sets its own the same way). */
export const SESSION_COOKIE = "lbsim_session";

export interface BackendCounters {
  tries: number;
  ok: number;
  http5xx: number;
  refused: number;
  reset: number;
  timeouts: number;
}

export interface ProxyCounters {
  requests: number;
  responses: { "2xx": number; "3xx": number; "4xx": number; "5xx": number };
  retries: number;
  retriesDenied: { triesExhausted: number; notIdempotent: number; budget: number };
  noBackend: number;
  /** Responses cut because the backend died after the status line was sent. */
  cutMidBody: number;
  clientAborts: number;
}

export interface ForwardSettings {
  readonly policy: RetryPolicy;
  readonly flags: RetryFlags;
  readonly connectTimeoutMs: number;
  readonly readTimeoutMs: number;
  readonly hashOn: "client-address" | "path" | "session";
  readonly sticky: boolean;
}

interface Exchange {
  readonly req: http.IncomingMessage;
  readonly res: http.ServerResponse;
  body: Buffer;
  readonly clientAddress: string;
  readonly idempotent: boolean;
  readonly session: string | undefined;
  tries: number;
  /** Every backend tried so far, passed over by the next pick (NGINX's per-request `tried` bitmap). */
  readonly tried: BackendView[];
  /** The try in flight, to cancel it if the client leaves. */
  cancelTry: (() => void) | null;
  settled: boolean;
}

export class Forwarder {
  active = 0;
  private activeRetries = 0;
  // Nagle off on the upstream sockets (net.connect `noDelay`, as HAProxy and NGINX set TCP_NODELAY): with it on, a
  // request written in two segments on a kept-alive connection waits for the backend's delayed ACK, 40 to 200 ms.
  private readonly agent = new http.Agent({ keepAlive: true, noDelay: true });
  private readonly indexById = new Map<string, number>();
  readonly backendCounters: BackendCounters[];
  readonly counters: ProxyCounters = {
    requests: 0, responses: { "2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0 }, retries: 0,
    retriesDenied: { triesExhausted: 0, notIdempotent: 0, budget: 0 }, noBackend: 0, cutMidBody: 0, clientAborts: 0,
  };
  /** NGINX `peers->number`: the configured non-backup servers. */
  private readonly primaryServers: number;
  /** Set while shutting down: responses ask clients to close their connections. */
  closing = false;

  constructor(
    private readonly backends: readonly ProxyBackendConfig[],
    private readonly balancer: LoadBalancer,
    private readonly health: HealthChecker,
    private readonly clock: Clock,
    private readonly settings: ForwardSettings,
  ) {
    backends.forEach((b, i) => this.indexById.set(b.name, i));
    this.primaryServers = backends.filter((b) => !b.backup).length;
    this.backendCounters = backends.map(() => ({ tries: 0, ok: 0, http5xx: 0, refused: 0, reset: 0, timeouts: 0 }));
  }

  destroy(): void {
    this.agent.destroy();
  }

  handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.counters.requests++;
    this.active++;
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    let session = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (this.settings.sticky && session === undefined) {
      session = randomBytes(12).toString("hex");
      res.setHeader("set-cookie", `${SESSION_COOKIE}=${session}; Path=/; HttpOnly`);
    }
    const ex: Exchange = {
      req, res, body: Buffer.alloc(0), clientAddress: req.socket.remoteAddress ?? "", idempotent: idempotentMethod(req.method ?? "GET"),
      session, tries: 0, tried: [], cancelTry: null, settled: false,
    };
    res.on("close", () => {
      if (!ex.settled) {
        this.counters.clientAborts++;
        ex.cancelTry?.();
        this.settle(ex);
      }
    });
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => {
      if (ex.settled) return;
      if (tooLarge) return this.reply(ex, 413, "request body too large\n");
      ex.body = Buffer.concat(chunks);
      this.tryOnce(ex);
    });
  }

  private tryOnce(ex: Exchange): void {
    const body = ex.body;
    const req = ex.req;
    const url = req.url ?? "/";
    const hashOn = this.settings.hashOn;
    const hashKey = hashOn === "path" ? url : hashOn === "session" && ex.session !== undefined ? ex.session : ex.clientAddress;
    const picked = this.balancer.pick({
      clientAddress: ex.clientAddress, hashKey, method: req.method ?? "GET", avoid: ex.tried.length === 0 ? undefined : ex.tried,
      ...(ex.session !== undefined ? { sessionCookie: ex.session } : {}),
    });
    if (picked.backend === null) {
      this.counters.noBackend++;
      return this.reply(ex, 503, `no backend available: ${picked.reason}\n`);
    }
    const view = picked.backend;
    // NGINX's next upstream never goes back to a peer it tried: with none untried left it answers 502 "no live
    // upstreams" (ngx_http_upstream_get_peer, NGX_BUSY), unless the upstream has a single server.
    if (ex.tries > 0 && everyPeerTried(view, ex.tried, this.primaryServers)) {
      this.counters.noBackend++;
      return this.reply(ex, 502, "bad gateway: no live upstreams (every backend tried)\n");
    }
    const index = this.indexById.get(view.id)!;
    const target = this.backends[index]!;
    const retry = ex.tries > 0;
    ex.tries++;
    if (!ex.tried.includes(view)) ex.tried.push(view);
    if (retry) {
      this.counters.retries++;
      this.activeRetries++;
    }
    this.backendCounters[index]!.tries++;
    this.health.onSelect(index);
    this.balancer.onRequestStart(view);
    const startUs = this.clock.nowUs();
    let ttfbUs: number | undefined;
    let ended = false;
    let connectTimer: NodeJS.Timeout | undefined;
    let sent = false;
    let responded = false;
    const endTry = (end: AttemptEnd, status?: number) => {
      if (ended) return;
      ended = true;
      if (connectTimer) clearTimeout(connectTimer);
      ex.cancelTry = null;
      if (retry) this.activeRetries--;
      const counters = this.backendCounters[index]!;
      if (end === "ok") counters.ok++;
      else if (end === "error" || end === "shed") counters.http5xx++;
      else if (end === "refused") counters.refused++;
      else if (end === "reset") counters.reset++;
      else if (end === "timeout") counters.timeouts++;
      const latencyUs = this.clock.nowUs() - startUs;
      this.balancer.onRequestEnd(view, { latencyUs, success: end === "ok" || end === "cancelled", ...(ttfbUs !== undefined ? { ttfbUs } : {}) });
      const unsuccessful = end === "ok" || end === "cancelled" ? false : listedFailure(this.settings.flags, end);
      this.health.onAttemptEnd(index, end, false, unsuccessful, status);
    };
    /** A try failed before anything reached the client: retry if the rules allow, else answer for it. */
    const failed = (failure: TryFailure, status?: number) => {
      endTry(failure, status);
      if (ex.settled) return;
      if (this.mayRetry(ex, failure, failure !== "refused" && sent)) return this.tryOnce(ex);
      if (failure === "timeout") return this.reply(ex, 504, "upstream timed out\n");
      this.reply(ex, 502, `bad gateway: ${failure === "refused" ? "connection failed" : "connection reset"}\n`);
    };

    const headers = endToEndHeaders(req.headers);
    const forwardedFor = req.headers["x-forwarded-for"];
    headers["x-forwarded-for"] = forwardedFor ? `${String(forwardedFor)}, ${ex.clientAddress}` : ex.clientAddress;
    headers["content-length"] = String(body.length);
    const upstream = http.request({ host: target.host, port: target.port, method: req.method, path: url, agent: this.agent, headers });
    ex.cancelTry = () => {
      upstream.destroy();
      endTry("cancelled");
    };
    upstream.on("socket", (socket) => {
      if (!socket.connecting) return;
      // NGINX `proxy_connect_timeout` / HAProxy `timeout connect`: no handshake in time is a failed connect.
      connectTimer = setTimeout(() => upstream.destroy(new ConnectTimeout()), this.settings.connectTimeoutMs);
      socket.once("connect", () => clearTimeout(connectTimer));
    });
    // NGINX `proxy_read_timeout`: the longest wait between two reads from the backend.
    upstream.setTimeout(this.settings.readTimeoutMs, () => upstream.destroy(new ReadTimeout()));
    upstream.on("error", (error: NodeJS.ErrnoException) => {
      if (ended || responded) return; // after the status line, the answer's close handler decides
      if (error instanceof ReadTimeout) return failed("timeout");
      if (error instanceof ConnectTimeout || error.code === "ECONNREFUSED" || !sent) return failed("refused");
      failed("reset");
    });
    upstream.on("finish", () => (sent = true));
    upstream.on("response", (answer) => {
      responded = true;
      ttfbUs = this.clock.nowUs() - startUs;
      const status = answer.statusCode ?? 502;
      if (status >= 500 && !ex.settled) {
        const failure: TryFailure = status === 503 ? "shed" : "error";
        if (this.mayRetry(ex, failure, true)) {
          answer.resume();
          endTry(failure, status);
          return this.tryOnce(ex);
        }
      }
      if (ex.settled) {
        answer.resume();
        return;
      }
      const out = endToEndHeaders(answer.headers);
      if (this.closing) out.connection = "close";
      ex.res.writeHead(status, out);
      answer.pipe(ex.res, { end: false });
      answer.on("close", () => {
        if (answer.complete) {
          endTry(status >= 500 ? (status === 503 ? "shed" : "error") : "ok", status);
          this.count(status);
          ex.res.end();
          this.settle(ex);
          return;
        }
        // The backend died mid-body: end the client's response at once (NGINX closes the client connection).
        endTry("reset", status);
        this.counters.cutMidBody++;
        this.settle(ex);
        ex.res.destroy();
      });
    });
    upstream.end(body);
  }

  /** The same rules as the simulated node (retry-policy.ts). */
  private mayRetry(ex: Exchange, failure: TryFailure, sent: boolean): boolean {
    const verdict = retryVerdict(this.settings.policy, {
      listed: listedFailure(this.settings.flags, failure), triesSoFar: ex.tries, sent, idempotent: ex.idempotent,
      activeRetries: this.activeRetries, activeRequests: this.active,
    });
    if (verdict === "tries-exhausted") this.counters.retriesDenied.triesExhausted++;
    else if (verdict === "not-idempotent") this.counters.retriesDenied.notIdempotent++;
    else if (verdict === "budget-exhausted") this.counters.retriesDenied.budget++;
    return verdict === "retry";
  }

  private reply(ex: Exchange, status: number, text: string): void {
    if (ex.settled) return;
    this.count(status);
    const headers: http.OutgoingHttpHeaders = { "content-type": "text/plain" };
    if (this.closing) headers.connection = "close";
    ex.res.writeHead(status, headers).end(text);
    this.settle(ex);
  }

  private count(status: number): void {
    const bucket = status >= 500 ? "5xx" : status >= 400 ? "4xx" : status >= 300 ? "3xx" : "2xx";
    this.counters.responses[bucket]++;
  }

  private settle(ex: Exchange): void {
    if (ex.settled) return;
    ex.settled = true;
    this.active--;
    this.onIdle?.();
  }

  /** Called whenever a request settles (shutdown waits on it). */
  onIdle: (() => void) | null = null;
}

class ConnectTimeout extends Error {}
class ReadTimeout extends Error {}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
