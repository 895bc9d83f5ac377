// Proves the example (a thin wrapper over lbsim/proxy) forwards real HTTP through the production balancer: with round
// robin over two loopback backends, 20 requests reach both, and the start/end hooks leave nothing in flight.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { startExampleProxy } from "../../src/examples/http-proxy.js";
import type { RunningProxy } from "../../src/proxy/index.js";

const servers: http.Server[] = [];
const proxies: RunningProxy[] = [];

/** Resolves with the port once the server listens; starts backends on an ephemeral loopback port. */
function listening(server: http.Server): Promise<number> {
  servers.push(server);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.once("listening", () => resolve((server.address() as AddressInfo).port));
  });
}

function startBackend(name: string): Promise<number> {
  const server = backend(name);
  const port = listening(server);
  server.listen(0, "127.0.0.1");
  return port;
}

function backend(name: string): http.Server {
  return http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "text/plain" }).end(name));
  });
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.setTimeout(5_000, () => req.destroy(new Error("timed out")));
  });
}

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  await Promise.all(
    servers.map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        }),
    ),
  );
});

describe("example http proxy", () => {
  it("round-robins 20 requests over two loopback backends", async () => {
    const portA = await startBackend("A");
    const portB = await startBackend("B");
    const proxy = await startExampleProxy({ port: 0, backends: [`127.0.0.1:${portA}`, `127.0.0.1:${portB}`], algorithm: "round-robin" });
    proxies.push(proxy);
    const proxyPort = proxy.port;
    const bodies: string[] = [];
    for (let i = 0; i < 20; i++) {
      const reply = await get(proxyPort, `/item/${i}`);
      expect(reply.status).toBe(200);
      bodies.push(reply.body);
    }
    expect(bodies.filter((b) => b === "A")).toHaveLength(10);
    expect(bodies.filter((b) => b === "B")).toHaveLength(10);
    const stats = proxy.balancer.stats();
    expect(stats.picks).toBe(20);
    expect(proxy.balancer.backends().map((b) => b.inFlight)).toEqual([0, 0]);
  });

  it("answers 503 with the reason when no backend is available", async () => {
    // Active checks off, so only the balancer's health flag (set here by hand) decides.
    const proxy = await startExampleProxy({ port: 0, backends: ["127.0.0.1:1"], algorithm: "least-connections", extra: "lb: { health: { preset: nginx } }" });
    proxies.push(proxy);
    const proxyPort = proxy.port;
    proxy.balancer.setHealth("127.0.0.1:1", "unhealthy");
    const reply = await get(proxyPort, "/");
    expect(reply.status).toBe(503);
    expect(reply.body).toContain("all-unavailable");
  });
});
