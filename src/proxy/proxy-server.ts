// `lbsim proxy`: a real HTTP reverse proxy that runs the simulator's production code unchanged: the balancer
// (src/balancers), the whole health checker (src/health: active checks, passive ejection, slow start, draining) and
// the retry rules, on real time (process.hrtime, node timers, node:crypto randomness) and real sockets. What it does
// not share with the simulator is only the plumbing: sockets, HTTP parsing, the status page.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createBalancer } from "../balancers/create-balancer.js";
import type { LoadBalancer } from "../balancers/balancer.js";
import { retryFlags } from "../balancers/retry-policy.js";
import { HealthChecker } from "../health/health-checker.js";
import { Forwarder } from "./forward.js";
import type { HostPort, ProxyConfig } from "./proxy-config.js";
import { cryptoRandomSource, hrtimeClock, RealTimers } from "./real-time.js";
import { realProbePort } from "./real-probes.js";
import { ProxyStartError } from "./proxy-start-error.js";
import { proxyStatus, type ProxyStatus } from "./proxy-status.js";
import { triesFor } from "../scenario/schema/lb.js";

export { ProxyStartError };

export interface RunningProxy {
  readonly config: ProxyConfig;
  readonly server: http.Server;
  readonly admin: http.Server | null;
  readonly port: number;
  readonly adminPort: number | null;
  readonly balancer: LoadBalancer;
  readonly health: HealthChecker;
  readonly forwarder: Forwarder;
  status(): ProxyStatus;
  /**
   * Graceful stop (SIGTERM): stop accepting, let in-flight requests finish for up to `shutdownTimeout`, then close.
   * Resolves with the number of requests cut at the deadline.
   */
  shutdown(): Promise<number>;
  /** Immediate stop: every connection closed, every timer cancelled. */
  close(): Promise<void>;
}

export async function startProxy(config: ProxyConfig): Promise<RunningProxy> {
  const lb = config.lb;
  const clock = hrtimeClock;
  const timers = new RealTimers(clock);
  const balancer = createBalancer(lb.algorithm, {
    clock,
    rng: cryptoRandomSource(),
    backends: config.backends.map((b) => ({ id: b.name, weight: b.weight, backup: b.backup, maxConnections: lb.maxConnectionsPerBackend })),
  });
  const active = lb.health.active;
  const health = new HealthChecker(lb.health, {
    clock,
    timers,
    rng: cryptoRandomSource(),
    target: balancer,
    ...(active ? { probe: realProbePort((i) => config.backends[i]!, active.probe, config.healthPath, clock) } : {}),
  });
  const forwarder = new Forwarder(config.backends, balancer, health, clock, {
    policy: { ...lb.retries, tries: triesFor(lb.retries.tries, config.backends.length) },
    flags: retryFlags(lb.retries.on),
    connectTimeoutMs: lb.connectTimeout / 1000,
    readTimeoutMs: lb.upstreamTimeout / 1000,
    hashOn: lb.hashOn,
    sticky: lb.algorithm.algorithm === "sticky",
  });
  const startedUs = clock.nowUs();
  let state: "serving" | "draining" | "stopped" = "serving";
  const server = http.createServer((req, res) => forwarder.handle(req, res));
  const status = (): ProxyStatus => proxyStatus({ config, balancer, health, forwarder, state, uptimeUs: clock.nowUs() - startedUs });
  const admin = config.admin === null ? null : http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://admin");
    if (req.method === "GET" && url.pathname === "/lbsim/status") {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" }).end(`${JSON.stringify(status(), null, 2)}\n`);
    } else if (req.method === "POST" && url.pathname === "/lbsim/drain") {
      // Deregister a backend (HAProxy `set server <name> state drain`, ALB deregistration): no new requests, the ones
      // in flight finish, within the health config's deregistration delay (none by default, as in HAProxy).
      const index = config.backends.findIndex((b) => b.name === url.searchParams.get("backend"));
      if (index < 0) {
        res.writeHead(404, { "content-type": "text/plain" }).end(`no backend named "${url.searchParams.get("backend") ?? ""}"\n`);
        return;
      }
      health.drain(index, lb.health.drain.deregistrationDelayUs);
      res.writeHead(200, { "content-type": "application/json" }).end(`${JSON.stringify(status().backends[index])}\n`);
    } else {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found: try GET /lbsim/status or POST /lbsim/drain?backend=<name>\n");
    }
  });
  try {
    await listen(server, config.listen, "proxy");
    if (admin !== null && config.admin !== null) await listen(admin, config.admin, "admin");
  } catch (error) {
    server.close();
    admin?.close();
    throw error;
  }
  // Backends join once the proxy listens: checks start now (HAProxy spreads the first ones over one `inter`).
  config.backends.forEach((b, i) => health.addBackend(i, b.name, true, config.backends.length));

  const close = async (): Promise<void> => {
    state = "stopped";
    health.stop();
    forwarder.destroy();
    server.closeAllConnections();
    admin?.closeAllConnections();
    await Promise.all([closed(server), admin === null ? Promise.resolve() : closed(admin)]);
  };
  const shutdown = (): Promise<number> => {
    if (state !== "serving") return Promise.resolve(0);
    state = "draining";
    forwarder.closing = true;
    server.close(); // no new connections
    server.closeIdleConnections();
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(deadline);
        const cut = forwarder.active;
        void close().then(() => resolve(cut));
      };
      const deadline = setTimeout(finish, config.shutdownTimeout / 1000);
      forwarder.onIdle = () => {
        server.closeIdleConnections();
        if (forwarder.active === 0) finish();
      };
      if (forwarder.active === 0) finish();
    });
  };
  return {
    config, server, admin, balancer, health, forwarder, status, shutdown, close,
    port: (server.address() as AddressInfo).port,
    adminPort: admin === null ? null : (admin.address() as AddressInfo).port,
  };
}

function listen(server: http.Server, where: HostPort, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const reason = error.code === "EADDRINUSE" ? "the port is in use"
        : error.code === "EACCES" ? "permission denied (ports below 1024 need privileges)"
          : error.code === "EADDRNOTAVAIL" ? "the address is not on this machine"
            : error.code === "ENOTFOUND" ? "the host name does not resolve"
              : error.message;
      reject(new ProxyStartError(`cannot listen for ${what} on ${where.host}:${where.port}: ${reason}`));
    };
    server.once("error", onError);
    server.listen(where.port, where.host, () => {
      server.off("error", onError);
      resolve();
    });
  });
}

function closed(server: http.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
