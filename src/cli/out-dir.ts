// `--out DIR` is checked before anything runs: a report folder that cannot be written should cost the user one
// line and no waiting, not a stack trace after minutes of simulation. The folder may exist (it is replaced whole,
// replace-directory.ts) or not yet (it is created, with its parents); it must not be a file, sit under a file,
// sit in a folder this process cannot write to, or hold files lbsim did not write.
import { accessSync, constants, statSync, type Stats } from "node:fs";
import { dirname, resolve } from "node:path";
import { requireReplaceable } from "../report/replace-directory.js";
import { UsageError } from "./exit-codes.js";

export async function checkOutDir(dir: string, flag = "--out"): Promise<void> {
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
  // The swap would refuse it after the run; say so before it.
  await requireReplaceable(dir);
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
