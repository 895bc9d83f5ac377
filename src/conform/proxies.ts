// The real proxies: where the binaries are, what version they report, how a configuration template becomes a
// configuration for one run, and how each is started on 127.0.0.1 and told about a drain at runtime.
import { spawnSync } from "node:child_process";
import { connect, createServer } from "node:net";
import { LBSIM_VERSION } from "../lab/run-plan.js";
import type { ProxyKind } from "./conform-case.js";

/** The binary's own version string, or null when it is not installed. */
export function proxyVersion(proxy: ProxyKind): string | null {
  // lbsim's own proxy is this package: its version is lbsim's.
  if (proxy === "lbsim") return LBSIM_VERSION;
  // Both print their version on `-v`: HAProxy to stdout, NGINX to stderr.
  const run = spawnSync(proxy, ["-v"], { encoding: "utf8" });
  if (run.error !== undefined || run.status !== 0) return null;
  const out = `${run.stdout}${run.stderr}`;
  const m = proxy === "haproxy" ? /HAProxy version (\S+)/.exec(out) : /nginx\/(\S+)/.exec(out);
  return m ? m[1]! : out.split("\n")[0]!.trim() || null;
}

export interface TemplateValues {
  listen: string;
  stats: string;
  dir: string;
  servers: ReadonlyMap<string, string>;
}

/** Fills `{{listen}}`, `{{stats}}`, `{{dir}}` and `{{server NAME}}`; an unknown placeholder is an error. */
export function renderTemplate(template: string, values: TemplateValues, file: string): string {
  return template.replace(/\{\{\s*([a-z]+)(?:\s+([A-Za-z0-9_@.-]+))?\s*\}\}/g, (whole, key: string, arg: string | undefined) => {
    if (key === "listen") return values.listen;
    if (key === "stats") return values.stats;
    if (key === "dir") return values.dir;
    if (key === "server" && arg !== undefined) {
      const address = values.servers.get(arg);
      if (address === undefined) throw new RangeError(`${file}: ${whole} names no backend of the scenario`);
      return address;
    }
    throw new RangeError(`${file}: unknown placeholder ${whole}`);
  });
}

/** The command line that checks a configuration, and the one that runs the proxy in the foreground. */
export function proxyCommands(proxy: "haproxy" | "nginx", configFile: string, dir: string): { check: string[]; run: string[] } {
  if (proxy === "haproxy") return { check: ["haproxy", "-c", "-q", "-f", configFile], run: ["haproxy", "-db", "-f", configFile] };
  // `-e stderr`: the error log goes to stderr from the start, so nothing is written outside the run's directory.
  return { check: ["nginx", "-t", "-q", "-e", "stderr", "-p", dir, "-c", configFile], run: ["nginx", "-e", "stderr", "-p", dir, "-c", configFile] };
}

/** A free TCP port on 127.0.0.1 (the kernel picks; closed again at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once 127.0.0.1:port accepts a connection; rejects after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // Bounded by the deadline.
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ port, host: "127.0.0.1" }, () => { socket.destroy(); resolve(true); });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

/** One command on HAProxy's admin socket (`set server be/app-1 state drain`); resolves with its answer. */
export function haproxyCommand(socketPath: string, command: string, timeoutMs = 2_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = "";
    const socket = connect(socketPath, () => socket.write(`${command}\n`));
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`HAProxy socket did not answer "${command}"`)); }, timeoutMs);
    socket.setEncoding("utf8");
    socket.on("data", (d: string) => (answer += d));
    socket.on("end", () => { clearTimeout(timer); resolve(answer.trim()); });
    socket.on("error", (e) => { clearTimeout(timer); reject(e); });
  });
}
