// Running one benchmark script in its own process and reading the JSON line(s) it prints, shared by
// bench:compare and bench:all. A fresh process per measurement keeps one run's JIT state and heap from
// flattering the next; the machines are noisy, so callers interleave and take medians.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/**
 * The hand-written baseline of ../shared/bench/README.md: $LBSIM_BASELINE, else shared/bench/mmc_fast.js beside
 * the repository or beside a folder holding it (a git worktree such as wt/NAME).
 */
export const BASELINE = process.env.LBSIM_BASELINE
  ?? [resolve(ROOT, ".."), resolve(ROOT, "..", "..")].map((dir) => join(dir, "shared", "bench", "mmc_fast.js")).find((file) => existsSync(file))
  ?? resolve(ROOT, "..", "shared", "bench", "mmc_fast.js");

export const benchScript = (name: string): string => join(ROOT, "dist", "bench", `${name}-bench.js`);

/**
 * Node flags for the clock a benchmark's simSeconds is read on: "wall" (its own hrtime) or "cpu" (cpu-clock.ts
 * swaps hrtime for the process's CPU time, steadier on a shared machine). Applied to lbsim and baseline alike.
 */
export function clockFlags(clock: string): string[] {
  if (clock === "wall") return [];
  if (clock === "cpu") return ["--import", pathToFileURL(join(ROOT, "dist", "bench", "cpu-clock.js")).href];
  throw new Error(`unknown --clock=${clock}: wall or cpu`);
}

/** Runs `node [nodeFlags] script args` and returns every JSON line it printed on stdout. */
export function runJsonLines(script: string, args: readonly string[], nodeFlags: readonly string[] = []): Record<string, unknown>[] {
  const out = execFileSync(process.execPath, [...nodeFlags, script, ...args], {
    encoding: "utf8",
    // The baseline needs seedrandom from this project's node_modules.
    env: { ...process.env, NODE_PATH: join(ROOT, "node_modules") },
    stdio: ["ignore", "pipe", "ignore"],
  });
  return out.split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The last JSON line a script printed. */
export function runJson(script: string, args: readonly string[], nodeFlags: readonly string[] = []): Record<string, unknown> {
  const lines = runJsonLines(script, args, nodeFlags);
  const last = lines[lines.length - 1];
  if (last === undefined) throw new Error(`${script} printed no JSON line`);
  return last;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
