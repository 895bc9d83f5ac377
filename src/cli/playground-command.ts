// `lbsim playground`: serves the playground (built into dist/playground by `npm run build`) on 127.0.0.1 only, so
// nothing on the network can reach it. Static files, GET and HEAD, nothing outside the build's folder.
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import { DEFAULT_PLAYGROUND_PORT } from "../report/playground-link.js";
import { UsageError } from "./exit-codes.js";


const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8", ".png": "image/png", ".svg": "image/svg+xml",
};

export function playgroundDir(): string {
  return fileURLToPath(new URL("../playground/", import.meta.url));
}

const parsePort = (value: string): number => {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError(`expected a port from 0 to 65535 (0: any free port), got "${value}"`);
  return port;
};

export function registerPlayground(program: Command): void {
  program
    .command("playground")
    .description("serve the playground (edit, run and watch scenarios in a browser) on 127.0.0.1")
    .option("--port <port>", "the port on 127.0.0.1 (0 picks a free one)", parsePort, DEFAULT_PLAYGROUND_PORT)
    .addHelpText("after", `
Examples:
  lbsim playground                 # then open http://127.0.0.1:${DEFAULT_PLAYGROUND_PORT}/
  lbsim playground --port 8080
The same files work from any static host: npm run build:playground writes them to dist/playground/.`)
    .action(async (options: { port: number }) => {
      const root = resolve(playgroundDir());
      if (!existsSync(join(root, "index.html"))) throw new UsageError(`the playground is not built (${root} has no index.html): run npm run build`);
      const server = createServer((req, res) => {
        if (req.method !== "GET" && req.method !== "HEAD") {
          res.writeHead(405, { allow: "GET, HEAD" }).end();
          return;
        }
        const path = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
        const file = normalize(join(root, path.endsWith("/") ? `${path}index.html` : path));
        if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
          res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
          return;
        }
        res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-cache" });
        if (req.method === "HEAD") res.end();
        else createReadStream(file).pipe(res);
      });
      await new Promise<void>((done, fail) => {
        server.once("error", (error: NodeJS.ErrnoException) => fail(error.code === "EADDRINUSE" ? new UsageError(`port ${options.port} on 127.0.0.1 is in use: choose another with --port`) : error));
        server.listen(options.port, "127.0.0.1", () => done());
      });
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : options.port;
      console.log(`lbsim playground: http://127.0.0.1:${port}/ (Ctrl-C stops it)`);
      const stop = (): void => { server.close(); server.closeAllConnections(); };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
}
