// Proves lbsim proxy forwards like a careful HTTP proxy on real loopback sockets: hop-by-hop fields do not cross it
// (RFC 9110 7.6.1), failed tries are retried by the simulated node's rules (a refused GET moves on, a reset POST
// does not), a backend dying mid-body ends the client's response at once, a silent backend meets the read timeout,
// the status page reports what happened, bad startup input fails with one clear line, and the lb section's proxy
// chooses least-connections' order among ties as it does in a scenario.
import http from "node:http";
import net from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { parseProxyConfig, ProxyStartError, startProxy, type RunningProxy } from "../../src/proxy/index.js";
import { ScenarioError } from "../../src/scenario/errors/scenario-error.js";
import { closeServer, inProcessBackend, request } from "./loopback.js";

const servers: http.Server[] = [];
const proxies: RunningProxy[] = [];

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  await Promise.all(servers.map(closeServer));
});

/** Active checks off (NGINX preset: passive only) unless the test's lb text says otherwise. */
async function proxyFor(ports: number[], lb = "{ health: { preset: nginx } }", algorithm = "round-robin"): Promise<RunningProxy> {
  const config = parseProxyConfig(`lb: ${lb}\n`, "(test)", { listen: "127.0.0.1:0", admin: "127.0.0.1:0", backends: ports.map((p) => `127.0.0.1:${p}`), algorithm });
  const proxy = await startProxy(config);
  proxies.push(proxy);
  return proxy;
}

/** A port with nothing listening: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe("lbsim proxy forwarding", () => {
  it("takes least-connections' order among ties from the lb section's proxy, as a scenario does", () => {
    // The proxy parses the scenario's own lb schema: `proxy: haproxy` gives HAProxy's leastconn tree order.
    const flags = { listen: "127.0.0.1:0", backends: ["127.0.0.1:1", "127.0.0.1:2"], algorithm: "least-connections" };
    expect(parseProxyConfig("lb: { proxy: haproxy }\n", "(test)", flags).lb.algorithm).toMatchObject({ algorithm: "least-connections", variant: "haproxy" });
    expect(parseProxyConfig("lb: {}\n", "(test)", flags).lb.algorithm).toMatchObject({ algorithm: "least-connections", variant: "nginx" });
  });

  it("strips hop-by-hop header fields in both directions and adds x-forwarded-for", async () => {
    let seen: http.IncomingHttpHeaders = {};
    const backend = await inProcessBackend((req, res) => {
      seen = req.headers;
      req.resume();
      res.writeHead(200, { connection: "x-backend-hop", "x-backend-hop": "1", "keep-alive": "timeout=77", "x-end-to-end": "yes" }).end("ok");
    });
    servers.push(backend.server);
    const proxy = await proxyFor([backend.port]);
    const reply = await request(proxy.port, { headers: { connection: "keep-alive, x-client-hop", "x-client-hop": "secret", "keep-alive": "timeout=99", "proxy-connection": "keep-alive", te: "trailers", "x-app": "kept" } });
    expect(reply.status).toBe(200);
    for (const name of ["x-client-hop", "keep-alive", "proxy-connection", "te"]) expect(seen[name], name).toBeUndefined();
    expect(seen["x-app"]).toBe("kept");
    expect(seen["x-forwarded-for"]).toBe("127.0.0.1");
    expect(reply.headers["x-backend-hop"]).toBeUndefined();
    expect(reply.headers["x-end-to-end"]).toBe("yes");
    // Node's server may add its own keep-alive for the client's hop, never the backend's 77 s.
    expect(reply.headers["keep-alive"] ?? "").not.toContain("77");
  });

  it("retries a refused GET on the other backend, and does not repeat a POST the backend reset", async () => {
    const good = await inProcessBackend((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(200).end("good"));
    });
    servers.push(good.server);
    const dead = await closedPort();
    const proxy = await proxyFor([dead, good.port]);
    // Round robin alternates; NGINX passive health (max_fails 1, fail_timeout 10 s) then takes the dead one out, so
    // at most the first try of the first request reaches it, and its retry (`error` is listed, 2 tries) succeeds.
    const replies = [];
    for (let i = 0; i < 6; i++) replies.push(await request(proxy.port, { path: `/r${i}` }));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const status = proxy.status();
    expect(status.backends[0]!.counters.refused).toBe(1);
    expect(status.counters.retries).toBe(1);
    expect(status.backends[0]!.reason).toBe("passive-failed");

    const resetter = await inProcessBackend((req) => req.on("data", () => req.socket.destroy()));
    servers.push(resetter.server);
    const proxy2 = await proxyFor([resetter.port, good.port]);
    const post = await request(proxy2.port, { method: "POST", body: "pay 10 euros" });
    // Sent, then reset: a POST is not idempotent, so NGINX does not pass it to the next server: 502.
    expect(post.status).toBe(502);
    expect(proxy2.status().counters.retriesDenied.notIdempotent).toBe(1);
    expect(proxy2.status().backends[1]!.counters.tries).toBe(0);
  });

  it("passes over every backend a request tried (NGINX's `tried` bitmap) and answers 502 once none is left", async () => {
    const good = await inProcessBackend((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(200).end("good"));
    });
    servers.push(good.server);
    const [dead1, dead2, dead3] = [await closedPort(), await closedPort(), await closedPort()];
    // `first` always picks the first available backend in order, and no health check (active or passive) takes a
    // dead one out, so the tries are fixed: dead1, then (passing over dead1) dead2, then (passing over both) the
    // good one. Passing over only the last tried backend would send the third try back to dead1: 502.
    const lb = "{ health: { preset: nginx, passive: none }, retries: { tries: 3 } }";
    const proxy = await proxyFor([dead1!, dead2!, good.port], lb, "first");
    expect((await request(proxy.port, { path: "/a" })).status).toBe(200);
    expect(proxy.status().counters.retries).toBe(2);
    expect(proxy.status().backends.map((b) => b.counters.tries)).toEqual([1, 1, 1]);
    // Every backend dead and 5 tries allowed: each is tried once, then no untried one is left ("no live upstreams").
    const allDead = await proxyFor([dead1!, dead2!, dead3!], "{ health: { preset: nginx, passive: none }, retries: { tries: 5 } }", "first");
    const reply = await request(allDead.port, { path: "/b" });
    expect(reply.status).toBe(502);
    expect(reply.body).toContain("no live upstreams");
    expect(allDead.status().backends.map((b) => b.counters.tries)).toEqual([1, 1, 1]);
  });

  it("ends the client's response at once when the backend dies mid-body", async () => {
    const backend = await inProcessBackend((req, res) => {
      req.resume();
      res.writeHead(200, { "content-length": "1000" });
      res.write("x".repeat(10));
      setTimeout(() => res.socket?.destroy(), 50);
    });
    servers.push(backend.server);
    const proxy = await proxyFor([backend.port]);
    const reply = await request(proxy.port, { timeoutMs: 5_000 });
    expect(reply.status).toBe(200);
    expect(reply.error).toBeDefined();
    expect(reply.error).not.toBe("client timeout");
    // The cut reaches the client within a few event-loop turns of the backend's 50 ms; 1 s is the loaded-machine bound.
    expect(reply.elapsedMs).toBeLessThan(1_000);
    expect(proxy.status().counters.cutMidBody).toBe(1);
    expect(proxy.status().backends[0]!.counters.reset).toBe(1);
  });

  it("answers 504 after the read timeout when a backend accepts and never answers", async () => {
    const backend = await inProcessBackend((req) => req.resume());
    servers.push(backend.server);
    const proxy = await proxyFor([backend.port], "{ health: { preset: nginx }, upstreamTimeout: 300ms, retries: { tries: 1 } }");
    const reply = await request(proxy.port);
    expect(reply.status).toBe(504);
    // proxy_read_timeout 300 ms; allow 300-1300 ms for timer slack on a shared machine.
    expect(reply.elapsedMs).toBeGreaterThanOrEqual(290);
    expect(reply.elapsedMs).toBeLessThan(1_300);
    const status = proxy.status();
    expect(status.backends[0]!.counters.timeouts).toBe(1);
    expect(status.inFlight).toBe(0);
    // The status page serves the same document as JSON on the admin port.
    const page = await request(proxy.adminPort!, { path: "/lbsim/status" });
    const json = JSON.parse(page.body) as { lbsim: string; backends: Array<{ name: string; health: string; weight: number; inFlight: number }> };
    expect(json.lbsim).toBe("proxy");
    expect(json.backends[0]).toMatchObject({ name: `127.0.0.1:${backend.port}`, weight: 1, inFlight: 0 });
  });
});

describe("lbsim proxy configuration", () => {
  it("takes a scenario's lb section as its own with --scenario", () => {
    // scenarios/fast-failure-trap.yaml: `health: { preset: haproxy, probe: http }`, `retries: { tries: 2, on: [error, timeout] }`.
    const config = parseProxyConfig("{}", "(flags)", { backends: ["127.0.0.1:9000"], scenario: "scenarios/fast-failure-trap.yaml" });
    expect(config.lb.health.active?.probe).toBe("http");
    expect(config.lb.health.active?.intervalUs).toBe(2_000_000); // HAProxy `inter` 2000 ms
    expect(config.lb.retries.on).toEqual(["error", "timeout"]);
    expect(config.listen).toEqual({ host: "127.0.0.1", port: 8080 });
  });
});

describe("lbsim proxy startup errors", () => {
  it("rejects a backend with port 70000 naming the field", () => {
    expect(() => parseProxyConfig("backends: ['127.0.0.1:70000']\n", "proxy.yaml")).toThrow(ScenarioError);
    try {
      parseProxyConfig("backends: ['127.0.0.1:70000']\n", "proxy.yaml");
    } catch (error) {
      expect((error as ScenarioError).format()).toBe('proxy.yaml:1:12: backends.0: expected host:port with a port from 1 to 65535, got "127.0.0.1:70000"');
    }
  });

  it("rejects an unknown algorithm with a suggestion, naming the flag it came from", () => {
    try {
      parseProxyConfig("{}", "(flags)", { backends: ["127.0.0.1:9000"], algorithm: "least-connection" });
      expect.unreachable();
    } catch (error) {
      const text = (error as ScenarioError).format();
      expect(text.split("\n")).toHaveLength(1);
      expect(text).toMatch(/^--algorithm: lb\.algorithm: /);
      expect(text).toContain("least-connections");
    }
  });

  it("fails with one line when the port is in use", async () => {
    const taken = await inProcessBackend(() => {});
    servers.push(taken.server);
    const config = parseProxyConfig("{}", "(test)", { listen: `127.0.0.1:${taken.port}`, admin: "off", backends: ["127.0.0.1:9"] });
    await expect(startProxy(config)).rejects.toThrow(new ProxyStartError(`cannot listen for proxy on 127.0.0.1:${taken.port}: the port is in use`));
  });
});
