// Options several commands share, and the reproduce command a report prints.
import { relative } from "node:path";
import { InvalidArgumentError } from "commander";
import { commandLine } from "../report/command-line.js";
import type { LoadedScenario } from "../scenario/load.js";

export const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function parseSeedCount(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 10_000) throw new InvalidArgumentError(`expected a whole number of seeds from 1 to 10000, got "${value}"`);
  return count;
}

export function parseWorkers(value: string): number {
  const workers = Number(value);
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) throw new InvalidArgumentError(`expected a whole number of workers from 1 to 256, got "${value}"`);
  return workers;
}

/** The seeds of a multi-seed run: the scenario's seed, then seed-2, seed-3, ... (derived, never random). */
export function seedsFrom(base: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => (i === 0 ? base : `${base}-${i + 1}`));
}

/** The command line that reproduces a run, quoted for a POSIX shell. */
export function reproduceCommand(command: string, file: string, seed: string, set: readonly string[], extra: readonly string[] = []): string {
  const parts = ["lbsim", command, relative(process.cwd(), file) || file, "--seed", seed, ...set.flatMap((s) => ["--set", s]), ...extra];
  return commandLine(parts);
}


/**
 * One line on stderr per override some variants did not take (a variant's own setting wins over --set), so a
 * user who asked for `--set lb.health.probe=http` on a scenario whose variants are probes learns it did not
 * turn every column into http.
 */
export function printSetAside(loaded: LoadedScenario, write: (line: string) => void = (line) => console.error(line)): void {
  for (const aside of loaded.setAside) {
    const path = aside.override.replace(/^--\w+ /, "").split("=")[0]!;
    const flag = aside.override.split(" ")[0]!;
    write(`lbsim: ${aside.override} is not applied to variant${aside.variants.length === 1 ? "" : "s"} ${aside.variants.join(", ")}: a variant's own setting of ${path} wins over ${flag}`);
  }
}
