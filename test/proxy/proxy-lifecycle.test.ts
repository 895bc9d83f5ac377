// Proves the rest of lbsim proxy's contract on loopback: the `lbsim proxy` command drains on SIGTERM (a slow request
// in flight still gets its answer, then the process exits 0) and fails with one line and exit 2 on bad flags; passive
// ejection (Envoy outlier detection) takes a fast-failing backend out; slow start ramps a recovered backend's weight;
// POST /lbsim/drain takes a backend out of rotation once its request in flight is done.
import { spawn } from "node:child_process";
import http from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { parseProxyConfig, startProxy, type RunningProxy } from "../../src/proxy/index.js";
import { CLI } from "../cli/helpers.js";
import { lbsimInProcess } from "../cli/in-process.js";
import { childBackend, closeServer, inProcessBackend, killAll, killChild, request, waitUntil } from "./loopback.js";

const servers: http.Server[] = [];
const proxies: RunningProxy[] = [];

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  await Promise.all(servers.map(closeServer));
  await killAll();
});

describe("lbsim proxy lifecycle", () => {
  it("drains on SIGTERM: the request in flight completes, then the command exits 0", async () => {
    const slow = await inProcessBackend((req, res) => {
      req.resume();
      setTimeout(() => res.writeHead(200).end("slow but served"), 600);
    });
    servers.push(slow.server);
    const child = spawn(process.execPath, [CLI, "proxy", "--listen", "127.0.0.1:0", "--admin", "off", "--backends", `127.0.0.1:${slow.port}`], { stdio: ["ignore", "ignore", "pipe"] });
    try {
      let stderr = "";
      child.stderr.setEncoding("utf8");
      child.stderr.on("data", (text: string) => (stderr += text));
      const ready = await waitUntil(() => /on 127\.0\.0\.1:(\d+)/.test(stderr), 10_000);
      expect(ready, stderr).not.toBeNull();
      const port = Number(/on 127\.0\.0\.1:(\d+)/.exec(stderr)![1]);
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      const inFlight = request(port, { timeoutMs: 5_000 });
      await new Promise((r) => setTimeout(r, 200)); // the request is now waiting on the slow backend
      process.kill(child.pid!, "SIGTERM");
      const reply = await inFlight;
      expect(reply.status).toBe(200);
      expect(reply.body).toBe("slow but served");
      expect(reply.headers.connection).toBe("close");
      expect(await exited).toBe(0);
      expect(stderr).toContain("SIGTERM: draining");
      // New connections are refused once draining started.
      expect((await request(port, { timeoutMs: 1_000 })).error).toBeDefined();
    } finally {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, "SIGKILL");
    }
  });

  it("exits 2 with one line for a bad flag and for a backend port of 70000", async () => {
    // Refused before anything listens, so in this process (test/cli/in-process.ts).
    const flag = await lbsimInProcess(["proxy", "--bogus"]);
    expect(flag.status).toBe(2);
    expect(flag.stderr.trim()).toBe("error: unknown option '--bogus'");
    const port = await lbsimInProcess(["proxy", "--backends", "127.0.0.1:70000"]);
    expect(port.status).toBe(2);
    expect(port.stderr.trim()).toBe('--backends: backends.0: expected host:port with a port from 1 to 65535, got "127.0.0.1:70000"');
  });

  it("ejects a backend that answers 500 after consecutive_5xx errors (Envoy outlier detection)", async () => {
    const broken = await inProcessBackend((req, res) => {
      req.resume();
      res.writeHead(500).end("pool exhausted");
    });
    const good = await inProcessBackend((req, res) => {
      req.resume();
      res.writeHead(200).end("ok");
    });
    servers.push(broken.server, good.server);
    // No active checks (NGINX preset), outlier detection with consecutive5xx 3 and a 50% ejection cap.
    const config = parseProxyConfig(
      "lb: { health: { preset: nginx, passive: { envoy-outlier: { consecutive5xx: 3, maxEjectionPercent: 50% } } } }\n",
      "(test)",
      { listen: "127.0.0.1:0", admin: "off", backends: [`127.0.0.1:${broken.port}`, `127.0.0.1:${good.port}`] },
    );
    const proxy = await startProxy(config);
    proxies.push(proxy);
    // Round robin: requests 1, 3, 5 reach the broken backend (500 is passed on: http_5xx is not in the retry list);
    // its third consecutive 5xx ejects it, so requests 6-12 all reach the good one.
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await request(proxy.port)).status);
    expect(statuses).toEqual([500, 200, 500, 200, 500, 200, 200, 200, 200, 200, 200, 200]);
    expect(proxy.status().backends[0]!.reason).toBe("outlier-ejected");
    expect(proxy.status().backends[0]!.counters.http5xx).toBe(3);
  });

  it("ramps a recovered backend's weight with slow start", async () => {
    let backend = await childBackend("slow-start");
    try {
      const config = parseProxyConfig(
        "lb: { health: { preset: haproxy, probe: http, interval: 100ms, timeout: 100ms, rise: 1, fall: 1, slowStart: { linear: { window: 3s } } } }\n",
        "(test)",
        { listen: "127.0.0.1:0", admin: "off", backends: [`127.0.0.1:${backend.port}`] },
      );
      const proxy = await startProxy(config);
      proxies.push(proxy);
      // HAProxy applies no slow start at startup: full weight at once.
      expect(proxy.status().backends[0]!.weightFactor).toBe(1);
      await killChild(backend.child);
      expect(await waitUntil(() => proxy.status().backends[0]!.health === "unhealthy", 2_000)).not.toBeNull();
      backend = await childBackend("slow-start", backend.port);
      expect(await waitUntil(() => proxy.status().backends[0]!.health === "healthy", 2_000)).not.toBeNull();
      // Linear over 3 s, recomputed every 3 s / 20 = 150 ms: well below 1 shortly after coming back, rising.
      const first = proxy.status().backends[0]!.weightFactor;
      expect(first).toBeLessThan(0.5);
      expect(await waitUntil(() => proxy.status().backends[0]!.weightFactor > first, 1_000)).not.toBeNull();
    } finally {
      await killChild(backend.child);
    }
  });

  it("drains one backend through the admin port: its request in flight finishes, new ones go elsewhere", async () => {
    const slow = await inProcessBackend((req, res) => {
      req.resume();
      setTimeout(() => res.writeHead(200).end("slow"), 300);
    });
    const other = await inProcessBackend((req, res) => {
      req.resume();
      res.writeHead(200).end("other");
    });
    servers.push(slow.server, other.server);
    const config = parseProxyConfig("lb: { health: { preset: nginx } }\n", "(test)", {
      listen: "127.0.0.1:0", admin: "127.0.0.1:0", backends: [`127.0.0.1:${slow.port}`, `127.0.0.1:${other.port}`],
    });
    const proxy = await startProxy(config);
    proxies.push(proxy);
    const inFlight = request(proxy.port); // round robin: the first request goes to the slow backend
    await waitUntil(() => proxy.status().backends[0]!.inFlight === 1, 1_000);
    const drained = await request(proxy.adminPort!, { method: "POST", path: `/lbsim/drain?backend=127.0.0.1:${slow.port}` });
    expect(drained.status).toBe(200);
    expect(JSON.parse(drained.body)).toMatchObject({ health: "draining", reason: "draining", inFlight: 1 });
    const next = await Promise.all([request(proxy.port), request(proxy.port)]);
    expect(next.map((r) => r.body)).toEqual(["other", "other"]);
    expect((await inFlight).body).toBe("slow");
    // With nothing left in flight the drain completes (no deregistration delay in the NGINX preset).
    expect(await waitUntil(() => proxy.status().backends[0]!.health === "drained", 1_000)).not.toBeNull();
    expect((await request(proxy.adminPort!, { method: "POST", path: "/lbsim/drain?backend=nope" })).status).toBe(404);
  });
});
