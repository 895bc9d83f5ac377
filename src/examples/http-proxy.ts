// A thin example over `lbsim/proxy`: embed the real proxy (the simulator's balancer, health checker and retry rules
// on real sockets) in your own program. The `lbsim proxy` command does the same from a file and flags.
//
//   node dist/examples/http-proxy.js --port=8080 --backends=127.0.0.1:9001,127.0.0.1:9002 --algorithm=round-robin
import { pathToFileURL } from "node:url";
import { parseProxyConfig } from "../proxy/proxy-config.js";
import { startProxy, type RunningProxy } from "../proxy/proxy-server.js";

export interface ExampleOptions {
  /** 0 picks a free port; read it from the result's `port`. */
  readonly port: number;
  readonly backends: readonly string[];
  readonly algorithm?: string;
  /** The rest of a proxy file, as YAML or JSON text (health checks, retries, timeouts); optional. */
  readonly extra?: string;
}

/** Starts the real proxy on 127.0.0.1 with its admin page off. */
export function startExampleProxy(options: ExampleOptions): Promise<RunningProxy> {
  const config = parseProxyConfig(options.extra ?? "{}", "(example)", {
    listen: `127.0.0.1:${options.port}`,
    admin: "off",
    backends: options.backends,
    ...(options.algorithm !== undefined ? { algorithm: options.algorithm } : {}),
  });
  return startProxy(config);
}

function argument(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.slice(2).find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

async function main(): Promise<void> {
  const backends = (argument("backends") ?? "").split(",").filter((s) => s.trim() !== "");
  if (backends.length === 0) {
    process.stderr.write("usage: node dist/examples/http-proxy.js --port=8080 --backends=host:port,host:port [--algorithm=round-robin]\n");
    process.exitCode = 2;
    return;
  }
  const algorithm = argument("algorithm");
  const proxy = await startExampleProxy({ port: Number(argument("port") ?? 8080), backends, ...(algorithm !== undefined ? { algorithm } : {}) });
  process.stderr.write(`lbsim proxy (${proxy.balancer.algorithm}) on 127.0.0.1:${proxy.port} -> ${backends.join(", ")}\n`);
  process.once("SIGTERM", () => void proxy.shutdown());
  process.once("SIGINT", () => void proxy.shutdown());
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
