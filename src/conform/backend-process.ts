// The child process behind one real backend: reads its config from argv, listens, reports its port to the
// supervisor over IPC and applies timeline commands it is sent. It exits when the supervisor disconnects, so a
// backend never outlives the lab even if the lab is killed with SIGKILL.
import { BackendApp, type BackendAppConfig, type BackendCommand } from "./backend-app.js";

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? "{}") as BackendAppConfig;
  const port = Number(process.argv[3] ?? "0");
  const app = new BackendApp(config);
  const bound = await app.listen(port);
  process.send?.({ kind: "listening", port: bound });
  process.on("message", (message: BackendCommand | { kind: "tally" }) => {
    if (message.kind === "tally") {
      process.send?.({ kind: "tally", received: app.received });
      return;
    }
    void app.command(message).catch((error: unknown) => process.send?.({ kind: "error", message: String(error) }));
  });
  process.on("disconnect", () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`backend: ${(error as Error).message}\n`);
  process.exit(1);
});
