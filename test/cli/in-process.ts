// Running an lbsim command line inside the test's own process: the same code as `node dist/cli/main.js` (both call
// runLbsim in src/cli/program.ts) without starting Node and importing the simulator again for every call, which
// cost about half a second of CPU each. Output is captured as a pipe would see it, the exit code read from
// process.exitCode, and everything process-wide the command may change (console, stdout/stderr writes, cwd, exit
// code) put back, since a vitest worker runs many test files in one process (vitest.config.ts: isolate false).
// What only a real process shows (the status the OS sees, output at exit, signals, startup imports) stays in the
// tests that spawn the built CLI: test/cli/cli.test.ts, startup.test.ts, test/proxy/proxy-lifecycle.test.ts.
import { format } from "node:util";
import { runLbsim } from "../../src/cli/program.js";
import { CLI, ROOT, type CliResult } from "./helpers.js";

type Write = typeof process.stdout.write;

/** A write that appends to `sink` and calls back, as a pipe that never fills. */
function capture(sink: (text: string) => void): Write {
  return ((chunk: string | Uint8Array, encodingOrCallback?: unknown, callback?: unknown) => {
    sink(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    const done = typeof encodingOrCallback === "function" ? encodingOrCallback : callback;
    if (typeof done === "function") queueMicrotask(() => (done as (error?: Error | null) => void)(null));
    return true;
  }) as Write;
}

/** Runs `lbsim ...args` in this process with cwd `options.cwd` (default the project root). */
export async function lbsimInProcess(args: readonly string[], options: { cwd?: string } = {}): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const toOut = (text: string): void => void (stdout += text);
  const toErr = (text: string): void => void (stderr += text);
  const saved = {
    log: console.log,
    info: console.info,
    warn: console.warn,
    error: console.error,
    stdoutWrite: process.stdout.write,
    stderrWrite: process.stderr.write,
    stderrTty: Object.getOwnPropertyDescriptor(process.stderr, "isTTY"),
    cwd: process.cwd(),
    exitCode: process.exitCode,
  };
  console.log = console.info = (...parts: unknown[]) => toOut(`${format(...parts)}\n`);
  console.warn = console.error = (...parts: unknown[]) => toErr(`${format(...parts)}\n`);
  process.stdout.write = capture(toOut);
  process.stderr.write = capture(toErr);
  // A pipe is not a terminal: no progress bar (src/cli/progress.ts), as with a spawned CLI's captured stderr.
  Object.defineProperty(process.stderr, "isTTY", { value: false, configurable: true, writable: true });
  process.exitCode = undefined;
  try {
    process.chdir(options.cwd ?? ROOT);
    await runLbsim([process.execPath, CLI, ...args]);
    return { status: Number(process.exitCode ?? 0), stdout, stderr };
  } finally {
    console.log = saved.log;
    console.info = saved.info;
    console.warn = saved.warn;
    console.error = saved.error;
    process.stdout.write = saved.stdoutWrite;
    process.stderr.write = saved.stderrWrite;
    if (saved.stderrTty === undefined) delete (process.stderr as { isTTY?: boolean }).isTTY;
    else Object.defineProperty(process.stderr, "isTTY", saved.stderrTty);
    process.chdir(saved.cwd);
    process.exitCode = saved.exitCode;
  }
}
