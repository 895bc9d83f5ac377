// `npm run typecheck`: the two type-checks (Node code and tests with tsconfig.json; the browser playground with
// tsconfig.playground.json, which has the DOM's types and a bundler's module resolution) run at the same time,
// since each tsc uses one core, and incrementally: each keeps what it learnt under node_modules/.cache/lbsim/, so
// a second run re-checks only what changed (measured: 13 s and 9 s of CPU cold, 4 s and 3 s warm). Prints each one's
// errors and exits 1 if either found any.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const cache = join(root, "node_modules", ".cache", "lbsim");

/** Runs one tsc and resolves with its exit code and everything it printed. */
function check(project, buildInfo) {
  const args = [tsc, "-p", join(root, project), "--noEmit", "--incremental", "--tsBuildInfoFile", join(cache, buildInfo)];
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (code, signal) => done({ project, code: code ?? (signal ? 1 : 0), output }));
  });
}

const results = await Promise.all([check("tsconfig.json", "typecheck.tsbuildinfo"), check("tsconfig.playground.json", "typecheck-playground.tsbuildinfo")]);
for (const { project, code, output } of results) {
  if (output !== "") process.stdout.write(output);
  if (code !== 0) console.error(`typecheck: tsc -p ${project} failed (exit ${code})`);
}
process.exitCode = results.some((r) => r.code !== 0) ? 1 : 0;
