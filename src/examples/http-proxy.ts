// A real HTTP reverse proxy on node:http that uses lbsim's production balancers unchanged: the same code the
// simulator runs, given a real monotonic clock (process.hrtime) and real randomness (node:crypto) instead of the
// simulation's. It shows the whole host contract: pick per request, onRequestStart when the upstream request is
// sent, onRequestEnd with latency, time to first byte and success (status < 500) when it finishes.
//
//   node dist/examples/http-proxy.js --port=8080 --backends=127.0.0.1:9001,127.0.0.1:9002 --algorithm=round-robin
//   PORT=8080 BACKENDS=127.0.0.1:9001,127.0.0.1:9002 ALGORITHM=least-connections node dist/examples/http-proxy.js
import { randomBytes } from "node:crypto";
import http from "node:http";
import { pathToFileURL } from "node:url";
import {
  createBalancer,
  type AlgorithmName,
  type BalancerSpec,
  type BackendView,
  type Clock,
  type LoadBalancer,
  type RandomSource,
} from "../balancers/index.js";

export interface ProxyBackend {
  readonly host: string;
  readonly port: number;
  /** Defaults to "host:port". */
  readonly id?: string;
  readonly weight?: number;
  readonly maxConnections?: number;
  readonly backup?: boolean;
}

export interface ProxyOptions {
  /** 0 picks a free port; read it from server.address(). */
  readonly port: number;
  readonly backends: readonly (ProxyBackend | string)[];
  /** An algorithm name, or a full spec with options. Default round-robin. */
  readonly algorithm?: AlgorithmName | BalancerSpec;
  /** Listen address. Default 127.0.0.1. */
  readonly host?: string;
}

export interface ProxyServer extends http.Server {
  readonly balancer: LoadBalancer;
}

/** The cookie the proxy sets for sticky sessions (HAProxy `cookie SERVERID insert` sets its own the same way). */
export const SESSION_COOKIE = "lbsim_session";

/** Monotonic microseconds from the process's high-resolution timer. */
export const hrtimeClock: Clock = { nowUs: () => Number(process.hrtime.bigint() / 1000n) };

/** Uniform [0, 1) from node:crypto, 48 bits per draw, refilled 4 KiB at a time. */
export function cryptoRandomSource(): RandomSource {
  let buffer = randomBytes(4096);
  let offset = 0;
  return {
    next() {
      if (offset + 6 > buffer.length) {
        buffer = randomBytes(4096);
        offset = 0;
      }
      const value = buffer.readUIntBE(offset, 6) / 2 ** 48;
      offset += 6;
      return value;
    },
  };
}

export function parseBackend(text: string): ProxyBackend {
  const match = /^(.+):(\d+)$/.exec(text.trim());
  if (!match) throw new Error(`backend "${text}" is not host:port`);
  return { host: match[1]!, port: Number(match[2]) };
}

export function startProxy(options: ProxyOptions): ProxyServer {
  const backends = options.backends.map((b) => (typeof b === "string" ? parseBackend(b) : b));
  const addresses = new Map<string, ProxyBackend>();
  const algorithm = options.algorithm ?? "round-robin";
  const spec: BalancerSpec = typeof algorithm === "string" ? ({ algorithm } as BalancerSpec) : algorithm;
  const balancer = createBalancer(spec, {
    clock: hrtimeClock,
    rng: cryptoRandomSource(),
    backends: backends.map((b) => {
      const id = b.id ?? `${b.host}:${b.port}`;
      addresses.set(id, b);
      return { id, ...(b.weight !== undefined ? { weight: b.weight } : {}), ...(b.maxConnections !== undefined ? { maxConnections: b.maxConnections } : {}), ...(b.backup !== undefined ? { backup: b.backup } : {}) };
    }),
  });
  const agent = new http.Agent({ keepAlive: true });
  const sticky = spec.algorithm === "sticky";

  const server = http.createServer((req, res) => {
    let session = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (sticky && session === undefined) {
      session = randomBytes(12).toString("hex");
      res.setHeader("set-cookie", `${SESSION_COOKIE}=${session}; Path=/; HttpOnly`);
    }
    const clientAddress = req.socket.remoteAddress ?? "";
    const picked = balancer.pick({
      clientAddress,
      hashKey: req.url ?? "/",
      method: req.method ?? "GET",
      ...(session !== undefined ? { sessionCookie: session } : {}),
    });
    if (picked.backend === null) {
      res.writeHead(503, { "content-type": "text/plain" }).end(`no backend available: ${picked.reason}\n`);
      return;
    }
    forward(picked.backend, req, res, clientAddress);
  }) as ProxyServer;

  function forward(backend: BackendView, req: http.IncomingMessage, res: http.ServerResponse, clientAddress: string): void {
    const target = addresses.get(backend.id)!;
    const startUs = hrtimeClock.nowUs();
    let ttfbUs: number | undefined;
    let ended = false;
    const finish = (success: boolean) => {
      if (ended) return;
      ended = true;
      const latencyUs = hrtimeClock.nowUs() - startUs;
      balancer.onRequestEnd(backend, { latencyUs, success, ...(ttfbUs !== undefined ? { ttfbUs } : {}) });
    };
    balancer.onRequestStart(backend);
    const forwardedFor = req.headers["x-forwarded-for"];
    const upstream = http.request(
      {
        host: target.host,
        port: target.port,
        method: req.method,
        path: req.url,
        agent,
        headers: { ...req.headers, "x-forwarded-for": forwardedFor ? `${String(forwardedFor)}, ${clientAddress}` : clientAddress },
      },
      (upstreamRes) => {
        ttfbUs = hrtimeClock.nowUs() - startUs;
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
        const status = upstreamRes.statusCode ?? 502;
        upstreamRes.on("end", () => finish(status < 500));
        upstreamRes.on("error", () => finish(false));
      },
    );
    upstream.on("error", () => {
      finish(false);
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end("bad gateway\n");
    });
    // A client that goes away mid-request ends the upstream request too; the hook still fires once.
    res.on("close", () => {
      if (!ended) {
        upstream.destroy();
        finish(false);
      }
    });
    req.pipe(upstream);
  }

  server.on("close", () => agent.destroy());
  Object.defineProperty(server, "balancer", { value: balancer });
  server.listen(options.port, options.host ?? "127.0.0.1");
  return server;
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function argOrEnv(name: string, env: string): string | undefined {
  const prefix = `--${name}=`;
  const arg = process.argv.slice(2).find((a) => a.startsWith(prefix));
  return arg !== undefined ? arg.slice(prefix.length) : process.env[env];
}

function main(): void {
  const backends = (argOrEnv("backends", "BACKENDS") ?? "").split(",").filter((s) => s.trim() !== "");
  if (backends.length === 0) {
    process.stderr.write("usage: node dist/examples/http-proxy.js --port=8080 --backends=host:port,host:port [--algorithm=round-robin]\n");
    process.exitCode = 2;
    return;
  }
  const server = startProxy({
    port: Number(argOrEnv("port", "PORT") ?? 8080),
    backends,
    algorithm: (argOrEnv("algorithm", "ALGORITHM") ?? "round-robin") as AlgorithmName,
    host: argOrEnv("host", "HOST") ?? "127.0.0.1",
  });
  server.on("listening", () => {
    const address = server.address();
    const where = typeof address === "object" && address !== null ? `${address.address}:${address.port}` : String(address);
    process.stderr.write(`lbsim proxy (${server.balancer.algorithm}) on ${where} -> ${backends.join(", ")}\n`);
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
