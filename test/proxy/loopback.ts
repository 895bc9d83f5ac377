// Loopback helpers for the proxy tests: in-process and child-process backends, a bounded HTTP client, polling.
// Everything binds 127.0.0.1 and every child is killed by PID (see killAll).
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

const BACKEND_SCRIPT = fileURLToPath(new URL("./fixtures/backend.mjs", import.meta.url));

export interface ChildBackend {
  readonly port: number;
  readonly child: ChildProcessWithoutNullStreams;
  /** Sends a stdin command ("hang", "serve") and waits for its acknowledgement. */
  command(text: string): Promise<void>;
}

const children = new Set<ChildProcessWithoutNullStreams>();

/** Starts a backend child on `port` (0: any free port); resolves once it listens. */
export function childBackend(name: string, port = 0): Promise<ChildBackend> {
  const child = spawn(process.execPath, [BACKEND_SCRIPT, String(port), name], { stdio: ["pipe", "pipe", "pipe"] });
  children.add(child);
  child.on("exit", () => children.delete(child));
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`backend ${name} did not start within 5 s`)), 5_000);
    child.once("exit", (code) => reject(new Error(`backend ${name} exited with ${code} before listening`)));
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", function onData(text: string) {
      out += text;
      const match = /listening (\d+)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off("data", onData);
      resolve({
        port: Number(match[1]),
        child,
        command: (command) => new Promise((done) => {
          child.stdout.once("data", () => done());
          child.stdin.write(`${command}\n`);
        }),
      });
    });
  });
}

/** Kills one child by PID and waits for it to be gone. */
export function killChild(child: ChildProcessWithoutNullStreams, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    process.kill(child.pid!, signal);
  });
}

/** Every child still running, killed by PID (call in finally / afterAll). A stopped child is continued first. */
export async function killAll(): Promise<void> {
  for (const child of [...children]) {
    try {
      process.kill(child.pid!, "SIGCONT");
    } catch {
      // already gone
    }
    await killChild(child);
  }
}

/** An in-process backend on a free loopback port. */
export function inProcessBackend(handler: http.RequestListener): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer(handler);
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as AddressInfo).port })));
}

export function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

export interface Reply {
  readonly status: number;
  readonly body: string;
  readonly headers: http.IncomingHttpHeaders;
  /** Set when the response did not complete (connection cut, client timeout). */
  readonly error?: string;
  readonly elapsedMs: number;
}

/** One request on a fresh connection, bounded by `timeoutMs`. Never rejects: failures are in `error`. */
export function request(port: number, options: { path?: string; method?: string; headers?: http.OutgoingHttpHeaders; body?: string; timeoutMs?: number } = {}): Promise<Reply> {
  const started = performance.now();
  return new Promise((resolve) => {
    let status = 0;
    let headers: http.IncomingHttpHeaders = {};
    let body = "";
    let settled = false;
    const done = (error?: string) => {
      if (settled) return;
      settled = true;
      resolve({ status, body, headers, elapsedMs: performance.now() - started, ...(error !== undefined ? { error } : {}) });
    };
    const req = http.request({ host: "127.0.0.1", port, path: options.path ?? "/", method: options.method ?? "GET", headers: options.headers, agent: false }, (res) => {
      status = res.statusCode ?? 0;
      headers = res.headers;
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => done(res.complete ? undefined : "incomplete"));
      res.on("error", (error) => done(error.message));
      res.on("close", () => done(res.complete ? undefined : "incomplete"));
    });
    req.on("error", (error) => done(error.message));
    req.setTimeout(options.timeoutMs ?? 5_000, () => req.destroy(new Error("client timeout")));
    req.end(options.body);
  });
}

/** Polls `probe` every `stepMs` until it returns true or `limitMs` passes; resolves with the elapsed ms or null. */
export async function waitUntil(probe: () => boolean | Promise<boolean>, limitMs: number, stepMs = 10): Promise<number | null> {
  const started = performance.now();
  while (performance.now() - started < limitMs) {
    if (await probe()) return performance.now() - started;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return null;
}
