// Every process a conformance run starts, owned in one place: backends (Node children over IPC) and the proxy.
// Each is killed by its PID when the run ends, fails, or the lab gets SIGINT/SIGTERM; stopped (SIGSTOPped)
// children get SIGCONT first so they can die cleanly. Nothing here outlives the run.
import { fork, spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { existsSync } from "node:fs";
import type { BackendAppConfig, BackendCommand } from "./backend-app.js";

/** A line of a child's output with the wall-clock time it arrived, ms since the supervisor's epoch. */
export interface TimedLine {
  atMs: number;
  stream: "stdout" | "stderr";
  text: string;
}

export interface BackendHandle {
  name: string;
  port: number;
  pid: number;
  send(command: BackendCommand): void;
  /** Requests the backend received (health checks excluded). */
  tally(): Promise<number>;
}

export class Supervisor {
  private readonly children = new Set<ChildProcess>();
  private readonly stopped = new Map<number, number>();
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.killAll();
    process.exit(signal === "SIGINT" ? 130 : 143);
  };

  constructor(readonly epochMs: number, private readonly nowMs: () => number) {
    process.once("SIGINT", this.onSignal);
    process.once("SIGTERM", this.onSignal);
  }

  /** Starts one backend process on 127.0.0.1 (port 0: any free port) and waits until it listens. */
  async startBackend(config: BackendAppConfig, port = 0, timeoutMs = 5_000): Promise<BackendHandle> {
    const child = fork(entryPath("backend-process"), [JSON.stringify(config), String(port)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    this.children.add(child);
    child.on("exit", () => this.children.delete(child));
    const bound = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`backend ${config.name} did not start within ${timeoutMs} ms`)), timeoutMs);
      child.once("exit", (code) => { clearTimeout(timer); reject(new Error(`backend ${config.name} exited with code ${code} before listening`)); });
      child.on("message", (m: { kind: string; port?: number }) => {
        if (m.kind === "listening") { clearTimeout(timer); resolve(m.port!); }
      });
    });
    const pid = child.pid!;
    return {
      name: config.name, port: bound, pid,
      send: (command) => { if (child.connected) child.send(command); },
      tally: () => new Promise<number>((resolve) => {
        if (!child.connected) return resolve(0);
        const timer = setTimeout(() => resolve(0), 2_000);
        const listener = (m: { kind: string; received?: number }): void => {
          if (m.kind !== "tally") return;
          clearTimeout(timer);
          child.off("message", listener);
          resolve(m.received ?? 0);
        };
        child.on("message", listener);
        child.send({ kind: "tally" });
      }),
    };
  }

  /** Forks a Node entry beside this file (lbsim's own proxy) and waits for its `listening` message. */
  async forkEntry<T extends { kind: string }>(entry: string, args: readonly string[], name: string, timeoutMs = 10_000): Promise<{ pid: number; message: T }> {
    const child = fork(entryPath(entry), [...args], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    this.children.add(child);
    child.on("exit", () => this.children.delete(child));
    const message = await new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs} ms`)), timeoutMs);
      child.once("exit", (code) => { clearTimeout(timer); reject(new Error(`${name} exited with code ${code} before listening`)); });
      child.on("message", (m: T) => {
        if (m.kind === "listening") { clearTimeout(timer); resolve(m); }
      });
    });
    return { pid: child.pid!, message };
  }

  /** Starts a program (the proxy) and hands every output line to `onLine`, timed. */
  startProgram(command: string, args: readonly string[], onLine: (line: TimedLine) => void): ChildProcess {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    this.children.add(child);
    child.on("exit", () => this.children.delete(child));
    for (const stream of ["stdout", "stderr"] as const) {
      let rest = "";
      child[stream]!.setEncoding("utf8");
      child[stream]!.on("data", (chunk: string) => {
        const at = this.nowMs() - this.epochMs;
        const lines = (rest + chunk).split("\n");
        rest = lines.pop()!;
        for (const text of lines) if (text.length > 0) onLine({ atMs: at, stream, text });
      });
    }
    return child;
  }

  /** A stop-the-world pause: SIGSTOP now, SIGCONT after `pauseMs` (overlapping pauses end at the last end). */
  pause(pid: number, pauseMs: number): void {
    const depth = (this.stopped.get(pid) ?? 0) + 1;
    this.stopped.set(pid, depth);
    if (depth === 1) safeKill(pid, "SIGSTOP");
    setTimeout(() => {
      const left = (this.stopped.get(pid) ?? 1) - 1;
      if (left <= 0) {
        this.stopped.delete(pid);
        safeKill(pid, "SIGCONT");
      } else this.stopped.set(pid, left);
    }, pauseMs);
  }

  /** Kills every child by its PID (SIGCONT first for stopped ones) and removes the signal handlers. */
  killAll(): void {
    for (const child of this.children) {
      if (child.pid === undefined) continue;
      safeKill(child.pid, "SIGCONT");
      safeKill(child.pid, "SIGKILL");
    }
    this.children.clear();
    this.stopped.clear();
    process.off("SIGINT", this.onSignal);
    process.off("SIGTERM", this.onSignal);
  }

  get running(): number {
    return this.children.size;
  }
}

function safeKill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** The compiled child entry, next to this file in dist/ (tests running from src/ find it through dist/). */
export function backendProcessPath(): string {
  return entryPath("backend-process");
}

function entryPath(entry: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, `${entry}.js`);
  if (existsSync(beside)) return beside;
  const built = join(here, "..", "..", "dist", "conform", `${entry}.js`);
  if (existsSync(built)) return built;
  throw new Error(`dist/conform/${entry}.js is missing: run \`npm run build\` first`);
}
