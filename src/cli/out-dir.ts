// `--out DIR` is checked before anything runs: a report folder that cannot be written should cost the user one
// line and no waiting, not a stack trace after minutes of simulation. The folder may exist (its report files
// are replaced atomically) or not yet (it is created, with its parents); it must not be a file, sit under a
// file, or sit in a folder this process cannot write to.
import { accessSync, constants, statSync, type Stats } from "node:fs";
import { dirname, resolve } from "node:path";
import { UsageError } from "./exit-codes.js";

export function checkOutDir(dir: string, flag = "--out"): void {
  const target = resolve(dir);
  const stat = statIfAny(target);
  if (stat !== undefined && !stat.isDirectory()) throw new UsageError(`${flag} ${dir} is a file; name a folder for the report (it is several files)`);
  // The nearest folder that exists is where the report (or its first missing parent) will be created.
  let existing = target;
  while (statIfAny(existing) === undefined && dirname(existing) !== existing) existing = dirname(existing);
  if (!statSync(existing).isDirectory()) throw new UsageError(`${flag} ${dir} cannot be created: ${existing} is a file`);
  try {
    accessSync(existing, constants.W_OK);
  } catch {
    throw new UsageError(`${flag} ${dir} cannot be written: no write permission in ${existing}`);
  }
}

/** The entry at `path`, or undefined when there is none (ENOENT) or a parent is a file (ENOTDIR). */
function statIfAny(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw error;
  }
}
