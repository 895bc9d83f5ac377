// `lbsim proxy`: run the real HTTP proxy (src/proxy) with the simulator's balancer, health checker and retry rules.
// Bad input (a flag, the file, a port in use) prints one line and exits 2; SIGTERM or SIGINT drains and exits 0.
import type { Command } from "commander";
import { loadProxyConfig, type ProxyFlags } from "../proxy/proxy-config.js";
import { startProxy } from "../proxy/proxy-server.js";

interface ProxyOptions {
  config?: string;
  listen?: string;
  admin?: string;
  backends?: string;
  algorithm?: string;
  scenario?: string;
}

export function registerProxy(program: Command): void {
  program
    .command("proxy")
    .description("run a real HTTP load balancer on the simulator's balancer, health-check and retry code")
    .option("--config <file>", "proxy file: listen, admin, backends, healthPath, shutdownTimeout and a scenario-style lb section")
    .option("--listen <host:port>", "where to accept traffic (default 127.0.0.1:8080)")
    .option("--admin <host:port>", "where to serve GET /lbsim/status (default 127.0.0.1:8081; off to disable)")
    .option("--backends <list>", "comma-separated host:port list (replaces the file's backends)")
    .option("--algorithm <name>", "balancing algorithm (replaces lb.algorithm)")
    .option("--scenario <file>", "take the lb section (algorithm, health, retries, timeouts) from this scenario file")
    .showHelpAfterError(false)
    .addHelpText("after", "\nExamples:\n  lbsim proxy --config proxy.yaml\n  lbsim proxy --backends 127.0.0.1:9001,127.0.0.1:9002 --algorithm least-connections\n  lbsim proxy --scenario scenarios/black-hole.yaml --backends 127.0.0.1:9001,127.0.0.1:9002\n")
    .action(async (options: ProxyOptions) => {
      const flags: ProxyFlags = {
        ...(options.listen !== undefined ? { listen: options.listen } : {}),
        ...(options.admin !== undefined ? { admin: options.admin } : {}),
        ...(options.backends !== undefined ? { backends: options.backends.split(",").map((s) => s.trim()).filter((s) => s !== "") } : {}),
        ...(options.algorithm !== undefined ? { algorithm: options.algorithm } : {}),
        ...(options.scenario !== undefined ? { scenario: options.scenario } : {}),
      };
      const config = loadProxyConfig(options.config ?? null, flags);
      const proxy = await startProxy(config);
      const admin = proxy.adminPort === null ? "off" : `http://${config.admin!.host}:${proxy.adminPort}/lbsim/status`;
      console.error(`lbsim proxy (${proxy.balancer.algorithm}) on ${config.listen.host}:${proxy.port} -> ${config.backends.map((b) => `${b.host}:${b.port}`).join(", ")}; status ${admin}`);
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          console.error(`lbsim proxy: ${signal}: draining (up to ${config.shutdownTimeout / 1_000_000}s)`);
          void proxy.shutdown().then((cut) => {
            console.error(`lbsim proxy: stopped${cut > 0 ? `, ${cut} request(s) cut at the deadline` : ""}`);
            resolve();
          });
        };
        process.once("SIGTERM", () => stop("SIGTERM"));
        process.once("SIGINT", () => stop("SIGINT"));
      });
    });
}
