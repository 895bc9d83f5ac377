// The child process behind the `lbsim` target: lbsim's own proxy (src/proxy, `lbsim proxy`) started from a
// ready ProxyConfig (the scenario's parsed `lb` section and the run's loopback backends), reporting its ports to
// the lab over IPC. It exits when the lab disconnects, so it never outlives a run.
import type { ProxyConfig } from "../proxy/proxy-config.js";
import { startProxy } from "../proxy/proxy-server.js";

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? "{}") as ProxyConfig;
  const proxy = await startProxy(config);
  process.send?.({ kind: "listening", port: proxy.port, adminPort: proxy.adminPort });
  process.on("disconnect", () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`lbsim proxy: ${(error as Error).message}\n`);
  process.exit(1);
});
