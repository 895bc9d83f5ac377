// Running the built CLI (npm test builds it first) as a user would, and small fixtures for it.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "..", "..");
export const CLI = join(ROOT, "dist", "cli", "main.js");
/** A two-variant scenario (tcp, http) that runs in well under a second. */
export const TINY = join(ROOT, "test", "cli", "fixtures", "tiny.yaml");

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function lbsim(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, encoding: "utf8", timeout: 120_000, env: options.env ?? process.env });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export const tmp = (): string => mkdtempSync(join(tmpdir(), "lbsim-cli-"));
